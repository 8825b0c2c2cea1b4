"""Regional analytics on a small made-up region: dashboard, supply–demand balance and gaps,
homogeneous competition, cooperation flows; the pages, their data downloads and the API agree;
permissions (anonymous → login / 401; private and confidential rows)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from corridor.insights import analytics
from corridor.lists.choices import Confidentiality, DemandStatus, PartyRole, ResourceStatus
from corridor.market.models import TechnologyContract
from tests import factories as f


@pytest.fixture
def region(world):
    """上海 (world.org) and 苏州 (world.other_org):

    resources  上海: 2614 (division 26)      苏州: 3911 (39), 2710 (27, unavailable)
    demands    上海: 3911, a draft 2614      苏州: 2614, 2710 (confidential)
    one cooperation item 上海 R&D → 苏州 production (¥900,000), one contract 上海 → 苏州 (¥100,000, 26).
    """
    sh, sz = world.org, world.other_org
    ind = {code: f.industry(code) for code in ("2614", "2710", "3911")}
    r1 = f.resource(sh, name="上海有机化学中试平台")
    r1.industries.set([ind["2614"]])
    r2 = f.resource(sz, name="苏州计算机整机实验室")
    r2.industries.set([ind["3911"]])
    r3 = f.resource(sz, name="苏州原料药平台", status=ResourceStatus.UNAVAILABLE)
    r3.industries.set([ind["2710"]])
    d1 = f.demand(sh, title="上海整机需求")
    d1.industries.set([ind["3911"]])
    d2 = f.demand(sh, title="上海草稿需求", status=DemandStatus.DRAFT)
    d2.industries.set([ind["2614"]])
    d3 = f.demand(sz, title="苏州有机原料需求")
    d3.industries.set([ind["2614"]])
    d4 = f.demand(sz, title="机密原料药工艺需求", summary="原料药相关", confidentiality=Confidentiality.SUMMARY)
    d4.industries.set([ind["2710"]])
    f.cooperation([(sh, PartyRole.RD), (sz, PartyRole.PRODUCTION)], contract_value=Decimal("900000.00"))
    TechnologyContract.objects.create(
        registration_number="2025-0001", title="有机原料技术转让", contract_type="transfer", seller=sh, buyer=sz,
        amount=Decimal("100000.00"), signed_on=dt.date(2025, 3, 1), industry=f.industry("26"),
    )
    return {"confidential_title": d4.title, "draft_title": d2.title}


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


# Figures -----------------------------------------------------------------------------------------


def test_dashboard_counts(world, region):
    d = analytics.dashboard(world.operator, with_utilisation=False)
    s = d["summary"]
    assert (s["resources"], s["demands"], s["demands_open"], s["demands_met"]) == (3, 4, 3, 0)
    assert (s["cooperation_items"], s["transactions"], s["transaction_amount"]) == (1, 1, Decimal("100000.00"))
    by_city = {r["city"]: r for r in d["by_city"]}
    assert (by_city["上海"]["resources"], by_city["上海"]["demands"], by_city["上海"]["cooperation_items"]) == (1, 2, 1)
    assert (by_city["苏州"]["resources"], by_city["苏州"]["demands"], by_city["苏州"]["cooperation_items"]) == (2, 2, 1)
    by_industry = {r["code"]: r for r in d["by_industry"]}
    assert (by_industry["26"]["resources"], by_industry["26"]["demands"]) == (1, 2)
    assert sum(r["demands"] for r in d["trend"]) == 4
    assert {r["status"]: r["count"] for r in d["demand_status"]}[DemandStatus.PUBLISHED] == 3


def test_stranger_sees_no_draft(world, region):
    s = analytics.dashboard(world.stranger, with_utilisation=False)["summary"]
    assert s["demands"] == 3  # 上海's draft is not visible to a 苏州 member


def test_supply_demand_balance_and_gaps(world, region):
    balance, gaps = analytics.supply_demand_balance(world.operator)
    rows = {(r["scheme"], r["code"]): r for r in balance}
    # 39: 上海's demand, 苏州's available resource → answerable
    assert {k: rows[("gbt4754", "39")][k] for k in ("open_demands", "answerable", "resources", "gap")} == {
        "open_demands": 1, "answerable": 1, "resources": 1, "gap": False}
    # 26: 苏州's open demand (the draft does not count), 上海's resource
    assert (rows[("gbt4754", "26")]["open_demands"], rows[("gbt4754", "26")]["answerable"]) == (1, 1)
    # 27: the confidential demand; the only resource is unavailable → a gap
    assert {k: rows[("gbt4754", "27")][k] for k in ("open_demands", "answerable", "unanswered", "resources", "gap")} == {
        "open_demands": 1, "answerable": 0, "unanswered": 1, "resources": 0, "gap": True}
    assert [(g["scheme"], g["code"], g["division"], g["open_demands"]) for g in gaps] == [("gbt4754", "2710", "27", 1)]


def test_competition_indices_on_the_small_region(world, region):
    c = analytics.competition(world.operator)
    # Profiles (weights org 1, resource 2, demand 2, contract 1 per side; drafts do not count):
    # 上海 {26: 2 + 1, 39: 2}; 苏州 {26: 2 + 1, 39: 2, 27: 2 + 2}
    assert c["heatmap"]["cities"] == ["上海", "苏州"]
    assert c["heatmap"]["z"][0][1] == pytest.approx(13 / math.sqrt(13 * 29), abs=1e-4)
    assert c["heatmap"]["z"][0][0] == pytest.approx(1.0)
    pair = c["pairs"][0]
    assert (pair["city_a"], pair["city_b"]) == ("上海", "苏州")
    assert pair["krugman"] == pytest.approx(8 / 9, abs=1e-4)
    assert pair["industries"].startswith("26 ")
    lq = {(r["city"], r["industry_code"]): r["lq"] for r in c["location_quotients"]}
    # region 26: 6, 39: 4, 27: 4, E = 14
    assert lq[("上海", "26")] == pytest.approx((3 / 5) / (6 / 14), abs=1e-4)
    assert lq[("苏州", "27")] == pytest.approx((4 / 9) / (4 / 14), abs=1e-4)
    complements = {(r["supply_city"], r["demand_city"], r["industry_code"]) for r in c["complements"]}
    assert complements == {("苏州", "上海", "39"), ("上海", "苏州", "26")}


def test_flows(world, region):
    fl = analytics.flows(world.operator)
    assert [(e["from_city"], e["to_city"], e["count"], e["value"]) for e in fl["cooperation_edges"]] == [
        ("上海", "苏州", 1, Decimal("900000.00"))]
    assert [(e["from_city"], e["to_city"], e["count"], e["amount"]) for e in fl["transaction_edges"]] == [
        ("上海", "苏州", 1, Decimal("100000.00"))]
    s = fl["summary"]
    assert (s["rd_to_production_items"], s["shanghai_rd_jiangsu_production"], s["shanghai_jiangsu_share"]) == (1, 1, 1.0)
    assert fl["radiation"] == []  # both cities are core corridor cities


def test_flows_radiation_beyond_the_core(world, region):
    nantong = f.organization("南通测试制造有限公司", city_name="南通")
    german = f.organization("Testwerk GmbH", city_name="上海", country="DE")
    f.cooperation([(world.org, PartyRole.RD), (nantong, PartyRole.PRODUCTION)], contract_value=Decimal("300000.00"))
    TechnologyContract.objects.create(
        registration_number="2025-0002", title="许可", contract_type="licence", seller=german, buyer=nantong,
        amount=Decimal("50000.00"), signed_on=dt.date(2025, 4, 1),
    )
    fl = analytics.flows(world.operator)
    radiation = {r["place"]: r for r in fl["radiation"]}
    assert (radiation["南通"]["cooperation_items"], radiation["南通"]["transactions"], radiation["南通"]["amount"]) == (1, 1, Decimal("50000.00"))
    assert radiation["DE"]["reach"] == "international"
    # A foreign seller has no place on the map: no transaction edge for it.
    assert {(e["from_city"], e["to_city"]) for e in fl["transaction_edges"]} == {("上海", "苏州")}
    assert fl["summary"]["shanghai_jiangsu_share"] == 1.0  # 上海 → 南通 is Shanghai → Jiangsu too


# Pages, downloads and the API agree ------------------------------------------------------------


def _page_data(response) -> dict:
    match = re.search(r'<script id="insights-data" type="application/json">(.*?)</script>', response.content.decode())
    assert match, "the page embeds its figures"
    return json.loads(match.group(1))


@pytest.mark.parametrize("page,url", [("competition", "/insights/competition/"), ("flows", "/insights/flows/")])
def test_charts_draw_what_the_api_returns(world, region, page, url):
    client = _client(world.operator)
    response = client.get(url)
    assert response.status_code == 200
    drawn = _page_data(response)
    assert drawn["page"] == page
    api = client.get(f"/api/v1/insights/{page}")
    assert api.status_code == 200
    assert drawn["figures"] == api.json()


def test_dashboard_draws_what_the_api_returns(world, region):
    client = _client(world.operator)
    response = client.get("/insights/")
    assert response.status_code == 200
    drawn = _page_data(response)["figures"]
    api = client.get("/api/v1/insights/dashboard").json()
    # The page fetches the utilisation table on its own (data/?table=utilisation).
    util = client.get(_page_data(response)["utilisation_url"]).json()
    assert util["rows"] == api["utilisation"]
    api["utilisation"], api["summary"]["utilisation"] = [], None
    assert drawn == api
    # …which is what the API answers when asked to leave utilisation out.
    assert client.get("/api/v1/insights/dashboard", {"utilisation": "false"}).json() == drawn


@pytest.mark.parametrize("page,prefix,table", [
    ("dashboard", "/insights/", "balance"),
    ("competition", "/insights/competition/", "location_quotients"),
    ("flows", "/insights/flows/", "cooperation_edges"),
])
def test_tables_download_as_csv_and_xlsx(world, region, page, prefix, table):
    client = _client(world.operator)
    api = client.get(f"/api/v1/insights/{page}").json()[table]
    response = client.get(f"{prefix}data/", {"table": table, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == len(api) > 0
    for got, want in zip(rows, api, strict=True):
        assert {k: str(v) for k, v in got.items()} == {k: str(want[k]) for k in got}
    xlsx = client.get(f"{prefix}data/", {"table": table, "format": "xlsx"})
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.values)
    assert list(values[0]) == list(rows[0].keys())
    assert len(values) == len(api) + 1


def test_heatmap_download_is_the_matrix(world, region):
    client = _client(world.operator)
    heat = client.get("/api/v1/insights/competition").json()["heatmap"]
    rows = client.get("/insights/competition/data/", {"table": "heatmap", "format": "json"}).json()["rows"]
    assert len(rows) == len(heat["cities"]) ** 2
    assert rows[1] == {"city_a": heat["cities"][0], "city_b": heat["cities"][1], "cosine": heat["z"][0][1]}


def test_bad_table_or_format_is_a_400(world, region):
    client = _client(world.operator)
    response = client.get("/insights/data/", {"table": "nope"})
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
    assert "table" in response.json()["fields"]
    assert client.get("/insights/flows/data/", {"table": "radiation", "format": "pdf"}).status_code == 400


# Permissions -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/insights/", "/insights/competition/", "/insights/flows/", "/insights/data/?table=gaps"])
def test_anonymous_is_sent_to_login(db, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("page", ["dashboard", "competition", "flows"])
def test_api_anonymous_is_401(db, page):
    response = Client().get(f"/api/v1/insights/{page}")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_confidential_and_draft_titles_never_shown(world, region):
    client = _client(world.stranger)
    for url in ("/insights/", "/api/v1/insights/dashboard", "/insights/competition/", "/insights/flows/", "/insights/data/?table=gaps&format=csv"):
        body = client.get(url).content.decode("utf-8-sig")
        assert region["confidential_title"] not in body
        assert region["draft_title"] not in body
    # …yet the confidential demand counts in the figures.
    assert client.get("/api/v1/insights/dashboard").json()["summary"]["demands"] == 3


def test_private_rows_count_only_for_who_may_see_them(world, region):
    hidden = f.resource(world.org, name="上海内部平台", public=False)
    hidden.industries.set([f.industry("3911")])
    assert analytics.dashboard(world.operator, with_utilisation=False)["summary"]["resources"] == 4
    assert analytics.dashboard(world.owner, with_utilisation=False)["summary"]["resources"] == 4
    assert analytics.dashboard(world.stranger, with_utilisation=False)["summary"]["resources"] == 3


def test_openapi_lists_the_endpoints(db):
    schema = Client().get("/api/v1/openapi.json").json()
    for page in ("dashboard", "competition", "flows"):
        assert f"/api/v1/insights/{page}" in schema["paths"]


def test_query_count_does_not_grow_with_rows(world, region, django_assert_max_num_queries):
    for i in range(5):
        extra = f.demand(world.other_org, title=f"追加需求{i}")
        extra.industries.set([f.industry("3911")])
    with django_assert_max_num_queries(25):
        analytics.dashboard(world.operator, with_utilisation=False)
    with django_assert_max_num_queries(10):
        analytics.competition(world.operator)
    with django_assert_max_num_queries(5):
        analytics.flows(world.operator)


# Utilisation (the labs' selector, cached) ------------------------------------------------------


def test_utilisation_by_city_is_the_labs_figure_and_follows_changes(world, region):
    from corridor.labs.choices import BookingStatus
    from corridor.labs.models import Instrument
    from corridor.labs.periods import utilisation_window
    from corridor.labs.selectors import utilisation
    from tests.labs.conftest import local, make_instrument, monday, past_booking

    inst = make_instrument(world.owner, world.org)
    last_week = monday(-1)  # last week's Monday: in the past, inside the 90 days
    start, end = local(last_week, 9), local(last_week, 12)
    booking = past_booking(inst, world.stranger, world.other_org, start, end, status=BookingStatus.COMPLETED,
                           actual_start=start, actual_end=end)
    first = analytics.utilisation_by_city(world.operator)
    day_to = timezone.localdate()
    window = utilisation_window(day_to - dt.timedelta(days=analytics.UTILISATION_DAYS - 1), day_to)
    total, rows = utilisation(start=window[0], end=window[1], group_by="city", instruments=Instrument.objects.all())
    assert first["utilisation"] == float(total.utilisation) > 0
    assert [(r["city"], r["used_hours"], r["bookings"]) for r in first["rows"]] == [("上海", 3.0, 1)]
    assert first["rows"][0]["utilisation"] == float(rows[0].utilisation)
    # A change to the bookings is seen at once (the cache key follows them).
    booking.actual_end = local(last_week, 10)
    booking.save()
    assert analytics.utilisation_by_city(world.operator)["rows"][0]["used_hours"] == 1.0
    # The page's utilisation table is that figure.
    table = _client(world.operator).get("/insights/data/", {"table": "utilisation", "format": "json"}).json()
    assert table["rows"][0]["used_hours"] == 1.0


def test_pages_in_english(world, region):
    client = _client(world.operator)
    client.cookies["django_language"] = "en"
    body = client.get("/insights/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Regional dashboard" in body and "Supply–demand balance per industry" in body
    flows = client.get("/insights/flows/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "R&amp;D in Shanghai, production in Jiangsu" in flows
    assert "Shanghai" in json.dumps(_page_data(client.get("/insights/flows/", HTTP_ACCEPT_LANGUAGE="en")), ensure_ascii=False)
