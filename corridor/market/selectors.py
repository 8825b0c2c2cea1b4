"""Reads of the innovation market: who sees which call and bid (and under which name), rankings,
payment schedules, ledger statistics, the policy matcher and the market's headline figures."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.core.permissions import VIEW, can, is_operator, member_org_ids
from corridor.market.choices import (
    BidStatus,
    CallStatus,
    Certification,
    ConditionKind,
    ConditionState,
    ContractType,
    MatchOutcome,
    MilestoneStatus,
    Reach,
)
from corridor.market.models import (
    Bid,
    BidMilestone,
    CarrierSpace,
    ChallengeCall,
    OrganizationProfile,
    PanelMember,
    Policy,
    TechnologyContract,
)
from corridor.orgs.choices import OrganizationSize, OrganizationType
from corridor.orgs.models import Organization
from corridor.regions.models import City, Industry

ZERO = Decimal("0.00")


# Calls and bids -------------------------------------------------------------------------------


def calls_for(user: Any) -> QuerySet[ChallengeCall]:
    return ChallengeCall.objects.restrict(user, VIEW).select_related("issuer", "issuer__city")


def open_calls(user: Any = None) -> QuerySet[ChallengeCall]:
    """Calls still taking bids by the server clock, nearest deadline first."""
    return calls_for(user).filter(status=CallStatus.OPEN, deadline__gt=timezone.now()).order_by("deadline")


def bids_for(user: Any, call: ChallengeCall | None = None) -> QuerySet[Bid]:
    """Bidders: their own bids only; the issuer and the call's panel: the call's bids; operators: all."""
    qs = Bid.objects.restrict(user, VIEW).select_related("call", "bidder", "bidder__city")
    if call is not None:
        qs = qs.filter(call=call)
    return qs


def is_panel_member(user: Any, call: ChallengeCall) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return PanelMember.objects.filter(call=call, reviewer=user).exists()


def bidder_identity_visible(user: Any, bid: Bid) -> bool:
    """Under blind review only operators, the issuer's and the bidder's own members see who bid."""
    if not bid.call.blind_review or is_operator(user):
        return True
    orgs = member_org_ids(user)
    return bid.bidder_id in orgs or bid.call.issuer_id in orgs


def blind_label(bid: Bid) -> str:
    return _("Anonymous bid #{number}").format(number=bid.pk)


def bid_presentation(bid: Bid, user: Any) -> dict[str, Any]:
    """What ``user`` may see of a bid; the only place bidder identity is masked, for UI and API alike."""
    visible = bidder_identity_visible(user, bid)
    data: dict[str, Any] = {
        "id": bid.pk,
        "call_id": bid.call_id,
        "identity_hidden": not visible,
        "label": (bid.team_name or bid.bidder.name) if visible else blind_label(bid),
        "bidder_id": bid.bidder_id if visible else None,
        "bidder_name": bid.bidder.name if visible else None,
        "team_name": bid.team_name if visible else "",
        "team_members": bid.team_members if visible else [
            {"name": _("Member {n}").format(n=i + 1), "role": m.get("role", ""), "affiliation": ""}
            for i, m in enumerate(bid.team_members)
        ],
        "approach": bid.approach,
        "budget": bid.budget,
        "status": bid.status,
        "status_label": BidStatus(bid.status).label,
        "submitted_at": bid.submitted_at,
        "award_reason": bid.award_reason,
        "awarded_amount": bid.awarded_amount,
        "milestones": [
            {
                "id": m.pk, "title": m.title, "due_date": m.due_date, "amount": m.amount, "status": m.status,
                "status_label": MilestoneStatus(m.status).label, "deliverable": m.deliverable, "evidence": m.evidence,
                "decision_note": m.decision_note,
            }
            for m in bid.milestones.all()
        ],
        "attachments": [
            {
                "id": a.pk,
                "name": a.original_name if visible else _("Document {n}.{kind}").format(n=i + 1, kind=a.kind),
                "kind": a.kind, "size": a.size, "milestone_id": a.milestone_id,
            }
            for i, a in enumerate(bid.attachments.all())
        ],
    }
    return data


def reviewable_bids(user: Any, call: ChallengeCall) -> QuerySet[Bid]:
    """The bids a panel member may score: submitted ones, minus those of organisations they act for."""
    if not is_panel_member(user, call):
        return Bid.objects.none()
    orgs = member_org_ids(user)
    if call.issuer_id in orgs:
        return Bid.objects.none()
    return (
        Bid.objects.filter(call=call, status=BidStatus.SUBMITTED)
        .exclude(bidder__in=orgs)
        .select_related("bidder", "call")
        .order_by("submitted_at", "id")
    )


def can_see_ranking(user: Any, call: ChallengeCall) -> bool:
    return is_operator(user) or call.issuer_id in member_org_ids(user) or is_panel_member(user, call)


@dataclass
class RankedBid:
    rank: int
    bid: Bid
    score: Decimal | None
    reviews: int


def call_ranking(call: ChallengeCall) -> list[RankedBid]:
    """Bids by their mean weighted score (0–100), unreviewed last."""
    bids = (
        Bid.objects.filter(call=call)
        .exclude(status=BidStatus.WITHDRAWN)
        .select_related("bidder", "call")
        .annotate(mean=Avg("reviews__weighted_score"), n=Count("reviews"))
    )
    ordered = sorted(bids, key=lambda b: (b.mean is None, -(b.mean or 0), b.submitted_at, b.pk))
    out = []
    for i, b in enumerate(ordered, start=1):
        score = Decimal(b.mean).quantize(Decimal("0.01")) if b.mean is not None else None
        out.append(RankedBid(rank=i, bid=b, score=score, reviews=b.n))
    return out


@dataclass
class PaymentLine:
    bid: Bid
    milestone: BidMilestone
    payable: Decimal
    cumulative: Decimal


def payment_schedule(call: ChallengeCall) -> dict[str, Any]:
    """The awarded bids' milestones in date order; a milestone becomes payable once accepted."""
    milestones = (
        BidMilestone.objects.filter(bid__call=call, bid__status=BidStatus.AWARDED)
        .select_related("bid", "bid__bidder")
        .order_by("due_date", "bid_id", "order")
    )
    lines, cumulative, planned = [], ZERO, ZERO
    for m in milestones:
        payable = m.amount if m.status == MilestoneStatus.ACCEPTED else ZERO
        cumulative += payable
        planned += m.amount
        lines.append(PaymentLine(bid=m.bid, milestone=m, payable=payable, cumulative=cumulative))
    return {"lines": lines, "planned": planned, "payable": cumulative, "outstanding": planned - cumulative}


