"""Free slots, utilisation, cross-region share and savings against hand-computed figures; iCalendar validity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from icalendar import Calendar

from corridor.labs import selectors, services
from corridor.labs.choices import BookingKind, BookingStatus
from corridor.labs.ical import bookings_calendar
from corridor.labs.services import OpeningPeriodInput
from tests import factories as f
from tests.labs.conftest import local, make_instrument, monday, past_booking


def test_free_slots(world, instrument):
    day = monday()
    services.booking_request(user=world.stranger, instrument=instrument, start=local(day, 10), end=local(day, 11))
    services.booking_request(user=world.stranger, instrument=instrument, start=local(day, 11), end=local(day, 11, 45))
    services.instrument_block(instrument, user=world.owner, start=local(day, 14), end=local(day, 15))
    slots = selectors.free_slots(instrument, local(day, 0), local(day + dt.timedelta(days=1), 0))
    # 11:45–12:00 is shorter than the shortest booking (30 min) and left out
    assert [(s.start, s.end) for s in slots] == [
        (local(day, 9), local(day, 10)),
        (local(day, 13), local(day, 14)),
        (local(day, 15), local(day, 18)),
    ]


def test_free_slots_respect_lead_time_and_status(world):
    inst = make_instrument(world.owner, world.org, hours=[OpeningPeriodInput(d, 0, 24 * 60) for d in range(7)], lead_time_hours=48)
    now = local(monday(), 12)
    slots = selectors.free_slots(inst, now - dt.timedelta(days=1), now + dt.timedelta(days=7), now=now)
    assert slots[0].start == now + dt.timedelta(hours=48)
    assert slots[0].end == now + dt.timedelta(days=7)
    services.instrument_update(inst, user=world.owner, data={"status": "maintenance"})
    assert selectors.free_slots(inst, now, now + dt.timedelta(days=7), now=now) == []


def test_round_the_clock_booking_across_midnight(world):
    inst = make_instrument(
        world.owner, world.org, hours=[OpeningPeriodInput(d, 0, 24 * 60) for d in range(7)], max_booking_minutes=600
    )
    day = monday()
    b = services.booking_request(user=world.stranger, instrument=inst, start=local(day, 22), end=local(day + dt.timedelta(days=1), 4))
    assert b.hours == 6


@pytest.fixture
def march(world):
    """A hand-checked week: 2026-03-02 (Monday) to 2026-03-09, two instruments in two cities."""
    hangzhou = f.organization("杭州测试仪器用户", city_name="杭州")
    outsider = f.user("hz", org=hangzhou)
    sh = make_instrument(world.owner, world.org, name="上海电镜")  # Mon–Fri 09–12, 13–18: 8 h a day
    nj = make_instrument(world.stranger, world.other_org, name="苏州周末平台", hours=[OpeningPeriodInput(5, 0, 24 * 60)])
    d = dt.date(2026, 3, 2)
    assert d.weekday() == 0

    def day(n):
        return d + dt.timedelta(days=n)

    sh.blackouts.create(start=local(day(2), 9), end=local(day(2), 12), reason="停电")  # −3 h
    past_booking(sh, world.owner, world.org, local(day(3), 13), local(day(3), 15), kind=BookingKind.MAINTENANCE, fee=0)  # −2 h

    def used(inst, person, org, s, e, a_s, a_e):
        b = past_booking(inst, person, org, s, e)
        return services.booking_record_usage(b, user=world.operator, actual_start=a_s, actual_end=a_e, report="ok")

    used(sh, world.stranger, world.other_org, local(day(0), 9), local(day(0), 12), local(day(0), 9), local(day(0), 11, 30))
    used(sh, world.owner, world.org, local(day(1), 13), local(day(1), 17), local(day(1), 13), local(day(1), 17, 30))
    used(sh, outsider, hangzhou, local(day(4), 16), local(day(4), 18), local(day(4), 16), local(day(4), 18, 30))
    past_booking(sh, world.manager, None, local(day(0), 13), local(day(0), 14))  # confirmed, not yet recorded
    past_booking(sh, world.manager, None, local(day(0), 14), local(day(0), 15), status=BookingStatus.CANCELLED)
    used(nj, world.owner, world.org, local(day(5), 10), local(day(5), 16), local(day(5), 10), local(day(5), 16))
    return sh, nj, local(d, 0), local(day(7), 0)


def test_utilisation_by_instrument(march):
    sh, nj, start, end = march
    total, rows = selectors.utilisation(start=start, end=end, group_by="instrument")
    by = {r.key: r for r in rows}
    r = by[str(sh.pk)]
    assert r.open_hours == Decimal(35)  # 40 − 3 (blackout) − 2 (maintenance)
    assert r.used_hours == Decimal(9)  # 2.5 + 4.5 + 2 (the overrun past 18:00 is outside open time)
    assert r.utilisation == Decimal("0.2571")
    assert r.bookings == 4  # three completed and one confirmed; the cancelled one does not count
    assert r.cross_region_bookings == 2  # 苏州 and 杭州; own 上海 and no organisation are not cross-region
    assert r.cross_region_share == Decimal("0.5000")
    # fees: 200 × 3 h (booked > used) + 100 × 4.5 h + 300 × 2.5 h; market 500 × (3 + 4.5 + 2.5)
    assert r.cost == Decimal("1800.00")
    assert r.market_cost == Decimal("5000.00")
    assert r.savings == Decimal("3200.00") and r.savings_rate == Decimal("0.6400")
    n = by[str(nj.pk)]
    assert (n.open_hours, n.used_hours, n.utilisation) == (Decimal(24), Decimal(6), Decimal("0.2500"))
    assert total.open_hours == Decimal(59) and total.used_hours == Decimal(15)
    assert total.utilisation == Decimal("0.2542")
    assert total.bookings == 5 and total.cross_region_bookings == 3


def test_utilisation_by_city_and_organisation(march, world):
    sh, nj, start, end = march
    _total, rows = selectors.utilisation(start=start, end=end, group_by="city")
    assert {r.label: r.utilisation for r in rows} == {"上海": Decimal("0.2571"), "苏州": Decimal("0.2500")}
    _total, rows = selectors.utilisation(start=start, end=end, group_by="organization")
    assert {r.key: (r.used_hours, r.open_hours) for r in rows} == {
        str(world.org.pk): (Decimal(9), Decimal(35)),
        str(world.other_org.pk): (Decimal(6), Decimal(24)),
    }


def test_utilisation_by_month(march):
    _sh, _nj, _start, end = march
    start = local(dt.date(2026, 2, 23), 0)
    _total, rows = selectors.utilisation(start=start, end=end, group_by="month")
    assert [(r.key, r.open_hours, r.used_hours) for r in rows] == [
        ("2026-02", Decimal(64), Decimal(0)),  # 5 weekdays × 8 h + Saturday 28 Feb × 24 h
        ("2026-03", Decimal(59), Decimal(15)),
    ]


def test_ics_feed_is_valid_rfc5545(world, instrument):
    day = monday()
    b1 = services.booking_request(
        user=world.stranger, instrument=instrument, start=local(day, 9), end=local(day, 10), purpose="样品；测试,逗号\n换行" * 5
    )
    services.instrument_block(instrument, user=world.owner, start=local(day, 13), end=local(day, 15), reason="保养")
    data = bookings_calendar(instrument.bookings.all(), name=instrument.name)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75  # folded lines (octets)
        assert b"\n" not in line
    cal = Calendar.from_ical(data)
    assert cal["VERSION"] == "2.0" and "PRODID" in cal
    events = cal.walk("VEVENT")
    assert len(events) == 2
    first = events[0]
    assert str(first["UID"]) == f"booking-{b1.pk}@corridor"
    assert first.decoded("DTSTART") == local(day, 9)
    assert first.decoded("DTEND") == local(day, 10)
    assert str(first["DESCRIPTION"]) == b1.purpose
    assert str(events[1]["STATUS"]) == "CONFIRMED"
    public = Calendar.from_ical(bookings_calendar(instrument.bookings.all(), name="x", show_people=False))
    assert all("DESCRIPTION" not in e for e in public.walk("VEVENT"))
    assert all(world.stranger.username not in str(e["SUMMARY"]) for e in public.walk("VEVENT"))
