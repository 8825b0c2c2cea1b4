"""Business rules of the three lists: status workflow, the two-cities rule, owner checks."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from corridor.core.errors import ConflictError
from corridor.core.history import history_for
from corridor.lists import services
from corridor.lists.choices import DemandStatus, PartyRole
from corridor.lists.services import PartyInput
from tests import factories as f


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        (DemandStatus.DRAFT, DemandStatus.PUBLISHED, True),
        (DemandStatus.DRAFT, DemandStatus.SOLVED, False),
        (DemandStatus.PUBLISHED, DemandStatus.NEGOTIATING, True),
        (DemandStatus.PUBLISHED, DemandStatus.COOPERATING, False),
        (DemandStatus.NEGOTIATING, DemandStatus.COOPERATING, True),
        (DemandStatus.NEGOTIATING, DemandStatus.PUBLISHED, True),
        (DemandStatus.COOPERATING, DemandStatus.SOLVED, True),
        (DemandStatus.COOPERATING, DemandStatus.DRAFT, False),
        (DemandStatus.SOLVED, DemandStatus.CLOSED, False),
        (DemandStatus.CLOSED, DemandStatus.PUBLISHED, False),
    ],
)
def test_demand_transitions(world, start, target, allowed):
    demand = f.demand(world.org, status=start)
    if allowed:
        demand = services.demand_transition(demand, user=world.owner, to=target)
        assert demand.status == target
        record = history_for(demand).first()
        assert record.changes["status"] == [start, target]
        assert record.user == world.owner
    else:
        with pytest.raises(ConflictError):
            services.demand_transition(demand, user=world.owner, to=target)
        demand.refresh_from_db()
        assert demand.status == start


def test_publishing_stamps_time(world):
    demand = f.demand(world.org, status=DemandStatus.DRAFT)
    assert demand.published_at is None
    demand = services.demand_transition(demand, user=world.owner, to=DemandStatus.PUBLISHED)
    assert demand.published_at is not None


def test_stranger_cannot_transition(world):
    demand = f.demand(world.org)
    with pytest.raises(PermissionDenied):
        services.demand_transition(demand, user=world.stranger, to=DemandStatus.CLOSED)


def test_cooperation_needs_two_cities(world):
    same_city = f.organization("上海另一家公司", city_name="上海")
    with pytest.raises(ValidationError) as exc:
        services.cooperation_create(
            user=world.owner,
            data={"title": "同城合作", "type": "joint_rd"},
            parties=[PartyInput(world.org, PartyRole.RD), PartyInput(same_city, PartyRole.PRODUCTION)],
        )
    assert "parties" in exc.value.message_dict
    item = services.cooperation_create(
        user=world.owner,
        data={"title": "沪苏合作", "type": "joint_rd"},
        parties=[PartyInput(world.org, PartyRole.RD), PartyInput(world.other_org, PartyRole.PRODUCTION)],
    )
    assert item.rd_production_split is True
    assert {p.organization_id for p in item.parties.all()} == {world.org.pk, world.other_org.pk}


def test_cooperation_needs_two_parties(world):
    with pytest.raises(ValidationError):
        services.cooperation_create(
            user=world.owner, data={"title": "独角戏", "type": "joint_rd"}, parties=[PartyInput(world.org, PartyRole.RD)]
        )


def test_failed_cooperation_leaves_nothing(world):
    from corridor.lists.models import CooperationItem

    before = CooperationItem.objects.count()
    with pytest.raises(ValidationError):
        services.cooperation_create(
            user=world.owner,
            data={"title": "", "type": "joint_rd"},
            parties=[PartyInput(world.org, PartyRole.RD), PartyInput(world.other_org, PartyRole.PRODUCTION)],
        )
    assert CooperationItem.objects.count() == before


def test_member_cannot_post_for_another_org(world):
    with pytest.raises(PermissionDenied):
        services.demand_create(user=world.stranger, data={"owner": world.org, "title": "x", "description": "y"})


def test_update_records_changed_fields_only(world):
    demand = f.demand(world.org)
    services.demand_update(demand, user=world.owner, data={"title": "新的标题"})
    record = history_for(demand).first()
    assert record.action == "update"
    assert set(record.changes) == {"title"}
    assert record.changes["title"][1] == "新的标题"


def test_budget_range_validated(world):
    with pytest.raises(ValidationError) as exc:
        services.demand_create(
            user=world.owner,
            data={"owner": world.org, "title": "t", "description": "d", "budget_min": 10, "budget_max": 5},
        )
    assert "budget_max" in exc.value.message_dict


def test_budget_filters_ignore_confidential_demands(world):
    from corridor.lists.choices import Confidentiality
    from corridor.lists.filtersets import DemandFilterSet
    from corridor.lists.models import Demand

    public = f.demand(world.org, budget_min=100, budget_max=200)
    secret = f.demand(world.org, budget_min=100, budget_max=200, confidentiality=Confidentiality.SUMMARY)
    found = DemandFilterSet({"budget_min": "150"}, queryset=Demand.objects.all()).qs
    assert public in found and secret not in found
    found = DemandFilterSet({"budget_max": "150"}, queryset=Demand.objects.all()).qs
    assert public in found and secret not in found
