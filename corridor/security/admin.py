"""The audit log in the admin: read-only for everyone, operators see it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from corridor.security.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created", "kind", "username", "ip", "method", "path", "status")
    list_filter = ("kind", "created")
    search_fields = ("username", "ip", "path")
    date_hierarchy = "created"
    readonly_fields = ("created", "kind", "user", "username", "ip", "user_agent", "method", "path", "status", "details")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
