"""State changes of the innovation market. Every function is atomic, checks permissions through
corridor.core.permissions, enforces the workflow and deadlines with the server clock, and writes
a change record naming the acting user."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import PurePath
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.core.errors import ConflictError
from corridor.core.history import record_change, snapshot
from corridor.core.models import ChangeAction
from corridor.core.permissions import ADD, CHANGE, DELETE, can, is_operator, member_org_ids
from corridor.core.services import object_create, object_delete, object_update
from corridor.market.choices import (
    CALL_TRANSITIONS,
    BidStatus,
    CallStatus,
    Certification,
    ConditionKind,
    MilestoneStatus,
)
from corridor.market.files import check_attachment
from corridor.market.models import (
    Bid,
    BidAttachment,
    BidMilestone,
    CarrierSpace,
    ChallengeCall,
    OrganizationProfile,
    PanelMember,
    Policy,
    PolicyCondition,
    Review,
    ReviewCriterion,
    ReviewScore,
    TechnologyContract,
)
from corridor.orgs.choices import OrganizationSize, OrganizationType
from corridor.orgs.models import Organization

CENT = Decimal("0.01")


def _acts_for(user: Any, organization: Organization | None) -> bool:
    return organization is not None and organization.pk in member_org_ids(user)


def _require_member(user: Any, organization: Organization | None, message: str) -> None:
    if not _acts_for(user, organization):
        raise PermissionDenied(message)


def _require_issuer_or_operator(user: Any, call: ChallengeCall) -> None:
    if not (is_operator(user) or _acts_for(user, call.issuer)):
        raise PermissionDenied(_("Only the issuer's members or platform operators may do this."))


# Challenge calls ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionInput:
    name: str
    weight: int
    max_score: int = 10
    description: str = ""


def default_rubric() -> list[CriterionInput]:
    return [
        CriterionInput(_("Technical approach"), 40, description=_("Soundness and novelty of the approach against the indicators")),
        CriterionInput(_("Team capability"), 25, description=_("Track record, equipment and people")),
        CriterionInput(_("Schedule and milestones"), 20, description=_("Realistic, verifiable milestones")),
        CriterionInput(_("Budget"), 15, description=_("Cost is reasonable for the work")),
    ]


def _set_criteria(call: ChallengeCall, criteria: Sequence[CriterionInput] | None) -> None:
    if criteria is None:
        return
    if not criteria:
        raise ValidationError({"criteria": _("A review rubric needs at least one criterion.")})
    names = [c.name.strip() for c in criteria]
    if len(set(names)) != len(names) or any(not n for n in names):
        raise ValidationError({"criteria": _("Criteria need distinct, non-empty names.")})
    call.criteria.all().delete()
    rows = []
    for i, c in enumerate(criteria):
        row = ReviewCriterion(call=call, name=c.name.strip(), weight=c.weight, max_score=c.max_score, description=c.description, order=i)
        row.full_clean(exclude=["call"])
        rows.append(row)
    ReviewCriterion.objects.bulk_create(rows)


def _validate_call_data(data: Mapping[str, Any]) -> None:
    types = data.get("eligible_org_types")
    if types is not None:
        unknown = [t for t in types if t not in OrganizationType.values]
        if unknown:
            raise ValidationError({"eligible_org_types": _("Unknown organisation type “{type}”.").format(type=unknown[0])})


def call_create(
    *, user: Any, data: Mapping[str, Any], criteria: Sequence[CriterionInput] | None = None, source: str = "web"
) -> ChallengeCall:
    """A new call starts as a draft of the issuer; without a rubric it gets the default one."""
    if not can(user, ADD, model=ChallengeCall):
        raise PermissionDenied(_("You need to act for an organisation to post challenge calls."))
    issuer = data.get("issuer")
    if not is_operator(user):
        _require_member(user, issuer, _("You can only post calls for an organisation you act for."))
    _validate_call_data(data)
    data = {k: v for k, v in data.items() if k not in {"status", "published_at", "submitted_at", "approved_by"}}
    data["status"] = CallStatus.DRAFT
    data["created_by"] = user
    rubric = list(criteria) if criteria is not None else default_rubric()
    return object_create(ChallengeCall, user=user, data=data, source=source, after_save=lambda c: _set_criteria(c, rubric))


def call_update(
    call: ChallengeCall,
    *,
    user: Any,
    data: Mapping[str, Any],
    criteria: Sequence[CriterionInput] | None = None,
    source: str = "web",
) -> ChallengeCall:
    """Drafts can be edited; once submitted the call is frozen (operators approve what they saw)."""
    if not can(user, CHANGE, call):
        raise PermissionDenied(_("You may not change this challenge call."))
    if call.status != CallStatus.DRAFT:
        raise ConflictError(
            _("Only draft calls can be edited; this call is “{status}”.").format(status=CallStatus(call.status).label),
            code="not_editable",
        )
    if "issuer" in data and not is_operator(user):
        _require_member(user, data["issuer"], _("You can only post calls for an organisation you act for."))
    _validate_call_data(data)
    data = {k: v for k, v in data.items() if k not in {"status", "published_at", "submitted_at", "approved_by", "created_by"}}
    return object_update(call, user=user, data=data, source=source, after_save=lambda c: _set_criteria(c, criteria))


def _transition(
    call: ChallengeCall,
    *,
    user: Any,
    to: str,
    source: str,
    note: str | None = None,
    stamps: Sequence[str] = (),
    check: Any = None,
    extra: Mapping[str, Any] | None = None,
) -> ChallengeCall:
    with transaction.atomic():
        locked = ChallengeCall.objects.select_for_update().get(pk=call.pk)
        if to not in CALL_TRANSITIONS[locked.status]:
            raise ConflictError(
                _("A challenge call cannot go from “{current}” to “{target}”.").format(
                    current=CallStatus(locked.status).label, target=CallStatus(to).label
                ),
                code="invalid_transition",
            )
        if check is not None:
            check(locked)
        before = snapshot(locked)
        now = timezone.now()
        locked.status = to
        fields = ["status", "updated"]
        for stamp in stamps:
            setattr(locked, stamp, now)
            fields.append(stamp)
        if note is not None:
            locked.status_note = note
            fields.append("status_note")
        if to == CallStatus.OPEN:
            locked.approved_by = user
            fields.append("approved_by")
        locked.save(update_fields=fields)
        record_change(locked, ChangeAction.UPDATE, user=user, before=before, source=source, extra=dict(extra or {}) or None)
    return locked


def _check_deadline_ahead(call: ChallengeCall) -> None:
    if call.deadline <= timezone.now():
        raise ConflictError(_("The bidding deadline has already passed; set a later deadline first."), code="deadline_passed")
    if not call.criteria.exists():
        raise ConflictError(_("The call has no review rubric."), code="no_rubric")


def call_submit(call: ChallengeCall, *, user: Any, source: str = "web") -> ChallengeCall:
    """The issuer sends a draft to the operators for approval."""
    if not can(user, CHANGE, call):
        raise PermissionDenied(_("You may not submit this challenge call."))
    return _transition(call, user=user, to=CallStatus.PENDING, source=source, stamps=["submitted_at"], check=_check_deadline_ahead)


def call_return(call: ChallengeCall, *, user: Any, reason: str, source: str = "web") -> ChallengeCall:
    """An operator sends a submitted call back to its issuer as a draft, saying why."""
    if not is_operator(user):
        raise PermissionDenied(_("Only platform operators approve challenge calls."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the call goes back to its issuer.")})
    return _transition(call, user=user, to=CallStatus.DRAFT, source=source, note=reason.strip())


def call_publish(call: ChallengeCall, *, user: Any, source: str = "web") -> ChallengeCall:
    """An operator approves a submitted call: it is published and open for bids until the deadline."""
    if not is_operator(user):
        raise PermissionDenied(_("Only platform operators approve challenge calls."))
    return _transition(call, user=user, to=CallStatus.OPEN, source=source, stamps=["published_at"], check=_check_deadline_ahead)


def call_close_bidding(call: ChallengeCall, *, user: Any, source: str = "web") -> ChallengeCall:
    """After the deadline the issuer (or an operator) closes bidding and the panel starts reviewing."""
    _require_issuer_or_operator(user, call)

    def check(locked: ChallengeCall) -> None:
        if timezone.now() < locked.deadline:
            raise ConflictError(
                _("Bidding is open until {deadline}; it cannot be closed earlier.").format(
                    deadline=timezone.localtime(locked.deadline).strftime("%Y-%m-%d %H:%M")
                ),
                code="deadline_not_reached",
            )

    return _transition(call, user=user, to=CallStatus.REVIEW, source=source, stamps=["closed_at"], check=check)


def call_cancel(call: ChallengeCall, *, user: Any, reason: str, source: str = "web") -> ChallengeCall:
    _require_issuer_or_operator(user, call)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for cancelling the call.")})
    with transaction.atomic():
        call = _transition(call, user=user, to=CallStatus.CANCELLED, source=source, note=reason.strip(), stamps=["finished_at"])
        Bid.objects.filter(call=call, status__in=[BidStatus.SUBMITTED, BidStatus.AWARDED]).update(
            status=BidStatus.NOT_AWARDED, updated=timezone.now()
        )
    return call


@dataclass(frozen=True)
class AwardInput:
    bid: Bid
    reason: str
    amount: Decimal | None = None


def ensure_may_award(call: ChallengeCall, user: Any) -> None:
    """Who asks is checked before what they send: only the issuer's members (or operators) award."""
    if not (is_operator(user) or _acts_for(user, call.issuer)):
        raise PermissionDenied(_("Only the issuer's members award a challenge call."))


