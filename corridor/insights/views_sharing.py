"""Pages of the agreements half: the benefit-sharing calculator, saved agreements and the barriers register."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from corridor.core.generic import (
    Column,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    form_data,
)
from corridor.core.permissions import ADD, CHANGE, DELETE, VIEW, can, is_operator
from corridor.insights import export_sharing, selectors_sharing, services, sharing
from corridor.insights.choices import SharingRule
from corridor.insights.filtersets import AgreementFilterSet, BarrierFilterSet
from corridor.insights.forms import BarrierForm, CalculatorForm, CompareForm
from corridor.insights.models import Agreement, Barrier
from corridor.lists.models import CooperationItem
from corridor.orgs.models import Organization
from corridor.regions.models import City
from corridor.regions.selectors import resolve_city

# Agreements ----------------------------------------------------------------------------------------


class AgreementListView(ObjectListView):
    model = Agreement
    url_prefix = "agreement"
    queryset = Agreement.objects.select_related("cooperation", "created_by")
    filterset_class = AgreementFilterSet
    hidden_filters = ("cooperation",)
    columns = (
        Column("title", linkify=True, order_by="title"),
        Column("version", order_by="version"),
        Column("cooperation", order_by="cooperation__title"),
        Column("rule", order_by="rule"),
        Column("created", template="generic/cells/datetime.html", order_by="created"),
    )
    default_sort = "-created"

    template_name = "insights/agreement_list.html"

    def allowed(self, action: str, obj: Any = None) -> bool:
        # Agreements are added from a cooperation item's calculator, not from the list.
        return False if action == ADD else super().allowed(action, obj)

    def extra_context(self, context: dict[str, Any]) -> dict[str, Any]:
        """The cooperation items whose calculator the user may save from (their parties' items; for operators, cross-city items)."""
        user = self.request.user
        if not user.is_authenticated:
            return {"calculator_items": []}
        items = CooperationItem.objects.restrict(user, CHANGE)
        if is_operator(user):
            items = items.filter(rd_production_split=True)
        return {"calculator_items": list(items.order_by("-updated", "-pk")[:12])}


MAX_COALITION_ROWS = 64


def working_display(result: dict[str, Any] | None) -> dict[str, Any] | None:
    """The working of ``result`` (as stored) arranged for the page: names instead of party indexes."""
    if not result:
        return None
    names = [p["name"] for p in result["parties"]]
    working = result.get("working", {})
    weighted = working.get("weighted", [])
    show: dict[str, Any] = {
        "rule": result.get("rule"),
        "rule_label": dict(SharingRule.choices).get(result.get("rule", ""), result.get("rule")),
        "parties": [
            {**p, "proportional_pct": None if p.get("proportional_share") is None else 100 * p["proportional_share"]}
            for p in result["parties"]
        ],
        "weighted": [
            {"name": names[i], "values": [row.get(k) for k in sharing.CONTRIBUTION_KINDS], "total": row.get("total")}
            for i, row in enumerate(weighted)
        ],
        "steps": working.get("steps", []),
    }
    if result.get("rule") == "shapley":
        coalitions = working.get("coalitions", [])
        show["coalitions"] = [
            {"members": "、".join(names[i] for i in members) or "∅", "size": len(members), "value": value}
            for members, value in coalitions[:MAX_COALITION_ROWS]
        ]
        show["coalitions_total"] = len(coalitions)
        show["sizes"] = list(range(len(names)))
        show["marginals"] = [
            {
                "name": names[i],
                "by_size": working.get("marginals", [])[i],
                "phi": working.get("shapley", [])[i],
                "share": result["parties"][i]["share_pct"],
                "sides": working.get("sides", [])[i] if i < len(working.get("sides", [])) else {},
            }
            for i in range(len(names))
        ]
        show["grand_value"] = working.get("grand_value")
        show["n"] = len(names)
    return show


def _visible_item(request: HttpRequest, pk: int) -> CooperationItem:
    item = CooperationItem.objects.restrict(request.user, VIEW).filter(pk=pk).first()
    if item is None:
        raise Http404(_("No such {thing}.").format(thing=CooperationItem._meta.verbose_name))
    return item


def _organizations(inputs: dict[str, Any], item: CooperationItem) -> list[Organization]:
    ids = [p.get("organization") for p in inputs.get("parties") or []]
    found = Organization.objects.select_related("city").in_bulk([i for i in ids if isinstance(i, int)])
    orgs = [found[i] for i in ids if i in found]
    return orgs or [p.organization for p in item.parties.select_related("organization__city")]


class CalculatorView(View):
    """The calculator of one cooperation item: htmx recomputes the working as the form changes; Save stores a new version."""

    template_name = "insights/agreement_calculator.html"
    working_template = "insights/agreement_working.html"

    def setup_item(self, request: HttpRequest, pk: int) -> tuple[CooperationItem, list[Organization]]:
        item = _visible_item(request, pk)
        inputs = services.default_inputs(item)
        return item, _organizations(inputs, item)

    def context(self, item: CooperationItem, form: CalculatorForm, result: dict[str, Any] | None) -> dict[str, Any]:
        versions = list(Agreement.objects.filter(cooperation=item).order_by("-version"))
        return {
            "item": item,
            "form": form,
            "result": result,
            "show": working_display(result),
            "kinds": [sharing.CONTRIBUTION_LABELS[k] for k in sharing.CONTRIBUTION_KINDS],
            "weights": [(sharing.CONTRIBUTION_LABELS[k], sharing.WEIGHTS[k]) for k in sharing.CONTRIBUTION_KINDS],
            "versions": versions,
            "can_save": can(self.request.user, CHANGE, item),
            "max_shapley": sharing.MAX_SHAPLEY_PARTIES,
        }

    def compute(self, form: CalculatorForm) -> dict[str, Any] | None:
        if not form.is_valid():
            return None
        try:
            result, _inputs = services.agreement_calculate(form.inputs())
        except ValidationError as exc:
            form.apply_error(exc)
            return None
        return result

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item, orgs = self.setup_item(request, pk)
        inputs = services.default_inputs(item)
        form = CalculatorForm(initial=CalculatorForm.initial_from(inputs), organizations=orgs, user=request.user)
        # The first working comes from the initial values, computed like a submitted form.
        data = {k: ("on" if v is True else "" if v is None else v) for k, v in form.initial.items() if v is not False}
        probe = CalculatorForm(data=data, organizations=orgs, user=request.user)
        result = self.compute(probe)
        context = self.context(item, form, result)
        context["errors"] = [] if result is not None else [e for errors in probe.errors.values() for e in errors]
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item, orgs = self.setup_item(request, pk)
        form = CalculatorForm(request.POST, organizations=orgs, user=request.user)
        htmx = getattr(request, "htmx", None)
        # htmx recomputes only: it repeats the last clicked submit button's name, so "save" alone does not mean Save.
        if "save" not in request.POST or htmx:
            result = self.compute(form)
            context = self.context(item, form, result)
            context["errors"] = [e for errors in form.errors.values() for e in errors] if result is None else []
            return render(request, self.working_template if htmx else self.template_name, context, status=200 if result is not None else 400)
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if not can(request.user, CHANGE, item):
            raise PermissionDenied(_("Only members of the cooperation's parties and operators may save its agreement."))
        result = self.compute(form)
        if result is not None:
            try:
                agreement = services.agreement_save(
                    user=request.user,
                    cooperation=item,
                    inputs=form.inputs(),
                    title=form.cleaned_data.get("title") or "",
                    note=form.cleaned_data.get("note") or "",
                    source="web",
                )
            except ValidationError as exc:
                form.apply_error(exc)
            else:
                messages.success(request, _("Saved version {version} of the agreement.").format(version=agreement.version))
                return HttpResponseRedirect(agreement.get_absolute_url())
        context = self.context(item, form, None)
        context["errors"] = [e for errors in form.errors.values() for e in errors]
        return render(request, self.template_name, context, status=400)


class AgreementDetailView(ObjectDetailView):
    model = Agreement
    url_prefix = "agreement"
    template_name = "insights/agreement_detail.html"
    queryset = Agreement.objects.select_related("cooperation", "created_by")

    def extra_context(self, obj: Any) -> dict[str, Any]:
        versions = list(Agreement.objects.filter(cooperation=obj.cooperation).order_by("-version"))
        latest = versions[0].version if versions else obj.version
        orgs = Organization.objects.in_bulk([p.get("key") for p in obj.result.get("parties", []) if isinstance(p.get("key"), int)])
        inputs = {p["organization"]: p for p in obj.inputs.get("parties", [])}
        return {
            "result": obj.result,
            "show": working_display(obj.result),
            "weights": [(sharing.CONTRIBUTION_LABELS[k], sharing.WEIGHTS[k]) for k in sharing.CONTRIBUTION_KINDS],
            "item": obj.cooperation,
            "versions": versions,
            "is_latest": obj.version == latest,
            "party_inputs": [(orgs.get(p.get("key")), inputs.get(p.get("key"), {})) for p in obj.result.get("parties", [])],
            "kinds": [sharing.CONTRIBUTION_LABELS[k] for k in sharing.CONTRIBUTION_KINDS],
            "kind_keys": sharing.CONTRIBUTION_KINDS,
            "can_change": False,  # versions are read-only; a change is a new version from the calculator
            "can_delete": False,
            "can_new_version": can(self.request.user, CHANGE, obj.cooperation),
        }


class AgreementExportView(View):
    def get(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        agreement = Agreement.objects.restrict(request.user, VIEW).select_related("cooperation").filter(pk=pk).first()
        if agreement is None:
            raise Http404(_("No such {thing}.").format(thing=Agreement._meta.verbose_name))
        if fmt == "xlsx":
            return export_sharing.xlsx_response(agreement)
        if fmt == "pdf":
            return export_sharing.pdf_response(agreement)
        raise Http404(_("Unknown format."))


# Barriers ------------------------------------------------------------------------------------------


BARRIER_OPERATOR_ONLY = frozenset({ADD, CHANGE, DELETE})


class BarrierListView(ObjectListView):
    model = Barrier
    operator_only = BARRIER_OPERATOR_ONLY
    template_name = "insights/barrier_list.html"
    queryset = Barrier.objects.select_related("city").annotate()
    filterset_class = BarrierFilterSet
    columns = (
        Column("title", linkify=True, order_by="title"),
        Column("city", order_by="city__code"),
        Column("category", order_by="category"),
        Column("status", template="generic/cells/badge.html", order_by="status"),
        Column("effective_date", order_by="effective_date"),
        Column("source_name", label=gettext_lazy("source")),
    )


class BarrierDetailView(ObjectDetailView):
    model = Barrier
    operator_only = BARRIER_OPERATOR_ONLY
    template_name = "insights/barrier_detail.html"
    queryset = Barrier.objects.select_related("city")

    def extra_context(self, obj: Any) -> dict[str, Any]:
        from corridor.brokers.models import Case

        cases = Case.objects.restrict(self.request.user, VIEW).filter(barriers=obj).select_related("city")[:50]
        cited = next((c for c in selectors_sharing.cited_barriers(limit=1000, city=obj.city) if c.barrier.pk == obj.pk), None)
        return {"cases": cases, "cited_count": cited.count if cited else 0}


class BarrierEditView(ObjectEditView):
    model = Barrier
    operator_only = BARRIER_OPERATOR_ONLY
    queryset = Barrier.objects.all()

    form_class = BarrierForm

    def create(self, form: Any, formsets: dict[str, Any]) -> Any:
        return services.barrier_create(user=self.request.user, data=form_data(form))

    def update(self, obj: Any, form: Any, formsets: dict[str, Any]) -> Any:
        return services.barrier_update(obj, user=self.request.user, data=form_data(form))


class BarrierDeleteView(ObjectDeleteView):
    model = Barrier
    operator_only = BARRIER_OPERATOR_ONLY

    def perform_delete(self, obj: Any) -> None:
        services.barrier_delete(obj, user=self.request.user)


def _city_or_none(value: str | None) -> City | None:
    return resolve_city(value) if value else None


def barrier_compare(request: HttpRequest) -> HttpResponse:
    """Two cities side by side, category by category, with the differences highlighted."""
    left = _city_or_none(request.GET.get("left"))
    right = _city_or_none(request.GET.get("right"))
    # Cities arrive as ids, GB/T 2260 codes or names; the form shows the resolved ones (errors only when one is unknown).
    form = CompareForm(initial={"left": getattr(left, "pk", None), "right": getattr(right, "pk", None)}, user=request.user)
    rows = selectors_sharing.compare_cities(left, right) if left is not None and right is not None else []
    status = 200
    if request.GET and (left is None or right is None):
        status = 400
        form = CompareForm(request.GET, user=request.user)
        form.is_valid()
    return render(
        request,
        "insights/barrier_compare.html",
        {"form": form, "left": left, "right": right, "rows": rows, "differences": sum(1 for r in rows if r.differs)},
        status=status,
    )


def barrier_cited(request: HttpRequest) -> HttpResponse:
    city = _city_or_none(request.GET.get("city"))
    return render(request, "insights/barrier_cited.html", {"rows": selectors_sharing.cited_barriers(limit=30, city=city), "city": city})

