"""Web pages of the innovation market (创新集市), built on the generic views of corridor.core.generic.

Views read through ``corridor.market.selectors`` and write through ``corridor.market.services``; they
decide no business rule. Which buttons a page shows mirrors what the services accept; the services
still check every request. Errors: ``ValidationError`` → inline field errors (400), ``ConflictError``
→ a clear message (409), ``PermissionDenied`` → 403.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from corridor.core.errors import ConflictError
from corridor.core.forms import owner_queryset, style_filter_form, style_form
from corridor.core.generic import (
    Column,
    HistoryChange,
    HistoryRow,
    NeedsLogin,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ObjectView,
    _display_values,
    apply_validation_error,
    form_data,
)
from corridor.core.history import history_for
from corridor.core.models import ChangeAction
from corridor.core.permissions import ADD, CHANGE, DELETE, VIEW, can, is_operator, member_org_ids, restrict
from corridor.core.views import plotly_url
from corridor.lists.choices import DemandStatus
from corridor.lists.models import Demand, Resource
from corridor.market import exports, selectors, services
from corridor.market.choices import (
    BidStatus,
    CallStatus,
    ConditionState,
    MatchOutcome,
    MilestoneStatus,
    Reach,
)
from corridor.market.files import check_attachment
from corridor.market.filtersets import CallFilterSet, ContractFilterSet, PolicyFilterSet, SpaceFilterSet
from corridor.market.forms import (
    AttachmentForm,
    AwardForm,
    BidForm,
    CallForm,
    ContractForm,
    CriterionFormSet,
    EvidenceForm,
    MatcherForm,
    MilestoneFormSet,
    NoteForm,
    PanelForm,
    ProfileForm,
    ReasonForm,
    ReviewForm,
    SpaceForm,
    TeamFormSet,
    criteria_initial,
)
from corridor.market.models import (
    Bid,
    BidAttachment,
    BidMilestone,
    CarrierSpace,
    ChallengeCall,
    OrganizationProfile,
    Policy,
    Review,
    TechnologyContract,
)
from corridor.orgs.models import Organization, User
from corridor.regions.choices import CorridorMembership
from corridor.regions.models import City

# Shared helpers -------------------------------------------------------------------------------


def need(request: HttpRequest, allowed: bool, message: str = "") -> None:
    """Anonymous users go to the login page; signed-in users without permission get 403."""
    if allowed:
        return
    if not request.user.is_authenticated:
        raise NeedsLogin
    raise PermissionDenied(message or _("You do not have permission to do this."))


def conflict(request: HttpRequest, message: str, back_url: str) -> HttpResponse:
    return render(request, "generic/conflict.html", {"message": message, "back_url": back_url}, status=409)


def acts_for(user: Any, org_id: int | None) -> bool:
    return org_id is not None and org_id in member_org_ids(user)


def history_labels() -> dict[str, Any]:
    """Labels of what market change records hold besides model fields (rubrics, panels, documents…)."""
    return {
        "criteria": _("review rubric"), "conditions": _("eligibility conditions"), "milestones": _("milestones"),
        "panel_added": _("reviewer added to the panel"), "panel_removed": _("reviewer removed from the panel"),
        "attachment_added": _("document added"), "attachment_removed": _("document removed"),
        "awarded_bids": _("awarded bids"), "scores": _("scores"),
    }


def _readable(value: Any) -> Any:
    if isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and "T" in value:
        parsed = parse_datetime(value)
        if parsed is not None:
            return timezone.localtime(parsed).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(parsed) else value
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return "" if value is None else value


def market_history(obj: Any, limit: int = 50) -> list[HistoryRow]:
    """The object's change records for the history card.

    Like ``corridor.core.generic.history_rows``, but the keys market records add (a call's rubric, a policy's
    conditions, panel and document events) are reverse relations or free names, labelled here; related ids
    become names (one query per related model) and timestamps are shown in China Standard Time.
    """
    model = type(obj)
    labels = history_labels()
    records = list(history_for(obj)[:limit])
    forward = {f.name: f for f in model._meta.get_fields() if f.concrete and hasattr(f, "verbose_name")}
    wanted: dict[Any, set[int]] = {}
    for record in records:
        for name, value in (record.changes or {}).items():
            field = forward.get(name)
            if field is None or not field.is_relation:
                continue
            for v in value if isinstance(value, list) else [value]:
                for i in v if isinstance(v, list) else [v]:
                    if isinstance(i, int):
                        wanted.setdefault(field.related_model, set()).add(i)
    lookups = {m: {o.pk: str(o) for o in m._default_manager.filter(pk__in=ids)} for m, ids in wanted.items()}
    rows = []
    for record in records:
        changes = []
        for name, value in sorted((record.changes or {}).items()):
            field = forward.get(name)
            pair = record.action == ChangeAction.UPDATE and isinstance(value, list) and len(value) == 2
            values = list(value) if pair else [value]
            if record.action == ChangeAction.CREATE and values[0] in (None, "", [], False):
                continue  # a new object's empty fields say nothing
            shown = _display_values(model, name, values, lookups) if field is not None else values
            shown = [_readable(v) for v in shown]
            before, after = (shown[0], shown[1]) if pair else ("", shown[0])
            if record.action == ChangeAction.DELETE:
                before, after = after, ""
            label = field.verbose_name if field is not None else labels.get(name, name)
            changes.append(HistoryChange(label, before, after))
        rows.append(HistoryRow(record, changes))
    return rows


class MarketDetailView(ObjectDetailView):
    """The generic detail page with the market's own history labels."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(VIEW)
        context = {
            **self.meta_context(),
            "object": obj,
            "can_change": can(request.user, CHANGE, obj),
            "can_delete": can(request.user, DELETE, obj),
            "history": market_history(obj),
        }
        context.update(self.extra_context(obj))
        return render(request, self.template_name, context)


class MarketView(ObjectView):
    """An ObjectView whose ``get_object`` only needs the object to be visible (actions check themselves)."""

    def visible(self, pk: Any) -> Any:
        obj = restrict(self.get_queryset(), self.request.user, VIEW).filter(pk=pk).first()
        if obj is None:
            if not self.request.user.is_authenticated and self.get_queryset().filter(pk=pk).exists():
                raise NeedsLogin
            raise Http404(_("No such {thing}.").format(thing=self.model._meta.verbose_name))
        return obj


# The market home and search -----------------------------------------------------------------


