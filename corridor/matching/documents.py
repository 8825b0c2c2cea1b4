"""How database objects become engine documents, and which queries describe them.

A resource is a body of evidence: its description plus achievements, patents, equipment and team
entries, each scored on its own as well. A confidential demand contributes only what everyone may
read (title, public summary, industries), so its details can never surface in someone else's
results or explanations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

from corridor.lists.models import Demand, Resource
from corridor.matching.choices import IndexKind


def _industry_names(obj: Any) -> str:
    return " ".join(i.name for i in obj.industries.all())


def resource_document(r: Resource) -> dict[str, Any]:
    return {
        "title": r.name,
        "body": r.description,
        "meta": f"{r.get_kind_display()} {r.owner.name} {_industry_names(r)}",
        "entries": [f"{e.title} {e.text} {e.reference}".strip() for e in r.evidence.all()],
    }


def demand_document(d: Demand) -> dict[str, Any]:
    body = d.summary if d.is_confidential else d.description
    return {"title": d.title, "body": body, "meta": f"{d.owner.name} {_industry_names(d)}"}


def manager_document(m: Any) -> dict[str, Any]:
    return {"title": str(m.user), "body": m.expertise, "meta": _industry_names(m)}


def demand_query(d: Demand, *, full: bool) -> str:
    """The text a demand searches with; ``full`` only for readers who may see its details."""
    body = d.description if (full or not d.is_confidential) else d.summary
    return f"{d.title}\n{body}\n{_industry_names(d)}"


def resource_query(r: Resource) -> str:
    evidence = " ".join(e.title for e in r.evidence.all())
    return f"{r.name}\n{r.description}\n{evidence}\n{_industry_names(r)}"


@dataclass(frozen=True)
class IndexSpec:
    kind: str
    queryset: Callable[[], models.QuerySet]
    document: Callable[[Any], dict[str, Any]]


def _managers_qs() -> models.QuerySet:
    from corridor.brokers.models import TechnologyManager

    return TechnologyManager.objects.filter(active=True).select_related("user").prefetch_related("industries")


SPECS: dict[str, IndexSpec] = {
    IndexKind.RESOURCES: IndexSpec(
        IndexKind.RESOURCES,
        lambda: Resource.objects.select_related("owner").prefetch_related("industries", "evidence"),
        resource_document,
    ),
    IndexKind.DEMANDS: IndexSpec(
        IndexKind.DEMANDS,
        lambda: Demand.objects.select_related("owner").prefetch_related("industries"),
        demand_document,
    ),
    IndexKind.MANAGERS: IndexSpec(IndexKind.MANAGERS, _managers_qs, manager_document),
}


def documents(kind: str, ids: Iterable[int] | None = None, *, chunk: int = 500) -> Iterable[tuple[str, dict[str, Any]]]:
    spec = SPECS[kind]
    qs = spec.queryset().order_by("pk")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    for obj in qs.iterator(chunk_size=chunk):
        yield str(obj.pk), spec.document(obj)
