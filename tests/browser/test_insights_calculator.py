"""End to end in headless Chromium: a party member opens the benefit-sharing calculator of a demo cooperation item,
changes contributions, watches the working update (htmx, no reload), saves, and sees the saved version."""

from __future__ import annotations

import os
from typing import Any

import pytest

from corridor.insights.demo import load_insights_demo
from corridor.insights.models import Agreement
from corridor.orgs.models import Membership
from tests import factories as f

pytestmark = [pytest.mark.browser]

SCREENSHOTS = os.environ.get("CORRIDOR_SCREENSHOTS", "")


@pytest.fixture
def deal(transactional_db, world):
    """A demo cooperation item (R&D in 上海, production in 苏州) with the demo's saved v1 agreement; ``owner`` acts for the R&D party."""
    rd = f.organization("演示先进材料研究院", city_name="上海", is_demo=True)
    plant = f.organization("演示新材料制造有限公司", city_name="苏州", is_demo=True)
    Membership.objects.create(user=world.owner, organization=rd)
    world.item = f.cooperation([(rd, "rd"), (plant, "production")], title="环烯烃共聚物催化剂中试与量产", contract_value=2_000_000)
    world.item.rd_production_split = True
    world.item.save()
    assert load_insights_demo()["agreements"] == 1  # world.operator is the demo's "operator"
    return world


def log_in(chromium: Any, live_server: Any, username: str) -> Any:
    page = chromium.new_context(viewport={"width": 1440, "height": 1000}).new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f.PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    assert "/login/" not in page.url, page.content()[:500]
    return page


def test_calculator_computes_and_saves_a_version(deal, live_server, chromium):
    page = log_in(chromium, live_server, deal.owner.username)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) and not r.url.startswith("data:") else None)
    page.goto(f"{live_server.url}/insights/cooperation/{deal.item.pk}/sharing/")
    # The calculator starts from the demo's saved version 1.
    assert page.locator("#saved-versions a").first.inner_text().strip() == "v1"
    assert page.locator("#coalitions-table tbody tr").count() == 4
    page.evaluate("window.__sameDocument = true")

    # Only technology on one side, only market access on the other: Shapley gives 50% / 50%.
    for i in range(2):
        for kind in ("rd_spend", "ip_value", "staff_months", "facilities", "market_access", "risk"):
            page.fill(f"input[name=p{i}_{kind}]", "0")
    page.fill("input[name=p0_rd_spend]", "900000")
    page.fill("input[name=p1_market_access]", "100000")
    page.fill("input[name=licence_income]", "1000000")
    # Wait for the answer to the last change (earlier answers may still arrive first).
    page.locator("#shares-table td", has_text="¥500,000.00").first.wait_for()
    page.locator("#coalitions-table td", has_text="600,000.00").wait_for()
    shares = [s.strip() for s in page.locator("#shares-table .share-pct").all_inner_texts()]
    assert shares == ["50.00", "50.00"]
    assert "¥500,000.00" in page.locator("#shares-table").inner_text()
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, "insights-calculator.png"), full_page=True)

    # Switching to the proportional rule recomputes: 90% / 10%.
    page.select_option("select[name=rule]", "proportional")
    page.locator("#shares-table .share-pct", has_text="90.00").wait_for()
    assert page.evaluate("window.__sameDocument") is True  # recomputed in place, no reload
    assert Agreement.objects.filter(cooperation=deal.item).count() == 1  # computing saved nothing

    # Agreed ratios that do not add up to 100%: the working shows the precise error instead.
    page.select_option("select[name=rule]", "fixed")
    page.fill("input[name=p0_ratio]", "70")
    page.fill("input[name=p1_ratio]", "20")
    page.locator("#calculator-errors", has_text="90").wait_for()
    assert page.locator("#shares-table").count() == 0

    # Back to Shapley, a title, save: the new version's page.
    page.select_option("select[name=rule]", "shapley")
    page.locator("#shares-table .share-pct", has_text="50.00").first.wait_for()
    page.fill("input[name=title]", "催化剂项目利益分配（第二版）")
    page.locator("#save-agreement").click()
    page.wait_for_url("**/insights/agreements/*/")
    assert page.locator("#version-badge").inner_text().strip() == "v2"
    assert "催化剂项目利益分配（第二版）" in page.locator("h1").inner_text()
    assert page.locator("#versions li").count() == 2
    saved = Agreement.objects.get(cooperation=deal.item, version=2)
    assert [p["share_pct"] for p in saved.result["parties"]] == [50.0, 50.0] and saved.created_by == deal.owner
    assert page.locator("#tax-table tbody tr").count() == 5
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, "insights-agreement.png"), full_page=True)

    # The earlier (demo) version stays viewable and read-only.
    page.locator("#versions a", has_text="v1").click()
    page.wait_for_url(f"**/insights/agreements/{Agreement.objects.get(cooperation=deal.item, version=1).pk}/")
    assert page.locator("#read-only-badge").count() == 1
    assert outside == []
    page.context.close()
