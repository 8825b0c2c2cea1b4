"""The three lists (三张清单): resources, demands and cross-region cooperation items."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from corridor.core.models import TrackedModel
from corridor.lists.choices import (
    Confidentiality,
    CooperationStage,
    CooperationType,
    DemandStatus,
    EvidenceKind,
    FeeBasis,
    OpenTo,
    PartyRole,
    ResourceKind,
    ResourceStatus,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from corridor.orgs.models import User

TRL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(9)]
# Money fields: Decimal yuan, max_digits=16, decimal_places=2 (spelled out on each field so that
# django-stubs can type them; a ** splat of a dict hides the argument types).


def _non_negative(value: Decimal) -> None:
    if value is not None and value < 0:
        raise ValidationError(_("Amounts cannot be negative."), code="negative")


class Resource(TrackedModel):
    owner_lookup = "owner"

    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    name = models.CharField(_("name"), max_length=200)
    owner = models.ForeignKey(
        "orgs.Organization", verbose_name=_("owner organisation"), on_delete=models.PROTECT, related_name="resources"
    )
    city = models.ForeignKey("regions.City", verbose_name=_("city"), on_delete=models.PROTECT, related_name="resources")
    industries = models.ManyToManyField("regions.Industry", verbose_name=_("industries"), blank=True, related_name="resources")
    description = models.TextField(_("capability description"))
    trl_min = models.PositiveSmallIntegerField(_("lowest TRL"), validators=TRL_VALIDATORS, default=1)
    trl_max = models.PositiveSmallIntegerField(_("highest TRL"), validators=TRL_VALIDATORS, default=9)
    open_to = models.CharField(_("open to"), max_length=20, choices=OpenTo.choices, default=OpenTo.EVERYONE)
    fee_basis = models.CharField(_("fee basis"), max_length=20, choices=FeeBasis.choices, default=FeeBasis.NEGOTIABLE)
    status = models.CharField(_("status"), max_length=20, choices=ResourceStatus.choices, default=ResourceStatus.AVAILABLE)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    public = models.BooleanField(_("public"), default=True, help_text=_("Visible to everyone; otherwise only to the owner and operators."))

    class Meta:
        ordering = ["-updated", "-id"]
        indexes = [models.Index(fields=["kind", "city"]), models.Index(fields=["-updated"])]
        constraints = [
            models.CheckConstraint(condition=Q(trl_min__lte=models.F("trl_max")), name="resource_trl_range"),
        ]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("lists:resource_detail", args=[self.pk])

    @staticmethod
    def public_q() -> Q:
        return Q(public=True)

    def is_public(self) -> bool:
        return self.public

    def owned_by(self, org_ids: set[int]) -> bool:
        return self.owner_id in org_ids

    def clean(self) -> None:
        super().clean()
        if self.trl_min and self.trl_max and self.trl_min > self.trl_max:
            raise ValidationError({"trl_max": _("The highest TRL cannot be below the lowest.")})


    def history_extra(self) -> dict[str, object]:
        return {"evidence": [f"{e.kind}: {e.title}" for e in self.evidence.all()]}


class ResourceEvidence(models.Model):
    """What backs a resource up: achievements, patents, equipment and team members."""

    resource = models.ForeignKey(Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("details"), blank=True)
    reference = models.CharField(_("reference"), max_length=80, blank=True, help_text=_("Patent number, model, …"))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.title


class Demand(TrackedModel):
    owner_lookup = "owner"
    history_exclude = ("created", "updated", "published_at")

    owner = models.ForeignKey(
        "orgs.Organization", verbose_name=_("owner organisation"), on_delete=models.PROTECT, related_name="demands"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(
        _("public summary"), max_length=300, blank=True, help_text=_("Shown to everyone when the details are confidential.")
    )
    description = models.TextField(_("description"))
    industries = models.ManyToManyField("regions.Industry", verbose_name=_("industries"), blank=True, related_name="demands")
    city = models.ForeignKey("regions.City", verbose_name=_("city"), on_delete=models.PROTECT, related_name="demands")
    trl_desired = models.PositiveSmallIntegerField(_("desired TRL"), validators=TRL_VALIDATORS, null=True, blank=True)
    budget_min = models.DecimalField(_("budget from (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True, validators=[_non_negative])
    budget_max = models.DecimalField(_("budget up to (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True, validators=[_non_negative])
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    confidentiality = models.CharField(
        _("confidentiality"), max_length=10, choices=Confidentiality.choices, default=Confidentiality.PUBLIC
    )
    status = models.CharField(_("status"), max_length=20, choices=DemandStatus.choices, default=DemandStatus.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    assigned_managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned technology managers"), blank=True, related_name="assigned_demands"
    )

    class Meta:
        ordering = ["-updated", "-id"]
        indexes = [models.Index(fields=["status", "city"]), models.Index(fields=["-updated"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_min__isnull=True) | Q(budget_max__isnull=True) | Q(budget_min__lte=models.F("budget_max")),
                name="demand_budget_range",
            ),
        ]
        verbose_name = _("demand")
        verbose_name_plural = _("demands")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("lists:demand_detail", args=[self.pk])

    @staticmethod
    def public_q() -> Q:
        return ~Q(status=DemandStatus.DRAFT)

    def is_public(self) -> bool:
        return self.status != DemandStatus.DRAFT

    def owned_by(self, org_ids: set[int]) -> bool:
        return self.owner_id in org_ids

    @property
    def is_confidential(self) -> bool:
        return self.confidentiality == Confidentiality.SUMMARY

    def details_visible_to(self, user: User | AnonymousUser | None) -> bool:
        """Confidential details: only the owner's members, operators and assigned technology managers."""
        from corridor.core.permissions import is_operator, member_org_ids

        if not self.is_confidential:
            return True
        if is_operator(user):
            return True
        if self.owner_id in member_org_ids(user):
            return True
        uid = getattr(user, "pk", None)
        return uid is not None and self.assigned_managers.filter(pk=uid).exists()

    def clean(self) -> None:
        super().clean()
        if self.budget_min is not None and self.budget_max is not None and self.budget_min > self.budget_max:
            raise ValidationError({"budget_max": _("The upper budget cannot be below the lower budget.")})


