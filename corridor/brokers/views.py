"""Pages of the alliance: managers and coverage, cases (detail with every action, board, queue, KPIs), consortia.

Built from the generic views in ``corridor.core.generic``. Case permissions are the ones of
``Case.objects.restrict`` (through ``services.case_can``): operators everything, a case's lead and
helpers change it, members of a party organisation read it. Every write calls a service; a
``ValidationError`` comes back as inline errors (400), a ``ConflictError`` as a 409 with its
message, a ``PermissionDenied`` as a 403.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import BooleanField, Count, Model, Q, QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    QueryDict,
)
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from corridor.brokers import selectors, services
from corridor.brokers.choices import (
    OPEN_STAGES,
    STAGE_CHAIN,
    CasePartyRole,
    CaseStage,
    MemberRole,
    OutputKind,
    next_stage,
)
from corridor.brokers.filtersets import ConsortiumFilterSet, TechnologyManagerFilterSet
from corridor.brokers.forms import (
    ActivityForm,
    AdvanceForm,
    AssignForm,
    CaseWebFilterSet,
    CloseLostForm,
    DocumentForm,
    LinkForm,
    ReopenForm,
)
from corridor.brokers.models import Case, CaseDocument, Consortium, ConsortiumMember, TechnologyManager
from corridor.core.errors import ConflictError
from corridor.core.forms import style_filter_form
from corridor.core.generic import (
    Column,
    HistoryChange,
    HistoryRow,
    NeedsLogin,
    ObjectDetailView,
    ObjectListView,
    ObjectView,
    apply_validation_error,
    history_rows,
)
from corridor.core.history import history_for
from corridor.core.models import ChangeAction
from corridor.core.permissions import CHANGE, VIEW, is_operator
from corridor.core.views import plotly_url
from corridor.lists.models import CooperationItem, Demand
from corridor.orgs.models import Organization

# Technology managers ------------------------------------------------------------------------------


class ManagerListView(ObjectListView):
    model = TechnologyManager
    url_prefix = "manager"
    template_name = "brokers/manager_list.html"
    queryset = (
        TechnologyManager.objects.select_related("user", "city", "organization")
        .prefetch_related("industries")
        .annotate(open_cases=Count("led_cases", filter=Q(led_cases__stage__in=OPEN_STAGES), distinct=True))
        .order_by("user__username")
    )
    filterset_class = TechnologyManagerFilterSet
    columns = (
        Column("user", label=gettext_lazy("technology manager"), linkify=True, order_by="user__display_name"),
        Column("city", order_by="city__code"),
        Column("organization", order_by="organization__name"),
        Column("certification_level", template="generic/cells/badge.html", order_by="certification_level"),
        Column("industries", template="brokers/cells/industries.html"),
        Column("years_of_practice", order_by="years_of_practice", css="text-end"),
        Column("open_cases", label=gettext_lazy("open cases"), order_by="open_cases", css="text-end"),
        Column("active", template="brokers/cells/active.html", order_by="active"),
    )
    default_sort = ""

    def extra_context(self, context: dict[str, Any]) -> dict[str, Any]:
        return {"can_add": False}


class ManagerDetailView(ObjectDetailView):
    model = TechnologyManager
    url_prefix = "manager"
    queryset = TechnologyManager.objects.select_related("user", "city", "organization")
    template_name = "brokers/manager_detail.html"

    def extra_context(self, obj: TechnologyManager) -> dict[str, Any]:
        user = self.request.user
        mine = Q(lead_manager=obj) | Q(helpers=obj)
        all_cases = Case.objects.filter(mine).distinct()
        counts = {
            "open": all_cases.filter(stage__in=OPEN_STAGES).count(),
            "landed": all_cases.filter(stage=CaseStage.LANDING).count(),
            "lost": all_cases.filter(stage=CaseStage.LOST).count(),
        }
        visible = (
            Case.objects.restrict(user, VIEW)
            .filter(pk__in=all_cases.values("pk"))
            .select_related("city", "rd_city", "production_city", "lead_manager__user")
            .order_by("-last_activity_at")[:50]
        )
        return {
            # Profiles are changed in the administration and the API; this page only reads them.
            "can_change": False,
            "can_delete": False,
            "industries": obj.industries.all(),
            "covered_cities": obj.covered_cities.all(),
            "counts": counts,
            "cases": visible,
            "stale_ids": _stale_ids(list(visible)),
        }


def manager_coverage(request: HttpRequest) -> HttpResponse:
    """Corridor cities × top-level industries: how many active managers cover each pair, and the gaps."""
    cov = selectors.alliance_coverage()
    rows = cov.rows()
    total = len(cov.cities) * len(cov.industries)
    gaps = len(cov.gaps)
    gaps_per_city = {c.pk: sum(1 for _i, n in cells if n == 0) for c, cells in rows}
    return render(
        request,
        "brokers/coverage.html",
        {
            "coverage": cov,
            "rows": [(c, cells, gaps_per_city[c.pk]) for c, cells in rows],
            "total": total,
            "gaps": gaps,
            "covered_share": round(100 * (total - gaps) / total) if total else 0,
            "managers": len(cov.managers),
        },
    )


# Cases: shared --------------------------------------------------------------------------------


def _stale_ids(cases: list[Case], now: dt.datetime | None = None) -> set[int]:
    """Which of these cases are open and idle for longer than the alert threshold."""
    limit = (now or timezone.now()) - dt.timedelta(days=selectors.alert_days())
    return {c.pk for c in cases if c.stage in OPEN_STAGES and c.last_activity_at < limit}


def _changeable_ids(user: Any, cases: list[Case]) -> set[int]:
    """Which of these cases the user may move (one query)."""
    if not cases:
        return set()
    if is_operator(user):
        return {c.pk for c in cases}
    ids = [c.pk for c in cases]
    return set(Case.objects.restrict(user, CHANGE).filter(pk__in=ids).values_list("pk", flat=True))


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


class CaseMixin:
    """Cases are never public: the case rule (lead/helpers change, party members read, operators all) decides."""

    model: type[Model] = Case
    url_prefix = "case"
    request: HttpRequest

    def allowed(self, action: str, obj: Any = None) -> bool:
        user = self.request.user
        if obj is None:
            return action == VIEW and user.is_authenticated
        if action in (VIEW, CHANGE):
            return services.case_can(user, action, obj)
        return False

    def require_login(self) -> None:
        if not self.request.user.is_authenticated:
            raise NeedsLogin


def _timeline(case: Case, changes: list[Any], now: dt.datetime) -> list[dict[str, Any]]:
    """One step per chain stage: done, current or ahead; when it was (last) entered; days spent in it."""
    days: dict[str, float] = defaultdict(float)
    entered: dict[str, dt.datetime] = {}
    for change, following in zip(changes, [*changes[1:], None], strict=False):
        end = following.at if following is not None else now
        days[change.to_stage] += max((end - change.at).total_seconds(), 0) / 86400
        entered[change.to_stage] = change.at
    current = case.stage_index
    lost = case.stage == CaseStage.LOST
    steps = []
    for i, stage in enumerate(STAGE_CHAIN):
        if lost and i == current:
            state = "lost"
        elif i < current or (i == current and stage == CaseStage.LANDING):
            state = "done"
        elif i == current:
            state = "current"
        else:
            state = "ahead"
        steps.append(
            {
                "stage": stage,
                "label": CaseStage(stage).label,
                "state": state,
                "entered": entered.get(stage),
                "days": round(days[stage], 1) if stage in days else None,
            }
        )
    return steps


CASE_EXTRA_LABELS = {
    "parties": gettext_lazy("parties"),
    "activity": gettext_lazy("activity"),
    "document": gettext_lazy("document"),
    "link": gettext_lazy("link"),
}


def case_history(case: Case, limit: int = 50) -> list[HistoryRow]:
    """The case's change records for the generic history card.

    The generic ``history_rows`` labels model fields only; a case's records also carry its parties,
    activities, documents and links (reverse relations), so those are labelled here.
    """
    records = list(history_for(case)[:limit])
    if not any(set(r.changes or {}) & set(CASE_EXTRA_LABELS) for r in records):
        return history_rows(case, limit=limit)
    out = []
    fields = {f.name: f for f in Case._meta.get_fields() if hasattr(f, "verbose_name")}
    names: dict[Any, dict[Any, str]] = {}
    for record in records:
        changes = []
        for name, value in sorted((record.changes or {}).items()):
            field = fields.get(name)
            label = CASE_EXTRA_LABELS.get(name) or (field.verbose_name if field is not None else name)
            before, after = (value if record.action == ChangeAction.UPDATE and isinstance(value, list) and len(value) == 2 else ["", value])
            if field is not None and getattr(field, "is_relation", False) and field.related_model is not None:
                lookup = names.setdefault(field.related_model, {})
                before, after = (_related_names(field.related_model, v, lookup) for v in (before, after))
            elif field is not None and getattr(field, "choices", None):
                choices = dict(getattr(field, "flatchoices", ()))
                before, after = (choices.get(v, v) if v not in (None, "") else "" for v in (before, after))
            elif field is not None and isinstance(field, BooleanField):
                before, after = (("" if v in (None, "") else _("Yes") if v else _("No")) for v in (before, after))
            elif name == "parties":
                before, after = (_party_names(v) for v in (before, after))
            elif isinstance(after, list) or isinstance(before, list):
                before, after = (", ".join(str(x) for x in v) if isinstance(v, list) else v for v in (before, after))
            changes.append(HistoryChange(label, "" if before is None else before, "" if after is None else after))
        out.append(HistoryRow(record, changes))
    return out


def _party_names(value: Any) -> str:
    """``["12:rd", …]`` as "Organisation (R&D), …"."""
    if not isinstance(value, list):
        return "" if value is None else str(value)
    pairs = [str(v).partition(":") for v in value]
    orgs = Organization.objects.in_bulk([int(p[0]) for p in pairs if p[0].isdigit()])
    labels = dict(CasePartyRole.choices)
    return ", ".join(
        f"{orgs.get(int(org)) if org.isdigit() and int(org) in orgs else org} ({labels.get(role, role)})" for org, _sep, role in pairs
    )


def _related_names(model: Any, value: Any, cache: dict[Any, str]) -> str:
    ids = value if isinstance(value, list) else [value]
    ids = [i for i in ids if isinstance(i, int)]
    missing = [i for i in ids if i not in cache]
    if missing:
        cache.update({o.pk: str(o) for o in model._default_manager.filter(pk__in=missing)})
    return ", ".join(cache.get(i, f"#{i}") for i in ids)


def case_detail_context(request: HttpRequest, case: Case, **overrides: Any) -> dict[str, Any]:
    """Everything the case page shows; ``overrides`` replace forms (bound, with errors) or add an error."""
    user = request.user
    now = timezone.now()
    can_change = services.case_can(user, CHANGE, case)
    operator = is_operator(user)
    nxt = next_stage(case.stage) if case.stage != CaseStage.LOST else None
    changes = list(case.stage_changes.select_related("by"))
    documents = list(case.documents.select_related("uploaded_by"))
    links = list(case.links.select_related("content_type").prefetch_related("target"))
    link_rows = []
    for link in links:
        url = ""
        target = link.target
        if target is not None and hasattr(target, "get_absolute_url"):
            try:
                url = target.get_absolute_url()
            except NoReverseMatch:
                url = ""
        link_rows.append({"link": link, "url": url})
    context = {
        "object": case,
        "model_name": Case._meta.verbose_name,
        "model_name_plural": Case._meta.verbose_name_plural,
        "url_names": {"list": "brokers:case_list"},
        "can_change": False,  # there is no generic edit page: the actions below change a case
        "can_delete": False,
        "can_act": can_change,
        "operator": operator,
        "next_stage": CaseStage(nxt) if nxt else None,
        "asks_contract_value": nxt in (CaseStage.CONTRACT, CaseStage.LANDING),
        "timeline": _timeline(case, changes, now),
        "stage_changes": list(reversed(changes)),
        "activities": case.activities.select_related("by"),
        "documents": documents,
        "links": link_rows,
        "parties": case.parties.select_related("organization__city"),
        "industries": case.industries.all(),
        "helpers": case.helpers.select_related("user", "city"),
        "demand_visible": case.demand_id is not None and Demand.objects.restrict(user, VIEW).filter(pk=case.demand_id).exists(),
        "cooperation_visible": case.cooperation_id is not None
        and CooperationItem.objects.restrict(user, VIEW).filter(pk=case.cooperation_id).exists(),
        "is_stale": bool(_stale_ids([case], now)),
        "idle_days": selectors.idle_days(case, now),
        "alert_days": selectors.alert_days(),
        "history": case_history(case),
        "advance_form": AdvanceForm(initial={"to": nxt}, user=user),
        "close_form": CloseLostForm(user=user),
        "reopen_form": ReopenForm(initial={"to": STAGE_CHAIN[max(case.stage_index - 1, 0)]}, user=user),
        "activity_form": ActivityForm(user=user),
        "document_form": DocumentForm(user=user),
        "link_form": LinkForm(user=user),
        "action_error": "",
        "open_panel": "",
    }
    context.update(overrides)
    return context


def _case_queryset() -> QuerySet[Case]:
    return Case.objects.select_related(
        "city", "rd_city", "production_city", "lead_manager__user", "lead_manager__city", "demand", "cooperation"
    )


class CaseListView(CaseMixin, ObjectListView):
    queryset = Case.objects.select_related("city", "rd_city", "production_city", "lead_manager__user")
    filterset_class = CaseWebFilterSet
    template_name = "brokers/case_list.html"
    columns = (
        Column("title", linkify=True, order_by="title", template="brokers/cells/case_title.html"),
        Column("stage", template="brokers/cells/stage.html", order_by="stage"),
        Column("lead_manager", order_by="lead_manager__user__display_name"),
        Column("city", order_by="city__code"),
        Column("pair", label=gettext_lazy("R&D → production"), template="brokers/cells/pair.html"),
        Column("contract_value", template="brokers/cells/money.html", order_by="contract_value", css="text-end"),
        Column("last_activity_at", template="generic/cells/datetime.html", order_by="last_activity_at"),
    )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.require_login()
        return super().get(request, *args, **kwargs)

    def decorate_rows(self, rows: list[Any]) -> dict[str, Any]:
        return {"stale_ids": _stale_ids(rows)}

    def extra_context(self, context: dict[str, Any]) -> dict[str, Any]:
        visible = Case.objects.restrict(self.request.user, VIEW)
        return {"pairs": selectors.cross_region_pairs(visible)[:8], "can_add": False}


class CaseDetailView(CaseMixin, ObjectDetailView):
    queryset = _case_queryset()
    template_name = "brokers/case_detail.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        case = self.get_object(VIEW)
        return render(request, self.template_name, case_detail_context(request, case))


class CaseActionView(CaseMixin, ObjectView):
    """POST one action on a case; subclasses name the form and call the service in ``perform``."""

    http_method_names = ["post"]
    form_class: type = AdvanceForm
    form_key = ""  # the context name of the form on the case page (for inline errors)
    panel = ""  # which collapsed panel of the page to open again on an error
    queryset = _case_queryset()

    def perform(self, case: Case, form: Any) -> str:
        """Call the service; return the success message."""
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        case = self.get_object(VIEW)
        form = self.form_class(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.failed(case, form, 400)
        try:
            message = self.perform(case, form)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.failed(case, form, 400)
        except ConflictError as exc:
            return self.failed(case, form, 409, exc.message)
        except PermissionDenied as exc:
            if _is_htmx(request):
                return self.htmx_error(str(exc) or _("You do not have permission to do this."), 403)
            raise
        return self.succeeded(case, message)

    def succeeded(self, case: Case, message: str) -> HttpResponse:
        messages.success(self.request, message)
        return HttpResponseRedirect(_safe_next(self.request, case.get_absolute_url()))

    def htmx_error(self, message: str, status: int) -> HttpResponse:
        response = render(self.request, "brokers/_alert.html", {"message": message, "level": "danger" if status != 409 else "warning"}, status=status)
        response["HX-Retarget"] = "#board-messages"
        response["HX-Reswap"] = "innerHTML"
        return response

    def failed(self, case: Case, form: Any, status: int, error: str = "") -> HttpResponse:
        if _is_htmx(self.request):
            text = error or " ".join(str(e) for errors in form.errors.values() for e in errors)
            return self.htmx_error(text, status)
        case.refresh_from_db()
        overrides: dict[str, Any] = {"action_error": error, "open_panel": self.panel}
        if status == 400 and self.form_key:
            overrides[self.form_key] = form
        return render(self.request, "brokers/case_detail.html", case_detail_context(self.request, case, **overrides), status=status)


class CaseAdvanceView(CaseActionView):
    form_class = AdvanceForm
    form_key = "advance_form"
    panel = "advance"

    def perform(self, case: Case, form: AdvanceForm) -> str:
        data = form.cleaned_data
        self.moved_from = case.stage
        moved = services.case_advance(case, user=self.request.user, to=data["to"], note=data["note"], contract_value=data["contract_value"])
        return _("“{case}” moved to “{stage}”.").format(case=moved, stage=moved.get_stage_display())

    def succeeded(self, case: Case, message: str) -> HttpResponse:
        if _is_htmx(self.request) and self.request.POST.get("board"):
            return board_columns_response(self.request, [self.moved_from, Case.objects.get(pk=case.pk).stage], message)
        return super().succeeded(case, message)


class CaseCloseView(CaseActionView):
    form_class = CloseLostForm
    form_key = "close_form"
    panel = "close"

    def perform(self, case: Case, form: CloseLostForm) -> str:
        data = form.cleaned_data
        closed = services.case_close_lost(case, user=self.request.user, reason=data["reason"], note=data["note"])
        return _("“{case}” closed as lost ({reason}).").format(case=closed, reason=closed.get_lost_reason_display())


class CaseReopenView(CaseActionView):
    form_class = ReopenForm
    form_key = "reopen_form"
    panel = "reopen"

    def perform(self, case: Case, form: ReopenForm) -> str:
        data = form.cleaned_data
        moved = services.case_reopen(case, user=self.request.user, to=data["to"], note=data["note"])
        return _("“{case}” put back into “{stage}”.").format(case=moved, stage=moved.get_stage_display())


class CaseActivityView(CaseActionView):
    form_class = ActivityForm
    form_key = "activity_form"
    panel = "activity"

    def perform(self, case: Case, form: ActivityForm) -> str:
        data = form.cleaned_data
        activity = services.activity_log(
            case, user=self.request.user, kind=data["kind"], title=data["title"], occurred_on=data["occurred_on"], text=data["text"]
        )
        return _("Logged: {activity}.").format(activity=activity)


class CaseDocumentView(CaseActionView):
    form_class = DocumentForm
    form_key = "document_form"
    panel = "document"

    def perform(self, case: Case, form: DocumentForm) -> str:
        data = form.cleaned_data
        upload = data["file"]
        upload.name = PurePath(upload.name).name
        doc = services.case_document_add(case, user=self.request.user, title=data["title"], file=upload, kind=data["kind"])
        return _("Attached “{title}”.").format(title=doc.title)


class CaseLinkView(CaseActionView):
    form_class = LinkForm
    form_key = "link_form"
    panel = "link"

    def perform(self, case: Case, form: LinkForm) -> str:
        data = form.cleaned_data
        target = services.resolve_link_target(data["kind"], data["object_id"])
        link = services.case_link_add(case, user=self.request.user, target=target, note=data["note"])
        return _("Linked “{target}”.").format(target=link)


class CaseDocumentDownloadView(CaseMixin, ObjectView):
    """A case document for whoever may see the case; always as an attachment, never rendered inline."""

    queryset = Case.objects.all()

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        case = self.get_object(VIEW)
        doc = CaseDocument.objects.filter(case=case, pk=kwargs["doc"]).first()
        if doc is None:
            raise Http404(_("No such document."))
        try:
            handle = doc.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404(_("The file of this document is missing.")) from exc
        response = FileResponse(handle, as_attachment=True, filename=PurePath(doc.file.name).name, content_type="application/octet-stream")
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class CaseAssignView(CaseMixin, ObjectView):
    """Operators choose the lead manager and helpers, helped by the ranked suggestions and their reasons."""

    queryset = _case_queryset()
    template_name = "brokers/case_assign.html"

    def load(self) -> Case:
        case = self.get_object(VIEW)
        if not is_operator(self.request.user):
            raise PermissionDenied(_("Only platform operators assign technology managers."))
        return case

    def render_page(self, case: Case, form: AssignForm, suggestions: list[Any], status: int = 200, error: str = "") -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {"object": case, "form": form, "suggestions": suggestions, "error": error, "model_name_plural": Case._meta.verbose_name_plural},
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        case = self.load()
        suggestions = selectors.suggest_managers(case, limit=10)
        initial = {"lead": case.lead_manager_id, "helpers": [h.pk for h in case.helpers.all()]}
        form = AssignForm(initial=initial, suggested=[s.manager for s in suggestions], user=request.user)
        return self.render_page(case, form, suggestions)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        case = self.load()
        suggestions = selectors.suggest_managers(case, limit=10)
        form = AssignForm(request.POST, suggested=[s.manager for s in suggestions], user=request.user)
        if not form.is_valid():
            return self.render_page(case, form, suggestions, 400)
        try:
            services.case_assign(case, user=request.user, lead=form.cleaned_data["lead"], helpers=list(form.cleaned_data["helpers"]))
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_page(case, form, suggestions, 400)
        except ConflictError as exc:
            return self.render_page(case, form, suggestions, 409, exc.message)
        messages.success(request, _("{lead} now leads “{case}”.").format(lead=form.cleaned_data["lead"], case=case))
        return HttpResponseRedirect(case.get_absolute_url())


# Board and queue --------------------------------------------------------------------------------

BOARD_COLUMN_LIMIT = 40
BOARD_FILTERS = ("q", "manager", "city", "industry", "rd_province", "production_province", "cross_region")


def _board_filterset(request: HttpRequest, query: QueryDict) -> CaseWebFilterSet:
    fs = CaseWebFilterSet(query or None, queryset=Case.objects.restrict(request.user, VIEW), request=request)
    style_filter_form(fs.form)
    return fs


def _board_base(request: HttpRequest, query: QueryDict) -> tuple[QuerySet[Case], CaseWebFilterSet]:
    fs = _board_filterset(request, query)
    qs = fs.qs if not fs.is_bound or fs.is_valid() else Case.objects.none()
    return qs, fs


def _column(request: HttpRequest, qs: QuerySet[Case], stage: str) -> dict[str, Any]:
    in_stage = qs.filter(stage=stage)
    order = ("-stage_entered_at", "-pk") if stage == CaseStage.LANDING else ("last_activity_at", "pk")
    cards = list(
        Case.objects.filter(pk__in=in_stage.values("pk"))
        .select_related("city", "rd_city", "production_city", "lead_manager__user")
        .order_by(*order)[:BOARD_COLUMN_LIMIT]
    )
    now = timezone.now()
    for card in cards:
        card.idle_days = selectors.idle_days(card, now)  # type: ignore[attr-defined]
    nxt = next_stage(stage)
    return {
        "stage": stage,
        "label": CaseStage(stage).label,
        "count": in_stage.count(),
        "cards": cards,
        "next_stage": CaseStage(nxt) if nxt else None,
        "asks_contract_value": nxt in (CaseStage.CONTRACT, CaseStage.LANDING),
    }


def _board_extras(request: HttpRequest, columns: list[dict[str, Any]]) -> dict[str, Any]:
    cards = [c for col in columns for c in col["cards"]]
    return {"stale_ids": _stale_ids(cards), "changeable_ids": _changeable_ids(request.user, cards)}


def board(request: HttpRequest) -> HttpResponse:
    """Kanban of the cases the user may see, one column per stage; stage buttons move a card (htmx)."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    qs, fs = _board_base(request, request.GET)
    columns = [_column(request, qs, s) for s in STAGE_CHAIN]
    visible_stale = selectors.stale_cases(qs=qs)
    context = {
        "columns": columns,
        "filter_fields": [fs.form[name] for name in BOARD_FILTERS],
        "board_query": request.GET.urlencode(),
        "lost_count": qs.filter(stage=CaseStage.LOST).count(),
        "stale_count": visible_stale.count(),
        "stale_preview": list(visible_stale[:5]),
        "alert_days": selectors.alert_days(),
        "list_url": request.path,
        **_board_extras(request, columns),
    }
    return render(request, "brokers/board.html", context)