def call_award(
    call: ChallengeCall, *, user: Any, awards: Sequence[AwardInput], note: str = "", source: str = "web"
) -> ChallengeCall:
    """The issuer awards one or more bids, with a reason for each; the other bids are not awarded."""
    ensure_may_award(call, user)
    if not awards:
        raise ValidationError({"awards": _("Choose at least one bid to award.")})
    ids = [a.bid.pk for a in awards]
    if len(set(ids)) != len(ids):
        raise ValidationError({"awards": _("Each bid can be awarded only once.")})
    for a in awards:
        if not (a.reason or "").strip():
            raise ValidationError({"awards": _("Give the reason for awarding each bid.")})
        if a.amount is not None and a.amount < 0:
            raise ValidationError({"awards": _("Amounts cannot be negative.")})

    def check(locked: ChallengeCall) -> None:
        live = set(Bid.objects.filter(call=locked, status=BidStatus.SUBMITTED, pk__in=ids).values_list("pk", flat=True))
        if live != set(ids):
            raise ConflictError(_("Only submitted bids of this call can be awarded."), code="invalid_bid")
        total = sum((a.amount for a in awards if a.amount is not None), Decimal("0"))
        if total > locked.reward:
            raise ConflictError(_("The awarded amounts exceed the call's reward."), code="over_reward")

    with transaction.atomic():
        call = _transition(
            call, user=user, to=CallStatus.AWARDED, source=source, note=note.strip(), stamps=["awarded_at"], check=check,
            extra={"awarded_bids": sorted(ids)},
        )
        # A single winner takes the whole reward unless told otherwise; several winners need explicit shares.
        amount_default = call.reward if len(awards) == 1 else None
        for a in awards:
            bid = Bid.objects.select_for_update().get(pk=a.bid.pk)
            before = snapshot(bid)
            bid.status = BidStatus.AWARDED
            bid.award_reason = a.reason.strip()
            bid.awarded_amount = a.amount if a.amount is not None else amount_default
            bid.save(update_fields=["status", "award_reason", "awarded_amount", "updated"])
            record_change(bid, ChangeAction.UPDATE, user=user, before=before, source=source)
        for bid in Bid.objects.select_for_update().filter(call=call, status=BidStatus.SUBMITTED):
            before = snapshot(bid)
            bid.status = BidStatus.NOT_AWARDED
            bid.save(update_fields=["status", "updated"])
            record_change(bid, ChangeAction.UPDATE, user=user, before=before, source=source)
    return call


