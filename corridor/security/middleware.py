"""Rate limits on the API and the search/match endpoints, and the audit log of permission denials
and downloads. Cheap on the hot path: two cache operations per limited request, and a database
write only for a 403 or a file download."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from corridor.security import ratelimit
from corridor.security.audit import current_request, record_event
from corridor.security.choices import AuditKind
from corridor.security.ip import client_ip

API_PREFIX = "/api/"
TOKEN_PATH = re.compile(r"^/api/v1/auth/token/?$")
SEARCH_PATHS = re.compile(
    r"^/api/v1/(?:search|demands/[^/]+/matches|resources/[^/]+/matches)/?$"
    r"|^/(?:matching|market)/search/$|^/matching/(?:demands|resources)/[^/]+/$"  # the web search and match pages
)


def _identity(request: HttpRequest) -> str:
    """Who is counted: the API token, else the signed-in account, else the client address."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, raw = header.strip().partition(" ")
    if scheme.lower() == "bearer" and raw.strip():
        return "t:" + hashlib.sha256(raw.strip().encode()).hexdigest()[:24]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u:{user.pk}"
    return "ip:" + client_ip(request)


def _scopes(request: HttpRequest) -> list[tuple[str, str]]:
    path = request.path
    scopes: list[tuple[str, str]] = []
    if path.startswith(API_PREFIX):
        if request.method == "POST" and TOKEN_PATH.match(path):
            scopes.append(("auth_token", "ip:" + client_ip(request)))
        scopes.append(("api", _identity(request)))
    if SEARCH_PATHS.match(path):
        scopes.append(("search", _identity(request)))
    return scopes


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    message = ngettext(
        "Too many requests: please wait %(seconds)d second and try again.",
        "Too many requests: please wait %(seconds)d seconds and try again.",
        retry_after,
    ) % {"seconds": retry_after}
    response: HttpResponse
    if request.path.startswith(API_PREFIX):
        response = JsonResponse({"detail": message, "code": "rate_limited", "fields": {}}, status=429)
    else:
        response = render(request, "security/429.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class SecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if ratelimit.enabled():
            for scope, ident in _scopes(request):
                wait = ratelimit.hit(scope, ident)
                if wait is not None:
                    return too_many_requests(request, wait)
        token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        status = response.status_code
        if status == 403:
            record_event(request, AuditKind.DENIED, status=403, details={})
        elif status == 200 and "attachment" in response.get("Content-Disposition", ""):
            record_event(
                request,
                AuditKind.EXPORT,
                status=200,
                details={"file": response["Content-Disposition"][:300], "type": response.get("Content-Type", "")[:100]},
            )
        return response