# The ledger ------------------------------------------------------------------------------------


def contracts_for(user: Any) -> QuerySet[TechnologyContract]:
    return TechnologyContract.objects.restrict(user, VIEW).select_related(
        "seller", "seller__city", "buyer", "buyer__city", "industry"
    )


def reach_of(country: str | None, corridor: str | None, has_city: bool) -> str:
    if country and country.upper() != "CN":
        return Reach.INTERNATIONAL
    if corridor == "core":
        return Reach.CORRIDOR
    if corridor == "extended":
        return Reach.EXTENDED
    return Reach.DELTA if has_city else Reach.DOMESTIC


def organization_reach(org: Organization) -> str:
    city = org.city
    return reach_of(org.country, city.corridor if city else None, city is not None)


def _place(country: str, short_name: str | None) -> str:
    if country and country.upper() != "CN":
        return country.upper()
    return short_name or _("unknown")


def contract_stats(contracts: QuerySet[TechnologyContract]) -> dict[str, Any]:
    """Cumulative volume, by month, type, industry and city pair; radiation beyond the corridor.

    Radiation counts each contract with a party outside the core corridor once in ``total``;
    per place, a contract counts for every outside place it touches.
    """
    qs = contracts.order_by()
    totals = qs.aggregate(amount=Sum("amount"), count=Count("id"))
    amount = totals["amount"] or ZERO

    by_month = []
    running = ZERO
    for row in qs.annotate(month=TruncMonth("signed_on")).values("month").annotate(amount=Sum("amount"), count=Count("id")).order_by("month"):
        running += row["amount"]
        month = row["month"]
        label = month.strftime("%Y-%m") if month else ""
        by_month.append({"month": label, "amount": row["amount"], "count": row["count"], "cumulative": running})

    by_type = [
        {"type": r["contract_type"], "label": str(ContractType(r["contract_type"]).label), "amount": r["amount"], "count": r["count"]}
        for r in qs.values("contract_type").annotate(amount=Sum("amount"), count=Count("id")).order_by("-amount", "contract_type")
    ]

    by_industry = []
    for r in qs.values("industry__code", "industry__name").annotate(amount=Sum("amount"), count=Count("id")).order_by("-amount"):
        by_industry.append(
            {"code": r["industry__code"] or "", "name": r["industry__name"] or _("Unclassified"), "amount": r["amount"], "count": r["count"]}
        )

    pair_rows = qs.values(
        "seller__country", "seller__city__short_name", "seller__city__corridor", "seller__city_id",
        "buyer__country", "buyer__city__short_name", "buyer__city__corridor", "buyer__city_id",
    ).annotate(amount=Sum("amount"), count=Count("id"))
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    radiation_places: dict[str, dict[str, Any]] = {}
    radiation_total, radiation_count = ZERO, 0
    by_reach: dict[str, Decimal] = defaultdict(lambda: ZERO)
    places: set[str] = set()
    for r in pair_rows:
        seller = _place(r["seller__country"], r["seller__city__short_name"])
        buyer = _place(r["buyer__country"], r["buyer__city__short_name"])
        places.update({seller, buyer})
        key = (seller, buyer)
        entry = pairs.setdefault(key, {"seller_place": seller, "buyer_place": buyer, "amount": ZERO, "count": 0})
        entry["amount"] += r["amount"]
        entry["count"] += r["count"]
        reaches = {
            (reach_of(r["seller__country"], r["seller__city__corridor"], r["seller__city_id"] is not None), seller),
            (reach_of(r["buyer__country"], r["buyer__city__corridor"], r["buyer__city_id"] is not None), buyer),
        }
        outside = {(reach, place) for reach, place in reaches if reach != Reach.CORRIDOR}
        # The contract's reach is the farthest of its two parties.
        order: list[str] = [Reach.CORRIDOR, Reach.EXTENDED, Reach.DELTA, Reach.DOMESTIC, Reach.INTERNATIONAL]
        farthest = max((reach for reach, _p in reaches), key=order.index)
        by_reach[farthest] += r["amount"]
        if outside:
            radiation_total += r["amount"]
            radiation_count += r["count"]
            for reach, place in outside:
                slot = radiation_places.setdefault(place, {"place": place, "reach": reach, "amount": ZERO, "count": 0})
                slot["amount"] += r["amount"]
                slot["count"] += r["count"]

    return {
        "total_amount": amount,
        "count": totals["count"],
        "places_reached": sorted(places),
        "by_month": by_month,
        "by_type": by_type,
        "by_industry": by_industry,
        "by_city_pair": sorted(pairs.values(), key=lambda e: (-e["amount"], e["seller_place"], e["buyer_place"])),
        "by_reach": [{"reach": k, "label": str(Reach(k).label), "amount": by_reach[k]} for k in Reach.values if k in by_reach],
        "radiation": {
            "amount": radiation_total,
            "count": radiation_count,
            "places": sorted(radiation_places.values(), key=lambda e: (-e["amount"], e["place"])),
        },
    }


