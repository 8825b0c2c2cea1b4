"""The `corridor` console command."""

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