def call_start_delivery(call: ChallengeCall, *, user: Any, source: str = "web") -> ChallengeCall:
    """Once the contract with the winners is signed, delivery against milestones begins."""
    _require_issuer_or_operator(user, call)
    return _transition(call, user=user, to=CallStatus.DELIVERY, source=source)


def call_accept(call: ChallengeCall, *, user: Any, note: str = "", source: str = "web") -> ChallengeCall:
    """Final acceptance (验收): every milestone of every awarded bid must have been accepted."""
    _require_issuer_or_operator(user, call)

    def check(locked: ChallengeCall) -> None:
        open_ms = BidMilestone.objects.filter(bid__call=locked, bid__status=BidStatus.AWARDED).exclude(
            status=MilestoneStatus.ACCEPTED
        )
        if open_ms.exists():
            raise ConflictError(
                _("{count} milestone(s) are not yet accepted.").format(count=open_ms.count()), code="milestones_open"
            )

    return _transition(call, user=user, to=CallStatus.ACCEPTED, source=source, note=note.strip(), stamps=["finished_at"], check=check)


def call_fail(call: ChallengeCall, *, user: Any, reason: str, source: str = "web") -> ChallengeCall:
    _require_issuer_or_operator(user, call)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason why delivery failed.")})
    return _transition(call, user=user, to=CallStatus.FAILED, source=source, note=reason.strip(), stamps=["finished_at"])


# Eligibility and bids -------------------------------------------------------------------------


def eligibility_problems(call: ChallengeCall, organization: Organization) -> list[str]:
    """Why ``organization`` may not bid on ``call`` (empty when it may)."""
    problems: list[str] = []
    if organization.pk == call.issuer_id:
        problems.append(_("The issuer cannot bid on its own call."))
    if call.eligible_org_types and organization.type not in call.eligible_org_types:
        problems.append(
            _("Organisations of type “{type}” are not eligible.").format(type=OrganizationType(organization.type).label)
        )
    city_ids = {c.pk for c in call.eligible_cities.all()}
    provinces = set(call.eligible_provinces or [])
    if city_ids or provinces:
        city = organization.city
        in_city = city is not None and city.pk in city_ids
        in_province = city is not None and city.province in provinces
        if not (in_city or in_province):
            problems.append(_("The call is open only to organisations in certain cities or provinces."))
    return problems


@dataclass(frozen=True)
class MilestoneInput:
    title: str
    due_date: date
    amount: Decimal
    deliverable: str = ""


@dataclass(frozen=True)
class TeamMember:
    name: str
    role: str = ""
    affiliation: str = ""


