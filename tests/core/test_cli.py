"""The `corridor` console command."""

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from corridor.cli import INTRO


def test_help_lists_corridor_and_django_commands():
    out = subprocess.run(
        [sys.executable, "-m", "corridor.cli", "--help"], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    assert INTRO.splitlines()[0] in out
    for name in ("serve", "setup", "demo", "migrate", "createsuperuser", "check"):
        assert name in out


@pytest.mark.parametrize("port", [0, 70000])
def test_serve_rejects_out_of_range_ports(port):
    with pytest.raises(CommandError, match="between 1 and 65535"):
        call_command("serve", port=port)


def test_serve_rejects_non_numeric_port(monkeypatch):
    monkeypatch.setenv("PORT", "abc")
    with pytest.raises(CommandError, match="must be a number"):
        call_command("serve")


def _corridor(args: list[str], database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run([sys.executable, "-m", "corridor.cli", *args], capture_output=True, text=True, timeout=300, env=env)  # noqa: S603  (the test's own arguments)


@pytest.mark.parametrize("args", [["match", "--demand", "1"], ["bench", "import", "--rows", "5"], ["case_alerts"]])
def test_commands_on_an_unmigrated_database_say_so_without_a_traceback(args, tmp_path):
    done = _corridor([*args], f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert done.returncode == 1
    assert "the database is not set up" in done.stderr and "corridor setup" in done.stderr
    assert "Traceback" not in done.stderr


def test_commands_on_an_unreachable_database_say_so(tmp_path):
    done = _corridor(["match", "--demand", "1"], "postgres://postgres@127.0.0.1:9/nothing")
    assert done.returncode == 1 and "cannot use the database" in done.stderr and "Traceback" not in done.stderr


def test_schema_commands_keep_their_own_errors(db):
    from corridor.cli import _database_not_ready

    assert _database_not_ready("migrate") is None  # migrate's own failures are shown as they are
    assert _database_not_ready("match") is None  # the test database is migrated: a real error keeps its traceback
