"""Matching on the database: ranking with explanations, index kept current, permissions respected."""

import pytest

from corridor.lists import services as list_services
from corridor.lists.choices import Confidentiality, DemandStatus, ResourceKind
from corridor.lists.models import ResourceEvidence
from corridor.matching import selectors
from corridor.matching.registry import registry
from tests import factories as f


@pytest.fixture
def catalogue(world):
    catalyst = f.resource(world.org, name="聚烯烃催化剂国家重点实验室", description="茂金属催化剂设计与环烯烃共聚物中试放大", kind=ResourceKind.KEY_LAB)
    ResourceEvidence.objects.create(resource=catalyst, kind="patent", title="一种环烯烃共聚物的制备方法", reference="CN1000001A")
    chiplet = f.resource(world.other_org, name="Chiplet先进封装中试线", description="芯粒互连、先进封装与测试验证平台")
    battery = f.resource(world.other_org, name="固态电池测试中心", description="固态电解质与锂电池安全性能检测")
    hidden = f.resource(world.org, name="内部催化剂试验装置", description="环烯烃共聚物 催化剂 内部专用", public=False)
    demand = f.demand(world.other_org, title="寻求环烯烃共聚物催化剂技术", description="需要高透明环烯烃共聚物（COC）生产用催化剂及中试验证")
    return {"catalyst": catalyst, "chiplet": chiplet, "battery": battery, "hidden": hidden, "demand": demand}


def test_demand_finds_the_resource_that_answers_it_with_explanation(world, catalogue):
    matches = selectors.resources_for_demand(catalogue["demand"], world.stranger, limit=5)
    assert matches, "expected at least one match"
    top = matches[0]
    assert top.obj == catalogue["catalyst"]
    assert any("环烯烃" in t or "催化剂" in t for t in top.terms)
    assert top.signals["text"] > 0
    assert top.score >= matches[-1].score
    assert catalogue["battery"] not in [m.obj for m in matches[:1]]


def test_private_resource_only_for_its_owner(world, catalogue):
    stranger_results = [m.obj for m in selectors.resources_for_demand(catalogue["demand"], world.stranger, limit=10)]
    assert catalogue["hidden"] not in stranger_results
    owner_results = [m.obj for m in selectors.search("环烯烃共聚物 催化剂", world.owner, limit=10)]
    assert catalogue["hidden"] in owner_results


def test_index_follows_create_update_delete(world, catalogue):
    registry.engine("resources")  # loaded: later changes must reach it
    new = list_services.resource_create(
        user=world.owner,
        data={"owner": world.org, "kind": ResourceKind.EXPERT_TEAM, "name": "钙钛矿光伏专家团队", "description": "钙钛矿叠层电池效率提升"},
    )
    assert [m.obj for m in selectors.search("钙钛矿", world.owner)] == [new]
    list_services.resource_update(new, user=world.owner, data={"description": "氢燃料电池电堆设计"})
    assert new not in [m.obj for m in selectors.search("叠层", world.owner)]
    assert new in [m.obj for m in selectors.search("氢燃料电池", world.owner)]
    list_services.resource_delete(new, user=world.owner)
    assert new not in [m.obj for m in selectors.search("氢燃料电池", world.owner)]


def test_confidential_demand_details_never_leak(world):
    secret = f.demand(
        world.org,
        title="新材料合作需求",
        summary="寻求材料方向合作",
        description="绝密配方：氘代聚酰亚胺薄膜",
        confidentiality=Confidentiality.SUMMARY,
    )
    assert selectors.search("氘代聚酰亚胺", world.stranger, kinds=["demands"]) == []
    assert [m.obj for m in selectors.search("新材料", world.stranger, kinds=["demands"])] == [secret]
    resource = f.resource(world.other_org, name="聚酰亚胺薄膜中试线", description="氘代聚酰亚胺薄膜 聚酰亚胺 中试")
    for m in selectors.resources_for_demand(secret, world.stranger):
        assert all("氘代" not in t and "聚酰亚胺" not in t for t in m.terms)
    owner_view = selectors.resources_for_demand(secret, world.owner)
    assert owner_view and owner_view[0].obj == resource


def test_draft_demands_hidden_from_others(world):
    draft = f.demand(world.org, title="草稿：碳化硅功率器件封装", status=DemandStatus.DRAFT)
    assert selectors.search("碳化硅", world.stranger, kinds=["demands"]) == []
    assert [m.obj for m in selectors.search("碳化硅", world.owner, kinds=["demands"])] == [draft]


def test_index_saved_and_loaded(world, catalogue, settings):
    registry.rebuild("resources")
    assert (settings.CORRIDOR_INDEX_DIR / "resources" / "corridor.json").exists()
    registry.reset()
    assert [m.obj for m in selectors.search("Chiplet", world.owner)][:1] == [catalogue["chiplet"]]


def test_signals_are_bounded():
    assert selectors.trl_fit(5, 4, 6) == 1.0
    assert selectors.trl_fit(2, 4, 6) == pytest.approx(0.32)
    assert selectors.trl_fit(None, 4, 6) == 0.0
    assert selectors.industry_overlap({1, 2}, {2, 3}) == pytest.approx(1 / 3)
    assert selectors.industry_overlap(set(), {1}) == 0.0
