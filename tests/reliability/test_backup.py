"""`corridor backup` / `corridor restore`: a round trip gives back every row of every table.

The demo platform fills the tables; the fingerprint of each table (row count and a hash of its
rows ordered by primary key, m2m through tables included) is taken before the backup and again
after restoring into a cleared database (SQLite: the emptied test database; PostgreSQL: a separate
database created and dropped by the test).
"""

from __future__ import annotations

import io
import os
import uuid
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.utils import load_backend

from corridor.core import backup
from corridor.demo.full import load_full_demo
from corridor.lists.models import Resource

pytestmark = pytest.mark.slow


def _filled(prints: dict[str, tuple[int, str]]) -> None:
    rows = sum(n for n, _h in prints.values())
    nonempty = [t for t, (n, _h) in prints.items() if n]
    assert rows > 5000, rows
    # lists, orgs, market, labs, brokers and at least one m2m through table carry rows
    for prefix in ("lists_", "orgs_", "market_", "labs_", "brokers_", "regions_"):
        assert any(t.startswith(prefix) for t in nonempty), prefix
    through = {m._meta.db_table for m in backup.tracked_models() if m._meta.auto_created}
    assert through & set(nonempty), "no m2m through table has rows"


@pytest.mark.django_db(transaction=True)
def test_round_trip_sqlite(tmp_path, settings):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite round trip (the PostgreSQL one is below)")
    load_full_demo(progress=False, index=False)
    before = backup.fingerprints()
    _filled(before)

    out = tmp_path / "corridor.sqlite3"
    call_command("backup", "--out", str(out), "--no-progress", stdout=io.StringIO())
    assert backup.file_kind(out) == "sqlite"

    call_command("flush", "--no-input", verbosity=0)
    cleared = backup.fingerprints()
    # flush leaves only what its post_migrate signal recreates (content types, permissions)
    assert {t for t, (n, _h) in cleared.items() if n} <= {"django_content_type", "auth_permission"}

    stdout = io.StringIO()
    call_command("restore", str(out), "--yes", "--no-progress", stdout=stdout)
    assert backup.fingerprints() == before
    # the matching indexes were rebuilt from the restored rows
    assert f"resources: {Resource.objects.count()}" in stdout.getvalue()


@pytest.fixture
def scratch_pg(transactional_db):
    """A connection to a separate, empty PostgreSQL database, dropped after the test."""
    if connection.vendor != "postgresql":
        pytest.skip("runs with DATABASE_URL=postgres://…")
    name = f"corridor_restore_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with connection.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    # a wrapper of its own, outside django.db.connections (the test case guards only known aliases)
    scratch = load_backend(connection.settings_dict["ENGINE"]).DatabaseWrapper({**connection.settings_dict, "NAME": name}, alias="s3scratch")
    try:
        yield scratch
    finally:
        scratch.close()
        with connection.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_round_trip_postgresql(tmp_path, scratch_pg):
    load_full_demo(progress=False, index=False)
    before = backup.fingerprints()
    _filled(before)

    out = tmp_path / "corridor.dump"
    call_command("backup", "--out", str(out), "--no-progress", stdout=io.StringIO())
    assert backup.file_kind(out) == "postgresql"

    # into the empty database, then again over the now-filled one (--clean drops and recreates)
    for _ in range(2):
        assert backup.restore(out, connection=scratch_pg) == "postgresql"
        assert backup.fingerprints(connection=scratch_pg) == before
    # and the command, over the test database itself
    call_command("restore", str(out), "--yes", "--no-progress", "--skip-index", stdout=io.StringIO())
    assert backup.fingerprints() == before


@pytest.mark.django_db
def test_fingerprint_sees_a_changed_row(world):
    before = backup.fingerprints(backup.app_models("orgs"))
    world.org.name = "改名"
    world.org.save()
    after = backup.fingerprints(backup.app_models("orgs"))
    assert after["orgs_organization"][0] == before["orgs_organization"][0]
    assert after["orgs_organization"][1] != before["orgs_organization"][1]


@pytest.mark.django_db
def test_restore_refuses_other_files(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a backup")
    with pytest.raises(CommandError, match="not a Corridor backup"):
        call_command("restore", str(text), "--yes")
    other = tmp_path / "other.backup"
    if connection.vendor == "sqlite":
        other.write_bytes(backup.PGDUMP_MAGIC + b"\x01\x0e" + b"\x00" * 64)
        expected = "is a PostgreSQL backup .*, but this database is sqlite"
    else:
        other.write_bytes(backup.SQLITE_MAGIC + b"\x00" * 100)
        expected = "is an SQLite backup, but this database is postgresql"
    with pytest.raises(CommandError, match=expected):
        call_command("restore", str(other), "--yes")
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "missing.dump"), "--yes")


@pytest.mark.django_db
def test_sqlite_file_that_is_not_a_corridor_backup(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite backups only")
    import sqlite3

    path = tmp_path / "other.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    with pytest.raises(CommandError, match="not a Corridor backup"):
        call_command("restore", str(path), "--yes")


@pytest.mark.django_db(transaction=True)
def test_restore_needs_confirmation_when_not_interactive(tmp_path, world):
    out = tmp_path / ("b.sqlite3" if connection.vendor == "sqlite" else "b.dump")
    call_command("backup", "--out", str(out), "--no-progress", stdout=io.StringIO())
    before = backup.fingerprints()
    with mock.patch("sys.stdin.isatty", return_value=False), pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(out))
    with mock.patch("sys.stdin.isatty", return_value=True), mock.patch("builtins.input", return_value="no"):
        with pytest.raises(CommandError, match="cancelled"):
            call_command("restore", str(out))
    assert backup.fingerprints() == before


@pytest.mark.django_db
def test_password_never_printed(monkeypatch, tmp_path):
    from corridor.core.backup import BackupError, _run

    with pytest.raises(BackupError) as info:
        _run(["sh", "-c", "echo 'auth failed for s3cret-pw' >&2; exit 2"], dict(os.environ), "pg_dump", "s3cret-pw")
    assert "s3cret-pw" not in str(info.value) and "***" in str(info.value)


def test_missing_pg_tool_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(backup.BackupError, match="pg_dump is not installed"):
        backup._pg_tool("pg_dump")