def _check_open_for(call: ChallengeCall, what: str) -> None:
    """Bids, edits and withdrawals only while the call is open and before its deadline (server clock)."""
    if call.status != CallStatus.OPEN:
        raise ConflictError(
            _("The call is “{status}”, not open for bids.").format(status=CallStatus(call.status).label), code="call_not_open"
        )
    if timezone.now() >= call.deadline:
        deadline = timezone.localtime(call.deadline).strftime("%Y-%m-%d %H:%M")
        messages = {
            "submit": _("The bidding deadline ({deadline}) has passed; no more bids are accepted."),
            "edit": _("The bidding deadline ({deadline}) has passed; bids can no longer be changed."),
            "withdraw": _("The bidding deadline ({deadline}) has passed; bids can no longer be withdrawn."),
        }
        raise ConflictError(messages[what].format(deadline=deadline), code="deadline_passed")


def _validate_bid(data: Mapping[str, Any], milestones: Sequence[MilestoneInput] | None) -> dict[str, Any]:
    clean = {}
    for key in ("team_name", "approach", "budget", "team_members"):
        if key in data:
            clean[key] = data[key]
    if "team_members" in clean:
        members = []
        for m in clean["team_members"] or []:
            if isinstance(m, TeamMember):
                m = {"name": m.name, "role": m.role, "affiliation": m.affiliation}
            if not isinstance(m, Mapping) or not str(m.get("name", "")).strip():
                raise ValidationError({"team_members": _("Every team member needs a name.")})
            members.append({k: str(m.get(k, "")).strip()[:200] for k in ("name", "role", "affiliation")})
        clean["team_members"] = members
    if milestones is not None:
        if not milestones:
            raise ValidationError({"milestones": _("A bid needs at least one milestone.")})
        for m in milestones:
            if not m.title.strip():
                raise ValidationError({"milestones": _("Every milestone needs a title.")})
            if m.amount is None or m.amount < 0:
                raise ValidationError({"milestones": _("Milestone payments cannot be negative.")})
        budget = clean.get("budget")
        if budget is not None:
            total = sum((m.amount for m in milestones), Decimal("0"))
            if total > budget:
                raise ValidationError({"milestones": _("The milestone payments add up to more than the budget.")})
    return clean


def _set_milestones(bid: Bid, milestones: Sequence[MilestoneInput] | None) -> None:
    if milestones is None:
        return
    total = sum((m.amount for m in milestones), Decimal("0"))
    if total > bid.budget:
        raise ValidationError({"milestones": _("The milestone payments add up to more than the budget.")})
    bid.milestones.all().delete()
    rows = []
    for i, m in enumerate(sorted(milestones, key=lambda m: m.due_date)):
        row = BidMilestone(bid=bid, order=i, title=m.title.strip(), due_date=m.due_date, amount=m.amount, deliverable=m.deliverable)
        row.full_clean(exclude=["bid"])
        rows.append(row)
    BidMilestone.objects.bulk_create(rows)


def bid_submit(
    *,
    user: Any,
    call: ChallengeCall,
    bidder: Organization,
    data: Mapping[str, Any],
    milestones: Sequence[MilestoneInput],
    source: str = "web",
) -> Bid:
    """A team of an eligible organisation bids on an open call before its deadline."""
    _require_member(user, bidder, _("You can only bid for an organisation you act for."))
    clean = _validate_bid(data, milestones)
    with transaction.atomic():
        locked = ChallengeCall.objects.select_for_update().get(pk=call.pk)
        _check_open_for(locked, "submit")
        problems = eligibility_problems(locked, bidder)
        if problems:
            raise ConflictError(" ".join(problems), code="not_eligible")
        if Bid.objects.filter(call=locked, bidder=bidder).exclude(status=BidStatus.WITHDRAWN).exists():
            raise ConflictError(
                _("{org} already has a bid on this call; change that bid instead.").format(org=bidder.name), code="duplicate_bid"
            )
        clean.update({"call": locked, "bidder": bidder, "submitted_by": user, "submitted_at": timezone.now()})
        clean["status"] = BidStatus.SUBMITTED
        try:
            bid = object_create(Bid, user=user, data=clean, source=source, after_save=lambda b: _set_milestones(b, milestones))
        except IntegrityError as exc:  # a concurrent second bid of the same organisation
            raise ConflictError(_("{org} already has a bid on this call.").format(org=bidder.name), code="duplicate_bid") from exc
    return bid


def bid_update(
    bid: Bid,
    *,
    user: Any,
    data: Mapping[str, Any],
    milestones: Sequence[MilestoneInput] | None = None,
    source: str = "web",
) -> Bid:
    _require_member(user, bid.bidder, _("Only the bidder's members may change a bid."))
    clean = _validate_bid({**{"budget": bid.budget}, **data}, milestones)
    with transaction.atomic():
        locked_call = ChallengeCall.objects.select_for_update().get(pk=bid.call_id)
        _check_open_for(locked_call, "edit")
        bid = Bid.objects.select_for_update().get(pk=bid.pk)
        if bid.status != BidStatus.SUBMITTED:
            raise ConflictError(_("Only submitted bids can be changed."), code="not_editable")
        bid = object_update(bid, user=user, data=clean, source=source, after_save=lambda b: _set_milestones(b, milestones))
    return bid


