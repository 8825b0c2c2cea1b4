"""The authorization matrix, generated from the URL conf and the OpenAPI schema.

Every named web URL and every API operation is requested by each of six roles — anonymous, a
member of another organisation (stranger), a member of the owning organisation (owner), a
technology manager, a reviewer and an operator — once to read and once to write, and the outcome
is compared with the one rules table below. An endpoint without a rule fails the suite: whoever
adds a URL or an API operation decides here who may use it.

Outcomes, one letter per role in the order of ``ROLES`` (anonymous, stranger, owner, manager,
reviewer, operator):

- ``O`` allowed: the request got past the permission checks (2xx, a redirect that is not to the
  login page, or a 400/409 about the input or the state — not about who asks);
- ``L`` web: redirected to the login page; ``A`` API: 401;
- ``F`` forbidden (403); ``H`` hidden (404);
- ``N`` the method is not served here (405).

A 5xx is never an allowed outcome. Writes run in a savepoint that is rolled back, so every role
meets the same scene (tests/security/conftest.py).

API writes send a VALID body built from the scene (``WRITE_BODIES`` in conftest, JSON or multipart
for uploads; ``{}`` only where the operation takes no body), so the permission check is what
decides: ``O`` means that role really may write there. A ``V`` marks a request refused as invalid
input (400/422); with valid bodies none is left — should one become necessary (an operation that
legitimately validates before it can know who may act), give its rule a one-line comment why.
Reads that need query parameters get valid ones (``READ_QUERIES``). Web pages that act on an
object POST a valid form (``WEB_FORMS``); creation and edit pages POST an empty form, so an ``O``
there says the role got past the permission check to the form's own validation (400 with the
form again). Read-only web pages answer POST with 405 (``N``).
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client

from tests.security.conftest import (
    MULTIPART_WRITES,
    READ_QUERIES,
    ROLES,
    WEB_FORMS,
    WRITE_BODIES,
    Operation,
    Page,
    api_headers,
    api_operations,
    api_url,
    body_of,
    isolated,
    ui_kwargs,
    ui_pages,
)

# --- the rules ----------------------------------------------------------------------------------
# Web pages: URL name -> (GET, POST), each six letters for ROLES.
PAGE_RULES: dict[str, tuple[str, str]] = {
    "security:audit_log": ("FFFFFO", "NNNNNN"),
    "healthz": ("OOOOOO", "NNNNNN"),
    "plotly_js": ("OOOOOO", "NNNNNN"),
    "api:api-root": ("OOOOOO", "NNNNNN"),
    "api:openapi-json": ("OOOOOO", "NNNNNN"),
    "api:openapi-view": ("OOOOOO", "NNNNNN"),
    "brokers:case_activity": ("NNNNNN", "LHFOHO"),
    "brokers:case_advance": ("NNNNNN", "LHFOHO"),
    "brokers:case_assign": ("LHFFHO", "LHFFHO"),
    "brokers:case_board": ("LOOOOO", "NNNNNN"),
    "brokers:case_close": ("NNNNNN", "LHFOHO"),
    "brokers:case_detail": ("LHOOHO", "NNNNNN"),
    "brokers:case_document": ("NNNNNN", "LHFOHO"),
    "brokers:case_document_download": ("LHOOHO", "NNNNNN"),
    "brokers:case_kpis": ("LOOOOO", "NNNNNN"),
    "brokers:case_kpis_csv": ("LOOOOO", "NNNNNN"),
    "brokers:case_link": ("NNNNNN", "LHFOHO"),
    "brokers:case_list": ("LOOOOO", "NNNNNN"),
    "brokers:case_queue": ("LFFOFO", "NNNNNN"),
    "brokers:case_reopen": ("NNNNNN", "LHFFHO"),
    "brokers:consortium_detail": ("OOOOOO", "NNNNNN"),
    "brokers:consortium_list": ("OOOOOO", "NNNNNN"),
    "brokers:manager_coverage": ("OOOOOO", "NNNNNN"),
    "brokers:manager_detail": ("OOOOOO", "NNNNNN"),
    "brokers:manager_list": ("OOOOOO", "NNNNNN"),
    "home": ("OOOOOO", "NNNNNN"),
    "insights:agreement_calculator": ("OOOOOO", "OOOOOO"),
    "insights:agreement_detail": ("OOOOOO", "NNNNNN"),
    "insights:agreement_export": ("OOOOOO", "NNNNNN"),
    "insights:agreement_list": ("OOOOOO", "NNNNNN"),
    "insights:barrier_add": ("LFFFFO", "LFFFFO"),
    "insights:barrier_cited": ("OOOOOO", "NNNNNN"),
    "insights:barrier_compare": ("OOOOOO", "NNNNNN"),
    "insights:barrier_delete": ("LFFFFO", "LFFFFO"),
    "insights:barrier_detail": ("OOOOOO", "NNNNNN"),
    "insights:barrier_edit": ("LFFFFO", "LFFFFO"),
    "insights:barrier_list": ("OOOOOO", "NNNNNN"),
    "insights:competition": ("LOOOOO", "NNNNNN"),
    "insights:competition_data": ("LOOOOO", "NNNNNN"),
    "insights:dashboard": ("LOOOOO", "NNNNNN"),
    "insights:dashboard_data": ("LOOOOO", "NNNNNN"),
    "insights:flows": ("LOOOOO", "NNNNNN"),
    "insights:flows_data": ("LOOOOO", "NNNNNN"),
    "labs:approvals": ("LOOOOO", "LNNNNN"),
    "labs:booking_action": ("LNNNNN", "LHOHHO"),
    "labs:booking_create": ("LNNNNN", "LOOOOO"),
    "labs:booking_detail": ("LHOHHO", "LNNNNN"),
    "labs:booking_usage": ("LHOHHO", "LHOHHO"),
    "labs:instrument_add": ("LOOFFO", "LOOFFO"),
    "labs:instrument_block": ("LNNNNN", "LFOFFO"),
    "labs:instrument_delete": ("LFOFFO", "LFOFFO"),
    "labs:instrument_detail": ("OOOOOO", "NNNNNN"),
    "labs:instrument_edit": ("LFOFFO", "LFOFFO"),
    "labs:instrument_ics": ("OOOOOO", "NNNNNN"),
    "labs:instrument_list": ("OOOOOO", "NNNNNN"),
    "labs:my_bookings": ("LOOOOO", "LNNNNN"),
    "labs:user_ics": ("OOOOOO", "NNNNNN"),
    "labs:utilisation": ("OOOOOO", "NNNNNN"),
    "lists:cooperation_add": ("LOOFFO", "LOOFFO"),
    "lists:cooperation_delete": ("LFOFFO", "LFOFFO"),
    "lists:cooperation_detail": ("OOOOOO", "NNNNNN"),
    "lists:cooperation_edit": ("LFOFFO", "LFOFFO"),
    "lists:cooperation_list": ("OOOOOO", "NNNNNN"),
    "lists:demand_add": ("LOOFFO", "LOOFFO"),
    "lists:demand_delete": ("LFOFFO", "LFOFFO"),
    "lists:demand_detail": ("OOOOOO", "NNNNNN"),
    "lists:demand_edit": ("LFOFFO", "LFOFFO"),
    "lists:demand_list": ("OOOOOO", "NNNNNN"),
    "lists:demand_transition": ("NNNNNN", "LFOFFO"),
    "lists:resource_add": ("LOOFFO", "LOOFFO"),
    "lists:resource_delete": ("LFOFFO", "LFOFFO"),
    "lists:resource_detail": ("OOOOOO", "NNNNNN"),
    "lists:resource_edit": ("LFOFFO", "LFOFFO"),
    "lists:resource_list": ("OOOOOO", "NNNNNN"),
    "login": ("OOOOOO", "OOOOOO"),
    "logout": ("NNNNNN", "OOOOOO"),
    "market:attachment_delete": ("NNNNNN", "LHFHFF"),
    "market:attachment_download": ("HHOHOO", "HHOHOO"),
    "market:bid_add": ("LOOFFO", "LOOFFO"),
    "market:bid_attachment_add": ("NNNNNN", "LHOHFF"),
    "market:bid_detail": ("LHOHOO", "NNNNNN"),
    "market:bid_edit": ("LHOHFF", "LHOHFF"),
    "market:bid_list": ("LOOOOO", "NNNNNN"),
    "market:bid_review": ("LHFHOF", "LHFHOF"),
    "market:bid_withdraw": ("NNNNNN", "LHOHFF"),
    "market:call_action": ("NNNNNN", "LFOFFO"),
    "market:call_add": ("LOOFFO", "LOOFFO"),
    "market:call_award": ("LFOFFO", "LFOFFO"),
    "market:call_detail": ("OOOOOO", "NNNNNN"),
    "market:call_edit": ("LFFFFF", "LFFFFF"),
    "market:call_list": ("OOOOOO", "NNNNNN"),
    "market:call_panel": ("NNNNNN", "LFFFFO"),
    "market:contract_add": ("LOOFFO", "LOOFFO"),
    "market:contract_delete": ("LFOFFO", "LFOFFO"),
    "market:contract_detail": ("OOOOOO", "NNNNNN"),
    "market:contract_edit": ("LFOFFO", "LFOFFO"),
    "market:contract_list": ("OOOOOO", "NNNNNN"),
    "market:home": ("OOOOOO", "NNNNNN"),
    "market:ledger_export": ("OOOOOO", "NNNNNN"),
    "market:ledger_stats": ("OOOOOO", "NNNNNN"),
    "market:ledger_stats_data": ("OOOOOO", "NNNNNN"),
    "market:milestone_action": ("NNNNNN", "LHFHFF"),
    "market:policy_detail": ("OOOOOO", "NNNNNN"),
    "market:policy_list": ("OOOOOO", "NNNNNN"),
    "market:policy_match": ("LOOFFO", "NNNNNN"),
    "market:profile_edit": ("LFOFFO", "LFOFFO"),
    "market:search": ("OOOOOO", "NNNNNN"),
    "market:space_add": ("LOOFFO", "LOOFFO"),
    "market:space_delete": ("LFOFFO", "LFOFFO"),
    "market:space_detail": ("OOOOOO", "NNNNNN"),
    "market:space_edit": ("LFOFFO", "LFOFFO"),
    "market:space_list": ("OOOOOO", "NNNNNN"),
    "matching:demand_matches": ("OOOOOO", "NNNNNN"),
    "matching:feedback": ("NNNNNN", "LFOFFO"),
    "matching:resource_matches": ("OOOOOO", "NNNNNN"),
    "matching:search": ("OOOOOO", "NNNNNN"),
    "orgs:organization_add": ("LFFFFO", "LFFFFO"),
    "orgs:organization_delete": ("LFFFFO", "LFFFFO"),
    "orgs:organization_detail": ("OOOOOO", "NNNNNN"),
    "orgs:organization_edit": ("LFOFFO", "LFOFFO"),
    "orgs:organization_list": ("OOOOOO", "NNNNNN"),
    "set_language": ("OOOOOO", "OOOOOO"),
    "transfer:error_report": ("HHOHHO", "NNNNNN"),
    "transfer:export": ("HHHHHH", "NNNNNN"),
    "transfer:import_commit": ("LNNNNN", "LHOHHO"),
    "transfer:import_detail": ("LHOHHO", "LNNNNN"),
    "transfer:import_list": ("LOOOOO", "LNNNNN"),
    "transfer:import_mapping": ("LHOHHO", "LHOHHO"),
    "transfer:import_new": ("LOOFFO", "LOOFFO"),
    "transfer:import_progress": ("LHOHHO", "LNNNNN"),
    "transfer:template": ("OOOOOO", "NNNNNN"),
}

# API operations: "METHOD path" (relative to /api/v1/) -> six letters for ROLES.
OPERATION_RULES: dict[str, str] = {
    "PATCH insights/barriers/{id}": "AFFFFO",
    "DELETE insights/barriers/{id}": "AFFFFO",
    "POST insights/barriers": "AFFFFO",
    "GET exports/{type_key}": "OOOOOO",
    "DELETE auth/token": "AOOOOO",
    "DELETE calls/{id}/panel/{reviewer}": "AFFFFO",
    "DELETE cooperations/{id}": "AFOFFO",
    "DELETE demands/{id}": "AFOFFO",
    "DELETE organizations/{id}": "AFFFFO",
    "DELETE policies/{id}": "AFFFFO",
    "DELETE resources/{id}": "AFOFFO",
    "DELETE spaces/{id}": "AFOFFO",
    "DELETE transactions/{id}": "AFOFFO",
    "GET auth/me": "AOOOOO",
    "GET bids": "OOOOOO",
    "GET bids/{id}": "HHOHOO",
    "GET bookings": "OOOOOO",
    "GET bookings/{id}": "HHOHHO",
    "GET bookings/{id}/history": "HHOHHO",
    "GET calls": "OOOOOO",
    "GET calls/{id}": "OOOOOO",
    "GET calls/{id}/history": "OOOOOO",
    "GET calls/{id}/panel": "AFOFOO",
    "GET calls/{id}/payments": "OOOOOO",
    "GET calls/{id}/ranking": "AFOFOO",
    "GET cases": "OOOOOO",
    "GET cases/alerts": "AOOOOO",
    "GET cases/kpis": "OOOOOO",
    "GET cases/{id}": "HHOOHO",
    "GET cases/{id}/activities": "HHOOHO",
    "GET cases/{id}/history": "HHOOHO",
    "GET cases/{id}/suggestions": "HHHOHO",
    "GET cities": "OOOOOO",
    "GET cities/{id}": "OOOOOO",
    "GET consortia": "OOOOOO",
    "GET consortia/{id}": "OOOOOO",
    "GET consortia/{id}/history": "OOOOOO",
    "GET cooperations": "OOOOOO",
    "GET cooperations/{id}": "OOOOOO",
    "GET cooperations/{id}/history": "OOOOOO",
    "GET demands": "OOOOOO",
    "GET demands/{demand_id}/managers": "OOOOOO",
    "GET demands/{demand_id}/matches": "OOOOOO",
    "GET demands/{id}": "OOOOOO",
    "GET demands/{id}/history": "OOOOOO",
    "GET imports/{id}": "AHOHHO",
    "GET imports/{id}/errors.xlsx": "AHOHHO",
    "GET industries": "OOOOOO",
    "GET industries/{id}": "OOOOOO",
    "GET insights/agreements": "OOOOOO",
    "GET insights/agreements/{id}": "OOOOOO",
    "GET insights/barriers": "OOOOOO",
    "GET insights/barriers/cited": "OOOOOO",
    "GET insights/barriers/compare": "OOOOOO",
    "GET insights/barriers/{id}": "OOOOOO",
    "GET insights/competition": "AOOOOO",
    "GET insights/dashboard": "AOOOOO",
    "GET insights/flows": "AOOOOO",
    "GET instruments": "OOOOOO",
    "GET instruments/{id}": "OOOOOO",
    "GET instruments/{id}/availability": "OOOOOO",
    "GET instruments/{id}/history": "OOOOOO",
    "GET labs/utilisation": "OOOOOO",
    "GET managers": "OOOOOO",
    "GET managers/coverage": "OOOOOO",
    "GET managers/{id}": "OOOOOO",
    "GET organizations": "OOOOOO",
    "GET organizations/{id}": "OOOOOO",
    "GET organizations/{id}/history": "OOOOOO",
    "GET organizations/{id}/market-profile": "HHOHHO",
    "GET policies": "OOOOOO",
    "GET policies/match": "OOOOOO",
    "GET policies/{id}": "OOOOOO",
    "GET resources": "OOOOOO",
    "GET resources/{id}": "OOOOOO",
    "GET resources/{id}/history": "OOOOOO",
    "GET resources/{resource_id}/matches": "OOOOOO",
    "GET search": "OOOOOO",
    "GET spaces": "OOOOOO",
    "GET spaces/{id}": "OOOOOO",
    "GET transactions": "OOOOOO",
    "GET transactions/export": "OOOOOO",
    "GET transactions/stats": "OOOOOO",
    "GET transactions/{id}": "OOOOOO",
    "PATCH bids/{id}": "AHOHFF",
    "PATCH calls/{id}": "AFOFFO",
    "PATCH consortia/{id}": "AFOFFO",
    "PATCH cooperations/{id}": "AFOFFO",
    "PATCH demands/{id}": "AFOFFO",
    "PATCH instruments/{id}": "AFOFFO",
    "PATCH managers/{id}": "AFFOFO",
    "PATCH organizations/{id}": "AFOFFO",
    "PATCH policies/{id}": "AFFFFO",
    "PATCH resources/{id}": "AFOFFO",
    "PATCH spaces/{id}": "AFOFFO",
    "PATCH transactions/{id}": "AFOFFO",
    "POST auth/token": "OOOOOO",
    "POST bids/{id}/attachments": "AHOHFF",
    "POST bids/{id}/reviews": "AHFHOF",
    "POST bids/{id}/withdraw": "AHOHFF",
    "POST bookings": "AOOOOO",
    "POST bookings/{id}/approve": "AHOHHO",
    "POST bookings/{id}/cancel": "AHOHHO",
    "POST bookings/{id}/reject": "AHOHHO",
    "POST bookings/{id}/usage": "AHOHHO",
    "POST calls": "AFOFFO",
    "POST calls/{id}/accept": "AFOFFO",
    "POST calls/{id}/award": "AFOFFO",
    "POST calls/{id}/bids": "AFOFFF",
    "POST calls/{id}/cancel": "AFOFFO",
    "POST calls/{id}/close": "AFOFFO",
    "POST calls/{id}/fail": "AFOFFO",
    "POST calls/{id}/panel": "AFFFFO",
    "POST calls/{id}/publish": "AFFFFO",
    "POST calls/{id}/return": "AFFFFO",
    "POST calls/{id}/start-delivery": "AFOFFO",
    "POST calls/{id}/submit": "AFOFFO",
    "POST cases": "AFFOFO",
    "POST cases/{id}/activities": "AHFOHO",
    "POST cases/{id}/advance": "AHFOHO",
    "POST cases/{id}/assign": "AHFFHO",
    "POST cases/{id}/close": "AHFOHO",
    "POST cases/{id}/links": "AHFOHO",
    "POST cases/{id}/reopen": "AHFFHO",
    "POST consortia": "AFFFFO",
    "POST consortia/{id}/goals": "AFOFFO",
    "POST consortia/{id}/members": "AFOFFO",
    "POST consortia/{id}/members/{organization_id}/leave": "AFOFFO",
    "POST consortia/{id}/outputs": "AFOFFO",
    "POST cooperations": "AFOFFO",
    "POST demands": "AFOFFO",
    "POST demands/{id}/transition": "AFOFFO",
    "POST imports": "AFOFFO",
    "POST imports/{id}/commit": "AHOHHO",
    "POST insights/agreements": "AFOFFO",
    "POST insights/sharing/compute": "AOOOOO",
    "POST instruments": "AFOFFO",
    "POST instruments/{id}/blocks": "AFOFFO",
    "POST managers": "AFFFFO",
    "POST matches/feedback": "AFOFFO",
    "POST milestones/{id}/accept": "AHOHFO",
    "POST milestones/{id}/reject": "AHOHFO",
    "POST milestones/{id}/submit": "AHFHFF",
    "POST organizations": "AFFFFO",
    "POST policies": "AFFFFO",
    "POST resources": "AFOFFO",
    "POST spaces": "AFOFFO",
    "POST transactions": "AFOFFO",
    "PUT organizations/{id}/market-profile": "AFOFFO",
}

# --- the machinery ------------------------------------------------------------------------------

PAGES = ui_pages()
OPERATIONS = api_operations()
RECORD = os.environ.get("CORRIDOR_MATRIX_RECORD")  # a file to write the observed table to (review it!)


def _login_url() -> str:
    from django.urls import reverse

    return reverse(settings.LOGIN_URL) if ":" in settings.LOGIN_URL or "/" not in settings.LOGIN_URL else settings.LOGIN_URL


def page_outcome(response: Any) -> str:
    status = response.status_code
    if status >= 500:
        return "E"
    if status in (301, 302) and response["Location"].split("?")[0] == _login_url():
        return "L"
    return {403: "F", 404: "H", 405: "N"}.get(status, "O")


def operation_outcome(response: Any) -> str:
    status = response.status_code
    if status >= 500:
        return "E"
    return {401: "A", 403: "F", 404: "H", 405: "N", 400: "V", 422: "V"}.get(status, "O")


def _record(line: str) -> None:
    assert RECORD
    with open(RECORD, "a", encoding="utf-8") as out:
        out.write(line + "\n")


def test_every_page_and_operation_has_a_rule():
    """New URLs and operations need a rule; rules of removed ones must go."""
    if RECORD:
        pytest.skip("recording")
    missing = [p.name for p in PAGES if p.name not in PAGE_RULES] + [o.key for o in OPERATIONS if o.key not in OPERATION_RULES]
    assert not missing, "new endpoint without an authorization rule: " + ", ".join(missing) + " (add it to tests/security/test_matrix.py)"
    stale = sorted(set(PAGE_RULES) - {p.name for p in PAGES}) + sorted(set(OPERATION_RULES) - {o.key for o in OPERATIONS})
    assert not stale, "authorization rule for an endpoint that no longer exists: " + ", ".join(stale)


def _check(key: str, expected: str, observed: str, details: list[str]) -> list[str]:
    problems = []
    for role, want, got, detail in zip(ROLES, expected, observed, details, strict=True):
        if got == "E" or want != got:
            problems.append(f"{key}: {role} expected {want}, got {got} ({detail})")
    return problems


def _keeping_session(client: Client, request_fn: Any) -> Any:
    """A rolled-back request that cannot log the shared client out (POST /logout/ would)."""
    name = settings.SESSION_COOKIE_NAME
    session = client.cookies[name].value if name in client.cookies else None
    response = isolated(request_fn)
    if session is None:
        client.cookies.pop(name, None)
    else:
        client.cookies[name] = session
    return response


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page(page: Page, mscene):
    from django.urls import reverse

    if page.name not in PAGE_RULES and not RECORD:
        pytest.fail(f"new endpoint without an authorization rule: {page.name} ({page.route}); add it to PAGE_RULES")
    url = reverse(page.name, kwargs=ui_kwargs(page, mscene))
    reads, writes, read_details, write_details = "", "", [], []
    for role in ROLES:
        client = mscene.clients[role]
        response = _keeping_session(client, lambda: client.get(url))  # noqa: B023 — called at once
        reads += page_outcome(response)
        read_details.append(f"GET {url} -> {response.status_code}")
        form = WEB_FORMS[page.name](mscene) if page.name in WEB_FORMS else {}
        response = _keeping_session(client, lambda: client.post(url, form))  # noqa: B023
        writes += page_outcome(response)
        write_details.append(f"POST {url} -> {response.status_code}")
    if RECORD:
        _record(f'    "{page.name}": ("{reads}", "{writes}"),')
        return
    read_rule, write_rule = PAGE_RULES[page.name]
    problems = _check(f"GET {page.name}", read_rule, reads, read_details) + _check(f"POST {page.name}", write_rule, writes, write_details)
    assert not problems, "\n".join(problems)


def _write(client: Client, operation: Operation, url: str, headers: dict[str, str], scene: Any) -> Any:
    """Send the operation's valid body (built afresh: uploaded files are read once)."""
    body = WRITE_BODIES[operation.key](scene) if operation.key in WRITE_BODIES else {}
    send = getattr(client, operation.method.lower())
    if operation.key in MULTIPART_WRITES:
        return send(url, data=body, headers=headers)
    return send(url, data=json.dumps(body, cls=DjangoJSONEncoder), content_type="application/json", headers=headers)


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda o: o.key)
def test_operation(operation: Operation, mscene):
    if operation.key not in OPERATION_RULES and not RECORD:
        pytest.fail(f"new endpoint without an authorization rule: {operation.key}; add it to OPERATION_RULES")
    url = api_url(operation, mscene)
    observed, details = "", []
    for role in ROLES:
        client = Client()
        headers = api_headers(role, mscene)
        if operation.method == "GET":
            query = READ_QUERIES[operation.key](mscene) if operation.key in READ_QUERIES else {}
            response = isolated(lambda: client.get(url, query, headers=headers))  # noqa: B023
        else:
            response = isolated(lambda: _write(client, operation, url, headers, mscene))  # noqa: B023
        observed += operation_outcome(response)
        details.append(f"{operation.method} {url} -> {response.status_code} {body_of(response)[:120]!r}")
    if RECORD:
        _record(f'    "{operation.key}": "{observed}",')
        return
    problems = _check(operation.key, OPERATION_RULES[operation.key], observed, details)
    assert not problems, "\n".join(problems)
