"""Receivers that write the audit log: log-ins, failures, lockouts, log-outs, role and membership
changes, API tokens. Each writes one row; none reads the database."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from corridor.api.models import ApiToken
from corridor.orgs.models import Membership
from corridor.security.audit import record_event
from corridor.security.choices import AuditKind

User = get_user_model()
ROLE_FIELDS = ("is_staff", "is_superuser", "is_technology_manager", "is_reviewer", "is_active")


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_event(request, AuditKind.LOGIN, user=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_event(request, AuditKind.LOGOUT, user=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    # Django masks the password in ``credentials``; keep only the username.
    record_event(request, AuditKind.LOGIN_FAILED, username=str(credentials.get("username", "")), details={})


@receiver(user_locked_out, dispatch_uid="audit_lockout")
def _locked_out(sender: Any, request: Any, username: str | None = None, ip_address: str | None = None, **kwargs: Any) -> None:
    record_event(request, AuditKind.LOCKOUT, username=username or "", details={"ip_address": ip_address or ""})


@receiver(post_init, sender=User, dispatch_uid="audit_roles_snapshot")
def _roles_snapshot(sender: Any, instance: Any, **kwargs: Any) -> None:
    # In memory only: the roles as loaded, to compare with on save (no extra query).
    instance._audit_roles = {f: getattr(instance, f, None) for f in ROLE_FIELDS}


@receiver(post_save, sender=User, dispatch_uid="audit_role_change")
def _role_change(sender: Any, instance: Any, created: bool, update_fields: Any = None, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    if update_fields is not None and not set(update_fields) & set(ROLE_FIELDS):
        return  # e.g. last_login at every log-in
    before = getattr(instance, "_audit_roles", {})
    after = {f: getattr(instance, f, None) for f in ROLE_FIELDS}
    if created:  # a new account with a role is a role granted
        changed = {f: [None, True] for f in ROLE_FIELDS if f != "is_active" and after[f]}
    else:
        changed = {f: [before.get(f), after[f]] for f in ROLE_FIELDS if before.get(f) != after[f]}
    instance._audit_roles = after
    if changed:
        record_event(None, AuditKind.ROLE_CHANGE, details={"account": instance.get_username(), "created": created, "changes": changed})


@receiver(post_save, sender=Membership, dispatch_uid="audit_membership_added")
def _membership_added(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        record_event(None, AuditKind.MEMBERSHIP, details={"action": "added", "account_id": instance.user_id, "organization_id": instance.organization_id})


@receiver(post_delete, sender=Membership, dispatch_uid="audit_membership_removed")
def _membership_removed(sender: Any, instance: Any, **kwargs: Any) -> None:
    record_event(None, AuditKind.MEMBERSHIP, details={"action": "removed", "account_id": instance.user_id, "organization_id": instance.organization_id})


@receiver(post_save, sender=ApiToken, dispatch_uid="audit_token")
def _token_saved(sender: Any, instance: Any, created: bool, update_fields: Any = None, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    details = {"token_id": instance.pk, "prefix": instance.prefix, "account_id": instance.user_id, "name": instance.name}
    if created:
        record_event(None, AuditKind.TOKEN_CREATED, details={**details, "expires": instance.expires.isoformat()})
    elif instance.revoked is not None and (update_fields is None or "revoked" in update_fields):
        record_event(None, AuditKind.TOKEN_REVOKED, details=details)
