"""End to end in headless Chromium: an issuer drafts and submits a challenge call, the operator approves it and
forms the panel, a bidder bids with a document, the reviewer scores, the issuer awards (揭榜挂帅)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from corridor.market.choices import BidStatus, CallStatus
from corridor.market.models import Bid, ChallengeCall, Review
from tests import factories as f
from tests.market.conftest import AFTER_DEADLINE, T0, pdf_bytes

pytestmark = [pytest.mark.browser]

SCREENSHOTS = os.environ.get("CORRIDOR_SCREENSHOTS", "")


class Clock:
    """The server clock (django.utils.timezone.now), shared with the live server's thread."""

    def __init__(self) -> None:
        self.patcher = mock.patch.object(timezone, "now", return_value=T0)

    def set(self, when: Any) -> None:
        self.patcher.stop()
        self.patcher = mock.patch.object(timezone, "now", return_value=when)
        self.patcher.start()


@pytest.fixture
def clock() -> Iterator[Clock]:
    c = Clock()
    c.patcher.start()
    yield c
    c.patcher.stop()


def log_in(chromium: Any, live_server: Any, username: str) -> Any:
    page = chromium.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN").new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f.PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    assert "/login/" not in page.url, page.content()[:500]
    return page


def shot(page: Any, name: str) -> None:
    if SCREENSHOTS:
        os.makedirs(SCREENSHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def test_issuer_publishes_bidder_bids_reviewer_scores_issuer_awards(transactional_db, world, live_server, chromium, clock, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SESSION_COOKIE_AGE = 90 * 24 * 3600  # the clock jumps past the deadline, a month later
    document = tmp_path / "技术方案.pdf"
    document.write_bytes(pdf_bytes())

    # The issuer drafts the call and sends it for approval.
    issuer = log_in(chromium, live_server, world.owner.username)
    issuer.goto(f"{live_server.url}/market/calls/add/")
    issuer.fill("#id_title", "车规级 Chiplet 互连可靠性攻关")
    issuer.fill("#id_problem", "车规级 Chiplet 互连在 -40~150 ℃ 循环下失效率偏高。")
    issuer.fill("#id_indicators", "1000 次温度循环后互连失效率 ≤ 10 ppm")
    issuer.fill("#id_reward", "1500000")
    issuer.fill("#id_deadline", "2025-04-01T17:00")
    issuer.click("#object-form button[type=submit]")
    issuer.wait_for_url("**/market/calls/*/")
    call = ChallengeCall.objects.get(title="车规级 Chiplet 互连可靠性攻关")
    assert call.issuer == world.org and call.criteria.count() == 4  # the default rubric
    issuer.click("#submit-button")
    issuer.wait_for_load_state("networkidle")
    call.refresh_from_db()
    assert call.status == CallStatus.PENDING

    # The operator approves it and puts a reviewer on the panel.
    operator = log_in(chromium, live_server, world.operator.username)
    operator.goto(f"{live_server.url}{call.get_absolute_url()}")
    operator.click("#publish-button")
    operator.wait_for_load_state("networkidle")
    operator.select_option("#panel-form select[name=reviewer]", str(world.reviewer.pk))
    operator.click("#panel-form button[type=submit]")
    operator.wait_for_load_state("networkidle")
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN and call.panel.filter(reviewer=world.reviewer).exists()
    assert str(world.reviewer) in operator.locator("#panel").inner_text()

    # A bidder bids with a milestone, a team member and a PDF.
    bidder = log_in(chromium, live_server, world.stranger.username)
    bidder.goto(f"{live_server.url}{call.get_absolute_url()}")
    bidder.click("#bid-button")
    bidder.fill("#id_team_name", "苏州封装可靠性团队")
    bidder.fill("#id_approach", "底部填充材料改性与微凸点结构优化，配合加速寿命试验验证。")
    bidder.fill("#id_budget", "1200000")
    bidder.fill("#id_milestones-0-title", "样品验证")
    bidder.fill("#id_milestones-0-due_date", "2025-07-31")
    bidder.fill("#id_milestones-0-amount", "600000")
    bidder.fill("#id_team-0-name", "李工")
    bidder.set_input_files("#id_attachments", str(document))
    bidder.click("#bid-form button[type=submit]")
    bidder.wait_for_url("**/market/bids/*/")
    bid = Bid.objects.get(call=call)
    assert bid.bidder == world.other_org and bid.attachments.count() == 1
    assert "技术方案.pdf" in bidder.locator("#documents").inner_text()

    # After the deadline the issuer closes bidding; the reviewer scores.
    clock.set(AFTER_DEADLINE)
    issuer.goto(f"{live_server.url}{call.get_absolute_url()}")
    issuer.click("#close-button")
    issuer.wait_for_load_state("networkidle")
    call.refresh_from_db()
    assert call.status == CallStatus.REVIEW

    reviewer = log_in(chromium, live_server, world.reviewer.username)
    reviewer.goto(f"{live_server.url}{call.get_absolute_url()}")
    reviewer.locator(f'#review a[href$="/market/bids/{bid.pk}/review/"]').click()
    reviewer.wait_for_url("**/review/")
    for criterion, value in zip(call.criteria.all(), ("9", "8", "7", "8"), strict=True):
        reviewer.fill(f"#id_score_{criterion.pk}", value)
    reviewer.fill("#id_comment", "方案扎实，里程碑可验证。")
    reviewer.click("#review-form button[type=submit]")
    reviewer.wait_for_load_state("networkidle")
    review = Review.objects.get(bid=bid, reviewer=world.reviewer)
    assert review.weighted_score > 0

    # The issuer awards, with a reason.
    issuer.goto(f"{live_server.url}{call.get_absolute_url()}")
    assert str(review.weighted_score) in issuer.locator("#ranking").inner_text()
    issuer.click("#award-button")
    issuer.check(f"#id_award_{bid.pk}")
    issuer.fill(f"#id_reason_{bid.pk}", "可靠性方案最完整，评审第一。")
    issuer.click("#award-form button[type=submit]")
    issuer.wait_for_url(f"**{call.get_absolute_url()}")
    call.refresh_from_db()
    bid.refresh_from_db()
    assert call.status == CallStatus.AWARDED
    assert bid.status == BidStatus.AWARDED and bid.award_reason == "可靠性方案最完整，评审第一。"
    assert "可靠性方案最完整" in issuer.locator("#bids").inner_text()
    shot(issuer, "market_call_awarded")

    # The market home and the statistics page render (with their charts).
    issuer.goto(f"{live_server.url}/market/")
    assert issuer.locator("#headlines").is_visible()
    shot(issuer, "market_home")
    issuer.goto(f"{live_server.url}/market/ledger/stats/")
    issuer.wait_for_load_state("networkidle")
    assert issuer.locator("body[data-charts-ready=true]").count() == 1  # plotly.js loaded from our own server
    shot(issuer, "market_stats")
    for page in (issuer, operator, bidder, reviewer):
        page.context.close()
