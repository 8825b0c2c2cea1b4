"""iCalendar (RFC 5545) feeds of bookings: one per instrument, one per user.

Built with the ``icalendar`` package, which handles escaping, line folding and CRLF. Times
are written in UTC; every event has a stable UID so calendar clients update rather than
duplicate it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from corridor.labs.choices import BookingKind, BookingStatus
from corridor.labs.models import Booking

PRODID = "-//Corridor//Shared laboratories//ZH"


def _status(booking: Booking) -> str:
    if booking.status == BookingStatus.REQUESTED:
        return "TENTATIVE"
    if booking.status in (BookingStatus.CANCELLED, BookingStatus.REJECTED):
        return "CANCELLED"
    return "CONFIRMED"


def bookings_calendar(bookings: Iterable[Booking], *, name: str, host: str = "corridor", show_people: bool = True) -> bytes:
    """An iCalendar document of the bookings; ``show_people`` False leaves out who booked (public feeds)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    stamp = timezone.now()
    for b in bookings:
        event = Event()
        event.add("uid", f"booking-{b.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", b.start.astimezone(dt.UTC))
        event.add("dtend", b.end.astimezone(dt.UTC))
        event.add("last-modified", b.updated.astimezone(dt.UTC))
        if b.kind == BookingKind.MAINTENANCE:
            summary = _("{instrument}: maintenance").format(instrument=b.instrument.name)
        elif show_people:
            summary = _("{instrument}: {user}").format(instrument=b.instrument.name, user=b.user)
        else:
            summary = _("{instrument}: booked").format(instrument=b.instrument.name)
        event.add("summary", summary)
        event.add("location", b.instrument.location)
        event.add("status", _status(b))
        if show_people and b.purpose:
            event.add("description", b.purpose)
        cal.add_component(event)
    return cal.to_ical()

