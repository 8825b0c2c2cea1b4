"""State changes of the shared laboratories. Views and the API call these; every rule is checked here.

Errors: a request that breaks a booking rule raises ``ValidationError`` (HTTP 400) with a
code (``outside_opening_hours``, ``blackout``, ``too_short``, ``too_long``, ``lead_time``, …);
acting without the right raises ``PermissionDenied`` (403, also for a missing
qualification); a clash with the current state raises ``ConflictError`` (409:
``overlap``, ``instrument_unavailable``, ``cutoff_passed``, ``invalid_transition``).

No double booking: the overlap check runs inside the write transaction after locking the
instrument row (PostgreSQL) or taking SQLite's write lock at BEGIN (transaction_mode
IMMEDIATE), and the database refuses overlapping active bookings on its own (exclusion
constraint on PostgreSQL, triggers on SQLite — migration 0002), so even a check that raced
cannot write a second booking.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.core.errors import ConflictError
from corridor.core.history import record_change, snapshot
from corridor.core.models import ChangeAction
from corridor.core.permissions import ADD, CHANGE, can, is_operator, member_org_ids
from corridor.core.services import object_create, object_delete, object_update
from corridor.labs.choices import ACTIVE_STATUSES, BookingKind, BookingStatus, InstrumentStatus, UserGroup
from corridor.labs.models import MINUTES_PER_DAY, Blackout, Booking, Instrument, OpeningPeriod, Qualification
from corridor.labs.selectors import opening_intervals
from corridor.lists.choices import FeeBasis, ResourceStatus
from corridor.lists.services import resource_create, resource_update
from corridor.orgs.models import Organization

CENT = Decimal("0.01")
T = TypeVar("T")
SQLITE_LOCK_RETRIES = 60


def _serialised(write: Callable[[], T]) -> T:
    """Run ``write`` in one transaction; on SQLite, wait for the write lock as a busy handler would.

    A file database waits by itself (timeout in settings); a shared-cache database (the test
    suite's in-memory one) reports "table is locked" at once instead. The whole transaction
    is rolled back before it is tried again, so retrying changes nothing but the waiting.
    Inside a caller's transaction there is nothing safe to retry, so the error goes up.
    """
    attempt = 0
    while True:
        try:
            with transaction.atomic():
                return write()
        except OperationalError as exc:
            retry = connection.vendor == "sqlite" and "locked" in str(exc) and not connection.in_atomic_block
            if not retry or attempt >= SQLITE_LOCK_RETRIES:
                raise
            attempt += 1
            time.sleep(min(0.01 * attempt, 0.2))


def _rule(code: str, message: str) -> ValidationError:
    return ValidationError(message, code=code)


def _aware(value: dt.datetime, name: str) -> None:
    if not isinstance(value, dt.datetime) or timezone.is_naive(value):
        raise _rule("naive_datetime", _("The {name} needs a date, a time and a time zone.").format(name=name))


def fee_for(price_per_hour: Decimal, hours: Decimal) -> Decimal:
    return (price_per_hour * hours).quantize(CENT, ROUND_HALF_UP)


def user_group_for(instrument: Instrument, organization: Organization | None) -> str:
    """Own organisation, an organisation of a corridor city, or outside (no organisation counts as outside)."""
    if organization is None:
        return UserGroup.OUTSIDE
    if organization.pk == instrument.organization_id:
        return UserGroup.OWN
    if organization.city is not None and organization.city.in_corridor:
        return UserGroup.CORRIDOR
    return UserGroup.OUTSIDE


def _require_owner(user: Any, instrument: Instrument) -> None:
    if not can(user, CHANGE, instrument):
        raise PermissionDenied(_("Only the organisation that owns “{name}” may do this.").format(name=instrument.name))


# Instruments ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpeningPeriodInput:
    weekday: int
    start_minute: int
    end_minute: int


def validate_opening_periods(periods: Sequence[OpeningPeriodInput]) -> None:
    by_day: dict[int, list[tuple[int, int]]] = {}
    for p in periods:
        if p.weekday not in range(7):
            raise ValidationError({"opening_periods": _("Weekdays run from 0 (Monday) to 6 (Sunday).")})
        if not 0 <= p.start_minute < p.end_minute <= MINUTES_PER_DAY:
            raise ValidationError({"opening_periods": _("An opening period must close after it opens, within the day.")})
        by_day.setdefault(p.weekday, []).append((p.start_minute, p.end_minute))
    for spans in by_day.values():
        spans.sort()
        for (_s1, e1), (s2, _e2) in zip(spans, spans[1:], strict=False):
            if s2 < e1:
                raise ValidationError({"opening_periods": _("Opening periods of one day must not overlap.")})


def _set_opening_periods(instrument: Instrument, periods: Sequence[OpeningPeriodInput] | None) -> None:
    if periods is None:
        return
    validate_opening_periods(periods)
    instrument.opening_periods.all().delete()
    OpeningPeriod.objects.bulk_create(
        [OpeningPeriod(instrument=instrument, weekday=p.weekday, start_minute=p.start_minute, end_minute=p.end_minute) for p in periods]
    )


def _resource_data(instrument_data: Mapping[str, Any]) -> dict[str, Any]:
    """The lists resource that mirrors an instrument: same owner, city, name; capabilities as description."""
    d = instrument_data
    details = [d.get("capabilities", "")]
    model_line = " ".join(x for x in (d.get("manufacturer", ""), d.get("model_name", "")) if x)
    if model_line:
        details.append(_("Model: {model}").format(model=model_line))
    place = " ".join(x for x in (d.get("address", ""), d.get("room", "")) if x)
    if place:
        details.append(_("Location: {place}").format(place=place))
    status = d.get("status", InstrumentStatus.AVAILABLE)
    market = d.get("market_price")
    corridor_price = d.get("price_corridor")
    return {
        "kind": d.get("kind"),
        "name": d.get("name"),
        "owner": d.get("organization"),
        "city": d.get("city"),
        "description": "\n".join(x for x in details if x),
        "fee_basis": FeeBasis.COST if market is not None and corridor_price is not None and corridor_price < market else FeeBasis.MARKET,
        "status": {
            InstrumentStatus.AVAILABLE: ResourceStatus.AVAILABLE,
            InstrumentStatus.MAINTENANCE: ResourceStatus.LIMITED,
        }.get(status, ResourceStatus.UNAVAILABLE),
        "public": status != InstrumentStatus.RETIRED,
        "contact_name": d.get("contact_name", ""),
        "contact_email": d.get("contact_email", ""),
    }


def _instrument_fields(instrument: Instrument) -> dict[str, Any]:
    return {f.name: getattr(instrument, f.name) for f in Instrument._meta.concrete_fields if f.name not in ("id",)}


def instrument_create(
    *,
    user: Any,
    data: Mapping[str, Any],
    opening_periods: Sequence[OpeningPeriodInput] | None = None,
    source: str = "web",
) -> Instrument:
    """Open an instrument or platform for booking; creates its resource in the three lists."""
    if not can(user, ADD, model=Instrument):
        raise PermissionDenied(_("You need to act for an organisation to open instruments."))
    org = data.get("organization")
    if org is None:
        raise ValidationError({"organization": _("Say which organisation owns the instrument.")})
    if not is_operator(user) and org.pk not in member_org_ids(user):
        raise PermissionDenied(_("You do not act for {org}.").format(org=org.name))
    data = dict(data)
    if data.get("city") is None:
        data["city"] = org.city
    if data.get("city") is None:
        raise ValidationError({"city": _("Say in which city the instrument stands.")})
    data.setdefault("kind", "instrument")
    if opening_periods is not None:
        validate_opening_periods(opening_periods)
    with transaction.atomic():
        resource = resource_create(user=user, data=_resource_data(data), source=source)
        data["resource"] = resource
        return object_create(
            Instrument, user=user, data=data, source=source, after_save=lambda i: _set_opening_periods(i, opening_periods)
        )


def instrument_update(
    instrument: Instrument,
    *,
    user: Any,
    data: Mapping[str, Any],
    opening_periods: Sequence[OpeningPeriodInput] | None = None,
    source: str = "web",
) -> Instrument:
    _require_owner(user, instrument)
    data = dict(data)
    data.pop("resource", None)
    if "organization" in data and data["organization"].pk != instrument.organization_id:
        if not is_operator(user) and data["organization"].pk not in member_org_ids(user):
            raise PermissionDenied(_("You do not act for {org}.").format(org=data["organization"].name))
    with transaction.atomic():
        instrument = object_update(
            instrument, user=user, data=data, source=source, after_save=lambda i: _set_opening_periods(i, opening_periods)
        )
        resource_update(instrument.resource, user=user, data=_resource_data(_instrument_fields(instrument)), source=source)
    return instrument


def instrument_delete(instrument: Instrument, *, user: Any, source: str = "web") -> None:
    """Remove an instrument that was never booked (with its resource); otherwise retire it instead."""
    from corridor.lists.services import resource_delete

    _require_owner(user, instrument)
    if instrument.bookings.exists():
        raise ConflictError(
            _("“{name}” has bookings and cannot be deleted; set its status to retired instead.").format(name=instrument.name),
            code="has_bookings",
        )
    with transaction.atomic():
        resource = instrument.resource
        object_delete(instrument, user=user, source=source)
        resource_delete(resource, user=user, source=source)


def blackout_add(
    instrument: Instrument, *, user: Any, start: dt.datetime, end: dt.datetime, reason: str = "", source: str = "web"
) -> Blackout:
    """Close the instrument for a period (holiday, move). Bookings already made are not touched."""
    _require_owner(user, instrument)
    _aware(start, _("start"))
    _aware(end, _("end"))
    if start >= end:
        raise _rule("end_before_start", _("The end must come after the start."))
    with transaction.atomic():
        blackout = Blackout(instrument=instrument, start=start, end=end, reason=reason)
        blackout.full_clean()
        blackout.save()
        record_change(instrument, ChangeAction.UPDATE, user=user, source=source, extra={"blackout_added": str(blackout)})
    return blackout


def blackout_remove(blackout: Blackout, *, user: Any, source: str = "web") -> None:
    _require_owner(user, blackout.instrument)
    with transaction.atomic():
        text = str(blackout)
        blackout.delete()
        record_change(blackout.instrument, ChangeAction.UPDATE, user=user, source=source, extra={"blackout_removed": text})


def qualification_grant(
    instrument: Instrument, *, user: Any, person: Any, expires: dt.datetime | None = None, source: str = "web"
) -> Qualification:
    """Record that ``person`` has been trained on the instrument."""
    _require_owner(user, instrument)
    with transaction.atomic():
        qualification, _created = Qualification.objects.update_or_create(
            instrument=instrument, user=person, defaults={"granted_by": user if user.is_authenticated else None, "expires": expires}
        )
        record_change(
            instrument, ChangeAction.UPDATE, user=user, source=source, extra={"qualification_granted": person.get_username()}
        )
    return qualification


def qualification_revoke(instrument: Instrument, *, user: Any, person: Any, source: str = "web") -> None:
    _require_owner(user, instrument)
    with transaction.atomic():
        Qualification.objects.filter(instrument=instrument, user=person).delete()
        record_change(
            instrument, ChangeAction.UPDATE, user=user, source=source, extra={"qualification_revoked": person.get_username()}
        )


def is_qualified(instrument: Instrument, person: Any, when: dt.datetime) -> bool:
    if not instrument.qualification_required:
        return True
    if instrument.organization_id in member_org_ids(person):
        return True  # the owner's own staff run the instrument
    q = Qualification.objects.filter(instrument=instrument, user=person).first()
    return q is not None and q.valid_at(when)


# Bookings ------------------------------------------------------------------------------------


def _check_length(instrument: Instrument, start: dt.datetime, end: dt.datetime) -> None:
    if start >= end:
        raise _rule("end_before_start", _("The end must come after the start."))
    minutes = (end - start).total_seconds() / 60
    if minutes < instrument.min_booking_minutes:
        raise _rule(
            "too_short",
            _("A booking of “{name}” must last at least {minutes} minutes.").format(
                name=instrument.name, minutes=instrument.min_booking_minutes
            ),
        )
    if minutes > instrument.max_booking_minutes:
        raise _rule(
            "too_long",
            _("A booking of “{name}” may last at most {minutes} minutes.").format(
                name=instrument.name, minutes=instrument.max_booking_minutes
            ),
        )


def _check_open(instrument: Instrument, start: dt.datetime, end: dt.datetime) -> None:
    if not any(s <= start and end <= e for s, e in opening_intervals(instrument, start, end)):
        raise _rule(
            "outside_opening_hours",
            _("“{name}” is not open for the whole of the requested time; see its opening hours.").format(name=instrument.name),
        )
    blackout = instrument.blackouts.filter(start__lt=end, end__gt=start).first()
    if blackout is not None:
        local = timezone.localtime(blackout.start)
        raise _rule(
            "blackout",
            _("“{name}” is closed from {start} ({reason}).").format(
                name=instrument.name, start=f"{local:%Y-%m-%d %H:%M}", reason=blackout.reason or _("blackout period")
            ),
        )


def _lock_and_check_free(instrument: Instrument, start: dt.datetime, end: dt.datetime, exclude_pk: int | None = None) -> None:
    """Inside the write transaction: lock the instrument, then refuse if any active booking overlaps."""
    Instrument.objects.select_for_update().filter(pk=instrument.pk).first()
    clash = Booking.objects.filter(instrument=instrument, status__in=ACTIVE_STATUSES, start__lt=end, end__gt=start)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    other = clash.order_by("start").first()
    if other is None:
        return
    s, e = timezone.localtime(other.start), timezone.localtime(other.end)
    if other.kind == BookingKind.MAINTENANCE:
        message = _("“{name}” is blocked for maintenance from {start} to {end}.")
    else:
        message = _("“{name}” is already booked from {start} to {end}.")
    raise ConflictError(message.format(name=instrument.name, start=f"{s:%Y-%m-%d %H:%M}", end=f"{e:%H:%M}"), code="overlap")


def _insert(booking: Booking) -> None:
    """Save a new booking; the database's own no-overlap guard turns a lost race into a 409."""
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:
        if "booking_no_overlap" in str(exc) or "conflicting key value violates exclusion constraint" in str(exc):
            raise ConflictError(
                _("“{name}” was booked for that time a moment ago; please pick another slot.").format(name=booking.instrument.name),
                code="overlap",
            ) from exc
        raise


def booking_request(
    *,
    user: Any,
    instrument: Instrument,
    start: dt.datetime,
    end: dt.datetime,
    purpose: str = "",
    organization: Organization | None = None,
    source: str = "web",
) -> Booking:
    """Request a booking; confirmed at once unless the instrument needs the owner's approval."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Please sign in to book instruments."))
    _aware(start, _("start"))
    _aware(end, _("end"))
    now = timezone.now()
    if instrument.status != InstrumentStatus.AVAILABLE:
        raise ConflictError(
            _("“{name}” cannot be booked: it is {status}.").format(
                name=instrument.name, status=InstrumentStatus(instrument.status).label.lower()
            ),
            code="instrument_unavailable",
        )
    _check_length(instrument, start, end)
    if start < now + dt.timedelta(hours=instrument.lead_time_hours):
        raise _rule(
            "lead_time",
            _("“{name}” must be booked at least {hours} hours before the start.").format(
                name=instrument.name, hours=instrument.lead_time_hours
            ),
        )
    _check_open(instrument, start, end)
    if not is_qualified(instrument, user, start):
        raise PermissionDenied(
            _("“{name}” may only be booked by qualified users; ask its owner for training first.").format(name=instrument.name)
        )
    orgs = member_org_ids(user)
    if organization is None:
        organization = Organization.objects.filter(pk__in=orgs).select_related("city").order_by("pk").first()
    elif organization.pk not in orgs and not is_operator(user):
        raise PermissionDenied(_("You do not act for {org}.").format(org=organization.name))
    group = user_group_for(instrument, organization)
    price = instrument.price_for(group)
    confirm = not instrument.approval_required or group == UserGroup.OWN
    booking = Booking(
        instrument=instrument,
        kind=BookingKind.BOOKING,
        user=user,
        organization=organization,
        status=BookingStatus.CONFIRMED if confirm else BookingStatus.REQUESTED,
        start=start,
        end=end,
        purpose=purpose,
        user_group=group,
        price_per_hour=price,
        market_price_per_hour=instrument.market_price,
        decided_at=now if confirm else None,
    )
    booking.fee = fee_for(price, booking.hours)
    booking.full_clean(exclude=["instrument", "user", "organization", "decided_by"])

    def write() -> Booking:
        booking.pk = None  # a retried attempt inserts afresh
        booking._state.adding = True
        _lock_and_check_free(instrument, start, end)
        _insert(booking)
        record_change(booking, ChangeAction.CREATE, user=user, source=source)
        return booking

    return _serialised(write)


def instrument_block(
    instrument: Instrument, *, user: Any, start: dt.datetime, end: dt.datetime, reason: str = "", source: str = "web"
) -> Booking:
    """The owner blocks time for maintenance; refused where bookings already hold that time."""
    _require_owner(user, instrument)
    _aware(start, _("start"))
    _aware(end, _("end"))
    if start >= end:
        raise _rule("end_before_start", _("The end must come after the start."))
    block = Booking(
        instrument=instrument,
        kind=BookingKind.MAINTENANCE,
        user=user,
        organization=instrument.organization,
        status=BookingStatus.CONFIRMED,
        start=start,
        end=end,
        purpose=reason or _("Maintenance"),
        user_group=UserGroup.OWN,
        decided_by=user,
        decided_at=timezone.now(),
    )

    def write() -> Booking:
        block.pk = None  # a retried attempt inserts afresh
        block._state.adding = True
        _lock_and_check_free(instrument, start, end)
        _insert(block)
        record_change(block, ChangeAction.CREATE, user=user, source=source)
        return block

    return _serialised(write)


def _transition(booking: Booking, *, user: Any, allowed_from: Sequence[str], to: str, source: str, **changes: Any) -> Booking:
    def write() -> Booking:
        locked = Booking.objects.select_for_update().select_related("instrument").get(pk=booking.pk)
        if locked.status not in allowed_from:
            raise ConflictError(
                _("A booking cannot go from “{current}” to “{target}”.").format(
                    current=BookingStatus(locked.status).label, target=BookingStatus(to).label
                ),
                code="invalid_transition",
            )
        before = snapshot(locked)
        locked.status = to
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save(update_fields=["status", "updated", *changes])
        record_change(locked, ChangeAction.UPDATE, user=user, before=before, source=source)
        return locked

    return _serialised(write)


def booking_approve(booking: Booking, *, user: Any, note: str = "", source: str = "web") -> Booking:
    _require_owner(user, booking.instrument)
    if booking.start <= timezone.now() and booking.status == BookingStatus.REQUESTED:
        raise ConflictError(_("The requested time has already begun; reject the request instead."), code="too_late")
    return _transition(
        booking,
        user=user,
        allowed_from=[BookingStatus.REQUESTED],
        to=BookingStatus.CONFIRMED,
        source=source,
        decided_by=user,
        decided_at=timezone.now(),
        decision_note=note[:300],
    )


def booking_reject(booking: Booking, *, user: Any, note: str = "", source: str = "web") -> Booking:
    _require_owner(user, booking.instrument)
    return _transition(
        booking,
        user=user,
        allowed_from=[BookingStatus.REQUESTED],
        to=BookingStatus.REJECTED,
        source=source,
        decided_by=user,
        decided_at=timezone.now(),
        decision_note=note[:300],
    )


def booking_cancel(booking: Booking, *, user: Any, reason: str = "", source: str = "web") -> Booking:
    """The booker cancels until the cut-off before the start; the owner may cancel (or lift a block) any time before the end."""
    now = timezone.now()
    owner = can(user, CHANGE, booking.instrument)
    booker = user is not None and user.is_authenticated and booking.user_id == user.pk
    if not owner and not booker:
        raise PermissionDenied(_("Only the person who booked, or the instrument's owner, may cancel this booking."))
    if owner:
        if booking.end <= now:
            raise ConflictError(_("This booking is over; it can no longer be cancelled."), code="cutoff_passed")
    else:
        cutoff = booking.start - dt.timedelta(hours=booking.instrument.cancel_cutoff_hours)
        if now > cutoff:
            raise ConflictError(
                _("Bookings of “{name}” can be cancelled until {hours} hours before the start; please contact the owner.").format(
                    name=booking.instrument.name, hours=booking.instrument.cancel_cutoff_hours
                ),
                code="cutoff_passed",
            )
    return _transition(
        booking,
        user=user,
        allowed_from=[BookingStatus.REQUESTED, BookingStatus.CONFIRMED],
        to=BookingStatus.CANCELLED,
        source=source,
        cancelled_at=now,
        decision_note=reason[:300] if reason else booking.decision_note,
    )


def booking_record_usage(
    booking: Booking,
    *,
    user: Any,
    actual_start: dt.datetime,
    actual_end: dt.datetime,
    report: str = "",
    source: str = "web",
) -> Booking:
    """The owner records the actual use; the booking is completed and its fee settled.

    The fee is the hourly price of the booking's group for the longer of the booked and the
    used time: booked time is paid for, overruns are added.
    """
    _require_owner(user, booking.instrument)
    if booking.kind != BookingKind.BOOKING:
        raise ConflictError(_("Usage is recorded against bookings, not maintenance blocks."), code="invalid_transition")
    _aware(actual_start, _("actual start"))
    _aware(actual_end, _("actual end"))
    if actual_start >= actual_end:
        raise _rule("end_before_start", _("The actual end must come after the actual start."))
    if actual_start > timezone.now():
        raise _rule("usage_in_future", _("Usage can only be recorded once it has started."))
    if len(report) > 4000:
        raise _rule("report_too_long", _("Keep the usage report under 4000 characters."))
    used = Decimal((actual_end - actual_start).total_seconds()) / Decimal(3600)
    fee = fee_for(booking.price_per_hour, max(booking.hours, used))
    return _transition(
        booking,
        user=user,
        allowed_from=[BookingStatus.CONFIRMED, BookingStatus.COMPLETED],
        to=BookingStatus.COMPLETED,
        source=source,
        actual_start=actual_start,
        actual_end=actual_end,
        usage_report=report,
        fee=fee,
    )
