"""End to end in headless Chromium: log in, post a demand, find it in the demands list.

Needs Debian's Chromium at /usr/bin/chromium (Playwright drives it; no browser is downloaded).
Set CORRIDOR_SCREENSHOTS=<dir> to keep screenshots of the home page and the demand list.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from corridor.lists.choices import Confidentiality, DemandStatus, PartyRole
from corridor.lists.models import Demand
from tests import factories as f

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser]

SCREENSHOTS = os.environ.get("CORRIDOR_SCREENSHOTS", "")


def some_market(world: Any) -> None:
    """A few entries so that the pages look like a working market."""
    nanjing = f.organization("南京先进封装研究院", city_name="南京", type="institute")
    wuxi = f.organization("无锡芯片制造有限公司", city_name="无锡")
    f.resource(world.org, name="聚烯烃催化剂中试平台", kind="pilot")
    f.resource(nanjing, name="Chiplet 先进封装概念验证中心", kind="poc")
    f.resource(wuxi, name="12 英寸晶圆级测试线", kind="instrument")
    f.demand(world.other_org, title="环烯烃共聚物催化剂放大工艺", budget_min=Decimal("800000"), budget_max=Decimal("2000000"))
    f.demand(
        wuxi,
        title="车规级芯粒互连可靠性验证",
        summary="芯粒互连可靠性测试",
        confidentiality=Confidentiality.SUMMARY,
        status=DemandStatus.NEGOTIATING,
    )
    f.demand(nanjing, title="高导热封装基板材料", budget_min=None, budget_max=Decimal("500000"))
    f.cooperation([(world.org, PartyRole.RD), (world.other_org, PartyRole.PRODUCTION)], title="上海研发—苏州制造：聚烯烃新材料")


def shot(page: Any, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / name), full_page=True)


def test_log_in_post_a_demand_and_find_it(world, live_server, chromium):
    some_market(world)
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)

    page.goto(f"{live_server.url}/")
    assert "三张清单" in page.content()
    page.get_by_role("link", name="登录").click()
    page.fill("#id_username", "owner")
    page.fill("#id_password", f.PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("#user-menu").inner_text().strip() == "owner"
    shot(page, "home.png")

    page.goto(f"{live_server.url}/lists/demands/add/")
    page.fill("#id_title", "聚丙烯薄膜在线缺陷检测")
    page.fill("#id_summary", "薄膜产线视觉检测")
    page.fill("#id_description", "需要每分钟 300 米线速下的在线缺陷识别方案")
    page.fill("#id_budget_min", "300000")
    page.fill("#id_budget_max", "1200000")
    # The industry picker is searchable: type to narrow ~2,000 options, then pick one.
    page.locator("#id_industries").locator("xpath=preceding-sibling::input[1]").fill("塑料薄膜")
    option = page.locator("#id_industries option:not([hidden])").first
    page.select_option("#id_industries", value=option.get_attribute("value"))
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{live_server.url}/lists/demands/*/")
    assert "聚丙烯薄膜在线缺陷检测" in page.locator("h1").inner_text()
    assert "¥300,000.00 – ¥1,200,000.00" in page.content()
    shot(page, "demand_detail.png")

    demand = Demand.objects.get(title="聚丙烯薄膜在线缺陷检测")
    assert demand.owner == world.org and demand.status == DemandStatus.PUBLISHED
    assert demand.industries.count() == 1

    page.goto(f"{live_server.url}/lists/demands/")
    table = page.locator("#object-table")
    assert "聚丙烯薄膜在线缺陷检测" in table.inner_text()
    # Filtering re-renders the table in place (htmx) and keeps the URL shareable.
    page.fill("#id_q", "薄膜")
    page.wait_for_url("**q=*")
    page.wait_for_function("document.querySelectorAll('#object-table tbody tr').length === 1")
    assert "聚丙烯薄膜在线缺陷检测" in page.locator("#object-table").inner_text()
    page.goto(f"{live_server.url}/lists/demands/")
    shot(page, "demand_list.png")

    # English is one click away.
    page.locator('#language-form button[value="en"]').click()
    page.wait_for_load_state()
    assert "The three lists" in page.content()
    context.close()