def bid_withdraw(bid: Bid, *, user: Any, source: str = "web") -> Bid:
    _require_member(user, bid.bidder, _("Only the bidder's members may withdraw a bid."))
    with transaction.atomic():
        locked_call = ChallengeCall.objects.select_for_update().get(pk=bid.call_id)
        _check_open_for(locked_call, "withdraw")
        bid = Bid.objects.select_for_update().get(pk=bid.pk)
        if bid.status != BidStatus.SUBMITTED:
            raise ConflictError(_("Only submitted bids can be withdrawn."), code="not_withdrawable")
        before = snapshot(bid)
        bid.status = BidStatus.WITHDRAWN
        bid.save(update_fields=["status", "updated"])
        record_change(bid, ChangeAction.UPDATE, user=user, before=before, source=source)
    return bid


def attachment_add(
    bid: Bid,
    *,
    user: Any,
    upload: IO[bytes],
    filename: str,
    milestone: BidMilestone | None = None,
    source: str = "web",
) -> BidAttachment:
    """Attach a PDF/DOCX/XLSX to a bid (before the deadline) or as milestone evidence (in delivery)."""
    _require_member(user, bid.bidder, _("Only the bidder's members may add documents to a bid."))
    checked = check_attachment(upload)
    name = PurePath((filename or "").replace("\\", "/")).name.strip()[:200] or f"document.{checked.kind}"
    with transaction.atomic():
        locked_call = ChallengeCall.objects.select_for_update().get(pk=bid.call_id)
        if milestone is None:
            _check_open_for(locked_call, "edit")
            if Bid.objects.get(pk=bid.pk).status != BidStatus.SUBMITTED:
                raise ConflictError(_("Only submitted bids can be changed."), code="not_editable")
        else:
            if milestone.bid_id != bid.pk:
                raise ValidationError({"milestone": _("The milestone belongs to another bid.")})
            if locked_call.status != CallStatus.DELIVERY or bid.status != BidStatus.AWARDED:
                raise ConflictError(_("Evidence can be added only to awarded bids in delivery."), code="not_in_delivery")
        attachment = BidAttachment(
            bid=bid, milestone=milestone, original_name=name, kind=checked.kind, content_type=checked.content_type,
            size=checked.size, sha256=checked.sha256, uploaded_by=user,
        )
        attachment.file.save(name, File(upload, name=name), save=False)
        try:
            attachment.save()
            record_change(bid, ChangeAction.UPDATE, user=user, before=snapshot(bid), source=source,
                          extra={"attachment_added": name})
        except Exception:
            attachment.file.delete(save=False)
            raise
    return attachment


def attachment_delete(attachment: BidAttachment, *, user: Any, source: str = "web") -> None:
    bid = attachment.bid
    _require_member(user, bid.bidder, _("Only the bidder's members may remove documents of a bid."))
    with transaction.atomic():
        locked_call = ChallengeCall.objects.select_for_update().get(pk=bid.call_id)
        milestone = attachment.milestone  # None without a query when milestone_id is None
        if milestone is None:
            _check_open_for(locked_call, "edit")
        elif milestone.status == MilestoneStatus.ACCEPTED:
            raise ConflictError(_("Evidence of an accepted milestone cannot be removed."), code="locked")
        name = attachment.original_name
        storage, path = attachment.file.storage, attachment.file.name
        attachment.delete()
        record_change(bid, ChangeAction.UPDATE, user=user, before=snapshot(bid), source=source, extra={"attachment_removed": name})
        transaction.on_commit(lambda: storage.delete(path))


# Panel and reviews ----------------------------------------------------------------------------


def conflict_of_interest(reviewer: Any, bid: Bid) -> bool:
    """A reviewer who acts for the bidder or for the issuer may not score the bid."""
    orgs = member_org_ids(reviewer)
    return bid.bidder_id in orgs or bid.call.issuer_id in orgs


def panel_assign(call: ChallengeCall, *, user: Any, reviewer: Any, source: str = "web") -> PanelMember:
    """Operators form the panel; reviewers of the issuer's own organisation are refused."""
    if not is_operator(user):
        raise PermissionDenied(_("Only platform operators form review panels."))
    if not getattr(reviewer, "is_reviewer", False) or not reviewer.is_active:
        raise ValidationError({"reviewer": _("{name} is not a registered reviewer.").format(name=reviewer)})
    if call.status not in (CallStatus.PENDING, CallStatus.OPEN, CallStatus.REVIEW, CallStatus.DRAFT):
        raise ConflictError(_("The panel can no longer change: the call is “{status}”.").format(status=CallStatus(call.status).label),
                            code="panel_closed")
    if call.issuer_id in member_org_ids(reviewer):
        raise ConflictError(
            _("{name} acts for the issuer and cannot review this call (conflict of interest).").format(name=reviewer),
            code="conflict_of_interest",
        )
    with transaction.atomic():
        if PanelMember.objects.filter(call=call, reviewer=reviewer).exists():
            raise ConflictError(_("{name} is already on the panel.").format(name=reviewer), code="duplicate")
        before = snapshot(call)
        member = PanelMember.objects.create(call=call, reviewer=reviewer, assigned_by=user)
        record_change(call, ChangeAction.UPDATE, user=user, before=before, source=source,
                      extra={"panel_added": reviewer.get_username()})
    return member


