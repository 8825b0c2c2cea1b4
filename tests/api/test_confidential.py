"""Confidential demands (confidentiality "summary"): their details never reach readers who may not see them."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from corridor.lists.api import details_visible_ids
from corridor.lists.choices import Confidentiality
from corridor.lists.models import Demand
from tests import factories as f

SECRET = "独家催化剂配方XQ-77"
BUDGET = Decimal("777777.00")


@pytest.fixture
def secret(world):
    demand = f.demand(
        world.org,
        title="寻求高端聚烯烃合作",
        summary="公开摘要：聚烯烃材料",
        description=f"详细需求：{SECRET}",
        confidentiality=Confidentiality.SUMMARY,
        budget_min=BUDGET,
        budget_max=BUDGET,
        trl_desired=6,
    )
    demand.assigned_managers.add(world.manager)
    return demand


def _text(response) -> str:
    """The whole answer as readable text (the JSON escapes Chinese characters)."""
    return json.dumps(response.json(), ensure_ascii=False)


SEES = {"anonymous": False, "stranger": False, "reviewer": False, "owner": True, "operator": True, "manager": True}


@pytest.mark.parametrize(("role", "sees"), SEES.items())
def test_list_and_detail(world, clients, secret, role, sees):
    listed = clients[role].get("demands")
    detail = clients[role].get(f"demands/{secret.pk}")
    assert listed.status_code == detail.status_code == 200
    (item,) = [i for i in listed.json()["items"] if i["id"] == secret.pk]
    for body, response in ((item, listed), (detail.json(), detail)):
        assert body["title"] == "寻求高端聚烯烃合作" and body["summary"] == "公开摘要：聚烯烃材料"
        assert body["details_visible"] is sees
        assert (SECRET in _text(response)) is sees
        assert (body["budget_min"] is not None) is sees
        assert (body["trl_desired"] == 6) is sees
        if not sees:
            assert body["description"] is None and body["budget_max"] is None and body["assigned_managers"] is None


@pytest.mark.parametrize("role", ["anonymous", "stranger", "owner", "operator"])
def test_search_does_not_find_confidential_text(world, clients, secret, role):
    response = clients[role].get("demands", {"q": "XQ-77"})
    assert response.json()["count"] == 0
    assert SECRET not in _text(response)
    # The public summary is searchable by everybody.
    assert clients[role].get("demands", {"q": "公开摘要"}).json()["count"] == 1


@pytest.mark.parametrize(("role", "sees"), SEES.items())
def test_history(world, clients, role, sees):
    created = clients["owner"].post(
        "demands",
        {
            "owner": world.org.pk,
            "title": "保密需求",
            "summary": "摘要",
            "description": f"第一版 {SECRET}",
            "confidentiality": "summary",
            "budget_max": "5000.00",
            "status": "published",
        },
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    Demand.objects.get(pk=pk).assigned_managers.add(world.manager)
    assert clients["owner"].patch(f"demands/{pk}", {"description": f"第二版 {SECRET}", "title": "保密需求（更新）"}).status_code == 200
    response = clients[role].get(f"demands/{pk}/history")
    assert response.status_code == 200
    records = response.json()["items"]
    assert [r["action"] for r in records] == ["update", "create"]
    assert (SECRET in _text(response)) is sees
    assert ("5000" in _text(response)) is sees
    # The public part of the change stays visible to all.
    assert records[0]["changes"]["title"] == ["保密需求", "保密需求（更新）"]
    assert all(r["redacted"] is not sees for r in records)


def test_history_of_a_demand_that_was_confidential_before(world, clients):
    demand = clients["owner"].post(
        "demands", {"owner": world.org.pk, "title": "t", "description": SECRET, "confidentiality": "summary", "status": "published"}
    ).json()
    clients["owner"].patch(f"demands/{demand['id']}", {"description": "如今公开的描述", "confidentiality": "public"})
    detail = clients["stranger"].get(f"demands/{demand['id']}").json()
    assert detail["description"] == "如今公开的描述"
    history = clients["stranger"].get(f"demands/{demand['id']}/history")
    assert SECRET not in _text(history)
    assert SECRET in _text(clients["owner"].get(f"demands/{demand['id']}/history"))


def test_public_demand_history_is_not_redacted(world, clients):
    demand = clients["owner"].post("demands", {"owner": world.org.pk, "title": "t", "description": "公开描述"}).json()
    history = clients["stranger"].get(f"demands/{demand['id']}/history")
    # A draft is not visible to strangers; publish it first.
    assert history.status_code == 404
    clients["owner"].post(f"demands/{demand['id']}/transition", {"to": "published"})
    history = clients["stranger"].get(f"demands/{demand['id']}/history").json()
    assert history["items"][-1]["changes"]["description"] == "公开描述"
    assert not any(r["redacted"] for r in history["items"])


@pytest.mark.parametrize("role", ["stranger", "owner", "operator", "manager", "reviewer"])
def test_list_marking_agrees_with_the_model_rule(world, secret, role):
    user = getattr(world, role)
    others = [f.demand(world.other_org, confidentiality=Confidentiality.SUMMARY), f.demand(world.org)]
    demands = list(Demand.objects.filter(pk__in=[secret.pk] + [d.pk for d in others]))
    rows = [(d.pk, d.owner_id, d.is_confidential) for d in demands]
    managers = {d.pk: list(d.assigned_managers.values_list("pk", flat=True)) for d in demands}
    expected = {d.pk for d in demands if d.details_visible_to(user)}
    assert details_visible_ids(rows, user) == expected, role  # assignments read from the database
    assert details_visible_ids(rows, user, managers) == expected, role  # assignments given by the caller