# The policy matcher --------------------------------------------------------------------------


def active_policies(user: Any = None, day: dt.date | None = None) -> QuerySet[Policy]:
    """Policies in force on ``day`` (today by the server clock); expired ones are hidden."""
    day = day or timezone.localdate()
    return (
        Policy.objects.restrict(user, VIEW)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .select_related("city")
        .prefetch_related("conditions")
    )


@dataclass
class ConditionResult:
    kind: str
    label: str
    state: str
    required: str
    actual: str


@dataclass
class PolicyMatch:
    policy: Policy
    outcome: str
    conditions: list[ConditionResult] = field(default_factory=list)

    @property
    def met(self) -> int:
        return sum(c.state == ConditionState.MET for c in self.conditions)

    @property
    def missing(self) -> int:
        return sum(c.state == ConditionState.MISSING for c in self.conditions)

    @property
    def unknown(self) -> int:
        return sum(c.state == ConditionState.UNKNOWN for c in self.conditions)


@dataclass
class OrganizationFacts:
    type: str
    city_code: str | None
    city_name: str | None
    province: str | None
    abroad: bool
    industry_codes: set[str]
    size: str | None
    founded_year: int | None
    profile_visible: bool
    rd_spend_ratio: Decimal | None = None
    certifications: set[str] | None = None
    employees: int | None = None
    annual_revenue: Decimal | None = None