def panel_remove(call: ChallengeCall, *, user: Any, reviewer: Any, source: str = "web") -> None:
    if not is_operator(user):
        raise PermissionDenied(_("Only platform operators form review panels."))
    with transaction.atomic():
        deleted, _rows = PanelMember.objects.filter(call=call, reviewer=reviewer).delete()
        if not deleted:
            raise ConflictError(_("{name} is not on the panel.").format(name=reviewer), code="not_on_panel")
        Review.objects.filter(bid__call=call, reviewer=reviewer).delete()
        record_change(call, ChangeAction.UPDATE, user=user, before=snapshot(call), source=source,
                      extra={"panel_removed": reviewer.get_username()})


def weighted_score(criteria: Sequence[ReviewCriterion], scores: Mapping[int, Decimal]) -> Decimal:
    """0–100: each score as a share of its maximum, weighted by the criterion's weight."""
    total_weight = sum(c.weight for c in criteria)
    value = sum((Decimal(scores[c.pk]) / c.max_score * c.weight for c in criteria), Decimal("0"))
    return (value / total_weight * 100).quantize(CENT, rounding=ROUND_HALF_UP)


def review_submit(
    bid: Bid, *, user: Any, scores: Mapping[int, Any] | Mapping[str, Any], comment: str = "", source: str = "web"
) -> Review:
    """A panel member scores a bid against the rubric while the call is under review (re-submitting replaces)."""
    bid = Bid.objects.select_related("call").get(pk=bid.pk)  # fresh states of the bid and its call
    call = bid.call
    if not PanelMember.objects.filter(call=call, reviewer=user).exists():
        raise PermissionDenied(_("Only members of the call's panel review its bids."))
    if conflict_of_interest(user, bid):
        raise ConflictError(
            _("You act for the bidder or the issuer and cannot review this bid (conflict of interest)."),
            code="conflict_of_interest",
        )
    if call.status != CallStatus.REVIEW:
        raise ConflictError(_("Bids are reviewed only while the call is under review."), code="not_in_review")
    if bid.status != BidStatus.SUBMITTED:
        raise ConflictError(_("Only submitted bids are reviewed."), code="invalid_bid")
    criteria = list(call.criteria.all())
    clean: dict[int, Decimal] = {}
    by_id = {c.pk: c for c in criteria}
    for key, raw in scores.items():
        try:
            cid = int(key)
            value = Decimal(str(raw))
        except (TypeError, ValueError, InvalidOperation) as exc:
            raise ValidationError({"scores": _("Scores must be numbers.")}) from exc
        if cid not in by_id:
            raise ValidationError({"scores": _("Criterion {id} is not part of this call's rubric.").format(id=key)})
        if not value.is_finite() or value < 0 or value > by_id[cid].max_score:
            raise ValidationError(
                {"scores": _("“{name}” is scored from 0 to {max}.").format(name=by_id[cid].name, max=by_id[cid].max_score)}
            )
        clean[cid] = value.quantize(CENT, rounding=ROUND_HALF_UP)
    missing = [c.name for c in criteria if c.pk not in clean]
    if missing:
        raise ValidationError({"scores": _("Score every criterion; missing: {names}.").format(names=", ".join(missing))})
    with transaction.atomic():
        review = Review.objects.select_for_update().filter(bid=bid, reviewer=user).first()
        action = ChangeAction.UPDATE if review else ChangeAction.CREATE
        before = snapshot(review) if review else None
        if review is None:
            review = Review(bid=bid, reviewer=user)
        review.comment = comment.strip()
        review.weighted_score = weighted_score(criteria, clean)
        review.submitted = timezone.now()
        review.save()
        review.scores.all().delete()
        ReviewScore.objects.bulk_create([ReviewScore(review=review, criterion_id=cid, score=v) for cid, v in clean.items()])
        record_change(review, action, user=user, before=before, source=source,
                      extra={"scores": {str(k): str(v) for k, v in sorted(clean.items())}})
    return review


# Delivery --------------------------------------------------------------------------------------


def _milestone_locked(milestone: BidMilestone) -> tuple[BidMilestone, ChallengeCall]:
    ms = BidMilestone.objects.select_for_update().select_related("bid", "bid__call").get(pk=milestone.pk)
    call = ms.bid.call
    if call.status != CallStatus.DELIVERY or ms.bid.status != BidStatus.AWARDED:
        raise ConflictError(_("Milestones are handled only for awarded bids of calls in delivery."), code="not_in_delivery")
    return ms, call


