"""Reads of the shared laboratories: opening time, free slots, visible bookings, utilisation and savings.

Time arithmetic works on half-open intervals [start, end) of aware datetimes. Opening hours
are local (Asia/Shanghai, the platform's time zone); everything is compared in UTC.

Utilisation = used hours / open hours, where
- open hours: the opening hours inside the period, less blackout periods and the owner's
  maintenance blocks;
- used hours: the recorded actual use of completed bookings (actual start to actual end),
  clipped to the period and to the open time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from corridor.core.permissions import VIEW, is_operator, member_org_ids
from corridor.labs.choices import ACTIVE_STATUSES, BookingKind, BookingStatus, InstrumentStatus
from corridor.labs.models import Blackout, Booking, Instrument

Interval = tuple[dt.datetime, dt.datetime]
CENT = Decimal("0.01")
HOUR = Decimal(3600)


def local_tz() -> dt.tzinfo:
    return timezone.get_default_timezone()


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted union of intervals; touching intervals join (24-hour platforms span midnight)."""
    out: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[0] < i[1]):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def subtract(intervals: Sequence[Interval], holes: Iterable[Interval]) -> list[Interval]:
    """``intervals`` (merged) less every hole."""
    result = list(intervals)
    for h_start, h_end in merge(holes):
        nxt: list[Interval] = []
        for start, end in result:
            if h_end <= start or end <= h_start:
                nxt.append((start, end))
                continue
            if start < h_start:
                nxt.append((start, h_start))
            if h_end < end:
                nxt.append((h_end, end))
        result = nxt
    return result


def clip(intervals: Iterable[Interval], start: dt.datetime, end: dt.datetime) -> list[Interval]:
    return [(max(s, start), min(e, end)) for s, e in intervals if s < end and e > start]


def total_hours(intervals: Iterable[Interval]) -> Decimal:
    seconds = sum((e - s).total_seconds() for s, e in intervals)
    return Decimal(seconds) / HOUR


def opening_intervals(instrument: Instrument, start: dt.datetime, end: dt.datetime) -> list[Interval]:
    """The instrument's weekly opening hours laid out over [start, end), merged, before blackouts."""
    tz = local_tz()
    periods = [(p.weekday, p.start_minute, p.end_minute) for p in instrument.opening_periods.all()]
    if not periods:
        return []
    day = start.astimezone(tz).date() - dt.timedelta(days=1)
    last = end.astimezone(tz).date()
    raw: list[Interval] = []
    while day <= last:
        midnight = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
        for weekday, s_min, e_min in periods:
            if weekday == day.weekday():
                raw.append((midnight + dt.timedelta(minutes=s_min), midnight + dt.timedelta(minutes=e_min)))
        day += dt.timedelta(days=1)
    return clip(merge(raw), start, end)


def closed_intervals(instrument: Instrument, start: dt.datetime, end: dt.datetime) -> list[Interval]:
    """Blackouts and maintenance blocks overlapping [start, end)."""
    holes = [(b.start, b.end) for b in instrument.blackouts.filter(start__lt=end, end__gt=start)]
    holes += list(
        instrument.bookings.filter(
            kind=BookingKind.MAINTENANCE, status__in=ACTIVE_STATUSES, start__lt=end, end__gt=start
        ).values_list("start", "end")
    )
    return merge(holes)


def open_intervals(instrument: Instrument, start: dt.datetime, end: dt.datetime) -> list[Interval]:
    """When the instrument is open in [start, end): opening hours less blackouts and maintenance."""
    return subtract(opening_intervals(instrument, start, end), closed_intervals(instrument, start, end))


def busy_intervals(instrument: Instrument, start: dt.datetime, end: dt.datetime) -> list[Interval]:
    """Time held by active bookings (requested, confirmed, completed) and maintenance blocks."""
    rows = instrument.bookings.filter(status__in=ACTIVE_STATUSES, start__lt=end, end__gt=start).values_list("start", "end")
    return merge(rows)


@dataclass(frozen=True)
class Slot:
    start: dt.datetime
    end: dt.datetime

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