def organization_facts(org: Organization, user: Any) -> OrganizationFacts:
    """What the matcher knows of ``org``; the market profile counts only if ``user`` may see it."""
    codes: set[str] = set()
    for ind in org.industries.all():
        codes.add(ind.code)
        codes.update(a.code for a in ind.ancestors())
    city = org.city
    facts = OrganizationFacts(
        type=org.type,
        city_code=city.code if city else None,
        city_name=city.short_name if city else None,
        province=city.province if city else None,
        abroad=(org.country or "CN").upper() != "CN",
        industry_codes=codes,
        size=org.size or None,
        founded_year=org.founded_year,
        profile_visible=False,
    )
    profile = OrganizationProfile.objects.filter(organization=org).first()
    if profile is not None and can(user, VIEW, profile):
        facts.profile_visible = True
        facts.rd_spend_ratio = profile.rd_spend_ratio
        facts.certifications = set(profile.certifications or [])
        facts.employees = profile.employees
        facts.annual_revenue = profile.annual_revenue
    return facts


def _choice_labels(choices: Any, values: list[str]) -> str:
    labels = dict(choices.choices)
    return "、".join(str(labels.get(v, v)) for v in values)


def evaluate_condition(kind: str, value: Any, facts: OrganizationFacts, today: dt.date) -> ConditionResult:
    label = str(ConditionKind(kind).label)
    unknown = _("unknown")

    def result(state: str, required: str, actual: str | None) -> ConditionResult:
        return ConditionResult(kind=kind, label=label, state=state, required=required, actual=actual if actual is not None else unknown)

    def boolean(ok: bool | None) -> str:
        return ConditionState.UNKNOWN if ok is None else (ConditionState.MET if ok else ConditionState.MISSING)

    if kind == ConditionKind.ORG_TYPE:
        return result(boolean(facts.type in value), _choice_labels(OrganizationType, value), str(OrganizationType(facts.type).label))
    if kind == ConditionKind.CITY:
        names = list(City.objects.filter(code__in=value).values_list("short_name", flat=True)) or value
        ok = None if facts.city_code is None and not facts.abroad else facts.city_code in value
        return result(boolean(ok), "、".join(names), facts.city_name or (_("abroad") if facts.abroad else None))
    if kind == ConditionKind.PROVINCE:
        ok = None if facts.province is None and not facts.abroad else facts.province in value
        return result(boolean(ok), "、".join(value), facts.province or (_("abroad") if facts.abroad else None))
    if kind == ConditionKind.INDUSTRY:
        names = [str(i) for i in Industry.objects.filter(code__in=value)] or value
        ok = None if not facts.industry_codes else bool(facts.industry_codes & set(value))
        return result(boolean(ok), "、".join(names), "、".join(sorted(facts.industry_codes)) or None)
    if kind == ConditionKind.SIZE:
        ok = None if facts.size is None else facts.size in value
        return result(boolean(ok), _choice_labels(OrganizationSize, value),
                      str(OrganizationSize(facts.size).label) if facts.size else None)
    if kind == ConditionKind.CERTIFICATION:
        ok = None if facts.certifications is None else bool(facts.certifications & set(value))
        actual = _choice_labels(Certification, sorted(facts.certifications)) if facts.certifications is not None else None
        return result(boolean(ok), _choice_labels(Certification, value), actual if actual != "" else _("none"))
    number = Decimal(str(value))
    if kind == ConditionKind.RD_RATIO_MIN:
        have = facts.rd_spend_ratio
        return result(boolean(None if have is None else have >= number), f"≥ {number}%", f"{have}%" if have is not None else None)
    if kind in (ConditionKind.YEARS_MIN, ConditionKind.YEARS_MAX):
        years = None if facts.founded_year is None else today.year - facts.founded_year
        if kind == ConditionKind.YEARS_MIN:
            ok = None if years is None else years >= number
            required = _("at least {n} years").format(n=number)
        else:
            ok = None if years is None else years <= number
            required = _("at most {n} years").format(n=number)
        return result(boolean(ok), required, _("{n} years").format(n=years) if years is not None else None)
    if kind == ConditionKind.EMPLOYEES_MAX:
        have_e = facts.employees
        return result(boolean(None if have_e is None else have_e <= number), f"≤ {number}", str(have_e) if have_e is not None else None)
    if kind == ConditionKind.REVENUE_MAX:
        have_r = facts.annual_revenue
        return result(boolean(None if have_r is None else have_r <= number), f"≤ ¥{number:,}",
                      f"¥{have_r:,}" if have_r is not None else None)
    raise ValueError(kind)


