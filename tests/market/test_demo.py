"""The market demo: deterministic, re-runnable, and matching the seed's figures."""

from decimal import Decimal

from corridor.market import selectors
from corridor.market.choices import CallStatus
from corridor.market.demo import LEDGER_TOTAL, load_market_demo
from corridor.market.models import ChallengeCall, Policy, TechnologyContract


def test_demo_loads_twice_with_the_same_content(db):
    first = load_market_demo()
    second = load_market_demo()
    assert first == second
    assert TechnologyContract.objects.count() == first["contracts"]
    statuses = set(ChallengeCall.objects.values_list("status", flat=True))
    assert {CallStatus.DRAFT, CallStatus.PENDING, CallStatus.OPEN, CallStatus.REVIEW, CallStatus.DELIVERY,
            CallStatus.ACCEPTED, CallStatus.AWARDED} <= statuses
    assert ChallengeCall.objects.filter(issuer__name="上海化工研究院有限公司").exists()


def test_demo_ledger_reaches_beyond_the_corridor(db):
    load_market_demo()
    stats = selectors.contract_stats(TechnologyContract.objects.all())
    assert stats["total_amount"] == LEDGER_TOTAL
    assert Decimal("16000000") < stats["total_amount"] < Decimal("16500000")
    places = {p["place"] for p in stats["radiation"]["places"]}
    assert {"南通", "扬州", "DE", "JP"} <= places


def test_demo_policies_and_open_call(db):
    load_market_demo()
    assert selectors.open_calls().count() == 1
    assert selectors.active_policies().count() == Policy.objects.count() - 1  # one expired demo policy
