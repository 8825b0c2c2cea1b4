"""``corridor import FILE --type resources [--dry-run] [--valid-only] [--user USERNAME]``."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from corridor.transfer.choices import ImportMode, ImportStatus
from corridor.transfer.cli import find_organization, find_user
from corridor.transfer.specs import REGISTRY


class Command(BaseCommand):
    help = "Import a spreadsheet (.xlsx or CSV) of resources, demands, cooperation items or organisations."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .xlsx or .csv file")
        parser.add_argument("--type", required=True, choices=sorted(REGISTRY), help="what the rows are")
        parser.add_argument("--dry-run", action="store_true", help="check every row and show the counts; write nothing")
        parser.add_argument("--valid-only", action="store_true", help="import the valid rows and skip the invalid ones")
        parser.add_argument("--user", help="act as this user (default: the only superuser)")
        parser.add_argument("--org", help="import on behalf of this organisation (credit code or exact name)")
        parser.add_argument("--report", help="where to write the error report (default: FILE.errors.xlsx)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **opts: Any) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from corridor.transfer import services

        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(_("No file {path}.").format(path=path))
        user = find_user(opts["user"])
        org = find_organization(opts["org"])
        mode = ImportMode.VALID_ONLY if opts["valid_only"] else ImportMode.ALL_OR_NOTHING
        # OutputWrapper is a text stream (TextIOBase) but not typed as IO[str]; rich only writes to it.
        console = Console(file=cast(IO[str], self.stdout), force_terminal=False) if opts["no_progress"] else Console(stderr=True)
        progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console, disable=opts["no_progress"], transient=False,
        )
        tasks: dict[str, Any] = {}

        def report(phase: str, done: int) -> None:
            if phase not in tasks:
                label = _("Checking rows") if phase == "check" else _("Writing rows")
                tasks[phase] = progress.add_task(label, total=None)
            progress.update(tasks[phase], completed=done)

        try:
            with progress:
                run = services.import_file(
                    user=user, path=path, type=opts["type"], organization=org, mode=mode,
                    dry_run=opts["dry_run"], source="cli", progress=report,
                )
                for task in tasks.values():
                    progress.update(task, total=progress.tasks[task].completed)
        except (PermissionDenied, ValidationError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError(" ".join(messages)) from exc

        self.stdout.write(
            _("Import #{id}: {status}. Rows {rows}: {created} new, {updated} updated, {unchanged} unchanged, {invalid} invalid.").format(
                id=run.pk, status=run.get_status_display(), rows=run.rows, created=run.created_count,
                updated=run.updated_count, unchanged=run.unchanged_count, invalid=run.invalid_count,
            )
        )
        for warning in run.warnings:
            self.stdout.write(self.style.WARNING(warning))
        if run.message:
            self.stdout.write(run.message)
        for number, column, message in run.errors[:20]:
            where = _("row {row}").format(row=number)
            if column:
                from openpyxl.utils import get_column_letter

                where += f" {get_column_letter(column)}"
            self.stdout.write(f"  {where}: {message}")
        if len(run.errors) > 20:
            self.stdout.write(_("  … and {n} more messages.").format(n=len(run.errors) - 20))
        if run.errors and run.file:
            target = Path(opts["report"]) if opts["report"] else path.with_name(path.stem + ".errors.xlsx")
            with open(target, "wb") as out:
                services.error_report(run, out)
            self.stdout.write(_("Error report: {path}").format(path=target))
        if run.status in (ImportStatus.REJECTED, ImportStatus.INVALID, ImportStatus.FAILED) or (
            opts["dry_run"] and run.invalid_count and mode == ImportMode.ALL_OR_NOTHING
        ):
            raise CommandError(run.message or _("The file cannot be imported as it is."))
