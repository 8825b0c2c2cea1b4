"""Helpers shared by the import, export and bench commands."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from corridor.orgs.models import Organization, User
from corridor.transfer.parsers import Lookups


def find_user(username: str | None) -> User:
    """The named user, or the only active superuser when none is named."""
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user “{name}”.").format(name=username))
        return user
    supers = list(User.objects.filter(is_superuser=True, is_active=True)[:2])
    if len(supers) == 1:
        return supers[0]
    raise CommandError(_("Name the user to act as with --user USERNAME."))


def find_organization(value: str | None) -> Organization | None:
    if not value:
        return None
    org = Lookups().organization(value)
    if org is None:
        raise CommandError(_("No organisation with the credit code or exact name “{value}” is registered.").format(value=value))
    return org


def parse_filters(pairs: list[str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise CommandError(_("Filters are written name=value, e.g. city=苏州."))
        key, value = pair.split("=", 1)
        out[key.strip()] = value.strip()
    return out
