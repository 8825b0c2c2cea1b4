"""Whole answers of the hot read endpoints, kept per user and data version.

A list, a detail, a search or a matches answer depends on the path and query, on who asks and in
which language, and on the database's content. The answer cache keys an answer by exactly these:
``(data version, user, language, full path)``, where the data version
(:mod:`corridor.core.dataversion`) changes with every write. So a user never gets an answer computed
for someone else (confidential demand details stay with those who may see them), and never one
computed before a change. Entries also expire after ``CORRIDOR["ANSWER_CACHE_SECONDS"]`` (answers
that depend on the clock, e.g. a deadline passing, are at most that old); 0 turns the cache off.

The check runs before ninja's operation: one query for the data version, then authentication (the
same :class:`CorridorAuth`, so a revoked or expired token is refused even when its answer is cached;
the operation reuses the result; a token found valid is itself remembered for the data version, see
``ApiToken.authenticate``), then the cache. Rate limits and the audit log are in
the middleware and see every request, cached or not. Only GET answers with status 200 are kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from corridor.api.errors import ApiError
from corridor.core import dataversion

__all__ = ["CACHE", "cached_answers"]

CACHE = "answers"
HEADER = "X-Corridor-Answer"


def _seconds() -> int:
    return int(settings.CORRIDOR.get("ANSWER_CACHE_SECONDS", 0))


def _key(version: int, user: Any, request: HttpRequest) -> str:
    who = f"u{user.pk}" if getattr(user, "is_authenticated", False) else "anon"
    raw = f"{version}|{who}|{translation.get_language()}|{request.get_full_path()}"
    return "answer:" + hashlib.blake2b(raw.encode(), digest_size=20).hexdigest()


def cached_answers(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a ninja path view (all methods of one path) with the answer cache for its GETs."""
    from corridor.api.auth import corridor_auth

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = _seconds()
        if request.method != "GET" or seconds <= 0:
            return view(request, *args, **kwargs)
        version = dataversion.current()
        if version is None:
            return view(request, *args, **kwargs)
        try:
            user = corridor_auth.authenticate_once(request, data_version=version)
        except ApiError:
            return view(request, *args, **kwargs)  # the operation answers the bad token itself
        cache = caches[CACHE]
        key = _key(version, user, request)
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
            response[HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.has_header("Content-Disposition"):
            cache.set(key, (response.content, response["Content-Type"]), seconds)
            response[HEADER] = "miss"
        return response

    return wrapper
