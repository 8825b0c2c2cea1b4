"""``/api/v1/auth``: exchange a username and password for an API token, revoke it, and say who is asking."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from corridor.api import services
from corridor.api.auth import ApiRequest, corridor_auth_open
from corridor.api.crud import InSchema
from corridor.api.errors import ERRORS, ApiError, not_authenticated_message
from corridor.orgs.models import Organization

router = Router(tags=["auth"])


class TokenIn(InSchema):
    username: str = Field(..., max_length=150)
    password: str = Field(..., max_length=4096)
    name: str = Field("", max_length=100, description="Optional label to tell your tokens apart.")


class TokenOut(Schema):
    token: str = Field(description="Send as “Authorization: Bearer <token>”. Shown only once.")
    expires: Any
    prefix: str


class OrganizationMembership(Schema):
    id: int
    name: str


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    is_operator: bool
    is_technology_manager: bool
    is_reviewer: bool
    organizations: list[OrganizationMembership]
    auth: str = Field(description="token or session")
    token_expires: Any = None


def _require_account(request: ApiRequest) -> Any:
    user = request.auth
    if not user.is_authenticated:
        raise ApiError(401, "not_authenticated", not_authenticated_message())
    return user


@router.post("/token", response={201: TokenOut, **ERRORS}, auth=corridor_auth_open, url_name="auth_token")
def issue_token(request: ApiRequest, payload: TokenIn) -> Any:
    """Exchange a username and password for a new API token."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise ApiError(401, "invalid_credentials", _("Wrong username or password."))
    token, raw = services.token_issue(user=user, name=payload.name)
    return 201, {"token": raw, "expires": token.expires, "prefix": token.prefix}


@router.delete("/token", response={204: None, **ERRORS}, url_name="auth_token")
def revoke_token(request: ApiRequest) -> Any:
    """Revoke the token this request was made with."""
    user = _require_account(request)
    token = getattr(request, "api_token", None)
    if token is None:
        raise ApiError(400, "no_token", _("This request was not made with an API token, so there is none to revoke."))
    services.token_revoke(token, user=user)
    return 204, None


@router.get("/me", response={200: MeOut, **ERRORS}, url_name="auth_me")
def me(request: ApiRequest) -> Any:
    """The account making the request, its roles and the organisations it acts for."""
    user = _require_account(request)
    token = getattr(request, "api_token", None)
    orgs = Organization.objects.filter(memberships__user=user).only("id", "name").order_by("name")
    return {
        "id": user.pk,
        "username": user.get_username(),
        "display_name": str(user),
        "is_operator": user.is_operator,
        "is_technology_manager": user.is_technology_manager,
        "is_reviewer": user.is_reviewer,
        "organizations": list(orgs),
        "auth": "token" if token is not None else "session",
        "token_expires": token.expires if token is not None else None,
    }
