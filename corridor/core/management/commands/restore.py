"""``corridor restore FILE [--yes]``: replace the whole database by a backup, then rebuild the
matching indexes (they are derived from the database)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from corridor.core import backup as engine


class Command(BaseCommand):
    help = "Restore the whole database from a backup made by `corridor backup` (replaces every row); rebuilds the matching indexes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a backup written by `corridor backup`")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation (needed when not run in a terminal)")
        parser.add_argument("--database", default="default", help="database alias (default: default)")
        parser.add_argument("--skip-index", action="store_true", help="do not rebuild the matching indexes (run `corridor matching rebuild` later)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        using = options["database"]
        path = Path(options["file"])
        try:
            kind = engine.check_backup_file(path, using=using)
        except engine.BackupError as exc:
            raise CommandError(str(exc)) from exc
        name = connections[using].settings_dict["NAME"]
        if not options["yes"]:
            if not sys.stdin.isatty():
                raise CommandError("restore replaces every row of the database; not run in a terminal, so pass --yes to confirm")
            answer = input(f"Replace every row of database {name} ({kind}) with {path}? Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("restore cancelled; nothing changed")
        try:
            with Progress(
                TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                disable=options["no_progress"], transient=True,
            ) as progress:
                task = progress.add_task(f"restore ({kind})", total=None)

                def report(done: int, total: int | None) -> None:
                    progress.update(task, completed=done, total=total)

                engine.restore(path, using=using, progress=report)
        except engine.BackupError as exc:
            raise CommandError(f"{exc}; the database is unchanged") from exc
        self.stdout.write(f"restored {name} from {path}")
        if options["skip_index"]:
            self.stdout.write("matching indexes not rebuilt: run `corridor matching rebuild`")
        else:
            call_command("matching", "rebuild", no_progress=options["no_progress"], stdout=self.stdout._out)
