"""Login throttling with django-axes: the username+IP pair is locked after AXES_FAILURE_LIMIT
failures, on the web, the admin and the API alike; operators unlock; password validators."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from tests import factories as f
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


def login(client: Client, password: str, username: str = "owner", ip: str = "10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_web_login_locks_after_n_failures_with_a_clear_message(world):
    client = Client()
    for _ in range(2):
        response = login(client, "wrong-password")
        assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    response = login(client, "wrong-password")  # the third failure locks
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 15 * 60
    html = response.content.decode()
    assert "登录失败次数过多" in html and "15" in html  # Chinese by default
    # Even the right password is refused while locked, from that address …
    locked = login(client, f.PASSWORD)
    assert locked.status_code == 429 and "_auth_user_id" not in client.session
    # … but not from another address, nor for another account.
    assert login(Client(), f.PASSWORD, ip="10.0.0.2").status_code == 302
    assert login(Client(), f.PASSWORD, username="stranger").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_message_in_english(world):
    client = Client(headers={"Accept-Language": "en"})
    for _ in range(3):
        response = client.post(reverse("login"), {"username": "owner", "password": "nope"}, headers={"Accept-Language": "en"})
    assert response.status_code == 429
    assert "Too many failed log-ins: this account is locked on this network for 15 minutes" in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=2)
def test_api_token_endpoint_locks_too_and_answers_the_error_body(world):
    api = ApiClient()
    first = api.post("auth/token", {"username": "owner", "password": "bad"})
    assert first.status_code == 401
    second = api.post("auth/token", {"username": "owner", "password": "bad"})
    assert second.status_code == 429
    body = second.json()
    assert body["code"] == "locked_out" and body["fields"] == {} and body["detail"]
    assert int(second["Retry-After"]) > 0
    assert api.post("auth/token", {"username": "owner", "password": f.PASSWORD}).status_code == 429


@override_settings(AXES_FAILURE_LIMIT=2)
def test_operator_unlocks_in_the_admin(world):
    for _ in range(2):
        login(Client(), "bad")
    assert login(Client(), f.PASSWORD).status_code == 429
    attempt = AccessAttempt.objects.get(username="owner")
    admin = Client()
    admin.force_login(world.operator)
    world.operator.is_superuser = True
    world.operator.save()
    changelist = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200 and "owner" in changelist.content.decode()
    response = admin.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert login(Client(), f.PASSWORD).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_success_resets_the_failure_count(world):
    client = Client()
    login(client, "bad")
    login(client, "bad")
    assert login(client, f.PASSWORD).status_code == 302
    assert login(Client(), "bad").status_code == 200  # counting starts again
    assert login(Client(), "bad").status_code == 200


def test_password_validators_for_new_passwords(world):
    with pytest.raises(ValidationError) as short:
        validate_password("Kx9#short", world.owner)  # 9 characters
    assert any(e.code == "password_too_short" for e in short.value.error_list)
    with pytest.raises(ValidationError):
        validate_password("1234567890123")  # numeric
    with pytest.raises(ValidationError):
        validate_password("password1234")  # common
    validate_password("长江三角洲-协同创新-2026")  # accepted


def test_demo_password_still_logs_in(world):
    """Existing passwords are not re-validated: the demo accounts keep 'corridor-demo' (13 characters)."""
    user = f.user("demo-member")
    user.set_password("corridor-demo")
    user.save()
    assert login(Client(), "corridor-demo", username="demo-member").status_code == 302
