"""JSON API of matching: ranked, explained matches and free-text search, with the lists' permissions."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from corridor.api.crud import ERRORS_READ, ERRORS_WRITE, Id, InSchema, get_visible
from corridor.lists.models import Demand, Resource
from corridor.matching import selectors, services
from corridor.matching.choices import FeedbackStatus, IndexKind
from corridor.matching.selectors import SIGNAL_LABELS, Match

router = Router(tags=["matching"])

Limit = Annotated[int, Field(10, ge=1, le=100)]


class TermOut(Schema):
    term: str
    contribution: float


class MatchOut(Schema):
    kind: str = Field(description="resources, demands or managers")
    id: int
    title: str
    url: str
    owner: str | None
    city: str | None
    score: float = Field(description="Comparable score: text relevance (best = 1) plus structured signals")
    text_score: float = Field(description="Raw BM25 fusion score")
    signals: dict[str, float] = Field(description="Contribution of each signal to the score")
    matched_terms: list[TermOut]
    explanation: str


class MatchPage(Schema):
    items: list[MatchOut]
    count: int


def _title(obj: Any) -> str:
    return getattr(obj, "title", None) or getattr(obj, "name", None) or str(obj)


_DETAIL_URLS: dict[str, str] = {IndexKind.RESOURCES: "lists:resource_detail", IndexKind.DEMANDS: "lists:demand_detail"}
_SENTINEL = 987654321987


def _url(m: Match, templates: dict[str, str | None] | None = None) -> str:
    name = _DETAIL_URLS.get(m.kind)
    if name is None:
        return ""
    if templates is None:
        return reverse(name, args=[m.obj.pk])
    # One reverse() per kind and page (it costs ~0.3 ms): the URL of a sentinel id, with the id put in.
    if m.kind not in templates:
        url = reverse(name, args=[_SENTINEL])
        templates[m.kind] = url if url.count(str(_SENTINEL)) == 1 else None
    template = templates[m.kind]
    return reverse(name, args=[m.obj.pk]) if template is None else template.replace(str(_SENTINEL), str(m.obj.pk))


def explain(m: Match, labels: dict[str, str] | None = None) -> str:
    """Matched terms, then the structured signals by weight. ``labels``: SIGNAL_LABELS already
    translated (a page passes them once instead of translating every label of every match)."""
    labels = labels if labels is not None else {k: str(v) for k, v in SIGNAL_LABELS.items()}
    parts = []
    if m.terms:
        parts.append("、".join(m.terms[:6]))
    for name, value in sorted(m.signals.items(), key=lambda kv: -abs(kv[1])):
        if name != "text" and value:
            parts.append(f"{labels.get(name, name)} {value:+.2f}")
    return "; ".join(str(p) for p in parts)


def serialize(m: Match, labels: dict[str, str] | None = None, templates: dict[str, str | None] | None = None) -> dict[str, Any]:
    owner = getattr(m.obj, "owner", None) or getattr(m.obj, "organization", None)
    city = getattr(m.obj, "city", None)
    return {
        "kind": m.kind,
        "id": m.obj.pk,
        "title": _title(m.obj),
        "url": _url(m, templates),
        "owner": str(owner) if owner else None,
        "city": str(city) if city else None,
        "score": m.score,
        "text_score": m.text_score,
        "signals": m.signals,
        "matched_terms": [{"term": t, "contribution": round(c, 4)} for t, c in m.matched_terms],
        "explanation": explain(m, labels),
    }


def _page(matches: list[Match]) -> dict[str, Any]:
    labels = {k: str(v) for k, v in SIGNAL_LABELS.items()}
    templates: dict[str, str | None] = {}
    return {"items": [serialize(m, labels, templates) for m in matches], "count": len(matches)}


@router.get("/demands/{demand_id}/matches", response={200: MatchPage, **ERRORS_READ}, summary="Resources that could answer a demand")
def demand_matches(request: HttpRequest, demand_id: Id, limit: Limit = 10) -> Any:
    demand = get_visible(Demand.objects.select_related("owner", "city"), demand_id, request.user)
    return _page(selectors.resources_for_demand(demand, request.user, limit=limit))


@router.get("/demands/{demand_id}/managers", response={200: MatchPage, **ERRORS_READ}, summary="Technology managers for a demand")
def demand_managers(request: HttpRequest, demand_id: Id, limit: Limit = 10) -> Any:
    demand = get_visible(Demand.objects.select_related("owner", "city"), demand_id, request.user)
    return _page(selectors.managers_for_demand(demand, request.user, limit=limit))


@router.get("/resources/{resource_id}/matches", response={200: MatchPage, **ERRORS_READ}, summary="Demands a resource could serve")
def resource_matches(request: HttpRequest, resource_id: Id, limit: Limit = 10) -> Any:
    resource = get_visible(Resource.objects.select_related("owner", "city"), resource_id, request.user)
    return _page(selectors.demands_for_resource(resource, request.user, limit=limit))


class SearchParams(Schema):
    q: Annotated[str, Field(min_length=1, max_length=500, description="What you are looking for, in Chinese or English")]
    kind: Annotated[str | None, Field(None, json_schema_extra={"enum": ["resources", "demands"]})] = None
    limit: Limit = 10


@router.get("/search", response={200: MatchPage, **ERRORS_READ}, summary="Free-text search across resources and demands")
def search(request: HttpRequest, params: Query[SearchParams]) -> Any:
    from django.utils.translation import gettext as _

    from corridor.api.errors import ApiError

    kinds: tuple[str, ...] = (IndexKind.RESOURCES, IndexKind.DEMANDS)
    if params.kind:
        if params.kind not in kinds:
            raise ApiError.field("kind", _("Choose resources or demands."), "invalid_choice")
        kinds = (params.kind,)
    return _page(selectors.search(params.q, request.user, kinds=kinds, limit=params.limit))


class FeedbackIn(InSchema):
    source_kind: Annotated[str, Field(json_schema_extra={"enum": ["demand", "resource"]})]
    source_id: Id
    target_kind: Annotated[str, Field(json_schema_extra={"enum": list(IndexKind.values)})]
    target_id: Id
    status: Annotated[str, Field(json_schema_extra={"enum": list(FeedbackStatus.values)})]
    note: Annotated[str, Field("", max_length=300)] = ""


class FeedbackOut(Schema):
    id: int
    source_kind: str
    source_id: int
    target_kind: str
    target_id: int
    status: str
    note: str


@router.post("/matches/feedback", response={200: FeedbackOut, **ERRORS_WRITE}, summary="Mark a match contacted, accepted or rejected")
def feedback(request: HttpRequest, payload: FeedbackIn) -> Any:
    return services.feedback_mark(user=request.user, **payload.model_dump())