def free_slots(
    instrument: Instrument, start: dt.datetime, end: dt.datetime, *, now: dt.datetime | None = None
) -> list[Slot]:
    """Bookable stretches in [start, end): open, not held, past the lead time, at least the shortest booking."""
    if instrument.status != InstrumentStatus.AVAILABLE:
        return []
    now = now or timezone.now()
    earliest = now + dt.timedelta(hours=instrument.lead_time_hours)
    start = max(start, earliest)
    if start >= end:
        return []
    free = subtract(open_intervals(instrument, start, end), busy_intervals(instrument, start, end))
    shortest = dt.timedelta(minutes=instrument.min_booking_minutes)
    return [Slot(s, e) for s, e in free if e - s >= shortest]


def instruments_for(user: Any) -> QuerySet[Instrument]:
    return Instrument.objects.restrict(user, VIEW).select_related("organization", "city")


def bookings_visible_to(user: Any) -> QuerySet[Booking]:
    """Operators see all; instrument owners their instruments' bookings; users their own and their organisations'."""
    qs = Booking.objects.select_related("instrument", "instrument__organization", "user", "organization")
    if is_operator(user):
        return qs
    if user is None or not user.is_authenticated:
        return qs.none()
    orgs = member_org_ids(user)
    return qs.filter(Q(instrument__organization_id__in=orgs) | Q(user=user) | Q(organization_id__in=orgs))


def approval_queue(user: Any) -> QuerySet[Booking]:
    """Requests waiting for a decision on the instruments the user's organisations own."""
    qs = Booking.objects.filter(status=BookingStatus.REQUESTED, kind=BookingKind.BOOKING).select_related(
        "instrument", "user", "organization", "organization__city"
    )
    if not is_operator(user):
        qs = qs.filter(instrument__organization_id__in=member_org_ids(user))
    return qs.order_by("start")


# Utilisation ----------------------------------------------------------------------------------

GROUPS = ("instrument", "organization", "city", "month")


@dataclass
class UtilisationRow:
    key: str
    label: str
    open_hours: Decimal = Decimal(0)
    used_hours: Decimal = Decimal(0)
    bookings: int = 0
    cross_region_bookings: int = 0
    cost: Decimal = Decimal(0)
    market_cost: Decimal = Decimal(0)
    instruments: set[int] = field(default_factory=set)

    @property
    def utilisation(self) -> Decimal:
        if not self.open_hours:
            return Decimal(0)
        return (self.used_hours / self.open_hours).quantize(Decimal("0.0001"), ROUND_HALF_UP)

    @property
    def cross_region_share(self) -> Decimal:
        if not self.bookings:
            return Decimal(0)
        return (Decimal(self.cross_region_bookings) / Decimal(self.bookings)).quantize(Decimal("0.0001"), ROUND_HALF_UP)

    @property
    def savings(self) -> Decimal:
        return (self.market_cost - self.cost).quantize(CENT, ROUND_HALF_UP)

    @property
    def savings_rate(self) -> Decimal:
        if not self.market_cost:
            return Decimal(0)
        return (self.savings / self.market_cost).quantize(Decimal("0.0001"), ROUND_HALF_UP)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "instruments": len(self.instruments),
            "open_hours": self.open_hours.quantize(CENT, ROUND_HALF_UP),
            "used_hours": self.used_hours.quantize(CENT, ROUND_HALF_UP),
            "utilisation": self.utilisation,
            "bookings": self.bookings,
            "cross_region_bookings": self.cross_region_bookings,
            "cross_region_share": self.cross_region_share,
            "cost": self.cost.quantize(CENT, ROUND_HALF_UP),
            "market_cost": self.market_cost.quantize(CENT, ROUND_HALF_UP),
            "savings": self.savings,
            "savings_rate": self.savings_rate,
        }


def month_windows(start: dt.datetime, end: dt.datetime) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """Calendar months (local time) cut to [start, end): (YYYY-MM, from, to)."""
    tz = local_tz()
    local = start.astimezone(tz)
    month = dt.datetime(local.year, local.month, 1, tzinfo=tz)
    out = []
    while month < end:
        nxt = dt.datetime(month.year + (month.month == 12), month.month % 12 + 1, 1, tzinfo=tz)
        out.append((f"{month:%Y-%m}", max(month, start), min(nxt, end)))
        month = nxt
    return out


