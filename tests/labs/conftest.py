"""Builders for the shared-laboratory tests: instruments with weekday hours, times in the coming weeks."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from corridor.labs import services
from corridor.labs.choices import BookingKind, BookingStatus
from corridor.labs.models import Booking, Instrument
from corridor.labs.services import OpeningPeriodInput

_seq = itertools.count(1)
TZ = timezone.get_default_timezone()

# Monday–Friday 09:00–12:00 and 13:00–18:00; closed at weekends.
WEEKDAY_HOURS = [OpeningPeriodInput(d, s, e) for d in range(5) for s, e in ((9 * 60, 12 * 60), (13 * 60, 18 * 60))]


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def monday(weeks_ahead: int = 1) -> dt.date:
    """The Monday ``weeks_ahead`` weeks after this week's Monday (always at least 3 days away)."""
    today = timezone.localdate()
    this_monday = today - dt.timedelta(days=today.weekday())
    if today.weekday() >= 5:  # on a weekend next Monday is only 1–2 days away (inside lead times)
        this_monday += dt.timedelta(weeks=1)
    return this_monday + dt.timedelta(weeks=weeks_ahead)


def make_instrument(user: Any, org: Any, *, hours: list[OpeningPeriodInput] | None = None, **kw: Any) -> Instrument:
    data: dict[str, Any] = {
        "organization": org,
        "name": f"场发射扫描电镜{next(_seq)}",
        "model_name": "SU8010",
        "manufacturer": "Hitachi",
        "category": "microscopy",
        "capabilities": "形貌观察、EDS 元素分析",
        "address": "测试路 1 号",
        "room": "A101",
        "min_booking_minutes": 30,
        "max_booking_minutes": 240,
        "lead_time_hours": 24,
        "cancel_cutoff_hours": 24,
        "price_own": Decimal("100.00"),
        "price_corridor": Decimal("200.00"),
        "price_outside": Decimal("300.00"),
        "market_price": Decimal("500.00"),
        "approval_required": False,
    }
    data.update(kw)
    return services.instrument_create(user=user, data=data, opening_periods=WEEKDAY_HOURS if hours is None else hours)


def past_booking(instrument: Instrument, user: Any, org: Any, start: dt.datetime, end: dt.datetime, **kw: Any) -> Booking:
    """A booking row written directly (the services refuse the past); for usage and utilisation tests."""
    group = services.user_group_for(instrument, org)
    price = instrument.price_for(group)
    defaults: dict[str, Any] = {
        "instrument": instrument,
        "kind": BookingKind.BOOKING,
        "user": user,
        "organization": org,
        "status": BookingStatus.CONFIRMED,
        "start": start,
        "end": end,
        "user_group": group,
        "price_per_hour": price,
        "market_price_per_hour": instrument.market_price,
    }
    defaults.update(kw)
    b = Booking(**defaults)
    if "fee" not in kw:
        b.fee = services.fee_for(b.price_per_hour, b.hours)
    b.save()
    return b


@pytest.fixture
def instrument(world) -> Instrument:
    return make_instrument(world.owner, world.org)
