"""State changes of API tokens: issuing one for a user who proved their password, revoking one."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from corridor.api.models import ApiToken


def token_issue(*, user: Any, name: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user`` (already authenticated by the caller); returns the row and the raw token."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Only active accounts receive API tokens."))
    with transaction.atomic():
        return ApiToken.issue(user, name=name)


def token_revoke(token: ApiToken, *, user: Any) -> ApiToken:
    if user is None or token.user_id != getattr(user, "pk", None):
        raise PermissionDenied(_("You may revoke only your own tokens."))
    with transaction.atomic():
        token.revoke()
    return token
