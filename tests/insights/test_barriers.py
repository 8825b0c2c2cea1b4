"""The hidden-barriers register: operator-only writes, filters, the comparison of two cities, cited barriers, the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from corridor.brokers.choices import CaseStage, LostReason
from corridor.brokers.models import Case
from corridor.core.history import history_for
from corridor.insights import selectors_sharing, services
from corridor.insights.choices import BarrierCategory, BarrierStatus
from corridor.insights.models import Barrier
from tests import factories as f
from tests.api.conftest import Clients, assert_error


def barrier(city: str, category: str, title: str, status: str = BarrierStatus.IN_FORCE) -> Barrier:
    return Barrier.objects.create(
        city=f.city(city), category=category, title=title, description="说明", source_name="某某办法", status=status,
        effective_date=dt.date(2023, 1, 1),
    )


@pytest.fixture
def register(world):
    world.sh_social = barrier("上海", BarrierCategory.SOCIAL_INSURANCE, "上海社保转入需连续缴费")
    world.sz_social = barrier("苏州", BarrierCategory.SOCIAL_INSURANCE, "苏州社保转移须原单位出具证明")
    world.sh_talent = barrier("上海", BarrierCategory.TALENT_RESIDENCE, "上海居住证积分落户")
    world.sz_subsidy_old = barrier("苏州", BarrierCategory.SUBSIDY, "苏州研发补贴限本地注册", status=BarrierStatus.REPEALED)
    world.demand = f.demand(world.other_org)
    return world


@pytest.fixture
def clients(register) -> Clients:
    return Clients(register)


def data(world, **extra):
    values = {
        "city": f.city("南京"),
        "category": BarrierCategory.QUALIFICATION,
        "title": "南京职称评审不认可外省继续教育学时",
        "description": "外省学时需重新认定。",
        "source_name": "南京市职称评审管理办法",
        "source_url": "",
        "effective_date": None,
        "status": BarrierStatus.UNDER_REVISION,
    }
    values.update(extra)
    return values


def test_only_operators_write_and_history_is_kept(register):
    with pytest.raises(PermissionDenied):
        services.barrier_create(user=register.owner, data=data(register))
    created = services.barrier_create(user=register.operator, data=data(register))
    services.barrier_update(created, user=register.operator, data={"status": BarrierStatus.IN_FORCE})
    assert [r.action for r in history_for(created)] == ["update", "create"]
    with pytest.raises(PermissionDenied):
        services.barrier_delete(created, user=register.stranger)
    services.barrier_delete(created, user=register.operator)
    assert not Barrier.objects.filter(pk=created.pk).exists()


def test_web_pages_and_permissions(register, client):
    r = client.get(reverse("insights:barrier_list"), {"city": "苏州"})
    html = r.content.decode()
    assert r.status_code == 200 and "苏州社保转移" in html and "上海社保转入" not in html
    r = client.get(reverse("insights:barrier_list"), {"category": BarrierCategory.TALENT_RESIDENCE})
    assert "上海居住证积分落户" in r.content.decode() and "苏州社保" not in r.content.decode()
    detail = client.get(register.sh_social.get_absolute_url()).content.decode()
    assert "某某办法" in detail and 'id="edit-button"' not in detail
    client.force_login(register.owner)
    assert client.get(reverse("insights:barrier_add")).status_code == 403
    assert client.get(reverse("insights:barrier_edit", args=[register.sh_social.pk])).status_code == 403
    client.force_login(register.operator)
    payload = {k: (v.pk if hasattr(v, "pk") else v or "") for k, v in data(register).items()}
    r = client.post(reverse("insights:barrier_add"), payload)
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Barrier.objects.filter(title__startswith="南京职称").exists()
    r = client.post(reverse("insights:barrier_add"), {**payload, "source_name": ""})
    assert r.status_code == 400


def test_compare_two_cities(register, client):
    rows = {r.category: r for r in selectors_sharing.compare_cities(f.city("上海"), f.city("苏州"))}
    assert rows[BarrierCategory.SOCIAL_INSURANCE].state == "both" and not rows[BarrierCategory.SOCIAL_INSURANCE].differs
    assert rows[BarrierCategory.TALENT_RESIDENCE].state == "left_only" and rows[BarrierCategory.TALENT_RESIDENCE].differs
    # A repealed rule is shown but does not count as a difference.
    assert rows[BarrierCategory.SUBSIDY].right == [register.sz_subsidy_old] and rows[BarrierCategory.SUBSIDY].state == "neither"
    r = client.get(reverse("insights:barrier_compare"), {"left": "上海", "right": "苏州"})
    html = r.content.decode()
    assert r.status_code == 200 and 'data-category="talent_residence" data-state="left_only"' in html
    assert html.count("table-warning") == 1
    assert client.get(reverse("insights:barrier_compare"), {"left": "上海", "right": "火星"}).status_code == 400


def lost_case(city: str, note: str, reason: str = LostReason.POLICY) -> Case:
    demand = f.demand(f.organization(city_name=city))
    return Case.objects.create(
        title=f"案例{note[:4]}", demand=demand, city=f.city(city), stage=CaseStage.LOST, lost_reason=reason, lost_note=note, lost_at_stage=CaseStage.DISCOVERY
    )


def test_cited_barriers(register, client):
    derived = lost_case("苏州", "研发人员社保无法转移接续，团队不愿迁入")
    lost_case("苏州", "价格谈不拢", reason=LostReason.TERMS)  # not a policy reason
    lost_case("南京", "社保转移困难")  # no barrier in 南京
    linked = Case.objects.create(title="人才落户受阻", demand=register.demand, city=f.city("上海"))
    register.sh_talent.cases.add(linked, derived)
    ranked = selectors_sharing.cited_barriers()
    assert [(c.barrier, c.count) for c in ranked] == [(register.sh_talent, 2), (register.sz_social, 1)]
    assert ranked[1].derived == {derived.pk} and ranked[0].linked == {linked.pk, derived.pk}
    html = client.get(reverse("insights:barrier_cited")).content.decode()
    assert html.index("上海居住证积分落户") < html.index("苏州社保转移")


def test_api(register, clients):
    api = clients["anonymous"]
    body = api.get("insights/barriers", {"city": "上海"}).json()
    assert body["count"] == 2 and {b["category"] for b in body["items"]} == {"social_insurance", "talent_residence"}
    one = api.get(f"insights/barriers/{register.sz_social.pk}").json()
    assert one["city"]["name"] == "苏州" and one["source_name"] == "某某办法" and one["effective_date"] == "2023-01-01"
    assert_error(api.get("insights/barriers/999999"), 404)
    cmp = api.get("insights/barriers/compare", {"left": "上海", "right": "320500"}).json()
    assert cmp["differences"] == 1 and cmp["right"]["name"] == "苏州"
    talent = next(c for c in cmp["categories"] if c["category"] == "talent_residence")
    assert talent["state"] == "left_only" and talent["left"][0]["id"] == register.sh_talent.pk
    assert_error(api.get("insights/barriers/compare", {"left": "上海", "right": "火星"}), 400, "unknown_city", "right")
    assert_error(api.get("insights/barriers", {"category": "weather"}), 400)
    lost_case("苏州", "社保断缴")
    cited = api.get("insights/barriers/cited").json()
    assert cited[0]["barrier"]["id"] == register.sz_social.pk and cited[0]["cases"] == 1


def test_compare_form_shows_the_resolved_cities(register, client):
    html = client.get(reverse("insights:barrier_compare"), {"left": "310000", "right": "苏州"}).content.decode()
    assert "is-invalid" not in html
    assert f'<option value="{f.city("上海").pk}" selected>' in html and f'<option value="{f.city("苏州").pk}" selected>' in html


def test_api_writes_are_for_operators(register, clients):
    body = {
        "city": f.city("南京").pk, "category": "qualification", "title": "南京外省职称复核", "description": "需复核。",
        "source_name": "江苏省职称评审管理办法", "effective_date": "2019-10-01", "status": "under_revision",
    }
    assert_error(clients["owner"].post("insights/barriers", body), 403)
    assert_error(clients["anonymous"].post("insights/barriers", body), 401)
    assert_error(clients["operator"].post("insights/barriers", {**body, "city": 999999}), 400, "unknown_id", "city")
    assert_error(clients["operator"].post("insights/barriers", {**body, "category": "weather"}), 400, "invalid", "category")
    r = clients["operator"].post("insights/barriers", body)
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["city"]["name"] == "南京" and r.json()["status"] == "under_revision"
    assert_error(clients["stranger"].patch(f"insights/barriers/{pk}", {"status": "repealed"}), 403)
    assert clients["operator"].patch(f"insights/barriers/{pk}", {"status": "repealed"}).json()["status"] == "repealed"
    assert [r.action for r in history_for(Barrier.objects.get(pk=pk))] == ["update", "create"]
    assert_error(clients["owner"].delete(f"insights/barriers/{pk}"), 403)
    assert clients["operator"].delete(f"insights/barriers/{pk}").status_code == 204
    assert not Barrier.objects.filter(pk=pk).exists()
