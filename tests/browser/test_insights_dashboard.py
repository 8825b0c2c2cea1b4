"""Headless Chromium: the regional dashboard, the competition and the flows pages draw their plotly
charts (served from our own plotly.min.js, scripts from our static files only) without a script error.

Screenshots go to CORRIDOR_SCREENSHOTS (or the test's tmp folder) as insights_*.png.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests import factories as f
from tests.insights.test_analytics import region  # noqa: F401  (the small made-up region fixture)

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser]


def test_dashboard_competition_and_flows_draw_their_charts(world, region, live_server, chromium, tmp_path):  # noqa: F811
    shots = Path(os.environ.get("CORRIDOR_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    outside: list[str] = []
    page.on("request", lambda req: outside.append(req.url) if not req.url.startswith(live_server.url) and not req.url.startswith("data:") else None)

    page.goto(f"{live_server.url}/insights/")
    assert "/login/" in page.url  # anonymous → log in first
    page.fill("#id_username", "owner")
    page.fill("#id_password", f.PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/insights/")

    page.wait_for_selector("body[data-charts-ready='true']")
    for chart in ("chart-trend", "chart-status", "chart-city", "chart-industry", "chart-balance"):
        assert page.locator(f"#{chart} .main-svg").count() > 0, chart
    # The region's entries carry no strategic-emerging-industry tags: that chart says so.
    assert page.locator("#chart-balance-sei.empty").inner_text().strip() == "暂无数据。"
    assert page.locator("#fig-utilisation").inner_text().strip() != "…"
    assert "2710" in page.locator("#gaps").inner_text()  # the gap (卡脖子 candidate)
    page.screenshot(path=str(shots / "insights_dashboard.png"), full_page=True)

    page.goto(f"{live_server.url}/insights/competition/")
    page.wait_for_selector("body[data-charts-ready='true']")
    assert page.locator("#chart-heatmap .main-svg").count() > 0
    assert page.locator("#chart-lq .main-svg").count() > 0
    assert "上海 — 苏州" in page.locator("#pairs").inner_text()
    page.screenshot(path=str(shots / "insights_competition.png"), full_page=True)

    page.goto(f"{live_server.url}/insights/flows/")
    page.wait_for_selector("body[data-charts-ready='true']")
    assert page.locator("#chart-map .main-svg").count() > 0
    assert page.locator("#fig-sh-js").inner_text().strip() == "100%"
    page.screenshot(path=str(shots / "insights_flows.png"), full_page=True)

    # A chart's numbers download as CSV from the link next to it.
    with page.expect_download() as download:
        page.locator(".data-links[data-table='radiation'] .csv-link").click()
    assert download.value.suggested_filename.startswith("insights-flows-radiation-")

    assert errors == []
    assert outside == []  # no CDN, no map tiles
    context.close()
