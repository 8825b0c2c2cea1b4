"""Object-level permissions in one place, used by the web UI and the JSON API alike.

Every tracked model says who owns a row through ``owner_lookup`` (a query path ending at
``orgs.Organization``) and what anyone may see through ``public_q()``. From these two,
``RestrictedQuerySet.restrict(user, action)`` answers for lists and ``can(user, action, obj)``
for single objects:

- operators (platform staff) may do everything;
- members of an owning organisation may view, change and delete its rows;
- everybody, anonymous included, may view public rows;
- creating needs an account that acts for at least one organisation (or an operator).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from corridor.orgs.models import User

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ACTIONS = (VIEW, ADD, CHANGE, DELETE)


def is_operator(user: User | AnonymousUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and getattr(user, "is_operator", False))


def member_org_ids(user: User | AnonymousUser | None) -> set[int]:
    """Ids of the organisations the user acts for (cached on the user object for one request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    cached = getattr(user, "_corridor_org_ids", None)
    if cached is None:
        cached = set(user.memberships.values_list("organization_id", flat=True))
        # A per-request cache stored on the user object, not a declared attribute of User.
        user._corridor_org_ids = cached  # type: ignore[attr-defined]
    return set(cached)


def owner_q(model: type[models.Model], org_ids: set[int]) -> Q:
    lookup = getattr(model, "owner_lookup", None)
    if not lookup or not org_ids:
        return Q(pk__in=[])
    return Q(**{f"{lookup}__in": org_ids})


def public_q(model: type[models.Model]) -> Q:
    fn = getattr(model, "public_q", None)
    # Without public_q every row is public (as in can()). An empty Q() would vanish when OR-ed
    # with the owner condition, leaving only owned rows visible.
    return fn() if fn is not None else Q(pk__isnull=False)


_M = TypeVar("_M", bound=models.Model)


class RestrictedQuerySet(models.QuerySet[_M, _M]):
    def restrict(self, user: Any, action: str = VIEW) -> Self:
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        if is_operator(user):
            return self
        org_ids = member_org_ids(user)
        if action == VIEW:
            q = public_q(self.model) | owner_q(self.model, org_ids)
        else:
            q = owner_q(self.model, org_ids)
        qs = self.filter(q)
        # Owner lookups through many-valued relations (cooperation parties) can repeat rows.
        if "__" in (getattr(self.model, "owner_lookup", "") or ""):
            qs = qs.distinct()
        return qs


def restrict(qs: models.QuerySet[_M, _M], user: Any, action: str = VIEW) -> RestrictedQuerySet[_M]:
    """``qs.restrict(user, action)`` for a queryset typed as a plain ``QuerySet`` (generic views, specs)."""
    if not isinstance(qs, RestrictedQuerySet):
        raise TypeError(f"{qs.model.__name__} has no permission-aware queryset")
    return qs.restrict(user, action)


def can(user: Any, action: str, obj: models.Model | None = None, model: type[models.Model] | None = None) -> bool:
    """Whether ``user`` may perform ``action`` on ``obj`` (or, for ADD, on ``model``)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if user is None or not user.is_authenticated:
        if action != VIEW or obj is None:
            return False
    if is_operator(user):
        return True
    if action == ADD:
        return bool(member_org_ids(user))
    if obj is None:
        return False
    owned = obj.owned_by(member_org_ids(user)) if hasattr(obj, "owned_by") else False
    if action == VIEW:
        return owned or (obj.is_public() if hasattr(obj, "is_public") else True)
    return owned
