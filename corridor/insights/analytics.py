"""Reads of the regional analytics: the dashboard, homogeneous competition and cooperation flows.

Every figure is aggregated in the database from rows the user may see (``restrict(user, VIEW)``)
and returned as named tables (lists of flat dicts) — the same tables feed the charts, the CSV and
XLSX downloads, the JSON API and the printed report. Index arithmetic lives in
``corridor.insights.indices``; the methods are documented in docs/insights.md.

Confidential demands (summary only) count in the figures as counts; no table names a demand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from corridor.core.permissions import VIEW
from corridor.insights import indices
from corridor.lists.choices import DemandStatus, PartyRole, ResourceStatus
from corridor.lists.models import CooperationItem, CooperationParty, Demand, Resource
from corridor.market.choices import Reach
from corridor.market.models import TechnologyContract
from corridor.market.selectors import open_calls, reach_of
from corridor.orgs.models import Organization
from corridor.regions.choices import IndustryScheme
from corridor.regions.models import City, Industry

ZERO = Decimal("0.00")

# Weights of a city's industry profile (docs/insights.md, "City industry profiles").
PROFILE_WEIGHTS: dict[str, float] = {
    "organisations": 1.0,  # an organisation of the city tagged with the industry
    "resources": 2.0,  # an innovation resource (supply) located in the city
    "demands": 2.0,  # a published demand (need) of the city
    "transactions": 1.0,  # a technology contract of the industry, for the seller's and the buyer's city each
}

OPEN_DEMAND = (DemandStatus.PUBLISHED, DemandStatus.NEGOTIATING)
IN_PROGRESS_DEMAND = (DemandStatus.COOPERATING,)
MET_DEMAND = (DemandStatus.SOLVED,)
RD_ROLES = (PartyRole.RD, PartyRole.LEAD)
UTILISATION_DAYS = 90
UTILISATION_CACHE_SECONDS = 600


# Reference data: industries at the two analysis levels ---------------------------------------


@dataclass
class IndustryLevels:
    """Industry id → GB/T 4754 division code (level 2) and strategic-emerging-industry code (level 1),
    plus each industry's parent, code, scheme and name."""

    division_of: dict[int, str]
    sei_of: dict[int, str]
    division_names: dict[str, str]
    sei_names: dict[str, str]
    parent: dict[int, int | None]
    info: dict[int, tuple[str, str, str]]  # id → (scheme, code, name)

    def name(self, scheme: str, code: str) -> str:
        names = self.division_names if scheme == IndustryScheme.GBT4754 else self.sei_names
        return names.get(code, code)

    def lineage(self, pk: int) -> list[int]:
        """The industry and its ancestors."""
        out = []
        node: int | None = pk
        while node is not None and node not in out:
            out.append(node)
            node = self.parent.get(node)
        return out


def industry_levels() -> IndustryLevels:
    """Read once per call (≈1,700 rows): reference data is reloaded by tests, so no process cache."""
    english = (get_language() or "").startswith("en")
    rows = list(Industry.objects.values_list("pk", "scheme", "code", "name", "name_en", "level", "parent_id"))
    by_pk = {r[0]: r for r in rows}
    division_of: dict[int, str] = {}
    sei_of: dict[int, str] = {}
    division_names: dict[str, str] = {}
    sei_names: dict[str, str] = {}
    info: dict[int, tuple[str, str, str]] = {}
    for pk, scheme, code, name, name_en, level, _parent in rows:
        label = name_en if english and name_en else name
        info[pk] = (scheme, code, label)
        target_level = 2 if scheme == IndustryScheme.GBT4754 else 1
        if level == target_level:
            (division_names if scheme == IndustryScheme.GBT4754 else sei_names)[code] = label
        node = by_pk[pk]
        while node[5] > target_level and node[6] is not None:
            node = by_pk[node[6]]
        if node[5] == target_level:
            (division_of if scheme == IndustryScheme.GBT4754 else sei_of)[pk] = node[2]
    parent: dict[int, int | None] = {r[0]: r[6] for r in rows}
    return IndustryLevels(division_of, sei_of, division_names, sei_names, parent, info)


@dataclass
class CityInfo:
    pk: int
    code: str
    name: str
    province: str
    corridor: str
    lon: float
    lat: float


