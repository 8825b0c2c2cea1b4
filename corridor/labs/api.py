"""JSON API of the shared laboratories: instruments, availability, bookings and utilisation.

Every write goes through ``corridor.labs.services`` (which checks every booking rule); reads
through ``corridor.labs.selectors``. Times are ISO 8601; a time without an offset is read as
Asia/Shanghai local time.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import AfterValidator

from corridor.api.auth import ApiRequest
from corridor.api.crud import (
    ERRORS_READ,
    ERRORS_WRITE,
    HistoryPage,
    HistoryParams,
    Id,
    InSchema,
    Money,
    filtered_page,
    get_visible,
    history_page,
    list_params,
    page_schema,
    patch_schema,
    resolve_refs,
    sent,
)
from corridor.api.errors import ApiError
from corridor.core.permissions import VIEW
from corridor.labs import exports, selectors, services
from corridor.labs.choices import InstrumentCategory, InstrumentKind, InstrumentStatus
from corridor.labs.filtersets import BookingFilterSet, InstrumentFilterSet
from corridor.labs.models import Booking, Instrument, minutes_label
from corridor.labs.periods import MAX_AVAILABILITY_DAYS, parse_period, utilisation_window
from corridor.orgs.api import OrganizationRef
from corridor.orgs.models import Organization
from corridor.regions.api import CityRef
from corridor.regions.models import City

router = Router(tags=["labs"])

Text = Annotated[str, Field(max_length=20000)]
Short = Annotated[str, Field(max_length=200)]
HHMM = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$", description="HH:MM, local time; 24:00 ends the day")]
Minutes = Annotated[int, Field(ge=1, le=14 * 24 * 60)]
Hours = Annotated[int, Field(ge=0, le=24 * 365)]
MIN_YEAR, MAX_YEAR = 2000, 2100


def _moment(value: dt.datetime) -> dt.datetime:
    """A lab's calendar needs no other years; outside them local time misbehaves (Asia/Shanghai was
    +08:05:43 before 1901, which RFC 3339 cannot write; year 9999 overflows when made local)."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(_("Enter a date and time between the years {start} and {end}.").format(start=MIN_YEAR, end=MAX_YEAR))
    return value


Moment = Annotated[dt.datetime, AfterValidator(_moment)]


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value, timezone.get_default_timezone()) if timezone.is_naive(value) else value


