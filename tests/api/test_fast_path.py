"""The lean read path (crud.fast_page / fast_detail) answers byte for byte what the full ninja
serialisation of the declared Out schema answers, for every role: a field the lean path drops,
renames, reorders or formats differently fails here — and so does a confidential detail it leaks.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone
from ninja.responses import NinjaJSONEncoder

from corridor.lists.api import DemandOut, ResourceOut, _demand_out, _demands, _resources
from corridor.lists.choices import Confidentiality, DemandStatus, EvidenceKind
from corridor.lists.models import Demand, Resource
from tests import factories as f

ROLES = ("anonymous", "stranger", "owner", "manager", "reviewer", "operator")


def _full(schema, obj) -> dict:
    """What ninja answers for ``obj`` through the schema (validation of the ORM object, then model_dump)."""
    return schema.model_validate(obj).model_dump()


def _render(data) -> bytes:
    return json.dumps(data, cls=NinjaJSONEncoder).encode()


@pytest.fixture
def rows(world):
    industries = [f.industry("26"), f.industry("27")]
    rich = f.resource(
        world.org, name="催化剂中试平台", contact_name="王工", contact_phone="021-1234", contact_email="w@example.com"
    )
    rich.industries.set(industries)
    rich.evidence.create(kind=EvidenceKind.PATENT, title="一种催化剂", text="说明", reference="ZL2020", year=2020)
    rich.evidence.create(kind=EvidenceKind.ACHIEVEMENT, title="成果", year=None)
    bare = f.resource(world.other_org, public=True)  # no industries, no evidence
    private = f.resource(world.org, public=False)
    secret = f.demand(
        world.org,
        title="保密需求",
        summary="公开摘要",
        description="机密细节XQ-77",
        confidentiality=Confidentiality.SUMMARY,
        trl_desired=6,
        budget_min=Decimal("777777.00"),
        budget_max=Decimal("888888.50"),
        deadline=dt.date(2027, 3, 1),
        published_at=timezone.now(),
    )
    secret.industries.set(industries)
    other_manager = f.user("manager2", is_technology_manager=True)
    secret.assigned_managers.add(world.manager, other_manager)
    public = f.demand(world.other_org, title="公开需求", budget_min=None, budget_max=None, deadline=None)
    public.industries.set(industries[:1])
    draft = f.demand(world.org, status=DemandStatus.DRAFT)
    stranger_secret = f.demand(world.other_org, confidentiality=Confidentiality.SUMMARY, description="对方机密")
    return {"resources": [rich, bare, private], "demands": [secret, public, draft, stranger_secret]}


def _expected_resource(pk: int) -> dict:
    return _full(ResourceOut, _resources().get(pk=pk))


def _expected_demand(pk: int, user) -> dict:
    return _full(DemandOut, _demand_out(_demands().get(pk=pk), user))


def _user(world, role):
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser() if role == "anonymous" else getattr(world, role)


@pytest.mark.parametrize("role", ROLES)
def test_resource_list_and_detail_equal_the_full_serialisation(world, clients, rows, role):
    client = clients[role]
    listed = client.get("resources", {"limit": 50})
    assert listed.status_code == 200
    body = listed.json()
    assert body["items"], "the fixture has public resources"
    expected = {"items": [_expected_resource(i["id"]) for i in body["items"]], "count": body["count"]}
    assert listed.content == _render(expected)
    assert body["count"] == Resource.objects.restrict(_user(world, role), "view").count()
    for item in body["items"]:
        detail = client.get(f"resources/{item['id']}")
        assert detail.status_code == 200
        assert detail.content == _render(_expected_resource(item["id"]))
        assert detail["Content-Type"] == "application/json; charset=utf-8"
    rich = next(i for i in body["items"] if i["name"] == "催化剂中试平台")
    assert [e["title"] for e in rich["evidence"]] == ["成果", "一种催化剂"] and len(rich["industries"]) == 2


@pytest.mark.parametrize("role", ROLES)
def test_demand_list_and_detail_equal_the_full_serialisation(world, clients, rows, role):
    client = clients[role]
    user = _user(world, role)
    listed = client.get("demands", {"limit": 50})
    assert listed.status_code == 200
    body = listed.json()
    expected = {"items": [_expected_demand(i["id"], user) for i in body["items"]], "count": body["count"]}
    assert listed.content == _render(expected)
    assert body["count"] == Demand.objects.restrict(user, "view").count()
    for item in body["items"]:
        detail = client.get(f"demands/{item['id']}")
        assert detail.status_code == 200
        assert detail.content == _render(_expected_demand(item["id"], user))
    secret = next(i for i in body["items"] if i["title"] == "保密需求")
    sees = role in ("owner", "manager", "operator")
    assert secret["details_visible"] is sees
    assert ("机密细节XQ-77" in json.dumps(body, ensure_ascii=False)) is sees
    if sees:
        assert secret["budget_max"] == "888888.50" and secret["deadline"] == "2027-03-01" and len(secret["assigned_managers"]) == 2
    else:
        assert all(secret[k] is None for k in ("description", "trl_desired", "budget_min", "budget_max", "deadline", "assigned_managers"))
    # The other organisation's confidential demand: only its own members and operators see its details.
    theirs = next(i for i in body["items"] if i["owner"]["id"] == world.other_org.pk and i["confidentiality"] == "summary")
    assert theirs["details_visible"] is (role in ("stranger", "operator"))


def test_filtered_pages_and_offsets_equal_the_full_serialisation(world, clients, rows):
    client = clients["owner"]
    counts = []
    for params in ({"limit": 1}, {"limit": 1, "offset": 1}, {"limit": 2, "offset": 5}, {"kind": "pilot"}, {"q": "催化剂"}):
        listed = client.get("resources", params)
        assert listed.status_code == 200, (params, listed.content)
        body = listed.json()
        expected = {"items": [_expected_resource(i["id"]) for i in body["items"]], "count": body["count"]}
        assert listed.content == _render(expected), params
        counts.append(body["count"])
    assert counts[:3] == [3, 3, 3] and counts[4] >= 1
    page = client.get("demands", {"limit": 1, "confidentiality": "summary"}).json()
    assert page["count"] == 2 and len(page["items"]) == 1


def test_hidden_and_missing_objects_are_404(world, clients, rows):
    private = rows["resources"][2]
    draft = rows["demands"][2]
    for role in ("anonymous", "stranger"):
        assert clients[role].get(f"resources/{private.pk}").status_code == 404
        assert clients[role].get(f"demands/{draft.pk}").status_code == 404
    assert clients["owner"].get(f"resources/{private.pk}").status_code == 200
    assert clients["owner"].get("resources/999999").status_code == 404
    assert clients["owner"].get("demands/999999").status_code == 404


def test_match_signals_read_the_same_industry_closure_as_the_models(world):
    """Match signals take industries and all their ancestors from one joined query; it must equal
    walking ``industries.all()`` and ``parent`` on the model instances, at every level of both schemes."""
    from corridor.brokers.models import TechnologyManager
    from corridor.matching.selectors import _industry_closure
    from corridor.regions.models import Industry

    def walked(obj):  # the reference: industries.all() and parent on model instances
        out = set()
        for ind in obj.industries.all():
            node = ind
            out.add(node.pk)
            while node.parent_id is not None:
                out.add(node.parent_id)
                node = node.parent
        return out

    deepest = Industry.objects.filter(scheme="gbt4754").order_by("-level", "code").first()
    assert deepest is not None and deepest.level >= 4
    picks = [deepest, Industry.objects.filter(scheme="gbt4754", level=2).first(), Industry.objects.filter(scheme="sei2018").order_by("-level").first()]
    r1, r2 = f.resource(world.org), f.resource(world.org)
    r1.industries.set(picks)
    d1 = f.demand(world.org)
    d1.industries.set(picks[:1])
    d2 = f.demand(world.org)  # no industries
    for model, objs in ((Resource, [r1, r2]), (Demand, [d1, d2])):
        closure = _industry_closure(model, [o.pk for o in objs])
        for obj in objs:
            assert closure[obj.pk] == walked(model.objects.get(pk=obj.pk))
    assert len(_industry_closure(Resource, [r1.pk])[r1.pk]) >= 4 + 1  # the deepest pick's chain plus the others
    assert _industry_closure(TechnologyManager, []) == {}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_match_page_equals_matches_serialised_one_by_one(world, rows, language):
    """A matches page reverses each kind's detail URL once and translates the signal labels once;
    every item must equal what serialising that match alone (reverse and translate per match) gives."""
    from django.utils import translation

    from corridor.matching.api import _page, serialize
    from corridor.matching.choices import IndexKind
    from corridor.matching.selectors import Match

    signals = {"text": 0.8, "industry": 0.3, "trl": -0.1, "same_city": 0.03, "corridor": 0.05}
    matches = [
        Match(IndexKind.RESOURCES, r, 1.0 - i / 10, 3.0, dict(signals), [("催化剂", 1.5), ("中试", 0.5)])
        for i, r in enumerate(rows["resources"])
    ] + [Match(IndexKind.DEMANDS, d, 0.5, 1.0, {"text": 0.5, "recency": 0.02}, []) for d in rows["demands"]]
    with translation.override(language):
        page = _page(matches)
        one_by_one = [serialize(m) for m in matches]
    assert page == {"items": one_by_one, "count": len(matches)}
    assert {item["url"] for item in page["items"]} == {m.obj.get_absolute_url() for m in matches}
    label = "Industry overlap" if language == "en" else "行业重合"
    assert label in page["items"][0]["explanation"], page["items"][0]["explanation"]
