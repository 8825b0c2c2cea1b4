"""Choices of the innovation market: call and bid states, IP terms, contract types, policy and space kinds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Under approval")
    OPEN = "open", _("Open for bids")
    REVIEW = "review", _("Under review")
    AWARDED = "awarded", _("Awarded")
    DELIVERY = "delivery", _("In delivery")
    ACCEPTED = "accepted", _("Accepted")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


# The challenge-call workflow: from each status, the statuses a service may move it to.
CALL_TRANSITIONS: dict[str, frozenset[str]] = {
    CallStatus.DRAFT: frozenset({CallStatus.PENDING, CallStatus.CANCELLED}),
    CallStatus.PENDING: frozenset({CallStatus.OPEN, CallStatus.DRAFT, CallStatus.CANCELLED}),
    CallStatus.OPEN: frozenset({CallStatus.REVIEW, CallStatus.CANCELLED}),
    CallStatus.REVIEW: frozenset({CallStatus.AWARDED, CallStatus.CANCELLED}),
    CallStatus.AWARDED: frozenset({CallStatus.DELIVERY, CallStatus.CANCELLED}),
    CallStatus.DELIVERY: frozenset({CallStatus.ACCEPTED, CallStatus.FAILED}),
    CallStatus.ACCEPTED: frozenset(),
    CallStatus.FAILED: frozenset(),
    CallStatus.CANCELLED: frozenset(),
}

# Statuses in which a call has been published and everybody may see it.
PUBLISHED_STATUSES = frozenset(
    {
        CallStatus.OPEN,
        CallStatus.REVIEW,
        CallStatus.AWARDED,
        CallStatus.DELIVERY,
        CallStatus.ACCEPTED,
        CallStatus.FAILED,
    }
)


class IpOwnership(models.TextChoices):
    ISSUER = "issuer", _("Issuer owns the results")
    BIDDER = "bidder", _("Bidder owns the results")
    SHARED = "shared", _("Shared ownership")
    LICENSED = "licensed", _("Bidder owns, issuer licensed")


class BidStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    AWARDED = "awarded", _("Awarded")
    NOT_AWARDED = "not_awarded", _("Not awarded")


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SUBMITTED = "submitted", _("Evidence submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class ContractType(models.TextChoices):
    DEVELOPMENT = "development", _("Technology development")
    TRANSFER = "transfer", _("Technology transfer")
    LICENCE = "licence", _("Technology licence")
    CONSULTING = "consulting", _("Technology consulting")
    SERVICE = "service", _("Technology service")


class Reach(models.TextChoices):
    """Where a party of a transaction sits, seen from the Shanghai–Nanjing corridor."""

    CORRIDOR = "corridor", _("Within the corridor")
    EXTENDED = "extended", _("Extended corridor")
    DELTA = "delta", _("Wider Yangtze River Delta")
    DOMESTIC = "domestic", _("Elsewhere in China")
    INTERNATIONAL = "international", _("International")


class PolicyLevel(models.TextChoices):
    CITY = "city", _("City")
    PROVINCE = "province", _("Province")
    NATIONAL = "national", _("National")


class PolicyType(models.TextChoices):
    SUBSIDY = "subsidy", _("Subsidy")
    TAX = "tax", _("Tax")
    TALENT = "talent", _("Talent")
    PLATFORM = "platform", _("Platform")
    FINANCE = "finance", _("Finance")


class ConditionKind(models.TextChoices):
    ORG_TYPE = "org_type", _("Organisation type")
    CITY = "city", _("City")
    PROVINCE = "province", _("Province")
    INDUSTRY = "industry", _("Industry")
    SIZE = "size", _("Size")
    RD_RATIO_MIN = "rd_ratio_min", _("Minimum R&D spend ratio (%)")
    CERTIFICATION = "certification", _("Certification")
    YEARS_MIN = "years_min", _("At least years since founding")
    YEARS_MAX = "years_max", _("At most years since founding")
    EMPLOYEES_MAX = "employees_max", _("At most employees")
    REVENUE_MAX = "revenue_max", _("Annual revenue at most (yuan)")


class Certification(models.TextChoices):
    HIGH_TECH = "high_tech", _("High-tech enterprise")
    TECH_SME = "tech_sme", _("Technology-based SME")
    SPECIALISED = "specialised", _("Specialised, refined, distinctive and innovative (专精特新)")
    LITTLE_GIANT = "little_giant", _("Little giant (专精特新小巨人)")
    GAZELLE = "gazelle", _("Gazelle enterprise")
    TECH_CENTRE = "tech_centre", _("Recognised enterprise technology centre")


class MatchOutcome(models.TextChoices):
    QUALIFIED = "qualified", _("Qualifies")
    POSSIBLE = "possible", _("Qualifies if unknown facts hold")
    NEAR = "near", _("Almost qualifies")


class ConditionState(models.TextChoices):
    MET = "met", _("Met")
    MISSING = "missing", _("Not met")
    UNKNOWN = "unknown", _("Unknown")


class SpaceKind(models.TextChoices):
    INCUBATOR = "incubator", _("Incubator")
    ACCELERATOR = "accelerator", _("Accelerator")
    PARK = "park", _("Industrial park")
    PILOT_BASE = "pilot_base", _("Pilot-scale base")
    MAKER_SPACE = "maker_space", _("Maker space")