def policy_match(
    org: Organization, *, user: Any = None, day: dt.date | None = None, near_missing: int = 1
) -> list[PolicyMatch]:
    """Policies in force that ``org`` qualifies for, may qualify for (unknown facts) or almost qualifies for.

    Near misses are policies with at most ``near_missing`` unmet conditions; farther ones are left out.
    """
    day = day or timezone.localdate()
    facts = organization_facts(org, user)
    out: list[PolicyMatch] = []
    for policy in active_policies(user, day):
        results = [evaluate_condition(c.kind, c.value, facts, day) for c in policy.conditions.all()]
        missing = sum(r.state == ConditionState.MISSING for r in results)
        unknown = sum(r.state == ConditionState.UNKNOWN for r in results)
        if missing == 0:
            outcome = MatchOutcome.QUALIFIED if unknown == 0 else MatchOutcome.POSSIBLE
        elif missing <= near_missing:
            outcome = MatchOutcome.NEAR
        else:
            continue
        out.append(PolicyMatch(policy=policy, outcome=outcome, conditions=results))
    rank: dict[str, int] = {MatchOutcome.QUALIFIED: 0, MatchOutcome.POSSIBLE: 1, MatchOutcome.NEAR: 2}
    out.sort(key=lambda m: (rank[m.outcome], -(m.policy.max_amount or 0), m.policy.pk))
    return out


# Spaces and the market home ------------------------------------------------------------------


def spaces_for(user: Any) -> QuerySet[CarrierSpace]:
    return CarrierSpace.objects.restrict(user, VIEW).select_related("city", "operator_org").prefetch_related("industries")


def space_map(spaces: QuerySet[CarrierSpace]) -> list[dict[str, Any]]:
    """Spaces grouped by city, with the city's WGS-84 coordinates, for the delta map."""
    groups: dict[int, dict[str, Any]] = {}
    for s in spaces.order_by():
        g = groups.setdefault(
            s.city_id,
            {"city": s.city.short_name, "lon": s.city.lon, "lat": s.city.lat, "corridor": s.city.corridor, "spaces": [], "area": ZERO},
        )
        g["spaces"].append({"id": s.pk, "name": s.name, "kind": s.kind})
        g["area"] += s.available_area
    return sorted(groups.values(), key=lambda g: g["city"])


def market_headlines(user: Any = None) -> dict[str, Any]:
    contracts = contracts_for(user)
    totals = contracts.order_by().aggregate(amount=Sum("amount"), count=Count("id"))
    cities = set(contracts.exclude(seller__city=None).values_list("seller__city", flat=True)) | set(
        contracts.exclude(buyer__city=None).values_list("buyer__city", flat=True)
    )
    countries = set(contracts.exclude(seller__country="CN").values_list("seller__country", flat=True)) | set(
        contracts.exclude(buyer__country="CN").values_list("buyer__country", flat=True)
    )
    return {
        "volume": totals["amount"] or ZERO,
        "contracts": totals["count"],
        "cities_reached": len(cities),
        "countries_reached": len(countries),
        "open_calls": open_calls(user).count(),
        "policies": active_policies(user).count(),
        "spaces": spaces_for(user).count(),
    }
