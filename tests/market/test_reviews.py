"""Review panels: conflict-of-interest exclusion, rubric scoring, ranking, blind review."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from corridor.core.errors import ConflictError
from corridor.market import selectors, services
from corridor.market.models import ReviewCriterion
from corridor.market.services import CriterionInput
from tests import factories as f
from tests.market.conftest import AFTER_DEADLINE, T0, call_data, clock, open_call, submit_bid


def _in_review(world, bidder_org, **kw):
    call = open_call(world, **kw)
    wuxi_user = f.user("wuxi", org=bidder_org)
    a = submit_bid(world, call)
    b = submit_bid(world, call, org=bidder_org, user=wuxi_user, team_name="无锡团队")
    return call, a, b, wuxi_user


def _scores(call, *values):
    return {c.pk: v for c, v in zip(call.criteria.all(), values, strict=True)}


def test_panel_refuses_issuer_affiliated_reviewer(world):
    call = open_call(world)
    insider = f.user("insider", org=world.org, is_reviewer=True)
    with pytest.raises(ConflictError) as exc:
        services.panel_assign(call, user=world.operator, reviewer=insider)
    assert exc.value.code == "conflict_of_interest"
    assert not call.panel.exists()


def test_panel_rules(world):
    call = open_call(world)
    with pytest.raises(PermissionDenied):
        services.panel_assign(call, user=world.owner, reviewer=world.reviewer)
    with pytest.raises(ValidationError):
        services.panel_assign(call, user=world.operator, reviewer=world.manager)  # not a reviewer
    services.panel_assign(call, user=world.operator, reviewer=world.reviewer)
    with pytest.raises(ConflictError):
        services.panel_assign(call, user=world.operator, reviewer=world.reviewer)


def test_reviewer_of_bidder_org_excluded_from_that_bid(world, bidder_org):
    call, a, b, _u = _in_review(world, bidder_org)
    wuxi_reviewer = f.user("wuxi_expert", org=bidder_org, is_reviewer=True)
    services.panel_assign(call, user=world.operator, reviewer=wuxi_reviewer)
    services.panel_assign(call, user=world.operator, reviewer=world.reviewer)
    with clock(AFTER_DEADLINE):
        call = services.call_close_bidding(call, user=world.owner)
    assert list(selectors.reviewable_bids(wuxi_reviewer, call)) == [a]
    assert list(selectors.reviewable_bids(world.reviewer, call)) == [a, b]
    with pytest.raises(ConflictError) as exc:
        services.review_submit(b, user=wuxi_reviewer, scores=_scores(call, 10, 10, 10, 10))
    assert exc.value.code == "conflict_of_interest"
    assert not b.reviews.exists()
    services.review_submit(a, user=wuxi_reviewer, scores=_scores(call, 5, 5, 5, 5))


def test_review_only_by_panel_and_in_review(world, bidder_org):
    call, a, _b, _u = _in_review(world, bidder_org)
    with pytest.raises(PermissionDenied):
        services.review_submit(a, user=world.reviewer, scores=_scores(call, 1, 1, 1, 1))
    services.panel_assign(call, user=world.operator, reviewer=world.reviewer)
    with pytest.raises(ConflictError) as exc:  # still open for bids
        services.review_submit(a, user=world.reviewer, scores=_scores(call, 1, 1, 1, 1))
    assert exc.value.code == "not_in_review"


def test_scores_validated_and_weighted(world, bidder_org):
    with clock(T0):
        call = services.call_create(
            user=world.owner,
            data=call_data(world.org),
            criteria=[CriterionInput("技术方案", 60, max_score=10), CriterionInput("团队", 40, max_score=5)],
        )
        services.call_submit(call, user=world.owner)
        services.call_publish(call, user=world.operator)
    wuxi_user = f.user("wuxi", org=bidder_org)
    a = submit_bid(world, call)
    b = submit_bid(world, call, org=bidder_org, user=wuxi_user)
    r2 = f.user("r2", is_reviewer=True)
    for r in (world.reviewer, r2):
        services.panel_assign(call, user=world.operator, reviewer=r)
    with clock(AFTER_DEADLINE):
        call = services.call_close_bidding(call, user=world.owner)
    tech, team = ReviewCriterion.objects.filter(call=call).order_by("order")
    with pytest.raises(ValidationError):
        services.review_submit(a, user=world.reviewer, scores={tech.pk: 11, team.pk: 1})
    with pytest.raises(ValidationError):
        services.review_submit(a, user=world.reviewer, scores={tech.pk: 5})
    with pytest.raises(ValidationError):
        services.review_submit(a, user=world.reviewer, scores={tech.pk: "abc", team.pk: 1})
    # (8/10·60 + 4/5·40)/100·100 = 80.00 ; (6/10·60 + 5/5·40) = 76.00 → mean 78.00
    r = services.review_submit(a, user=world.reviewer, scores={tech.pk: 8, team.pk: 4}, comment="扎实")
    assert r.weighted_score == Decimal("80.00")
    services.review_submit(a, user=r2, scores={tech.pk: 6, team.pk: 5})
    # (10/10·60 + 2/5·40) = 76.00 → below a
    services.review_submit(b, user=world.reviewer, scores={tech.pk: 10, team.pk: 2})
    ranking = selectors.call_ranking(call)
    assert [(x.rank, x.bid, x.score, x.reviews) for x in ranking] == [
        (1, a, Decimal("78.00"), 2),
        (2, b, Decimal("76.00"), 1),
    ]
    # Re-submitting replaces the reviewer's earlier review.
    services.review_submit(b, user=world.reviewer, scores={tech.pk: 10, team.pk: 5})
    assert b.reviews.count() == 1
    assert selectors.call_ranking(call)[0].bid == b


def test_blind_review_hides_identity_from_reviewers(world, bidder_org):
    call, a, b, wuxi_user = _in_review(world, bidder_org, blind_review=True)
    services.panel_assign(call, user=world.operator, reviewer=world.reviewer)
    shown = selectors.bid_presentation(b, world.reviewer)
    assert shown["identity_hidden"] is True
    assert shown["bidder_id"] is None and shown["bidder_name"] is None and shown["team_name"] == ""
    assert "无锡" not in str(shown)
    assert shown["label"] == f"Anonymous bid #{b.pk}" or str(b.pk) in shown["label"]
    # The issuer, the bidder itself and operators still see who it is.
    for viewer in (world.owner, wuxi_user, world.operator):
        assert selectors.bid_presentation(b, viewer)["bidder_name"] == bidder_org.name


def test_open_review_shows_identity(world, bidder_org):
    call, a, b, _u = _in_review(world, bidder_org)
    services.panel_assign(call, user=world.operator, reviewer=world.reviewer)
    assert selectors.bid_presentation(b, world.reviewer)["bidder_name"] == bidder_org.name


def test_payment_schedule_follows_accepted_milestones(world, bidder_org):
    from corridor.market.services import AwardInput

    call, a, b, _u = _in_review(world, bidder_org)
    with clock(AFTER_DEADLINE):
        call = services.call_close_bidding(call, user=world.owner)
    services.call_award(call, user=world.owner, awards=[AwardInput(bid=a, reason="best")])
    services.call_start_delivery(call, user=world.owner)
    schedule = selectors.payment_schedule(call)
    assert schedule["planned"] == Decimal("600000.00") and schedule["payable"] == 0
    first = a.milestones.first()
    with clock(AFTER_DEADLINE + dt.timedelta(days=60)):
        services.milestone_submit(first, user=world.stranger, evidence="报告")
        services.milestone_accept(first, user=world.owner)
    schedule = selectors.payment_schedule(call)
    assert schedule["payable"] == Decimal("300000.00") and schedule["outstanding"] == Decimal("300000.00")
    assert [line.cumulative for line in schedule["lines"]] == [Decimal("300000.00"), Decimal("300000.00")]
