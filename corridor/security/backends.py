"""django-axes' lockout check as the first authentication backend."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """Refuses log-ins of a locked username+IP pair. Authentication without a request (the
    ``corridor shell``, Django's test client ``login()``) comes from no network address and is not
    throttled; every HTTP log-in (web, admin, API token) passes the request."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
