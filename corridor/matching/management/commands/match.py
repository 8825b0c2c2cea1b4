"""``corridor match --demand ID`` (or ``--resource ID`` / ``--query TEXT``): print ranked, explained matches."""

from __future__ import annotations

from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from corridor.lists.models import Demand, Resource
from corridor.matching import selectors
from corridor.matching.api import explain


class Command(BaseCommand):
    help = "Print the ranked matches of a demand, a resource or a free-text query, with explanations (as an operator sees them)."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--demand", type=int)
        group.add_argument("--resource", type=int)
        group.add_argument("--query")
        parser.add_argument("--limit", type=int, default=10)

    def handle(self, *args: Any, **options: Any) -> None:
        from corridor.orgs.models import User

        viewer = User(username="cli", is_staff=True, is_active=True)  # unsaved: an operator's view, no account needed
        limit = max(1, min(options["limit"], 100))
        if options["demand"] is not None:
            demand = Demand.objects.filter(pk=options["demand"]).first()
            if demand is None:
                raise CommandError(f"No demand with id {options['demand']}.")
            title, matches = f"Demand {demand.pk}: {demand.title}", selectors.resources_for_demand(demand, viewer, limit=limit)
        elif options["resource"] is not None:
            resource = Resource.objects.filter(pk=options["resource"]).first()
            if resource is None:
                raise CommandError(f"No resource with id {options['resource']}.")
            title, matches = f"Resource {resource.pk}: {resource.name}", selectors.demands_for_resource(resource, viewer, limit=limit)
        else:
            title, matches = f"Query: {options['query']}", selectors.search(options["query"], viewer, limit=limit)
        table = Table(title=title)
        for col in ("#", "score", "kind", "id", "title", "city", "why"):
            table.add_column(col)
        for i, m in enumerate(matches, 1):
            table.add_row(str(i), f"{m.score:.3f}", m.kind, str(m.obj.pk), str(m.obj), str(getattr(m.obj, "city", "") or ""), explain(m))
        # OutputWrapper is a text stream (TextIOBase) but not typed as IO[str]; rich only writes to it.
        Console(file=cast(IO[str], self.stdout), width=200).print(table)
        if not matches:
            self.stdout.write("No matches.")
