"""No double booking under concurrent requests, on SQLite and on PostgreSQL.

Many threads, each with its own database connection, wait at a barrier and then request
overlapping times of one instrument at once. Whatever the interleaving, the active bookings
that end up in the database never overlap. The second test switches the service's own
check off to show that the database alone (exclusion constraint / triggers) still refuses.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import OperationalError, connection

from corridor.core.errors import ConflictError
from corridor.labs import services
from corridor.labs.choices import ACTIVE_STATUSES
from corridor.labs.models import Booking
from tests import factories as f
from tests.labs.conftest import local, make_instrument, monday

THREADS = 12


def _fire(instrument, people, slots):
    barrier = threading.Barrier(len(slots))
    results: list[str] = []
    lock = threading.Lock()

    def worker(person, start, end):
        outcome = "?"
        try:
            barrier.wait(timeout=30)
            services.booking_request(user=person, instrument=instrument, start=start, end=end)
            outcome = "ok"
        except ConflictError as exc:
            outcome = exc.code
        except OperationalError as exc:  # would be a failure of the serialisation, reported below
            outcome = f"operational: {exc}"
        except Exception as exc:  # noqa: BLE001 - any other error fails the test with its text
            outcome = f"error: {exc!r}"
        finally:
            connection.close()
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=worker, args=(p, s, e)) for p, (s, e) in zip(people, slots, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return Counter(results)


def _assert_no_overlap(instrument):
    rows = list(Booking.objects.filter(instrument=instrument, status__in=ACTIVE_STATUSES).order_by("start"))
    for a, b in zip(rows, rows[1:], strict=False):
        assert a.end <= b.start, f"double booking: {a.start}–{a.end} and {b.start}–{b.end}"
    return rows


@pytest.fixture
def setup():
    org = f.organization("上海并发测试研究院", city_name="上海")
    other = f.organization("南京并发测试大学", city_name="南京")
    owner = f.user("conc-owner", org=org)
    people = [f.user(f"conc-user{i}", org=other) for i in range(THREADS)]
    instrument = make_instrument(owner, org, approval_required=False)
    return instrument, people


@pytest.mark.django_db(transaction=True)
def test_same_slot_many_requests_one_booking(setup):
    instrument, people = setup
    day = monday()
    results = _fire(instrument, people, [(local(day, 9), local(day, 11))] * THREADS)
    assert results == Counter({"ok": 1, "overlap": THREADS - 1}), results
    assert len(_assert_no_overlap(instrument)) == 1


@pytest.mark.django_db(transaction=True)
def test_staggered_overlapping_requests(setup):
    instrument, people = setup
    day = monday()
    # 09:00–11:00, 09:15–11:15, … every one overlaps its neighbours
    slots = [(local(day, 9 + (15 * i) // 60, (15 * i) % 60), local(day, 11 + (15 * i) // 60, (15 * i) % 60)) for i in range(THREADS)]
    slots = [s for s in slots if s[1] <= local(day, 12)] + [(local(day, 13), local(day, 15))] * (THREADS - 5)
    results = _fire(instrument, people, slots)
    assert set(results) <= {"ok", "overlap"}, results
    rows = _assert_no_overlap(instrument)
    assert len(rows) == results["ok"]
    # morning: 09:00–11:00 .. 10:00–12:00 pairwise overlap, so exactly one wins; afternoon the same
    assert results["ok"] == 2


@pytest.mark.django_db(transaction=True)
def test_database_alone_refuses_double_booking(setup, monkeypatch):
    instrument, people = setup
    monkeypatch.setattr(services, "_lock_and_check_free", lambda *a, **k: None)
    day = monday()
    results = _fire(instrument, people, [(local(day, 13), local(day, 15))] * THREADS)
    assert results == Counter({"ok": 1, "overlap": THREADS - 1}), results
    assert len(_assert_no_overlap(instrument)) == 1
