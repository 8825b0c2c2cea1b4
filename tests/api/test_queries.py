"""Query counts are pinned: a list costs the same few queries for 3 rows or 30, so an N+1 fails here."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from corridor.lists.choices import Confidentiality, PartyRole
from tests import factories as f


@pytest.fixture(autouse=True)
def _computed_answers(settings):
    """The pins are about computing an answer; a cached one (tests/api/test_answer_cache.py) takes two queries."""
    settings.CORRIDOR = {**settings.CORRIDOR, "ANSWER_CACHE_SECONDS": 0}


def _fill(world, n: int) -> None:
    industries = [f.industry("26"), f.industry("27")]
    for i in range(n):
        other = f.organization(city_name="南京")
        other.industries.set(industries)
        r = f.resource(world.org)
        r.industries.set(industries)
        r.evidence.create(kind="patent", title=f"专利{i}")
        d = f.demand(world.org, confidentiality=Confidentiality.SUMMARY if i % 2 else Confidentiality.PUBLIC)
        d.industries.set(industries)
        d.assigned_managers.add(world.manager)
        c = f.cooperation([(world.org, PartyRole.RD), (other, PartyRole.PRODUCTION)])
        c.industries.set(industries)
        c.resources.add(r)


# Most queries a list may take (token lookup, memberships, count, page, prefetches), by endpoint.
PINS = {"organizations": 4, "resources": 6, "demands": 7, "cooperations": 7, "cities": 3, "industries": 3}


@pytest.mark.parametrize("path", PINS)
@pytest.mark.parametrize("role", ["anonymous", "manager", "owner"])
def test_list_queries_do_not_grow_with_rows(world, clients, django_assert_max_num_queries, path, role):
    client = clients[role]
    _fill(world, 3)
    client.get(path)  # first use of a token notes its time; not what is measured
    with CaptureQueriesContext(connection) as few:
        assert client.get(path, {"limit": 500}).status_code == 200
    _fill(world, 12)
    with django_assert_max_num_queries(PINS[path]):
        response = client.get(path, {"limit": 500})
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as many:
        client.get(path, {"limit": 500})
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


@pytest.mark.parametrize("path", ["resources", "demands", "cooperations", "organizations"])
def test_detail_and_history_queries(world, clients, django_assert_max_num_queries, path):
    _fill(world, 2)
    client = clients["owner"]
    pk = client.get(path).json()["items"][0]["id"]
    client.get(f"{path}/{pk}")
    # Django caches content types per process: the first history read of a model may look its type up once,
    # which made this pin depend on which tests ran before it.
    client.get(f"{path}/{pk}/history")
    with django_assert_max_num_queries(PINS[path] + 1):
        assert client.get(f"{path}/{pk}").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(f"{path}/{pk}/history").status_code == 200
