"""A crash in the middle of a multi-step operation leaves every table as it was.

For each operation the number of change records it writes is counted in a dry run (rolled back);
then it runs again with the first, and with the last, of those writes raising — the last one
comes after every other write of the operation. Afterwards every table of the database (row
counts and a hash of the ordered rows) must equal its state before the operation.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from corridor.brokers import services as brokers_services
from corridor.brokers.models import Case
from corridor.core.backup import fingerprints
from corridor.labs import services as labs_services
from corridor.labs.choices import BookingStatus
from corridor.lists import services as lists_services
from corridor.lists.choices import DemandStatus
from corridor.market import services as market_services
from corridor.market.models import ChallengeCall
from corridor.market.services import AwardInput
from corridor.transfer.choices import ImportMode, ImportStatus
from corridor.transfer.models import ImportRun
from corridor.transfer.services import import_commit, import_upload
from tests import factories as f
from tests.brokers.conftest import open_case
from tests.labs.conftest import local, make_instrument, monday
from tests.market.conftest import AFTER_DEADLINE, clock, open_call, submit_bid
from tests.reliability.conftest import Crash, count_history_writes, history_writes
from tests.transfer.helpers import xlsx

WHERE = ["first", "last"]


def _crash_leaves_all_tables(operation, where: str, *, at_least: int = 1, progress_of=None) -> int:
    """``progress_of``: a table whose row may change (a progress counter kept outside the transaction for pages
    polling it); it is compared separately by the caller."""
    writes = count_history_writes(operation)
    assert writes >= at_least, f"the operation wrote {writes} change records"
    before = fingerprints()
    with history_writes(crash_at=1 if where == "first" else writes) as calls, pytest.raises(Crash):
        operation()
    assert calls[0] == (1 if where == "first" else writes)
    after = fingerprints()
    changed = sorted(t for t in before if before[t] != after[t] and t != progress_of)
    assert not changed, f"tables changed by a failed operation: {changed}"
    return writes


@pytest.mark.django_db
@pytest.mark.parametrize("where", WHERE)
def test_import_commit(world, tmp_path, where):
    head = ["外部编号", "资源名称", "资源类型", "所属机构", "所在城市", "产业领域", "能力描述", "最低技术成熟度", "最高技术成熟度"]
    rows = [[f"R{i}", f"中试平台{i}", "中试平台", world.org.name, "苏州", "2614", "描述", 3, 7] for i in range(30)]
    path = xlsx(tmp_path / "r.xlsx", [head, *rows])
    with open(path, "rb") as fh:
        run = import_upload(user=world.owner, file=fh, file_name="r.xlsx", type="resources", organization=None,
                            mode=ImportMode.ALL_OR_NOTHING, dry_run=False, source="cli", size=path.stat().st_size)
    assert run.status != ImportStatus.REJECTED, run.message

    def operation():
        run.refresh_from_db()
        return import_commit(run, user=world.owner)

    def state():
        return ImportRun.objects.values(*[f.name for f in ImportRun._meta.concrete_fields if f.name not in {"progress", "phase"}]).get(pk=run.pk)

    before = state()
    _crash_leaves_all_tables(operation, where, progress_of="transfer_importrun")
    assert state() == before  # only the progress counter moved; status, counts and messages are as before
    assert import_commit(run, user=world.owner).status == ImportStatus.COMMITTED  # and it still works


@pytest.mark.django_db
@pytest.mark.parametrize("where", WHERE)
def test_challenge_award(world, where):
    call = open_call(world)
    nanjing = f.organization(city_name="南京")
    bids = [submit_bid(world, call), submit_bid(world, call, org=nanjing, user=f.user(org=nanjing))]
    with clock(AFTER_DEADLINE):
        market_services.call_close_bidding(call, user=world.owner)

    def operation():
        fresh = ChallengeCall.objects.get(pk=call.pk)
        return market_services.call_award(fresh, user=world.owner, awards=[AwardInput(bid=bids[0], reason="方案最优", amount=Decimal("1500000.00"))])

    # the call, the awarded bid and the other bid: three change records
    assert _crash_leaves_all_tables(operation, where, at_least=3) >= 3
    assert operation().status == "awarded"


@pytest.mark.django_db
@pytest.mark.parametrize("where", WHERE)
def test_booking_request_and_approve(world, where):
    inst = make_instrument(world.owner, world.org, approval_required=True)
    day = monday()

    def request():
        return labs_services.booking_request(user=world.stranger, instrument=inst, start=local(day, 9), end=local(day, 11), purpose="SEM")

    _crash_leaves_all_tables(request, where)
    booking = request()
    assert booking.status == BookingStatus.REQUESTED

    def approve():
        booking.refresh_from_db()
        return labs_services.booking_approve(booking, user=world.owner, note="OK")

    _crash_leaves_all_tables(approve, where)
    assert approve().status == BookingStatus.CONFIRMED


@pytest.mark.django_db
@pytest.mark.parametrize("where", WHERE)
def test_case_stage_transition(world, where):
    from corridor.brokers.models import TechnologyManager

    TechnologyManager.objects.create(user=world.manager, city=f.city("上海"), expertise="催化剂")
    world.demand = f.demand(world.other_org)
    case = open_case(world)

    def operation():
        fresh = Case.objects.get(pk=case.pk)
        return brokers_services.case_advance(fresh, user=world.operator, to="matching", note="对接", at=None)

    _crash_leaves_all_tables(operation, where)
    assert operation().stage == "matching"


@pytest.mark.django_db
@pytest.mark.parametrize("where", WHERE)
def test_demand_workflow_transition(world, where):
    demand = f.demand(world.org)
    assert demand.status == DemandStatus.PUBLISHED, demand.status

    def operation():
        demand.refresh_from_db()
        return lists_services.demand_transition(demand, user=world.owner, to=DemandStatus.NEGOTIATING)

    _crash_leaves_all_tables(operation, where)
    assert operation().status == DemandStatus.NEGOTIATING

