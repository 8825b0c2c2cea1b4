"""Organisation pages, built from the generic views in corridor.core.generic."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from corridor.core.generic import (
    Column,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    form_data,
)
from corridor.core.permissions import ADD, DELETE, VIEW
from corridor.orgs import services
from corridor.orgs.filtersets import OrganizationFilterSet
from corridor.orgs.forms import OrganizationForm
from corridor.orgs.models import Organization

# The organisation services let only operators register and remove organisations.
ORGANIZATION_OPERATOR_ONLY = frozenset({ADD, DELETE})


class OrganizationListView(ObjectListView):
    model = Organization
    operator_only = ORGANIZATION_OPERATOR_ONLY
    queryset = Organization.objects.select_related("city")
    filterset_class = OrganizationFilterSet
    columns = (
        Column("name", linkify=True, order_by="name"),
        Column("type", order_by="type"),
        Column("city", order_by="city__code"),
        Column("size", order_by="size"),
        Column("credit_code", css="font-monospace small"),
        Column("updated", template="generic/cells/datetime.html", order_by="updated"),
    )


class OrganizationDetailView(ObjectDetailView):
    model = Organization
    operator_only = ORGANIZATION_OPERATOR_ONLY
    queryset = Organization.objects.select_related("city")
    template_name = "orgs/organization_detail.html"

    def extra_context(self, obj: Organization) -> dict[str, Any]:
        from corridor.lists.models import CooperationItem, Demand, Resource

        user = self.request.user
        return {
            "industries": obj.industries.all(),
            "members": obj.memberships.select_related("user") if self.can_see_members(obj) else None,
            "resources": Resource.objects.restrict(user, VIEW).filter(owner=obj).select_related("city")[:20],
            "demands": Demand.objects.restrict(user, VIEW).filter(owner=obj).select_related("city")[:20],
            "cooperation": CooperationItem.objects.restrict(user, VIEW)
            .filter(parties__organization=obj)
            .annotate(n_parties=Count("parties"))[:20],
        }

    def can_see_members(self, obj: Organization) -> bool:
        from corridor.core.permissions import CHANGE, can

        return can(self.request.user, CHANGE, obj)


class OrganizationEditView(ObjectEditView):
    model = Organization
    operator_only = ORGANIZATION_OPERATOR_ONLY
    form_class = OrganizationForm

    def create(self, form: OrganizationForm, formsets: dict[str, Any]) -> Organization:
        return services.organization_create(user=self.request.user, data=form_data(form))

    def update(self, obj: Organization, form: OrganizationForm, formsets: dict[str, Any]) -> Organization:
        return services.organization_update(obj, user=self.request.user, data=form_data(form))


class OrganizationDeleteView(ObjectDeleteView):
    model = Organization
    operator_only = ORGANIZATION_OPERATOR_ONLY

    def perform_delete(self, obj: Organization) -> None:
        services.organization_delete(obj, user=self.request.user)
