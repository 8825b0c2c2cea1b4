"""Compile every translation catalogue of Corridor (corridor/**/locale/**/*.po) into .mo files.

Uses polib, so no GNU gettext tools are needed on the server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.core.management.base import BaseCommand, CommandError

ROOT = Path(__file__).resolve().parents[3]  # the corridor package


def catalogues(root: Path = ROOT) -> list[Path]:
    return sorted(p for p in root.glob("**/locale/**/*.po") if "node_modules" not in p.parts)


def compile_catalogue(po_path: Path) -> Path:
    catalogue = polib.pofile(str(po_path))
    mo_path = po_path.with_suffix(".mo")
    catalogue.save_as_mofile(str(mo_path))
    return mo_path


class Command(BaseCommand):
    help = "Compile every corridor/**/locale/**/*.po translation catalogue into its .mo file (with polib)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="Fail if a catalogue has an empty translation.")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = catalogues()
        if not paths:
            raise CommandError("No translation catalogues found under corridor/.")
        for po_path in paths:
            if options["check"]:
                catalogue = polib.pofile(str(po_path))
                missing = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
                if missing:
                    raise CommandError(f"{po_path}: {len(missing)} untranslated, e.g. {missing[0]!r}")
            mo_path = compile_catalogue(po_path)
            self.stdout.write(f"compiled {mo_path.relative_to(ROOT.parent)}")
