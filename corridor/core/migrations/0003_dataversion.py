"""The data version (corridor.core.dataversion): a table row on SQLite, a sequence on PostgreSQL."""

from django.db import migrations, models


def create_version(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS corridor_data_version")
    else:
        schema_editor.execute("INSERT OR REPLACE INTO core_dataversion (id, value) VALUES (1, 1)")


def drop_version(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS corridor_data_version")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField()),
            ],
            options={"verbose_name": "data version", "verbose_name_plural": "data versions"},
        ),
        migrations.RunPython(create_version, drop_version),
    ]
