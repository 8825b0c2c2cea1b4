"""Writes of the matching layer: people's verdicts on matches."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from corridor.core.permissions import CHANGE, can
from corridor.lists.models import Demand, Resource
from corridor.matching.choices import FeedbackStatus, IndexKind
from corridor.matching.models import MatchFeedback

SOURCES = {"demand": Demand, "resource": Resource}


def feedback_mark(
    *, user: Any, source_kind: str, source_id: int, target_kind: str, target_id: int, status: str, note: str = "", score: float | None = None
) -> MatchFeedback:
    """Mark a match as contacted / accepted / rejected. Only the source's owner or an operator may."""
    model = SOURCES.get(source_kind)
    if model is None:
        raise ValidationError({"source_kind": _("Unknown source kind “{kind}”.").format(kind=source_kind)})
    if target_kind not in IndexKind.values:
        raise ValidationError({"target_kind": _("Unknown target kind “{kind}”.").format(kind=target_kind)})
    if status not in FeedbackStatus.values:
        raise ValidationError({"status": _("Unknown status “{status}”.").format(status=status)})
    source = model.objects.filter(pk=source_id).first()
    if source is None:
        raise ValidationError({"source_id": _("Unknown id: {id}.").format(id=source_id)})
    if not can(user, CHANGE, source):
        raise PermissionDenied(_("Only the owner or an operator can mark matches."))
    with transaction.atomic():
        feedback, _created = MatchFeedback.objects.update_or_create(
            source_kind=source_kind,
            source_id=source_id,
            target_kind=target_kind,
            target_id=target_id,
            defaults={"status": status, "note": note[:300], "user": user, "score": score},
        )
    return feedback
