"""URLs under /api/v1/: the NinjaAPI's operations, with JSON answers for 404 and 405 as well."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import path, re_path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from corridor.api.answers import cached_answers
from corridor.api.api import api
from corridor.api.errors import error_response

patterns, _ninja_app_name, namespace = api.urls
app_name = namespace  # "api": reverse("api:resource_detail", args=[…])


def _json_405(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Ninja answers an unsupported method with a plain-text 405; give it the API's error shape."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = error_response(
                405, _("Method {method} is not allowed here (allowed: {allowed}).").format(method=request.method, allowed=allowed),
                "method_not_allowed",
            )
            response["Allow"] = allowed
        return response

    return wrapper


# The schema and the docs are read-only: GET and HEAD only (a POST answers 405 like any other method not served).
READ_ONLY = ("openapi-json", "openapi-view")
# The hot reads whose whole answers are kept per user and data version (corridor.api.answers).
CACHED_ANSWERS = frozenset(
    {
        "resource_list", "resource_detail", "demand_list", "demand_detail",
        "demand_matches", "demand_managers", "resource_matches", "search",
    }
)

for pattern in patterns:
    callback = getattr(pattern, "callback", None)
    if callback is not None:
        if getattr(pattern, "name", None) in READ_ONLY:
            callback = require_safe(callback)
        if getattr(pattern, "name", None) in CACHED_ANSWERS:
            callback = cached_answers(callback)
        pattern.callback = _json_405(callback)  # type: ignore[union-attr]  # only URLPatterns have one


def index(request: HttpRequest) -> HttpResponse:
    """``/api/v1/``: where the schema and the docs are."""
    return JsonResponse(
        {"title": api.title, "version": api.version, "openapi": reverse("api:openapi-json"), "docs": reverse("api:openapi-view")}
    )


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error_response(404, _("No such API endpoint: {path}").format(path=request.path), "no_endpoint")


not_found.csrf_exempt = True  # type: ignore[attr-defined]

# Ninja's own root view answers with an HTML 404; ours (same name) says where to look.
urlpatterns = [
    path("", _json_405(require_safe(index)), name="api-root"),  # ninja finds the API's root path by this name
    *(p for p in patterns if getattr(p, "name", None) != "api-root"),
    re_path(r"^(?P<rest>.*)$", not_found),
]