def milestone_submit(milestone: BidMilestone, *, user: Any, evidence: str, source: str = "web") -> BidMilestone:
    """The winning team reports a milestone as reached, with its evidence."""
    _require_member(user, milestone.bid.bidder, _("Only the bidder's members report milestones."))
    if not (evidence or "").strip():
        raise ValidationError({"evidence": _("Describe the evidence that the milestone is reached.")})
    with transaction.atomic():
        ms, _call = _milestone_locked(milestone)
        if ms.status not in (MilestoneStatus.PLANNED, MilestoneStatus.REJECTED):
            raise ConflictError(_("This milestone is already “{status}”.").format(status=MilestoneStatus(ms.status).label),
                                code="invalid_transition")
        before = snapshot(ms)
        ms.status = MilestoneStatus.SUBMITTED
        ms.evidence = evidence.strip()
        ms.submitted_at = timezone.now()
        ms.save(update_fields=["status", "evidence", "submitted_at"])
        record_change(ms, ChangeAction.UPDATE, user=user, before=before, source=source)
    return ms


def _milestone_decide(milestone: BidMilestone, *, user: Any, to: str, note: str, source: str) -> BidMilestone:
    # Who may decide comes before the state: others learn nothing about the call's stage (403, not 409).
    issuer = ChallengeCall.objects.select_related("issuer").get(bids__milestones=milestone).issuer
    if not (is_operator(user) or _acts_for(user, issuer)):
        raise PermissionDenied(_("Only the issuer's members or platform operators accept milestones."))
    with transaction.atomic():
        ms, call = _milestone_locked(milestone)
        if ms.status != MilestoneStatus.SUBMITTED:
            raise ConflictError(
                _("Only milestones with submitted evidence can be decided; this one is “{status}”.").format(
                    status=MilestoneStatus(ms.status).label
                ),
                code="invalid_transition",
            )
        before = snapshot(ms)
        ms.status = to
        ms.decision_note = note.strip()
        ms.decided_by = user
        ms.decided_at = timezone.now()
        ms.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
        record_change(ms, ChangeAction.UPDATE, user=user, before=before, source=source)
    return ms


def milestone_accept(milestone: BidMilestone, *, user: Any, note: str = "", source: str = "web") -> BidMilestone:
    return _milestone_decide(milestone, user=user, to=MilestoneStatus.ACCEPTED, note=note, source=source)


def milestone_reject(milestone: BidMilestone, *, user: Any, note: str, source: str = "web") -> BidMilestone:
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why the milestone is rejected.")})
    return _milestone_decide(milestone, user=user, to=MilestoneStatus.REJECTED, note=note, source=source)


# Technology contracts ----------------------------------------------------------------------------


def _require_party(user: Any, data: Mapping[str, Any], contract: TechnologyContract | None = None) -> None:
    if is_operator(user):
        return
    orgs = member_org_ids(user)
    seller = data.get("seller", contract.seller if contract else None)
    buyer = data.get("buyer", contract.buyer if contract else None)
    if not ({getattr(seller, "pk", None), getattr(buyer, "pk", None)} & orgs):
        raise PermissionDenied(_("You can only record contracts your organisation is a party to."))


def contract_create(*, user: Any, data: Mapping[str, Any], source: str = "web") -> TechnologyContract:
    if not can(user, ADD, model=TechnologyContract):
        raise PermissionDenied(_("You need to act for an organisation to record technology contracts."))
    _require_party(user, data)
    return object_create(TechnologyContract, user=user, data=data, source=source)


def contract_update(contract: TechnologyContract, *, user: Any, data: Mapping[str, Any], source: str = "web") -> TechnologyContract:
    if not can(user, CHANGE, contract):
        raise PermissionDenied(_("You may not change this contract."))
    _require_party(user, data, contract)
    return object_update(contract, user=user, data=data, source=source)


def contract_delete(contract: TechnologyContract, *, user: Any, source: str = "web") -> None:
    if not can(user, DELETE, contract):
        raise PermissionDenied(_("You may not delete this contract."))
    object_delete(contract, user=user, source=source)


# Policies and organisation profiles -----------------------------------------------------------


@dataclass(frozen=True)
class ConditionInput:
    kind: str
    value: Any
    note: str = ""


# Keyed by the plain string value (ConditionKind members compare and hash equal to it), as
# conditions arrive as strings.
_LIST_KINDS: dict[str, set[str]] = {
    ConditionKind.ORG_TYPE: set(OrganizationType.values),
    ConditionKind.SIZE: set(OrganizationSize.values),
    ConditionKind.CERTIFICATION: set(Certification.values),
}
_NUMBER_KINDS = {
    ConditionKind.RD_RATIO_MIN, ConditionKind.YEARS_MIN, ConditionKind.YEARS_MAX,
    ConditionKind.EMPLOYEES_MAX, ConditionKind.REVENUE_MAX,
}


