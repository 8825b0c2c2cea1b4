"""Admin for operators: manager profiles, consortia with their members, goals and outputs, and cases to read.

Cases are read-only here: their stages, assignment, activities and documents change only through
the services (the case page and the API), which enforce the stage rules and write the stage rows.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from corridor.brokers.models import (
    Case,
    CaseActivity,
    CaseDocument,
    CaseParty,
    CaseStageChange,
    Consortium,
    ConsortiumGoal,
    ConsortiumMember,
    ConsortiumOutput,
    TechnologyManager,
)
from corridor.core.admin import TrackedModelAdmin


@admin.register(TechnologyManager)
class TechnologyManagerAdmin(TrackedModelAdmin):
    list_display = ("user", "city", "organization", "certification_level", "years_of_practice", "active")
    list_filter = ("active", "certification_level", "city")
    search_fields = ("user__username", "user__display_name", "expertise")
    autocomplete_fields = ("user", "city", "covered_cities", "organization", "industries")
    list_select_related = ("user", "city", "organization")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CasePartyInline(ReadOnlyInline):
    model = CaseParty


class CaseStageChangeInline(ReadOnlyInline):
    model = CaseStageChange
    fields = ("at", "kind", "from_stage", "to_stage", "by", "note")


class CaseActivityInline(ReadOnlyInline):
    model = CaseActivity
    fields = ("occurred_on", "kind", "title", "by")


class CaseDocumentInline(ReadOnlyInline):
    model = CaseDocument
    fields = ("uploaded_at", "kind", "title", "uploaded_by")


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("title", "stage", "lead_manager", "city", "rd_city", "production_city", "contract_value", "last_activity_at")
    list_filter = ("stage", "city", "is_demo")
    search_fields = ("title", "description")
    list_select_related = ("lead_manager__user", "city", "rd_city", "production_city")
    inlines = (CasePartyInline, CaseStageChangeInline, CaseActivityInline, CaseDocumentInline)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ConsortiumMemberInline(admin.TabularInline):
    model = ConsortiumMember
    extra = 0
    autocomplete_fields = ("organization",)


class ConsortiumGoalInline(admin.StackedInline):
    model = ConsortiumGoal
    extra = 0
    autocomplete_fields = ("demands",)


class ConsortiumOutputInline(admin.StackedInline):
    model = ConsortiumOutput
    extra = 0
    autocomplete_fields = ("credited", "adopters", "city")


@admin.register(Consortium)
class ConsortiumAdmin(TrackedModelAdmin):
    list_display = ("name", "lead", "lead_role", "launched_on", "public")
    list_filter = ("lead_role", "public", "is_demo")
    search_fields = ("name", "name_en", "lead__name")
    autocomplete_fields = ("lead", "industries")
    list_select_related = ("lead",)
    inlines = (ConsortiumMemberInline, ConsortiumGoalInline, ConsortiumOutputInline)
