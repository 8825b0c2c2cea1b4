"""Admin for operators: the hidden-barriers register, and saved agreements to read (versions are never edited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from corridor.core.admin import TrackedModelAdmin
from corridor.insights.models import Agreement, Barrier


@admin.register(Barrier)
class BarrierAdmin(TrackedModelAdmin):
    list_display = ("title", "city", "category", "status", "effective_date")
    list_filter = ("category", "status", "city")
    search_fields = ("title", "description", "source_name")
    autocomplete_fields = ("cases",)


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("title", "version", "cooperation", "rule", "created")
    list_filter = ("rule",)
    search_fields = ("title", "cooperation__title")
    readonly_fields = ("cooperation", "version", "title", "rule", "licence_income", "note", "inputs", "result", "created_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
