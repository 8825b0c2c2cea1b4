"""Production settings: `check --deploy` is clean, SECRET_KEY is refused when missing or a placeholder,
and every page carries the security headers."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
CORRIDOR = str(Path(sys.executable).with_name("corridor"))


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "HTTPS", "CORRIDOR_TESTING", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"CORRIDOR_VAR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "corridor.settings", "ALLOWED_HOSTS": "corridor.example.cn"})
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)  # noqa: S603 - fixed argv


def test_check_deploy_is_clean_in_production(tmp_path):
    result = run([CORRIDOR, "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path, SECRET_KEY=secrets.token_urlsafe(50)))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_serve_without_secret_key(tmp_path):
    env = production_env(tmp_path)
    result = run([sys.executable, "-c", "import corridor.wsgi"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr
    assert not (tmp_path / "secret_key").exists()  # production never falls back to the development key
    check = run([CORRIDOR, "check", "--deploy"], env)
    assert check.returncode != 0 and "corridor.security.E001" in check.stderr


@pytest.mark.parametrize("key", ["django-insecure-abc", "changeme", "short-key"])
def test_production_refuses_placeholder_or_weak_keys(tmp_path, key):
    result = run([sys.executable, "-c", "import corridor.wsgi"], production_env(tmp_path, SECRET_KEY=key))
    assert result.returncode != 0 and "ImproperlyConfigured: SECRET_KEY" in result.stderr


def test_development_keeps_its_own_key_and_plain_http(tmp_path):
    code = "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, len(s.SECRET_KEY) >= 50)"
    result = run([sys.executable, "-c", f"import django; django.setup(); {code}; import corridor.wsgi"], production_env(tmp_path, DEBUG="1"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "0", "True"]
    assert (tmp_path / "secret_key").exists()


def test_production_https_settings_and_proxy_opt_in(tmp_path):
    code = "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    key = secrets.token_urlsafe(50)
    result = run([sys.executable, "-c", f"import django; django.setup(); {code}"], production_env(tmp_path, SECRET_KEY=key))
    assert result.stdout.split() == ["True", "True", "True", "31536000", "None"], result.stderr
    behind = run([sys.executable, "-c", f"import django; django.setup(); {code}"], production_env(tmp_path, SECRET_KEY=key, TRUST_X_FORWARDED_PROTO="1", HTTPS="1"))
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in behind.stdout
    plain = run([sys.executable, "-c", f"import django; django.setup(); {code}"], production_env(tmp_path, SECRET_KEY=key, HTTPS="0"))
    assert plain.stdout.split() == ["False", "False", "False", "0", "None"], plain.stderr


@pytest.mark.django_db
def test_security_headers_on_a_page(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Content-Security-Policy" in response
