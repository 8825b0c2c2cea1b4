"""``corridor report --city 苏州 --out report.pdf``: a printable regional report of one city."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from corridor.insights.report import city_report
from corridor.regions.selectors import resolve_city


class Command(BaseCommand):
    help = "Write a printable regional report (PDF) of one city: figures, industry profile, competition, flows, gaps."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--city", required=True, help="city name (苏州, 苏州市, Suzhou), GB/T 2260 code or id")
        parser.add_argument("--out", required=True, help="the PDF file to write")
        parser.add_argument("--user", default="", help="compute as this account (default: public data only)")
        parser.add_argument("--no-compress", action="store_true", help="leave the PDF's streams uncompressed")
        parser.add_argument("--lang", default=settings.LANGUAGE_CODE, choices=[code for code, _name in settings.LANGUAGES],
                            help="language of the report (default: Chinese)")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"]):
            self._report(options)

    def _report(self, options: dict[str, Any]) -> None:
        city = resolve_city(options["city"])
        if city is None:
            raise CommandError(_("Unknown city “{city}”: give a name (苏州), a GB/T 2260 code (320500) or an id.").format(city=options["city"]))
        user: Any = AnonymousUser()
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(_("Unknown or inactive account “{user}”.").format(user=options["user"]))
        out = Path(options["out"])
        if out.parent and not out.parent.exists():
            raise CommandError(_("The folder {folder} does not exist.").format(folder=out.parent))
        data = city_report(city, user, compress=not options["no_compress"])
        out.write_bytes(data)
        self.stdout.write(_("Wrote {path} ({size} KB): the report of {city}.").format(path=out, size=len(data) // 1024, city=city.short_name))
