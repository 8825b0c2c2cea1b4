"""Web pages of matching: the matches panel of demands and resources, and resource navigation search."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from corridor.core.permissions import CHANGE, VIEW, can
from corridor.lists.models import Demand, Resource
from corridor.matching import selectors, services
from corridor.matching.api import explain
from corridor.matching.choices import FeedbackStatus, IndexKind
from corridor.matching.models import MatchFeedback
from corridor.matching.selectors import SIGNAL_LABELS, Match

SNIPPET = 160


def highlight(text: str, terms: list[str], *, length: int = SNIPPET) -> SafeString:
    """``text`` cut around the first matched term, escaped, with every matched term in <mark>."""
    text = " ".join((text or "").split())
    terms = sorted({t for t in terms if t and t.strip()}, key=len, reverse=True)
    if not terms:
        return mark_safe(escape(text[:length]) + ("…" if len(text) > length else ""))  # noqa: S308 (escaped above)
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, (first.start() if first else 0) - length // 4)
    piece = text[start : start + length]
    out: list[str] = []
    last = 0
    for m in pattern.finditer(piece):
        out.append(escape(piece[last : m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        last = m.end()
    out.append(escape(piece[last:]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 (every piece escaped)


def _snippet_text(m: Match, user: Any) -> str:
    obj = m.obj
    if isinstance(obj, Demand):
        return obj.description if obj.details_visible_to(user) else obj.summary
    return getattr(obj, "description", "") or getattr(obj, "expertise", "")


def _rows(matches: list[Match], user: Any, feedback: dict[tuple[str, int], str]) -> list[dict[str, Any]]:
    rows = []
    for m in matches:
        signals = [(SIGNAL_LABELS.get(k, k), v) for k, v in sorted(m.signals.items(), key=lambda kv: -abs(kv[1])) if v]
        rows.append(
            {
                "match": m,
                "snippet": highlight(_snippet_text(m, user), m.terms),
                "signals": signals,
                "explanation": explain(m),
                "feedback": feedback.get((m.kind, m.obj.pk)),
            }
        )
    return rows


def _feedback_map(source_kind: str, source_id: int) -> dict[tuple[str, int], str]:
    return {
        (f.target_kind, f.target_id): f.status
        for f in MatchFeedback.objects.filter(source_kind=source_kind, source_id=source_id)
    }


def _get(model: Any, pk: int, user: Any) -> Any:
    obj = model.objects.restrict(user, VIEW).select_related("owner", "city").filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def demand_matches(request: HttpRequest, pk: int) -> HttpResponse:
    demand = _get(Demand, pk, request.user)
    matches = selectors.resources_for_demand(demand, request.user, limit=10)
    managers = selectors.managers_for_demand(demand, request.user, limit=5) if demand.details_visible_to(request.user) else []
    return render(
        request,
        "matching/_matches.html",
        {
            "source_kind": "demand",
            "source": demand,
            "rows": _rows(matches, request.user, _feedback_map("demand", demand.pk)),
            "manager_rows": _rows(managers, request.user, {}),
            "can_mark": can(request.user, CHANGE, demand),
            "statuses": FeedbackStatus.choices,
        },
    )


def resource_matches(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _get(Resource, pk, request.user)
    matches = selectors.demands_for_resource(resource, request.user, limit=10)
    return render(
        request,
        "matching/_matches.html",
        {
            "source_kind": "resource",
            "source": resource,
            "rows": _rows(matches, request.user, _feedback_map("resource", resource.pk)),
            "manager_rows": [],
            "can_mark": can(request.user, CHANGE, resource),
            "statuses": FeedbackStatus.choices,
        },
    )


@require_POST
def feedback(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    data = request.POST
    try:
        source_id = int(data.get("source_id", ""))
        target_id = int(data.get("target_id", ""))
    except ValueError:
        return HttpResponseBadRequest(_("Unknown id."))
    try:
        services.feedback_mark(
            user=request.user,
            source_kind=data.get("source_kind", ""),
            source_id=source_id,
            target_kind=data.get("target_kind", ""),
            target_id=target_id,
            status=data.get("status", ""),
        )
    except ValidationError as exc:
        return HttpResponseBadRequest("; ".join(exc.messages))
    except PermissionDenied:
        raise
    view = demand_matches if data.get("source_kind") == "demand" else resource_matches
    return view(request, source_id)


def search(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:500]
    kind = request.GET.get("kind") or ""
    kinds = (kind,) if kind in (IndexKind.RESOURCES, IndexKind.DEMANDS) else (IndexKind.RESOURCES, IndexKind.DEMANDS)
    matches = selectors.search(query, request.user, kinds=kinds, limit=30) if query else []
    template = "matching/_search_results.html" if request.htmx else "matching/search.html"  # type: ignore[attr-defined]
    return render(request, template, {"q": query, "kind": kind, "rows": _rows(matches, request.user, {})})
