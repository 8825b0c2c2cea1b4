"""``corridor insights_bench``: how long the regional figures take on the current database.

Prints, for each page's figures (and the utilisation table, cold and cached), the median wall time
over ``--repeat`` runs and the number of SQL queries, as the given account (default: the first
operator). The speed goal (docs/insights.md): each page's figures well under a second on the demo region.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext as _

from corridor.insights import analytics


class Command(BaseCommand):
    help = "Time the regional analytics (dashboard, competition, flows, utilisation) on the current database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", default="", help="account to compute as (default: the first operator)")
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args: Any, **options: Any) -> None:
        users = get_user_model().objects.filter(is_active=True)
        user = users.filter(username=options["user"]).first() if options["user"] else users.filter(is_staff=True).order_by("pk").first()
        if user is None:
            raise CommandError(_("Unknown or inactive account “{user}”.").format(user=options["user"]))
        cases: list[tuple[str, Callable[[], Any], bool]] = [
            ("dashboard (page, without utilisation)", lambda: analytics.dashboard(user, with_utilisation=False), False),
            ("competition", lambda: analytics.competition(user), False),
            ("flows", lambda: analytics.flows(user), False),
            ("utilisation by city, cold", lambda: analytics.utilisation_by_city(user), True),
            ("utilisation by city, cached", lambda: analytics.utilisation_by_city(user), False),
        ]
        self.stdout.write(f"user={user.username} repeat={options['repeat']} database={connection.vendor}")
        for label, fn, clear in cases:
            times = []
            queries = 0
            for _i in range(max(1, options["repeat"] if not clear else 1)):
                if clear:
                    cache.clear()
                with CaptureQueriesContext(connection) as ctx:
                    start = time.perf_counter()
                    fn()
                    times.append(time.perf_counter() - start)
                queries = len(ctx.captured_queries)
            self.stdout.write(f"{label:40s} median {statistics.median(times) * 1000:8.1f} ms  max {max(times) * 1000:8.1f} ms  {queries:3d} queries")
