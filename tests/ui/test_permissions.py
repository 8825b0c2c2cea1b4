"""The permission matrix of every UI page: anonymous, stranger, owner, operator × list, detail, add, edit, delete.

"stranger" acts for another organisation; "owner" acts for the organisation that owns the object.
Write pages send anonymous users to the login page; forbidden users get 403 and change nothing;
allowed users succeed and leave a change record.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from corridor.core.history import history_for
from corridor.core.models import ChangeAction, ChangeRecord
from corridor.lists.choices import PartyRole
from corridor.lists.models import CooperationItem, Demand, Resource
from corridor.orgs.models import Organization
from tests import factories as f
from tests.ui.helpers import (
    ROLES,
    client_for,
    cooperation_payload,
    demand_payload,
    organization_payload,
    resource_payload,
)


def make_object(kind: str, world: Any, **kw: Any) -> Any:
    if kind == "organization":
        return world.org
    if kind == "resource":
        return f.resource(world.org, **kw)
    if kind == "demand":
        return f.demand(world.org, **kw)
    # The stranger's organisation is not a party: a third organisation in a third city is.
    third = f.organization("南京测试制造有限公司", city_name="南京")
    return f.cooperation([(world.org, PartyRole.RD), (third, PartyRole.PRODUCTION)], **kw)


KINDS: dict[str, dict[str, Any]] = {
    "organization": {"ns": "orgs:organization", "model": Organization, "payload": organization_payload, "title": "name"},
    "resource": {"ns": "lists:resource", "model": Resource, "payload": resource_payload, "title": "name"},
    "demand": {"ns": "lists:demand", "model": Demand, "payload": demand_payload, "title": "title"},
    "cooperation": {"ns": "lists:cooperation", "model": CooperationItem, "payload": cooperation_payload, "title": "title"},
}

# Who may add / delete: organisations are registered and removed by operators only.
ADD_ALLOWED = {
    "organization": {"operator"},
    "resource": {"stranger", "owner", "operator"},
    "demand": {"stranger", "owner", "operator"},
    "cooperation": {"stranger", "owner", "operator"},
}
EDIT_ALLOWED = {"owner", "operator"}
DELETE_ALLOWED = {
    "organization": {"operator"},
    "resource": {"owner", "operator"},
    "demand": {"owner", "operator"},
    "cooperation": {"owner", "operator"},
}

MATRIX = [(kind, role) for kind in KINDS for role in ROLES]


def expect(response: Any, role: str, allowed: bool, ok: int = 200, denied: int = 403) -> None:
    """``denied``: 403 for an object the user may view but not change; 404 for one they may not
    even view (its existence is not disclosed, as in the API)."""
    if allowed:
        assert response.status_code == ok, response.content[:500]
    elif role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == denied


@pytest.mark.parametrize(("kind", "role"), MATRIX)
def test_list(world, kind, role):
    obj = make_object(kind, world)
    response = client_for(role, world).get(reverse(f"{KINDS[kind]['ns']}_list"))
    assert response.status_code == 200
    assert str(obj).encode() in response.content
    add_url = reverse(f"{KINDS[kind]['ns']}_add").encode()
    assert (add_url in response.content) == (role in ADD_ALLOWED[kind])


@pytest.mark.parametrize(("kind", "role"), MATRIX)
def test_detail(world, kind, role):
    obj = make_object(kind, world)
    response = client_for(role, world).get(obj.get_absolute_url())
    assert response.status_code == 200
    ns = KINDS[kind]["ns"]
    assert (reverse(f"{ns}_edit", args=[obj.pk]).encode() in response.content) == (role in EDIT_ALLOWED)
    assert (reverse(f"{ns}_delete", args=[obj.pk]).encode() in response.content) == (role in DELETE_ALLOWED[kind])


@pytest.mark.parametrize(("kind", "role"), [(k, r) for k in ("resource", "demand", "cooperation") for r in ROLES])
def test_detail_of_private_object(world, kind, role):
    private = {"resource": {"public": False}, "demand": {"status": "draft"}, "cooperation": {"public": False}}[kind]
    obj = make_object(kind, world, **private)
    response = client_for(role, world).get(obj.get_absolute_url())
    expect(response, role, role in EDIT_ALLOWED, denied=404)
    listing = client_for(role, world).get(reverse(f"{KINDS[kind]['ns']}_list"))
    assert (str(obj).encode() in listing.content) == (role in EDIT_ALLOWED)


@pytest.mark.parametrize(("kind", "role"), MATRIX)
def test_add(world, kind, role):
    spec = KINDS[kind]
    url = reverse(f"{spec['ns']}_add")
    allowed = role in ADD_ALLOWED[kind]
    client = client_for(role, world)
    expect(client.get(url), role, allowed)
    payload = spec["payload"](world)
    if kind in ("resource", "demand") and role == "stranger":
        payload = spec["payload"](world, owner=world.other_org)
    before = spec["model"].objects.count()
    response = client.post(url, payload)
    expect(response, role, allowed, ok=302)
    if allowed:
        created = spec["model"].objects.get(**{spec["title"]: payload[spec["title"]]})
        assert response["Location"] == created.get_absolute_url()
        record = history_for(created).get()
        assert record.action == ChangeAction.CREATE
        assert record.user == getattr(world, role)
    else:
        assert spec["model"].objects.count() == before


@pytest.mark.parametrize(("kind", "role"), MATRIX)
def test_edit(world, kind, role):
    spec = KINDS[kind]
    obj = make_object(kind, world)
    url = reverse(f"{spec['ns']}_edit", args=[obj.pk])
    allowed = role in EDIT_ALLOWED
    client = client_for(role, world)
    expect(client.get(url), role, allowed)
    payload = spec["payload"](world)
    if kind == "organization":
        payload.update(name=obj.name, credit_code=obj.credit_code, city=obj.city_id, type=obj.type)
    payload[spec["title"]] = "改过的名称"
    old_title = getattr(obj, spec["title"])
    response = client.post(url, payload)
    expect(response, role, allowed, ok=302)
    obj.refresh_from_db()
    if allowed:
        assert getattr(obj, spec["title"]) == "改过的名称"
        record = history_for(obj).filter(action=ChangeAction.UPDATE).first()
        assert record is not None and record.user == getattr(world, role)
        assert record.changes[spec["title"]] == [old_title, "改过的名称"]
    else:
        assert getattr(obj, spec["title"]) == old_title
        assert not ChangeRecord.objects.filter(action=ChangeAction.UPDATE).exists()


@pytest.mark.parametrize(("kind", "role"), MATRIX)
def test_delete(world, kind, role):
    spec = KINDS[kind]
    obj = make_object(kind, world)
    url = reverse(f"{spec['ns']}_delete", args=[obj.pk])
    allowed = role in DELETE_ALLOWED[kind]
    client = client_for(role, world)
    expect(client.get(url), role, allowed)
    response = client.post(url)
    expect(response, role, allowed, ok=302)
    exists = spec["model"].objects.filter(pk=obj.pk).exists()
    assert exists is not allowed
    if allowed:
        assert response["Location"] == reverse(f"{spec['ns']}_list")
        assert ChangeRecord.objects.filter(action=ChangeAction.DELETE, object_id=obj.pk).exists()


@pytest.mark.parametrize("role", ROLES)
def test_demand_transition(world, role):
    demand = f.demand(world.org)  # published
    response = client_for(role, world).post(reverse("lists:demand_transition", args=[demand.pk]), {"to": "negotiating"})
    expect(response, role, role in EDIT_ALLOWED, ok=302)
    demand.refresh_from_db()
    assert (demand.status == "negotiating") == (role in EDIT_ALLOWED)


def test_missing_objects_are_404(world, client):
    client.force_login(world.operator)
    for kind in KINDS.values():
        for action in ("detail", "edit", "delete"):
            assert client.get(reverse(f"{kind['ns']}_{action}", args=[999999])).status_code == 404
