"""One error shape for everything: 400 (with the fields named), 401, 403, 404, 405, 409; translated; never a 500."""

from __future__ import annotations

import pytest

from corridor.lists.choices import DemandStatus, PartyRole
from corridor.lists.models import CooperationItem, Demand, Resource
from corridor.orgs.models import Organization
from tests import factories as f
from tests.api.conftest import ApiClient, assert_error, token_for

HUGE = 10**30


def _resource_body(world, **kw):
    return {"kind": "pilot", "name": "平台", "owner": world.org.pk, "description": "d", **kw}


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"kind": "spaceship"}, "kind"),  # bad enum value
        ({"trl_min": "high"}, "trl_min"),  # wrong type
        ({"trl_min": HUGE}, "trl_min"),  # huge number
        ({"trl_min": 10}, "trl_min"),
        ({"owner": HUGE}, "owner"),
        ({"owner": 987654}, "owner"),  # unknown id in a foreign key
        ({"owner": "abc"}, "owner"),
        ({"city": 987654}, "city"),
        ({"industries": [987654]}, "industries"),
        ({"industries": "26"}, "industries"),
        ({"name": None}, "name"),
        ({"name": ""}, "name"),  # model validation (blank)
        ({"name": "x" * 300}, "name"),
        ({"public": "perhaps"}, "public"),
        ({"contact_email": "not-an-email"}, "contact_email"),
        ({"unknown_field": 1}, "unknown_field"),
        ({"evidence": [{"kind": "patent"}]}, "evidence.0.title"),
        ({"evidence": [{"kind": "rumour", "title": "t"}]}, "evidence.0.kind"),
        ({"trl_min": 7, "trl_max": 3}, "trl_max"),  # model clean()
    ],
)
def test_bad_resource_input_is_400_naming_the_field(world, clients, override, field):
    response = clients["owner"].post("resources", _resource_body(world, **override))
    assert_error(response, 400, field=field)
    assert not Resource.objects.exists()


def test_missing_fields_are_named(world, clients):
    body = assert_error(clients["owner"].post("resources", {}), 400, "invalid")
    assert {"kind", "name", "owner", "description"} <= set(body["fields"])


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"budget_min": 1e30}, "budget_min"),
        ({"budget_min": "1.234"}, "budget_min"),
        ({"budget_min": -5}, "budget_min"),
        ({"budget_min": "NaN"}, "budget_min"),
        ({"budget_min": 100, "budget_max": 5}, "budget_max"),
        ({"deadline": "next week"}, "deadline"),
        ({"deadline": "2026-02-30"}, "deadline"),
        ({"confidentiality": "secret"}, "confidentiality"),
        ({"status": "famous"}, "status"),
        ({"trl_desired": 0}, "trl_desired"),
    ],
)
def test_bad_demand_input_is_400(world, clients, override, field):
    body = {"owner": world.org.pk, "title": "t", "description": "d", **override}
    assert_error(clients["owner"].post("demands", body), 400, field=field)
    assert not Demand.objects.exists()


@pytest.mark.parametrize(
    ("raw", "code"),
    [("{not json", "malformed_json"), ('{"a": ', "malformed_json"), (b"\xff\xfe", "malformed_json"), ("[1, 2]", "invalid_body"), ('"text"', "invalid_body")],
)
def test_malformed_bodies_are_400(world, clients, raw, code):
    assert_error(clients["owner"].post("demands", raw=raw), 400, code)


def test_empty_body_is_400(world, clients):
    assert_error(clients["owner"].post("demands", raw=""), 400)


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "spaceship"},
        {"owner": "abc"},
        {"owner": str(HUGE)},
        {"trl": "x"},
        {"limit": 501},
        {"limit": 0},
        {"offset": -1},
        {"offset": str(HUGE)},
        {"industry": "x" * 300},
    ],
)
def test_bad_list_parameters_are_400(world, clients, query):
    body = assert_error(clients["anonymous"].get("resources", query), 400)
    assert set(query) & set(body["fields"]), body


@pytest.mark.parametrize("path", ["resources/abc", f"resources/{HUGE}", "demands/-1", "cities/0"])
def test_bad_ids_in_paths_are_400(world, clients, path):
    assert_error(clients["anonymous"].get(path), 400, field="id")


def test_odd_but_valid_filters_do_not_fail(world, clients):
    f.demand(world.org)
    for query in ({"owner": "9223372036854775807"}, {"budget_min": "99999999999999"}, {"trl": "1e5"}, {"q": "%_\\'\""}):
        response = clients["anonymous"].get("demands" if "budget_min" in query else "resources", query)
        assert response.status_code == 200, (query, response.content)


def test_cooperation_parties_unknown_or_same_city(world, clients):
    base = {"title": "合作", "type": "joint_rd"}
    unknown = [{"organization": world.org.pk, "role": "rd"}, {"organization": 987654, "role": "production"}]
    assert_error(clients["owner"].post("cooperations", {**base, "parties": unknown}), 400, "unknown_id", field="parties")
    bad_role = [{"organization": world.org.pk, "role": "rd"}, {"organization": world.other_org.pk, "role": "boss"}]
    assert_error(clients["owner"].post("cooperations", {**base, "parties": bad_role}), 400, field="parties.1.role")
    same_city = [{"organization": world.org.pk, "role": "rd"}, {"organization": f.organization(city_name="上海").pk, "role": "production"}]
    body = assert_error(clients["owner"].post("cooperations", {**base, "parties": same_city}), 400, field="parties")
    assert "城市" in body["fields"]["parties"][0]
    assert_error(clients["owner"].post("cooperations", base), 400, field="parties")
    assert not CooperationItem.objects.exists()


