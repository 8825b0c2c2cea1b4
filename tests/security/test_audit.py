"""The audit log: one row per security-relevant event, with who, when, address, browser and path;
a read-only page for operators only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from corridor.orgs.models import Membership
from corridor.security.audit import record_event
from corridor.security.choices import AuditKind
from corridor.security.models import AuditEvent
from tests import factories as f
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db

UA = "Mozilla/5.0 (审计测试)"


def events(kind: str):
    return list(AuditEvent.objects.filter(kind=kind).order_by("pk"))


def web(ip: str = "10.1.2.3") -> Client:
    return Client(REMOTE_ADDR=ip, headers={"User-Agent": UA})


def test_login_logout_and_failed_login(world):
    client = web()
    client.post(reverse("login"), {"username": "owner", "password": "wrong"})
    client.post(reverse("login"), {"username": "owner", "password": f.PASSWORD})
    client.post(reverse("logout"))
    (failed,) = events(AuditKind.LOGIN_FAILED)
    assert (failed.username, failed.user, failed.ip, failed.user_agent, failed.path) == ("owner", None, "10.1.2.3", UA, "/login/")
    assert "wrong" not in str(failed.details)  # never the password
    (login,) = events(AuditKind.LOGIN)
    assert (login.user, login.username, login.ip, login.method) == (world.owner, "owner", "10.1.2.3", "POST")
    (logout,) = events(AuditKind.LOGOUT)
    assert logout.user == world.owner and logout.path == "/logout/"


@override_settings(AXES_FAILURE_LIMIT=2)
def test_lockout(world):
    for _ in range(2):
        web().post(reverse("login"), {"username": "owner", "password": "wrong"})
    (lockout,) = events(AuditKind.LOCKOUT)
    assert lockout.username == "owner" and lockout.ip == "10.1.2.3"


def test_permission_denied_in_the_ui_and_the_api(world):
    resource = f.resource(world.org, name="上海专用中试线")
    client = web()
    client.force_login(world.stranger)
    assert client.get(reverse("lists:resource_edit", args=[resource.pk])).status_code == 403
    from corridor.api.models import ApiToken

    api = ApiClient(ApiToken.issue(world.stranger)[1])
    assert api.patch(f"resources/{resource.pk}", {"name": "改名"}).status_code == 403
    ui, api_event = events(AuditKind.DENIED)
    assert ui.user == world.stranger and ui.path == f"/lists/resources/{resource.pk}/edit/" and ui.status == 403
    assert api_event.user == world.stranger and api_event.method == "PATCH" and api_event.path == f"/api/v1/resources/{resource.pk}"


def test_exports_are_logged(world):
    client = web()
    client.force_login(world.operator)
    response = client.get(reverse("market:ledger_export"), {"format": "csv"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    (export,) = events(AuditKind.EXPORT)
    assert export.user == world.operator and "ledger-" in export.details["file"] and export.path.startswith("/market/ledger/export/")


def test_role_and_membership_changes(world):
    granted = {e.details["account"]: e.details["changes"] for e in events(AuditKind.ROLE_CHANGE)}
    assert granted == {"operator": {"is_staff": [None, True]}, "manager": {"is_technology_manager": [None, True]}, "reviewer": {"is_reviewer": [None, True]}}
    AuditEvent.objects.all().delete()
    world.owner.is_technology_manager = True
    world.owner.save()
    world.owner.save(update_fields=["last_login"])  # not a role change
    (role,) = events(AuditKind.ROLE_CHANGE)
    assert role.details["account"] == "owner" and role.details["changes"] == {"is_technology_manager": [False, True]}
    Membership.objects.create(user=world.manager, organization=world.org)
    Membership.objects.filter(user=world.manager).delete()
    added, removed = events(AuditKind.MEMBERSHIP)
    assert (added.details["action"], removed.details["action"]) == ("added", "removed")
    assert added.details["organization_id"] == world.org.pk


def test_role_change_during_a_request_names_the_acting_operator(world, rf):
    """Role changes made while serving a request (admin, views) carry that request's operator and address."""
    from corridor.security.audit import current_request

    request = rf.post("/admin/orgs/user/1/change/", REMOTE_ADDR="10.7.7.7", HTTP_USER_AGENT=UA)
    request.user = world.operator
    token = current_request.set(request)
    try:
        world.reviewer.is_staff = True
        world.reviewer.save()
    finally:
        current_request.reset(token)
    role = AuditEvent.objects.filter(kind=AuditKind.ROLE_CHANGE, details__account="reviewer").latest("pk")
    assert (role.user, role.ip, role.user_agent) == (world.operator, "10.7.7.7", UA)
    assert role.details["changes"] == {"is_staff": [False, True]}


def test_tokens_created_and_revoked(world):
    response = ApiClient().post("auth/token", {"username": "owner", "password": f.PASSWORD, "name": "脚本"})
    raw = response.json()["token"]
    (created,) = events(AuditKind.TOKEN_CREATED)
    assert created.details["prefix"] == raw[:8] and created.details["account_id"] == world.owner.pk and raw not in str(created.details)
    assert created.path == "/api/v1/auth/token"
    assert ApiClient(raw).delete("auth/token").status_code == 204
    (revoked,) = events(AuditKind.TOKEN_REVOKED)
    assert revoked.user == world.owner and revoked.details["prefix"] == raw[:8]
    assert ApiClient(raw).get("auth/me").status_code == 401  # revoked tokens stop working


def test_recording_is_one_insert_and_no_read(world, rf):
    request = rf.get("/x", REMOTE_ADDR="10.0.0.9")
    request.user = world.owner
    with CaptureQueriesContext(connection) as queries:
        record_event(request, AuditKind.DENIED, status=403)
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    assert statements.count("INSERT") == 1 and "SELECT" not in statements


def test_operator_page_lists_and_filters(world):
    record_event(None, AuditKind.LOGIN_FAILED, username="attacker")
    record_event(None, AuditKind.EXPORT, username="owner")
    client = Client()
    client.force_login(world.operator)
    url = reverse("security:audit_log")
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "attacker" in html and "审计日志" in html
    filtered = client.get(url, {"kind": AuditKind.LOGIN_FAILED}).content.decode()
    assert "attacker" in filtered and 'data-kind="export"' not in filtered
    assert client.post(url).status_code == 405  # read-only


@pytest.mark.parametrize("role", ["owner", "stranger", "manager", "reviewer"])
def test_others_may_not_see_the_audit_log(world, role):
    client = Client()
    client.force_login(getattr(world, role))
    assert client.get(reverse("security:audit_log")).status_code == 403
    assert client.get(reverse("admin:security_auditevent_changelist")).status_code == 302  # admin login


def test_anonymous_may_not_see_the_audit_log(world):
    assert Client().get(reverse("security:audit_log")).status_code in (302, 403)