def board_columns_response(request: HttpRequest, stages: list[str], message: str) -> HttpResponse:
    """After a move on the board: the column the card left (the request's target) and, out of band, the one it entered."""
    query = QueryDict(request.POST.get("board_query", ""))
    qs, _fs = _board_base(request, query)
    wanted = list(dict.fromkeys(s for s in stages if s in STAGE_CHAIN))
    columns = [_column(request, qs, s) for s in wanted]
    context = {
        "columns": columns,
        "board_query": query.urlencode(),
        "alert_days": selectors.alert_days(),
        "message": message,
        **_board_extras(request, columns),
    }
    return render(request, "brokers/_board_columns.html", context)


def queue(request: HttpRequest) -> HttpResponse:
    """The logged-in manager's own cases, stale ones first; operators without a profile see every stale case."""
    user = request.user
    if not user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    profile = TechnologyManager.objects.filter(user=user).select_related("city").first()
    if profile is None and not is_operator(user):
        raise PermissionDenied(_("Only technology managers have a case queue."))
    now = timezone.now()
    base = _case_queryset()
    if profile is not None:
        base = base.filter(Q(lead_manager=profile) | Q(helpers=profile)).distinct()
    else:
        base = base.none()
    open_cases = list(base.filter(stage__in=OPEN_STAGES).order_by("last_activity_at", "pk"))
    stale_ids = _stale_ids(open_cases, now)
    rows: list[dict[str, Any]] = []
    for c in open_cases:
        nxt = next_stage(c.stage)
        rows.append(
            {
                "case": c,
                "stale": c.pk in stale_ids,
                "idle": selectors.idle_days(c, now),
                "next_stage": CaseStage(nxt) if nxt else None,
                "role": "lead" if profile is not None and c.lead_manager_id == profile.pk else "helper",
            }
        )
    rows.sort(key=lambda r: (not r["stale"], -int(r["idle"]), int(r["case"].pk)))
    closed = base.exclude(stage__in=OPEN_STAGES).filter(stage_entered_at__gte=now - dt.timedelta(days=90)).order_by("-stage_entered_at")[:20]
    operator_alerts = list(selectors.stale_cases(now=now)[:50]) if is_operator(user) else []
    return render(
        request,
        "brokers/queue.html",
        {
            "profile": profile,
            "rows": rows,
            "stale_count": len(stale_ids),
            "closed": closed,
            "operator_alerts": operator_alerts,
            "operator_alert_total": selectors.stale_cases(now=now).count() if is_operator(user) else 0,
            "alert_days": selectors.alert_days(),
            "now": now,
        },
    )