def _charged_hours(booking: Booking) -> Decimal:
    return max(booking.hours, booking.used_hours)


def utilisation(
    *,
    start: dt.datetime,
    end: dt.datetime,
    group_by: str = "instrument",
    instruments: QuerySet[Instrument] | None = None,
) -> tuple[UtilisationRow, list[UtilisationRow]]:
    """Utilisation, cross-region share and savings over [start, end), grouped; returns (total, rows).

    Confirmed and completed bookings count in the month (and period) in which they start; a
    booking is cross-region when the booking organisation sits in another city than the
    instrument. Cost is what users paid (the fees of completed bookings); market cost is the
    market reference price for the same charged hours; savings = market cost − cost.
    """
    if group_by not in GROUPS:
        raise ValueError(group_by)
    qs = instruments if instruments is not None else Instrument.objects.all()
    qs = qs.exclude(status=InstrumentStatus.RETIRED).select_related("organization", "city").prefetch_related("opening_periods")
    inst_list = list(qs)
    by_id = {i.pk: i for i in inst_list}
    months = month_windows(start, end)

    blackouts: dict[int, list[Interval]] = defaultdict(list)
    for inst_id, b_start, b_end in Blackout.objects.filter(instrument_id__in=by_id, start__lt=end, end__gt=start).values_list(
        "instrument_id", "start", "end"
    ):
        blackouts[inst_id].append((b_start, b_end))
    bookings = list(
        Booking.objects.filter(instrument_id__in=by_id, start__lt=end, end__gt=start, status__in=ACTIVE_STATUSES).select_related(
            "organization"
        )
    )
    maintenance: dict[int, list[Interval]] = defaultdict(list)
    held: dict[int, list[Booking]] = defaultdict(list)
    for b in bookings:
        if b.kind == BookingKind.MAINTENANCE:
            maintenance[b.instrument_id].append((b.start, b.end))
        elif b.status != BookingStatus.REQUESTED:
            held[b.instrument_id].append(b)

    rows: dict[str, UtilisationRow] = {}
    total = UtilisationRow(key="total", label="")

    def row_for(inst: Instrument, month: str) -> UtilisationRow:
        if group_by == "instrument":
            key, label = str(inst.pk), inst.name
        elif group_by == "organization":
            key, label = str(inst.organization_id), inst.organization.name
        elif group_by == "city":
            key, label = str(inst.city_id), str(inst.city)
        else:
            key, label = month, month
        if key not in rows:
            rows[key] = UtilisationRow(key=key, label=label)
        return rows[key]

    for inst in inst_list:
        closed = merge(blackouts[inst.pk] + maintenance[inst.pk])
        for month, m_start, m_end in months:
            open_iv = subtract(opening_intervals(inst, m_start, m_end), closed)
            used_iv: list[Interval] = []
            row = row_for(inst, month)
            for b in held[inst.pk]:
                done = b.status == BookingStatus.COMPLETED
                if done and b.actual_start is not None and b.actual_end is not None:
                    used_iv += clip([(b.actual_start, b.actual_end)], m_start, m_end)
                if not m_start <= b.start < m_end:
                    continue
                cross = b.organization is not None and b.organization.city_id != inst.city_id
                market = (b.market_price_per_hour * _charged_hours(b)).quantize(CENT, ROUND_HALF_UP)
                for target in (row, total):
                    target.bookings += 1
                    target.cross_region_bookings += int(cross)
                    if done:
                        target.cost += b.fee
                        target.market_cost += market
            open_h = total_hours(open_iv)
            # Use outside the open time (overruns) does not count beyond the open time itself.
            used_h = total_hours(_intersect(merge(used_iv), open_iv))
            for target in (row, total):
                target.open_hours += open_h
                target.used_hours += used_h
                target.instruments.add(inst.pk)
    ordered = sorted(rows.values(), key=lambda r: r.key if group_by == "month" else r.label)
    return total, ordered


def _intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        s, e = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if s < e:
            out.append((s, e))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out