def cities() -> dict[int, CityInfo]:
    english = (get_language() or "").startswith("en")
    return {
        pk: CityInfo(pk, code, (name_en if english and name_en else short), province, corridor, lon, lat)
        for pk, code, short, name_en, province, corridor, lon, lat in City.objects.values_list(
            "pk", "code", "short_name", "name_en", "province", "corridor", "lon", "lat"
        )
    }


# Visible rows ---------------------------------------------------------------------------------


def visible_resources(user: Any) -> Any:
    return Resource.objects.restrict(user, VIEW).order_by()


def visible_demands(user: Any) -> Any:
    """Demands the user may see; confidential ones included (they only ever count)."""
    return Demand.objects.restrict(user, VIEW).order_by()


def visible_items(user: Any) -> Any:
    return CooperationItem.objects.restrict(user, VIEW).order_by()


def visible_contracts(user: Any) -> Any:
    return TechnologyContract.objects.restrict(user, VIEW).order_by()


def _resource_tags(user: Any, **filters: Any) -> list[tuple[int, int, int]]:
    """(resource id, city id, industry id) of every visible resource's industry tags, in one query."""
    through = Resource.industries.through
    ids = visible_resources(user).filter(**filters).values("pk")
    return list(through.objects.filter(resource_id__in=ids).values_list("resource_id", "resource__city_id", "industry_id"))


def _demand_tags(user: Any, **filters: Any) -> list[tuple[int, int, int]]:
    through = Demand.industries.through
    ids = visible_demands(user).filter(**filters).values("pk")
    return list(through.objects.filter(demand_id__in=ids).values_list("demand_id", "demand__city_id", "industry_id"))


def _item_tags(user: Any) -> list[tuple[int, int]]:
    through = CooperationItem.industries.through
    ids = visible_items(user).values("pk")
    return list(through.objects.filter(cooperationitem_id__in=ids).values_list("cooperationitem_id", "industry_id"))


def _organisation_tags(user: Any) -> list[tuple[int, int, int]]:
    through = Organization.industries.through
    ids = Organization.objects.restrict(user, VIEW).order_by().filter(city__isnull=False).values("pk")
    return list(through.objects.filter(organization_id__in=ids).values_list("organization_id", "organization__city_id", "industry_id"))


def _by_level(tags: list[tuple[int, int, int]], level: dict[int, str]) -> dict[tuple[int, str], set[int]]:
    """(city id, industry code) → ids of the objects tagged there (an object counts once per code)."""
    out: dict[tuple[int, str], set[int]] = defaultdict(set)
    for obj_id, city_id, industry_id in tags:
        code = level.get(industry_id)
        if code is not None and city_id is not None:
            out[(city_id, code)].add(obj_id)
    return out


def _month(value: dt.datetime | dt.date | None) -> str:
    return value.strftime("%Y-%m") if value else ""


