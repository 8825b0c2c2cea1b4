"""Admin for operators: the three lists with their evidence and parties inline."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from corridor.core.admin import TrackedModelAdmin
from corridor.lists.models import CooperationItem, CooperationParty, Demand, Resource, ResourceEvidence
from corridor.lists.services import PartyInput, rd_production_split, validate_parties


class ResourceEvidenceInline(admin.TabularInline):
    model = ResourceEvidence
    extra = 0


@admin.register(Resource)
class ResourceAdmin(TrackedModelAdmin):
    inlines = (ResourceEvidenceInline,)
    list_display = ("name", "kind", "owner", "city", "status", "public", "updated")
    list_filter = ("kind", "status", "open_to", "public", "city")
    search_fields = ("name", "description", "owner__name")
    autocomplete_fields = ("owner", "industries")
    list_select_related = ("owner", "city")


@admin.register(Demand)
class DemandAdmin(TrackedModelAdmin):
    list_display = ("title", "owner", "city", "status", "confidentiality", "budget_max", "updated")
    list_filter = ("status", "confidentiality", "city")
    search_fields = ("title", "summary", "owner__name")
    autocomplete_fields = ("owner", "industries", "assigned_managers")
    readonly_fields = ("published_at",)
    list_select_related = ("owner", "city")


class CooperationPartyFormSet(BaseInlineFormSet):
    """The admin keeps the service's rule: two or more organisations in different cities."""

    def clean(self) -> None:
        super().clean()
        parties = [
            PartyInput(organization=f.cleaned_data["organization"], role=f.cleaned_data["role"])
            for f in self.forms
            if f.cleaned_data and f.cleaned_data.get("organization") and not f.cleaned_data.get("DELETE")
        ]
        try:
            validate_parties(parties)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc


class CooperationPartyInline(admin.TabularInline):
    model = CooperationParty
    formset = CooperationPartyFormSet
    extra = 2
    autocomplete_fields = ("organization",)


@admin.register(CooperationItem)
class CooperationItemAdmin(TrackedModelAdmin):
    inlines = (CooperationPartyInline,)
    list_display = ("title", "type", "stage", "rd_production_split", "contract_value", "public", "updated")
    list_filter = ("type", "stage", "rd_production_split", "public")
    search_fields = ("title", "description", "parties__organization__name")
    autocomplete_fields = ("demand", "resources", "industries")
    readonly_fields = ("rd_production_split",)

    def after_related(self, request: HttpRequest, obj: Any) -> None:
        # The flag is derived from the parties, which the inline has just saved.
        parties = [PartyInput(organization=p.organization, role=p.role) for p in obj.parties.select_related("organization")]
        split = rd_production_split(parties)
        if split != obj.rd_production_split:
            obj.rd_production_split = split
            obj.save(update_fields=["rd_production_split"])
