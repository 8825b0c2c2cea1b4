"""The JSON API of the alliance: permissions per role, stage actions, KPIs, consortia."""

import pytest

from corridor.brokers import services
from corridor.brokers.models import Case
from tests import factories as f
from tests.api.conftest import ApiClient, assert_error, token_for
from tests.brokers.conftest import manager_profile, open_case


@pytest.fixture
def api(brokers):
    clients = {
        "anonymous": ApiClient(),
        "stranger": ApiClient(token_for(brokers.stranger)),  # member of other_org: the demand's owner
        "owner": ApiClient(token_for(brokers.owner)),  # member of org: not a party
        "operator": ApiClient(token_for(brokers.operator)),
        "manager": ApiClient(token_for(brokers.manager)),
    }
    brokers.case = open_case(brokers)
    return clients


def test_case_visibility(brokers, api):
    pk = brokers.case.pk
    assert api["operator"].get(f"cases/{pk}").status_code == 200
    assert api["stranger"].get(f"cases/{pk}").status_code == 200  # their organisation's demand
    assert_error(api["owner"].get(f"cases/{pk}"), 404)
    assert_error(api["anonymous"].get(f"cases/{pk}"), 404)
    assert_error(api["manager"].get(f"cases/{pk}"), 404)  # not theirs yet
    assert api["owner"].get("cases").json()["count"] == 0
    assert api["stranger"].get("cases").json()["count"] == 1


def test_assign_advance_log(brokers, api):
    pk = brokers.case.pk
    assert_error(api["manager"].post(f"cases/{pk}/assign", {"lead": brokers.profile.pk}), 404)
    assert_error(api["stranger"].post(f"cases/{pk}/assign", {"lead": brokers.profile.pk}), 403)
    r = api["operator"].post(f"cases/{pk}/assign", {"lead": brokers.profile.pk})
    assert r.status_code == 200 and r.json()["lead_manager"]["id"] == brokers.profile.pk
    assert_error(api["manager"].post(f"cases/{pk}/advance", {"to": "negotiation"}), 409, "invalid_transition")
    assert_error(api["manager"].post(f"cases/{pk}/advance", {"to": "nowhere"}), 400)
    assert_error(api["stranger"].post(f"cases/{pk}/advance", {"to": "matching"}), 403)
    r = api["manager"].post(f"cases/{pk}/advance", {"to": "matching", "note": "已推荐三家"})
    assert r.status_code == 200 and r.json()["stage"] == "matching"
    assert [c["to_stage"] for c in r.json()["stage_changes"]] == ["discovery", "matching"]
    r = api["manager"].post(f"cases/{pk}/activities", {"kind": "meeting", "title": "线上对接会"})
    assert r.status_code == 201 and r.json()["by"] == str(brokers.manager)
    assert_error(api["stranger"].post(f"cases/{pk}/activities", {"kind": "meeting", "title": "x"}), 403)
    assert_error(api["manager"].post(f"cases/{pk}/activities", {"kind": "party", "title": "x"}), 400)
    assert_error(api["manager"].post(f"cases/{pk}/reopen", {"to": "discovery", "note": "x"}), 403)
    assert api["operator"].post(f"cases/{pk}/reopen", {"to": "discovery", "note": "重新挖掘"}).json()["stage"] == "discovery"
    r = api["manager"].post(f"cases/{pk}/close", {"reason": "withdrawn", "note": "企业撤回"})
    assert r.json()["stage"] == "lost" and r.json()["lost_reason"] == "withdrawn"
    assert api["manager"].get(f"cases/{pk}/history").json()["count"] >= 5


def test_open_case_and_links(brokers, api):
    r = api["manager"].post("cases", {"title": "新案件", "demand": brokers.demand.pk})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["lead_manager"]["id"] == brokers.profile.pk and body["stage"] == "discovery"
    assert_error(api["stranger"].post("cases", {"title": "x", "demand": brokers.demand.pk}), 403)
    assert_error(api["manager"].post("cases", {"title": "x"}), 400)
    assert_error(api["manager"].post("cases", {"title": "x", "demand": 10**6}), 400, field="demand")
    resource = f.resource(brokers.org)
    r = api["manager"].post(f"cases/{body['id']}/links", {"kind": "lists.resource", "object_id": resource.pk})
    assert r.status_code == 201 and r.json()["kind"] == "lists.resource"
    assert_error(api["manager"].post(f"cases/{body['id']}/links", {"kind": "lists.resource", "object_id": resource.pk}), 409)
    assert_error(api["manager"].post(f"cases/{body['id']}/links", {"kind": "orgs.user", "object_id": 1}), 400)
    assert api["manager"].get(f"cases/{body['id']}").json()["resources"] == [resource.pk]


