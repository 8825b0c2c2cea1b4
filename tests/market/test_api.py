"""The market's JSON API: lifecycle over HTTP, 409 after the deadline, blind review, stats, matcher, exports,
and the permission-checked attachment download."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from corridor.api.models import ApiToken
from corridor.market import services
from corridor.market.models import TechnologyContract
from tests import factories as f
from tests.market.conftest import (
    AFTER_DEADLINE,
    DEADLINE,
    T0,
    clock,
    ooxml_bytes,
    open_call,
    pdf_bytes,
    submit_bid,
)


class Api:
    def __init__(self, user=None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"} if user else {}

    def get(self, path, **params):
        return self.client.get("/api/v1/" + path, params, headers=self.headers)

    def post(self, path, body=None):
        return self.client.post("/api/v1/" + path, json.dumps(body or {}), content_type="application/json", headers=self.headers)


BID = {
    "approach": "负载型茂金属催化体系", "budget": "1000000.00", "team_name": "无锡攻关队",
    "team_members": [{"name": "钱工", "role": "负责人"}],
    "milestones": [{"title": "小试", "due_date": "2025-06-30", "amount": "400000.00"}],
}


def test_call_cycle_over_http(world):
    issuer, op = Api(world.owner), Api(world.operator)
    with clock(T0):
        r = issuer.post("calls", {"issuer": world.org.pk, "title": "COC 攻关", "problem": "p", "indicators": "i",
                                  "reward": "1000000.00", "deadline": DEADLINE.isoformat()})
        assert r.status_code == 201, r.content
        call_id = r.json()["id"]
        assert len(r.json()["criteria"]) == 4
        assert Api(world.stranger).get(f"calls/{call_id}").status_code == 404  # drafts are private
        assert issuer.post(f"calls/{call_id}/submit").status_code == 200
        assert issuer.post(f"calls/{call_id}/publish").status_code == 403
        r = op.post(f"calls/{call_id}/publish")
        assert r.status_code == 200 and r.json()["status"] == "open" and r.json()["accepting_bids"]
        r = Api(world.stranger).post(f"calls/{call_id}/bids", {**BID, "bidder": world.other_org.pk})
        assert r.status_code == 201, r.content
        bid_id = r.json()["id"]
    with clock(DEADLINE):
        r = Api(world.stranger).post(f"calls/{call_id}/bids", {**BID, "bidder": world.other_org.pk})
        assert r.status_code == 409 and r.json()["code"] == "deadline_passed"
        r = Api(world.stranger).post(f"bids/{bid_id}/withdraw")
        assert r.status_code == 409
        assert issuer.post(f"calls/{call_id}/close").json()["status"] == "review"
    r = issuer.post(f"calls/{call_id}/award", {"awards": [{"bid": bid_id, "reason": "唯一满足指标"}]})
    assert r.status_code == 200 and r.json()["status"] == "awarded"
    assert Api(world.stranger).get(f"bids/{bid_id}").json()["status"] == "awarded"
    assert issuer.post(f"calls/{call_id}/cancel", {"reason": ""}).status_code == 400


def test_anonymous_cannot_write(world):
    assert Api().post("calls", {"issuer": world.org.pk}).status_code == 401


def test_blind_review_over_api(world):
    call = open_call(world, blind_review=True)
    bid = submit_bid(world, call)
    services.panel_assign(call, user=world.operator, reviewer=world.reviewer)
    body = Api(world.reviewer).get(f"bids/{bid.pk}").json()
    assert body["identity_hidden"] is True and body["bidder_name"] is None and body["bidder_id"] is None
    assert world.other_org.name not in json.dumps(body, ensure_ascii=False)
    listed = Api(world.reviewer).get("bids", call=call.pk).json()
    assert listed["count"] == 1 and listed["items"][0]["bidder_name"] is None
    ranking = Api(world.reviewer).get(f"calls/{call.pk}/ranking").json()
    assert ranking[0]["identity_hidden"] and world.other_org.name not in json.dumps(ranking, ensure_ascii=False)
    assert Api(world.owner).get(f"bids/{bid.pk}").json()["bidder_name"] == world.other_org.name
    assert Api(world.stranger).get(f"calls/{call.pk}/ranking").status_code == 403


@pytest.mark.parametrize("path", ["panel", "ranking"])
def test_panel_and_ranking_need_an_account_then_a_seat(world, path):
    """Anonymous callers get 401 like on every authenticated-only operation; signed-in outsiders 403."""
    call = open_call(world)
    services.panel_assign(call, user=world.operator, reviewer=world.reviewer)
    r = Api().get(f"calls/{call.pk}/{path}")
    assert r.status_code == 401 and r.json()["code"] == "not_authenticated"
    r = Api(world.stranger).get(f"calls/{call.pk}/{path}")
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    assert Api(world.reviewer).get(f"calls/{call.pk}/{path}").status_code == 200


def test_award_checks_who_asks_before_the_bids(world):
    """An outsider naming a bid they cannot see is refused for who they are (403), not told the id is unknown."""
    call = open_call(world)
    bid = submit_bid(world, call)
    with clock(DEADLINE):
        Api(world.owner).post(f"calls/{call.pk}/close")
    outsider = f.user("award_outsider", org=f.organization("常州API测试公司", city_name="常州"))
    r = Api(outsider).post(f"calls/{call.pk}/award", {"awards": [{"bid": bid.pk, "reason": "想要"}]})
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    r = Api(world.manager).post(f"calls/{call.pk}/award", {"awards": [{"bid": 987654, "reason": "想要"}]})
    assert r.status_code == 403
    r = Api(world.owner).post(f"calls/{call.pk}/award", {"awards": [{"bid": 987654, "reason": "唯一满足指标"}]})
    assert r.status_code == 400 and r.json()["code"] == "unknown_id"  # the issuer learns the id is wrong


def test_bid_visibility_over_api(world):
    call = open_call(world)
    wuxi = f.organization("无锡API测试公司", city_name="无锡")
    wuxi_user = f.user("wuxi_api", org=wuxi)
    mine = submit_bid(world, call)
    theirs = submit_bid(world, call, org=wuxi, user=wuxi_user)
    assert [b["id"] for b in Api(world.stranger).get("bids").json()["items"]] == [mine.pk]
    assert Api(world.stranger).get(f"bids/{theirs.pk}").status_code == 404
    assert Api().get(f"bids/{mine.pk}").status_code == 404


def test_review_conflict_over_api(world):
    call = open_call(world)
    expert = f.user("expert", org=world.other_org, is_reviewer=True)
    bid = submit_bid(world, call)
    services.panel_assign(call, user=world.operator, reviewer=expert)
    with clock(AFTER_DEADLINE):
        services.call_close_bidding(call, user=world.owner)
    scores = {str(c.pk): 5 for c in call.criteria.all()}
    r = Api(expert).post(f"bids/{bid.pk}/reviews", {"scores": scores})
    assert r.status_code == 409 and r.json()["code"] == "conflict_of_interest"


def test_attachment_upload_and_download(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call = open_call(world, blind_review=True)
    bid = submit_bid(world, call)
    services.panel_assign(call, user=world.operator, reviewer=world.reviewer)
    api = Api(world.stranger)
    with clock(T0):
        bad = api.client.post(f"/api/v1/bids/{bid.pk}/attachments", {"file": SimpleUploadedFile("x.pdf", b"<html>")}, headers=api.headers)
        assert bad.status_code == 400 and "file" in bad.json()["fields"]
        r = api.client.post(f"/api/v1/bids/{bid.pk}/attachments",
                            {"file": SimpleUploadedFile("苏州方案.pdf", pdf_bytes())}, headers=api.headers)
        assert r.status_code == 201, r.content
        xlsx = api.client.post(f"/api/v1/bids/{bid.pk}/attachments",
                               {"file": SimpleUploadedFile("budget.xlsx", ooxml_bytes("xl/workbook.xml"))}, headers=api.headers)
        assert xlsx.json()["kind"] == "xlsx"
    url = r.json()["download_url"]
    own = Client()
    own.force_login(world.stranger)
    resp = own.get(url)
    assert resp.status_code == 200 and resp["Content-Disposition"].startswith("attachment")
    assert b"".join(resp.streaming_content) == pdf_bytes()
    for viewer, status in ((world.owner, 200), (world.operator, 200), (world.reviewer, 200), (world.manager, 404)):
        c = Client()
        c.force_login(viewer)
        got = c.get(url)
        assert got.status_code == status
        if viewer == world.reviewer:
            assert "苏州" not in got["Content-Disposition"]  # blind review: neutral name
    assert Client().get(url).status_code == 404
    assert not str(tmp_path).startswith(str(settings.STATIC_ROOT))


@pytest.fixture
def ledger(world):
    yz = f.organization("扬州API公司", city_name="扬州")
    TechnologyContract.objects.create(registration_number="A-1", title="=HYPERLINK(1)", contract_type="transfer",
                                      seller=world.org, buyer=yz, amount=Decimal("1234567.89"), signed_on=dt.date(2025, 1, 5))
    TechnologyContract.objects.create(registration_number="A-2", title="许可", contract_type="licence",
                                      seller=world.other_org, buyer=world.org, amount=Decimal("100.11"), signed_on=dt.date(2025, 2, 5))


def test_stats_endpoint(world, ledger):
    body = Api().get("transactions/stats").json()
    assert Decimal(body["total_amount"]) == Decimal("1234668.00")
    assert [m["month"] for m in body["by_month"]] == ["2025-01", "2025-02"]
    assert Decimal(body["radiation"]["amount"]) == Decimal("1234567.89")
    assert body["radiation"]["places"][0]["place"] == "扬州"
    filtered = Api().get("transactions/stats", contract_type="licence").json()
    assert Decimal(filtered["total_amount"]) == Decimal("100.11")


def test_csv_and_xlsx_export(world, ledger):
    resp = Api().get("transactions/export", format="csv")
    assert resp.status_code == 200 and resp["Content-Disposition"].startswith("attachment")
    raw = resp.content
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(table) == 3 and table[1][0] == "A-1" and table[1][1] == "'=HYPERLINK(1)" and table[1][7] == "1234567.89"
    resp = Api().get("transactions/export", format="xlsx")
    ws = load_workbook(io.BytesIO(resp.content)).active
    assert ws.max_row == 3 and float(ws["H2"].value) == pytest.approx(1234567.89)
    assert Api().get("transactions/export", format="pdf").status_code == 400


def test_policy_match_endpoint(world):
    services.policy_create(user=world.operator, data={
        "title": "苏州政策", "issuer": "苏州市科技局", "level": "city", "type": "subsidy", "city": f.city("苏州"), "benefits": "补助",
    }, conditions=[services.ConditionInput("city", ["320500"]), services.ConditionInput("rd_ratio_min", 3)])
    body = Api(world.stranger).get("policies/match", organization=world.other_org.pk).json()
    assert body[0]["outcome"] == "possible" and body[0]["unknown"] == 1 and body[0]["met"] == 1
    assert Api().get("policies/match", organization=999999).status_code == 400
    assert Api().get("policies/match").status_code == 400
