"""Pages that belong to no single app: the home page, the health check, plotly.js for every chart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from corridor.core.forms import cities_corridor_first
from corridor.core.permissions import VIEW
from corridor.lists.choices import DemandStatus
from corridor.lists.models import CooperationItem, Demand, Resource
from corridor.orgs.models import Organization
from corridor.regions.choices import CorridorMembership


def plotly_version() -> str:
    import plotly

    return str(plotly.__version__)


def plotly_url() -> str:
    """Where the pages load plotly.js from: our own server, versioned, never a CDN."""
    return reverse("plotly_js", args=[plotly_version()])


def plotly_js(request: HttpRequest, version: str) -> FileResponse:
    """plotly.js as bundled in the installed plotly package; the version in the URL makes it cacheable forever."""
    import plotly

    if version != plotly_version():
        raise Http404
    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    response = FileResponse(path.open("rb"), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    """A trivial view for load balancers and the load benchmark's ceiling: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


def _per_city(qs: Any, lookup: str = "city") -> dict[int, int]:
    return {row[lookup]: row["n"] for row in qs.order_by().values(lookup).annotate(n=Count("pk", distinct=True))}


def home(request: HttpRequest) -> HttpResponse:
    """The three lists at a glance: live counts, the region's cities, the newest entries (all restricted)."""
    user = request.user
    resources = Resource.objects.restrict(user, VIEW)
    demands = Demand.objects.restrict(user, VIEW)
    cooperation = CooperationItem.objects.restrict(user, VIEW)
    organizations = Organization.objects.restrict(user, VIEW)
    counts = {
        "resources": resources.count(),
        "demands": demands.count(),
        "cooperation": cooperation.count(),
        "organizations": organizations.count(),
    }
    org_per_city = _per_city(organizations)
    res_per_city = _per_city(resources)
    dem_per_city = _per_city(demands)
    coop_per_city = _per_city(
        CooperationItem.objects.filter(pk__in=cooperation.values("pk")), "parties__organization__city"
    )
    cities = []
    for city in cities_corridor_first():
        cities.append(
            {
                "city": city,
                "organizations": org_per_city.get(city.pk, 0),
                "resources": res_per_city.get(city.pk, 0),
                "demands": dem_per_city.get(city.pk, 0),
                "cooperation": coop_per_city.get(city.pk, 0),
            }
        )
    corridor_cities = [c for c in cities if c["city"].corridor]  # type: ignore[attr-defined]
    other_cities = [c for c in cities if not c["city"].corridor]  # type: ignore[attr-defined]
    context = {
        "counts": counts,
        "corridor_cities": corridor_cities,
        "other_cities": other_cities,
        "CORE": CorridorMembership.CORE,
        "newest_demands": demands.exclude(status=DemandStatus.DRAFT)
        .select_related("owner", "city")
        .order_by("-created", "-pk")[:6],
        "newest_resources": resources.select_related("owner", "city").order_by("-created", "-pk")[:6],
    }
    return render(request, "home.html", context)
