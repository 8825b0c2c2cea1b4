"""Generic, audited writes for tracked models; domain services build on these.

Each function runs inside one transaction and writes the change record in it, so a failed
operation leaves neither the object nor its history half-written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import models, transaction

from corridor.core.history import record_change, snapshot
from corridor.core.models import ChangeAction

M = TypeVar("M", bound=models.Model)


def _apply(obj: models.Model, data: Mapping[str, Any]) -> dict[str, Any]:
    """Set concrete fields from ``data``; return the many-to-many values to set after saving."""
    m2m_names = {f.name for f in obj._meta.many_to_many}
    m2m: dict[str, Any] = {}
    for key, value in data.items():
        if key in m2m_names:
            m2m[key] = value
        else:
            setattr(obj, key, value)
    return m2m


def object_create(
    model: type[M],
    *,
    user: Any,
    data: Mapping[str, Any],
    source: str = "web",
    after_save: Callable[[M], None] | None = None,
) -> M:
    with transaction.atomic():
        obj = model()
        m2m = _apply(obj, data)
        obj.full_clean(exclude=list(m2m))
        obj.save()
        for name, value in m2m.items():
            getattr(obj, name).set(value)
        if after_save is not None:
            after_save(obj)
        record_change(obj, ChangeAction.CREATE, user=user, source=source)
    return obj


def object_update(
    obj: M,
    *,
    user: Any,
    data: Mapping[str, Any],
    source: str = "web",
    after_save: Callable[[M], None] | None = None,
) -> M:
    with transaction.atomic():
        before = snapshot(obj)
        m2m = _apply(obj, data)
        obj.full_clean(exclude=list(m2m))
        obj.save()
        for name, value in m2m.items():
            getattr(obj, name).set(value)
        if after_save is not None:
            after_save(obj)
        record_change(obj, ChangeAction.UPDATE, user=user, before=before, source=source)
    return obj


def object_delete(obj: models.Model, *, user: Any, source: str = "web") -> None:
    with transaction.atomic():
        before = snapshot(obj)
        pk = obj.pk
        record_change(obj, ChangeAction.DELETE, user=user, before=before, source=source)
        obj.delete()
        obj.pk = pk  # keep the id for the caller's messages