def _search_lists(query: str, user: Any, limit: int) -> tuple[list[dict[str, Any]], bool]:
    """Resources and demands for ``query``: the matching engine's ranked text search when it is there,
    otherwise the lists' own filter (``q``). Returns the hits and whether the engine answered."""
    engine_search: Callable[..., list[Any]] | None
    try:
        from corridor.matching.selectors import search as engine_search
    except ImportError:
        engine_search = None
    if engine_search is not None:
        hits = []
        for m in engine_search(query, user, limit=limit):
            hits.append({"kind": str(m.kind), "obj": m.obj, "score": m.score, "terms": list(m.terms)[:6]})
        return hits, True
    from corridor.lists.filtersets import DemandFilterSet, ResourceFilterSet

    hits = []
    resources = ResourceFilterSet({"q": query}, queryset=Resource.objects.restrict(user, VIEW).select_related("owner", "city")).qs
    demands = DemandFilterSet({"q": query}, queryset=Demand.objects.restrict(user, VIEW).select_related("owner", "city")).qs
    hits += [{"kind": "resources", "obj": r, "score": None, "terms": []} for r in resources[:limit]]
    hits += [{"kind": "demands", "obj": d, "score": None, "terms": []} for d in demands[:limit]]
    return hits, False


def _search_market(query: str, user: Any, limit: int) -> dict[str, list[Any]]:
    return {
        "calls": list(CallFilterSet({"q": query}, queryset=selectors.calls_for(user)).qs[:limit]),
        "policies": list(PolicyFilterSet({"q": query}, queryset=Policy.objects.restrict(user, VIEW)).qs[:limit]),
        "spaces": list(SpaceFilterSet({"q": query}, queryset=selectors.spaces_for(user)).qs[:limit]),
    }


def home(request: HttpRequest) -> HttpResponse:
    """The market at a glance: headline figures, open calls, newest demands and resources, policies, spaces."""
    user = request.user
    spaces = selectors.spaces_for(user)
    now = timezone.now()
    calls = list(selectors.open_calls(user)[:6])
    for call in calls:
        call.closing_soon = call.deadline - now < dt.timedelta(days=7)  # type: ignore[attr-defined]
    context = {
        "headlines": selectors.market_headlines(user),
        "open_calls": calls,
        "recent_calls": list(
            selectors.calls_for(user).exclude(status__in=[CallStatus.OPEN, CallStatus.DRAFT, CallStatus.PENDING])[:4]
        ),
        "newest_demands": Demand.objects.restrict(user, VIEW).exclude(status=DemandStatus.DRAFT)
        .select_related("owner", "city").order_by("-created", "-pk")[:5],
        "newest_resources": Resource.objects.restrict(user, VIEW).select_related("owner", "city").order_by("-created", "-pk")[:5],
        "policies": selectors.active_policies(user).order_by("-valid_from", "-pk")[:5],
        "recent_contracts": selectors.contracts_for(user).order_by("-signed_on", "-pk")[:5],
        "map": delta_map(selectors.space_map(spaces), compact=True),
        "space_count": spaces.count(),
    }
    return render(request, "market/home.html", context)


def search(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:200]
    hits: list[dict[str, Any]] = []
    ranked = False
    market: dict[str, list[Any]] = {"calls": [], "policies": [], "spaces": []}
    if query:
        hits, ranked = _search_lists(query, request.user, 20)
        market = _search_market(query, request.user, 10)
    total = len(hits) + sum(len(v) for v in market.values())
    return render(request, "market/search.html", {"q": query, "hits": hits, "ranked": ranked, **market, "total": total})


# Challenge calls ------------------------------------------------------------------------------


class CallListView(ObjectListView):
    model = ChallengeCall
    url_prefix = "call"
    queryset = ChallengeCall.objects.select_related("issuer", "issuer__city")
    filterset_class = CallFilterSet
    template_name = "market/call_list.html"
    columns = (
        Column("title", template="market/cells/call_title.html", order_by="title"),
        Column("status", template="market/cells/call_status.html", order_by="status"),
        Column("reward", template="market/cells/money.html", order_by="reward", css="text-end"),
        Column("deadline", template="market/cells/deadline.html", order_by="deadline"),
        Column("published_at", template="generic/cells/datetime.html", order_by="published_at"),
    )


def _call_queryset() -> QuerySet[ChallengeCall]:
    return ChallengeCall.objects.select_related("issuer", "issuer__city", "approved_by")


class CallFlags:
    """Which actions the current user may take on a call right now (the services check again)."""

    def __init__(self, user: Any, call: ChallengeCall) -> None:
        status = call.status
        op = is_operator(user)
        issuer = acts_for(user, call.issuer_id)
        manager = op or issuer
        now = timezone.now()
        self.is_issuer = issuer
        self.is_operator = op
        self.is_panel = selectors.is_panel_member(user, call)
        self.edit = manager and status == CallStatus.DRAFT
        self.submit = manager and status == CallStatus.DRAFT
        self.publish = op and status == CallStatus.PENDING
        self.return_ = op and status == CallStatus.PENDING
        self.close = manager and status == CallStatus.OPEN and now >= call.deadline
        self.cancel = manager and CallStatus.CANCELLED in services.CALL_TRANSITIONS[status]
        self.award = manager and status == CallStatus.REVIEW
        self.start_delivery = manager and status == CallStatus.AWARDED
        self.accept = manager and status == CallStatus.DELIVERY
        self.fail = manager and status == CallStatus.DELIVERY
        self.panel = op and status in (CallStatus.DRAFT, CallStatus.PENDING, CallStatus.OPEN, CallStatus.REVIEW)
        self.ranking = selectors.can_see_ranking(user, call)
        self.bid_orgs: list[Organization] = []
        if call.accepting_bids and getattr(user, "is_authenticated", False):
            taken = set(Bid.objects.filter(call=call).exclude(status=BidStatus.WITHDRAWN).values_list("bidder_id", flat=True))
            self.bid_orgs = [
                o for o in Organization.objects.filter(pk__in=member_org_ids(user)).exclude(pk=call.issuer_id) if o.pk not in taken
            ]
        self.bid = bool(self.bid_orgs)

    @property
    def any(self) -> bool:
        return any([self.edit, self.submit, self.publish, self.close, self.cancel, self.award, self.start_delivery, self.accept])


LIFECYCLE = (
    CallStatus.DRAFT, CallStatus.PENDING, CallStatus.OPEN, CallStatus.REVIEW, CallStatus.AWARDED, CallStatus.DELIVERY,
    CallStatus.ACCEPTED,
)


def lifecycle(call: ChallengeCall) -> list[dict[str, Any]]:
    """The steps of the 揭榜挂帅 cycle, marked done / current; a failed or cancelled call ends with that step."""
    if call.status in LIFECYCLE:
        current = LIFECYCLE.index(CallStatus(call.status))
        return [{"label": s.label, "state": "done" if i < current else "current" if i == current else ""} for i, s in enumerate(LIFECYCLE)]
    reached = call.finished_at and [s for s, stamp in (
        (CallStatus.DELIVERY, call.awarded_at), (CallStatus.REVIEW, call.closed_at), (CallStatus.OPEN, call.published_at),
    ) if stamp]
    last = LIFECYCLE.index(reached[0]) if reached else 0
    steps = [{"label": s.label, "state": "done"} for s in LIFECYCLE[: last + 1]]
    return [*steps, {"label": CallStatus(call.status).label, "state": "current"}]