def test_suggestions_and_kpis(brokers, api):
    manager_profile("near", city="苏州", industries=("3",))
    r = api["operator"].get(f"cases/{brokers.case.pk}/suggestions")
    assert r.status_code == 200 and r.json()[0]["reasons"]
    assert_error(api["stranger"].get(f"cases/{brokers.case.pk}/suggestions"), 404)
    services.case_assign(brokers.case, user=brokers.operator, lead=brokers.profile)
    services.case_advance(brokers.case, user=brokers.manager, to="matching")
    k = api["operator"].get("cases/kpis").json()
    assert k["cases"] == 1 and k["funnel"][1]["reached"] == 1
    assert api["owner"].get("cases/kpis").json()["cases"] == 0
    assert api["operator"].get("cases/kpis", {"rd_province": "浙江"}).json()["cases"] == 0


def test_managers_and_coverage(brokers, api):
    assert api["anonymous"].get("managers").json()["count"] == 1
    person = f.user("newbie")
    body = {"user": person.pk, "city": f.city("南京").pk, "languages": ["zh", "en"]}
    assert_error(api["manager"].post("managers", body), 403)
    r = api["operator"].post("managers", body)
    assert r.status_code == 201, r.content
    person.refresh_from_db()
    assert person.is_technology_manager
    assert_error(api["operator"].post("managers", {**body, "languages": ["xx"]}), 409)
    assert api["manager"].patch(f"managers/{brokers.profile.pk}", {"expertise": "催化剂中试"}).status_code == 200
    assert_error(api["manager"].patch(f"managers/{r.json()['id']}", {"expertise": "x"}), 403)
    assert_error(api["manager"].patch(f"managers/{brokers.profile.pk}", {"certification_level": "senior"}), 403)
    cov = api["anonymous"].get("managers/coverage").json()
    assert {"city": "上海", "industry": "3", "managers": [brokers.profile.pk]} in cov["cells"]
    assert len(cov["gaps"]) + len(cov["cells"]) == 8 * 9


def test_consortia(brokers, api):
    r = api["operator"].post(
        "consortia", {"name": "Chiplet集成技术创新联合体", "lead": brokers.org.pk, "lead_role": "alliance_leader", "launched_on": "2025-10-26"}
    )
    assert r.status_code == 201, r.content
    cid = r.json()["id"]
    assert_error(api["stranger"].post("consortia", {"name": "x", "lead": brokers.org.pk, "lead_role": "chain_leader"}), 403)
    r = api["owner"].post(f"consortia/{cid}/members", {"organization": brokers.other_org.pk, "joined_on": "2025-11-01"})
    assert r.status_code == 201
    assert_error(api["owner"].post(f"consortia/{cid}/members", {"organization": brokers.other_org.pk}), 409)
    assert_error(api["stranger"].post(f"consortia/{cid}/members/{brokers.other_org.pk}/leave", {}), 403)
    r = api["owner"].post(f"consortia/{cid}/members/{brokers.other_org.pk}/leave", {"left_on": "2026-01-01"})
    assert r.json()["left_on"] == "2026-01-01"
    r = api["owner"].post(
        f"consortia/{cid}/outputs",
        {"kind": "standard", "title": "原生Chiplet互联标准", "credited": [brokers.org.pk], "adopters": [brokers.other_org.pk]},
    )
    assert r.status_code == 201 and r.json()["adopter_count"] == 1
    detail = api["anonymous"].get(f"consortia/{cid}").json()
    assert [(e["event"], e["organization"]["id"]) for e in detail["membership_history"]] == [
        ("joined", brokers.org.pk), ("joined", brokers.other_org.pk), ("left", brokers.other_org.pk)
    ]
    assert Case.objects.count() == 1
