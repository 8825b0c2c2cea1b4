"""Query counts of list and detail endpoints and pages that tests/api/test_queries.py does not pin.

A list costs the same queries for 2 rows as for 8 (an N+1 fails at once), and no list or
detail exceeds its pin (the count measured as operator when the pin was set, plus one).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from corridor.labs import services as labs_services
from tests import factories as f
from tests.brokers.conftest import manager_profile, open_case
from tests.labs.conftest import local, make_instrument, monday
from tests.market.conftest import open_call, submit_bid

_n = itertools.count(1)


def _call(world: Any) -> Any:
    return open_call(world)


def _bid(world: Any) -> Any:
    if not hasattr(world, "pin_call"):
        world.pin_call = open_call(world)
    org = f.organization(city_name="南京")
    return submit_bid(world, world.pin_call, org=org, user=f.user(org=org))


def _instrument(world: Any) -> Any:
    return make_instrument(world.owner, world.org)


def _booking(world: Any) -> Any:
    if not hasattr(world, "pin_instrument"):
        world.pin_instrument = make_instrument(world.owner, world.org)
    day = monday(weeks_ahead=next(_n) + 1)
    return labs_services.booking_request(user=world.stranger, instrument=world.pin_instrument, start=local(day, 9), end=local(day, 10))


def _manager(world: Any) -> Any:
    return manager_profile(f"pin-mgr{next(_n)}", industries=("3.3",))


def _case(world: Any) -> Any:
    world.demand = f.demand(world.other_org)
    return open_case(world)


def _resource(world: Any) -> Any:
    r = f.resource(world.org)
    r.industries.set([f.industry("26")])
    return r


def _demand(world: Any) -> Any:
    d = f.demand(world.org)
    d.industries.set([f.industry("26")])
    return d


# name: (builder, list URL, detail URL of an object, pin for the list, pin for the detail)
CASES: dict[str, tuple[Callable[[Any], Any], str, Callable[[Any], str], int, int]] = {
    "api calls": (_call, "/api/v1/calls?limit=100", lambda o: f"/api/v1/calls/{o.pk}", 8, 8),
    "api bids": (_bid, "/api/v1/bids?limit=100", lambda o: f"/api/v1/bids/{o.pk}", 7, 6),
    "api instruments": (_instrument, "/api/v1/instruments?limit=100", lambda o: f"/api/v1/instruments/{o.pk}", 5, 5),
    "api bookings": (_booking, "/api/v1/bookings?limit=100", lambda o: f"/api/v1/bookings/{o.pk}", 4, 4),
    "api managers": (_manager, "/api/v1/managers?limit=100", lambda o: f"/api/v1/managers/{o.pk}", 6, 6),
    "api cases": (_case, "/api/v1/cases?limit=100", lambda o: f"/api/v1/cases/{o.pk}", 9, 14),
    "page resources": (_resource, "/lists/resources/?city=上海", lambda o: f"/lists/resources/{o.pk}/", 10, 9),
    "page demands": (_demand, "/lists/demands/?status=published", lambda o: f"/lists/demands/{o.pk}/", 9, 10),
    "page calls": (_call, "/market/calls/", lambda o: f"/market/calls/{o.pk}/", 9, 20),
    "page managers": (_manager, "/brokers/managers/", lambda o: f"/brokers/managers/{o.pk}/", 10, 13),
    "page cases": (_case, "/brokers/cases/", lambda o: f"/brokers/cases/{o.pk}/", 13, 20),
}


def _count(client: Client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return len(ctx), [q["sql"] for q in ctx.captured_queries]


@pytest.mark.django_db
@pytest.mark.parametrize("name", CASES)
def test_lists_do_not_grow_and_stay_under_their_pins(world, name):
    build, list_url, detail_url, list_pin, detail_pin = CASES[name]
    client = Client()
    client.force_login(world.operator)
    objects = [build(world) for _ in range(2)]
    client.get(list_url)  # caches warmed (content types, reference data)
    few, _sql = _count(client, list_url)
    objects += [build(world) for _ in range(6)]
    many, sql = _count(client, list_url)
    assert many == few, f"{name}: {few} queries for 2 rows, {many} for 8:\n" + "\n".join(sql)
    client.get(detail_url(objects[-1]))
    detail, dsql = _count(client, detail_url(objects[-1]))
    assert many <= list_pin, f"{name}: {many} queries > pin {list_pin}:\n" + "\n".join(sql)
    assert detail <= detail_pin, f"{name} detail: {detail} queries > pin {detail_pin}:\n" + "\n".join(dsql)
