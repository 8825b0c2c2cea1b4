"""The one authentication mechanism of the API: bearer tokens, or the browser's session.

``CorridorAuth`` runs before every operation and sets ``request.auth`` to the acting user:

- ``Authorization: Bearer <token>`` → the token's user; an unknown, expired or revoked token, a
  malformed header or an inactive user → 401 (a bad token never falls back to the session);
- otherwise a signed-in session → that user; unsafe methods must then pass Django's CSRF check
  (403 ``csrf_failed``), because a browser sends the session cookie on its own;
- otherwise → ``AnonymousUser``: anonymous may read public data. Unsafe methods need an
  account (401), except on operations created with ``CorridorAuth(anonymous_writes=True)``
  (only ``POST /auth/token``, which is how one gets an account's token).

Permissions on objects are decided afterwards by the services and ``restrict``/``can``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from corridor.api.errors import ApiError, not_authenticated_message
from corridor.api.models import ApiToken

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ApiRequest(HttpRequest):
    """The request an API view receives (annotate views with it): ``auth`` is the acting user
    (a ``User`` or ``AnonymousUser``), ``api_token`` the ``ApiToken`` used, if any."""

    auth: Any
    api_token: ApiToken | None


class CorridorAuth(AuthBase):
    openapi_type = "http"
    openapi_scheme = "bearer"
    openapi_description = "API token from POST /api/v1/auth/token, or the browser's session (with CSRF)."
    # Tells ninja's Swagger page to send the CSRF token with "try it out" requests.
    csrf = True

    def __init__(self, *, anonymous_writes: bool = False) -> None:
        self.anonymous_writes = anonymous_writes
        super().__init__()

    def authenticate_once(self, request: HttpRequest, *, data_version: int | None = None) -> Any:
        """As calling it, remembered on the request for safe methods: the answer cache
        (``corridor.api.answers``) authenticates before the operation, which then reuses the result.
        With ``data_version`` a bearer token may be taken from the cache (``ApiToken.authenticate``)."""
        request._corridor_data_version = data_version  # type: ignore[attr-defined]
        user = self(request)
        request._corridor_auth = user  # type: ignore[attr-defined]
        return user

    def __call__(self, request: HttpRequest) -> Any:
        remembered = getattr(request, "_corridor_auth", None)
        if remembered is not None and request.method in SAFE_METHODS:
            return remembered
        request.api_token = None  # type: ignore[attr-defined]
        header = request.headers.get("Authorization")
        if header is not None:
            return self._token_user(request, header)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            if request.method not in SAFE_METHODS and not getattr(request, "_ninja_csrf_exempt", False):
                if check_csrf(request) is not None:
                    raise ApiError(403, "csrf_failed", _("CSRF check failed: send the X-CSRFToken header with the session."))
            return user
        if request.method not in SAFE_METHODS and not self.anonymous_writes:
            raise ApiError(401, "not_authenticated", not_authenticated_message())
        return AnonymousUser()

    def _token_user(self, request: HttpRequest, header: str) -> Any:
        scheme, _sep, raw = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise ApiError(401, "invalid_token", _("Send the token as “Authorization: Bearer <token>”."))
        token = ApiToken.authenticate(raw.strip(), data_version=getattr(request, "_corridor_data_version", None))
        if token is None:
            raise ApiError(401, "invalid_token", _("The API token is unknown, expired or revoked."))
        request.api_token = token  # type: ignore[attr-defined]
        # Code that reads request.user (templates, logging) sees the token's user too.
        request.user = token.user
        return token.user


corridor_auth = CorridorAuth()
# Only for operations that must work before one has an account's token (POST /auth/token).
corridor_auth_open = CorridorAuth(anonymous_writes=True)
