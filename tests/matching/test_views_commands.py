import io

import pytest
from django.core.management import CommandError, call_command

from corridor.lists.choices import Confidentiality
from corridor.matching.models import MatchFeedback
from corridor.matching.views import highlight
from tests import factories as f


@pytest.fixture
def pair(world):
    r = f.resource(world.org, name="环烯烃共聚物催化剂中试平台", description="提供COC催化剂中试放大与工艺验证")
    d = f.demand(world.other_org, title="环烯烃共聚物催化剂需求", description="需要COC催化剂中试")
    return r, d


def test_highlight_escapes_and_marks():
    html = str(highlight("<b>催化剂</b> 与 环烯烃", ["催化剂"]))
    assert "&lt;b&gt;" in html and "<mark>催化剂</mark>" in html and "<b>" not in html


def test_demand_matches_panel(client, world, pair):
    r, d = pair
    page = client.get(f"/matching/demands/{d.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert r.name in body and "<mark>" in body
    assert "hx-post" not in body  # anonymous may not mark
    client.force_login(world.stranger)  # member of the demand's organisation
    assert "hx-post" in client.get(f"/matching/demands/{d.pk}/").content.decode()


def test_feedback_from_the_panel(client, world, pair):
    r, d = pair
    data = {"source_kind": "demand", "source_id": d.pk, "target_kind": "resources", "target_id": r.pk, "status": "accepted"}
    client.force_login(world.owner)
    assert client.post("/matching/feedback/", data).status_code == 403
    client.force_login(world.stranger)
    assert client.post("/matching/feedback/", data).status_code == 200
    assert MatchFeedback.objects.get(source_id=d.pk).status == "accepted"
    assert client.post("/matching/feedback/", {**data, "target_id": "x"}).status_code == 400


def test_resource_matches_panel_and_search_page(client, world, pair):
    r, d = pair
    assert d.title in client.get(f"/matching/resources/{r.pk}/").content.decode()
    page = client.get("/matching/search/", {"q": "环烯烃共聚物"}).content.decode()
    assert r.name in page and d.title in page
    assert client.get("/matching/search/", {"q": "x" * 2000}).status_code == 200
    assert client.get("/matching/demands/999999/").status_code == 404


def test_hidden_demand_panel_is_404(client, world):
    secret = f.demand(world.org, status="draft", confidentiality=Confidentiality.SUMMARY)
    client.force_login(world.stranger)
    assert client.get(f"/matching/demands/{secret.pk}/").status_code == 404


def test_match_and_rebuild_commands(world, pair, settings):
    r, d = pair
    out = io.StringIO()
    call_command("matching", "rebuild", "--no-progress", stdout=out)
    assert "resources: 1" in out.getvalue()
    assert (settings.CORRIDOR_INDEX_DIR / "resources" / "corridor.json").exists()
    out = io.StringIO()
    call_command("match", "--demand", str(d.pk), stdout=out)
    assert r.name in out.getvalue()
    with pytest.raises(CommandError):
        call_command("match", "--demand", "999999")


def test_detail_pages_load_the_matches_panel(client, world, pair):
    r, d = pair
    assert f'hx-get="/matching/demands/{d.pk}/"' in client.get(d.get_absolute_url()).content.decode()
    assert f'hx-get="/matching/resources/{r.pk}/"' in client.get(r.get_absolute_url()).content.decode()
