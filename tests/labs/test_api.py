"""The labs JSON API: instruments, availability, the booking cycle, utilisation and its exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from corridor.labs.choices import BookingStatus
from tests.api.conftest import ApiClient, token_for
from tests.labs.conftest import local, make_instrument, monday, past_booking


@pytest.fixture
def api(world):
    return {
        "anonymous": ApiClient(),
        "owner": ApiClient(token_for(world.owner)),
        "stranger": ApiClient(token_for(world.stranger)),
        "operator": ApiClient(token_for(world.operator)),
    }


def _instrument_body(world, **kw):
    body = {
        "organization": world.org.pk,
        "name": "液相色谱-质谱联用仪",
        "category": "chromatography",
        "capabilities": "代谢组学",
        "price_corridor": "300.00",
        "price_outside": "400.00",
        "market_price": "800.00",
        "approval_required": True,
        "opening_hours": [{"weekday": d, "start": "09:00", "end": "17:00"} for d in range(5)],
    }
    body.update(kw)
    return body


def test_create_update_list_instrument(world, api):
    r = api["owner"].post("instruments", _instrument_body(world))
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["resource"] and data["city"]["name"] == "上海"
    assert data["opening_hours"][0] == {"weekday": 0, "start": "09:00", "end": "17:00"}
    iid = data["id"]
    r = api["owner"].patch(f"instruments/{iid}", {"room": "B301", "opening_hours": [{"weekday": 5, "start": "00:00", "end": "24:00"}]})
    assert r.status_code == 200 and r.json()["room"] == "B301"
    assert r.json()["opening_hours"] == [{"weekday": 5, "start": "00:00", "end": "24:00"}]
    r = api["anonymous"].get("instruments", {"q": "质谱", "city": "上海"})
    assert r.status_code == 200 and r.json()["count"] == 1
    assert api["anonymous"].get("instruments", {"city": "苏州"}).json()["count"] == 0
    assert api["anonymous"].get(f"instruments/{iid}").status_code == 200
    assert api["owner"].get(f"instruments/{iid}/history").json()["count"] == 2


@pytest.mark.parametrize(
    ("role", "body", "status", "code"),
    [
        ("anonymous", {}, 401, "not_authenticated"),
        ("stranger", {}, 403, "permission_denied"),
        ("owner", {"category": "nonsense"}, 400, "invalid"),
        ("owner", {"opening_hours": [{"weekday": 0, "start": "18:00", "end": "09:00"}]}, 400, "invalid"),
        ("owner", {"opening_hours": [{"weekday": 9, "start": "08:00", "end": "09:00"}]}, 400, "invalid"),
        ("owner", {"organization": 10**12}, 400, "unknown_id"),
        ("owner", {"min_booking_minutes": 600, "max_booking_minutes": 60}, 400, "invalid"),
    ],
)
def test_create_instrument_errors(world, api, role, body, status, code):
    r = api[role].post("instruments", _instrument_body(world, **body))
    assert r.status_code == status, r.content
    assert r.json()["code"] == code and r.json()["detail"]


def test_availability(world, api):
    inst = make_instrument(world.owner, world.org)
    day = monday()
    past_booking(inst, world.stranger, world.other_org, local(day, 10), local(day, 11))
    r = api["anonymous"].get(
        f"instruments/{inst.pk}/availability", {"from": f"{day}T00:00:00", "to": f"{day + dt.timedelta(days=1)}T00:00:00+08:00"}
    )
    assert r.status_code == 200, r.content
    slots = [(s["start"][11:16], s["end"][11:16]) for s in r.json()["slots"]]
    assert slots == [("09:00", "10:00"), ("11:00", "12:00"), ("13:00", "18:00")]
    assert r.json()["from"].startswith(f"{day}T00:00:00")
    bad = api["anonymous"].get(f"instruments/{inst.pk}/availability", {"from": f"{day}T10:00", "to": f"{day}T09:00"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_range"
    long = api["anonymous"].get(f"instruments/{inst.pk}/availability", {"from": f"{day}", "to": f"{day + dt.timedelta(days=90)}"})
    assert long.status_code == 400
    assert api["anonymous"].get(f"instruments/{inst.pk}/availability", {"from": "x", "to": "y"}).status_code == 400
    assert api["anonymous"].get("instruments/999999/availability", {"from": f"{day}", "to": f"{day}T10:00"}).status_code == 404


def test_booking_cycle(world, api):
    inst = make_instrument(world.owner, world.org, approval_required=True)
    day = monday()
    body = {"instrument": inst.pk, "start": f"{day}T09:00:00+08:00", "end": f"{day}T11:00:00+08:00", "purpose": "测样"}
    assert api["anonymous"].post("bookings", body).status_code == 401
    r = api["stranger"].post("bookings", body)
    assert r.status_code == 201, r.content
    b = r.json()
    assert b["status"] == "requested" and Decimal(b["fee"]) == Decimal("400.00") and b["user_group"] == "corridor"
    again = api["operator"].post("bookings", body)
    assert again.status_code == 409 and again.json()["code"] == "overlap"
    # the stranger cannot approve; the owner can
    assert api["stranger"].post(f"bookings/{b['id']}/approve", {}).status_code == 403
    r = api["owner"].post(f"bookings/{b['id']}/approve", {"note": "同意"})
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    assert api["owner"].post(f"bookings/{b['id']}/approve", {}).json()["code"] == "invalid_transition"
    # both see it; an unrelated user does not
    assert api["stranger"].get(f"bookings/{b['id']}").status_code == 200
    assert ApiClient(token_for(world.manager)).get(f"bookings/{b['id']}").status_code == 404
    assert api["owner"].get("bookings", {"instrument": inst.pk}).json()["count"] == 1
    r = api["stranger"].post(f"bookings/{b['id']}/cancel", {"reason": "改期"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert api["owner"].get(f"bookings/{b['id']}/history").json()["count"] == 3


@pytest.mark.parametrize(
    ("start", "end", "status", "code"),
    [
        ("T07:00:00+08:00", "T08:00:00+08:00", 400, "invalid"),  # outside opening hours
        ("T09:00:00+08:00", "T09:10:00+08:00", 400, "invalid"),  # too short
        ("T09:00:00", "T10:00:00", 201, None),  # no offset: local time
    ],
)
def test_booking_rules_over_the_api(world, api, start, end, status, code):
    inst = make_instrument(world.owner, world.org)
    day = monday()
    r = api["stranger"].post("bookings", {"instrument": inst.pk, "start": f"{day}{start}", "end": f"{day}{end}"})
    assert r.status_code == status, r.content
    if code:
        assert r.json()["code"] == code and r.json()["detail"]
    else:
        assert r.json()["start"].startswith(f"{day}T01:00:00") or r.json()["start"].startswith(f"{day}T09:00:00")


def test_qualification_and_unavailable_over_the_api(world, api):
    inst = make_instrument(world.owner, world.org, qualification_required=True)
    day = monday()
    body = {"instrument": inst.pk, "start": f"{day}T09:00:00+08:00", "end": f"{day}T10:00:00+08:00"}
    r = api["stranger"].post("bookings", body)
    assert r.status_code == 403 and "资格" in r.json()["detail"]
    api["owner"].patch(f"instruments/{inst.pk}", {"status": "maintenance", "qualification_required": False})
    r = api["stranger"].post("bookings", body)
    assert r.status_code == 409 and r.json()["code"] == "instrument_unavailable"


def test_usage_and_block_over_the_api(world, api):
    inst = make_instrument(world.owner, world.org)
    start = timezone.now().replace(microsecond=0) - dt.timedelta(hours=4)
    b = past_booking(inst, world.stranger, world.other_org, start, start + dt.timedelta(hours=2))
    body = {"actual_start": start.isoformat(), "actual_end": (start + dt.timedelta(hours=3)).isoformat(), "report": "完成"}
    assert api["stranger"].post(f"bookings/{b.pk}/usage", body).status_code == 403
    r = api["owner"].post(f"bookings/{b.pk}/usage", body)
    assert r.status_code == 200 and r.json()["status"] == BookingStatus.COMPLETED and Decimal(r.json()["fee"]) == Decimal("600.00")
    day = monday()
    r = api["owner"].post(f"instruments/{inst.pk}/blocks", {"start": f"{day}T13:00:00+08:00", "end": f"{day}T18:00:00+08:00", "reason": "保养"})
    assert r.status_code == 201 and r.json()["kind"] == "maintenance"
    assert api["stranger"].post(f"instruments/{inst.pk}/blocks", {"start": f"{day}T09:00:00+08:00", "end": f"{day}T10:00:00+08:00"}).status_code == 403


def test_utilisation_endpoint_and_exports(world, api):
    inst = make_instrument(world.owner, world.org)
    d = dt.date(2026, 3, 2)
    b = past_booking(inst, world.stranger, world.other_org, local(d, 9), local(d, 12))
    from corridor.labs import services

    services.booking_record_usage(b, user=world.owner, actual_start=local(d, 9), actual_end=local(d, 11))
    params = {"from": "2026-03-02", "to": "2026-03-06", "group_by": "instrument"}
    r = api["anonymous"].get("labs/utilisation", params)
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["from"] == "2026-03-02" and data["group_by"] == "instrument"
    row = data["rows"][0]
    assert Decimal(row["open_hours"]) == Decimal("40.00") and Decimal(row["used_hours"]) == Decimal("2.00")
    assert Decimal(row["utilisation"]) == Decimal("0.0500")
    assert Decimal(data["total"]["savings"]) == Decimal("900.00")  # 3 h × (500 − 200)
    r = api["anonymous"].get("labs/utilisation", {**params, "format": "csv"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[1][0] == inst.name and rows[1][4] == "0.0500"
    r = api["anonymous"].get("labs/utilisation", {**params, "format": "xlsx"})
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws.cell(2, 1).value == inst.name and ws.cell(2, 3).value == 40
    bad = api["anonymous"].get("labs/utilisation", {"from": "2026-03-06", "to": "2026-03-01"})
    assert bad.status_code == 400 and "from" in bad.json()["fields"]
    assert api["anonymous"].get("labs/utilisation", {"group_by": "planet"}).status_code == 400
    assert api["anonymous"].get("labs/utilisation", {"city": "火星"}).status_code == 400
