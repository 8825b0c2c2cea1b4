"""The three lists through the API: nested evidence and parties, the demand workflow, filters, paging, history."""

from __future__ import annotations

from decimal import Decimal

import pytest

from corridor.core.history import history_for
from corridor.lists.choices import DemandStatus, PartyRole, ResourceKind
from corridor.lists.filtersets import CooperationFilterSet, DemandFilterSet, ResourceFilterSet
from corridor.lists.models import CooperationItem, Demand, Resource
from corridor.orgs.filtersets import OrganizationFilterSet
from corridor.orgs.models import Organization
from tests import factories as f


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_resource_with_evidence(world, clients):
    body = {
        "kind": "key_lab",
        "name": "聚烯烃重点实验室",
        "owner": world.org.pk,
        "description": "催化剂研究",
        "industries": [f.industry("26").pk],
        "evidence": [
            {"kind": "patent", "title": "一种环烯烃共聚物催化剂", "reference": "CN123456A", "year": 2023},
            {"kind": "equipment", "title": "高温凝胶色谱仪"},
        ],
    }
    created = clients["owner"].post("resources", body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["city"]["name"] == "上海"  # defaults to the owner's city
    assert [e["title"] for e in data["evidence"]] == ["高温凝胶色谱仪", "一种环烯烃共聚物催化剂"] or len(data["evidence"]) == 2
    assert {e["reference"] for e in data["evidence"]} == {"CN123456A", ""}
    assert data["industries"][0]["code"] == "26"
    pk = data["id"]

    # PATCH without evidence keeps it; with evidence replaces it.
    kept = clients["owner"].patch(f"resources/{pk}", {"trl_min": 3})
    assert len(kept.json()["evidence"]) == 2 and kept.json()["trl_min"] == 3
    replaced = clients["owner"].patch(f"resources/{pk}", {"evidence": [{"kind": "team", "title": "张教授"}]})
    assert [e["title"] for e in replaced.json()["evidence"]] == ["张教授"]
    history = clients["anonymous"].get(f"resources/{pk}/history").json()
    assert [r["action"] for r in history["items"]] == ["update", "update", "create"]
    assert history["items"][0]["changes"]["evidence"][1] == ["team: 张教授"]
    assert history["items"][0]["user"] == "owner"
    assert history["items"][0]["source"] == "api"


def test_bad_evidence_leaves_resource_unchanged(world, clients):
    resource = f.resource(world.org, name="原名")
    response = clients["owner"].patch(
        f"resources/{resource.pk}", {"name": "新名", "evidence": [{"kind": "patent", "title": "x" * 201}]}
    )
    assert response.status_code == 400
    resource.refresh_from_db()
    assert resource.name == "原名"
    assert not history_for(resource).exists()


def test_demand_workflow(world, clients):
    created = clients["owner"].post("demands", {"owner": world.org.pk, "title": "t", "description": "d"})
    assert created.json()["status"] == "draft"
    pk = created.json()["id"]
    moved = clients["owner"].post(f"demands/{pk}/transition", {"to": "published"})
    assert moved.status_code == 200 and moved.json()["status"] == "published"
    assert moved.json()["published_at"] is not None
    patched = clients["owner"].patch(f"demands/{pk}", {"status": "negotiating"})
    assert patched.json()["status"] == "negotiating"
    changes = [r.changes.get("status") for r in history_for(Demand.objects.get(pk=pk))]
    assert changes[:2] == [["published", "negotiating"], ["draft", "published"]]
    assert clients["stranger"].post(f"demands/{pk}/transition", {"to": "closed"}).status_code == 403


def test_demand_created_published(world, clients):
    created = clients["owner"].post(
        "demands", {"owner": world.org.pk, "title": "t", "description": "d", "status": "published", "budget_max": "1000.50"}
    )
    assert created.status_code == 201
    assert created.json()["budget_max"] == "1000.50"
    assert clients["anonymous"].get(f"demands/{created.json()['id']}").status_code == 200
    started_late = clients["owner"].post("demands", {"owner": world.org.pk, "title": "t", "description": "d", "status": "solved"})
    assert started_late.status_code == 409


def test_cooperation_parties(world, clients):
    nanjing = f.organization(city_name="南京")
    body = {
        "title": "上海研发—南京制造",
        "type": "industrialisation",
        "contract_value": "1200000.00",
        "parties": [{"organization": world.org.pk, "role": "rd"}, {"organization": nanjing.pk, "role": "production"}],
    }
    created = clients["owner"].post("cooperations", body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert [(p["organization"], p["role"]) for p in data["parties"]] == [(world.org.pk, "rd"), (nanjing.pk, "production")]
    assert data["rd_production_split"] is True
    assert data["contract_value"] == "1200000.00"
    # Replacing the parties by two in the same city breaks the two-cities rule: 400, nothing changes.
    same_city = [{"organization": world.org.pk, "role": "rd"}, {"organization": f.organization(city_name="上海").pk, "role": "production"}]
    response = clients["owner"].patch(f"cooperations/{data['id']}", {"parties": same_city, "title": "改名"})
    assert response.status_code == 400 and "parties" in response.json()["fields"]
    item = CooperationItem.objects.get(pk=data["id"])
    assert item.title == "上海研发—南京制造"
    assert {p.organization_id for p in item.parties.all()} == {world.org.pk, nanjing.pk}
    # The other party's members may now change it too; strangers may not.
    assert clients["stranger"].patch(f"cooperations/{item.pk}", {"title": "x"}).status_code == 403


def test_paging(world, clients):
    for _ in range(7):
        f.resource(world.org)
    first = clients["anonymous"].get("resources", {"limit": 3}).json()
    assert first["count"] == 7 and len(first["items"]) == 3
    rest = clients["anonymous"].get("resources", {"limit": 3, "offset": 6}).json()
    assert rest["count"] == 7 and len(rest["items"]) == 1
    beyond = clients["anonymous"].get("resources", {"limit": 3, "offset": 30}).json()
    assert beyond == {"items": [], "count": 7}
    default = clients["anonymous"].get("resources").json()
    assert len(default["items"]) == 7
    pages = [clients["anonymous"].get("resources", {"limit": 2, "offset": o}).json()["items"] for o in range(0, 8, 2)]
    assert len({i["id"] for page in pages for i in page}) == 7


@pytest.fixture
def catalogue(world):
    """A small mixed catalogue across cities, kinds, industries, TRLs and budgets."""
    suzhou = world.other_org
    nanjing = f.organization("南京智能制造研究院", city_name="南京", type="institute")
    chem, pharma = f.industry("26"), f.industry("27")
    r1 = f.resource(world.org, kind=ResourceKind.PILOT, name="聚烯烃中试线", trl_min=4, trl_max=7)
    r1.industries.set([f.industry("2614")])  # below 26
    r2 = f.resource(suzhou, kind=ResourceKind.INSTRUMENT, name="电镜", description="透射电子显微镜", trl_min=1, trl_max=3)
    r3 = f.resource(nanjing, kind=ResourceKind.EXPERT_TEAM, name="药物团队", trl_min=5, trl_max=9)
    r3.industries.set([pharma])
    d1 = f.demand(world.org, title="催化剂攻关", budget_min=Decimal("100000"), budget_max=Decimal("300000"))
    d1.industries.set([chem])
    d2 = f.demand(suzhou, title="显微分析需求", status=DemandStatus.NEGOTIATING, budget_min=None, budget_max=Decimal("50000"))
    d3 = f.demand(nanjing, title="药物筛选", budget_min=Decimal("1000000"), budget_max=Decimal("2000000"))
    c1 = f.cooperation([(world.org, PartyRole.RD), (nanjing, PartyRole.PRODUCTION)], title="沪宁产业化", rd_production_split=True)
    c2 = f.cooperation([(suzhou, PartyRole.LEAD), (nanjing, PartyRole.RD)], title="苏宁联合研发", type="joint_rd")
    return {"r": (r1, r2, r3), "d": (d1, d2, d3), "c": (c1, c2), "nanjing": nanjing}


RESOURCE_QUERIES = [
    {"kind": "pilot"},
    {"city": "苏州"},
    {"city": "320100"},
    {"industry": "26"},
    {"industry": "27"},
    {"trl": "5"},
    {"q": "电子显微"},
    {"q": "聚烯烃 中试"},
    {"status": "available", "open_to": "everyone"},
    {"city": "不存在的城市"},
]


@pytest.mark.parametrize("query", RESOURCE_QUERIES, ids=str)
def test_resource_filters_match_the_filterset(world, clients, catalogue, query):
    expected = {r.pk for r in ResourceFilterSet(query, queryset=Resource.objects.all()).qs}
    assert _ids(clients["anonymous"].get("resources", query)) == expected


def test_resource_filters_find_the_right_rows(world, clients, catalogue):
    r1, r2, r3 = catalogue["r"]
    get = clients["anonymous"].get
    assert _ids(get("resources", {"kind": "pilot"})) == {r1.pk}
    assert _ids(get("resources", {"city": "苏州"})) == {r2.pk}
    assert _ids(get("resources", {"industry": "26"})) == {r1.pk}  # 2614 is under 26
    assert _ids(get("resources", {"trl": 5})) == {r1.pk, r3.pk}
    assert _ids(get("resources", {"q": "电子显微"})) == {r2.pk}
    assert _ids(get("resources", {"owner": catalogue["nanjing"].pk})) == {r3.pk}


def test_demand_filters(world, clients, catalogue):
    d1, d2, d3 = catalogue["d"]
    get = clients["anonymous"].get
    assert _ids(get("demands", {"status": "negotiating"})) == {d2.pk}
    assert _ids(get("demands", {"budget_min": 500000})) == {d3.pk}
    assert _ids(get("demands", {"budget_max": 200000})) == {d1.pk}
    assert _ids(get("demands", {"q": "攻关"})) == {d1.pk}
    assert _ids(get("demands", {"industry": "26"})) == {d1.pk}
    for query in ({"status": "negotiating"}, {"budget_min": "500000"}, {"city": "南京"}, {"q": "需求"}):
        assert _ids(get("demands", query)) == {d.pk for d in DemandFilterSet(query, queryset=Demand.objects.all()).qs}


def test_cooperation_filters(world, clients, catalogue):
    c1, c2 = catalogue["c"]
    get = clients["anonymous"].get
    assert _ids(get("cooperations", {"city": "上海"})) == {c1.pk}
    assert _ids(get("cooperations", {"city": "南京"})) == {c1.pk, c2.pk}
    assert _ids(get("cooperations", {"rd_production_split": "true"})) == {c1.pk}
    assert _ids(get("cooperations", {"rd_production_split": "false"})) == {c2.pk}
    assert _ids(get("cooperations", {"organization": world.other_org.pk})) == {c2.pk}
    assert _ids(get("cooperations", {"q": "沪宁"})) == {c1.pk}
    query = {"q": "研发"}
    assert _ids(get("cooperations", query)) == {c.pk for c in CooperationFilterSet(query, queryset=CooperationItem.objects.all()).qs}


def test_organization_filters(world, clients, catalogue):
    get = clients["anonymous"].get
    assert _ids(get("organizations", {"type": "institute"})) == {catalogue["nanjing"].pk}
    assert _ids(get("organizations", {"province": "江苏省"})) == {world.other_org.pk, catalogue["nanjing"].pk}
    assert _ids(get("organizations", {"q": "测试化工"})) == {world.org.pk}
    query = {"city": "上海"}
    assert _ids(get("organizations", query)) == {o.pk for o in OrganizationFilterSet(query, queryset=Organization.objects.all()).qs}


def test_reference_data(world, clients):
    get = clients["anonymous"].get
    cities = get("cities", {"limit": 500}).json()
    assert cities["count"] == 41
    assert _ids(get("cities", {"q": "Wuxi"})) == {f.city("无锡").pk}
    assert _ids(get("cities", {"city": "320500"})) == {f.city("苏州").pk}
    core = get("cities", {"corridor": "core", "limit": 500}).json()["items"]
    assert core and all(c["corridor"] == "core" for c in core)
    chemistry = get("industries", {"industry": "26", "limit": 500}).json()
    assert chemistry["count"] > 1 and all(i["code"].startswith("26") for i in chemistry["items"])
    top = get("industries", {"scheme": "sei2018", "level": 1, "limit": 500}).json()["items"]
    assert top and all(i["parent"] is None and i["scheme"] == "sei2018" for i in top)
    detail = get(f"industries/{f.industry('2614').pk}").json()
    assert detail["parent"] == f.industry("261").pk
    assert get(f"cities/{f.city('南京').pk}").json()["full_name"] == "南京市"
