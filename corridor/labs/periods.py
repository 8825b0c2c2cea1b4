"""Reading the periods people ask about (days, in local time) into aware datetimes, with sane bounds."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

MAX_AVAILABILITY_DAYS = 62
MAX_UTILISATION_DAYS = 3 * 366
DEFAULT_MONTHS = 4


def default_start(today: dt.date) -> dt.date:
    day = dt.date(today.year, today.month, 1)
    for _i in range(DEFAULT_MONTHS):
        day = (day - dt.timedelta(days=1)).replace(day=1)
    return day


def parse_period(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive); defaults: four months back to today. Bad ranges are a 400."""
    today = timezone.localdate()
    end = end or today
    start = start or default_start(end)
    if start > end:
        raise ValidationError({"from": [_("The first day cannot be after the last day.")]})
    if (end - start).days > MAX_UTILISATION_DAYS:
        raise ValidationError({"to": [_("Ask for at most three years at a time.")]})
    return start, end


def utilisation_window(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[first day 00:00, day after the last day 00:00) in local time, never reaching into the future."""
    tz = timezone.get_default_timezone()
    begin = dt.datetime.combine(start, dt.time(0), tzinfo=tz)
    finish = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return begin, max(begin, min(finish, timezone.now()))
