"""System checks for production: `corridor check --deploy` fails on a missing or weak SECRET_KEY."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured


def secret_key_problem() -> str | None:
    return getattr(settings, "CORRIDOR_SECRET_KEY_PROBLEM", None)


def require_production_secret_key() -> None:
    """Refuse to serve in production without a proper SECRET_KEY (called by corridor/wsgi.py)."""
    problem = secret_key_problem()
    if problem:
        raise ImproperlyConfigured(problem)


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    problem = secret_key_problem()
    if problem:
        return [Error(problem, id="corridor.security.E001")]
    return []