class CooperationItem(TrackedModel):
    owner_lookup = "parties__organization"

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    type = models.CharField(_("type"), max_length=20, choices=CooperationType.choices)
    stage = models.CharField(_("stage"), max_length=20, choices=CooperationStage.choices, default=CooperationStage.NEGOTIATING)
    contract_value = models.DecimalField(_("contract value (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True, validators=[_non_negative])
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    demand = models.ForeignKey(
        Demand, verbose_name=_("from demand"), null=True, blank=True, on_delete=models.SET_NULL, related_name="cooperations"
    )
    resources = models.ManyToManyField(Resource, verbose_name=_("from resources"), blank=True, related_name="cooperations")
    industries = models.ManyToManyField("regions.Industry", verbose_name=_("industries"), blank=True, related_name="cooperations")
    public = models.BooleanField(_("public"), default=True)
    # Derived from the parties by the services: R&D in one city, production in another.
    rd_production_split = models.BooleanField(_("R&D in one city, production in another"), default=False, editable=False)

    class Meta:
        ordering = ["-updated", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(start_date__lte=models.F("end_date")),
                name="cooperation_dates_ordered",
            ),
        ]
        verbose_name = _("cooperation item")
        verbose_name_plural = _("cooperation items")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("lists:cooperation_detail", args=[self.pk])

    @staticmethod
    def public_q() -> Q:
        return Q(public=True)

    def is_public(self) -> bool:
        return self.public

    def owned_by(self, org_ids: set[int]) -> bool:
        return any(p.organization_id in org_ids for p in self.parties.all())

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.start_date > self.end_date:
            raise ValidationError({"end_date": _("The end cannot be before the start.")})

    def history_extra(self) -> dict[str, object]:
        return {"parties": sorted(f"{p.organization_id}:{p.role}" for p in self.parties.all())}

    def cities(self) -> list[object]:
        seen: dict[int, object] = {}
        for p in self.parties.all():
            if p.organization.city_id is not None:
                seen.setdefault(p.organization.city_id, p.organization.city)
        return list(seen.values())


class CooperationParty(models.Model):
    item = models.ForeignKey(CooperationItem, verbose_name=_("cooperation item"), on_delete=models.CASCADE, related_name="parties")
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="cooperation_parties"
    )
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["item", "organization"], name="cooperation_party_unique")]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"