def call_context(request: HttpRequest, call: ChallengeCall) -> dict[str, Any]:
    user = request.user
    flags = CallFlags(user, call)
    bids = list(selectors.bids_for(user, call).prefetch_related("milestones", "attachments"))
    presented = [selectors.bid_presentation(b, user) for b in bids]
    reviewed = set()
    reviewable: list[dict[str, Any]] = []
    if flags.is_panel:
        reviewed = set(Review.objects.filter(bid__call=call, reviewer=user.pk).values_list("bid_id", flat=True))
        for b in selectors.reviewable_bids(user, call).prefetch_related("milestones", "attachments"):
            reviewable.append({**selectors.bid_presentation(b, user), "reviewed": b.pk in reviewed})
    ranking = []
    if flags.ranking:
        for r in selectors.call_ranking(call):
            hidden = not selectors.bidder_identity_visible(user, r.bid)
            ranking.append({
                "rank": r.rank, "bid": r.bid, "score": r.score, "reviews": r.reviews, "hidden": hidden,
                "label": selectors.blind_label(r.bid) if hidden else (r.bid.team_name or r.bid.bidder.name),
            })
    schedule = selectors.payment_schedule(call) if call.status in (
        CallStatus.AWARDED, CallStatus.DELIVERY, CallStatus.ACCEPTED, CallStatus.FAILED
    ) else None
    if schedule is not None:
        for line in schedule["lines"]:
            line.label = (
                line.bid.team_name or line.bid.bidder.name
                if selectors.bidder_identity_visible(user, line.bid) else selectors.blind_label(line.bid)
            )
    return {
        "object": call,
        "call": call,
        "flags": flags,
        "lifecycle": lifecycle(call),
        "criteria": list(call.criteria.all()),
        "total_weight": sum(c.weight for c in call.criteria.all()),
        "industries": call.industries.all(),
        "eligible_cities": call.eligible_cities.all(),
        "demands": call.demands.restrict(user, VIEW),
        "bids": presented,
        "reviewable": reviewable,
        "ranking": ranking,
        "schedule": schedule,
        "panel": call.panel.select_related("reviewer") if (flags.ranking or flags.panel) else [],
        "panel_form": PanelForm(call=call) if flags.panel else None,
        "reason_form": ReasonForm(),
        "note_form": NoteForm(),
        "now": timezone.now(),
    }


class CallDetailView(MarketDetailView):
    model = ChallengeCall
    url_prefix = "call"
    queryset = _call_queryset()
    template_name = "market/call_detail.html"

    def extra_context(self, obj: ChallengeCall) -> dict[str, Any]:
        context = call_context(self.request, obj)
        # Only drafts can be edited (the workflow freezes a submitted call); calls are cancelled, not deleted.
        context.update({"can_change": context["flags"].edit, "can_delete": False})
        return context


class CallEditView(ObjectEditView):
    model = ChallengeCall
    url_prefix = "call"
    form_class = CallForm
    template_name = "market/call_edit.html"

    def get_formsets(self, obj: ChallengeCall | None, data: Any) -> dict[str, Any]:
        initial = criteria_initial(obj.criteria.all() if obj is not None else services.default_rubric())
        formset = CriterionFormSet(data, prefix="criteria", initial=initial)
        return {"criteria": formset}

    def validation_targets(self, form: Any, formsets: dict[str, Any]) -> dict[str, Any]:
        return {"criteria": formsets["criteria"].service_errors.append}

    def load(self) -> Any:
        obj = super().load()
        if obj is not None and obj.status != CallStatus.DRAFT:
            raise PermissionDenied(_("Only draft calls can be edited; this call is “{status}”.").format(status=obj.get_status_display()))
        return obj

    def create(self, form: CallForm, formsets: dict[str, Any]) -> ChallengeCall:
        return services.call_create(user=self.request.user, data=form_data(form), criteria=formsets["criteria"].criteria())

    def update(self, obj: ChallengeCall, form: CallForm, formsets: dict[str, Any]) -> ChallengeCall:
        return services.call_update(obj, user=self.request.user, data=form_data(form), criteria=formsets["criteria"].criteria())


CALL_ACTIONS: dict[str, tuple[Any, str | None, Any]] = {
    # action: (service, form field it takes, success message)
    "submit": (services.call_submit, None, gettext_lazy("The call was sent to the operators for approval.")),
    "publish": (services.call_publish, None, gettext_lazy("The call is published and open for bids.")),
    "return": (services.call_return, "reason", gettext_lazy("The call went back to its issuer as a draft.")),
    "close": (services.call_close_bidding, None, gettext_lazy("Bidding is closed; the panel can review the bids.")),
    "cancel": (services.call_cancel, "reason", gettext_lazy("The call is cancelled.")),
    "start_delivery": (services.call_start_delivery, None, gettext_lazy("Delivery against milestones has started.")),
    "accept": (services.call_accept, "note", gettext_lazy("The call is accepted (验收).")),
    "fail": (services.call_fail, "reason", gettext_lazy("The call is recorded as failed.")),
}


class CallActionView(MarketView):
    """POST one step of the call workflow; the button's form may carry a reason or a note."""

    model = ChallengeCall
    url_prefix = "call"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        if action not in CALL_ACTIONS:
            raise Http404
        need(request, request.user.is_authenticated)
        call = self.visible(pk)
        service, field, done = CALL_ACTIONS[action]
        kwargs: dict[str, Any] = {}
        form: Any = None
        if field == "reason":
            form = ReasonForm(request.POST)
        elif field == "note":
            form = NoteForm(request.POST)
        if form is not None and field is not None:
            if not form.is_valid():
                return self.invalid(call, form, action)
            kwargs[field] = form.cleaned_data[field]
        try:
            service(call, user=request.user, **kwargs)
        except ValidationError as exc:
            form = form or ReasonForm()
            apply_validation_error(form, exc)
            return self.invalid(call, form, action)
        except ConflictError as exc:
            return conflict(request, exc.message, call.get_absolute_url())
        messages.success(request, str(done))
        return HttpResponseRedirect(call.get_absolute_url())

    def invalid(self, call: ChallengeCall, form: Any, action: str) -> HttpResponse:
        context = {**call_context(self.request, call), "can_change": False, "can_delete": False}
        context.update({"model_name": ChallengeCall._meta.verbose_name, "model_name_plural": ChallengeCall._meta.verbose_name_plural,
                        "url_names": self.url_names(), "history": [], "failed_action": action})
        context["reason_form" if isinstance(form, ReasonForm) else "note_form"] = form
        return render(self.request, "market/call_detail.html", context, status=400)