def _ratio(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0


# Dashboard ------------------------------------------------------------------------------------


def dashboard(user: Any, *, with_utilisation: bool = True) -> dict[str, Any]:
    """Headline figures, counts by city, industry and month, demand status, supply–demand balance,
    gaps, and instrument utilisation by city (left empty with ``with_utilisation=False``: the web
    page fetches that table on its own, as it is the slow one)."""
    levels = industry_levels()
    places = cities()
    resources = visible_resources(user)
    demands = visible_demands(user)
    items = visible_items(user)
    contracts = visible_contracts(user)

    status_counts = dict(demands.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    totals = contracts.aggregate(amount=Sum("amount"), count=Count("pk"))
    calls = open_calls(user).count()
    util = utilisation_by_city(user) if with_utilisation else {"utilisation": None, "rows": []}

    summary = {
        "resources": resources.count(),
        "demands": sum(status_counts.values()),
        "demands_open": sum(status_counts.get(s, 0) for s in OPEN_DEMAND),
        "demands_in_progress": sum(status_counts.get(s, 0) for s in IN_PROGRESS_DEMAND),
        "demands_met": sum(status_counts.get(s, 0) for s in MET_DEMAND),
        "cooperation_items": items.count(),
        "transactions": totals["count"] or 0,
        "transaction_amount": totals["amount"] or ZERO,
        "open_calls": calls,
        "utilisation": util["utilisation"],
        "utilisation_days": UTILISATION_DAYS,
    }

    # By city: one grouped query per list.
    per_city: dict[int, dict[str, Any]] = defaultdict(lambda: {"resources": 0, "demands": 0, "cooperation_items": 0, "transactions": 0, "amount": ZERO})
    for city_id, n in resources.values_list("city_id").annotate(n=Count("pk")).values_list("city_id", "n"):
        per_city[city_id]["resources"] = n
    for city_id, n in demands.values_list("city_id").annotate(n=Count("pk")).values_list("city_id", "n"):
        per_city[city_id]["demands"] = n
    item_cities = (
        CooperationParty.objects.filter(item_id__in=items.values("pk"), organization__city__isnull=False)
        .values_list("organization__city_id")
        .annotate(n=Count("item_id", distinct=True))
        .values_list("organization__city_id", "n")
    )
    for city_id, n in item_cities:
        per_city[city_id]["cooperation_items"] = n
    for city_id, n, amount in contracts.filter(seller__city__isnull=False).values_list("seller__city_id").annotate(
        n=Count("pk"), amount=Sum("amount")
    ).values_list("seller__city_id", "n", "amount"):
        per_city[city_id]["transactions"] = n
        per_city[city_id]["amount"] = amount or ZERO
    by_city = [
        {"city": places[c].name, "code": places[c].code, **v}
        for c, v in per_city.items()
        if c in places
    ]
    by_city.sort(key=lambda r: (-(r["resources"] + r["demands"] + r["cooperation_items"]), r["code"]))

    # By industry division: objects tagged with any industry below the division count once.
    res_div = _by_level(_resource_tags(user), levels.division_of)
    dem_div = _by_level(_demand_tags(user), levels.division_of)
    item_div: dict[str, set[int]] = defaultdict(set)
    for item_id, industry_id in _item_tags(user):
        code = levels.division_of.get(industry_id)
        if code:
            item_div[code].add(item_id)
    ind_counts: dict[str, dict[str, set[int]]] = defaultdict(lambda: {"resources": set(), "demands": set(), "cooperation_items": set()})
    for (_city, code), ids in res_div.items():
        ind_counts[code]["resources"] |= ids
    for (_city, code), ids in dem_div.items():
        ind_counts[code]["demands"] |= ids
    for code, ids in item_div.items():
        ind_counts[code]["cooperation_items"] |= ids
    by_industry: list[dict[str, Any]] = [
        {"code": code, "name": levels.name(IndustryScheme.GBT4754, code), **{k: len(v) for k, v in sets.items()}}
        for code, sets in ind_counts.items()
    ]
    by_industry.sort(key=lambda r: (-(r["resources"] + r["demands"] + r["cooperation_items"]), r["code"]))

    # Trend: new rows per month (Asia/Shanghai months).
    trend_map: dict[str, dict[str, int]] = defaultdict(lambda: {"resources": 0, "demands": 0, "cooperation_items": 0})
    for key, qs in (("resources", resources), ("demands", demands), ("cooperation_items", items)):
        for month, n in qs.annotate(month=TruncMonth("created")).values_list("month").annotate(n=Count("pk")).values_list("month", "n"):
            trend_map[_month(month)][key] += n
    trend = [{"month": m, **v} for m, v in sorted(trend_map.items()) if m]

    demand_status = [
        {"status": s.value, "label": str(s.label), "count": status_counts.get(s.value, 0)}
        for s in DemandStatus
        if s.value != DemandStatus.DRAFT or status_counts.get(s.value)
    ]

    balance, gaps = supply_demand_balance(user, levels)
    return {
        "summary": summary,
        "by_city": by_city,
        "by_industry": by_industry,
        "trend": trend,
        "demand_status": demand_status,
        "balance": balance,
        "gaps": gaps,
        "utilisation": util["rows"],
    }


def utilisation_by_city(user: Any) -> dict[str, Any]:
    """Instrument utilisation over the last ``UTILISATION_DAYS`` days by city, from the labs' own
    selector (used hours / open hours). It replays every booking, so the result is cached for
    ``UTILISATION_CACHE_SECONDS`` per day and state of the visible instruments (their ids, and the
    count and latest change of their bookings, blackouts and opening hours)."""
    from corridor.labs.models import Blackout, Booking, Instrument, OpeningPeriod
    from corridor.labs.periods import utilisation_window
    from corridor.labs.selectors import utilisation

    instruments = Instrument.objects.restrict(user, VIEW).order_by()
    ids = sorted(instruments.values_list("pk", flat=True))
    end = timezone.localdate()
    # The key changes with any change to the instruments, their bookings, blackouts or opening hours.
    fingerprint = [
        Instrument.objects.filter(pk__in=ids).aggregate(n=Count("pk"), last=Max("updated")),
        Booking.objects.filter(instrument_id__in=ids).aggregate(n=Count("pk"), top=Max("pk"), last=Max("updated")),
        Blackout.objects.filter(instrument_id__in=ids).aggregate(n=Count("pk"), top=Max("pk")),
        OpeningPeriod.objects.filter(instrument_id__in=ids).aggregate(n=Count("pk"), top=Max("pk")),
    ]
    digest = hashlib.sha256(f"{ids}|{fingerprint}".encode()).hexdigest()
    key = f"insights:utilisation:{get_language()}:{end.isoformat()}:{UTILISATION_DAYS}:{digest}"
    cached = cache.get(key)
    if cached is not None:
        return dict(cached)
    start, finish = utilisation_window(end - dt.timedelta(days=UTILISATION_DAYS - 1), end)
    total, rows = utilisation(start=start, end=finish, group_by="city", instruments=Instrument.objects.filter(pk__in=ids))
    result = {
        "days": UTILISATION_DAYS,
        "utilisation": float(total.utilisation),
        "rows": [
            {"city": r.label, "instruments": len(r.instruments), "open_hours": round(float(r.open_hours), 2),
             "used_hours": round(float(r.used_hours), 2), "utilisation": float(r.utilisation), "bookings": r.bookings}
            for r in rows
        ],
    }
    cache.set(key, result, UTILISATION_CACHE_SECONDS)
    return result


def supply_demand_balance(user: Any, levels: IndustryLevels | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Open demands against the region's capable resources, per GB/T 4754 division and per
    strategic-emerging-industry category; and the gaps, industry by industry.

    A resource is capable when it is not marked unavailable. An open demand (published or in
    negotiation) is answerable through one of its industry tags when some capable resource is
    tagged with the same industry, with one of its ancestors (a broader capability) or with one
    of its descendants. A demand counts under every division (category) its tags fall in, and is
    answerable there when one of its tags in that division is. A gap is a tagged industry with
    open demands and no capable resource at all (卡脖子 candidate).

    Returns (balance rows, gap rows).
    """
    levels = levels or industry_levels()
    resource_tags = _resource_tags(user, status__in=[ResourceStatus.AVAILABLE, ResourceStatus.LIMITED])
    demand_tags = _demand_tags(user, status__in=OPEN_DEMAND)
    tagged: set[int] = {industry_id for _r, _c, industry_id in resource_tags}
    covered: set[int] = set()  # resource tags and their ancestors
    for industry_id in tagged:
        covered.update(levels.lineage(industry_id))
    resources_in: dict[tuple[str, str], set[int]] = defaultdict(set)
    cities_in: dict[tuple[str, str], set[int]] = defaultdict(set)
    for res_id, city_id, industry_id in resource_tags:
        scheme = levels.info[industry_id][0]
        code = (levels.division_of if scheme == IndustryScheme.GBT4754 else levels.sei_of).get(industry_id)
        if code:
            resources_in[(scheme, code)].add(res_id)
            cities_in[(scheme, code)].add(city_id)

    def answered(industry_id: int) -> bool:
        return industry_id in covered or any(a in tagged for a in levels.lineage(industry_id))

    open_in: dict[tuple[str, str], set[int]] = defaultdict(set)
    answerable_in: dict[tuple[str, str], set[int]] = defaultdict(set)
    gap_demands: dict[int, set[int]] = defaultdict(set)
    for demand_id, _city, industry_id in demand_tags:
        scheme = levels.info[industry_id][0]
        code = (levels.division_of if scheme == IndustryScheme.GBT4754 else levels.sei_of).get(industry_id)
        ok = answered(industry_id)
        if code:
            open_in[(scheme, code)].add(demand_id)
            if ok:
                answerable_in[(scheme, code)].add(demand_id)
        if not ok:
            gap_demands[industry_id].add(demand_id)

    rows: list[dict[str, Any]] = []
    for key in set(open_in) | set(resources_in):
        scheme, code = key
        open_n, answerable = len(open_in.get(key, ())), len(answerable_in.get(key, ()))
        rows.append({
            "scheme": scheme, "code": code, "name": levels.name(scheme, code),
            "open_demands": open_n, "answerable": answerable, "unanswered": open_n - answerable,
            "resources": len(resources_in.get(key, ())), "resource_cities": len(cities_in.get(key, ())),
            "gap": bool(open_n and not answerable),
        })
    rows.sort(key=lambda r: (r["scheme"] != IndustryScheme.GBT4754, -r["open_demands"], r["code"]))
    gaps: list[dict[str, Any]] = []
    for industry_id, ids in gap_demands.items():
        scheme, code, name = levels.info[industry_id]
        top = (levels.division_of if scheme == IndustryScheme.GBT4754 else levels.sei_of).get(industry_id, "")
        gaps.append({"scheme": scheme, "code": code, "name": name, "division": top, "division_name": levels.name(scheme, top) if top else "",
                     "open_demands": len(ids), "resources": 0})
    gaps.sort(key=lambda r: (-r["open_demands"], r["scheme"], r["code"]))
    return rows, gaps


# Homogeneous competition ----------------------------------------------------------------------


def city_profiles(user: Any, levels: IndustryLevels | None = None) -> tuple[dict[int, dict[str, float]], list[dict[str, Any]]]:
    """Each city's weighted industry vector over GB/T 4754 divisions, and its parts as rows."""
    levels = levels or industry_levels()
    parts: dict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    for (city_id, code), ids in _by_level(_organisation_tags(user), levels.division_of).items():
        parts[(city_id, code)]["organisations"] += len(ids)
    for (city_id, code), ids in _by_level(_resource_tags(user), levels.division_of).items():
        parts[(city_id, code)]["resources"] += len(ids)
    demand_tags = _demand_tags(user, status__in=[*OPEN_DEMAND, *IN_PROGRESS_DEMAND, *MET_DEMAND])
    for (city_id, code), ids in _by_level(demand_tags, levels.division_of).items():
        parts[(city_id, code)]["demands"] += len(ids)
    contract_rows = (
        visible_contracts(user).filter(industry__isnull=False)
        .values_list("industry_id", "seller__city_id", "buyer__city_id")
        .annotate(n=Count("pk"))
        .values_list("industry_id", "seller__city_id", "buyer__city_id", "n")
    )
    for industry_id, seller_city, buyer_city, n in contract_rows:
        division = levels.division_of.get(industry_id)
        if division is None:
            continue
        for city_id in {seller_city, buyer_city} - {None}:
            parts[(city_id, division)]["transactions"] += n
    vectors: dict[int, dict[str, float]] = defaultdict(dict)
    rows = []
    for (city_id, code), counter in parts.items():
        weight = sum(PROFILE_WEIGHTS[k] * v for k, v in counter.items())
        if weight <= 0:
            continue
        vectors[city_id][code] = weight
        rows.append({"city_id": city_id, "code": code, **{k: counter.get(k, 0) for k in PROFILE_WEIGHTS}, "weight": weight})
    return dict(vectors), rows


def competition(user: Any, *, min_weight: float = 3.0, top_pairs: int = 15) -> dict[str, Any]:
    """City profiles, pairwise cosine similarity (heatmap) and Krugman index, location quotients,
    the most overlapping pairs with the industries they compete in, and complementarity suggestions.

    Cities whose profile weighs less than ``min_weight`` in total are left out (too little data
    for a meaningful profile).
    """
    levels = industry_levels()
    places = cities()
    vectors, part_rows = city_profiles(user, levels)
    kept = sorted((c for c, v in vectors.items() if sum(v.values()) >= min_weight and c in places), key=lambda c: places[c].code)
    keys = [places[c].code for c in kept]
    matrix = {places[c].code: vectors[c] for c in kept}
    names = {places[c].code: places[c].name for c in kept}

    heat = [[round(indices.cosine(matrix[a], matrix[b]), 4) for b in keys] for a in keys]
    pair_rows: list[dict[str, Any]] = []
    for a, b in indices.pairs(keys):
        shared = indices.shared_industries(matrix[a], matrix[b], limit=3)
        pair_rows.append({
            "city_a": names[a], "code_a": a, "city_b": names[b], "code_b": b,
            "cosine": round(indices.cosine(matrix[a], matrix[b]), 4),
            "krugman": round(indices.krugman(matrix[a], matrix[b]), 4),
            "industries": "、".join(f"{code} {levels.name(IndustryScheme.GBT4754, code)}" for code, _s in shared),
        })
    pair_rows.sort(key=lambda r: (-r["cosine"], r["code_a"], r["code_b"]))

    lq = indices.location_quotients(matrix)
    lq_rows = []
    for code in keys:
        total = sum(matrix[code].values())
        for ind, weight in sorted(matrix[code].items()):
            lq_rows.append({
                "city": names[code], "city_code": code, "industry_code": ind, "industry": levels.name(IndustryScheme.GBT4754, ind),
                "weight": weight, "share": round(weight / total, 4), "lq": round(lq[code].get(ind, 0.0), 4),
            })
    profile_rows = [
        {"city": places[r["city_id"]].name, "city_code": places[r["city_id"]].code, "industry_code": r["code"],
         "industry": levels.name(IndustryScheme.GBT4754, r["code"]),
         **{k: r[k] for k in PROFILE_WEIGHTS}, "weight": r["weight"]}
        for r in part_rows if r["city_id"] in places
    ]
    profile_rows.sort(key=lambda r: (r["city_code"], r["industry_code"]))
    return {
        "weights": dict(PROFILE_WEIGHTS),
        "heatmap": {"cities": [names[k] for k in keys], "codes": keys, "z": heat},
        "pairs": pair_rows,
        "top_pairs": pair_rows[:top_pairs],
        "location_quotients": lq_rows,
        "profiles": profile_rows,
        "complements": complements(user, levels, places),
    }


def complements(user: Any, levels: IndustryLevels, places: dict[int, CityInfo], limit: int = 20) -> list[dict[str, Any]]:
    """Where one city's capable resources meet another city's open demands in the same division:
    (supply city, demand city, division) with the numbers on each side, strongest first."""
    supply = _by_level(_resource_tags(user, status__in=[ResourceStatus.AVAILABLE, ResourceStatus.LIMITED]), levels.division_of)
    need = _by_level(_demand_tags(user, status__in=OPEN_DEMAND), levels.division_of)
    supply_by_code: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for (city_id, code), ids in supply.items():
        supply_by_code[code].append((city_id, len(ids)))
    rows: list[dict[str, Any]] = []
    for (demand_city, code), ids in need.items():
        for supply_city, n_res in supply_by_code.get(code, ()):
            if supply_city == demand_city or supply_city not in places or demand_city not in places:
                continue
            rows.append({
                "supply_city": places[supply_city].name, "supply_code": places[supply_city].code,
                "demand_city": places[demand_city].name, "demand_code": places[demand_city].code,
                "industry_code": code, "industry": levels.name(IndustryScheme.GBT4754, code),
                "resources": n_res, "open_demands": len(ids),
            })
    rows.sort(key=lambda r: (-min(r["resources"], r["open_demands"]), -r["open_demands"], -r["resources"], r["supply_code"], r["demand_code"], r["industry_code"]))
    return rows[:limit]


# Cooperation flows ----------------------------------------------------------------------------


SHANGHAI_PROVINCE = "上海市"
JIANGSU_PROVINCE = "江苏省"


def flows(user: Any) -> dict[str, Any]:
    """City-to-city flows: cooperation items R&D city → production city, transactions seller →
    buyer; the share of "R&D in Shanghai, production in Jiangsu" items; radiation beyond the core
    corridor. An item's contract value is split evenly over its R&D → production edges."""
    places = cities()
    parties: dict[int, dict[str, Any]] = {}
    party_rows = CooperationParty.objects.filter(item_id__in=visible_items(user).values("pk")).values_list(
        "item_id", "role", "organization__city_id", "organization__country", "item__contract_value"
    )
    for item_id, role, city_id, country, value in party_rows:
        entry = parties.setdefault(item_id, {"rd": set(), "production": set(), "all": set(), "abroad": set(), "value": value or ZERO})
        if country and country.upper() != "CN":
            entry["abroad"].add(country.upper())
            continue
        if city_id is None:
            continue
        entry["all"].add(city_id)
        if role in RD_ROLES:
            entry["rd"].add(city_id)
        elif role == PartyRole.PRODUCTION:
            entry["production"].add(city_id)

    coop_edges: dict[tuple[int, int], dict[str, Any]] = {}
    directed = sh_js = 0
    radiation: dict[str, dict[str, Any]] = {}

    def outside(place: str, reach: str) -> dict[str, Any]:
        return radiation.setdefault(place, {"place": place, "reach": reach, "reach_label": str(Reach(reach).label),
                                            "cooperation_items": 0, "transactions": 0, "amount": ZERO})

    for entry in parties.values():
        pairs_ = [(a, b) for a in sorted(entry["rd"]) for b in sorted(entry["production"]) if a != b and a in places and b in places]
        if pairs_:
            directed += 1
            if any(places[a].province == SHANGHAI_PROVINCE and places[b].province == JIANGSU_PROVINCE for a, b in pairs_):
                sh_js += 1
            share = entry["value"] / len(pairs_)
            for a, b in pairs_:
                edge = coop_edges.setdefault((a, b), {"count": 0, "value": ZERO})
                edge["count"] += 1
                edge["value"] += share
        for city_id in entry["all"]:
            info = places.get(city_id)
            if info is not None and info.corridor != "core":
                outside(info.name, reach_of("CN", info.corridor, True))["cooperation_items"] += 1
        for country in entry["abroad"]:
            outside(country, Reach.INTERNATIONAL)["cooperation_items"] += 1

    trans_edges: dict[tuple[int, int], dict[str, Any]] = {}
    rows = (
        visible_contracts(user)
        .values_list("seller__city_id", "seller__country", "buyer__city_id", "buyer__country")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .values_list("seller__city_id", "seller__country", "buyer__city_id", "buyer__country", "n", "amount")
    )
    for s_city, s_country, b_city, b_country, n, amount in rows:
        amount = amount or ZERO
        ends: list[tuple[str, str]] = []
        for city_id, country in ((s_city, s_country), (b_city, b_country)):
            if country and country.upper() != "CN":
                ends.append((country.upper(), Reach.INTERNATIONAL))
            elif city_id in places:
                info = places[city_id]
                ends.append((info.name, reach_of("CN", info.corridor, True)))
            else:
                ends.append((_("elsewhere in China"), Reach.DOMESTIC))
        for place, reach in {e for e in ends if e[1] != Reach.CORRIDOR}:
            slot = outside(place, reach)
            slot["transactions"] += n
            slot["amount"] += amount
        domestic = (s_country or "CN").upper() == "CN" and (b_country or "CN").upper() == "CN"
        if domestic and s_city in places and b_city in places and s_city != b_city:
            edge = trans_edges.setdefault((s_city, b_city), {"count": 0, "amount": ZERO})
            edge["count"] += n
            edge["amount"] += amount

    used = {c for pair in [*coop_edges, *trans_edges] for c in pair}
    city_rows = [
        {"city": places[c].name, "code": places[c].code, "lon": places[c].lon, "lat": places[c].lat, "corridor": places[c].corridor}
        for c in sorted(used | {c for c, i in places.items() if i.corridor == "core"}, key=lambda c: places[c].code)
    ]

    def edge_row(pair: tuple[int, int], data: dict[str, Any], money: str) -> dict[str, Any]:
        a, b = places[pair[0]], places[pair[1]]
        return {"from_city": a.name, "from_code": a.code, "to_city": b.name, "to_code": b.code,
                "from_lon": a.lon, "from_lat": a.lat, "to_lon": b.lon, "to_lat": b.lat,
                "count": data["count"], money: data[money].quantize(Decimal("0.01"))}

    cooperation = sorted((edge_row(p, d, "value") for p, d in coop_edges.items()), key=lambda r: (-r["count"], -r["value"], r["from_code"], r["to_code"]))
    transactions = sorted((edge_row(p, d, "amount") for p, d in trans_edges.items()), key=lambda r: (-r["amount"], r["from_code"], r["to_code"]))
    return {
        "summary": {
            "cooperation_items": len(parties),
            "rd_to_production_items": directed,
            "shanghai_rd_jiangsu_production": sh_js,
            "shanghai_jiangsu_share": _ratio(sh_js, directed),
            "transactions": sum(r["count"] for r in transactions),
            "transaction_amount": sum((r["amount"] for r in transactions), ZERO),
            "radiation_places": len(radiation),
        },
        "cities": city_rows,
        "cooperation_edges": cooperation,
        "transaction_edges": transactions,
        "radiation": sorted(radiation.values(), key=lambda r: (-r["amount"], -r["cooperation_items"], r["place"])),
    }
