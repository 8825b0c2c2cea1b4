"""Pages of the shared laboratories: instruments with a week calendar and booking form, the owner's
approval queue, one's own bookings, utilisation charts with exports, and iCalendar feeds.

Views only shape input and show results; every rule is decided by ``corridor.labs.services``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from corridor.core.errors import ConflictError
from corridor.core.generic import (
    Column,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    apply_validation_error,
)
from corridor.core.permissions import CHANGE, VIEW, can
from corridor.core.views import plotly_url
from corridor.labs import exports, selectors, services
from corridor.labs.choices import BookingKind, BookingStatus, InstrumentStatus
from corridor.labs.filtersets import InstrumentFilterSet
from corridor.labs.forms import BlockForm, BookingForm, InstrumentForm, UsageForm, UtilisationForm
from corridor.labs.ical import bookings_calendar
from corridor.labs.models import Booking, Instrument, minutes_label
from corridor.labs.periods import parse_period, utilisation_window

ICS_SALT = "corridor.labs.ics"

# Instruments ---------------------------------------------------------------------------------


class InstrumentListView(ObjectListView):
    model = Instrument
    url_prefix = "instrument"
    queryset = Instrument.objects.select_related("organization", "city")
    filterset_class = InstrumentFilterSet
    template_name = "labs/instrument_list.html"
    columns = (
        Column("name", linkify=True, order_by="name"),
        Column("category", order_by="category"),
        Column("organization", accessor="organization.name", order_by="organization__name"),
        Column("city", order_by="city__code"),
        Column("price_corridor", order_by="price_corridor", css="text-end"),
        Column("market_price", order_by="market_price", css="text-end"),
        Column("status", order_by="status"),
    )


@dataclass
class Cell:
    state: str  # closed, free, busy, mine, maintenance, past
    start: dt.datetime
    label: str = ""


def week_grid(instrument: Instrument, monday: dt.date, user: Any, now: dt.datetime) -> dict[str, Any]:
    """The week as rows of 30-minute cells (local time), from the earliest opening to the latest closing."""
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(monday, dt.time(0), tzinfo=tz)
    end = start + dt.timedelta(days=7)
    periods = list(instrument.opening_periods.all())
    if not periods:
        return {"rows": [], "days": []}
    first = min(p.start_minute for p in periods) // 30 * 30
    last = max(p.end_minute for p in periods)
    open_iv = selectors.open_intervals(instrument, start, end)
    bookings = list(
        instrument.bookings.filter(status__in=selectors.ACTIVE_STATUSES, start__lt=end, end__gt=start).only(
            "start", "end", "kind", "user_id", "status"
        )
    )
    earliest = now + dt.timedelta(hours=instrument.lead_time_hours)
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    rows = []
    for minute in range(first, last, 30):
        cells = []
        for day in days:
            cs = dt.datetime.combine(day, dt.time(0), tzinfo=tz) + dt.timedelta(minutes=minute)
            ce = cs + dt.timedelta(minutes=30)
            booking = next((b for b in bookings if b.start < ce and b.end > cs), None)
            is_open = any(s <= cs and ce <= e for s, e in open_iv)
            if booking is not None:
                if booking.kind == BookingKind.MAINTENANCE:
                    cells.append(Cell("maintenance", cs, _("Maintenance")))
                elif getattr(user, "pk", None) == booking.user_id:
                    cells.append(Cell("mine", cs, booking.get_status_display()))
                else:
                    cells.append(Cell("busy", cs, _("Booked")))
            elif not is_open:
                cells.append(Cell("closed", cs))
            elif cs < earliest or instrument.status != InstrumentStatus.AVAILABLE:
                cells.append(Cell("past", cs))
            else:
                cells.append(Cell("free", cs, _("Free")))
        rows.append({"time": minutes_label(minute), "cells": cells})
    return {"rows": rows, "days": days}


def _monday(request: HttpRequest) -> dt.date:
    today = timezone.localdate()
    try:
        day = dt.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = today
    if abs((day - today).days) > 3660:
        day = today
    return day - dt.timedelta(days=day.weekday())


class InstrumentDetailView(ObjectDetailView):
    model = Instrument
    url_prefix = "instrument"
    queryset = Instrument.objects.select_related("organization", "city", "resource").prefetch_related("opening_periods")
    template_name = "labs/instrument_detail.html"

    def extra_context(self, obj: Instrument) -> dict[str, Any]:
        return instrument_context(self.request, obj)


def instrument_context(
    request: HttpRequest, obj: Instrument, *, booking_form: BookingForm | None = None, block_form: BlockForm | None = None
) -> dict[str, Any]:
    user = request.user
    monday = _monday(request)
    now = timezone.now()
    owner = can(user, CHANGE, obj)
    initial: dict[str, Any] = {}
    if "start" in request.GET:
        try:
            start = timezone.make_aware(dt.datetime.fromisoformat(request.GET["start"][:16]))
            initial = {"start": start, "end": start + dt.timedelta(minutes=max(obj.min_booking_minutes, 60))}
        except (ValueError, OverflowError):
            initial = {}
    visible = selectors.bookings_visible_to(user).filter(instrument=obj)
    return {
        "grid": week_grid(obj, monday, user, now),
        "week": monday,
        "prev_week": monday - dt.timedelta(days=7),
        "next_week": monday + dt.timedelta(days=7),
        "opening_hours": obj.opening_periods.all(),
        "blackouts": obj.blackouts.filter(end__gt=now)[:10],
        "booking_form": booking_form or (BookingForm(initial=initial, user=user) if user.is_authenticated else None),
        "block_form": block_form or (BlockForm() if owner else None),
        "is_owner": owner,
        "my_bookings": visible.filter(user=user, end__gt=now)[:20] if user.is_authenticated else [],
        "pending": visible.filter(status=BookingStatus.REQUESTED)[:20] if owner else [],
        "ics_url": reverse("labs:instrument_ics", args=[obj.pk]),
        "price_rows": [
            (_("Own organisation"), obj.price_own),
            (_("Corridor organisation"), obj.price_corridor),
            (_("Outside the corridor"), obj.price_outside),
            (_("Market reference price"), obj.market_price),
        ],
    }


class InstrumentEditView(ObjectEditView):
    model = Instrument
    url_prefix = "instrument"
    form_class = InstrumentForm

    def create(self, form: InstrumentForm, formsets: dict[str, Any]) -> Instrument:
        return services.instrument_create(user=self.request.user, data=form.instrument_data(), opening_periods=form.opening_periods())

    def update(self, obj: Instrument, form: InstrumentForm, formsets: dict[str, Any]) -> Instrument:
        return services.instrument_update(obj, user=self.request.user, data=form.instrument_data(), opening_periods=form.opening_periods())

    def validation_targets(self, form: Any, formsets: dict[str, Any]) -> dict[str, Any]:
        return {"opening_periods": lambda message: form.add_error("hours_0", message)}


class InstrumentDeleteView(ObjectDeleteView):
    model = Instrument
    url_prefix = "instrument"

    def perform_delete(self, obj: Instrument) -> None:
        services.instrument_delete(obj, user=self.request.user)


def _visible_instrument(request: HttpRequest, pk: int) -> Instrument:
    return get_object_or_404(
        Instrument.objects.restrict(request.user, VIEW).select_related("organization", "city").prefetch_related("opening_periods"),
        pk=pk,
    )


def _detail_with_errors(request: HttpRequest, obj: Instrument, status: int, **forms: Any) -> HttpResponse:
    from corridor.core.generic import history_rows

    context = {
        "object": obj,
        "model_name": Instrument._meta.verbose_name,
        "model_name_plural": Instrument._meta.verbose_name_plural,
        "url_names": {a: f"labs:instrument_{a}" for a in ("list", "add", "detail", "edit", "delete")},
        "can_change": can(request.user, CHANGE, obj),
        "can_delete": can(request.user, "delete", obj),
        "history": history_rows(obj),
        **instrument_context(request, obj, **forms),
    }
    return render(request, "labs/instrument_detail.html", context, status=status)


@login_required
@require_POST
def booking_create(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = _visible_instrument(request, pk)
    form = BookingForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            booking = services.booking_request(
                user=request.user,
                instrument=instrument,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                purpose=form.cleaned_data["purpose"],
                organization=form.cleaned_data["organization"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return _detail_with_errors(request, instrument, 403, booking_form=form)
        except ConflictError as exc:
            form.add_error(None, exc.message)
            return _detail_with_errors(request, instrument, 409, booking_form=form)
        else:
            if booking.status == BookingStatus.CONFIRMED:
                messages.success(request, _("Your booking is confirmed."))
            else:
                messages.success(request, _("Your request is waiting for the owner's approval."))
            week = timezone.localtime(booking.start).date().isoformat()
            return HttpResponseRedirect(f"{instrument.get_absolute_url()}?week={week}#calendar")
    return _detail_with_errors(request, instrument, 400, booking_form=form)


@login_required
@require_POST
def instrument_block(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = _visible_instrument(request, pk)
    form = BlockForm(request.POST)
    if form.is_valid():
        try:
            services.instrument_block(
                instrument, user=request.user, start=form.cleaned_data["start"], end=form.cleaned_data["end"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except ConflictError as exc:
            form.add_error(None, exc.message)
            return _detail_with_errors(request, instrument, 409, block_form=form)
        else:
            messages.success(request, _("The time is blocked for maintenance."))
            week = timezone.localtime(form.cleaned_data["start"]).date().isoformat()
            return HttpResponseRedirect(f"{instrument.get_absolute_url()}?week={week}#calendar")
    return _detail_with_errors(request, instrument, 400, block_form=form)


# Bookings --------------------------------------------------------------------------------------


def _visible_booking(request: HttpRequest, pk: int) -> Booking:
    return get_object_or_404(selectors.bookings_visible_to(request.user), pk=pk)


@login_required
@require_GET
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from corridor.core.generic import history_rows

    booking = _visible_booking(request, pk)
    owner = can(request.user, CHANGE, booking.instrument)
    now = timezone.now()
    initial = {"actual_start": booking.actual_start or booking.start, "actual_end": booking.actual_end or booking.end, "report": booking.usage_report}
    return render(
        request,
        "labs/booking_detail.html",
        {
            "booking": booking,
            "is_owner": owner,
            "is_booker": booking.user_id == request.user.pk,
            "usage_form": UsageForm(initial=initial) if owner and booking.start <= now else None,
            "history": history_rows(booking),
        },
    )


ACTIONS: dict[str, tuple[Callable[..., Booking], str, Any]] = {
    "approve": (services.booking_approve, "note", gettext_lazy("Booking approved.")),
    "reject": (services.booking_reject, "note", gettext_lazy("Booking request rejected.")),
    "cancel": (services.booking_cancel, "reason", gettext_lazy("Booking cancelled.")),
}


@login_required
@require_POST
def booking_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    booking = _visible_booking(request, pk)
    fn, text_arg, done = ACTIONS[action]
    back = request.POST.get("next") or reverse("labs:booking_detail", args=[booking.pk])
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("labs:booking_detail", args=[booking.pk])
    try:
        fn(booking, user=request.user, **{text_arg: request.POST.get("note", "")[:300]})
    except ConflictError as exc:
        return render(request, "generic/conflict.html", {"message": exc.message, "back_url": back}, status=409)
    messages.success(request, str(done))
    return HttpResponseRedirect(back)


@login_required
def booking_usage(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _visible_booking(request, pk)
    if not can(request.user, CHANGE, booking.instrument):
        raise PermissionDenied(_("Only the organisation that owns “{name}” may do this.").format(name=booking.instrument.name))
    form = UsageForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.booking_record_usage(booking, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            except ConflictError as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(request, _("Usage recorded; the fee is settled."))
                return HttpResponseRedirect(reverse("labs:booking_detail", args=[booking.pk]))
    return render(request, "labs/booking_usage.html", {"booking": booking, "form": form}, status=status)


@login_required
@require_GET
def approval_queue(request: HttpRequest) -> HttpResponse:
    """Requests waiting for the owner, and past bookings whose use is still to be recorded."""
    from corridor.core.permissions import is_operator, member_org_ids

    now = timezone.now()
    to_record = Booking.objects.filter(kind=BookingKind.BOOKING, status=BookingStatus.CONFIRMED, start__lte=now).select_related(
        "instrument", "user", "organization"
    )
    if not is_operator(request.user):
        to_record = to_record.filter(instrument__organization_id__in=member_org_ids(request.user))
    return render(
        request,
        "labs/approvals.html",
        {"pending": selectors.approval_queue(request.user)[:200], "to_record": to_record.order_by("-start")[:100], "now": now},
    )


@login_required
@require_GET
def my_bookings(request: HttpRequest) -> HttpResponse:
    qs = Booking.objects.filter(user_id=int(request.user.pk or 0)).select_related("instrument", "organization").order_by("-start")
    token = signing.dumps(request.user.pk, salt=ICS_SALT)
    return render(
        request,
        "labs/my_bookings.html",
        {"bookings": qs[:200], "ics_url": request.build_absolute_uri(reverse("labs:user_ics", args=[token]))},
    )


# iCalendar feeds --------------------------------------------------------------------------------


def _ics(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return response


@require_GET
def instrument_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """Public feed of an instrument: when it is taken, without who took it."""
    instrument = _visible_instrument(request, pk)
    since = timezone.now() - dt.timedelta(days=90)
    bookings = instrument.bookings.filter(status__in=selectors.ACTIVE_STATUSES, end__gte=since).select_related("instrument", "user")
    return _ics(bookings_calendar(bookings, name=instrument.name, host=request.get_host(), show_people=False), f"instrument-{pk}")


@require_GET
def user_ics(request: HttpRequest, token: str) -> HttpResponse:
    """A person's own bookings; the URL carries a signed token so calendar apps can subscribe without a login."""
    from corridor.orgs.models import User

    try:
        user_id = signing.loads(token, salt=ICS_SALT)
    except signing.BadSignature:
        raise Http404 from None
    user = get_object_or_404(User, pk=user_id, is_active=True)
    since = timezone.now() - dt.timedelta(days=180)
    bookings = (
        Booking.objects.filter(user=user, end__gte=since)
        .exclude(status=BookingStatus.REJECTED)
        .select_related("instrument", "instrument__city", "user")
    )
    return _ics(bookings_calendar(bookings, name=_("My instrument bookings"), host=request.get_host()), "my-bookings")


