"""What the matching layer stores: index change events (so every process keeps its index current)
and people's verdicts on matches (kept for later learning)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from corridor.core.models import TimestampedModel
from corridor.matching.choices import FeedbackStatus, IndexKind


class IndexEvent(models.Model):
    """One object of an index changed; written in the same transaction as the change.

    Each web process applies the events newer than the last one it applied before it answers a
    query, so all processes stay current without a shared in-memory index.
    """

    kind = models.CharField(max_length=20, choices=IndexKind.choices)
    object_id = models.BigIntegerField()
    time = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "id"])]
        verbose_name = _("index event")
        verbose_name_plural = _("index events")

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class MatchFeedback(TimestampedModel):
    """The owner's (or an operator's) verdict on one suggested match."""

    source_kind = models.CharField(_("from"), max_length=20, choices=[("demand", _("Demand")), ("resource", _("Resource"))])
    source_id = models.BigIntegerField(_("from id"))
    target_kind = models.CharField(_("to"), max_length=20, choices=IndexKind.choices)
    target_id = models.BigIntegerField(_("to id"))
    status = models.CharField(_("status"), max_length=20, choices=FeedbackStatus.choices)
    score = models.FloatField(_("score when marked"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source_kind", "source_id", "target_kind", "target_id"], name="match_feedback_unique")
        ]
        verbose_name = _("match feedback")
        verbose_name_plural = _("match feedback")

    def __str__(self) -> str:
        return f"{self.source_kind}:{self.source_id} → {self.target_kind}:{self.target_id} {self.status}"
