"""End to end in headless Chromium: an operator assigns a case, the manager moves it to negotiation on
the board (htmx) and logs a meeting on the case page."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.utils import timezone

from corridor.brokers.choices import CaseStage
from corridor.brokers.models import Case, CaseActivity, TechnologyManager
from tests import factories as f
from tests.brokers.conftest import open_case

pytestmark = [pytest.mark.browser]

SCREENSHOTS = os.environ.get("CORRIDOR_SCREENSHOTS", "")


@pytest.fixture
def brokers(transactional_db, world):
    """The world (see tests/conftest.py) with a manager profile in 上海 and a demand of 苏州's organisation."""
    world.profile = TechnologyManager.objects.create(user=world.manager, city=f.city("上海"), expertise="聚烯烃 催化剂")
    world.profile.industries.set([f.industry("3.3", scheme="sei2018")])
    world.demand = f.demand(world.other_org)
    world.demand.industries.set([f.industry("3.3", scheme="sei2018")])
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


def test_assign_move_to_negotiation_and_log_a_meeting(brokers, live_server, chromium):
    case = open_case(brokers, title="环烯烃共聚物催化剂中试对接")
    assert case.lead_manager is None

    # The operator assigns the case, picking the lead from the ranked suggestions.
    operator = log_in(chromium, live_server, brokers.operator.username)
    operator.goto(f"{live_server.url}/brokers/cases/{case.pk}/assign/")
    suggestion = operator.locator(f'.suggestion[data-manager="{brokers.profile.pk}"]')
    assert suggestion.locator(".suggestion-reasons li").count() >= 2
    suggestion.locator(".choose-lead").click()
    assert operator.locator("#id_lead").input_value() == str(brokers.profile.pk)
    operator.click("#assign-submit")
    operator.wait_for_url(f"**/brokers/cases/{case.pk}/")
    assert operator.locator("#lead-manager").inner_text().strip() == str(brokers.manager)
    operator.context.close()

    # The manager finds it on the board and moves it twice with the stage buttons (htmx, no reload).
    manager = log_in(chromium, live_server, brokers.manager.username)
    manager.goto(f"{live_server.url}/brokers/cases/board/")
    card = f"#card-{case.pk}"
    assert manager.locator(f"#col-discovery {card}").count() == 1
    manager.evaluate("window.__sameDocument = true")
    manager.locator(f"{card} .move-button").click()
    manager.locator(f"#col-matching {card}").wait_for()
    assert manager.locator(f"#col-discovery {card}").count() == 0
    manager.locator(f"{card} .move-button").click()
    manager.locator(f"#col-negotiation {card}").wait_for()
    assert manager.evaluate("window.__sameDocument") is True  # the page was never reloaded
    assert manager.locator("#board-messages .alert-success").count() == 1
    assert Case.objects.get(pk=case.pk).stage == CaseStage.NEGOTIATION
    if SCREENSHOTS:
        manager.screenshot(path=os.path.join(SCREENSHOTS, "e2e-board.png"), full_page=True)

    # On the case page the manager logs the meeting.
    manager.goto(f"{live_server.url}/brokers/cases/{case.pk}/")
    assert manager.locator('#stage-timeline li.current[data-stage="negotiation"]').count() == 1
    manager.click("#log-activity-button")
    manager.locator("#activity-form").wait_for(state="visible")
    manager.select_option("#activity-form select[name=kind]", "meeting")
    manager.fill("#activity-form input[name=occurred_on]", timezone.localdate().isoformat())
    manager.fill("#activity-form input[name=title]", "苏州现场对接会")
    manager.fill("#activity-form textarea[name=text]", "双方确认中试放大方案与时间表")
    manager.locator("#activity-form button[type=submit]").click()
    manager.wait_for_url(f"**/brokers/cases/{case.pk}/")
    assert "苏州现场对接会" in manager.locator("#activity-list").inner_text()
    activity = CaseActivity.objects.get(case=case)
    assert (activity.kind, activity.by) == ("meeting", brokers.manager)

    # The KPI page draws its charts with the bundled plotly.js.
    manager.goto(f"{live_server.url}/brokers/cases/kpis/")
    manager.locator("#chart-funnel .main-svg").first.wait_for()
    assert manager.evaluate("typeof window.Plotly") == "object"
    if SCREENSHOTS:
        manager.screenshot(path=os.path.join(SCREENSHOTS, "e2e-kpis.png"), full_page=True)
    manager.context.close()
