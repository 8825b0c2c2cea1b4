"""``corridor demo``: load the demo region, or ``--reset`` to wipe the demo data and load it again."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = (
        "Load the demo platform (311 resources, 298 demands, 196 cooperation items, calls, ledger, policies, "
        "shared labs, technology managers, consortia, demo accounts); --reset reloads it."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--reset", action="store_true", help="remove the demo data first, then load it again")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        from corridor.demo.full import load_full_demo
        from corridor.demo.loader import DEMO_PASSWORD, DemoError, demo_is_loaded

        if not options["reset"] and demo_is_loaded():
            self.stdout.write(_("The demo region is already loaded (use --reset to reload it)."))
            return
        started = time.monotonic()
        try:
            counts = load_full_demo(reset=options["reset"], progress=options["verbosity"] > 0 and not options["no_progress"])
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        if not counts:
            self.stdout.write(_("The demo region is already loaded (use --reset to reload it)."))
            return
        summary = ", ".join(f"{key}: {value}" for key, value in counts.items())
        self.stdout.write(self.style.SUCCESS(_("Demo region loaded in {seconds:.1f} s ({summary}).").format(
            seconds=time.monotonic() - started, summary=summary)))
        self.stdout.write(
            _("Demo accounts: operator, member, manager, reviewer; password: {password}").format(password=DEMO_PASSWORD)
        )
