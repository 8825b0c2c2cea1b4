"""Technology managers (技术经理人联盟), their whole-chain cases, and innovation consortia (创新联合体)."""

from __future__ import annotations

from typing import Any, ClassVar, Self, TypeVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corridor.brokers.choices import (
    STAGE_INDEX,
    ActivityKind,
    CasePartyRole,
    CaseStage,
    CertificationLevel,
    DocumentKind,
    GoalKind,
    GoalStatus,
    LeadRole,
    LostReason,
    MemberRole,
    OutputKind,
    StageChangeKind,
)
from corridor.core.models import TrackedModel
from corridor.core.permissions import ACTIONS, VIEW, RestrictedQuerySet, is_operator, member_org_ids

# Money fields: Decimal yuan, max_digits=16, decimal_places=2 (spelled out on each field so that
# django-stubs can type them; a ** splat of a dict hides the argument types).


# Technology managers ---------------------------------------------------------------------------


class TechnologyManager(TrackedModel):
    """The alliance profile of a person who takes projects from a discovered need to a factory."""

    owner_lookup = "organization"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="technology_manager_profile",
    )
    city = models.ForeignKey("regions.City", verbose_name=_("home city"), on_delete=models.PROTECT, related_name="+")
    covered_cities = models.ManyToManyField(
        "regions.City",
        verbose_name=_("cities served"),
        blank=True,
        related_name="+",
        help_text=_("Cities the manager works in besides the home city."),
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="technology_managers",
    )
    industries = models.ManyToManyField(
        "regions.Industry", verbose_name=_("expertise industries"), blank=True, related_name="technology_managers"
    )
    expertise = models.TextField(_("expertise"), blank=True, help_text=_("Technologies, markets and services, in free text."))
    certification_level = models.CharField(
        _("certification level"), max_length=20, choices=CertificationLevel.choices, default=CertificationLevel.JUNIOR
    )
    languages = models.JSONField(_("languages"), default=list, blank=True, help_text=_("Language codes, e.g. [\"zh\", \"en\"]."))
    years_of_practice = models.PositiveSmallIntegerField(_("years of practice"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("technology manager")
        verbose_name_plural = _("technology managers")

    def __str__(self) -> str:
        return str(self.user)

    def get_absolute_url(self) -> str:
        return reverse("brokers:manager_detail", args=[self.pk])

    @staticmethod
    def public_q() -> Q:
        return Q(active=True)

    def is_public(self) -> bool:
        return self.active

    def owned_by(self, org_ids: set[int]) -> bool:
        return self.organization_id in org_ids

    def clean(self) -> None:
        super().clean()
        from corridor.brokers.choices import Language

        if not isinstance(self.languages, list) or any(code not in Language.values for code in self.languages):
            raise ValidationError({"languages": _("Use language codes from the list: {codes}.").format(codes=", ".join(Language.values))})


# Cases ------------------------------------------------------------------------------------------


# Generic in the model (like QuerySet) so that annotate() keeps its typed result.
_M = TypeVar("_M", bound=models.Model)


class CaseQuerySet(RestrictedQuerySet[_M]):
    """Cases are never public: operators see all, managers their own, members their organisation's."""

    def restrict(self, user: Any, action: str = VIEW) -> Self:
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        if is_operator(user):
            return self
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        mine = Q(lead_manager__user=user) | Q(helpers__user=user)
        if action == VIEW:
            q = mine | Q(parties__organization__in=member_org_ids(user))
        else:
            # A manager edits only their cases; organisation members follow them but do not drive them.
            q = mine
        return self.filter(q).distinct()


CaseManager = models.Manager.from_queryset(CaseQuerySet)


class Case(TrackedModel):
    """One project followed from a demand or cooperation item to its industrial landing (or loss)."""

    owner_lookup = "parties__organization"
    history_exclude = ("created", "updated", "last_activity_at", "stage_entered_at")

    objects: ClassVar[CaseManager] = CaseManager()

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    demand = models.ForeignKey(
        "lists.Demand", verbose_name=_("demand"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    cooperation = models.ForeignKey(
        "lists.CooperationItem",
        verbose_name=_("cooperation item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    resources = models.ManyToManyField("lists.Resource", verbose_name=_("linked resources"), blank=True, related_name="cases")
    industries = models.ManyToManyField("regions.Industry", verbose_name=_("industries"), blank=True, related_name="cases")
    city = models.ForeignKey(
        "regions.City", verbose_name=_("city of the need"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=CaseStage.choices, default=CaseStage.DISCOVERY, db_index=True)
    lost_at_stage = models.CharField(_("lost at stage"), max_length=20, choices=CaseStage.choices, blank=True)
    lost_reason = models.CharField(_("reason lost"), max_length=20, choices=LostReason.choices, blank=True)
    lost_note = models.TextField(_("why it was lost"), blank=True)
    lead_manager = models.ForeignKey(
        TechnologyManager,
        verbose_name=_("lead manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_cases",
    )
    helpers = models.ManyToManyField(TechnologyManager, verbose_name=_("helping managers"), blank=True, related_name="helped_cases")
    contract_value = models.DecimalField(_("contract value (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    stage_entered_at = models.DateTimeField(_("in this stage since"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now, db_index=True)
    # Derived from the parties by the services: where the R&D happens and where production does.
    rd_city = models.ForeignKey(
        "regions.City", verbose_name=_("R&D city"), null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    production_city = models.ForeignKey(
        "regions.City",
        verbose_name=_("production city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        indexes = [models.Index(fields=["stage", "last_activity_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(demand__isnull=False) | Q(cooperation__isnull=False), name="case_follows_demand_or_cooperation"
            ),
            models.CheckConstraint(
                condition=Q(contract_value__isnull=True) | Q(contract_value__gte=0), name="case_contract_value_non_negative"
            ),
        ]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("brokers:case_detail", args=[self.pk])

    @staticmethod
    def public_q() -> Q:
        return Q(pk__in=[])

    def is_public(self) -> bool:
        return False

    def owned_by(self, org_ids: set[int]) -> bool:
        return any(p.organization_id in org_ids for p in self.parties.all())

    def clean(self) -> None:
        super().clean()
        if self.demand_id is None and self.cooperation_id is None:
            raise ValidationError(_("A case follows a demand or a cooperation item."))

    def history_extra(self) -> dict[str, object]:
        return {"parties": sorted(f"{p.organization_id}:{p.role}" for p in self.parties.all())}

    @property
    def is_open(self) -> bool:
        return self.stage not in (CaseStage.LANDING, CaseStage.LOST)

    @property
    def stage_index(self) -> int:
        return STAGE_INDEX.get(self.stage if self.stage != CaseStage.LOST else self.lost_at_stage, 0)

    @property
    def is_cross_region(self) -> bool:
        return bool(self.rd_city_id and self.production_city_id and self.rd_city_id != self.production_city_id)


class CaseParty(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="parties")
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="case_parties"
    )
    role = models.CharField(_("role"), max_length=20, choices=CasePartyRole.choices)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["case", "organization"], name="case_party_unique")]
        verbose_name = _("case party")
        verbose_name_plural = _("case parties")

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class CaseStageChange(models.Model):
    """One move of a case: from, to, when, by whom. The first row (from empty) is the opening."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="stage_changes")
    kind = models.CharField(_("kind"), max_length=10, choices=StageChangeKind.choices)
    from_stage = models.CharField(_("from"), max_length=20, choices=CaseStage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=CaseStage.choices)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.get_from_stage_display()} → {self.get_to_stage_display()}"


class CaseActivity(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    occurred_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("details"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(_("logged"), default=timezone.now)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


def _document_path(instance: CaseDocument, filename: str) -> str:
    return f"brokers/cases/{instance.case_id}/{filename}"


class CaseDocument(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_document_path, max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


# What a case may point at: the lists now, the market's transactions and calls and labs once they exist.
LINKABLE_MODELS: frozenset[tuple[str, str]] = frozenset(
    {
        ("lists", "resource"),
        ("lists", "demand"),
        ("lists", "cooperationitem"),
        ("market", "technologycontract"),
        ("market", "challengecall"),
        ("labs", "booking"),
        ("labs", "instrument"),
    }
)


class CaseLink(models.Model):
    """A loose link from a case to a transaction, challenge call, resource or other object."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="links")
    content_type = models.ForeignKey(ContentType, verbose_name=_("kind"), on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField(_("object id"))
    target = GenericForeignKey("content_type", "object_id")
    label = models.CharField(_("label"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created = models.DateTimeField(_("linked"), default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "content_type", "object_id"], name="case_link_unique"),
        ]
        verbose_name = _("case link")
        verbose_name_plural = _("case links")

    def __str__(self) -> str:
        return self.label or f"{self.content_type.model}#{self.object_id}"


# Innovation consortia ---------------------------------------------------------------------------


class Consortium(TrackedModel):
    """An innovation consortium led by a chain leader (链主) or alliance leader (盟主)."""

    owner_lookup = "lead"

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    industries = models.ManyToManyField("regions.Industry", verbose_name=_("domain industries"), blank=True, related_name="consortia")
    lead = models.ForeignKey(
        "orgs.Organization", verbose_name=_("lead organisation"), on_delete=models.PROTECT, related_name="led_consortia"
    )
    lead_role = models.CharField(_("lead role"), max_length=20, choices=LeadRole.choices)
    launched_on = models.DateField(_("launched"), null=True, blank=True)
    public = models.BooleanField(_("public"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("innovation consortium")
        verbose_name_plural = _("innovation consortia")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("brokers:consortium_detail", args=[self.pk])

    @staticmethod
    def public_q() -> Q:
        return Q(public=True)

    def is_public(self) -> bool:
        return self.public

    def owned_by(self, org_ids: set[int]) -> bool:
        return self.lead_id in org_ids


class ConsortiumMember(models.Model):
    """One period of membership: joined on a date, left on a later one (or still a member)."""

    consortium = models.ForeignKey(Consortium, verbose_name=_("consortium"), on_delete=models.CASCADE, related_name="members")
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="consortium_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices)
    responsibilities = models.CharField(_("responsibilities"), max_length=300, blank=True)
    joined_on = models.DateField(_("joined"))
    left_on = models.DateField(_("left"), null=True, blank=True)

    class Meta:
        ordering = ["joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consortium", "organization"], condition=Q(left_on__isnull=True), name="consortium_member_one_active"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")), name="consortium_member_dates"
            ),
        ]
        verbose_name = _("consortium member")
        verbose_name_plural = _("consortium members")

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class ConsortiumGoal(models.Model):
    consortium = models.ForeignKey(Consortium, verbose_name=_("consortium"), on_delete=models.CASCADE, related_name="goals")
    kind = models.CharField(_("kind"), max_length=20, choices=GoalKind.choices, default=GoalKind.KEY_PROBLEM)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    demands = models.ManyToManyField("lists.Demand", verbose_name=_("linked demands"), blank=True, related_name="consortium_goals")

    class Meta:
        ordering = ["id"]
        verbose_name = _("consortium goal")
        verbose_name_plural = _("consortium goals")

    def __str__(self) -> str:
        return self.title


class ConsortiumOutput(models.Model):
    """A standard, patent, product or pilot line, credited to the members who made it."""

    consortium = models.ForeignKey(Consortium, verbose_name=_("consortium"), on_delete=models.CASCADE, related_name="outputs")
    kind = models.CharField(_("kind"), max_length=20, choices=OutputKind.choices)
    title = models.CharField(_("title"), max_length=200)
    reference = models.CharField(_("reference"), max_length=100, blank=True, help_text=_("Standard or patent number, model, …"))
    description = models.TextField(_("description"), blank=True)
    achieved_on = models.DateField(_("date"), null=True, blank=True)
    goal = models.ForeignKey(
        ConsortiumGoal, verbose_name=_("goal"), null=True, blank=True, on_delete=models.SET_NULL, related_name="outputs"
    )
    credited = models.ManyToManyField(
        "orgs.Organization", verbose_name=_("credited members"), related_name="consortium_outputs"
    )
    adopters = models.ManyToManyField(
        "orgs.Organization", verbose_name=_("adopters"), blank=True, related_name="adopted_consortium_outputs"
    )
    city = models.ForeignKey(
        "regions.City", verbose_name=_("city"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("Where a pilot line or product is made."),
    )

    class Meta:
        ordering = ["kind", "-achieved_on", "id"]
        verbose_name = _("consortium output")
        verbose_name_plural = _("consortium outputs")

    def __str__(self) -> str:
        return self.title
