"""The innovation market (创新集市): challenge calls with bids, reviews and delivery; the ledger of
technology contracts; the policy library with the facts the policy matcher needs; carrier spaces."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import PurePath
from typing import Any, ClassVar, Self, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corridor.core.models import TrackedModel
from corridor.core.permissions import VIEW, RestrictedQuerySet, is_operator, member_org_ids
from corridor.market.choices import (
    BidStatus,
    CallStatus,
    ConditionKind,
    ContractType,
    IpOwnership,
    MilestoneStatus,
    PolicyLevel,
    PolicyType,
    SpaceKind,
)

# Money fields: Decimal yuan, max_digits=16, decimal_places=2 (spelled out on each field so that
# django-stubs can type them; a ** splat of a dict hides the argument types).


def non_negative(value: Decimal | None) -> None:
    if value is not None and value < 0:
        raise ValidationError(_("Amounts cannot be negative."), code="negative")


# Challenge calls (揭榜挂帅) ---------------------------------------------------------------------


class ChallengeCall(TrackedModel):
    """A problem a lead enterprise posts with a reward; teams bid, a panel reviews, winners deliver."""

    owner_lookup = "issuer"
    history_exclude = ("created", "updated")

    issuer = models.ForeignKey(
        "orgs.Organization", verbose_name=_("issuer"), on_delete=models.PROTECT, related_name="challenge_calls"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    problem = models.TextField(_("problem statement"))
    indicators = models.TextField(_("technical indicators"), help_text=_("The measurable targets that define success."))
    reward = models.DecimalField(_("reward (yuan)"), max_digits=16, decimal_places=2, validators=[non_negative])
    funding = models.DecimalField(
        _("R&D funding (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True, validators=[non_negative],
        help_text=_("Funding for the work on top of the reward, if any."),
    )
    deadline = models.DateTimeField(_("bidding deadline"))
    industries = models.ManyToManyField("regions.Industry", verbose_name=_("industries"), blank=True, related_name="challenge_calls")
    demands = models.ManyToManyField("lists.Demand", verbose_name=_("from demands"), blank=True, related_name="challenge_calls")
    eligible_cities = models.ManyToManyField(
        "regions.City", verbose_name=_("eligible cities"), blank=True, related_name="+",
        help_text=_("Empty: every city (unless provinces are given)."),
    )
    eligible_provinces = models.JSONField(_("eligible provinces"), default=list, blank=True)
    eligible_org_types = models.JSONField(
        _("eligible organisation types"), default=list, blank=True, help_text=_("Empty: every type.")
    )
    ip_ownership = models.CharField(_("IP ownership"), max_length=20, choices=IpOwnership.choices, default=IpOwnership.SHARED)
    ip_exclusive = models.BooleanField(_("exclusive rights"), default=True)
    ip_notes = models.TextField(_("IP terms"), blank=True)
    blind_review = models.BooleanField(
        _("blind review"), default=False, help_text=_("Reviewers do not see who submitted a bid.")
    )
    status = models.CharField(_("status"), max_length=20, choices=CallStatus.choices, default=CallStatus.DRAFT)
    status_note = models.TextField(_("decision note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("bidding closed"), null=True, blank=True)
    awarded_at = models.DateTimeField(_("awarded"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "deadline"])]
        verbose_name = _("challenge call")
        verbose_name_plural = _("challenge calls")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("market:call_detail", args=[self.pk])

    @staticmethod
    def public_q() -> Q:
        return Q(published_at__isnull=False)

    def is_public(self) -> bool:
        return self.published_at is not None

    def owned_by(self, org_ids: set[int]) -> bool:
        return self.issuer_id in org_ids

    @property
    def accepting_bids(self) -> bool:
        return self.status == CallStatus.OPEN and timezone.now() < self.deadline

    def history_extra(self) -> dict[str, Any]:
        return {"criteria": [f"{c.name}:{c.weight}" for c in self.criteria.all()]}


class ReviewCriterion(models.Model):
    """One line of a call's rubric: scores run 0..max_score and count with ``weight``."""

    call = models.ForeignKey(ChallengeCall, verbose_name=_("challenge call"), on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)])
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=10, validators=[MinValueValidator(1), MaxValueValidator(100)])
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})"


class PanelMember(models.Model):
    call = models.ForeignKey(ChallengeCall, verbose_name=_("challenge call"), on_delete=models.CASCADE, related_name="panel")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.CASCADE, related_name="review_panels"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["call", "reviewer"], name="panel_member_unique")]
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")

    def __str__(self) -> str:
        return f"{self.reviewer} @ {self.call}"


