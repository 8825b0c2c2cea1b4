"""Models of the insights app: benefit-sharing agreements and the hidden-barriers register.

The regional figures (dashboard, homogeneous competition, cooperation flows) are computed from the
other apps' data in ``analytics.py`` and need no tables of their own.

An agreement is versioned: every save of the calculator creates a new ``Agreement`` row with the
next ``version`` for its cooperation item; earlier rows are never changed (read-only history).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from corridor.core.models import TrackedModel
from corridor.insights.choices import BarrierCategory, BarrierStatus, SharingRule


class Agreement(TrackedModel):
    """One saved version of the benefit-sharing agreement of a cooperation item."""

    owner_lookup = "cooperation__parties__organization"
    # The result is derived from the inputs (kept in full on the row itself); the change log records the inputs.
    history_exclude = ("created", "updated", "result")

    cooperation = models.ForeignKey(
        "lists.CooperationItem", verbose_name=_("cooperation item"), on_delete=models.CASCADE, related_name="agreements"
    )
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    rule = models.CharField(_("sharing rule"), max_length=20, choices=SharingRule.choices)
    licence_income = models.DecimalField(_("expected licence income (yuan)"), max_digits=16, decimal_places=2, default=Decimal(0))
    note = models.TextField(_("note"), blank=True)
    # The calculator's inputs (parties, contributions, ratios, tax terms) and the computed result with its working.
    inputs = models.JSONField(_("inputs"), default=dict)
    result = models.JSONField(_("result"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("saved by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["cooperation_id", "-version"]
        constraints = [models.UniqueConstraint(fields=["cooperation", "version"], name="agreement_version_unique")]
        verbose_name = _("benefit-sharing agreement")
        verbose_name_plural = _("benefit-sharing agreements")

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("insights:agreement_detail", args=[self.pk])

    @staticmethod
    def public_q() -> Q:
        return Q(cooperation__public=True)

    def is_public(self) -> bool:
        return bool(self.cooperation.public)

    def owned_by(self, org_ids: set[int]) -> bool:
        return self.cooperation.owned_by(org_ids)

    def is_latest(self) -> bool:
        latest = getattr(self, "_latest_version", None)
        if latest is None:
            latest = Agreement.objects.filter(cooperation_id=self.cooperation_id).aggregate(m=models.Max("version"))["m"]
        return bool(self.version == latest)

    def party_rows(self) -> list[dict[str, Any]]:
        return list(self.result.get("parties", []))


class Barrier(TrackedModel):
    """A city-level rule that hinders moving people, data or money across the corridor (隐性壁垒).

    The register is kept by operators; anyone may read it.
    """

    city = models.ForeignKey("regions.City", verbose_name=_("city"), on_delete=models.PROTECT, related_name="barriers")
    category = models.CharField(_("category"), max_length=30, choices=BarrierCategory.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    source_name = models.CharField(_("source document"), max_length=300)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=BarrierStatus.choices, default=BarrierStatus.IN_FORCE)
    cases = models.ManyToManyField(
        "brokers.Case",
        verbose_name=_("cited by cases"),
        blank=True,
        related_name="barriers",
        help_text=_("Cases that stalled or were lost because of this rule."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["city__code", "category", "title"]
        indexes = [models.Index(fields=["city", "category"])]
        verbose_name = _("hidden barrier")
        verbose_name_plural = _("hidden barriers")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("insights:barrier_detail", args=[self.pk])

    def owned_by(self, org_ids: set[int]) -> bool:
        return False  # operators only

    def is_public(self) -> bool:
        return True
