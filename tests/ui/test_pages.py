"""What the pages show: history, confidentiality, filters, languages, money, errors, forms."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from corridor.core.templatetags.corridor import yuan
from corridor.lists import services
from corridor.lists.choices import Confidentiality, DemandStatus, PartyRole
from corridor.lists.models import CooperationItem, Demand
from tests import factories as f
from tests.ui.helpers import client_for, cooperation_payload, demand_payload, formset


def text(response) -> str:
    return response.content.decode()


# History -----------------------------------------------------------------------------------------


def test_history_after_edit_shows_who_when_and_before_after(world):
    demand = f.demand(world.org, title="旧标题")
    client = client_for("owner", world)
    payload = demand_payload(world, title="新标题")
    assert client.post(reverse("lists:demand_edit", args=[demand.pk]), payload).status_code == 302
    page = text(client.get(demand.get_absolute_url()))
    history = page[page.index('id="history"') :]
    assert "owner" in history
    assert re.search(r"<del>旧标题</del>", history)
    assert re.search(r'history-after">新标题<', history)
    assert "标题" in history  # the field's translated label
    # Money is shown as yuan: the upper budget changed from 500,000 to 800,000.
    assert "<del>¥500,000.00</del>" in history and "¥800,000.00" in history


def test_history_of_demand_transition_and_owner_names(world):
    demand = f.demand(world.org)
    services.demand_transition(demand, user=world.owner, to=DemandStatus.NEGOTIATING)
    page = text(client_for("operator", world).get(demand.get_absolute_url()))
    assert "<del>已发布</del>" in page and "洽谈中" in page


def test_history_time_is_shown_in_shanghai_time(world, client):
    demand = f.demand(world.org)
    services.demand_transition(demand, user=world.owner, to=DemandStatus.CLOSED)
    from corridor.core.history import history_for

    record = history_for(demand).first()
    local = record.time.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    assert local in text(client.get(demand.get_absolute_url()))


# Confidential demands ----------------------------------------------------------------------------


@pytest.fixture
def secret(world):
    return f.demand(
        world.org,
        title="保密需求",
        summary="公开的一句话摘要",
        description="机密工艺参数：反应温度 230 度",
        confidentiality=Confidentiality.SUMMARY,
        budget_min=Decimal("1234567.00"),
        budget_max=Decimal("2345678.00"),
    )


@pytest.mark.parametrize("role", ["anonymous", "stranger"])
def test_confidential_demand_shows_only_summary_to_outsiders(world, secret, role):
    services.demand_update(secret, user=world.owner, data={"description": "机密工艺参数：反应温度 250 度"})
    page = text(client_for(role, world).get(secret.get_absolute_url()))
    assert "公开的一句话摘要" in page
    assert "机密工艺参数" not in page  # neither on the page nor in its history
    assert "1,234,567" not in page
    assert 'id="confidential-notice"' in page
    listing = text(client_for(role, world).get(reverse("lists:demand_list")))
    assert "保密需求" in listing and "1,234,567" not in listing


@pytest.mark.parametrize("role", ["owner", "operator"])
def test_confidential_demand_details_for_insiders(world, secret, role):
    page = text(client_for(role, world).get(secret.get_absolute_url()))
    assert "机密工艺参数" in page
    assert "¥1,234,567.00 – ¥2,345,678.00" in page
    assert 'id="confidential-notice"' not in page


def test_assigned_manager_sees_confidential_details(world, secret):
    secret.assigned_managers.add(world.manager)
    page = text(client_for("manager", world).get(secret.get_absolute_url()))
    assert "机密工艺参数" in page


def test_confidential_description_is_not_searchable_by_outsiders(world, secret):
    page = text(client_for("stranger", world).get(reverse("lists:demand_list"), {"q": "反应温度"}))
    assert "保密需求" not in page


# Filters and search ------------------------------------------------------------------------------


def test_filters_and_search(world):
    shanghai = f.demand(world.org, title="上海的催化剂需求")
    suzhou = f.demand(world.other_org, title="苏州的封装需求", status=DemandStatus.NEGOTIATING)
    client = client_for("anonymous", world)
    url = reverse("lists:demand_list")

    def titles(**params):
        page = text(client.get(url, params))
        return {d.title for d in (shanghai, suzhou) if d.title in page}

    assert titles() == {shanghai.title, suzhou.title}
    assert titles(city="苏州") == {suzhou.title}
    assert titles(city="310000") == {shanghai.title}  # GB/T 2260 code
    assert titles(status="negotiating") == {suzhou.title}
    assert titles(q="催化剂需求") == {shanghai.title}
    assert titles(q="环烯烃") == {shanghai.title, suzhou.title}  # public descriptions are searched
    assert titles(q="封装 苏州") == {suzhou.title}
    assert titles(city="nonsense") == set()


def test_industry_filter_includes_subtree(world):
    chemistry = f.industry("26")
    leaf = chemistry.children.first()
    tagged = f.resource(world.org, name="化工中试线")
    tagged.industries.add(leaf)
    f.resource(world.org, name="无行业资源")
    page = text(client_for("anonymous", world).get(reverse("lists:resource_list"), {"industry": f"#{chemistry.pk}"}))
    assert "化工中试线" in page and "无行业资源" not in page


def test_resource_and_cooperation_filters(world):
    f.resource(world.org, name="概念验证中心甲", kind="poc")
    f.resource(world.org, name="大型仪器乙", kind="instrument")
    page = text(client_for("anonymous", world).get(reverse("lists:resource_list"), {"kind": "poc"}))
    assert "概念验证中心甲" in page and "大型仪器乙" not in page

    split = f.cooperation([(world.org, PartyRole.RD), (world.other_org, PartyRole.PRODUCTION)], title="异地研发生产项目")
    split.rd_production_split = True
    split.save()
    f.cooperation([(world.org, PartyRole.LEAD), (world.other_org, PartyRole.FUNDING)], title="联合出资项目", type="transfer")
    url = reverse("lists:cooperation_list")
    page = text(client_for("anonymous", world).get(url, {"rd_production_split": "true"}))
    assert "异地研发生产项目" in page and "联合出资项目" not in page
    page = text(client_for("anonymous", world).get(url, {"type": "transfer"}))
    assert "联合出资项目" in page and "异地研发生产项目" not in page
    page = text(client_for("anonymous", world).get(reverse("orgs:organization_list"), {"city": "苏州"}))
    assert world.other_org.name in page and world.org.name not in page


def test_pagination_and_sorting(world, settings):
    settings.CORRIDOR = {**settings.CORRIDOR, "PAGE_SIZE": 2}
    for i in range(5):
        f.demand(world.org, title=f"分页需求{i}")
    client = client_for("anonymous", world)
    url = reverse("lists:demand_list")
    first = text(client.get(url, {"sort": "title"}))
    assert "分页需求0" in first and "分页需求2" not in first
    third = text(client.get(url, {"sort": "title", "page": 3}))
    assert "分页需求4" in third and "分页需求0" not in third
    reverse_sorted = text(client.get(url, {"sort": "-title"}))
    assert "分页需求4" in reverse_sorted and "分页需求0" not in reverse_sorted


def test_htmx_request_gets_only_the_table(world):
    f.demand(world.org, title="局部刷新需求")
    response = client_for("anonymous", world).get(reverse("lists:demand_list"), {"q": "局部"}, HTTP_HX_REQUEST="true")
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="object-table"') and "<html" not in body
    assert "局部刷新需求" in body


BAD_PARAMS = [
    {"page": "abc"},
    {"page": "0"},
    {"page": "-1"},
    {"page": "99999999999999999999"},
    {"city": "nonsense"},
    {"city": "999999"},
    {"city": "12345678901234567890"},
    {"industry": "#abc"},
    {"industry": "#99999999999999999999"},
    {"status": "bogus"},
    {"kind": "bogus"},
    {"type": "bogus"},
    {"owner": "abc"},
    {"owner": "99999999999999999999999"},
    {"trl": "1e400"},
    {"trl": "99999999999999999999999"},
    {"budget_min": "NaN"},
    {"budget_max": "1e400"},
    {"rd_production_split": "maybe"},
    {"organization": "x"},
    {"sort": "password"},
    {"sort": "--title"},
    {"q": "x" * 5000},
    {"q": "%_\\'\""},
    {"province": "\x00"},
]


@pytest.mark.parametrize("params", BAD_PARAMS, ids=lambda p: "-".join(f"{k}={v[:12]!r}" for k, v in p.items()))
@pytest.mark.parametrize(
    "url_name", ["orgs:organization_list", "lists:resource_list", "lists:demand_list", "lists:cooperation_list"]
)
def test_bad_query_parameters_never_500(world, client, url_name, params):
    f.demand(world.org)
    response = client.get(reverse(url_name), params)
    assert response.status_code in (200, 400)


# Home page ---------------------------------------------------------------------------------------


def test_home_counts_only_what_the_user_may_see(world):
    f.demand(world.org, title="公开需求")
    f.demand(world.org, title="草稿需求", status=DemandStatus.DRAFT)
    f.resource(world.org, public=False)
    f.resource(world.other_org)

    def counts(role):
        page = text(client_for(role, world).get(reverse("home")))
        return {k: int(v) for k, v in re.findall(r'data-count="(\w+)"><div class="card-body"><div class="stat-value">(\d+)<', page)}

    assert counts("anonymous") == {"resources": 1, "demands": 1, "cooperation": 0, "organizations": 2}
    assert counts("owner") == {"resources": 2, "demands": 2, "cooperation": 0, "organizations": 2}
    page = text(client_for("anonymous", world).get(reverse("home")))
    assert "公开需求" in page and "草稿需求" not in page
    cities = page[page.index('id="cities"') :]
    # Corridor cities come first: the core city 上海 is in the main table.
    assert "上海" in cities[: cities.index("</table>")]


# Forms -------------------------------------------------------------------------------------------


def test_invalid_form_shows_inline_errors_and_changes_nothing(world):
    payload = demand_payload(world, title="")
    payload["budget_min"] = "900000"
    payload["budget_max"] = "100"
    response = client_for("owner", world).post(reverse("lists:demand_add"), payload)
    assert response.status_code == 400
    page = text(response)
    assert "invalid-feedback" in page and "is-invalid" in page
    assert "预算上限不能低于预算下限" in page or "这个字段是必填项" in page or "此字段为必填项" in page
    assert not Demand.objects.exists()


def test_owner_choices_are_limited_to_own_organisations(world):
    page = text(client_for("owner", world).get(reverse("lists:demand_add")))
    assert world.org.name in page and world.other_org.name not in page
    response = client_for("owner", world).post(reverse("lists:demand_add"), demand_payload(world, owner=world.other_org))
    assert response.status_code == 400
    assert not Demand.objects.exists()
    page = text(client_for("operator", world).get(reverse("lists:demand_add")))
    assert world.org.name in page and world.other_org.name in page


def test_cooperation_service_rule_shows_on_the_form(world):
    same_city = f.organization("上海另一家制造企业", city_name="上海")
    payload = cooperation_payload(world)
    payload.update(
        formset("parties", [{"organization": world.org.pk, "role": "rd"}, {"organization": same_city.pk, "role": "production"}])
    )
    response = client_for("owner", world).post(reverse("lists:cooperation_add"), payload)
    assert response.status_code == 400
    assert "合作事项的参与方必须分布在至少两个不同城市" in text(response)
    assert not CooperationItem.objects.exists()


def test_cooperation_detail_shows_parties_and_split_flag(world):
    client = client_for("owner", world)
    response = client.post(reverse("lists:cooperation_add"), cooperation_payload(world))
    assert response.status_code == 302
    item = CooperationItem.objects.get()
    assert item.rd_production_split
    page = text(client.get(item.get_absolute_url()))
    assert 'id="split-flag"' in page
    assert world.other_org.name in page and "生产" in page
    assert "¥1,200,000.00" in page


def test_resource_evidence_is_saved_and_shown(world):
    from tests.ui.helpers import resource_payload

    client = client_for("owner", world)
    assert client.post(reverse("lists:resource_add"), resource_payload(world)).status_code == 302
    from corridor.lists.models import Resource

    resource = Resource.objects.get()
    assert [e.title for e in resource.evidence.all()] == ["一种环烯烃共聚物催化剂"]
    page = text(client.get(resource.get_absolute_url()))
    assert "一种环烯烃共聚物催化剂" in page and "CN123456A" in page


def test_demand_status_buttons_follow_the_workflow(world):
    demand = f.demand(world.org, status=DemandStatus.DRAFT)
    client = client_for("owner", world)
    page = text(client.get(demand.get_absolute_url()))
    buttons = set(re.findall(r'name="to" value="(\w+)"', page))
    assert buttons == {"published", "closed"}
    assert 'name="to"' not in text(client_for("stranger", world).get(f.demand(world.org).get_absolute_url()))
    response = client.post(reverse("lists:demand_transition", args=[demand.pk]), {"to": "solved"})
    assert response.status_code == 409
    assert "需求不能从" in text(response)
    demand.refresh_from_db()
    assert demand.status == DemandStatus.DRAFT
    response = client.post(reverse("lists:demand_transition", args=[demand.pk]), {"to": "nonsense"})
    assert response.status_code == 400
    assert client.post(reverse("lists:demand_transition", args=[demand.pk]), {"to": "published"}).status_code == 302
    demand.refresh_from_db()
    assert demand.status == DemandStatus.PUBLISHED


def test_deleting_a_referenced_organisation_is_a_conflict(world):
    f.resource(world.org)
    response = client_for("operator", world).post(reverse("orgs:organization_delete", args=[world.org.pk]))
    assert response.status_code == 409
    assert "无法删除" in text(response)
    assert type(world.org).objects.filter(pk=world.org.pk).exists()


# Money, languages, errors, login -----------------------------------------------------------------


def test_money_format():
    assert yuan(Decimal("1234567.5")) == "¥1,234,567.50"
    assert yuan(None) == ""
    assert yuan(0) == "¥0.00"


def test_chinese_is_the_default_and_english_is_switchable(world, client):
    page = text(client.get(reverse("home")))
    assert 'lang="zh-hans"' in page and "三张清单" in page
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("lists:demand_list")})
    assert response.status_code == 302 and response["Location"] == reverse("lists:demand_list")
    page = text(client.get(reverse("lists:demand_list")))
    assert 'lang="en"' in page and "The three lists" in page and "三张清单" not in page
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "三张清单" in text(client.get(reverse("home")))


def test_language_menu_posts_to_setlang(client, db):
    page = text(client.get(reverse("home")))
    assert 'action="/i18n/setlang/"' in page and 'name="language" value="en"' in page


def test_error_pages_are_translated(world, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "您访问的页面或条目不存在" in text(response)
    client.force_login(world.stranger)
    response = client.get(reverse("lists:demand_edit", args=[f.demand(world.org).pk]))
    assert response.status_code == 403 and "无权" in text(response)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "The page or entry you asked for does not exist" in text(client.get("/no-such-page/"))


def test_login_logout_and_header_roles(world, client):
    response = client.post(reverse("login"), {"username": "owner", "password": f.PASSWORD})
    assert response.status_code == 302
    page = text(client.get(reverse("home")))
    assert 'id="user-menu"' in page and "机构成员" in page and world.org.name in page
    assert client.post(reverse("logout")).status_code == 302
    assert 'id="user-menu"' not in text(client.get(reverse("home")))
    bad = client.post(reverse("login"), {"username": "owner", "password": "wrong"})
    assert bad.status_code == 200 and "alert-danger" in text(bad)


def test_static_assets_are_local(client, db):
    page = text(client.get(reverse("home")))
    assert "/static/bootstrap/css/bootstrap.min.css" in page
    assert "/static/django_htmx/htmx-2.min.js" in page
    assert "cdn" not in page.lower()


def test_menu_shows_add_links_only_to_permitted_users(world):
    anonymous = text(client_for("anonymous", world).get(reverse("home")))
    assert reverse("lists:demand_add") not in anonymous
    owner = text(client_for("owner", world).get(reverse("home")))
    assert reverse("lists:demand_add") in owner and reverse("orgs:organization_add") not in owner
    operator = text(client_for("operator", world).get(reverse("home")))
    assert reverse("orgs:organization_add") in operator


# Admin -------------------------------------------------------------------------------------------


def test_admin_pages_for_operators(world):
    world.operator.is_superuser = True
    world.operator.save()
    demand = f.demand(world.org)
    services.demand_transition(demand, user=world.owner, to=DemandStatus.CLOSED)
    client = client_for("operator", world)
    for url in [
        "/admin/",
        "/admin/orgs/user/",
        f"/admin/orgs/user/{world.owner.pk}/change/",
        "/admin/orgs/organization/",
        f"/admin/orgs/organization/{world.org.pk}/change/",
        "/admin/lists/resource/add/",
        "/admin/lists/demand/",
        "/admin/lists/cooperationitem/add/",
        "/admin/core/changerecord/",
    ]:
        assert client.get(url).status_code == 200, url
    from corridor.core.models import ChangeRecord

    record = ChangeRecord.objects.first()
    assert client.get(f"/admin/core/changerecord/{record.pk}/change/").status_code == 200
    assert client.get("/admin/core/changerecord/add/").status_code == 403
    assert client.post(f"/admin/core/changerecord/{record.pk}/delete/", {"post": "yes"}).status_code == 403


def test_admin_edit_writes_the_change_log(world):
    world.operator.is_superuser = True
    world.operator.save()
    from corridor.core.history import history_for

    client = client_for("operator", world)
    demand = f.demand(world.org, title="后台修改前")
    page = client.get(f"/admin/lists/demand/{demand.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("industries", "assigned_managers")}
    data.update(title="后台修改后", owner=world.org.pk, city=demand.city_id)
    response = client.post(f"/admin/lists/demand/{demand.pk}/change/", data)
    assert response.status_code == 302, response.content[:2000]
    record = history_for(demand).first()
    assert record.source == "admin" and record.changes["title"] == ["后台修改前", "后台修改后"]
