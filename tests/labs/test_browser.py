"""In the browser: a researcher in 南京 finds a Shanghai instrument, books a free slot from the
calendar and sees it there; the owner approves it from the approval queue.

Headless Debian Chromium through Playwright; skipped where /usr/bin/chromium is missing, except
in CI (CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings
from django.test import Client

from corridor.labs.choices import BookingStatus
from corridor.labs.models import Booking
from tests import factories as f
from tests.labs.conftest import make_instrument, monday

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not shutil.which(CHROMIUM) and os.environ.get("CI") != "true", reason="Debian Chromium is not installed"
    ),
]


def _session_cookie(user, live_server_url: str) -> dict:
    client = Client()
    client.force_login(user)
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server_url}


@pytest.mark.django_db(transaction=True)
def test_book_a_shanghai_instrument_from_nanjing(live_server, monkeypatch):
    # Playwright's sync API keeps an event loop running; the ORM calls here are ordinary sync code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    sh_org = f.organization("上海浏览器测试研究院", city_name="上海")
    nj_org = f.organization("南京浏览器测试大学", city_name="南京")
    owner = f.user("sh-owner", org=sh_org)
    researcher = f.user("nj-researcher", org=nj_org)
    inst = make_instrument(owner, sh_org, name="上海场发射透射电镜", approval_required=True)
    day = monday(2)

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-background-networking"]
        )
        try:
            ctx = browser.new_context(locale="zh-CN")
            ctx.add_cookies([_session_cookie(researcher, live_server.url)])
            page = ctx.new_page()
            page.goto(f"{live_server.url}/labs/instruments/?city=上海&q=透射电镜")
            page.get_by_role("link", name="上海场发射透射电镜").click()
            expect(page.locator("h1")).to_contain_text("上海场发射透射电镜")
            page.goto(f"{page.url}?week={day.isoformat()}#calendar")
            page.locator(f'td.free a[data-start="{day.isoformat()}T10:00"]').click()
            expect(page.locator("#id_start")).to_have_value(f"{day.isoformat()}T10:00")
            page.fill("#id_end", f"{day.isoformat()}T11:30")
            page.fill("#id_purpose", "纳米颗粒形貌表征")
            page.click("#book-button")
            expect(page.locator(".alert").first).to_contain_text("等待")
            cell = page.locator(f'td.mine[title^="{day.isoformat()} 10:00"]')
            expect(cell).to_have_count(1)
            booking = Booking.objects.get()
            assert booking.status == BookingStatus.REQUESTED and booking.organization == nj_org

            owner_ctx = browser.new_context(locale="zh-CN")
            owner_ctx.add_cookies([_session_cookie(owner, live_server.url)])
            owner_page = owner_ctx.new_page()
            owner_page.goto(f"{live_server.url}/labs/approvals/")
            row = owner_page.locator(f"#booking-{booking.pk}")
            expect(row).to_contain_text("nj-researcher")
            row.locator(".approve-button").click()
            expect(owner_page.locator(f"#booking-{booking.pk}")).to_have_count(0)
            booking.refresh_from_db()
            assert booking.status == BookingStatus.CONFIRMED

            page.goto(f"{live_server.url}/labs/bookings/")
            expect(page.locator(f"#booking-{booking.pk}")).to_contain_text("已确认")
            page.goto(f"{live_server.url}{inst.get_absolute_url()}?week={day.isoformat()}")
            expect(page.locator(f'td.mine[title^="{day.isoformat()} 11:00"]')).to_have_count(1)
        finally:
            browser.close()
