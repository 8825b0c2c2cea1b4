from django.db import migrations


def load(apps, schema_editor):
    from corridor.regions.loaders import load_cities, load_industries

    load_cities(apps.get_model("regions", "City"))
    load_industries(apps.get_model("regions", "Industry"))


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