# Generic in the model (like QuerySet) so that annotate() keeps its typed result.
_M = TypeVar("_M", bound=models.Model)


class BidQuerySet(RestrictedQuerySet[_M]):
    def restrict(self, user: Any, action: str = VIEW) -> Self:
        """Bidders see their own bids; the call's issuer and its panel see the call's bids; operators all."""
        qs = super().restrict(user, action)
        if action != VIEW or is_operator(user):
            return qs
        org_ids = member_org_ids(user)
        q = Q(bidder__in=org_ids) | Q(call__issuer__in=org_ids)
        if user is not None and user.is_authenticated:
            q |= Q(call__panel__reviewer=user)
        return self.filter(q).exclude(~Q(bidder__in=org_ids) & Q(status=BidStatus.WITHDRAWN)).distinct()


BidManager = models.Manager.from_queryset(BidQuerySet)


class Bid(TrackedModel):
    """A team's answer to a challenge call (揭榜方案)."""

    owner_lookup = "bidder"

    call = models.ForeignKey(ChallengeCall, verbose_name=_("challenge call"), on_delete=models.CASCADE, related_name="bids")
    bidder = models.ForeignKey("orgs.Organization", verbose_name=_("bidder"), on_delete=models.PROTECT, related_name="bids")
    team_name = models.CharField(_("team name"), max_length=200, blank=True)
    approach = models.TextField(_("technical approach"))
    budget = models.DecimalField(_("budget (yuan)"), max_digits=16, decimal_places=2, validators=[non_negative])
    team_members = models.JSONField(_("team members"), default=list, blank=True, help_text=_("[{name, role, affiliation}]"))
    status = models.CharField(_("status"), max_length=20, choices=BidStatus.choices, default=BidStatus.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"))
    award_reason = models.TextField(_("reason for the award"), blank=True)
    awarded_amount = models.DecimalField(_("awarded amount (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True, validators=[non_negative])

    objects: ClassVar[BidManager] = BidManager()

    class Meta:
        ordering = ["call", "submitted_at", "id"]
        constraints = [
            # One live bid per organisation and call; a withdrawn bid may be followed by a new one.
            models.UniqueConstraint(
                fields=["call", "bidder"], condition=~Q(status="withdrawn"), name="bid_one_live_per_bidder"
            )
        ]
        verbose_name = _("bid")
        verbose_name_plural = _("bids")

    def __str__(self) -> str:
        return _("Bid #{number} on {call}").format(number=self.pk, call=self.call.title)

    def get_absolute_url(self) -> str:
        return reverse("market:bid_detail", args=[self.pk])

    @staticmethod
    def public_q() -> Q:
        return Q(pk__in=[])

    def is_public(self) -> bool:
        return False

    def owned_by(self, org_ids: set[int]) -> bool:
        return self.bidder_id in org_ids

    def history_extra(self) -> dict[str, Any]:
        return {"milestones": [f"{m.title}:{m.due_date}:{m.amount}" for m in self.milestones.all()]}


class BidMilestone(models.Model):
    """A milestone a bid promises; in delivery the issuer accepts or rejects it on evidence."""

    bid = models.ForeignKey(Bid, verbose_name=_("bid"), on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("milestone"), max_length=200)
    deliverable = models.TextField(_("deliverable"), blank=True)
    due_date = models.DateField(_("due"))
    amount = models.DecimalField(_("payment (yuan)"), max_digits=16, decimal_places=2, validators=[non_negative])
    status = models.CharField(_("status"), max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED)
    evidence = models.TextField(_("evidence"), blank=True)
    submitted_at = models.DateTimeField(_("evidence submitted"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["bid", "order", "due_date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("market:bid_detail", args=[self.bid_id]) + f"#milestone-{self.pk}"


def attachment_path(instance: BidAttachment, filename: str) -> str:
    # Random names: the stored name reveals nothing and cannot be guessed; the original is kept in the row.
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"market/bids/{instance.bid_id}/{uuid.uuid4().hex}{suffix}"


class BidAttachment(models.Model):
    """A document of a bid, kept under MEDIA_ROOT (outside the web root) and served by a checked view."""

    bid = models.ForeignKey(Bid, verbose_name=_("bid"), on_delete=models.CASCADE, related_name="attachments")
    milestone = models.ForeignKey(
        BidMilestone, verbose_name=_("milestone"), null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("type"), max_length=10)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("market:attachment_download", args=[self.pk])


class Review(models.Model):
    """One reviewer's scores of one bid; ``weighted_score`` is 0–100."""

    bid = models.ForeignKey(Bid, verbose_name=_("bid"), on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.CASCADE, related_name="bid_reviews")
    comment = models.TextField(_("comment"), blank=True)
    weighted_score = models.DecimalField(_("weighted score"), max_digits=5, decimal_places=2)
    submitted = models.DateTimeField(_("submitted"))

    class Meta:
        ordering = ["bid", "id"]
        constraints = [models.UniqueConstraint(fields=["bid", "reviewer"], name="review_one_per_reviewer")]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.bid_id}: {self.weighted_score}"


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ReviewCriterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="scores")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="review_score_unique")]
        verbose_name = _("score")
        verbose_name_plural = _("scores")

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


# Technology transactions (技术交易) -------------------------------------------------------------


class ContractQuerySet(RestrictedQuerySet[_M]):
    def restrict(self, user: Any, action: str = VIEW) -> Self:
        """Both the seller's and the buyer's members own a contract."""
        if is_operator(user):
            return self
        org_ids = member_org_ids(user)
        q = Q(seller__in=org_ids) | Q(buyer__in=org_ids) if org_ids else Q(pk__in=[])
        if action == VIEW:
            q |= TechnologyContract.public_q()
        return self.filter(q)


ContractManager = models.Manager.from_queryset(ContractQuerySet)


class TechnologyContract(TrackedModel):
    """One registered technology contract (技术合同) of the ledger."""

    owner_lookup = "seller"

    registration_number = models.CharField(_("registration number"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    contract_type = models.CharField(_("contract type"), max_length=20, choices=ContractType.choices)
    seller = models.ForeignKey(
        "orgs.Organization", verbose_name=_("seller"), on_delete=models.PROTECT, related_name="contracts_sold"
    )
    buyer = models.ForeignKey(
        "orgs.Organization", verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="contracts_bought"
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=16, decimal_places=2, validators=[non_negative])
    signed_on = models.DateField(_("signed on"))
    industry = models.ForeignKey(
        "regions.Industry", verbose_name=_("industry"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    demand = models.ForeignKey(
        "lists.Demand", verbose_name=_("from demand"), null=True, blank=True, on_delete=models.SET_NULL, related_name="contracts"
    )
    call = models.ForeignKey(
        ChallengeCall, verbose_name=_("from challenge call"), null=True, blank=True, on_delete=models.SET_NULL, related_name="contracts"
    )
    cooperation = models.ForeignKey(
        "lists.CooperationItem", verbose_name=_("from cooperation item"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="contracts",
    )
    notes = models.TextField(_("notes"), blank=True)
    public = models.BooleanField(_("public"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects: ClassVar[ContractManager] = ContractManager()

    class Meta:
        ordering = ["-signed_on", "-id"]
        indexes = [models.Index(fields=["signed_on"]), models.Index(fields=["contract_type"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="contract_amount_non_negative"),
            models.CheckConstraint(condition=~Q(seller=models.F("buyer")), name="contract_distinct_parties"),
        ]
        verbose_name = _("technology contract")
        verbose_name_plural = _("technology contracts")

    def __str__(self) -> str:
        return f"{self.registration_number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("market:contract_detail", args=[self.pk])

    @staticmethod
    def public_q() -> Q:
        return Q(public=True)

    def is_public(self) -> bool:
        return self.public

    def owned_by(self, org_ids: set[int]) -> bool:
        return self.seller_id in org_ids or self.buyer_id in org_ids

    def clean(self) -> None:
        super().clean()
        if self.seller_id is not None and self.seller_id == self.buyer_id:
            raise ValidationError({"buyer": _("Seller and buyer must be different organisations.")})
        self.registration_number = (self.registration_number or "").strip().upper()


# Policies (科创政策) ----------------------------------------------------------------------------


class Policy(TrackedModel):
    """A science and technology policy, with eligibility as structured conditions."""

    title = models.CharField(_("title"), max_length=200)
    issuer = models.CharField(_("issuing body"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=PolicyLevel.choices)
    type = models.CharField(_("type"), max_length=10, choices=PolicyType.choices)
    city = models.ForeignKey("regions.City", verbose_name=_("city"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    province = models.CharField(_("province"), max_length=20, blank=True)
    document_number = models.CharField(_("document number"), max_length=80, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    benefits = models.TextField(_("benefits"))
    max_amount = models.DecimalField(
        _("up to (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True, validators=[non_negative]
    )
    full_text = models.TextField(_("full text"), blank=True)
    url = models.URLField(_("link"), blank=True)
    public = models.BooleanField(_("public"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False, help_text=_("Fictional policy of the demo region."))

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("market:policy_detail", args=[self.pk])

    @staticmethod
    def public_q() -> Q:
        return Q(public=True)

    def is_public(self) -> bool:
        return self.public

    def owned_by(self, org_ids: set[int]) -> bool:
        return False  # the policy library is kept by operators

    def clean(self) -> None:
        super().clean()
        if self.valid_from and self.valid_until and self.valid_from > self.valid_until:
            raise ValidationError({"valid_until": _("The end of validity cannot be before its start.")})
        if self.level == PolicyLevel.CITY and self.city_id is None:
            raise ValidationError({"city": _("A city-level policy needs its city.")})

    def is_valid_on(self, day: Any) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_until is None or self.valid_until >= day)

    def history_extra(self) -> dict[str, Any]:
        return {"conditions": [f"{c.kind}={c.value}" for c in self.conditions.all()]}


class PolicyCondition(models.Model):
    """One eligibility condition; ``value`` is a list (of codes) or a number, depending on ``kind``."""

    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="conditions")
    kind = models.CharField(_("condition"), max_length=20, choices=ConditionKind.choices)
    value = models.JSONField(_("value"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("eligibility condition")
        verbose_name_plural = _("eligibility conditions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class OrganizationProfile(TrackedModel):
    """Facts about an organisation the policy matcher needs and ``orgs.Organization`` does not hold."""

    owner_lookup = "organization"

    organization = models.OneToOneField(
        "orgs.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="market_profile"
    )
    rd_spend_ratio = models.DecimalField(
        _("R&D spend ratio (% of revenue)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    certifications = models.JSONField(_("certifications"), default=list, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    annual_revenue = models.DecimalField(_("annual revenue (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True, validators=[non_negative])

    class Meta:
        verbose_name = _("organisation profile")
        verbose_name_plural = _("organisation profiles")

    def __str__(self) -> str:
        return str(self.organization)

    def get_absolute_url(self) -> str:
        return reverse("market:profile_edit", args=[self.organization_id])

    @staticmethod
    def public_q() -> Q:
        return Q(pk__in=[])  # business facts: the organisation's members and operators only

    def is_public(self) -> bool:
        return False

    def owned_by(self, org_ids: set[int]) -> bool:
        return self.organization_id in org_ids


# Carrier spaces (载体空间) ----------------------------------------------------------------------


class CarrierSpace(TrackedModel):
    owner_lookup = "operator_org"

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SpaceKind.choices)
    city = models.ForeignKey("regions.City", verbose_name=_("city"), on_delete=models.PROTECT, related_name="carrier_spaces")
    address = models.CharField(_("address"), max_length=300)
    operator_org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("operated by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="carrier_spaces",
    )
    industries = models.ManyToManyField("regions.Industry", verbose_name=_("industries of focus"), blank=True, related_name="+")
    description = models.TextField(_("description"), blank=True)
    total_area = models.DecimalField(_("total area (m²)"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[non_negative])
    available_area = models.DecimalField(_("available area (m²)"), max_digits=12, decimal_places=2, validators=[non_negative])
    rent_min = models.DecimalField(_("rent from (yuan/m²/day)"), max_digits=8, decimal_places=2, null=True, blank=True, validators=[non_negative])
    rent_max = models.DecimalField(_("rent up to (yuan/m²/day)"), max_digits=8, decimal_places=2, null=True, blank=True, validators=[non_negative])
    services = models.JSONField(_("services offered"), default=list, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    public = models.BooleanField(_("public"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["city__code", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rent_min__isnull=True) | Q(rent_max__isnull=True) | Q(rent_min__lte=models.F("rent_max")),
                name="space_rent_range",
            ),
        ]
        verbose_name = _("carrier space")
        verbose_name_plural = _("carrier spaces")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("market:space_detail", args=[self.pk])

    @staticmethod
    def public_q() -> Q:
        return Q(public=True)

    def is_public(self) -> bool:
        return self.public

    def owned_by(self, org_ids: set[int]) -> bool:
        return self.operator_org_id in org_ids

    def clean(self) -> None:
        super().clean()
        if self.rent_min is not None and self.rent_max is not None and self.rent_min > self.rent_max:
            raise ValidationError({"rent_max": _("The upper rent cannot be below the lower rent.")})
