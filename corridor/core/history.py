"""The change log: snapshots of tracked objects and the records of what changed."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from corridor.core.models import ChangeAction, ChangeRecord


def _plain(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    exclude = set(getattr(obj, "history_exclude", ()))
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude or field.primary_key:
            continue
        data[field.name] = _plain(getattr(obj, field.attname))
    if obj.pk is not None:
        for m2m in obj._meta.many_to_many:
            if m2m.name in exclude:
                continue
            data[m2m.name] = sorted(getattr(obj, m2m.name).values_list("pk", flat=True))
        extra = getattr(obj, "history_extra", None)
        if extra is not None:
            data.update({k: _plain(v) for k, v in extra().items()})
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)}


def record_change(
    obj: models.Model,
    action: str,
    *,
    user: Any = None,
    before: dict[str, Any] | None = None,
    source: str = "",
    extra: dict[str, Any] | None = None,
) -> ChangeRecord | None:
    """Write one change record. For updates pass the ``before`` snapshot; unchanged updates write nothing."""
    after = snapshot(obj)
    if action == ChangeAction.UPDATE:
        changes: dict[str, Any] = diff(before or {}, after)
        if not changes and not extra:
            return None
    elif action == ChangeAction.DELETE:
        changes = before if before is not None else after
    else:
        changes = after
    if extra:
        changes = {**changes, **extra}
    actor = user if user is not None and getattr(user, "is_authenticated", False) else None
    return ChangeRecord.objects.create(
        user=actor,
        user_name=actor.get_username() if actor else "",
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        action=action,
        source=source[:40],
        changes=changes,
    )


def history_for(obj: models.Model) -> models.QuerySet[ChangeRecord]:
    return ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True), object_id=obj.pk
    ).select_related("user")