def validate_condition(c: ConditionInput) -> Any:
    """The condition's value in its stored shape, or ValidationError."""
    if c.kind not in ConditionKind.values:
        raise ValidationError({"conditions": _("Unknown condition “{kind}”.").format(kind=c.kind)})
    if c.kind in _NUMBER_KINDS:
        try:
            number = Decimal(str(c.value))
        except (InvalidOperation, ValueError) as exc:
            raise ValidationError({"conditions": _("“{kind}” needs a number.").format(kind=ConditionKind(c.kind).label)}) from exc
        if not number.is_finite() or number < 0:
            raise ValidationError({"conditions": _("“{kind}” needs a number.").format(kind=ConditionKind(c.kind).label)})
        return str(number)
    values = c.value if isinstance(c.value, list | tuple) else [c.value]
    values = [str(v).strip() for v in values if str(v).strip()]
    if not values:
        raise ValidationError({"conditions": _("“{kind}” needs at least one value.").format(kind=ConditionKind(c.kind).label)})
    allowed = _LIST_KINDS.get(c.kind)
    if allowed is not None:
        bad = [v for v in values if v not in allowed]
        if bad:
            raise ValidationError({"conditions": _("“{value}” is not a valid value for “{kind}”.").format(
                value=bad[0], kind=ConditionKind(c.kind).label)})
    return values


def _set_conditions(policy: Policy, conditions: Sequence[ConditionInput] | None) -> None:
    if conditions is None:
        return
    rows = [PolicyCondition(policy=policy, kind=c.kind, value=validate_condition(c), note=c.note[:200]) for c in conditions]
    policy.conditions.all().delete()
    PolicyCondition.objects.bulk_create(rows)


def _require_operator(user: Any, message: str) -> None:
    if not is_operator(user):
        raise PermissionDenied(message)


def policy_create(
    *, user: Any, data: Mapping[str, Any], conditions: Sequence[ConditionInput] = (), source: str = "web"
) -> Policy:
    _require_operator(user, _("Only platform operators maintain the policy library."))
    for c in conditions:
        validate_condition(c)
    return object_create(Policy, user=user, data=data, source=source, after_save=lambda p: _set_conditions(p, list(conditions)))


def policy_update(
    policy: Policy, *, user: Any, data: Mapping[str, Any], conditions: Sequence[ConditionInput] | None = None,
    source: str = "web",
) -> Policy:
    _require_operator(user, _("Only platform operators maintain the policy library."))
    for c in conditions or ():
        validate_condition(c)
    return object_update(policy, user=user, data=data, source=source, after_save=lambda p: _set_conditions(p, conditions))


def policy_delete(policy: Policy, *, user: Any, source: str = "web") -> None:
    _require_operator(user, _("Only platform operators maintain the policy library."))
    object_delete(policy, user=user, source=source)


def profile_set(*, user: Any, organization: Organization, data: Mapping[str, Any], source: str = "web") -> OrganizationProfile:
    """Create or update the matcher facts of an organisation (its members or operators)."""
    if not (is_operator(user) or _acts_for(user, organization)):
        raise PermissionDenied(_("Only the organisation's members may state its facts."))
    certs = data.get("certifications")
    if certs is not None:
        bad = [c for c in certs if c not in Certification.values]
        if bad:
            raise ValidationError({"certifications": _("Unknown certification “{value}”.").format(value=bad[0])})
    profile = OrganizationProfile.objects.filter(organization=organization).first()
    if profile is None:
        return object_create(OrganizationProfile, user=user, data={**data, "organization": organization}, source=source)
    return object_update(profile, user=user, data={k: v for k, v in data.items() if k != "organization"}, source=source)


# Carrier spaces -------------------------------------------------------------------------------


def _require_space_owner(user: Any, operator_org: Organization | None) -> None:
    if is_operator(user):
        return
    _require_member(user, operator_org, _("You can only list spaces your organisation operates."))


def space_create(*, user: Any, data: Mapping[str, Any], source: str = "web") -> CarrierSpace:
    if not can(user, ADD, model=CarrierSpace):
        raise PermissionDenied(_("You need to act for an organisation to list carrier spaces."))
    _require_space_owner(user, data.get("operator_org"))
    return object_create(CarrierSpace, user=user, data=data, source=source)


def space_update(space: CarrierSpace, *, user: Any, data: Mapping[str, Any], source: str = "web") -> CarrierSpace:
    if not can(user, CHANGE, space):
        raise PermissionDenied(_("You may not change this carrier space."))
    if "operator_org" in data:
        _require_space_owner(user, data["operator_org"])
    return object_update(space, user=user, data=data, source=source)


def space_delete(space: CarrierSpace, *, user: Any, source: str = "web") -> None:
    if not can(user, DELETE, space):
        raise PermissionDenied(_("You may not delete this carrier space."))
    object_delete(space, user=user, source=source)


