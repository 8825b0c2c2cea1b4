"""The permission matrix: every endpoint × {anonymous, stranger, owner, operator} × every action.

Each endpoint is described once (~10 lines) by an :class:`Endpoint`; the parametrised tests do
the rest: the status code, the error shape for refusals, that allowed writes happened and wrote a
change record naming the API and the user, and that refused writes changed nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import models

from corridor.core.models import ChangeRecord
from corridor.lists.choices import DemandStatus, PartyRole
from corridor.lists.models import CooperationItem, Demand, Resource
from corridor.orgs.models import Organization
from corridor.regions.models import City, Industry
from tests import factories as f
from tests.api.conftest import ROLES, assert_error

ACTIONS = ("list", "detail", "history", "create", "update", "delete")
ALL_OK = {role: 200 for role in ROLES}
READ_ONLY = {role: 405 for role in ROLES}


def _rules(**overrides: dict[str, int]) -> dict[str, dict[str, int]]:
    """Rules of an owned list entry; ``overrides`` replace whole actions."""
    rules = {
        "list": ALL_OK,
        "detail": ALL_OK,
        "history": ALL_OK,
        "create": {"anonymous": 401, "stranger": 403, "owner": 201, "operator": 201},
        "update": {"anonymous": 401, "stranger": 403, "owner": 200, "operator": 200},
        "delete": {"anonymous": 401, "stranger": 403, "owner": 204, "operator": 204},
    }
    rules.update(overrides)
    return rules


# The same rules for an object only its owner (and operators) may see: strangers get 404, not 403.
HIDDEN_RULES = {
    "detail": {"anonymous": 404, "stranger": 404, "owner": 200, "operator": 200},
    "history": {"anonymous": 404, "stranger": 404, "owner": 200, "operator": 200},
    "update": {"anonymous": 401, "stranger": 404, "owner": 200, "operator": 200},
    "delete": {"anonymous": 401, "stranger": 404, "owner": 204, "operator": 204},
}


def _nanjing_org() -> Organization:
    return f.organization(city_name="南京")


def _cooperation(world: Any, **kw: Any) -> CooperationItem:
    return f.cooperation([(world.org, PartyRole.RD), (_nanjing_org(), PartyRole.PRODUCTION)], **kw)


@dataclass
class Endpoint:
    path: str
    model: type[models.Model]
    make: Callable[[Any], models.Model]  # an object of world.org that everybody may view
    rules: dict[str, dict[str, int]]
    create: Callable[[Any], dict[str, Any]] | None = None
    update: dict[str, Any] = field(default_factory=dict)
    make_hidden: Callable[[Any], models.Model] | None = None  # one that only owner and operators may view

    def __str__(self) -> str:
        return self.path


ENDPOINTS = [
    Endpoint(
        "organizations",
        Organization,
        make=lambda w: w.org,
        create=lambda w: {"name": "新注册机构", "type": "university", "city": f.city("杭州").pk, "credit_code": f.credit_code()},
        update={"description": "新的简介"},
        rules=_rules(
            create={"anonymous": 401, "stranger": 403, "owner": 403, "operator": 201},
            delete={"anonymous": 401, "stranger": 403, "owner": 403, "operator": 204},
        ),
    ),
    Endpoint(
        "resources",
        Resource,
        make=lambda w: f.resource(w.org),
        make_hidden=lambda w: f.resource(w.org, public=False),
        create=lambda w: {"kind": "pilot", "name": "新中试平台", "owner": w.org.pk, "description": "中试放大"},
        update={"name": "改名后的平台"},
        rules=_rules(),
    ),
    Endpoint(
        "demands",
        Demand,
        make=lambda w: f.demand(w.org),
        make_hidden=lambda w: f.demand(w.org, status=DemandStatus.DRAFT),
        create=lambda w: {"owner": w.org.pk, "title": "新需求", "description": "寻求催化剂合作"},
        update={"title": "改过的需求标题"},
        rules=_rules(),
    ),
    Endpoint(
        "cooperations",
        CooperationItem,
        make=_cooperation,
        make_hidden=lambda w: _cooperation(w, public=False),
        create=lambda w: {
            "title": "沪宁联合研发",
            "type": "joint_rd",
            "parties": [
                {"organization": w.org.pk, "role": "rd"},
                {"organization": _nanjing_org().pk, "role": "production"},
            ],
        },
        update={"title": "改过的合作标题"},
        rules=_rules(),
    ),
    Endpoint(
        "cities",
        City,
        make=lambda w: f.city("苏州"),
        update={"name": "x"},
        rules={"list": ALL_OK, "detail": ALL_OK, "create": READ_ONLY, "update": READ_ONLY, "delete": READ_ONLY},
    ),
    Endpoint(
        "industries",
        Industry,
        make=lambda w: f.industry("26"),
        update={"name": "x"},
        rules={"list": ALL_OK, "detail": ALL_OK, "create": READ_ONLY, "update": READ_ONLY, "delete": READ_ONLY},
    ),
]

MATRIX = [
    pytest.param(ep, action, role, id=f"{ep.path}-{action}-{role}")
    for ep in ENDPOINTS
    for action in ACTIONS
    if action in ep.rules
    for role in ROLES
]
HIDDEN_MATRIX = [
    pytest.param(ep, action, role, id=f"{ep.path}-hidden-{action}-{role}")
    for ep in ENDPOINTS
    if ep.make_hidden is not None
    for action in HIDDEN_RULES
    for role in ROLES
]


def _records(obj_model: type[models.Model], pk: int) -> models.QuerySet[ChangeRecord]:
    return ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(obj_model), object_id=pk)


def _check_written(ep: Endpoint, pk: int, action: str, user: Any) -> None:
    record = _records(ep.model, pk).first()
    assert record is not None, "no change record written"
    assert (record.action, record.source, record.user_id) == (action, "api", user.pk)


def _run(ep: Endpoint, obj: models.Model, action: str, role: str, world: Any, clients: dict) -> None:
    client = clients[role]
    expected = HIDDEN_RULES[action][role] if getattr(obj, "_hidden", False) else ep.rules[action][role]
    user = getattr(world, role, None)
    url = f"{ep.path}/{obj.pk}"
    records_before = ChangeRecord.objects.count()
    count_before = ep.model.objects.count()

    if action == "list":
        response = client.get(ep.path, {"limit": 500})
        assert response.status_code == expected
        assert obj.pk in {item["id"] for item in response.json()["items"]}
        return
    if action == "detail":
        response = client.get(url)
    elif action == "history":
        response = client.get(f"{url}/history")
    elif action == "create":
        body = ep.create(world) if ep.create else {}
        count_before = ep.model.objects.count()
        response = client.post(ep.path, body)
    elif action == "update":
        before = {k: getattr(ep.model.objects.get(pk=obj.pk), k) for k in ep.update}
        response = client.patch(url, ep.update)
    else:
        response = client.delete(url)

    if expected >= 400:
        assert_error(response, expected)
        # A refused request changes nothing and writes no history.
        assert ep.model.objects.count() == count_before
        assert ChangeRecord.objects.count() == records_before
        if action == "update":
            assert {k: getattr(ep.model.objects.get(pk=obj.pk), k) for k in ep.update} == before
        return

    assert response.status_code == expected, response.content
    if action in ("detail", "update"):
        body = response.json()
        assert body["id"] == obj.pk
        if "history" in ep.rules:
            assert body["history_url"] == f"/api/v1/{ep.path}/{obj.pk}/history"
    if action == "history":
        assert set(response.json()) == {"items", "count"}
    if action == "create":
        new = response.json()
        assert ep.model.objects.count() == count_before + 1
        _check_written(ep, new["id"], "create", user)
    if action == "update":
        assert {k: getattr(ep.model.objects.get(pk=obj.pk), k) for k in ep.update} == ep.update
        _check_written(ep, obj.pk, "update", user)
    if action == "delete":
        assert response.content == b""
        assert not ep.model.objects.filter(pk=obj.pk).exists()
        _check_written(ep, obj.pk, "delete", user)


@pytest.mark.parametrize(("ep", "action", "role"), MATRIX)
def test_permission_matrix(world, clients, ep, action, role):
    _run(ep, ep.make(world), action, role, world, clients)


@pytest.mark.parametrize(("ep", "action", "role"), HIDDEN_MATRIX)
def test_hidden_object_matrix(world, clients, ep, action, role):
    obj = ep.make_hidden(world)
    obj._hidden = True
    _run(ep, obj, action, role, world, clients)


@pytest.mark.parametrize("ep", [ep for ep in ENDPOINTS if ep.make_hidden], ids=str)
def test_hidden_objects_are_left_out_of_lists(world, clients, ep):
    hidden = ep.make_hidden(world)
    for role in ROLES:
        ids = {item["id"] for item in clients[role].get(ep.path, {"limit": 500}).json()["items"]}
        assert (hidden.pk in ids) is (role in ("owner", "operator")), role


@pytest.mark.parametrize("ep", ENDPOINTS, ids=str)
def test_unknown_object_is_404(world, clients, ep):
    for role in ROLES:
        assert_error(clients[role].get(f"{ep.path}/987654321"), 404, "not_found")
