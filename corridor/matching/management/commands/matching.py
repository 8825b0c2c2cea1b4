"""``corridor matching rebuild [--kind resources]``: rebuild the matching indexes with a progress bar."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from corridor.matching.registry import ALL_KINDS, registry


class Command(BaseCommand):
    help = "Matching indexes: `rebuild` builds them from the database and saves them under var/index/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild"])
        parser.add_argument("--kind", choices=ALL_KINDS, action="append", help="only this index (repeatable)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        kinds = options["kind"] or list(ALL_KINDS)
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            disable=options["no_progress"], transient=False,
        ) as progress:
            for kind in kinds:
                task = progress.add_task(kind, total=None)

                def report(done: int, total: int, t: TaskID = task) -> None:
                    progress.update(t, completed=done, total=total)

                count = registry.rebuild(kind, progress=report)
                progress.update(task, completed=count, total=count)
                self.stdout.write(f"{kind}: {count}")
