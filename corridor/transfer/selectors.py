"""Reads for import/export: the rows an export contains, and a person's past imports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from corridor.core.permissions import VIEW, is_operator, restrict
from corridor.transfer.models import ImportRun
from corridor.transfer.specs.base import Spec


def export_queryset(spec: Spec, user: Any, params: Mapping[str, Any] | None = None, *, full_access: bool = False) -> QuerySet:
    """What ``user`` may see of ``spec``'s objects, filtered like the list page with the same ``params``."""
    qs = spec.queryset()
    if not full_access:
        qs = restrict(qs, user, VIEW)
    if spec.filterset_class is not None and params:
        filterset = spec.filterset_class(params, queryset=qs)
        if not filterset.is_valid():
            raise ValidationError({k: [str(m) for m in v] for k, v in filterset.errors.items()})
        qs = filterset.qs
    return qs


def import_runs_for(user: Any) -> QuerySet[ImportRun]:
    qs = ImportRun.objects.select_related("user", "organization")
    if is_operator(user):
        return qs
    return qs.filter(user=user)
