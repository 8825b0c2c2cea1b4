"""Admin for operators: the read-only change log, and a base class that writes it for admin edits."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from corridor.core.history import record_change, snapshot
from corridor.core.models import ChangeAction, ChangeRecord


class TrackedModelAdmin(admin.ModelAdmin):
    """Admin edits of tracked models land in the change log like every other write (source "admin").

    The record is written after the inlines and many-to-many fields are saved, so it sees the
    object as the operator left it.
    """

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = None
        if change and obj.pk is not None:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = snapshot(stored) if stored is not None else None
        request._corridor_before = before  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        self.after_related(request, form.instance)
        before = getattr(request, "_corridor_before", None)
        action = ChangeAction.UPDATE if change else ChangeAction.CREATE
        record_change(form.instance, action, user=request.user, before=before, source="admin")

    def after_related(self, request: HttpRequest, obj: Any) -> None:
        """Hook: recompute derived fields once inlines are saved."""

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            record_change(obj, ChangeAction.DELETE, user=request.user, before=snapshot(obj), source="admin")
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        with transaction.atomic():
            for obj in queryset:
                record_change(obj, ChangeAction.DELETE, user=request.user, before=snapshot(obj), source="admin")
            super().delete_queryset(request, queryset)


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin):
    """The change log is evidence: operators read it, nobody edits or deletes it here."""

    list_display = ("time", "action", "content_type", "object_repr", "user_name", "source")
    list_filter = ("action", "source", "content_type")
    search_fields = ("object_repr", "user_name")
    date_hierarchy = "time"
    readonly_fields = ("time", "user", "user_name", "content_type", "object_id", "object_repr", "action", "source", "changes")
    list_select_related = ("content_type",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
