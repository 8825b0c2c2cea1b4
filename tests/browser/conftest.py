"""Browser tests run against pytest-django's live_server, i.e. on a transactional database.

Flushing that database after a test also empties the reference data loaded by migrations
(cities, industries), so each browser test reloads it when it is missing.
"""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the test's own ORM calls stay synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def reference_data(request):
    if "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from corridor.regions import selectors
    from corridor.regions.loaders import load_cities, load_industries
    from corridor.regions.models import City, Industry

    if not City.objects.exists():
        load_cities(City)
    if not Industry.objects.exists():
        load_industries(Industry)
        selectors._children_map.cache_clear()
