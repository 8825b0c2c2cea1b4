"""Admin for operators: people with their roles and memberships, and organisations."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from corridor.core.admin import TrackedModelAdmin
from corridor.orgs.models import Membership, Organization, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ("organization",)
    readonly_fields = ("joined",)


class OrganizationMembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)
    readonly_fields = ("joined",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = (MembershipInline,)
    list_display = ("username", "display_name", "email", "is_staff", "is_technology_manager", "is_reviewer", "is_active")
    list_filter = ("is_staff", "is_technology_manager", "is_reviewer", "is_active", "is_demo")
    search_fields = ("username", "display_name", "email", "first_name", "last_name")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),  # typed Optional by the stubs; Django's UserAdmin sets it
        (_("Corridor roles"), {"fields": ("display_name", "phone", "is_technology_manager", "is_reviewer", "is_demo")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Corridor roles"), {"fields": ("display_name", "is_technology_manager", "is_reviewer")}),
    )


@admin.register(Organization)
class OrganizationAdmin(TrackedModelAdmin):
    inlines = (OrganizationMembershipInline,)
    list_display = ("name", "type", "city", "credit_code", "size", "is_demo", "updated")
    list_filter = ("type", "size", "city__province", "is_demo")
    search_fields = ("name", "name_en", "credit_code")
    autocomplete_fields = ("industries",)
    list_select_related = ("city",)
