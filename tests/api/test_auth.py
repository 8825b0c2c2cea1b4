"""Tokens (issue, use, revoke, expiry), the session with CSRF, and who is asking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from corridor.api.models import ApiToken, token_digest
from corridor.lists.models import Demand
from tests import factories as f
from tests.api.conftest import ApiClient, assert_error


def _issue(world, password=f.PASSWORD, username="owner"):
    return ApiClient().post("auth/token", {"username": username, "password": password, "name": "脚本"})


def test_issue_use_and_revoke_a_token(world):
    response = _issue(world)
    assert response.status_code == 201, response.content
    body = response.json()
    raw = body["token"]
    assert len(raw) >= 32 and body["prefix"] == raw[:8]
    expires = dt.datetime.fromisoformat(body["expires"])
    assert timezone.now() + dt.timedelta(days=89) < expires <= timezone.now() + dt.timedelta(days=90)
    token = ApiToken.objects.get(user=world.owner)
    assert token.digest == token_digest(raw) and raw not in (token.digest, token.prefix)  # only the digest is kept

    client = ApiClient(raw)
    me = client.get("auth/me")
    assert me.status_code == 200
    assert me.json()["username"] == "owner"
    assert me.json()["auth"] == "token"
    assert me.json()["organizations"] == [{"id": world.org.pk, "name": world.org.name}]
    token.refresh_from_db()
    assert token.last_used is not None

    assert client.delete("auth/token").status_code == 204
    token.refresh_from_db()
    assert token.revoked is not None
    assert_error(client.get("auth/me"), 401, "invalid_token")
    # A revoked token is refused even for public data, never treated as anonymous.
    assert_error(client.get("cities"), 401, "invalid_token")


@pytest.mark.parametrize(("username", "password"), [("owner", "wrong"), ("nobody", f.PASSWORD)])
def test_wrong_credentials_get_no_token(world, username, password):
    assert_error(_issue(world, password, username), 401, "invalid_credentials")
    assert not ApiToken.objects.exists()


def test_inactive_user_gets_no_token_and_loses_old_ones(world):
    raw = ApiToken.issue(world.owner)[1]
    world.owner.is_active = False
    world.owner.save(update_fields=["is_active"])
    assert_error(_issue(world), 401, "invalid_credentials")
    assert_error(ApiClient(raw).get("auth/me"), 401, "invalid_token")


def test_expired_token_is_refused(world):
    token, raw = ApiToken.issue(world.owner)
    ApiToken.objects.filter(pk=token.pk).update(expires=timezone.now() - dt.timedelta(seconds=1))
    response = ApiClient(raw).get("auth/me")
    assert_error(response, 401, "invalid_token")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer nonsense-token", "Bearer ", "Token abc", "Basic b3duZXI6eA==", "Bearer " + "x" * 500])
def test_unknown_or_malformed_tokens_are_401(world, header):
    response = Client().get("/api/v1/resources", headers={"Authorization": header})
    assert_error(response, 401, "invalid_token")


def test_token_cannot_be_issued_with_a_bad_body(world):
    assert_error(ApiClient().post("auth/token", {"username": "owner"}), 400, "invalid", field="password")


def test_me_needs_an_account(world, clients):
    assert_error(clients["anonymous"].get("auth/me"), 401, "not_authenticated")
    assert_error(clients["anonymous"].delete("auth/token"), 401, "not_authenticated")


def test_me_shows_roles(world, clients):
    body = clients["operator"].get("auth/me").json()
    assert body["is_operator"] is True and body["organizations"] == []
    assert clients["manager"].get("auth/me").json()["is_technology_manager"] is True


def test_session_auth_and_csrf(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.owner)
    me = browser.get("/api/v1/auth/me")
    assert me.status_code == 200 and me.json()["auth"] == "session"
    # There is no token to revoke when the session is used.
    body = {"owner": world.org.pk, "title": "会话发布的需求", "description": "d"}
    api = ApiClient(client=browser)
    assert_error(api.delete("auth/token"), 403, "csrf_failed")

    # Unsafe methods without the CSRF token are refused and change nothing …
    assert_error(api.post("demands", body), 403, "csrf_failed")
    assert not Demand.objects.exists()
    # … and pass with it (the docs page sets the cookie, as a browser page would).
    browser.get("/api/v1/docs")
    csrf = browser.cookies["csrftoken"].value
    response = browser.post(
        "/api/v1/demands", data=body, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert response.status_code == 201, response.content
    response = browser.delete("/api/v1/auth/token", headers={"X-CSRFToken": csrf})
    assert_error(response, 400, "no_token")


def test_tokens_need_no_csrf(world):
    browser = Client(enforce_csrf_checks=True)
    raw = ApiToken.issue(world.owner)[1]
    response = ApiClient(raw, client=browser).post("demands", {"owner": world.org.pk, "title": "t", "description": "d"})
    assert response.status_code == 201


def test_a_bad_token_does_not_fall_back_to_the_session(world):
    browser = Client()
    browser.force_login(world.owner)
    response = browser.get("/api/v1/auth/me", headers={"Authorization": "Bearer not-a-token"})
    assert_error(response, 401, "invalid_token")
