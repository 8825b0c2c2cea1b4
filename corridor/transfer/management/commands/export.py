"""``corridor export --type demands --out file.xlsx [--format csv] [--user USERNAME] [--filter city=苏州 …]``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from corridor.transfer.cli import find_organization, parse_filters
from corridor.transfer.specs import REGISTRY, get_spec


class Command(BaseCommand):
    help = "Export resources, demands, cooperation items or organisations as .xlsx or CSV (UTF-8 with BOM)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--type", required=True, choices=sorted(REGISTRY))
        parser.add_argument("--out", required=True, help="file to write (.xlsx or .csv)")
        parser.add_argument("--format", choices=["xlsx", "csv"], help="default: from the --out extension")
        parser.add_argument("--user", help="export what this user may see (default: everything, nothing masked)")
        parser.add_argument("--org", help="whose external ids to write (credit code or exact name)")
        parser.add_argument("--filter", action="append", metavar="NAME=VALUE", help="list filters, e.g. city=苏州 status=published")

    def handle(self, *args: Any, **opts: Any) -> None:
        from corridor.transfer.cli import find_user
        from corridor.transfer.selectors import export_queryset
        from corridor.transfer.writers import export_rows, write_csv, write_xlsx

        spec = get_spec(opts["type"])
        out = Path(opts["out"])
        fmt = opts["format"] or ("csv" if out.suffix.lower() == ".csv" else "xlsx")
        user = find_user(opts["user"]) if opts["user"] else None
        try:
            qs = export_queryset(spec, user, parse_filters(opts["filter"]), full_access=user is None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        rows = export_rows(spec, qs, user, scope=find_organization(opts["org"]), full_access=user is None)
        # Written beside the target and moved into place at the end: a failed export leaves no partial file
        # (and an existing file at --out untouched).
        part = out.with_name(f".{out.name}.part")
        try:
            if fmt == "csv":
                with open(part, "w", encoding="utf-8", newline="") as fh:
                    n = write_csv(rows, fh)
            else:
                with open(part, "wb") as fhb:
                    n = write_xlsx(spec, rows, fhb)
            os.replace(part, out)
        finally:
            part.unlink(missing_ok=True)
        self.stdout.write(_("{n} rows written to {path}.").format(n=n, path=out))
