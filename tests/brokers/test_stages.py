"""Stage rules of cases: one step forward at a time, lost with a reason, operators reopen."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from corridor.brokers import services
from corridor.brokers.choices import STAGE_CHAIN, CaseStage, LostReason, StageChangeKind
from corridor.core.errors import ConflictError
from corridor.core.history import history_for
from tests.brokers.conftest import open_case


def _assigned(world):
    case = open_case(world)
    return services.case_assign(case, user=world.operator, lead=world.profile)


def test_open_writes_first_stage_row_and_parties(brokers):
    case = open_case(brokers)
    assert case.stage == CaseStage.DISCOVERY
    rows = list(case.stage_changes.all())
    assert [(r.kind, r.from_stage, r.to_stage, r.by) for r in rows] == [
        (StageChangeKind.OPEN, "", CaseStage.DISCOVERY, brokers.operator)
    ]
    assert [p.organization for p in case.parties.all()] == [brokers.other_org]
    assert history_for(case).first().action == "create"


def test_case_needs_demand_or_cooperation(brokers):
    with pytest.raises(ValidationError):
        services.case_open(user=brokers.operator, title="x", city=brokers.org.city)


def test_walk_the_whole_chain(brokers):
    case = _assigned(brokers)
    for stage in STAGE_CHAIN[1:]:
        value = Decimal("1200000.00") if stage == CaseStage.CONTRACT else None
        case = services.case_advance(case, user=brokers.manager, to=stage, contract_value=value)
    assert case.stage == CaseStage.LANDING
    assert case.contract_value == Decimal("1200000.00")
    moves = [(r.from_stage, r.to_stage) for r in case.stage_changes.all()]
    assert moves[1:] == list(zip(STAGE_CHAIN, STAGE_CHAIN[1:], strict=False))
    assert all(r.by == brokers.manager for r in case.stage_changes.all()[1:])
    with pytest.raises(ConflictError):
        services.case_advance(case, user=brokers.manager, to=CaseStage.LANDING)


@pytest.mark.parametrize("target", [CaseStage.NEGOTIATION, CaseStage.LANDING, CaseStage.DISCOVERY])
def test_skips_and_backward_moves_are_refused(brokers, target):
    case = _assigned(brokers)
    with pytest.raises(ConflictError) as exc:
        services.case_advance(case, user=brokers.manager, to=target)
    assert exc.value.code == "invalid_transition"
    case.refresh_from_db()
    assert case.stage == CaseStage.DISCOVERY
    assert case.stage_changes.count() == 1


def test_backward_refused_even_for_operator_advance(brokers):
    case = _assigned(brokers)
    case = services.case_advance(case, user=brokers.manager, to=CaseStage.MATCHING)
    with pytest.raises(ConflictError):
        services.case_advance(case, user=brokers.operator, to=CaseStage.DISCOVERY)


def test_unknown_stage_is_a_validation_error(brokers):
    case = _assigned(brokers)
    with pytest.raises(ValidationError):
        services.case_advance(case, user=brokers.manager, to="warp")


def test_contract_value_only_from_contract(brokers):
    case = _assigned(brokers)
    with pytest.raises(ValidationError):
        services.case_advance(case, user=brokers.manager, to=CaseStage.MATCHING, contract_value=Decimal("5"))
    case.refresh_from_db()
    assert case.stage == CaseStage.DISCOVERY


def test_lost_then_reopen_by_operator_only(brokers):
    case = _assigned(brokers)
    case = services.case_advance(case, user=brokers.manager, to=CaseStage.MATCHING)
    with pytest.raises(ValidationError):
        services.case_close_lost(case, user=brokers.manager, reason="bored")
    with pytest.raises(ValidationError):
        services.case_close_lost(case, user=brokers.manager, reason=LostReason.OTHER, note=" ")
    case = services.case_close_lost(case, user=brokers.manager, reason=LostReason.TERMS, note="报价差距过大")
    assert (case.stage, case.lost_at_stage, case.lost_reason) == (CaseStage.LOST, CaseStage.MATCHING, LostReason.TERMS)
    with pytest.raises(ConflictError):
        services.case_advance(case, user=brokers.manager, to=CaseStage.NEGOTIATION)
    with pytest.raises(ConflictError):
        services.case_close_lost(case, user=brokers.manager, reason=LostReason.TERMS)
    with pytest.raises(PermissionDenied):
        services.case_reopen(case, user=brokers.manager, to=CaseStage.MATCHING, note="再谈")
    case = services.case_reopen(case, user=brokers.operator, to=CaseStage.MATCHING, note="企业重新报价")
    assert (case.stage, case.lost_reason, case.lost_at_stage) == (CaseStage.MATCHING, "", "")
    last = case.stage_changes.last()
    assert (last.kind, last.from_stage, last.to_stage, last.by) == (
        StageChangeKind.REOPEN, CaseStage.LOST, CaseStage.MATCHING, brokers.operator
    )


def test_operator_moves_back_with_reopen(brokers):
    case = _assigned(brokers)
    case = services.case_advance(case, user=brokers.manager, to=CaseStage.MATCHING)
    case = services.case_advance(case, user=brokers.manager, to=CaseStage.NEGOTIATION)
    with pytest.raises(ValidationError):
        services.case_reopen(case, user=brokers.operator, to=CaseStage.MATCHING, note="")
    with pytest.raises(ConflictError):
        services.case_reopen(case, user=brokers.operator, to=CaseStage.NEGOTIATION, note="同阶段")
    case = services.case_reopen(case, user=brokers.operator, to=CaseStage.MATCHING, note="需重新匹配")
    assert case.stage == CaseStage.MATCHING


def test_only_own_managers_change_a_case(brokers):
    case = open_case(brokers)
    # Not yet assigned: the manager may not move it, the demand owner's members neither.
    for who in (brokers.manager, brokers.stranger, brokers.owner, brokers.reviewer):
        with pytest.raises(PermissionDenied):
            services.case_advance(case, user=who, to=CaseStage.MATCHING)
    services.case_assign(case, user=brokers.operator, lead=brokers.profile)
    with pytest.raises(PermissionDenied):
        services.case_assign(case, user=brokers.manager, lead=brokers.profile)
    assert services.case_advance(case, user=brokers.manager, to=CaseStage.MATCHING).stage == CaseStage.MATCHING


def test_manager_opening_a_case_leads_it(brokers):
    case = open_case(brokers, user=brokers.manager)
    assert case.lead_manager == brokers.profile
    with pytest.raises(PermissionDenied):
        open_case(brokers, user=brokers.owner)


def test_activity_logging(brokers):
    case = _assigned(brokers)
    with pytest.raises(PermissionDenied):
        services.activity_log(case, user=brokers.stranger, kind="meeting", title="x")
    with pytest.raises(ValidationError):
        services.activity_log(case, user=brokers.manager, kind="party", title="x")
    import datetime as dt

    from django.utils import timezone

    with pytest.raises(ValidationError):
        services.activity_log(
            case, user=brokers.manager, kind="call", title="x", occurred_on=timezone.localdate() + dt.timedelta(days=1)
        )
    before = case.last_activity_at
    act = services.activity_log(case, user=brokers.manager, kind="meeting", title="首次对接会", text="三方会谈")
    case.refresh_from_db()
    assert act.by == brokers.manager and case.last_activity_at > before
    assert case.activities.count() == 1


def test_assignment_rules(brokers):
    from tests.brokers.conftest import manager_profile

    helper = manager_profile("helper1")
    idle = manager_profile("idle1", active=False)
    case = open_case(brokers)
    with pytest.raises(ValidationError):
        services.case_assign(case, user=brokers.operator, lead=brokers.profile, helpers=[idle])
    with pytest.raises(ValidationError):
        services.case_assign(case, user=brokers.operator, lead=brokers.profile, helpers=[brokers.profile])
    case = services.case_assign(case, user=brokers.operator, lead=brokers.profile, helpers=[helper])
    assert list(case.helpers.all()) == [helper]
    assert services.case_can(helper.user, "change", case)
    record = history_for(case).first()
    assert record.changes["lead_manager"] == [None, brokers.profile.pk]
