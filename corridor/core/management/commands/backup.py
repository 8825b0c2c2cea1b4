"""``corridor backup [--out FILE]``: a consistent copy of the whole database.

SQLite through the online backup API (the platform may keep running); PostgreSQL through
``pg_dump -Fc``. The matching indexes are not included: ``corridor restore`` rebuilds them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils import timezone
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from corridor.core import backup as engine


class Command(BaseCommand):
    help = "Back up the whole database to FILE (default: var/backups/corridor-YYYYmmdd-HHMMSS.sqlite3 or .dump)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", help="where to write the backup (default under var/backups/)")
        parser.add_argument("--database", default="default", help="database alias (default: default)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        using = options["database"]
        try:
            kind = engine.database_kind(connections[using])
            out = Path(options["out"]) if options["out"] else (
                Path(settings.VAR_DIR) / "backups" / engine.default_backup_name(kind, timezone.localtime())
            )
            with Progress(
                TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} pages"), TimeElapsedColumn(),
                disable=options["no_progress"], transient=True,
            ) as progress:
                task = progress.add_task(f"backup ({kind})", total=None)

                def report(done: int, total: int | None) -> None:
                    progress.update(task, completed=done, total=total)

                result = engine.backup(out, using=using, progress=report)
        except engine.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"backup ({result.kind}) written to {result.path} ({result.size:,} bytes)")