def test_cooperation_may_not_link_resources_one_cannot_see(world, clients):
    private = f.resource(world.other_org, public=False)
    body = {
        "title": "合作",
        "type": "joint_rd",
        "resources": [private.pk],
        "parties": [{"organization": world.org.pk, "role": "rd"}, {"organization": world.other_org.pk, "role": "production"}],
    }
    assert_error(clients["owner"].post("cooperations", body), 400, "unknown_id", field="resources")


def test_organisation_in_china_needs_a_city(world, clients):
    body = {"name": "无城市机构", "type": "enterprise"}
    assert_error(clients["operator"].post("organizations", body), 400, field="city")
    assert_error(clients["operator"].post("organizations", {**body, "credit_code": "123"}), 400, field="credit_code")
    assert_error(clients["operator"].post("organizations", {**body, "name": world.org.name, "city": 1}), 400, field="name")


def test_401_403_404_405(world, clients):
    demand = f.demand(world.org)
    assert_error(clients["anonymous"].patch(f"demands/{demand.pk}", {"title": "x"}), 401, "not_authenticated")
    body = assert_error(clients["stranger"].patch(f"demands/{demand.pk}", {"title": "x"}), 403, "permission_denied")
    assert "需求" in body["detail"]
    assert_error(clients["owner"].get("demands/987654"), 404, "not_found")
    assert_error(clients["owner"].get("no/such/endpoint"), 404, "no_endpoint")
    response = clients["owner"].put(f"demands/{demand.pk}", {"title": "x"})
    assert_error(response, 405, "method_not_allowed")
    assert "PATCH" in response["Allow"]


def test_stranger_posting_for_another_org_is_403(world, clients):
    body = assert_error(clients["stranger"].post("demands", {"owner": world.org.pk, "title": "t", "description": "d"}), 403)
    assert world.org.name in body["detail"]


def test_409_invalid_transition(world, clients):
    demand = f.demand(world.org, status=DemandStatus.PUBLISHED)
    body = assert_error(clients["owner"].post(f"demands/{demand.pk}/transition", {"to": "solved"}), 409, "invalid_transition")
    assert "已解决" in body["detail"] or "solved" in body["detail"].lower()
    assert_error(clients["owner"].patch(f"demands/{demand.pk}", {"status": "draft"}), 409, "invalid_transition")
    assert_error(clients["owner"].post(f"demands/{demand.pk}/transition", {"to": "nowhere"}), 400, field="to")
    demand.refresh_from_db()
    assert demand.status == DemandStatus.PUBLISHED


def test_409_when_others_still_refer_to_it(world, clients):
    f.resource(world.org)
    assert_error(clients["operator"].delete(f"organizations/{world.org.pk}"), 409, "integrity_error")
    assert Organization.objects.filter(pk=world.org.pk).exists()


def test_patch_of_status_together_with_other_fields_is_all_or_nothing(world, clients):
    demand = f.demand(world.org, status=DemandStatus.PUBLISHED, title="原标题")
    assert_error(clients["owner"].patch(f"demands/{demand.pk}", {"title": "新标题", "status": "solved"}), 409)
    demand.refresh_from_db()
    assert (demand.title, demand.status) == ("原标题", DemandStatus.PUBLISHED)


def test_messages_are_chinese_by_default_and_english_on_request(world):
    raw = token_for(world.owner)
    zh = assert_error(ApiClient(raw).post("resources", {"name": None}), 400)
    en = assert_error(ApiClient(raw, language="en").post("resources", {"name": None}), 400)
    assert zh["detail"] == "部分字段无效。" and en["detail"] == "Some fields are not valid."
    assert zh["fields"]["kind"] == ["此字段为必填项。"] and en["fields"]["kind"] == ["This field is required."]
    assert en["code"] == zh["code"] == "invalid"
    anon_zh = assert_error(ApiClient().post("resources", {}), 401)
    anon_en = assert_error(ApiClient(language="en").post("resources", {}), 401)
    assert "登录" in anon_zh["detail"] and "Sign in" in anon_en["detail"]
    # Messages from the services and from Django's model validation are translated too.
    demand = f.demand(world.org)
    stranger = token_for(world.stranger)
    assert "You may not change this demand" in assert_error(
        ApiClient(stranger, language="en").patch(f"demands/{demand.pk}", {"title": "x"}), 403
    )["detail"]
    en_null = assert_error(ApiClient(raw, language="en").patch(f"demands/{demand.pk}", {"title": None}), 400)
    zh_null = assert_error(ApiClient(raw).patch(f"demands/{demand.pk}", {"title": None}), 400)
    assert en_null["fields"]["title"] != zh_null["fields"]["title"]


def test_bad_party_role_message(world, clients):
    parties = [{"organization": world.org.pk, "role": PartyRole.RD}, {"organization": world.other_org.pk, "role": "x"}]
    body = assert_error(clients["owner"].post("cooperations", {"title": "t", "type": "joint_rd", "parties": parties}), 400)
    assert "rd" in body["fields"]["parties.1.role"][0]
