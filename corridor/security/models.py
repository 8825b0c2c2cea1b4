"""The audit log of security-relevant events: append-only, one row per event, read by operators."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corridor.core.permissions import RestrictedQuerySet
from corridor.security.choices import AuditKind


class AuditEvent(models.Model):
    created = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=20, choices=AuditKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(_("username"), max_length=150, blank=True, help_text=_("As given, also for failed log-ins and deleted accounts."))
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    method = models.CharField(_("method"), max_length=10, blank=True)
    path = models.CharField(_("path"), max_length=500, blank=True)
    status = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    # Nobody but operators may see the log: no owner, no public rows.
    owner_lookup = None
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["kind", "created"], name="audit_kind_created")]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}"

    @staticmethod
    def public_q() -> Q:
        return Q(pk__in=[])
