"""Cross-cutting model pieces: time stamps, the change log, and permission-aware querysets."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from corridor.core.permissions import RestrictedQuerySet


class TimestampedModel(models.Model):
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class TrackedModel(TimestampedModel):
    """A model whose create/update/delete is written to the change log by the services that change it."""

    # Field names left out of change records (derived or noisy).
    history_exclude: tuple[str, ...] = ("created", "updated")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True

    def history_snapshot(self) -> dict[str, Any]:
        """The values that the change log compares: concrete fields, plus many-to-many ids once saved."""
        from corridor.core.history import snapshot

        return snapshot(self)


class ChangeAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")


class ChangeRecord(models.Model):
    """One create, update or delete of a tracked object: who, when, through what, which fields."""

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField(db_index=True)
    object = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=300)
    action = models.CharField(_("action"), max_length=10, choices=ChangeAction.choices)
    source = models.CharField(_("source"), max_length=40, blank=True, help_text=_("web, api, import, demo, admin, …"))
    # {"field": [before, after]} for updates; {"field": value} snapshot for create/delete.
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-time"])]
        verbose_name = _("change record")
        verbose_name_plural = _("change records")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"


class DataVersion(models.Model):
    """The data version on SQLite (one row; ``corridor.core.dataversion``). PostgreSQL keeps it in a
    sequence instead, and this table stays empty there."""

    value = models.BigIntegerField()

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return str(self.value)
