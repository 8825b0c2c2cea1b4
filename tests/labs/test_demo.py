"""The labs demo: 28 institutions, 66 instruments, history with utilisation near 68% and savings near 40%."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from corridor.labs import selectors
from corridor.labs.choices import ACTIVE_STATUSES
from corridor.labs.demo import load_labs_demo
from corridor.labs.models import Booking, Instrument
from corridor.lists.models import Resource


@pytest.mark.slow
def test_labs_demo(db):
    result = load_labs_demo(months=1)
    assert result["created"] and result["instruments"] == 66 and result["institutions"] == 28
    demo = Instrument.objects.filter(is_demo=True)
    assert demo.values("organization").distinct().count() == 28
    assert Resource.objects.filter(instrument__in=demo, kind__in=["instrument", "pilot"]).count() == 66
    assert demo.values("city").distinct().count() >= 8
    tz = timezone.get_default_timezone()
    today = timezone.localdate()
    this_month = dt.datetime(today.year, today.month, 1, tzinfo=tz)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    total, _rows = selectors.utilisation(start=last_month, end=this_month, group_by="city")
    assert Decimal("0.62") <= total.utilisation <= Decimal("0.74"), total.utilisation
    assert Decimal("0.30") <= total.savings_rate <= Decimal("0.50"), total.savings_rate
    assert total.bookings > 1000 and Decimal("0.3") < total.cross_region_share < Decimal("0.9")
    # no overlapping active bookings anywhere in the generated history
    for inst in demo[:20]:
        rows = list(Booking.objects.filter(instrument=inst, status__in=ACTIVE_STATUSES).order_by("start").values_list("start", "end"))
        assert all(a[1] <= b[0] for a, b in zip(rows, rows[1:], strict=False))
    assert Booking.objects.filter(instrument__in=demo, status="requested").exists()
    # loading again changes nothing
    assert load_labs_demo(months=1)["created"] is False
    assert Instrument.objects.filter(is_demo=True).count() == 66