# KPIs -------------------------------------------------------------------------------------------

KPI_TABLES: dict[str, tuple[str, ...]] = {
    "funnel": ("stage", "label", "reached", "to_next"),
    "median_days": ("stage", "label", "median_days", "stays"),
    "by_manager": ("id", "name", "cases", "landed", "signed", "contract_value"),
    "by_city": ("id", "name", "cases", "landed", "signed", "contract_value"),
    "by_industry": ("id", "name", "cases", "landed", "signed", "contract_value"),
}


def _kpis(request: HttpRequest) -> tuple[dict[str, Any], CaseWebFilterSet]:
    qs, fs = _board_base(request, request.GET)
    return selectors.case_kpis(qs), fs


def kpis(request: HttpRequest) -> HttpResponse:
    """Conversion funnel, median days per stage, landed cases and contract value per manager, city and industry."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    data, fs = _kpis(request)
    query = request.GET.copy()
    query.pop("table", None)
    chart = {
        "funnel": data["funnel"],
        "median_days": data["median_days"],
        "by_manager": data["by_manager"][:15],
        "by_city": data["by_city"],
        "by_industry": data["by_industry"],
        "labels": {
            "reached": _("Cases that reached the stage"),
            "median": _("Median days in the stage"),
            "landed": _("Landed"),
            "signed": _("Signed"),
            "cases": _("Cases"),
            "value": _("Contract value (yuan)"),
            "days": _("days"),
        },
    }
    conversion = None
    if data["funnel"] and data["funnel"][0]["reached"]:
        conversion = round(100 * data["landed"] / data["funnel"][0]["reached"], 1)
    return render(
        request,
        "brokers/kpis.html",
        {
            "kpis": data,
            "chart_data": json.loads(json.dumps(chart, cls=DjangoJSONEncoder)),
            "conversion": conversion,
            "filter_form": fs.form,
            "querystring": query.urlencode(),
            "plotly_url": plotly_url(),
            "list_url": request.path,
        },
    )


def kpis_csv(request: HttpRequest) -> HttpResponse:
    """The numbers behind one KPI chart (``table=funnel|median_days|by_manager|by_city|by_industry``) as CSV."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    table = request.GET.get("table", "")
    if table not in KPI_TABLES:
        return render(
            request,
            "brokers/bad_request.html",
            {"message": _("Choose a table: {tables}.").format(tables=", ".join(KPI_TABLES)), "back_url": reverse("brokers:case_kpis")},
            status=400,
        )
    data, _fs = _kpis(request)
    text = io.StringIO()
    writer = csv.writer(text)
    columns = KPI_TABLES[table]
    writer.writerow(columns)
    for row in data[table]:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])
    response = HttpResponse(("\ufeff" + text.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="case-kpis-{table}.csv"'
    return response


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    text = str(value)
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# Consortia --------------------------------------------------------------------------------------


class ConsortiumListView(ObjectListView):
    model = Consortium
    url_prefix = "consortium"
    template_name = "brokers/consortium_list.html"
    queryset = (
        Consortium.objects.select_related("lead", "lead__city")
        .annotate(
            current_members=Count("members", filter=Q(members__left_on__isnull=True), distinct=True),
            output_count=Count("outputs", distinct=True),
        )
        .order_by("name")
    )
    filterset_class = ConsortiumFilterSet
    columns = (
        Column("name", linkify=True, order_by="name"),
        Column("lead", order_by="lead__name"),
        Column("lead_role", template="generic/cells/badge.html", order_by="lead_role"),
        Column("current_members", label=gettext_lazy("current members"), order_by="current_members", css="text-end"),
        Column("output_count", label=gettext_lazy("outputs"), order_by="output_count", css="text-end"),
        Column("launched_on", order_by="launched_on"),
    )

    def extra_context(self, context: dict[str, Any]) -> dict[str, Any]:
        return {"can_add": False}


class ConsortiumDetailView(ObjectDetailView):
    model = Consortium
    url_prefix = "consortium"
    queryset = Consortium.objects.select_related("lead", "lead__city")
    template_name = "brokers/consortium_detail.html"

    def extra_context(self, obj: Consortium) -> dict[str, Any]:
        user = self.request.user
        today = timezone.localdate()
        current = list(selectors.members_on(obj, today).order_by("role", "joined_on", "pk"))
        by_role = []
        for role in MemberRole:
            members = [m for m in current if m.role == role.value]
            if members:
                by_role.append({"role": role, "members": members})
        outputs = list(obj.outputs.select_related("goal", "city").prefetch_related("credited", "adopters"))
        grouped = []
        for kind in OutputKind:
            items = [o for o in outputs if o.kind == kind.value]
            if items:
                grouped.append({"kind": kind, "outputs": items})
        visible_demands = set(Demand.objects.restrict(user, VIEW).filter(consortium_goals__consortium=obj).values_list("pk", flat=True))
        goals = list(obj.goals.prefetch_related("demands", "outputs"))
        return {
            "can_change": False,
            "can_delete": False,
            "industries": obj.industries.all(),
            "members_by_role": by_role,
            "member_count": len(current),
            "former": ConsortiumMember.objects.filter(consortium=obj, left_on__isnull=False).select_related("organization"),
            "history_events": selectors.membership_history(obj),
            "goals": goals,
            "visible_demands": visible_demands,
            "output_groups": grouped,
            "output_count": len(outputs),
            "adopters_total": sum(len(o.adopters.all()) for o in outputs if o.kind == OutputKind.STANDARD),
        }
