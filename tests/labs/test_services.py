"""Booking rules, the approval workflow, cancellation cut-off, usage and fees, instrument upkeep."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from corridor.core.errors import ConflictError
from corridor.core.history import history_for
from corridor.labs import services
from corridor.labs.choices import BookingKind, BookingStatus, InstrumentStatus, UserGroup
from corridor.labs.models import Booking
from corridor.labs.services import OpeningPeriodInput
from corridor.lists.choices import ResourceKind, ResourceStatus
from tests import factories as f
from tests.labs.conftest import local, make_instrument, monday, past_booking

# Instruments -----------------------------------------------------------------------------------


def test_instrument_creates_and_syncs_its_resource(world):
    inst = make_instrument(world.owner, world.org, kind="pilot", name="聚烯烃中试线")
    res = inst.resource
    assert res.kind == ResourceKind.PILOT
    assert res.owner == world.org and res.city == world.org.city
    assert res.name == "聚烯烃中试线"
    assert "SU8010" in res.description and "A101" in res.description
    assert inst.opening_periods.count() == 10
    services.instrument_update(inst, user=world.owner, data={"name": "聚烯烃中试线（二期）", "status": InstrumentStatus.MAINTENANCE})
    res.refresh_from_db()
    assert res.name == "聚烯烃中试线（二期）"
    assert res.status == ResourceStatus.LIMITED
    services.instrument_update(inst, user=world.owner, data={"status": InstrumentStatus.RETIRED})
    res.refresh_from_db()
    assert res.status == ResourceStatus.UNAVAILABLE and res.public is False
    assert history_for(inst).count() == 3
    assert history_for(res).count() == 3


def test_only_members_open_and_change_instruments(world, instrument):
    with pytest.raises(PermissionDenied):
        make_instrument(world.stranger, world.org)
    with pytest.raises(PermissionDenied):
        make_instrument(world.manager, world.org)
    with pytest.raises(PermissionDenied):
        services.instrument_update(instrument, user=world.stranger, data={"name": "x"})
    services.instrument_update(instrument, user=world.operator, data={"room": "B202"})
    instrument.refresh_from_db()
    assert instrument.room == "B202"


@pytest.mark.parametrize(
    "periods",
    [
        [OpeningPeriodInput(0, 600, 500)],
        [OpeningPeriodInput(7, 0, 60)],
        [OpeningPeriodInput(0, 0, 24 * 60 + 1)],
        [OpeningPeriodInput(1, 540, 720), OpeningPeriodInput(1, 700, 800)],
    ],
)
def test_bad_opening_hours_are_refused(world, periods):
    from corridor.labs.models import Instrument

    with pytest.raises(ValidationError) as exc:
        make_instrument(world.owner, world.org, hours=periods)
    assert "opening_periods" in exc.value.message_dict
    assert not Instrument.objects.exists()


def test_min_longer_than_max_is_refused(world):
    with pytest.raises(ValidationError):
        make_instrument(world.owner, world.org, min_booking_minutes=120, max_booking_minutes=60)


# Booking rules ---------------------------------------------------------------------------------


def _request(world, inst, start, end, user=None, **kw):
    return services.booking_request(user=user or world.stranger, instrument=inst, start=start, end=end, **kw)


def _code(exc_info):
    return exc_info.value.code if hasattr(exc_info.value, "code") else None


def test_a_good_request_is_confirmed_and_priced(world, instrument):
    day = monday()
    b = _request(world, instrument, local(day, 9), local(day, 10, 30), purpose="SEM")
    assert b.status == BookingStatus.CONFIRMED
    assert b.user_group == UserGroup.CORRIDOR
    assert b.organization == world.other_org
    assert b.fee == Decimal("300.00")  # 1.5 h × 200
    assert history_for(b).first().action == "create"


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        ((0, 8), (0, 10), "outside_opening_hours"),  # opens at 09:00
        ((0, 11), (0, 14), "outside_opening_hours"),  # spans the lunch break
        ((5, 10), (5, 11), "outside_opening_hours"),  # Saturday
        ((0, 17), (0, 19), "outside_opening_hours"),  # past closing
        ((0, 9), (0, 9, 20), "too_short"),
        ((0, 13), (0, 17, 30), "too_long"),
        ((0, 10), (0, 9), "end_before_start"),
    ],
)
def test_rules_are_checked(world, instrument, start, end, code):
    day = monday()
    s = local(day + dt.timedelta(days=start[0]), *start[1:])
    e = local(day + dt.timedelta(days=end[0]), *end[1:])
    with pytest.raises(ValidationError) as exc:
        _request(world, instrument, s, e)
    assert exc.value.code == code
    assert str(exc.value.messages[0])
    assert not Booking.objects.exists()


def test_lead_time(world):
    inst = make_instrument(world.owner, world.org, lead_time_hours=24 * 30)
    day = monday()
    with pytest.raises(ValidationError) as exc:
        _request(world, inst, local(day, 9), local(day, 10))
    assert exc.value.code == "lead_time"
    later = monday(6)
    assert _request(world, inst, local(later, 9), local(later, 10)).status == BookingStatus.CONFIRMED


def test_blackout(world, instrument):
    day = monday()
    services.blackout_add(instrument, user=world.owner, start=local(day, 0), end=local(day + dt.timedelta(days=1), 0), reason="设备年检")
    with pytest.raises(ValidationError) as exc:
        _request(world, instrument, local(day, 10), local(day, 11))
    assert exc.value.code == "blackout"
    assert "设备年检" in exc.value.messages[0]
    assert _request(world, instrument, local(day + dt.timedelta(days=1), 10), local(day + dt.timedelta(days=1), 11))


def test_naive_datetimes_are_refused(world, instrument):
    day = monday()
    with pytest.raises(ValidationError) as exc:
        _request(world, instrument, dt.datetime.combine(day, dt.time(9)), dt.datetime.combine(day, dt.time(10)))  # noqa: DTZ001
    assert exc.value.code == "naive_datetime"


@pytest.mark.parametrize("status", [InstrumentStatus.MAINTENANCE, InstrumentStatus.RETIRED])
def test_unavailable_instrument(world, instrument, status):
    services.instrument_update(instrument, user=world.owner, data={"status": status})
    day = monday()
    with pytest.raises(ConflictError) as exc:
        _request(world, instrument, local(day, 9), local(day, 10))
    assert exc.value.code == "instrument_unavailable"


def test_qualification(world):
    inst = make_instrument(world.owner, world.org, qualification_required=True)
    day = monday()
    with pytest.raises(PermissionDenied):
        _request(world, inst, local(day, 9), local(day, 10))
    # the owner's own staff need no separate qualification
    assert _request(world, inst, local(day, 13), local(day, 14), user=world.owner).status == BookingStatus.CONFIRMED
    services.qualification_grant(inst, user=world.owner, person=world.stranger, expires=timezone.now() + dt.timedelta(days=1))
    with pytest.raises(PermissionDenied):  # expires before the booking starts
        _request(world, inst, local(day, 9), local(day, 10))
    services.qualification_grant(inst, user=world.owner, person=world.stranger)
    assert _request(world, inst, local(day, 9), local(day, 10)).status == BookingStatus.CONFIRMED
    with pytest.raises(PermissionDenied):
        services.qualification_grant(inst, user=world.stranger, person=world.manager)
    services.qualification_revoke(inst, user=world.owner, person=world.stranger)
    with pytest.raises(PermissionDenied):
        _request(world, inst, local(day, 15), local(day, 16))


def test_overlap_is_refused(world, instrument):
    day = monday()
    _request(world, instrument, local(day, 9), local(day, 11))
    for s, e in [((9,), (11,)), ((10,), (11, 30)), ((9, 30), (10,)), ((10, 59), (11, 30))]:
        with pytest.raises(ConflictError) as exc:
            _request(world, instrument, local(day, *s), local(day, *e), user=world.manager)
        assert exc.value.code == "overlap"
    # touching is not overlapping
    assert _request(world, instrument, local(day, 11), local(day, 12), user=world.manager)
    assert Booking.objects.count() == 2


def test_anonymous_cannot_book(world, instrument):
    from django.contrib.auth.models import AnonymousUser

    day = monday()
    with pytest.raises(PermissionDenied):
        services.booking_request(user=AnonymousUser(), instrument=instrument, start=local(day, 9), end=local(day, 10))


def test_booking_for_an_organisation_one_does_not_act_for(world, instrument):
    day = monday()
    with pytest.raises(PermissionDenied):
        _request(world, instrument, local(day, 9), local(day, 10), organization=world.org)


def test_database_refuses_overlap_even_without_the_service(world, instrument):
    day = monday()
    past_booking(instrument, world.stranger, world.other_org, local(day, 9), local(day, 11))
    with pytest.raises(IntegrityError), transaction.atomic():
        past_booking(instrument, world.manager, None, local(day, 10), local(day, 12))
    # cancelled bookings do not hold time, so the same slot can be written again
    past_booking(instrument, world.manager, None, local(day, 10), local(day, 12), status=BookingStatus.CANCELLED)
    b = past_booking(instrument, world.manager, None, local(day, 13), local(day, 14))
    b.start = local(day, 10)
    with pytest.raises(IntegrityError), transaction.atomic():
        b.save()


# Maintenance blocks ----------------------------------------------------------------------------


def test_owner_blocks_time(world, instrument):
    day = monday()
    block = services.instrument_block(instrument, user=world.owner, start=local(day, 13), end=local(day, 18), reason="更换灯丝")
    assert block.kind == BookingKind.MAINTENANCE and block.status == BookingStatus.CONFIRMED
    with pytest.raises(ConflictError) as exc:
        _request(world, instrument, local(day, 14), local(day, 15))
    assert exc.value.code == "overlap"
    with pytest.raises(PermissionDenied):
        services.instrument_block(instrument, user=world.stranger, start=local(day, 9), end=local(day, 10))
    _request(world, instrument, local(day, 9), local(day, 10))
    with pytest.raises(ConflictError):  # a block cannot cover a booking already made
        services.instrument_block(instrument, user=world.owner, start=local(day, 9, 30), end=local(day, 12))
    services.booking_cancel(block, user=world.owner)
    assert _request(world, instrument, local(day, 14), local(day, 15))


# Approval --------------------------------------------------------------------------------------


def test_approval_workflow(world):
    inst = make_instrument(world.owner, world.org, approval_required=True)
    day = monday()
    b = _request(world, inst, local(day, 9), local(day, 10))
    assert b.status == BookingStatus.REQUESTED
    # a request holds its slot
    with pytest.raises(ConflictError):
        _request(world, inst, local(day, 9), local(day, 10), user=world.manager)
    with pytest.raises(PermissionDenied):
        services.booking_approve(b, user=world.stranger)
    b = services.booking_approve(b, user=world.owner, note="OK")
    assert b.status == BookingStatus.CONFIRMED and b.decided_by == world.owner
    with pytest.raises(ConflictError) as exc:
        services.booking_approve(b, user=world.owner)
    assert exc.value.code == "invalid_transition"
    record = history_for(b).first()
    assert record.changes["status"] == ["requested", "confirmed"] and record.user == world.owner
    # own organisation's members are confirmed without approval
    assert _request(world, inst, local(day, 13), local(day, 14), user=world.owner).status == BookingStatus.CONFIRMED


def test_rejection_frees_the_slot(world):
    inst = make_instrument(world.owner, world.org, approval_required=True)
    day = monday()
    b = _request(world, inst, local(day, 9), local(day, 10))
    b = services.booking_reject(b, user=world.owner, note="样品不符合要求")
    assert b.status == BookingStatus.REJECTED
    assert _request(world, inst, local(day, 9), local(day, 10), user=world.manager).status == BookingStatus.REQUESTED


# Cancellation ----------------------------------------------------------------------------------


def test_cancel_before_cutoff(world, instrument):
    day = monday()
    b = _request(world, instrument, local(day, 9), local(day, 10))
    with pytest.raises(PermissionDenied):
        services.booking_cancel(b, user=world.manager)
    b = services.booking_cancel(b, user=world.stranger, reason="样品未到")
    assert b.status == BookingStatus.CANCELLED and b.cancelled_at is not None
    with pytest.raises(ConflictError):
        services.booking_cancel(b, user=world.stranger)


def test_cancel_after_cutoff(world):
    inst = make_instrument(world.owner, world.org, cancel_cutoff_hours=24 * 30)
    day = monday()
    b = _request(world, inst, local(day, 9), local(day, 10))
    with pytest.raises(ConflictError) as exc:
        services.booking_cancel(b, user=world.stranger)
    assert exc.value.code == "cutoff_passed"
    b.refresh_from_db()
    assert b.status == BookingStatus.CONFIRMED
    # the owner may still cancel
    assert services.booking_cancel(b, user=world.owner).status == BookingStatus.CANCELLED


# Usage and fees --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("group_org", "group", "price"),
    [("own", UserGroup.OWN, "100.00"), ("corridor", UserGroup.CORRIDOR, "200.00"), ("outside", UserGroup.OUTSIDE, "300.00")],
)
def test_fees_by_group(world, instrument, group_org, group, price):
    org = {"own": world.org, "corridor": world.other_org, "outside": f.organization("杭州测试公司", city_name="杭州")}[group_org]
    person = f.user(org=org)
    day = monday()
    b = services.booking_request(user=person, instrument=instrument, start=local(day, 9), end=local(day, 11, 15))
    assert b.user_group == group
    assert b.price_per_hour == Decimal(price)
    assert b.fee == (Decimal(price) * Decimal("2.25")).quantize(Decimal("0.01"))


def test_person_without_organisation_pays_outside_price(world, instrument):
    day = monday()
    b = _request(world, instrument, local(day, 9), local(day, 10), user=world.manager)
    assert b.organization is None and b.user_group == UserGroup.OUTSIDE and b.fee == Decimal("300.00")


def test_fee_rounds_half_up(world):
    inst = make_instrument(world.owner, world.org, price_corridor=Decimal("123.45"))
    day = monday()
    b = _request(world, inst, local(day, 9), local(day, 10, 30))
    assert b.fee == Decimal("185.18")  # 1.5 × 123.45 = 185.175


def test_record_usage(world, instrument):
    now = timezone.localtime()
    start = (now - dt.timedelta(hours=5)).replace(minute=0, second=0, microsecond=0)
    b = past_booking(instrument, world.stranger, world.other_org, start, start + dt.timedelta(hours=2))
    with pytest.raises(PermissionDenied):
        services.booking_record_usage(b, user=world.stranger, actual_start=start, actual_end=start + dt.timedelta(hours=1))
    # used less than booked: the booked time is paid
    b = services.booking_record_usage(
        b, user=world.owner, actual_start=start, actual_end=start + dt.timedelta(hours=1), report="完成 12 个样品"
    )
    assert b.status == BookingStatus.COMPLETED and b.fee == Decimal("400.00") and b.usage_report == "完成 12 个样品"
    # corrected to an overrun of 30 minutes: it is added
    b = services.booking_record_usage(
        b, user=world.owner, actual_start=start, actual_end=start + dt.timedelta(hours=2, minutes=30)
    )
    assert b.fee == Decimal("500.00")
    with pytest.raises(ValidationError) as exc:
        services.booking_record_usage(b, user=world.owner, actual_start=start, actual_end=start - dt.timedelta(hours=1))
    assert exc.value.code == "end_before_start"
    future = timezone.now() + dt.timedelta(hours=3)
    with pytest.raises(ValidationError) as exc:
        services.booking_record_usage(b, user=world.owner, actual_start=future, actual_end=future + dt.timedelta(hours=1))
    assert exc.value.code == "usage_in_future"


def test_usage_needs_a_confirmed_booking(world, instrument):
    start = timezone.now() - dt.timedelta(hours=3)
    b = past_booking(instrument, world.stranger, world.other_org, start, start + dt.timedelta(hours=1), status=BookingStatus.CANCELLED)
    with pytest.raises(ConflictError):
        services.booking_record_usage(b, user=world.owner, actual_start=start, actual_end=start + dt.timedelta(hours=1))
    b.refresh_from_db()
    assert b.status == BookingStatus.CANCELLED and b.actual_start is None
