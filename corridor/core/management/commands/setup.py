"""Bring an installation up to date: migrate, collect static files, load the demo region on first start."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate the database, collect static files and, on an empty database, load the demo region."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-demo", action="store_true", help="never load the demo region")

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        self.stdout.write("Migrating the database …")
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        if not (settings.DEBUG or settings.TESTING):
            self.stdout.write("Collecting static files …")
            call_command("collectstatic", interactive=False, verbosity=0)
        from corridor.demo.full import load_full_demo
        from corridor.demo.loader import database_is_empty

        if not options["no_demo"] and database_is_empty():
            self.stdout.write("Empty database: loading the demo platform (a minute or two) …")
            counts = load_full_demo(progress=verbosity > 0)
            self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
            self.stdout.write("Demo accounts: operator, member, manager, reviewer; password: corridor-demo")
        else:
            from corridor.matching.registry import ALL_KINDS, registry

            self.stdout.write("Loading the matching indexes …")
            for kind in ALL_KINDS:
                registry.engine(kind)  # loads the saved index (or builds it) and applies pending changes
        self.stdout.write(self.style.SUCCESS("Ready."))
