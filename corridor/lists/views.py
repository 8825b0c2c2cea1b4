"""Pages of the three lists, built from the generic views in corridor.core.generic."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from corridor.core.errors import ConflictError
from corridor.core.generic import (
    Column,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ObjectView,
    form_data,
)
from corridor.core.permissions import CHANGE, VIEW, is_operator, member_org_ids
from corridor.lists import services
from corridor.lists.choices import DEMAND_TRANSITIONS, DemandStatus
from corridor.lists.filtersets import CooperationFilterSet, DemandFilterSet, ResourceFilterSet
from corridor.lists.forms import CooperationForm, DemandForm, EvidenceFormSet, PartyFormSet, ResourceForm
from corridor.lists.models import CooperationItem, Demand, Resource

# Demands whose details are confidential hide these fields (and their history) from outsiders.
DEMAND_CONFIDENTIAL_FIELDS = ("description", "budget_min", "budget_max", "deadline", "trl_desired", "assigned_managers")


# Resources ------------------------------------------------------------------------------------


class ResourceListView(ObjectListView):
    model = Resource
    url_prefix = "resource"
    queryset = Resource.objects.select_related("owner", "city")
    filterset_class = ResourceFilterSet
    columns = (
        Column("name", linkify=True, order_by="name"),
        Column("kind", template="generic/cells/badge.html", order_by="kind"),
        Column("owner", accessor="owner.name", order_by="owner__name"),
        Column("city", order_by="city__code"),
        Column("trl", label=gettext_lazy("TRL"), template="lists/cells/trl.html"),
        Column("status", order_by="status"),
        Column("updated", template="generic/cells/datetime.html", order_by="updated"),
    )


class ResourceDetailView(ObjectDetailView):
    model = Resource
    url_prefix = "resource"
    queryset = Resource.objects.select_related("owner", "city")
    template_name = "lists/resource_detail.html"

    def extra_context(self, obj: Resource) -> dict[str, Any]:
        return {"industries": obj.industries.all(), "evidence": obj.evidence.all()}


class ResourceEditView(ObjectEditView):
    model = Resource
    url_prefix = "resource"
    form_class = ResourceForm

    def get_formsets(self, obj: Resource | None, data: Any) -> dict[str, Any]:
        initial = (
            [{"kind": e.kind, "title": e.title, "reference": e.reference, "text": e.text, "year": e.year} for e in obj.evidence.all()]
            if obj is not None
            else []
        )
        # Bound formsets get no initial rows: a row equal to its initial value would count as
        # "unchanged" and be dropped from cleaned_data.
        return {"evidence": EvidenceFormSet(data, prefix="evidence", initial=None if data is not None else initial)}

    def create(self, form: ResourceForm, formsets: dict[str, Any]) -> Resource:
        return services.resource_create(
            user=self.request.user, data=form_data(form), evidence=formsets["evidence"].evidence()
        )

    def update(self, obj: Resource, form: ResourceForm, formsets: dict[str, Any]) -> Resource:
        return services.resource_update(
            obj, user=self.request.user, data=form_data(form), evidence=formsets["evidence"].evidence()
        )

    def validation_targets(self, form: Any, formsets: dict[str, Any]) -> dict[str, Any]:
        return {"evidence": formsets["evidence"].service_errors.append}


class ResourceDeleteView(ObjectDeleteView):
    model = Resource
    url_prefix = "resource"

    def perform_delete(self, obj: Resource) -> None:
        services.resource_delete(obj, user=self.request.user)


# Demands --------------------------------------------------------------------------------------


def demand_detail_ids(user: Any, demands: list[Demand]) -> set[int]:
    """Which of ``demands`` the user may read in full (one query at most, instead of one per row)."""
    if is_operator(user):
        return {d.pk for d in demands}
    orgs = member_org_ids(user)
    visible = {d.pk for d in demands if not d.is_confidential or d.owner_id in orgs}
    rest = [d.pk for d in demands if d.pk not in visible]
    if rest and getattr(user, "is_authenticated", False):
        visible |= set(Demand.objects.filter(pk__in=rest, assigned_managers=user).values_list("pk", flat=True))
    return visible


class DemandListView(ObjectListView):
    model = Demand
    url_prefix = "demand"
    queryset = Demand.objects.select_related("owner", "city")
    filterset_class = DemandFilterSet
    columns = (
        Column("title", linkify=True, order_by="title", template="lists/cells/demand_title.html"),
        Column("owner", accessor="owner.name", order_by="owner__name"),
        Column("city", order_by="city__code"),
        Column("status", template="lists/cells/demand_status.html", order_by="status"),
        Column("budget", label=gettext_lazy("budget"), template="lists/cells/demand_budget.html", order_by="budget_max", css="text-end"),
        Column("deadline", template="lists/cells/demand_deadline.html", order_by="deadline"),
        Column("updated", template="generic/cells/datetime.html", order_by="updated"),
    )

    def decorate_rows(self, rows: list[Any]) -> dict[str, Any]:
        return {"details_visible": demand_detail_ids(self.request.user, rows)}


class DemandDetailView(ObjectDetailView):
    model = Demand
    url_prefix = "demand"
    queryset = Demand.objects.select_related("owner", "city")
    template_name = "lists/demand_detail.html"

    def hidden_history_fields(self, obj: Demand) -> tuple[str, ...]:
        return () if obj.details_visible_to(self.request.user) else DEMAND_CONFIDENTIAL_FIELDS

    def extra_context(self, obj: Demand) -> dict[str, Any]:
        from corridor.core.permissions import can

        may_change = can(self.request.user, CHANGE, obj)
        details = obj.details_visible_to(self.request.user)
        return {
            "details_visible": details,
            "industries": obj.industries.all(),
            "managers": obj.assigned_managers.all() if details else (),
            "transitions": [DemandStatus(s) for s in sorted(DEMAND_TRANSITIONS[obj.status])] if may_change else [],
            "cooperation": CooperationItem.objects.restrict(self.request.user, VIEW).filter(demand=obj),
        }


class DemandEditView(ObjectEditView):
    model = Demand
    url_prefix = "demand"
    form_class = DemandForm

    def create(self, form: DemandForm, formsets: dict[str, Any]) -> Demand:
        return services.demand_create(user=self.request.user, data=form_data(form))

    def update(self, obj: Demand, form: DemandForm, formsets: dict[str, Any]) -> Demand:
        data = form_data(form)
        data.pop("status", None)
        return services.demand_update(obj, user=self.request.user, data=data)


class DemandDeleteView(ObjectDeleteView):
    model = Demand
    url_prefix = "demand"

    def perform_delete(self, obj: Demand) -> None:
        services.demand_delete(obj, user=self.request.user)


class DemandTransitionView(ObjectView):
    """POST ``to=<status>``: one step of the demand workflow (buttons on the detail page)."""

    model = Demand
    url_prefix = "demand"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        demand = self.get_object(CHANGE)
        target = request.POST.get("to", "")
        try:
            demand = services.demand_transition(demand, user=request.user, to=target)
        except ValidationError as exc:
            return render(
                request, "generic/conflict.html", {"message": " ".join(exc.messages), "back_url": demand.get_absolute_url()}, status=400
            )
        except ConflictError as exc:
            return render(request, "generic/conflict.html", {"message": exc.message, "back_url": demand.get_absolute_url()}, status=409)
        messages.success(request, _("The demand is now “{status}”.").format(status=demand.get_status_display()))
        return HttpResponseRedirect(demand.get_absolute_url())


# Cooperation items ----------------------------------------------------------------------------


class CooperationListView(ObjectListView):
    model = CooperationItem
    url_prefix = "cooperation"
    queryset = CooperationItem.objects.prefetch_related("parties__organization__city")
    filterset_class = CooperationFilterSet
    columns = (
        Column("title", linkify=True, order_by="title"),
        Column("type", template="generic/cells/badge.html", order_by="type"),
        Column("stage", order_by="stage"),
        Column("parties", label=gettext_lazy("Parties"), template="lists/cells/parties.html"),
        Column("rd_production_split", template="lists/cells/split.html", order_by="rd_production_split"),
        Column("contract_value", template="lists/cells/money.html", order_by="contract_value", css="text-end"),
        Column("updated", template="generic/cells/datetime.html", order_by="updated"),
    )


class CooperationDetailView(ObjectDetailView):
    model = CooperationItem
    url_prefix = "cooperation"
    queryset = CooperationItem.objects.select_related("demand").prefetch_related("parties__organization__city")
    template_name = "lists/cooperation_detail.html"

    def extra_context(self, obj: CooperationItem) -> dict[str, Any]:
        user = self.request.user
        return {
            "industries": obj.industries.all(),
            "resources": obj.resources.restrict(user, VIEW),
            "demand_visible": obj.demand_id is not None
            and Demand.objects.restrict(user, VIEW).filter(pk=obj.demand_id).exists(),
            "parties": obj.parties.all(),
        }


class CooperationEditView(ObjectEditView):
    model = CooperationItem
    url_prefix = "cooperation"
    form_class = CooperationForm

    def get_formsets(self, obj: CooperationItem | None, data: Any) -> dict[str, Any]:
        initial = (
            [{"organization": p.organization_id, "role": p.role} for p in obj.parties.all()] if obj is not None else []
        )
        return {"parties": PartyFormSet(data, prefix="parties", initial=None if data is not None else initial)}

    def validation_targets(self, form: Any, formsets: dict[str, Any]) -> dict[str, Any]:
        return {"parties": formsets["parties"].service_errors.append}

    def create(self, form: CooperationForm, formsets: dict[str, Any]) -> CooperationItem:
        return services.cooperation_create(
            user=self.request.user, data=form_data(form), parties=formsets["parties"].parties()
        )

    def update(self, obj: CooperationItem, form: CooperationForm, formsets: dict[str, Any]) -> CooperationItem:
        return services.cooperation_update(
            obj, user=self.request.user, data=form_data(form), parties=formsets["parties"].parties()
        )


class CooperationDeleteView(ObjectDeleteView):
    model = CooperationItem
    url_prefix = "cooperation"

    def perform_delete(self, obj: CooperationItem) -> None:
        services.cooperation_delete(obj, user=self.request.user)
