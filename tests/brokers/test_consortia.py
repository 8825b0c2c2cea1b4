"""Consortia: the lead is the first member, dated joins and leaves make a history, outputs credit members."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from corridor.brokers import selectors, services
from corridor.brokers.choices import LeadRole, MemberRole, MembershipEvent, OutputKind
from corridor.core.errors import ConflictError
from corridor.core.history import history_for
from tests import factories as f

D = dt.date


@pytest.fixture
def consortium(world):
    return services.consortium_create(
        user=world.operator,
        data={"name": "聚烯烃先进材料创新联合体", "lead": world.org, "lead_role": LeadRole.CHAIN_LEADER, "launched_on": D(2025, 10, 26)},
        lead_member_role=MemberRole.INSTITUTE,
    )


def test_only_operators_create(world):
    with pytest.raises(PermissionDenied):
        services.consortium_create(user=world.owner, data={"name": "x", "lead": world.org, "lead_role": LeadRole.CHAIN_LEADER})


def test_membership_history(world, consortium):
    uni = f.organization("测试大学", type="university")
    firm = world.other_org
    assert [m.organization for m in consortium.members.all()] == [world.org]
    services.consortium_member_join(consortium, user=world.owner, organization=uni, joined_on=D(2025, 11, 1))
    services.consortium_member_join(consortium, user=world.operator, organization=firm, joined_on=D(2025, 11, 5))
    with pytest.raises(ConflictError):
        services.consortium_member_join(consortium, user=world.operator, organization=firm, joined_on=D(2025, 11, 6))
    with pytest.raises(ValidationError):
        services.consortium_member_leave(consortium, user=world.operator, organization=firm, left_on=D(2025, 11, 1))
    services.consortium_member_leave(consortium, user=world.operator, organization=firm, left_on=D(2026, 1, 10))
    with pytest.raises(ValidationError):
        services.consortium_member_join(consortium, user=world.operator, organization=firm, joined_on=D(2026, 1, 1))
    services.consortium_member_join(consortium, user=world.operator, organization=firm, joined_on=D(2026, 3, 1))
    with pytest.raises(ConflictError):
        services.consortium_member_leave(consortium, user=world.operator, organization=world.org)

    events = [(e.on, e.event, e.member.organization.name) for e in selectors.membership_history(consortium)]
    assert events == [
        (D(2025, 10, 26), MembershipEvent.JOINED, world.org.name),
        (D(2025, 11, 1), MembershipEvent.JOINED, "测试大学"),
        (D(2025, 11, 5), MembershipEvent.JOINED, firm.name),
        (D(2026, 1, 10), MembershipEvent.LEFT, firm.name),
        (D(2026, 3, 1), MembershipEvent.JOINED, firm.name),
    ]
    assert uni.pk in {m.organization_id for m in selectors.members_on(consortium, D(2025, 12, 1))}
    assert firm.pk not in {m.organization_id for m in selectors.members_on(consortium, D(2026, 2, 1))}
    assert firm.pk in {m.organization_id for m in selectors.members_on(consortium, D(2026, 3, 1))}
    assert firm.pk in {m.organization_id for m in selectors.members_on(consortium, D(2026, 1, 9))}
    assert firm.pk not in {m.organization_id for m in selectors.members_on(consortium, D(2026, 1, 10))}
    assert any("member_left" in r.changes for r in history_for(consortium))
    assert services.role_for_organization(uni) == MemberRole.UNIVERSITY


def test_strangers_cannot_change(world, consortium):
    with pytest.raises(PermissionDenied):
        services.consortium_member_join(consortium, user=world.stranger, organization=world.other_org)
    with pytest.raises(PermissionDenied):
        services.consortium_update(consortium, user=world.owner, data={"lead": world.other_org})


def test_outputs_credit_members_and_standards_have_adopters(world, consortium):
    adopters = [f.organization(f"芯片设计公司{i}", city_name="无锡") for i in range(11)]
    with pytest.raises(ValidationError):
        services.consortium_output_add(consortium, user=world.operator, kind=OutputKind.PATENT, title="p", credited=[world.other_org])
    with pytest.raises(ValidationError):
        services.consortium_output_add(consortium, user=world.operator, kind=OutputKind.PATENT, title="p", credited=[])
    with pytest.raises(ValidationError):
        services.consortium_output_add(
            consortium, user=world.operator, kind=OutputKind.PRODUCT, title="p", credited=[world.org], adopters=adopters
        )
    std = services.consortium_output_add(
        consortium, user=world.owner, kind=OutputKind.STANDARD, title="原生Chiplet标准", credited=[world.org],
        adopters=adopters[:10], achieved_on=D(2025, 12, 1),
    )
    services.consortium_output_adopt(std, user=world.owner, adopters=adopters[10:])
    assert std.adopters.count() == 11
    # A member that had not joined yet on the date cannot be credited.
    services.consortium_member_join(consortium, user=world.operator, organization=world.other_org, joined_on=D(2026, 1, 1))
    with pytest.raises(ValidationError):
        services.consortium_output_add(
            consortium, user=world.operator, kind=OutputKind.PILOT_LINE, title="千吨级产线",
            credited=[world.other_org], achieved_on=D(2025, 12, 31),
        )
    line = services.consortium_output_add(
        consortium, user=world.operator, kind=OutputKind.PILOT_LINE, title="千吨级产线",
        credited=[world.org, world.other_org], achieved_on=D(2026, 2, 1),
    )
    assert set(line.credited.all()) == {world.org, world.other_org}