def _minute(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


# Instruments -----------------------------------------------------------------------------------


class OpeningPeriodSchema(Schema):
    weekday: Annotated[int, Field(ge=0, le=6, description="0 = Monday … 6 = Sunday")]
    start: HHMM
    end: HHMM


class InstrumentOut(Schema):
    id: int
    resource: int = Field(description="The instrument's entry among the resources of the three lists.")
    kind: str
    name: str
    model_name: str
    manufacturer: str
    category: str
    organization: OrganizationRef
    city: CityRef
    address: str
    room: str
    capabilities: str
    opening_hours: list[OpeningPeriodSchema]
    min_booking_minutes: int
    max_booking_minutes: int
    lead_time_hours: int
    cancel_cutoff_hours: int
    price_own: Decimal
    price_corridor: Decimal
    price_outside: Decimal
    market_price: Decimal
    qualification_required: bool
    approval_required: bool
    status: str
    url: str

    @staticmethod
    def resolve_resource(obj: Instrument) -> int:
        return obj.resource_id

    @staticmethod
    def resolve_opening_hours(obj: Instrument) -> list[dict[str, Any]]:
        return [
            {"weekday": p.weekday, "start": minutes_label(p.start_minute), "end": minutes_label(p.end_minute)}
            for p in obj.opening_periods.all()
        ]

    @staticmethod
    def resolve_url(obj: Instrument) -> str:
        return obj.get_absolute_url()


class InstrumentIn(InSchema):
    organization: Id
    kind: InstrumentKind = InstrumentKind.INSTRUMENT
    name: Short
    model_name: Annotated[str, Field(max_length=120)] = ""
    manufacturer: Annotated[str, Field(max_length=120)] = ""
    category: InstrumentCategory
    city: Id | None = None
    address: Short = ""
    room: Annotated[str, Field(max_length=60)] = ""
    capabilities: Text
    opening_hours: Annotated[list[OpeningPeriodSchema], Field(max_length=50)] | None = None
    min_booking_minutes: Minutes = 30
    max_booking_minutes: Minutes = 480
    lead_time_hours: Hours = 24
    cancel_cutoff_hours: Hours = 24
    price_own: Money = Decimal("0.00")
    price_corridor: Money
    price_outside: Money
    market_price: Money
    qualification_required: bool = False
    approval_required: bool = True
    status: InstrumentStatus = InstrumentStatus.AVAILABLE
    contact_name: Annotated[str, Field(max_length=100)] = ""
    contact_email: Annotated[str, Field(max_length=254)] = ""


InstrumentPatch = patch_schema(InstrumentIn, "InstrumentPatch")
InstrumentParams = list_params(InstrumentFilterSet, "InstrumentParams")


def _instruments() -> Any:
    return Instrument.objects.select_related("organization", "city").prefetch_related("opening_periods")


def _instrument_write(request: ApiRequest, data: dict[str, Any]) -> tuple[dict[str, Any], list[services.OpeningPeriodInput] | None]:
    hours = data.pop("opening_hours", None)
    periods = None
    if hours is not None:
        periods = [services.OpeningPeriodInput(h["weekday"], _minute(h["start"]), _minute(h["end"])) for h in hours]
    data = resolve_refs(data, {"organization": Organization.objects.all(), "city": City.objects.all()})
    return data, periods


@router.get("/instruments", response={200: page_schema(InstrumentOut), **ERRORS_READ}, url_name="instrument_list", tags=["labs"])
def list_instruments(request: ApiRequest, params: Query[InstrumentParams]) -> Any:  # type: ignore[valid-type]
    """Instruments and platforms open for booking (retired ones only to their owners)."""
    return filtered_page(request, _instruments().restrict(request.auth, VIEW), params)


@router.post("/instruments", response={201: InstrumentOut, **ERRORS_WRITE}, url_name="instrument_list", tags=["labs"])
def create_instrument(request: ApiRequest, payload: InstrumentIn) -> Any:
    """Open an instrument for booking; it appears among the resources of the three lists as well."""
    data, periods = _instrument_write(request, sent(payload))
    inst = services.instrument_create(user=request.auth, data=data, opening_periods=periods, source="api")
    return 201, _instruments().get(pk=inst.pk)


@router.get("/instruments/{id}", response={200: InstrumentOut, **ERRORS_READ}, url_name="instrument_detail", tags=["labs"])
def get_instrument(request: ApiRequest, id: Id) -> Any:
    return get_visible(_instruments(), id, request.auth)


@router.patch("/instruments/{id}", response={200: InstrumentOut, **ERRORS_WRITE}, url_name="instrument_detail", tags=["labs"])
def update_instrument(request: ApiRequest, id: Id, payload: InstrumentPatch) -> Any:  # type: ignore[valid-type]
    inst = get_visible(_instruments(), id, request.auth)
    data, periods = _instrument_write(request, {k: v for k, v in sent(payload).items() if v is not None or k == "city"})
    services.instrument_update(inst, user=request.auth, data=data, opening_periods=periods, source="api")
    return _instruments().get(pk=inst.pk)


@router.get("/instruments/{id}/history", response={200: HistoryPage, **ERRORS_READ}, url_name="instrument_history", tags=["labs"])
def instrument_history(request: ApiRequest, id: Id, params: Query[HistoryParams]) -> Any:
    return history_page(get_visible(Instrument.objects.all(), id, request.auth), params)


class SlotOut(Schema):
    start: dt.datetime
    end: dt.datetime
    minutes: int


class AvailabilityOut(Schema):
    instrument: int
    start: dt.datetime = Field(alias="from")
    end: dt.datetime = Field(alias="to")
    slots: list[SlotOut]


class AvailabilityParams(Schema):
    start: Moment = Field(alias="from", description="ISO 8601; without an offset, Asia/Shanghai time")
    end: Moment = Field(alias="to", description=f"at most {MAX_AVAILABILITY_DAYS} days after ``from``")


@router.get(
    "/instruments/{id}/availability",
    response={200: AvailabilityOut, **ERRORS_READ},
    url_name="instrument_availability",
    tags=["labs"],
    by_alias=True,
)
def availability(request: ApiRequest, id: Id, params: Query[AvailabilityParams]) -> Any:
    """Free slots between ``from`` and ``to``: open, not booked or blocked, past the lead time, at least the shortest booking."""
    inst = get_visible(_instruments(), id, request.auth)
    start, end = _aware(params.start), _aware(params.end)
    if end <= start:
        raise ApiError.field("to", _("“to” must come after “from”."), "invalid_range")
    if end - start > dt.timedelta(days=MAX_AVAILABILITY_DAYS):
        raise ApiError.field("to", _("Ask for at most {days} days at a time.").format(days=MAX_AVAILABILITY_DAYS), "range_too_long")
    slots = selectors.free_slots(inst, start, end)
    local = timezone.localtime
    return {
        "instrument": inst.pk,
        "from": local(start),
        "to": local(end),
        "slots": [{"start": local(s.start), "end": local(s.end), "minutes": s.minutes} for s in slots],
    }


# Bookings ---------------------------------------------------------------------------------------


class InstrumentRef(Schema):
    id: int
    name: str


class BookingOut(Schema):
    id: int
    instrument: InstrumentRef
    kind: str
    status: str
    start: dt.datetime
    end: dt.datetime
    user: str
    organization: OrganizationRef | None
    purpose: str
    user_group: str
    price_per_hour: Decimal
    market_price_per_hour: Decimal
    fee: Decimal
    decision_note: str
    decided_at: dt.datetime | None
    actual_start: dt.datetime | None
    actual_end: dt.datetime | None
    usage_report: str

    @staticmethod
    def resolve_user(obj: Booking) -> str:
        return str(obj.user)


class BlockIn(InSchema):
    start: Moment
    end: Moment
    reason: Short = ""


@router.post("/instruments/{id}/blocks", response={201: BookingOut, **ERRORS_WRITE}, url_name="instrument_blocks", tags=["labs"])
def block_instrument(request: ApiRequest, id: Id, payload: BlockIn) -> Any:
    """The owner blocks time for maintenance (refused where bookings already hold that time)."""
    inst = get_visible(_instruments(), id, request.auth)
    block = services.instrument_block(
        inst, user=request.auth, start=_aware(payload.start), end=_aware(payload.end), reason=payload.reason, source="api"
    )
    return 201, _bookings().get(pk=block.pk)


class BookingIn(InSchema):
    instrument: Id
    start: Moment
    end: Moment
    purpose: Text = ""
    organization: Id | None = Field(None, description="The organisation you book for (default: your first).")


BookingParams = list_params(BookingFilterSet, "BookingParams")


def _bookings() -> Any:
    return Booking.objects.select_related("instrument", "user", "organization")


def _booking(request: ApiRequest, id: int) -> Booking:
    return get_object_or_404(selectors.bookings_visible_to(request.auth), pk=id)


@router.get("/bookings", response={200: page_schema(BookingOut), **ERRORS_READ}, url_name="booking_list", tags=["labs"])
def list_bookings(request: ApiRequest, params: Query[BookingParams]) -> Any:  # type: ignore[valid-type]
    """Bookings you may see: your own, your organisations', and those of the instruments you own."""
    return filtered_page(request, selectors.bookings_visible_to(request.auth).order_by("start", "id"), params)


@router.post("/bookings", response={201: BookingOut, **ERRORS_WRITE}, url_name="booking_list", tags=["labs"])
def create_booking(request: ApiRequest, payload: BookingIn) -> Any:
    """Request a booking; it is confirmed at once unless the instrument needs the owner's approval."""
    data = resolve_refs(
        sent(payload),
        {"instrument": Instrument.objects.restrict(request.auth, VIEW), "organization": Organization.objects.all()},
    )
    booking = services.booking_request(
        user=request.auth,
        instrument=data["instrument"],
        start=_aware(payload.start),
        end=_aware(payload.end),
        purpose=payload.purpose,
        organization=data.get("organization"),
        source="api",
    )
    return 201, _bookings().get(pk=booking.pk)


@router.get("/bookings/{id}", response={200: BookingOut, **ERRORS_READ}, url_name="booking_detail", tags=["labs"])
def get_booking(request: ApiRequest, id: Id) -> Any:
    return _booking(request, id)


class BookingNoteIn(InSchema):
    note: Annotated[str, Field(max_length=300)] = ""


class CancelIn(InSchema):
    reason: Annotated[str, Field(max_length=300)] = ""


class UsageIn(InSchema):
    actual_start: Moment
    actual_end: Moment
    report: Annotated[str, Field(max_length=4000)] = ""


@router.post("/bookings/{id}/approve", response={200: BookingOut, **ERRORS_WRITE}, url_name="booking_approve", tags=["labs"])
def approve_booking(request: ApiRequest, id: Id, payload: BookingNoteIn) -> Any:
    """Requested → confirmed (the instrument's owner)."""
    booking = services.booking_approve(_booking(request, id), user=request.auth, note=payload.note, source="api")
    return _bookings().get(pk=booking.pk)


@router.post("/bookings/{id}/reject", response={200: BookingOut, **ERRORS_WRITE}, url_name="booking_reject", tags=["labs"])
def reject_booking(request: ApiRequest, id: Id, payload: BookingNoteIn) -> Any:
    """Requested → rejected (the instrument's owner); the time becomes free again."""
    booking = services.booking_reject(_booking(request, id), user=request.auth, note=payload.note, source="api")
    return _bookings().get(pk=booking.pk)


@router.post("/bookings/{id}/cancel", response={200: BookingOut, **ERRORS_WRITE}, url_name="booking_cancel", tags=["labs"])
def cancel_booking(request: ApiRequest, id: Id, payload: CancelIn) -> Any:
    """The booker until the cut-off before the start; the owner until the end."""
    booking = services.booking_cancel(_booking(request, id), user=request.auth, reason=payload.reason, source="api")
    return _bookings().get(pk=booking.pk)


@router.post("/bookings/{id}/usage", response={200: BookingOut, **ERRORS_WRITE}, url_name="booking_usage", tags=["labs"])
def record_usage(request: ApiRequest, id: Id, payload: UsageIn) -> Any:
    """The owner records the actual use; the booking is completed and its fee settled."""
    booking = services.booking_record_usage(
        _booking(request, id),
        user=request.auth,
        actual_start=_aware(payload.actual_start),
        actual_end=_aware(payload.actual_end),
        report=payload.report,
        source="api",
    )
    return _bookings().get(pk=booking.pk)


@router.get("/bookings/{id}/history", response={200: HistoryPage, **ERRORS_READ}, url_name="booking_history", tags=["labs"])
def booking_history(request: ApiRequest, id: Id, params: Query[HistoryParams]) -> Any:
    return history_page(_booking(request, id), params)


# Utilisation ------------------------------------------------------------------------------------


class UtilisationRowOut(Schema):
    key: str
    label: str
    instruments: int
    open_hours: Decimal
    used_hours: Decimal
    utilisation: Decimal = Field(description="used hours / open hours")
    bookings: int
    cross_region_bookings: int
    cross_region_share: Decimal
    cost: Decimal = Field(description="fees of completed bookings (yuan)")
    market_cost: Decimal = Field(description="the same hours at the market reference price (yuan)")
    savings: Decimal
    savings_rate: Decimal


class UtilisationOut(Schema):
    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")
    group_by: str
    total: UtilisationRowOut
    rows: list[UtilisationRowOut]


class UtilisationParams(Schema):
    start: dt.date | None = Field(None, alias="from", description="first day (default: four months back)")
    end: dt.date | None = Field(None, alias="to", description="last day, inclusive (default: today)")
    group_by: Literal["instrument", "organization", "city", "month"] = "month"
    city: Annotated[str, Field(max_length=40)] | None = None
    organization: Id | None = None
    format: Literal["json", "csv", "xlsx"] = "json"


# format=csv / xlsx answer a download: documented next to the JSON answer.
_DOWNLOADS = {
    "text/csv": {"schema": {"type": "string"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}},
}


@router.get(
    "/labs/utilisation", response={200: UtilisationOut, **ERRORS_READ}, url_name="labs_utilisation", tags=["labs"], by_alias=True,
    openapi_extra={"responses": {200: {"content": _DOWNLOADS}}},
)
def utilisation(request: ApiRequest, params: Query[UtilisationParams]) -> Any:
    """Utilisation (used hours / open hours), cross-region share of bookings and savings against market prices.

    ``format=csv`` or ``xlsx`` downloads the same table.
    """
    start_day, end_day = parse_period(params.start, params.end)
    start, end = utilisation_window(start_day, end_day)
    qs = Instrument.objects.restrict(request.auth, VIEW)
    if params.city:
        from corridor.regions.selectors import resolve_city

        city = resolve_city(params.city)
        if city is None:
            raise ApiError.field("city", _("Unknown city: {city}.").format(city=params.city), "unknown_city")
        qs = qs.filter(city=city)
    if params.organization:
        qs = qs.filter(organization_id=params.organization)
    total, rows = selectors.utilisation(start=start, end=end, group_by=params.group_by, instruments=qs)
    if params.format != "json":
        return exports.utilisation_response(total, rows, params.format, f"utilisation-{start_day}-{end_day}")
    return {
        "from": start_day,
        "to": end_day,
        "group_by": params.group_by,
        "total": {**total.as_dict(), "label": _("Total")},
        "rows": [r.as_dict() for r in rows],
    }


def ics_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return response
