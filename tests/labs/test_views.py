"""The labs web pages: finding and booking on the calendar, approval, usage, utilisation charts and feeds."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook

from corridor.core.views import plotly_url
from corridor.labs.choices import BookingStatus
from corridor.labs.models import Booking, Instrument
from tests import factories as f
from tests.labs.conftest import local, make_instrument, monday, past_booking


def client_for(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def _fmt(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M")


def test_list_and_calendar(world):
    inst = make_instrument(world.owner, world.org, name="上海同步辐射线站")
    day = monday()
    past_booking(inst, world.stranger, world.other_org, local(day, 10), local(day, 11))
    anon = client_for()
    r = anon.get(reverse("labs:instrument_list"), {"q": "同步辐射"})
    assert r.status_code == 200 and "上海同步辐射线站" in r.content.decode()
    r = anon.get(inst.get_absolute_url(), {"week": day.isoformat()})
    html = r.content.decode()
    assert r.status_code == 200 and 'class="busy"' in html and 'class="free"' in html
    assert "booking-form" not in html  # anonymous users are asked to sign in
    r = client_for(world.stranger).get(inst.get_absolute_url(), {"week": day.isoformat(), "start": f"{day}T13:00"})
    html = r.content.decode()
    assert 'id="booking-form"' in html and f'value="{day}T13:00"' in html
    assert client_for().get(inst.get_absolute_url(), {"week": "garbage"}).status_code == 200


def test_book_on_the_web_then_owner_approves_and_records_usage(world):
    inst = make_instrument(world.owner, world.org, approval_required=True)
    day = monday()
    c = client_for(world.stranger)
    r = c.post(reverse("labs:booking_create", args=[inst.pk]), {"start": f"{day}T09:00", "end": f"{day}T11:00", "purpose": "XRD"})
    assert r.status_code == 302
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.REQUESTED and booking.start == local(day, 9)
    html = c.get(inst.get_absolute_url(), {"week": day.isoformat()}).content.decode()
    assert 'class="mine"' in html
    owner = client_for(world.owner)
    html = owner.get(reverse("labs:approvals")).content.decode()
    assert f"booking-{booking.pk}" in html
    assert client_for(world.stranger).post(reverse("labs:booking_action", args=[booking.pk, "approve"])).status_code == 403
    r = owner.post(reverse("labs:booking_action", args=[booking.pk, "approve"]), {"note": "ok"})
    assert r.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert owner.post(reverse("labs:booking_action", args=[booking.pk, "approve"])).status_code == 409
    assert owner.post(reverse("labs:booking_action", args=[booking.pk, "explode"])).status_code == 404
    # usage of a past booking
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=4)
    old = past_booking(inst, world.stranger, world.other_org, start, start + dt.timedelta(hours=1))
    assert client_for(world.stranger).get(reverse("labs:booking_usage", args=[old.pk])).status_code == 403
    url = reverse("labs:booking_usage", args=[old.pk])
    bad = owner.post(url, {"actual_start": _fmt(start), "actual_end": _fmt(start - dt.timedelta(hours=1))})
    assert bad.status_code == 400
    r = owner.post(url, {"actual_start": _fmt(start), "actual_end": _fmt(start + dt.timedelta(hours=2)), "report": "done"})
    assert r.status_code == 302
    old.refresh_from_db()
    assert old.status == BookingStatus.COMPLETED and old.fee == 2 * old.price_per_hour
    assert "booking-status" in owner.get(reverse("labs:booking_detail", args=[old.pk])).content.decode()
    assert client_for(world.manager).get(reverse("labs:booking_detail", args=[old.pk])).status_code == 404


@pytest.mark.parametrize(
    ("start", "end", "status", "text"),
    [
        ("T07:00", "T08:00", 400, "开放时间"),
        ("T09:00", "T09:10", 400, "至少 30 分钟"),
        ("Tnonsense", "T10:00", 400, ""),
    ],
)
def test_booking_errors_on_the_web(world, start, end, status, text):
    inst = make_instrument(world.owner, world.org)
    day = monday()
    r = client_for(world.stranger).post(reverse("labs:booking_create", args=[inst.pk]), {"start": f"{day}{start}", "end": f"{day}{end}"})
    assert r.status_code == status
    assert text in r.content.decode()
    assert not Booking.objects.exists()


def test_overlap_and_login_on_the_web(world):
    inst = make_instrument(world.owner, world.org)
    day = monday()
    url = reverse("labs:booking_create", args=[inst.pk])
    assert client_for().post(url, {"start": f"{day}T09:00", "end": f"{day}T10:00"}).status_code == 302  # to login
    assert client_for(world.stranger).post(url, {"start": f"{day}T09:00", "end": f"{day}T10:00"}).status_code == 302
    r = client_for(world.manager).post(url, {"start": f"{day}T09:30", "end": f"{day}T10:30"})
    assert r.status_code == 409 and "已被预约" in r.content.decode()
    assert Booking.objects.count() == 1


def test_owner_blocks_on_the_web(world):
    inst = make_instrument(world.owner, world.org)
    day = monday()
    url = reverse("labs:instrument_block", args=[inst.pk])
    assert client_for(world.stranger).post(url, {"start": f"{day}T13:00", "end": f"{day}T18:00"}).status_code == 403
    assert client_for(world.owner).post(url, {"start": f"{day}T13:00", "end": f"{day}T18:00", "reason": "保养"}).status_code == 302
    html = client_for().get(inst.get_absolute_url(), {"week": day.isoformat()}).content.decode()
    assert 'class="maintenance"' in html


def test_instrument_form(world):
    c = client_for(world.owner)
    data = {
        "organization": world.org.pk, "kind": "instrument", "name": "网页新增电镜", "category": "microscopy",
        "capabilities": "SEM", "min_booking_minutes": 30, "max_booking_minutes": 240, "lead_time_hours": 24,
        "cancel_cutoff_hours": 24, "price_own": "10", "price_corridor": "20", "price_outside": "30", "market_price": "50",
        "status": "available", "hours_0": "09:00-12:00, 13:00-18:00", "hours_5": "08:00-24:00",
    }
    bad = c.post(reverse("labs:instrument_add"), {**data, "hours_1": "nine to five"})
    assert bad.status_code == 400 and not Instrument.objects.exists()
    r = c.post(reverse("labs:instrument_add"), data)
    assert r.status_code == 302, r.content.decode()[:2000]
    inst = Instrument.objects.get()
    assert [str(p) for p in inst.opening_periods.all()] == ["星期一 09:00–12:00", "星期一 13:00–18:00", "星期六 08:00–24:00"]
    assert inst.resource.kind == "instrument"
    assert client_for(world.stranger).get(reverse("labs:instrument_edit", args=[inst.pk])).status_code == 403
    r = c.get(reverse("labs:instrument_edit", args=[inst.pk]))
    assert 'value="09:00-12:00, 13:00-18:00"' in r.content.decode()
    assert c.post(reverse("labs:instrument_delete", args=[inst.pk])).status_code == 302
    assert not Instrument.objects.exists()


def test_utilisation_page_and_exports(world):
    inst = make_instrument(world.owner, world.org)
    d = dt.date(2026, 3, 2)
    past_booking(inst, world.stranger, world.other_org, local(d, 9), local(d, 12), status=BookingStatus.COMPLETED,
                 actual_start=local(d, 9), actual_end=local(d, 11))
    c = client_for()
    params = {"start": "2026-03-02", "end": "2026-03-06", "group_by": "instrument"}
    r = c.get(reverse("labs:utilisation"), params)
    html = r.content.decode()
    assert r.status_code == 200 and 'id="chart-utilisation"' in html and plotly_url() in html
    assert not re.search(r"https?://[^\"']*(cdn|plot\.ly)", html)
    assert 'id="total-utilisation">5%' in html
    js = c.get(plotly_url())
    assert js.status_code == 200 and b"plotly" in b"".join(js.streaming_content)[:5000].lower()
    r = c.get(reverse("labs:utilisation"), {**params, "format": "xlsx"})
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws.cell(2, 1).value == inst.name and float(ws.cell(2, 5).value) == 0.05
    r = c.get(reverse("labs:utilisation"), {**params, "format": "csv"})
    assert inst.name in r.content.decode("utf-8-sig")
    assert c.get(reverse("labs:utilisation"), {"start": "2026-03-06", "end": "2026-03-01"}).status_code == 200


def test_ics_feeds(world):
    inst = make_instrument(world.owner, world.org)
    day = monday()
    past_booking(inst, world.stranger, world.other_org, local(day, 10), local(day, 11), purpose="机密项目")
    r = client_for().get(reverse("labs:instrument_ics", args=[inst.pk]))
    assert r["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(r.content)
    assert len(cal.walk("VEVENT")) == 1 and "机密项目" not in r.content.decode()
    html = client_for(world.stranger).get(reverse("labs:my_bookings")).content.decode()
    feed = re.search(r'<code id="ics-url">([^<]+)</code>', html).group(1)
    r = client_for().get(feed.replace("http://testserver", ""))
    assert r.status_code == 200 and "机密项目" in Calendar.from_ical(r.content).walk("VEVENT")[0]["DESCRIPTION"]
    assert client_for().get(reverse("labs:user_ics", args=["forged"])).status_code == 404
    other = f.user("nobody")
    assert client_for(other).get(reverse("labs:my_bookings")).status_code == 200