class PanelView(MarketView):
    """Operators add (POST ``reviewer``) or remove (POST ``remove``) reviewers of a call's panel."""

    model = ChallengeCall
    url_prefix = "call"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        need(request, is_operator(request.user), _("Only platform operators form review panels."))
        call = self.visible(pk)
        try:
            if "remove" in request.POST:
                reviewer = User.objects.filter(pk=request.POST.get("remove") or 0).first()
                if reviewer is None:
                    raise Http404
                services.panel_remove(call, user=request.user, reviewer=reviewer)
                messages.success(request, _("{name} left the panel.").format(name=reviewer))
            else:
                form = PanelForm(request.POST, call=call)
                if not form.is_valid():
                    messages.error(request, " ".join(" ".join(str(m) for m in e) for e in form.errors.values()))
                    return HttpResponseRedirect(call.get_absolute_url() + "#panel")
                services.panel_assign(call, user=request.user, reviewer=form.cleaned_data["reviewer"])
                messages.success(request, _("{name} joined the panel.").format(name=form.cleaned_data["reviewer"]))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except ConflictError as exc:
            return conflict(request, exc.message, call.get_absolute_url())
        return HttpResponseRedirect(call.get_absolute_url() + "#panel")


class AwardView(MarketView):
    """The issuer ticks the winning bids, each with its reason."""

    model = ChallengeCall
    url_prefix = "call"

    def load(self, pk: int) -> tuple[ChallengeCall, list[tuple[Bid, str]]]:
        call = self.visible(pk)
        need(self.request, is_operator(self.request.user) or acts_for(self.request.user, call.issuer_id),
             _("Only the issuer's members award a challenge call."))
        scores = {r.bid.pk: r for r in selectors.call_ranking(call)}
        bids = []
        for bid in Bid.objects.filter(call=call, status=BidStatus.SUBMITTED).select_related("bidder", "call"):
            ranked = scores.get(bid.pk)
            score = _("score {score} · rank {rank}").format(score=ranked.score, rank=ranked.rank) if ranked and ranked.score is not None else _("not reviewed")
            bids.append((bid, f"{bid.team_name or bid.bidder.name} — {bid.bidder.name} ({score})"))
        bids.sort(key=lambda b: scores[b[0].pk].rank if b[0].pk in scores else 10**6)
        return call, bids

    def page(self, call: ChallengeCall, form: AwardForm, status: int = 200) -> HttpResponse:
        return render(self.request, "market/call_award.html", {"call": call, "form": form}, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        call, bids = self.load(pk)
        if call.status != CallStatus.REVIEW:
            return conflict(request, _("Bids are awarded only while the call is under review."), call.get_absolute_url())
        return self.page(call, AwardForm(bids=bids))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        call, bids = self.load(pk)
        form = AwardForm(request.POST, bids=bids)
        if not form.is_valid():
            return self.page(call, form, status=400)
        awards = [services.AwardInput(bid=bid, reason=reason, amount=amount) for bid, reason, amount in form.awards()]
        try:
            services.call_award(call, user=request.user, awards=awards, note=form.cleaned_data.get("note") or "")
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.page(call, form, status=400)
        except ConflictError as exc:
            form.add_error(None, exc.message)
            return self.page(call, form, status=409)
        messages.success(request, _("The call is awarded."))
        return HttpResponseRedirect(call.get_absolute_url())


# Bids -----------------------------------------------------------------------------------------


def _bid_queryset() -> QuerySet[Bid]:
    return Bid.objects.select_related("call", "call__issuer", "bidder", "bidder__city").prefetch_related("milestones", "attachments")


class BidListView(ObjectListView):
    """The bids of the organisations the user acts for (operators: every bid)."""

    model = Bid
    url_prefix = "bid"
    queryset = Bid.objects.select_related("call", "bidder", "bidder__city")
    template_name = "market/bid_list.html"
    default_sort = "-submitted_at"
    columns = (
        Column("call", template="market/cells/bid_call.html", order_by="call__title"),
        Column("bidder", accessor="bidder.name", order_by="bidder__name"),
        Column("budget", template="market/cells/money.html", order_by="budget", css="text-end"),
        Column("status", template="market/cells/bid_status.html", order_by="status"),
        Column("submitted_at", template="generic/cells/datetime.html", order_by="submitted_at"),
    )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        need(request, request.user.is_authenticated)
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        qs = super().get_queryset()
        if is_operator(self.request.user):
            return qs
        return qs.filter(bidder__in=member_org_ids(self.request.user))

    def extra_context(self, context: dict[str, Any]) -> dict[str, Any]:
        return {"can_add": False}


class BidDetailView(MarketView):
    model = Bid
    url_prefix = "bid"
    queryset = _bid_queryset()

    def context(self, bid: Bid, **extra: Any) -> dict[str, Any]:
        user = self.request.user
        call = bid.call
        is_bidder = acts_for(user, bid.bidder_id)
        manager = is_operator(user) or acts_for(user, call.issuer_id)
        open_for_changes = call.accepting_bids and bid.status == BidStatus.SUBMITTED
        in_delivery = call.status == CallStatus.DELIVERY and bid.status == BidStatus.AWARDED
        presentation = selectors.bid_presentation(bid, user)
        milestones = {m.pk: m for m in bid.milestones.all()}
        for m in presentation["milestones"]:
            m["can_submit"] = is_bidder and in_delivery and m["status"] in (MilestoneStatus.PLANNED, MilestoneStatus.REJECTED)
            m["can_decide"] = manager and in_delivery and m["status"] == MilestoneStatus.SUBMITTED
            m["evidence_files"] = [a for a in presentation["attachments"] if a["milestone_id"] == m["id"]]
            m["obj"] = milestones.get(m["id"])
        reviews: list[Review] = []
        if manager:
            reviews = list(Review.objects.filter(bid=bid).select_related("reviewer").prefetch_related("scores__criterion"))
        elif selectors.is_panel_member(user, call):
            reviews = list(Review.objects.filter(bid=bid, reviewer=user.pk).prefetch_related("scores__criterion"))
        may_review = (
            selectors.is_panel_member(user, call) and call.status == CallStatus.REVIEW and bid.status == BidStatus.SUBMITTED
            and not services.conflict_of_interest(user, bid)
        )
        return {
            "bid": bid,
            "call": call,
            "p": presentation,
            "is_bidder": is_bidder,
            "can_edit": is_bidder and open_for_changes,
            "can_withdraw": is_bidder and open_for_changes,
            "can_upload": is_bidder and open_for_changes,
            "may_review": may_review,
            "reviews": reviews,
            "attachment_form": AttachmentForm(),
            "evidence_form": EvidenceForm(),
            "note_form": NoteForm(),
            "bid_documents": [a for a in presentation["attachments"] if a["milestone_id"] is None],
            **extra,
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        bid = self.visible(pk)
        return render(request, "market/bid_detail.html", self.context(bid))


class BidCreateView(MarketView):
    """Bid on an open call: approach, budget, team, milestones and documents in one form."""

    model = ChallengeCall
    url_prefix = "call"

    def setup_page(self, pk: int) -> ChallengeCall:
        call = self.visible(pk)
        need(self.request, can(self.request.user, ADD, model=Bid), _("You need to act for an organisation to bid."))
        return call

    def page(self, call: ChallengeCall, form: BidForm, formsets: dict[str, Any], status: int = 200) -> HttpResponse:
        style_form(form)  # marks fields the services refused
        problems = {}
        bidders = cast(forms.ModelChoiceField, form.fields["bidder"]).queryset if "bidder" in form.fields else None
        for org in bidders if bidders is not None else []:
            found = services.eligibility_problems(call, org)
            if found:
                problems[org] = found
        return render(self.request, "market/bid_form.html", {
            "call": call, "form": form, "formsets": formsets, "is_new": True, "problems": problems,
            "cancel_url": call.get_absolute_url(),
        }, status=status)

    def formsets(self, data: Any) -> dict[str, Any]:
        return {"milestones": MilestoneFormSet(data, prefix="milestones"), "team": TeamFormSet(data, prefix="team")}

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        call = self.setup_page(pk)
        if not call.accepting_bids:
            return conflict(request, _("This call is not taking bids (its status or deadline)."), call.get_absolute_url())
        return self.page(call, BidForm(user=request.user, call=call), self.formsets(None))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        call = self.setup_page(pk)
        form = BidForm(request.POST, request.FILES, user=request.user, call=call)
        formsets = self.formsets(request.POST)
        valid = form.is_valid()
        valid = all([fs.is_valid() for fs in formsets.values()]) and valid
        if not valid:
            return self.page(call, form, formsets, status=400)
        files = form.cleaned_data.get("attachments") or []
        try:
            for upload in files:
                check_attachment(upload)  # the service checks again; this catches a bad file before anything is saved
            with transaction.atomic():
                data = form_data(form, ["team_name", "approach", "budget"])
                data["team_members"] = formsets["team"].members()
                bid = services.bid_submit(
                    user=request.user, call=call, bidder=form.cleaned_data["bidder"], data=data,
                    milestones=formsets["milestones"].milestones(),
                )
                for upload in files:
                    services.attachment_add(bid, user=request.user, upload=upload, filename=upload.name)
        except ValidationError as exc:
            apply_validation_error(form, exc, {
                "file": lambda m: form.add_error("attachments", m),
                "milestones": formsets["milestones"].service_errors.append,
                "team_members": formsets["team"].service_errors.append,
            })
            return self.page(call, form, formsets, status=400)
        except ConflictError as exc:
            form.add_error(None, exc.message)
            return self.page(call, form, formsets, status=409)
        messages.success(request, _("Your bid is submitted. You can change or withdraw it until the deadline."))
        return HttpResponseRedirect(bid.get_absolute_url())


class BidEditView(MarketView):
    model = Bid
    url_prefix = "bid"
    queryset = _bid_queryset()

    def load(self, pk: int) -> Bid:
        bid = self.visible(pk)
        need(self.request, acts_for(self.request.user, bid.bidder_id), _("Only the bidder's members may change a bid."))
        return bid

    def formsets(self, bid: Bid, data: Any) -> dict[str, Any]:
        ms = [{"title": m.title, "due_date": m.due_date, "amount": m.amount, "deliverable": m.deliverable} for m in bid.milestones.all()]
        team = [{"name": t.get("name", ""), "role": t.get("role", ""), "affiliation": t.get("affiliation", "")} for t in bid.team_members]
        return {
            "milestones": MilestoneFormSet(data, prefix="milestones", initial=ms),
            "team": TeamFormSet(data, prefix="team", initial=team),
        }

    def page(self, bid: Bid, form: BidForm, formsets: dict[str, Any], status: int = 200) -> HttpResponse:
        style_form(form)
        return render(self.request, "market/bid_form.html", {
            "call": bid.call, "bid": bid, "form": form, "formsets": formsets, "is_new": False, "cancel_url": bid.get_absolute_url(),
        }, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        bid = self.load(pk)
        if not bid.call.accepting_bids:
            return conflict(request, _("The bidding deadline has passed; bids can no longer be changed."), bid.get_absolute_url())
        return self.page(bid, BidForm(instance=bid, user=request.user, call=bid.call), self.formsets(bid, None))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        bid = self.load(pk)
        scratch = Bid.objects.get(pk=bid.pk)
        form = BidForm(request.POST, instance=scratch, user=request.user, call=bid.call)
        formsets = self.formsets(bid, request.POST)
        valid = form.is_valid()
        valid = all([fs.is_valid() for fs in formsets.values()]) and valid
        if not valid:
            return self.page(bid, form, formsets, status=400)
        data = form_data(form, ["team_name", "approach", "budget"])
        data["team_members"] = formsets["team"].members()
        try:
            services.bid_update(bid, user=request.user, data=data, milestones=formsets["milestones"].milestones())
        except ValidationError as exc:
            apply_validation_error(form, exc, {
                "milestones": formsets["milestones"].service_errors.append,
                "team_members": formsets["team"].service_errors.append,
            })
            return self.page(bid, form, formsets, status=400)
        except ConflictError as exc:
            form.add_error(None, exc.message)
            return self.page(bid, form, formsets, status=409)
        messages.success(request, _("Your bid is saved."))
        return HttpResponseRedirect(bid.get_absolute_url())


class BidWithdrawView(MarketView):
    model = Bid
    url_prefix = "bid"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        bid = self.visible(pk)
        need(request, acts_for(request.user, bid.bidder_id), _("Only the bidder's members may withdraw a bid."))
        try:
            services.bid_withdraw(bid, user=request.user)
        except ConflictError as exc:
            return conflict(request, exc.message, bid.get_absolute_url())
        messages.success(request, _("Your bid is withdrawn."))
        return HttpResponseRedirect(bid.call.get_absolute_url())


class AttachmentUploadView(BidDetailView):
    """POST a document to a bid (before the deadline), or as evidence of a milestone (``milestone``)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        bid = self.visible(pk)
        need(request, acts_for(request.user, bid.bidder_id), _("Only the bidder's members may add documents to a bid."))
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, "market/bid_detail.html", self.context(bid, attachment_form=form), status=400)
        upload = form.cleaned_data["file"]
        try:
            services.attachment_add(bid, user=request.user, upload=upload, filename=upload.name)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return render(request, "market/bid_detail.html", self.context(bid, attachment_form=form), status=400)
        except ConflictError as exc:
            return conflict(request, exc.message, bid.get_absolute_url())
        messages.success(request, _("The document “{name}” is attached.").format(name=upload.name))
        return HttpResponseRedirect(bid.get_absolute_url() + "#documents")


class AttachmentDeleteView(MarketView):
    model = Bid
    url_prefix = "bid"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        attachment = get_object_or_404(BidAttachment.objects.select_related("bid", "bid__call", "milestone"), pk=pk)
        bid = self.visible(attachment.bid_id)
        need(request, acts_for(request.user, bid.bidder_id), _("Only the bidder's members may remove documents of a bid."))
        try:
            services.attachment_delete(attachment, user=request.user)
        except ConflictError as exc:
            return conflict(request, exc.message, bid.get_absolute_url())
        messages.success(request, _("The document is removed."))
        return HttpResponseRedirect(bid.get_absolute_url() + "#documents")


class ReviewView(MarketView):
    """A panel member scores a bid against the call's rubric (blind review respected)."""

    model = Bid
    url_prefix = "bid"
    queryset = _bid_queryset()

    def load(self, pk: int) -> tuple[Bid, Review | None]:
        bid = self.visible(pk)
        need(self.request, selectors.is_panel_member(self.request.user, bid.call), _("Only members of the call's panel review its bids."))
        review = Review.objects.filter(bid=bid, reviewer=self.request.user.pk).prefetch_related("scores").first()
        return bid, review

    def page(self, bid: Bid, form: ReviewForm, status: int = 200) -> HttpResponse:
        style_form(form)
        return render(self.request, "market/review_form.html", {
            "bid": bid, "call": bid.call, "p": selectors.bid_presentation(bid, self.request.user), "form": form,
        }, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        bid, review = self.load(pk)
        if services.conflict_of_interest(request.user, bid):
            return conflict(request, _("You act for the bidder or the issuer and cannot review this bid (conflict of interest)."),
                            bid.call.get_absolute_url())
        initial: dict[str, Any] = {}
        if review is not None:
            initial = {f"score_{s.criterion_id}": s.score for s in review.scores.all()}
            initial["comment"] = review.comment
        return self.page(bid, ReviewForm(criteria=bid.call.criteria.all(), initial=initial))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        bid, _review = self.load(pk)
        form = ReviewForm(request.POST, criteria=bid.call.criteria.all())
        if not form.is_valid():
            return self.page(bid, form, status=400)
        try:
            review = services.review_submit(bid, user=request.user, scores=form.scores(), comment=form.cleaned_data.get("comment") or "")
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.page(bid, form, status=400)
        except ConflictError as exc:
            return conflict(request, exc.message, bid.call.get_absolute_url())
        messages.success(request, _("Your review is saved: weighted score {score}.").format(score=review.weighted_score))
        return HttpResponseRedirect(bid.call.get_absolute_url() + "#review")


class MilestoneActionView(BidDetailView):
    """POST evidence (the winning team) or accept / reject (the issuer, operators) for one milestone."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:  # type: ignore[override]
        if action not in ("submit", "accept", "reject"):
            raise Http404
        milestone = get_object_or_404(BidMilestone, pk=pk)
        bid = self.visible(milestone.bid_id)
        need(request, request.user.is_authenticated)
        try:
            if action == "submit":
                form = EvidenceForm(request.POST, request.FILES)
                if not form.is_valid():
                    return render(request, "market/bid_detail.html", self.context(bid, evidence_form=form, form_milestone=milestone.pk), status=400)
                upload = form.cleaned_data.get("file")
                with transaction.atomic():
                    services.milestone_submit(milestone, user=request.user, evidence=form.cleaned_data["evidence"])
                    if upload:
                        services.attachment_add(bid, user=request.user, upload=upload, filename=upload.name, milestone=milestone)
                done = _("The evidence is submitted for acceptance.")
            else:
                note_form = NoteForm(request.POST)
                note = note_form.cleaned_data.get("note", "") if note_form.is_valid() else ""
                if action == "accept":
                    services.milestone_accept(milestone, user=request.user, note=note)
                    done = _("The milestone is accepted; its payment is due.")
                else:
                    services.milestone_reject(milestone, user=request.user, note=note)
                    done = _("The milestone is rejected; the team can submit new evidence.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return render(request, "market/bid_detail.html", self.context(bid, form_milestone=milestone.pk), status=400)
        except ConflictError as exc:
            return conflict(request, exc.message, bid.get_absolute_url())
        messages.success(request, done)
        return HttpResponseRedirect(bid.get_absolute_url() + f"#milestone-{milestone.pk}")


# The ledger -----------------------------------------------------------------------------------


class ContractListView(ObjectListView):
    model = TechnologyContract
    url_prefix = "contract"
    queryset = TechnologyContract.objects.select_related("seller", "seller__city", "buyer", "buyer__city", "industry")
    filterset_class = ContractFilterSet
    template_name = "market/contract_list.html"
    default_sort = "-signed_on"
    columns = (
        Column("registration_number", linkify=True, order_by="registration_number", css="text-nowrap"),
        Column("title", order_by="title"),
        Column("contract_type", template="generic/cells/badge.html", order_by="contract_type"),
        Column("seller", template="market/cells/party.html", order_by="seller__name"),
        Column("buyer", template="market/cells/party.html", order_by="buyer__name"),
        Column("amount", template="market/cells/money.html", order_by="amount", css="text-end"),
        Column("signed_on", order_by="signed_on", css="text-nowrap"),
    )

    def extra_context(self, context: dict[str, Any]) -> dict[str, Any]:
        qs = context["paginator"].object_list
        return {"filtered_total": qs.order_by().aggregate(total=Sum("amount"))["total"] or Decimal("0.00")}


class ContractDetailView(MarketDetailView):
    model = TechnologyContract
    url_prefix = "contract"
    queryset = TechnologyContract.objects.select_related("seller", "seller__city", "buyer", "buyer__city", "industry", "demand", "call", "cooperation")
    template_name = "market/contract_detail.html"

    def extra_context(self, obj: TechnologyContract) -> dict[str, Any]:
        user = self.request.user
        return {
            "seller_reach": Reach(selectors.organization_reach(obj.seller)).label,
            "buyer_reach": Reach(selectors.organization_reach(obj.buyer)).label,
            "demand_visible": obj.demand_id is not None and can(user, VIEW, obj.demand),
            "call_visible": obj.call_id is not None and can(user, VIEW, obj.call),
            "cooperation_visible": obj.cooperation_id is not None and can(user, VIEW, obj.cooperation),
        }


class ContractEditView(ObjectEditView):
    model = TechnologyContract
    url_prefix = "contract"
    form_class = ContractForm

    def create(self, form: ContractForm, formsets: dict[str, Any]) -> TechnologyContract:
        return services.contract_create(user=self.request.user, data=form_data(form))

    def update(self, obj: TechnologyContract, form: ContractForm, formsets: dict[str, Any]) -> TechnologyContract:
        return services.contract_update(obj, user=self.request.user, data=form_data(form))


class ContractDeleteView(ObjectDeleteView):
    model = TechnologyContract
    url_prefix = "contract"

    def perform_delete(self, obj: TechnologyContract) -> None:
        services.contract_delete(obj, user=self.request.user)


def _filtered_contracts(request: HttpRequest) -> tuple[QuerySet[TechnologyContract], Any]:
    filterset = ContractFilterSet(request.GET or None, queryset=selectors.contracts_for(request.user), request=request)
    qs = filterset.qs if not filterset.is_bound or filterset.is_valid() else TechnologyContract.objects.none()
    return qs, filterset


def ledger_export(request: HttpRequest) -> HttpResponse:
    """The (filtered) ledger as CSV or XLSX."""
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        return HttpResponse(_("Unknown export format “{format}”; use csv or xlsx.").format(format=fmt[:20]), status=400,
                            content_type="text/plain; charset=utf-8")
    qs, _filterset = _filtered_contracts(request)
    return exports.ledger_response(qs.order_by("signed_on", "pk"), fmt)


STATS_TABLES: dict[str, tuple[str, ...]] = {
    "by_month": ("month", "amount", "count", "cumulative"),
    "by_type": ("type", "label", "amount", "count"),
    "by_industry": ("code", "name", "amount", "count"),
    "by_city_pair": ("seller_place", "buyer_place", "amount", "count"),
    "by_reach": ("reach", "label", "amount"),
    "radiation": ("place", "reach", "amount", "count"),
}


def plain(value: Any) -> Any:
    """JSON-ready copy of the statistics: money as strings with two decimals (both databases alike)."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)


def _stats_rows(stats: dict[str, Any], table: str) -> list[dict[str, Any]]:
    return stats["radiation"]["places"] if table == "radiation" else stats[table]


def ledger_stats(request: HttpRequest) -> HttpResponse:
    """Statistics of the (filtered) ledger with plotly charts; the numbers behind each chart are downloadable."""
    qs, filterset = _filtered_contracts(request)
    style_filter_form(filterset.form)
    stats = selectors.contract_stats(qs)
    for place in stats["radiation"]["places"]:
        place["reach_label"] = Reach(place["reach"]).label
    chart_data = {
        "by_month": stats["by_month"],
        "by_type": stats["by_type"],
        "by_city_pair": stats["by_city_pair"][:15],
        "by_reach": stats["by_reach"],
        "labels": {
            "volume": _("Volume (yuan)"), "cumulative": _("Cumulative (yuan)"), "contracts": _("Contracts"),
            "empty": _("No transactions match these filters."),
        },
    }
    query = request.GET.copy()
    query.pop("table", None)
    query.pop("format", None)
    return render(request, "market/ledger_stats.html", {
        "stats": stats,
        "filter_form": filterset.form,
        "chart_data": plain(chart_data),
        "querystring": query.urlencode(),
        "tables": list(STATS_TABLES),
        "plotly_url": plotly_url(),
        "list_url": request.path,
    })


def ledger_stats_data(request: HttpRequest) -> HttpResponse:
    """The numbers behind the charts: all of them as JSON, or one table (``table=``) as JSON or CSV."""
    qs, _filterset = _filtered_contracts(request)
    stats = selectors.contract_stats(qs)
    table = request.GET.get("table", "")
    fmt = request.GET.get("format", "json")
    if fmt not in ("json", "csv") or (table and table not in STATS_TABLES) or (fmt == "csv" and not table):
        return JsonResponse({"detail": _("Choose a table ({tables}) and a format (json or csv).").format(tables=", ".join(STATS_TABLES))}, status=400)
    if not table:
        return JsonResponse(plain(stats))
    rows = plain(_stats_rows(stats, table))
    if fmt == "json":
        return JsonResponse({"table": table, "rows": rows})
    text = io.StringIO()
    writer = csv.writer(text)
    columns = STATS_TABLES[table]
    writer.writerow(columns)
    for row in rows:
        writer.writerow([exports._cell_text(str(row.get(c, ""))) for c in columns])
    response = HttpResponse(("\ufeff" + text.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ledger-{table}.csv"'
    return response


# Policies -------------------------------------------------------------------------------------


class PolicyListView(ObjectListView):
    model = Policy
    url_prefix = "policy"
    queryset = Policy.objects.select_related("city")
    filterset_class = PolicyFilterSet
    template_name = "market/policy_list.html"
    columns = (
        Column("title", linkify=True, order_by="title"),
        Column("issuer", order_by="issuer"),
        Column("level", template="generic/cells/badge.html", order_by="level"),
        Column("type", template="generic/cells/badge.html", order_by="type"),
        Column("max_amount", template="market/cells/money.html", order_by="max_amount", css="text-end"),
        Column("valid_until", template="market/cells/validity.html", order_by="valid_until"),
    )

    def extra_context(self, context: dict[str, Any]) -> dict[str, Any]:
        return {"can_add": False, "today": timezone.localdate()}  # the policy library is kept by operators in the admin


class PolicyDetailView(MarketDetailView):
    model = Policy
    url_prefix = "policy"
    queryset = Policy.objects.select_related("city").prefetch_related("conditions")
    template_name = "market/policy_detail.html"

    def extra_context(self, obj: Policy) -> dict[str, Any]:
        return {"can_change": False, "can_delete": False, "in_force": obj.is_valid_on(timezone.localdate()),
                "conditions": [
                    {"label": c.get_kind_display(), "value": "、".join(map(str, c.value)) if isinstance(c.value, list) else str(c.value), "note": c.note}
                    for c in obj.conditions.all()
                ],
                "admin": is_operator(self.request.user)}


class PolicyMatchView(ObjectView):
    """The policy matcher (政策计算器): pick an organisation, see what it qualifies for and what is missing."""

    model = Policy

    def get(self, request: HttpRequest) -> HttpResponse:
        need(request, request.user.is_authenticated and (is_operator(request.user) or bool(member_org_ids(request.user))),
             _("The policy matcher works for the organisations you act for."))
        data = request.GET if "organization" in request.GET else None
        form = MatcherForm(data, user=request.user)
        if data is None:
            first = owner_queryset(request.user).order_by("name").first() if not is_operator(request.user) else None
            if first is not None:
                form = MatcherForm({"organization": first.pk}, user=request.user)
        results: dict[str, list[Any]] = {}
        org = None
        status = 200
        if form.is_bound:
            if form.is_valid():
                org = form.cleaned_data["organization"]
                for match in selectors.policy_match(org, user=request.user):
                    results.setdefault(match.outcome, []).append(match)
            else:
                status = 400
        groups = [
            {"outcome": o, "label": MatchOutcome(o).label, "matches": results.get(o, [])}
            for o in (MatchOutcome.QUALIFIED, MatchOutcome.POSSIBLE, MatchOutcome.NEAR)
        ]
        profile = OrganizationProfile.objects.filter(organization=org).first() if org is not None else None
        return render(request, "market/policy_match.html", {
            "form": form, "organization": org, "groups": groups, "profile": profile,
            "can_edit_profile": org is not None and (is_operator(request.user) or acts_for(request.user, org.pk)),
            "STATES": ConditionState, "found": sum(len(g["matches"]) for g in groups),
        }, status=status)


class ProfileEditView(ObjectView):
    """The matcher facts of an organisation (R&D ratio, certifications, size) for its members and operators."""

    model = OrganizationProfile

    def load(self, org_pk: int) -> tuple[Organization, OrganizationProfile | None]:
        org = get_object_or_404(Organization.objects.select_related("city"), pk=org_pk)
        need(self.request, is_operator(self.request.user) or acts_for(self.request.user, org.pk),
             _("Only the organisation's members may state its facts."))
        return org, OrganizationProfile.objects.filter(organization=org).first()

    def page(self, org: Organization, form: ProfileForm, status: int = 200) -> HttpResponse:
        style_form(form)
        return render(self.request, "market/profile_form.html", {"organization": org, "form": form}, status=status)

    def get(self, request: HttpRequest, org_pk: int) -> HttpResponse:
        org, profile = self.load(org_pk)
        return self.page(org, ProfileForm(instance=profile, user=request.user))

    def post(self, request: HttpRequest, org_pk: int) -> HttpResponse:
        org, profile = self.load(org_pk)
        scratch = OrganizationProfile.objects.get(pk=profile.pk) if profile else None
        form = ProfileForm(request.POST, instance=scratch, user=request.user)
        if not form.is_valid():
            return self.page(org, form, status=400)
        try:
            services.profile_set(user=request.user, organization=org, data=form_data(form))
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.page(org, form, status=400)
        messages.success(request, _("The facts of {org} are saved.").format(org=org.name))
        return HttpResponseRedirect(reverse("market:policy_match") + f"?organization={org.pk}")


# Carrier spaces -------------------------------------------------------------------------------


MAP_WIDTH, MAP_HEIGHT, MAP_PAD = 720, 420, 48


def delta_map(groups: list[dict[str, Any]], *, compact: bool = False) -> dict[str, Any]:
    """A plain SVG map of the delta: every city as a dot, corridor cities linked, spaces as circles per city.

    Equirectangular projection scaled by cos(latitude) so distances look right at ~31°N; no tiles, no
    outside requests. Returns shapes in pixel coordinates for the template.
    """
    cities = list(City.objects.only("pk", "code", "short_name", "name_en", "lon", "lat", "corridor"))
    if not cities and not groups:
        return {"width": MAP_WIDTH, "height": MAP_HEIGHT, "cities": [], "spaces": [], "line": "", "compact": compact}
    by_name = {c.short_name: c for c in cities}
    # Frame the corridor and every city with spaces; other delta cities are drawn when they fall inside.
    framed = [(c.lon, c.lat) for c in cities if c.corridor] + [(g["lon"], g["lat"]) for g in groups]
    framed = framed or [(c.lon, c.lat) for c in cities]
    lons, lats = [p[0] for p in framed], [p[1] for p in framed]
    margin = 0.35
    west, east, south, north = min(lons) - margin, max(lons) + margin, min(lats) - margin, max(lats) + margin
    cities = [c for c in cities if west <= c.lon <= east and south <= c.lat <= north]
    mid = math.radians((south + north) / 2)
    span_x = max((east - west) * math.cos(mid), 0.1)
    span_y = max(north - south, 0.1)
    width = MAP_WIDTH
    scale = min((width - 2 * MAP_PAD) / span_x, (MAP_HEIGHT - 2 * MAP_PAD) / span_y)
    height = int(span_y * scale + 2 * MAP_PAD)
    width = int(span_x * scale + 2 * MAP_PAD)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (round(MAP_PAD + (lon - west) * math.cos(mid) * scale, 1), round(MAP_PAD + (north - lat) * scale, 1))

    with_spaces = {g["city"] for g in groups}
    dots = []
    for c in cities:
        x, y = xy(c.lon, c.lat)
        dots.append({"x": x, "y": y, "lx": x + 5, "ly": y - 5, "name": str(c), "corridor": c.corridor, "label": bool(c.corridor) and c.short_name not in with_spaces})
    core = sorted((c for c in cities if c.corridor == CorridorMembership.CORE), key=lambda c: c.lon)
    line = " ".join(f"{x},{y}" for x, y in (xy(c.lon, c.lat) for c in core))
    top = max((len(g["spaces"]) for g in groups), default=1)
    circles = []
    for g in groups:
        x, y = xy(g["lon"], g["lat"])
        n = len(g["spaces"])
        city = by_name.get(g["city"])
        r = round(7 + 13 * math.sqrt(n / top), 1)
        circles.append({
            "x": x, "y": y, "r": r, "lx": round(x + r + 3, 1), "ly": round(y - r / 2, 1), "count": n, "city": str(city) if city else g["city"],
            "area": g["area"], "names": [s["name"] for s in g["spaces"]], "code": city.code if city else "",
        })
    return {"width": width, "height": height, "cities": dots, "spaces": circles, "line": line, "compact": compact}


class SpaceListView(ObjectListView):
    model = CarrierSpace
    url_prefix = "space"
    queryset = CarrierSpace.objects.select_related("city", "operator_org").prefetch_related("industries")
    filterset_class = SpaceFilterSet
    template_name = "market/space_list.html"
    columns = (
        Column("name", linkify=True, order_by="name"),
        Column("kind", template="generic/cells/badge.html", order_by="kind"),
        Column("city", order_by="city__code"),
        Column("operator_org", accessor="operator_org.name", order_by="operator_org__name"),
        Column("available_area", template="market/cells/area.html", order_by="available_area", css="text-end"),
        Column("rent", label=gettext_lazy("rent (yuan/m²/day)"), template="market/cells/rent.html", order_by="rent_min", css="text-end"),
    )

    def extra_context(self, context: dict[str, Any]) -> dict[str, Any]:
        qs = context["paginator"].object_list
        return {"map": delta_map(selectors.space_map(qs))}


class SpaceDetailView(MarketDetailView):
    model = CarrierSpace
    url_prefix = "space"
    queryset = CarrierSpace.objects.select_related("city", "operator_org")
    template_name = "market/space_detail.html"

    def extra_context(self, obj: CarrierSpace) -> dict[str, Any]:
        nearby = selectors.spaces_for(self.request.user).filter(city=obj.city).exclude(pk=obj.pk)[:5]
        return {"industries": obj.industries.all(), "nearby": nearby}


class SpaceEditView(ObjectEditView):
    model = CarrierSpace
    url_prefix = "space"

    form_class = SpaceForm

    def create(self, form: Any, formsets: dict[str, Any]) -> CarrierSpace:
        return services.space_create(user=self.request.user, data=form_data(form))

    def update(self, obj: CarrierSpace, form: Any, formsets: dict[str, Any]) -> CarrierSpace:
        return services.space_update(obj, user=self.request.user, data=form_data(form))


class SpaceDeleteView(ObjectDeleteView):
    model = CarrierSpace
    url_prefix = "space"

    def perform_delete(self, obj: CarrierSpace) -> None:
        services.space_delete(obj, user=self.request.user)


def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Bid documents live outside the web root; only people who may see the bid get them, always as a download.

    Under blind review the file keeps a neutral name for reviewers (its original name may name the bidder).
    """
    attachment = get_object_or_404(BidAttachment.objects.select_related("bid", "bid__call"), pk=pk)
    if not Bid.objects.restrict(request.user, VIEW).filter(pk=attachment.bid_id).exists():
        raise Http404
    name = attachment.original_name
    if not selectors.bidder_identity_visible(request.user, attachment.bid):
        name = f"document-{attachment.pk}.{attachment.kind}"
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
