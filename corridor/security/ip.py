"""The client's address, the same for the lockout, the rate limits and the audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind CORRIDOR_TRUSTED_PROXIES reverse proxies the address the outermost
    trusted proxy saw (counted from the right of X-Forwarded-For, which clients can prepend to)."""
    proxies = getattr(settings, "CORRIDOR_TRUSTED_PROXIES", 0)
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR") or "")


def axes_client_ip(request: HttpRequest, *args: Any) -> str:
    return client_ip(request)
