"""Benefit-sharing agreements: versioning, permissions, history, the calculator pages, exports and the API."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from corridor.core.history import history_for
from corridor.insights import services
from corridor.insights.models import Agreement
from tests import factories as f
from tests.api.conftest import Clients, assert_error


@pytest.fixture
def deal(world):
    """A cooperation item: ``world.org`` (上海) does the R&D, a 无锡 factory produces; ``world.other_org`` is unrelated."""
    world.factory = f.organization("无锡测试制造有限公司", city_name="无锡")
    world.factory_member = f.user("factory", org=world.factory)
    world.item = f.cooperation([(world.org, "rd"), (world.factory, "production")], title="催化剂中试与量产")
    return world


@pytest.fixture
def clients(deal) -> Clients:
    return Clients(deal)


def inputs(world, rule="shapley", **extra):
    data = {
        "rule": rule,
        "licence_income": "1000000",
        "parties": [
            {"organization": world.org.pk, "ratio": "60", "rd_spend": "900"},
            {"organization": world.factory.pk, "ratio": "40", "market_access": "100"},
        ],
        "tax": {
            "base_year": 2025,
            "annual_new_tax": "1000000",
            "years": 3,
            "rd_share_pct": "40",
            "growth_pct": "10",
            "cap": "450000",
            "rd_city": f.city("上海").pk,
            "production_city": f.city("无锡").pk,
        },
    }
    data.update(extra)
    return data


def test_save_creates_versions_and_history(deal):
    first = services.agreement_save(user=deal.owner, cooperation=deal.item, inputs=inputs(deal))
    second = services.agreement_save(user=deal.factory_member, cooperation=deal.item, inputs=inputs(deal, rule="proportional"), title="修订")
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert first.rule == "shapley" and first.result["parties"][0]["share_pct"] == 50.0  # the earlier version is untouched
    assert second.result["parties"][0]["share_pct"] == 90.0  # 900 of 1000 weighted yuan
    assert second.title == "修订" and deal.item.title in first.title
    assert [r["rd_city"] for r in first.result["tax"]["rows"]] == ["400000.00", "440000.00", "450000"]
    record = history_for(second).get()
    assert record.action == "create" and record.user == deal.factory_member and record.changes["version"] == 2
    assert not first.is_latest() and second.is_latest()


def test_only_party_members_and_operators_may_save(deal):
    with pytest.raises(PermissionDenied):
        services.agreement_save(user=deal.stranger, cooperation=deal.item, inputs=inputs(deal))
    with pytest.raises(PermissionDenied):
        services.agreement_save(user=deal.manager, cooperation=deal.item, inputs=inputs(deal))
    services.agreement_save(user=deal.operator, cooperation=deal.item, inputs=inputs(deal))
    assert Agreement.objects.count() == 1


def test_a_failed_save_changes_nothing(deal):
    bad = inputs(deal, rule="fixed")
    bad["parties"][1]["ratio"] = "30"
    with pytest.raises(ValidationError) as exc:
        services.agreement_save(user=deal.owner, cooperation=deal.item, inputs=bad)
    assert "parties" in exc.value.message_dict
    assert Agreement.objects.count() == 0


def test_unknown_and_duplicate_parties(deal):
    data = inputs(deal)
    data["parties"][1]["organization"] = 987654
    with pytest.raises(ValidationError) as exc:
        services.agreement_calculate(data)
    assert "parties.1.organization" in exc.value.message_dict
    data["parties"][1]["organization"] = deal.org.pk
    with pytest.raises(ValidationError) as exc:
        services.agreement_calculate(data)
    assert exc.value.error_dict["parties.1.organization"][0].code == "duplicate_party"


# Web pages --------------------------------------------------------------------------------------------


def form_data(world, **extra):
    data = {
        "rule": "shapley",
        "licence_income": "1000000",
        "tax_enabled": "on",
        "rd_city": f.city("上海").pk,
        "production_city": f.city("无锡").pk,
        "base_year": "2025",
        "years": "3",
        "annual_new_tax": "1000000",
        "growth_pct": "10",
        "rd_share_pct": "40",
        "cap": "450000",
        "p0_rd_spend": "900",
        "p1_market_access": "100",
        "p0_ratio": "",
        "p1_ratio": "",
    }
    data.update(extra)
    return data


def test_calculator_page_and_htmx_working(deal, client):
    url = reverse("insights:agreement_calculator", args=[deal.item.pk])
    client.force_login(deal.owner)
    page = client.get(url)
    assert page.status_code == 200
    assert "测试制造" in page.content.decode() and 'id="save-agreement"' in page.content.decode()
    r = client.post(url, form_data(deal), headers={"HX-Request": "true"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "<html" not in html  # only the working
    assert 'id="coalitions-table"' in html and 'id="marginals-table"' in html and 'id="tax-table"' in html
    assert "50.00" in html and "¥500,000.00" in html and "¥450,000.00" in html
    assert Agreement.objects.count() == 0  # computing saves nothing
    r = client.post(url, form_data(deal, rule="fixed", p0_ratio="70", p1_ratio="20"), headers={"HX-Request": "true"})
    assert r.status_code == 400 and "90" in r.content.decode()


def test_calculator_save_redirects_to_the_version(deal, client):
    url = reverse("insights:agreement_calculator", args=[deal.item.pk])
    client.force_login(deal.owner)
    r = client.post(url, form_data(deal, save="1", title="第一版"))
    agreement = Agreement.objects.get()
    assert r.status_code == 302 and r["Location"] == agreement.get_absolute_url()
    detail = client.get(agreement.get_absolute_url()).content.decode()
    assert "第一版" in detail and 'id="version-badge"' in detail and 'id="new-version"' in detail
    client.post(url, form_data(deal, save="1", rule="proportional"))
    old = client.get(agreement.get_absolute_url()).content.decode()
    assert 'id="read-only-badge"' in old
    # The calculator starts from the latest version's inputs.
    assert 'value="proportional" selected' in client.get(url).content.decode()


def test_calculator_permissions(deal, client):
    url = reverse("insights:agreement_calculator", args=[deal.item.pk])
    client.force_login(deal.stranger)
    page = client.get(url).content.decode()
    assert 'id="save-agreement"' not in page  # may view and compute (the item is public) …
    assert client.post(url, form_data(deal, save="1")).status_code == 403  # … but not save
    deal.item.public = False
    deal.item.save()
    assert client.get(url).status_code == 404
    deal.item.public = True
    deal.item.save()
    client.logout()
    r = client.post(url, form_data(deal, save="1"))
    assert r.status_code == 302 and "/login/" in r["Location"]
    assert Agreement.objects.count() == 0


def test_exports(deal, client):
    from openpyxl import load_workbook

    agreement = services.agreement_save(user=deal.owner, cooperation=deal.item, inputs=inputs(deal))
    client.force_login(deal.stranger)  # view rights are enough
    r = client.get(reverse("insights:agreement_export", args=[agreement.pk, "xlsx"]))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(r.content)).active
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    flat = [v for row in values for v in row if v is not None]
    assert deal.org.name in flat and 500000.0 in flat and 450000.0 in flat
    r = client.get(reverse("insights:agreement_export", args=[agreement.pk, "pdf"]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF") and b"STSong-Light" in r.content
    assert client.get(reverse("insights:agreement_export", args=[agreement.pk, "doc"])).status_code == 404


# API --------------------------------------------------------------------------------------------------


def test_api_compute(deal, clients):
    r = clients["anonymous"].post("insights/sharing/compute", inputs(deal))
    assert r.status_code == 401  # writes (even computing) need an account
    r = clients["stranger"].post("insights/sharing/compute", inputs(deal))
    assert r.status_code == 200, r.content
    body = r.json()
    assert [p["share_pct"] for p in body["parties"]] == [50.0, 50.0]
    assert [p["licence_income"] for p in body["parties"]] == ["500000.00", "500000.00"]
    assert body["working"]["grand_value"] == pytest.approx(600.0)
    assert [row["rd_city"] for row in body["tax"]["rows"]] == ["400000.00", "440000.00", "450000"]
    assert Agreement.objects.count() == 0


def test_api_compute_errors(deal, clients):
    api = clients["owner"]
    bad = inputs(deal, rule="fixed")
    bad["parties"][1]["ratio"] = "30"
    assert_error(api.post("insights/sharing/compute", bad), 400, "ratios_not_100", "parties")
    neg = inputs(deal)
    neg["parties"][0]["rd_spend"] = "-5"
    body = assert_error(api.post("insights/sharing/compute", neg), 400, "negative", "parties.0.rd_spend")
    assert deal.org.name in body["detail"]
    unknown = inputs(deal)
    unknown["parties"][1]["organization"] = 99999999
    assert_error(api.post("insights/sharing/compute", unknown), 400, "unknown_party", "parties.1.organization")
    orgs = [f.organization(city_name="苏州") for _i in range(13)]
    many = inputs(deal, parties=[{"organization": o.pk, "rd_spend": "1", "market_access": "1"} for o in orgs])
    body = assert_error(api.post("insights/sharing/compute", many), 400, "too_many_parties", "parties")
    assert "12" in body["detail"]
    assert api.post("insights/sharing/compute", {**many, "rule": "proportional"}).status_code == 200
    assert_error(api.post("insights/sharing/compute", inputs(deal, rule="majority")), 400, "invalid", "rule")
    assert_error(api.post("insights/sharing/compute", inputs(deal, tax={**inputs(deal)["tax"], "years": 0})), 400, "invalid", "tax.years")


def test_api_agreements(deal, clients):
    payload = {**inputs(deal), "cooperation": deal.item.pk, "title": "API 版本"}
    assert_error(clients["stranger"].post("insights/agreements", payload), 403)
    assert_error(clients["owner"].post("insights/agreements", {**payload, "cooperation": 99999}), 400, "unknown_id", "cooperation")
    r = clients["owner"].post("insights/agreements", payload)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["version"] == 1 and body["cooperation"]["id"] == deal.item.pk and body["versions"] == [1]
    assert body["result"]["parties"][0]["share_pct"] == 50.0 and Decimal(body["inputs"]["parties"][0]["rd_spend"]) == 900
    r2 = clients["operator"].post("insights/agreements", {**payload, "rule": "proportional"})
    assert r2.json()["version"] == 2 and r2.json()["versions"] == [1, 2]
    listing = clients["stranger"].get("insights/agreements", {"cooperation": deal.item.pk})
    assert listing.json()["count"] == 2
    assert clients["stranger"].get("insights/agreements", {"latest": "true"}).json()["count"] == 1
    assert clients["anonymous"].get(f"insights/agreements/{body['id']}").status_code == 200  # public item
    deal.item.public = False
    deal.item.save()
    assert_error(clients["stranger"].get(f"insights/agreements/{body['id']}"), 404)
    assert clients["factory_member"].get(f"insights/agreements/{body['id']}").status_code == 200
    assert clients["owner"].get(f"insights/agreements/{body['id']}").json()["parties"][1]["licence_income"] == "500000.00"
    assert Agreement.objects.get(pk=body["id"]).licence_income == Decimal("1000000")


def test_agreement_list_links_to_the_calculators_a_member_may_save(deal, client):
    services.agreement_save(user=deal.owner, cooperation=deal.item, inputs=inputs(deal))
    url = reverse("insights:agreement_list")
    anonymous = client.get(url).content.decode()
    assert deal.item.title in anonymous and 'id="calculator-items"' not in anonymous  # public item: listed, no calculator links
    client.force_login(deal.owner)
    html = client.get(url).content.decode()
    assert reverse("insights:agreement_calculator", args=[deal.item.pk]) in html
    client.force_login(deal.stranger)
    assert reverse("insights:agreement_calculator", args=[deal.item.pk]) not in client.get(url).content.decode()


def test_api_tax_share_from_the_parties(deal, clients):
    data = inputs(deal)
    data["tax"] = {**data["tax"], "share_rule": "shares", "rd_share_pct": "0"}
    body = clients["owner"].post("insights/sharing/compute", data).json()
    # 上海 (the R&D city) hosts the party with 50%: 1,000,000 · 50% = 500,000, capped at 450,000.
    assert body["tax"]["rd_share_pct"] == "50.0" and body["tax"]["rows"][0]["rd_city"] == "450000"
    data["tax"]["rd_city"] = None
    assert_error(clients["owner"].post("insights/sharing/compute", data), 400, "invalid", "tax.rd_city")


def test_htmx_requests_never_save(deal, client):
    """htmx repeats the last clicked submit button (Save) in the requests a change triggers afterwards."""
    client.force_login(deal.owner)
    url = reverse("insights:agreement_calculator", args=[deal.item.pk])
    r = client.post(url, form_data(deal, save="1"), headers={"HX-Request": "true"})
    assert r.status_code == 200 and 'id="shares-table"' in r.content.decode()
    assert Agreement.objects.count() == 0


def test_cooperation_item_page_links_to_its_calculator(deal, client):
    client.force_login(deal.owner)
    html = client.get(deal.item.get_absolute_url()).content.decode()
    assert 'id="sharing-link"' in html
    assert reverse("insights:agreement_calculator", args=[deal.item.pk]) in html
