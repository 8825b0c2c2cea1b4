"""Ranked, explained matches: demand → resources, resource → demands, demand → technology managers,
and free text → anything. Text relevance comes from the engine; structured signals (industry
overlap, TRL fit, region, openness, recency) are added on top, each reported with its contribution.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corridor.core.permissions import VIEW, is_operator
from corridor.lists.choices import OpenTo, ResourceStatus
from corridor.lists.models import Demand, Resource
from corridor.matching.choices import IndexKind
from corridor.matching.documents import demand_query, resource_query
from corridor.matching.engine import Hit
from corridor.matching.registry import registry
from corridor.regions.models import Industry

DEFAULT_WEIGHTS: dict[str, float] = {
    "industry": 0.30,  # overlap of industry codes (with their ancestors)
    "trl": 0.10,  # the demand's desired TRL inside the resource's range
    "same_city": 0.03,
    "corridor": 0.05,  # the candidate sits in a corridor city
    "cross_region": 0.02,  # the candidate is in another city: the corridor exists for that
    "openness": 0.05,
    "recency": 0.03,
}

SIGNAL_LABELS = {
    "text": _("Text relevance"),
    "industry": _("Industry overlap"),
    "trl": _("TRL fit"),
    "same_city": _("Same city"),
    "corridor": _("In the corridor"),
    "cross_region": _("Cross-region"),
    "openness": _("Openness and status"),
    "recency": _("Recently updated"),
}


def weights() -> dict[str, float]:
    return {**DEFAULT_WEIGHTS, **getattr(settings, "CORRIDOR_MATCHING_WEIGHTS", {})}


@dataclass
class Match:
    kind: str
    obj: Any
    score: float
    text_score: float
    signals: dict[str, float] = field(default_factory=dict)
    matched_terms: list[tuple[str, float]] = field(default_factory=list)

    @property
    def terms(self) -> list[str]:
        return [t for t, _c in self.matched_terms]


# Structured signals ---------------------------------------------------------------------------


def _industry_closure(model: Any, ids: list[int]) -> dict[int, set[int]]:
    """The industries of each ``model`` object in ``ids`` and all their ancestors, read from the m2m
    table with the parents joined: one query instead of model instances per level."""
    out: dict[int, set[int]] = {pk: set() for pk in ids}
    if not ids:
        return out
    m2m = model._meta.get_field("industries")
    column = f"{m2m.m2m_field_name()}_id"
    up = ["industry_id", "industry__parent_id", "industry__parent__parent_id", "industry__parent__parent__parent_id"]
    rows = m2m.remote_field.through.objects.filter(**{f"{column}__in": ids}).values_list(column, *up, "industry__parent__parent__parent__parent_id")
    pending: dict[int, set[int]] = {}  # an ancestor whose own parent is not known yet -> objects it belongs to
    for owner, *chain in rows:
        out[owner].update(x for x in chain if x is not None)
        if chain[-1] is not None:  # deeper than the joins reach (the demo's schemes have 4 levels at most)
            pending.setdefault(chain[-1], set()).add(owner)
    while pending:
        parents = dict(Industry.objects.filter(pk__in=list(pending)).values_list("pk", "parent_id"))
        deeper: dict[int, set[int]] = {}
        for pk, owners in pending.items():
            parent = parents.get(pk)
            if parent is not None:
                for owner in owners:
                    out[owner].add(parent)
                deeper.setdefault(parent, set()).update(owners)
        pending = deeper
    return out


@dataclass(frozen=True)
class _Facts:
    """The columns a signal reads of a candidate or of its city (from values(), not model instances)."""

    pk: int
    corridor: str = ""
    status: str = ""
    open_to: str = ""


def _city_facts(pk: int | None, corridor: str | None) -> _Facts | None:
    return None if pk is None else _Facts(pk, corridor=corridor or "")


def industry_overlap(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def trl_fit(desired: int | None, low: int | None, high: int | None) -> float:
    if desired is None or low is None or high is None:
        return 0.0
    if low <= desired <= high:
        return 1.0
    distance = low - desired if desired < low else desired - high
    return max(0.0, 1.0 - 0.34 * distance)


def recency(updated: Any) -> float:
    if updated is None:
        return 0.0
    days = max((timezone.now() - updated).days, 0)
    return math.exp(-days / 365.0)


def _region(source_city: Any, target_city: Any) -> dict[str, float]:
    out: dict[str, float] = {}
    if target_city is None:
        return out
    if target_city.corridor:
        out["corridor"] = 1.0
    if source_city is not None:
        if source_city.pk == target_city.pk:
            out["same_city"] = 1.0
        else:
            out["cross_region"] = 1.0
    return out


def _openness(r: Resource | _Facts) -> float:
    weights: dict[str, float] = {ResourceStatus.AVAILABLE: 1.0, ResourceStatus.LIMITED: 0.3, ResourceStatus.UNAVAILABLE: -3.0}
    value = weights.get(r.status, 0.0)
    if r.open_to == OpenTo.PARTNERS:
        value -= 0.5
    return value


def _weighted(raw: Mapping[str, float]) -> dict[str, float]:
    w = weights()
    return {k: v * w.get(k, 0.0) for k, v in raw.items() if v}


# Core ranking ---------------------------------------------------------------------------------


def _rank(
    kind: str,
    query: str,
    *,
    allowed: Iterable[int] | None,
    limit: int,
    signals_for: Any = None,
    exclude: set[int] | None = None,
) -> list[tuple[Hit, dict[str, float]]]:
    allowed_ids = None if allowed is None else [str(i) for i in allowed if not exclude or i not in exclude]
    if allowed_ids is not None and not allowed_ids:
        return []
    # The engine is not thread-safe (a search may compact the index): one search at a time per process.
    with registry.lock:
        pool = registry.engine(kind).search(query, k=max(limit * 4, 40), allowed_ids=allowed_ids, explain=False)
    if exclude:
        pool = [h for h in pool if int(h.doc_id) not in exclude]
    if not pool:
        return []
    raw: dict[str, dict[str, float]] = signals_for([int(h.doc_id) for h in pool]) if signals_for else {}
    boosts = {doc_id: _weighted(values) for doc_id, values in raw.items()}
    with registry.lock:
        hits = registry.engine(kind).search(query, k=limit, allowed_ids=[h.doc_id for h in pool], boosts=boosts, explain=True)
    return [(h, boosts.get(h.doc_id, {})) for h in hits]


def _matches(kind: str, model: Any, ranked: list[tuple[Hit, dict[str, float]]], related: Iterable[str] = ()) -> list[Match]:
    objs = model.objects.select_related(*related).in_bulk([int(h.doc_id) for h, _b in ranked])
    out = []
    for hit, boosts in ranked:
        obj = objs.get(int(hit.doc_id))
        if obj is None:
            continue
        text = hit.score - sum(boosts.values())
        signals = {"text": round(text, 4), **{k: round(v, 4) for k, v in boosts.items()}}
        out.append(Match(kind, obj, round(hit.score, 4), round(hit.text_score, 4), signals, readable_terms(hit.matched_terms)))
    return out


def readable_terms(terms: list[tuple[str, float]], limit: int = 12) -> list[tuple[str, float]]:
    """Terms worth showing a person: words and n-grams, not single Chinese characters; longest
    terms first among equals, and no term that is only a piece of a longer term already shown."""
    shown: list[tuple[str, float]] = []
    for term, contribution in sorted(terms, key=lambda tc: (-tc[1] * min(len(tc[0]), 4), -len(tc[0]))):
        if len(term) < 2 and not term.isascii():
            continue
        if any(term in longer for longer, _c in shown):
            continue
        shown.append((term, contribution))
        if len(shown) == limit:
            break
    return shown


def _visible_ids(model: Any, user: Any) -> list[int] | None:
    if is_operator(user):
        return None
    return list(model.objects.restrict(user, VIEW).values_list("pk", flat=True))


def resources_for_demand(demand: Demand, user: Any, *, limit: int = 10) -> list[Match]:
    full = demand.details_visible_to(user)
    demand_ind = _industry_closure(Demand, [demand.pk])[demand.pk]

    def signals_for(ids: list[int]) -> dict[str, dict[str, float]]:
        out = {}
        closure = _industry_closure(Resource, ids)
        columns = ("pk", "trl_min", "trl_max", "status", "open_to", "updated", "city_id", "city__corridor")
        for r in Resource.objects.filter(pk__in=ids).order_by().values(*columns):
            values = {
                "industry": industry_overlap(demand_ind, closure[r["pk"]]),
                "trl": trl_fit(demand.trl_desired, r["trl_min"], r["trl_max"]),
                "openness": _openness(_Facts(r["pk"], status=r["status"], open_to=r["open_to"])),
                "recency": recency(r["updated"]),
                **_region(demand.city, _city_facts(r["city_id"], r["city__corridor"])),
            }
            out[str(r["pk"])] = values
        return out

    ranked = _rank(IndexKind.RESOURCES, demand_query(demand, full=full), allowed=_visible_ids(Resource, user), limit=limit, signals_for=signals_for)
    return _matches(IndexKind.RESOURCES, Resource, ranked, ("owner", "city"))


def demands_for_resource(resource: Resource, user: Any, *, limit: int = 10) -> list[Match]:
    res_ind = _industry_closure(Resource, [resource.pk])[resource.pk]

    def signals_for(ids: list[int]) -> dict[str, dict[str, float]]:
        out = {}
        closure = _industry_closure(Demand, ids)
        for d in Demand.objects.filter(pk__in=ids).order_by().values("pk", "trl_desired", "updated", "city_id", "city__corridor"):
            out[str(d["pk"])] = {
                "industry": industry_overlap(res_ind, closure[d["pk"]]),
                "trl": trl_fit(d["trl_desired"], resource.trl_min, resource.trl_max),
                "recency": recency(d["updated"]),
                **_region(resource.city, _city_facts(d["city_id"], d["city__corridor"])),
            }
        return out

    visible = Demand.objects.restrict(user, VIEW).exclude(status__in=["solved", "closed"]).values_list("pk", flat=True)
    ranked = _rank(IndexKind.DEMANDS, resource_query(resource), allowed=list(visible), limit=limit, signals_for=signals_for)
    return _matches(IndexKind.DEMANDS, Demand, ranked, ("owner", "city"))


def managers_for_demand(demand: Demand, user: Any, *, limit: int = 10) -> list[Match]:
    from corridor.brokers.models import TechnologyManager

    demand_ind = _industry_closure(Demand, [demand.pk])[demand.pk]

    def signals_for(ids: list[int]) -> dict[str, dict[str, float]]:
        out = {}
        closure = _industry_closure(TechnologyManager, ids)
        for m in TechnologyManager.objects.filter(pk__in=ids).order_by().values("pk", "city_id", "city__corridor"):
            out[str(m["pk"])] = {
                "industry": industry_overlap(demand_ind, closure[m["pk"]]),
                **_region(demand.city, _city_facts(m["city_id"], m["city__corridor"])),
            }
        return out

    ranked = _rank(
        IndexKind.MANAGERS, demand_query(demand, full=demand.details_visible_to(user)), allowed=None, limit=limit, signals_for=signals_for
    )
    return _matches(IndexKind.MANAGERS, TechnologyManager, ranked, ("user", "city"))


def search(query: str, user: Any, *, kinds: Iterable[str] = (IndexKind.RESOURCES, IndexKind.DEMANDS), limit: int = 10) -> list[Match]:
    """Free-text search over resources and demands (资源导航), merged by score."""
    from corridor.matching.documents import SPECS

    query = (query or "").strip()[:500]
    if not query:
        return []
    models: dict[str, type[Resource] | type[Demand]] = {IndexKind.RESOURCES: Resource, IndexKind.DEMANDS: Demand}
    out: list[Match] = []
    for kind in kinds:
        model = models.get(kind)
        if model is None or kind not in SPECS:
            continue
        ranked = _rank(kind, query, allowed=_visible_ids(model, user), limit=limit)
        out.extend(_matches(kind, model, ranked, ("owner", "city")))
    # Raw BM25 scores of different indexes do not compare; the normalised score (best of each = 1) does.
    out.sort(key=lambda m: -m.score)
    return out[:limit]
