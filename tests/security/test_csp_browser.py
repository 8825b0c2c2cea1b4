"""In headless Chromium, under the real Content-Security-Policy: pages run their scripts (charts drawn,
Swagger UI rendered) and the browser reports no CSP violation.

Needs Debian's Chromium at /usr/bin/chromium (skipped locally without it, required when CI=true).
"""

from __future__ import annotations

import os

import pytest

from tests.labs.conftest import make_instrument

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser]

# Recorded before any page script runs (init scripts are not subject to the page's CSP).
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


def test_pages_work_under_the_csp(world, live_server, chromium):
    make_instrument(world.owner, world.org, name="上海电镜")
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(20_000)
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

    world.operator.set_password("corridor-demo-password")
    world.operator.save()
    page.goto(f"{live_server.url}/login/")
    page.fill("#main input[name=username]", "operator")
    page.fill("#main input[name=password]", "corridor-demo-password")
    page.locator("#main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    violations: dict[str, list[str]] = {}

    def visit(path: str, ready: str, timeout: float = 20_000) -> None:
        page.goto(f"{live_server.url}{path}")
        page.locator(ready).first.wait_for(timeout=timeout)
        found = page.evaluate("window.__cspViolations")
        if found:
            violations[path] = found

    visit("/", "#main")
    visit("/labs/utilisation/", "#chart-utilisation .main-svg")  # plotly figure drawn by labs/utilisation.js
    visit("/market/ledger/stats/", "body[data-charts-ready=true]")  # market/ledger_stats.js ran
    visit("/brokers/cases/kpis/", "#chart-funnel .main-svg")
    visit("/brokers/cases/board/", "#kanban")
    visit("/matching/search/", "#main")
    # Swagger UI from ninja's static files; the whole schema (~350 kB) takes a while on a busy machine.
    visit("/api/v1/docs", ".swagger-ui .information-container", timeout=120_000)
    visit("/admin/", "#content")
    visit("/security/audit/", '#audit-table tr[data-kind="login"]')  # the operator's own log-in is there
    if os.environ.get("CORRIDOR_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["CORRIDOR_SCREENSHOTS"], "security-audit-log.png"), full_page=True)
    assert violations == {}
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors
    context.close()
