"""Write one audit event: a single INSERT, no reads. Called by the receivers in signals.py and by
SecurityMiddleware; a failure to write is logged, never turned into an error for the user."""

from __future__ import annotations

import contextlib
import contextvars
import logging
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest

from corridor.security.ip import client_ip

log = logging.getLogger("corridor.security")

# The request being served, for events raised by model signals (role changes, tokens).
current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar("corridor_request", default=None)


def _nothing() -> contextlib.AbstractContextManager[None]:
    return contextlib.nullcontext()


def _acting_user(request: HttpRequest | None) -> Any:
    user = getattr(request, "user", None) if request is not None else None
    # request.user is lazy; only look at it when the session was already read.
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


def record_event(
    request: HttpRequest | None,
    kind: str,
    *,
    user: Any = None,
    username: str = "",
    status: int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    from corridor.security.models import AuditEvent

    if request is None:
        request = current_request.get()
    if user is None:
        user = _acting_user(request)
    if user is not None and not username:
        username = user.get_username()
    meta = request.META if request is not None else {}
    try:
        # Inside a transaction, a savepoint keeps a failed insert from spoiling the caller's work.
        with transaction.atomic() if connection.in_atomic_block else _nothing():
            AuditEvent.objects.create(
                kind=kind,
                user=user if user is not None and user.pk else None,
                username=str(username or "")[:150],
                ip=client_ip(request)[:45] if request is not None else "",
                user_agent=str(meta.get("HTTP_USER_AGENT", ""))[:300],
                method=(request.method or "")[:10] if request is not None else "",
                path=request.get_full_path()[:500] if request is not None else "",
                status=status,
                details=details or {},
            )
    except Exception:  # the audit log must never break the action it records
        log.exception("could not write the audit event %s", kind)