# Utilisation ------------------------------------------------------------------------------------


def _charts(rows: list[Any], group_by: str) -> list[dict[str, Any]]:
    """The two figures as plotly JSON for labs/utilisation.js (no inline script: the page runs under CSP)."""
    import json

    import plotly.graph_objects as go

    labels = [r.label for r in rows]
    util = [float(r.utilisation) * 100 for r in rows]
    fig = go.Figure(go.Bar(x=labels, y=util, marker_color="#0d6efd", name=_("Utilisation (%)")))
    fig.add_hline(y=68, line_dash="dot", line_color="#198754", annotation_text="68%")
    fig.update_layout(
        title=_("Utilisation = used hours / open hours"), yaxis_title="%", yaxis_range=[0, 100], height=380,
        margin={"l": 40, "r": 20, "t": 50, "b": 80 if group_by != "month" else 40},
    )
    cost = go.Figure()
    cost.add_bar(x=labels, y=[float(r.cost) for r in rows], name=_("Cost to users (yuan)"))
    cost.add_bar(x=labels, y=[float(r.market_cost) for r in rows], name=_("Market price (yuan)"))
    cost.update_layout(title=_("Cost to users against the market price"), barmode="group", height=380, margin={"l": 60, "r": 20, "t": 50, "b": 80})
    return [
        {"id": "chart-utilisation", "figure": json.loads(fig.to_json())},
        {"id": "chart-savings", "figure": json.loads(cost.to_json())},
    ]


@require_GET
def utilisation(request: HttpRequest) -> HttpResponse:
    form = UtilisationForm(request.GET or None)
    start_day = end_day = None
    group_by = "month"
    if form.is_bound and form.is_valid():
        start_day, end_day = form.cleaned_data["start"], form.cleaned_data["end"]
        group_by = form.cleaned_data["group_by"] or "month"
    try:
        start_day, end_day = parse_period(start_day, end_day)
    except ValidationError as exc:
        apply_validation_error(form, exc)
        start_day, end_day = parse_period(None, None)
    start, end = utilisation_window(start_day, end_day)
    qs = Instrument.objects.restrict(request.user, VIEW)
    total, rows = selectors.utilisation(start=start, end=end, group_by=group_by, instruments=qs)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        return exports.utilisation_response(total, rows, fmt, f"utilisation-{start_day}-{end_day}")
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "labs/utilisation.html",
        {
            "form": form,
            "total": total,
            "rows": rows,
            "group_by": group_by,
            "start_day": start_day,
            "end_day": end_day,
            "charts": _charts(rows, group_by) if rows else [],
            "plotly_url": plotly_url(),
            "querystring": query.urlencode(),
        },
    )
