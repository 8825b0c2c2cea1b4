"""State changes of organisations and memberships."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from corridor.core.permissions import CHANGE, DELETE, can, is_operator
from corridor.core.services import object_create, object_delete, object_update
from corridor.orgs.models import Membership, Organization, User


def organization_create(*, user: Any, data: Mapping[str, Any], source: str = "web") -> Organization:
    if not is_operator(user):
        raise PermissionDenied(_("Only platform operators register organisations."))
    return object_create(Organization, user=user, data=data, source=source)


def organization_update(org: Organization, *, user: Any, data: Mapping[str, Any], source: str = "web") -> Organization:
    if not can(user, CHANGE, org):
        raise PermissionDenied(_("You may not change this organisation."))
    return object_update(org, user=user, data=data, source=source)


def organization_delete(org: Organization, *, user: Any, source: str = "web") -> None:
    if not can(user, DELETE, org) or not is_operator(user):
        raise PermissionDenied(_("Only platform operators remove organisations."))
    object_delete(org, user=user, source=source)


def membership_add(*, user: Any, member: User, organization: Organization, title: str = "") -> Membership:
    if not is_operator(user):
        raise PermissionDenied(_("Only platform operators change memberships."))
    with transaction.atomic():
        membership, _created = Membership.objects.get_or_create(user=member, organization=organization, defaults={"title": title})
    return membership
