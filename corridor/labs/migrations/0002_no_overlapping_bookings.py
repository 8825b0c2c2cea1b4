"""No two active bookings (or maintenance blocks) of one instrument may overlap — enforced by the database.

PostgreSQL: an exclusion constraint over (instrument, tstzrange(start, end, '[)')) with
btree_gist, limited to the active states (requested, confirmed, completed).

SQLite has no exclusion constraints; two triggers refuse an insert or update that would
overlap, and the services additionally run their check inside an IMMEDIATE transaction, which
serialises writers. Datetimes are stored there as UTC text ("YYYY-MM-DD HH:MM:SS[.ffffff]"),
which compares correctly as text.

The operations are vendor-guarded RunPython steps, so the migration state (and
``makemigrations --check``) is the same on both databases.
"""

from django.db import migrations

ACTIVE = "('requested', 'confirmed', 'completed')"

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""ALTER TABLE labs_booking ADD CONSTRAINT booking_no_overlap
        EXCLUDE USING gist (instrument_id WITH =, tstzrange("start", "end", '[)') WITH &&)
        WHERE (status IN {ACTIVE})""",
]
PG_BACKWARD = ["ALTER TABLE labs_booking DROP CONSTRAINT IF EXISTS booking_no_overlap"]

_SQLITE_OVERLAP = f"""
    NEW.status IN {ACTIVE} AND EXISTS (
        SELECT 1 FROM labs_booking b
        WHERE b.instrument_id = NEW.instrument_id AND b.id IS NOT NEW.id
          AND b.status IN {ACTIVE}
          AND b."start" < NEW."end" AND NEW."start" < b."end")
"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER booking_no_overlap_insert BEFORE INSERT ON labs_booking
        WHEN {_SQLITE_OVERLAP}
        BEGIN SELECT RAISE(ABORT, 'booking_no_overlap: overlapping booking'); END""",
    f"""CREATE TRIGGER booking_no_overlap_update BEFORE UPDATE ON labs_booking
        WHEN {_SQLITE_OVERLAP}
        BEGIN SELECT RAISE(ABORT, 'booking_no_overlap: overlapping booking'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS booking_no_overlap_insert",
    "DROP TRIGGER IF EXISTS booking_no_overlap_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("labs", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
