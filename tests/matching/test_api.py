import pytest

from corridor.lists.choices import Confidentiality
from tests import factories as f


@pytest.fixture
def data(world):
    r = f.resource(world.org, name="环烯烃共聚物催化剂中试平台", description="COC 催化剂 中试放大")
    d = f.demand(world.other_org, title="环烯烃共聚物催化剂需求", description="COC 催化剂")
    secret = f.demand(world.org, title="保密需求", summary="材料合作", description="机密 铌酸锂 晶圆", confidentiality=Confidentiality.SUMMARY)
    return r, d, secret


def test_demand_matches_shape(client, data):
    r, d, _ = data
    body = client.get(f"/api/v1/demands/{d.pk}/matches?limit=5").json()
    assert body["count"] == len(body["items"]) >= 1
    item = body["items"][0]
    assert item["id"] == r.pk and item["kind"] == "resources"
    assert {"score", "text_score", "signals", "matched_terms", "explanation", "url", "owner", "city"} <= set(item)
    assert item["matched_terms"][0]["term"]


def test_resource_matches_and_search(client, data):
    r, d, _ = data
    body = client.get(f"/api/v1/resources/{r.pk}/matches").json()
    assert d.pk in [i["id"] for i in body["items"]]
    body = client.get("/api/v1/search", {"q": "环烯烃共聚物"}).json()
    assert {(i["kind"], i["id"]) for i in body["items"]} >= {("resources", r.pk), ("demands", d.pk)}


def test_search_does_not_leak_confidential_details(client, data):
    assert client.get("/api/v1/search", {"q": "铌酸锂"}).json()["items"] == []


@pytest.mark.parametrize("query", ["", "q=", "q=x&limit=0", "q=x&limit=abc", "q=x&kind=orgs"])
def test_bad_search_input_is_400(client, db, query):
    response = client.get(f"/api/v1/search?{query}")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_missing_and_hidden_objects_are_404(client, world):
    draft = f.demand(world.org, status="draft")
    assert client.get("/api/v1/demands/999999/matches").status_code == 404
    assert client.get(f"/api/v1/demands/{draft.pk}/matches").status_code == 404


def test_feedback_only_by_owner(client, world, data):
    r, d, _ = data
    payload = {"source_kind": "demand", "source_id": d.pk, "target_kind": "resources", "target_id": r.pk, "status": "contacted"}
    assert client.post("/api/v1/matches/feedback", payload, content_type="application/json").status_code == 401
    client.force_login(world.owner)  # member of the other organisation, not the demand's owner
    assert client.post("/api/v1/matches/feedback", payload, content_type="application/json").status_code == 403
    client.force_login(world.stranger)  # the demand belongs to other_org, where stranger is a member
    response = client.post("/api/v1/matches/feedback", payload, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "contacted"
