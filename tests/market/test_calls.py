"""The challenge-call lifecycle: allowed and refused transitions, who may make them, the audit trail."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from corridor.core.errors import ConflictError
from corridor.core.history import history_for
from corridor.market import services
from corridor.market.choices import BidStatus, CallStatus, MilestoneStatus
from corridor.market.models import ChallengeCall
from corridor.market.services import AwardInput
from tests.market.conftest import AFTER_DEADLINE, DEADLINE, T0, call_data, clock, open_call, submit_bid


def test_draft_gets_default_rubric_and_is_private(world):
    with clock(T0):
        call = services.call_create(user=world.owner, data=call_data(world.org))
    assert call.status == CallStatus.DRAFT
    assert call.criteria.count() == 4
    assert sum(c.weight for c in call.criteria.all()) == 100
    assert not ChallengeCall.objects.restrict(world.stranger).filter(pk=call.pk).exists()
    assert ChallengeCall.objects.restrict(world.owner).filter(pk=call.pk).exists()
    record = history_for(call).first()
    assert record.user == world.owner and record.action == "create"


def test_stranger_cannot_post_for_other_org(world):
    with pytest.raises(PermissionDenied):
        services.call_create(user=world.stranger, data=call_data(world.org))


def test_full_cycle(world):
    call = open_call(world)
    assert call.status == CallStatus.OPEN and call.published_at == T0 and call.approved_by == world.operator
    bid = submit_bid(world, call)
    with clock(AFTER_DEADLINE):
        call = services.call_close_bidding(call, user=world.owner)
    assert call.status == CallStatus.REVIEW
    call = services.call_award(call, user=world.owner, awards=[AwardInput(bid=bid, reason="方案最优，团队有中试经验")])
    bid.refresh_from_db()
    assert call.status == CallStatus.AWARDED
    assert bid.status == BidStatus.AWARDED and bid.award_reason and bid.awarded_amount == Decimal("2000000.00")
    call = services.call_start_delivery(call, user=world.owner)
    ms1, ms2 = bid.milestones.all()
    with pytest.raises(ConflictError):
        services.call_accept(call, user=world.owner)  # milestones still open
    services.milestone_submit(ms1, user=world.stranger, evidence="小试报告见附件")
    services.milestone_reject(ms1, user=world.owner, note="活性未达标")
    ms1.refresh_from_db()
    assert ms1.status == MilestoneStatus.REJECTED
    services.milestone_submit(ms1, user=world.stranger, evidence="复测报告")
    services.milestone_accept(ms1, user=world.owner)
    services.milestone_submit(ms2, user=world.stranger, evidence="中试报告")
    services.milestone_accept(ms2, user=world.operator, note="验收通过")
    call = services.call_accept(call, user=world.owner, note="整体验收通过")
    assert call.status == CallStatus.ACCEPTED and call.finished_at is not None
    statuses = [r.changes.get("status") for r in history_for(call).order_by("id") if "status" in r.changes]
    assert statuses[0] == CallStatus.DRAFT or statuses[0] == [CallStatus.DRAFT, CallStatus.PENDING]
    assert [CallStatus.DELIVERY, CallStatus.ACCEPTED] in statuses


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("publish_draft", CallStatus.DRAFT),
        ("close_open_before_deadline", CallStatus.OPEN),
        ("award_open", CallStatus.OPEN),
        ("submit_open", CallStatus.OPEN),
        ("cancel_accepted", CallStatus.ACCEPTED),
        ("deliver_review", CallStatus.REVIEW),
    ],
)
def test_refused_transitions_leave_call_unchanged(world, action, status):
    with clock(T0):
        call = services.call_create(user=world.owner, data=call_data(world.org))
    ChallengeCall.objects.filter(pk=call.pk).update(status=status)
    call.refresh_from_db()
    with clock(T0), pytest.raises(ConflictError):
        if action == "publish_draft":
            services.call_publish(call, user=world.operator)
        elif action == "close_open_before_deadline":
            services.call_close_bidding(call, user=world.owner)
        elif action == "award_open":
            services.call_award(call, user=world.owner, awards=[AwardInput(bid=_fake_bid(world, call), reason="x")])
        elif action == "submit_open":
            services.call_submit(call, user=world.owner)
        elif action == "cancel_accepted":
            services.call_cancel(call, user=world.owner, reason="资金撤回")
        elif action == "deliver_review":
            services.call_start_delivery(call, user=world.owner)
    call.refresh_from_db()
    assert call.status == status


def _fake_bid(world, call):
    from corridor.market.models import Bid

    return Bid.objects.create(call=call, bidder=world.other_org, approach="x", budget=1, submitted_at=T0)


def test_only_operators_publish_and_return(world):
    with clock(T0):
        call = services.call_create(user=world.owner, data=call_data(world.org))
        call = services.call_submit(call, user=world.owner)
        with pytest.raises(PermissionDenied):
            services.call_publish(call, user=world.owner)
        with pytest.raises(ValidationError):
            services.call_return(call, user=world.operator, reason=" ")
        call = services.call_return(call, user=world.operator, reason="奖金金额需注明来源")
    assert call.status == CallStatus.DRAFT and call.status_note == "奖金金额需注明来源"


def test_publishing_needs_future_deadline(world):
    with clock(T0):
        call = services.call_create(user=world.owner, data=call_data(world.org))
        call = services.call_submit(call, user=world.owner)
    with clock(AFTER_DEADLINE), pytest.raises(ConflictError) as exc:
        services.call_publish(call, user=world.operator)
    assert exc.value.code == "deadline_passed"


def test_edit_only_in_draft(world):
    call = open_call(world)
    with pytest.raises(ConflictError):
        services.call_update(call, user=world.owner, data={"title": "新标题"})
    call.refresh_from_db()
    assert call.title != "新标题"


def test_close_bidding_exactly_at_deadline(world):
    call = open_call(world)
    with clock(DEADLINE - dt.timedelta(seconds=1)), pytest.raises(ConflictError):
        services.call_close_bidding(call, user=world.owner)
    with clock(DEADLINE):
        call = services.call_close_bidding(call, user=world.owner)
    assert call.status == CallStatus.REVIEW


def test_stranger_cannot_close_or_award(world):
    call = open_call(world)
    bid = submit_bid(world, call)
    with clock(AFTER_DEADLINE), pytest.raises(PermissionDenied):
        services.call_close_bidding(call, user=world.stranger)
    with clock(AFTER_DEADLINE):
        call = services.call_close_bidding(call, user=world.operator)
    with pytest.raises(PermissionDenied):
        services.call_award(call, user=world.stranger, awards=[AwardInput(bid=bid, reason="自荐")])


def test_award_needs_reasons_and_valid_bids(world, bidder_org):
    call = open_call(world)
    bid = submit_bid(world, call)
    from tests import factories as f

    other_user = f.user("wuxi", org=bidder_org)
    bid2 = submit_bid(world, call, org=bidder_org, user=other_user)
    with clock(AFTER_DEADLINE):
        call = services.call_close_bidding(call, user=world.owner)
    with pytest.raises(ValidationError):
        services.call_award(call, user=world.owner, awards=[AwardInput(bid=bid, reason="")])
    with pytest.raises(ConflictError):
        services.call_award(call, user=world.owner, awards=[AwardInput(bid=bid, reason="a", amount=Decimal("3000000"))])
    call.refresh_from_db()
    assert call.status == CallStatus.REVIEW
    call = services.call_award(
        call, user=world.owner,
        awards=[AwardInput(bid=bid, reason="主方案", amount=Decimal("1500000")), AwardInput(bid=bid2, reason="互补方案", amount=Decimal("500000"))],
    )
    bid.refresh_from_db()
    bid2.refresh_from_db()
    assert (bid.status, bid2.status) == (BidStatus.AWARDED, BidStatus.AWARDED)
    assert bid.awarded_amount + bid2.awarded_amount == Decimal("2000000")


def test_losing_bids_marked_not_awarded(world, bidder_org):
    from tests import factories as f

    call = open_call(world)
    winner = submit_bid(world, call)
    loser = submit_bid(world, call, org=bidder_org, user=f.user("wx", org=bidder_org))
    with clock(AFTER_DEADLINE):
        call = services.call_close_bidding(call, user=world.owner)
    services.call_award(call, user=world.owner, awards=[AwardInput(bid=winner, reason="best")])
    loser.refresh_from_db()
    assert loser.status == BidStatus.NOT_AWARDED


def test_cancel_needs_reason_and_closes_bids(world):
    call = open_call(world)
    bid = submit_bid(world, call)
    with pytest.raises(ValidationError):
        services.call_cancel(call, user=world.owner, reason="")
    call = services.call_cancel(call, user=world.owner, reason="需求已由内部解决")
    bid.refresh_from_db()
    assert call.status == CallStatus.CANCELLED and bid.status == BidStatus.NOT_AWARDED


def test_fail_delivery(world):
    call = open_call(world)
    bid = submit_bid(world, call)
    with clock(AFTER_DEADLINE):
        call = services.call_close_bidding(call, user=world.owner)
    call = services.call_award(call, user=world.owner, awards=[AwardInput(bid=bid, reason="ok")])
    call = services.call_start_delivery(call, user=world.owner)
    with pytest.raises(ValidationError):
        services.call_fail(call, user=world.owner, reason="")
    call = services.call_fail(call, user=world.owner, reason="中试未达到指标")
    assert call.status == CallStatus.FAILED


def test_milestone_decisions_need_issuer(world):
    call = open_call(world)
    bid = submit_bid(world, call)
    with clock(AFTER_DEADLINE):
        call = services.call_close_bidding(call, user=world.owner)
    call = services.call_award(call, user=world.owner, awards=[AwardInput(bid=bid, reason="ok")])
    ms = bid.milestones.first()
    with pytest.raises(ConflictError):  # not yet in delivery
        services.milestone_submit(ms, user=world.stranger, evidence="报告")
    services.call_start_delivery(call, user=world.owner)
    with pytest.raises(PermissionDenied):
        services.milestone_submit(ms, user=world.owner, evidence="报告")
    services.milestone_submit(ms, user=world.stranger, evidence="报告")
    with pytest.raises(PermissionDenied):
        services.milestone_accept(ms, user=world.stranger)
    with pytest.raises(ValidationError):
        services.milestone_reject(ms, user=world.owner, note="")
    with pytest.raises(ConflictError):
        services.milestone_submit(ms, user=world.stranger, evidence="again")
    ms.refresh_from_db()
    assert ms.status == MilestoneStatus.SUBMITTED
    record = history_for(ms).first()
    assert record.user == world.stranger and record.changes["status"] == ["planned", "submitted"]
