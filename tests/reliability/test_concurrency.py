"""Operations that race, on PostgreSQL (demand transitions, bids at the deadline, the agreement
version counter): many threads (each with its own connection) wait at a
barrier and then do the same thing at once. Exactly one wins where only one may, and what is in
the database afterwards is consistent with the answers the threads got.

Bookings race in tests/labs/test_concurrency.py. On SQLite these tests are skipped: its single
writer lock serialises every write transaction, so there is no race to test (the in-memory
shared-cache test database answers "table is locked" instead of waiting).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from corridor.core.errors import ConflictError
from corridor.core.models import ChangeRecord
from corridor.lists import services as lists_services
from corridor.lists.choices import DemandStatus
from corridor.lists.models import Demand
from corridor.market import services as market_services
from corridor.market.choices import BidStatus, CallStatus
from corridor.market.models import Bid, ChallengeCall
from tests import factories as f
from tests.market.conftest import DEADLINE, T0, clock, milestones, open_call

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("races need PostgreSQL's row locks; SQLite serialises every writer (run with DATABASE_URL=postgres://…)")


def race(jobs: list[Callable[[], Any]]) -> Counter[str]:
    """Run every job in its own thread, all released at once; count the outcomes."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(job: Callable[[], Any]) -> None:
        outcome = "?"
        try:
            barrier.wait(timeout=30)
            job()
            outcome = "ok"
        except ConflictError as exc:
            outcome = exc.code
        except Exception as exc:  # noqa: BLE001 - any other error fails the test with its text
            outcome = f"error: {exc!r}"
        finally:
            connection.close()  # each thread's own connection, so the test database can be dropped
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return Counter(outcomes)


def test_demand_moved_by_several_operators_at_once(world):
    demand = f.demand(world.org)
    assert demand.status == DemandStatus.PUBLISHED
    operators = [f.operator(f"race-op{i}") for i in range(THREADS)]
    mark = ChangeRecord.objects.count()
    # half move it to negotiating, half close it: from "published" both are allowed, but only one
    # move can happen first; neither is allowed from the other's target state... except closing a
    # negotiating demand, so the outcome is one of two consistent histories
    targets = [DemandStatus.NEGOTIATING if i % 2 else DemandStatus.CLOSED for i in range(THREADS)]
    results = race([
        (lambda op=op, to=to: lists_services.demand_transition(Demand.objects.get(pk=demand.pk), user=op, to=to))
        for op, to in zip(operators, targets, strict=True)
    ])
    assert set(results) <= {"ok", "invalid_transition"}, results
    demand.refresh_from_db()
    records = list(ChangeRecord.objects.filter(pk__gt=mark, object_id=demand.pk).order_by("pk"))
    assert len(records) == results["ok"]
    path = [r.changes["status"] for r in records]
    # every recorded move starts where the previous one ended: no lost update
    assert path[0][0] == DemandStatus.PUBLISHED
    for (_a, b), (c, _d) in zip(path, path[1:], strict=False):
        assert b == c, path
    assert demand.status == path[-1][1]
    assert results["ok"] in (1, 2)  # published→closed, or published→negotiating→closed


def test_same_move_twice_at_once_one_winner(world):
    demand = f.demand(world.org)
    operators = [f.operator(f"race-op{i}") for i in range(THREADS)]
    results = race([
        (lambda op=op: lists_services.demand_transition(Demand.objects.get(pk=demand.pk), user=op, to=DemandStatus.NEGOTIATING))
        for op in operators
    ])
    assert results == Counter({"ok": 1, "invalid_transition": THREADS - 1}), results
    assert ChangeRecord.objects.filter(object_id=demand.pk, changes__status__isnull=False).count() == 1


def _bidders(n: int) -> list[tuple[Any, Any]]:
    cities = ["南京", "苏州", "无锡", "常州", "镇江", "南通", "扬州", "泰州"]
    out = []
    for i in range(n):
        org = f.organization(f"揭榜并发测试{i}", city_name=cities[i % len(cities)])
        out.append((org, f.user(f"bidder{i}", org=org)))
    return out


def _payload() -> dict[str, Any]:
    return {"approach": "负载型茂金属催化体系", "budget": Decimal("1000000.00"), "team_name": "攻关队", "team_members": [{"name": "王工", "role": "负责人"}]}


def test_one_organisation_bidding_many_times_at_once_keeps_one_bid(world):
    call = open_call(world)
    org, person = _bidders(1)[0]
    with clock(T0 + dt.timedelta(days=1)):
        results = race([
            (lambda: market_services.bid_submit(user=person, call=call, bidder=org, data=_payload(), milestones=milestones()))
            for _ in range(THREADS)
        ])
    assert results == Counter({"ok": 1, "duplicate_bid": THREADS - 1}), results
    assert Bid.objects.filter(call=call, bidder=org).count() == 1


def test_bids_racing_the_close_at_the_deadline(world):
    """Bidders whose clock reads one second before the deadline race the issuer closing bidding one
    second after it. Every bid either got in before the close (and is kept) or was refused as
    not open; none is written after the call left the open state."""
    call = open_call(world)
    bidders = _bidders(THREADS - 1)
    local = threading.local()
    real_now = timezone.now

    def now() -> dt.datetime:
        return getattr(local, "now", None) or real_now()

    def bid(org: Any, person: Any) -> Any:
        local.now = DEADLINE - dt.timedelta(seconds=1)
        return market_services.bid_submit(user=person, call=call, bidder=org, data=_payload(), milestones=milestones())

    def close() -> Any:
        local.now = DEADLINE + dt.timedelta(seconds=1)
        return market_services.call_close_bidding(ChallengeCall.objects.get(pk=call.pk), user=world.owner)

    with mock.patch.object(timezone, "now", side_effect=now):
        results = race([close, *[(lambda o=o, p=p: bid(o, p)) for o, p in bidders]])
    assert set(results) <= {"ok", "call_not_open"}, results
    call.refresh_from_db()
    assert call.status == CallStatus.REVIEW
    kept = Bid.objects.filter(call=call, status=BidStatus.SUBMITTED).count()
    assert kept == results["ok"] - 1  # every bid answered "ok" is there; the close is the other "ok"
    assert kept + results["call_not_open"] == THREADS - 1


def test_agreement_versions_saved_at_once_are_numbered_without_gaps(world):
    """The only sequence number the platform keeps itself: each save of a cooperation item's
    benefit-sharing agreement takes the next version; saves at once get 1..N, none twice."""
    from corridor.insights import services as insights_services
    from corridor.insights.models import Agreement
    from tests.insights.test_agreements import inputs

    world.factory = f.organization("无锡并发测试制造有限公司", city_name="无锡")
    item = f.cooperation([(world.org, "rd"), (world.factory, "production")], title="并发保存协议")
    data = inputs(world)
    operators = [f.operator(f"race-agr{i}") for i in range(THREADS)]
    results = race([
        (lambda op=op: insights_services.agreement_save(user=op, cooperation=item, inputs=data)) for op in operators
    ])
    assert results == Counter({"ok": THREADS}), results
    versions = sorted(Agreement.objects.filter(cooperation=item).values_list("version", flat=True))
    assert versions == list(range(1, THREADS + 1))
