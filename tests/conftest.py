"""Shared fixtures: the roles of the permission matrix, each with its own organisation."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests import factories as f


@dataclass
class World:
    """Two organisations in different cities, and one person of every role."""

    org: object  # the owner's organisation (上海)
    other_org: object  # another organisation (苏州)
    owner: object  # member of ``org``
    stranger: object  # member of ``other_org``
    operator: object
    manager: object  # technology manager, no organisation
    reviewer: object  # reviewer, no organisation


@pytest.fixture
def world(db) -> World:
    org = f.organization("上海测试化工研究院", city_name="上海")
    other = f.organization("苏州测试材料有限公司", city_name="苏州")
    return World(
        org=org,
        other_org=other,
        owner=f.user("owner", org=org),
        stranger=f.user("stranger", org=other),
        operator=f.operator("operator"),
        manager=f.user("manager", is_technology_manager=True),
        reviewer=f.user("reviewer", is_reviewer=True),
    )


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def chromium(monkeypatch) -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, headless (never a downloaded browser): skipped when it is
    missing locally, a failure when CI=true."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but Chromium is missing at {CHROMIUM}; install the Debian chromium package")
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in the test thread; the test's ORM calls stay synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(autouse=True)
def _fresh_matching_index(settings, tmp_path_factory):
    """Each test starts with no in-memory index and its own index folder (the database is new)."""
    from corridor.matching.registry import registry

    settings.CORRIDOR_INDEX_DIR = tmp_path_factory.mktemp("index")
    registry.reset()
    yield
    registry.reset()


@pytest.fixture(autouse=True)
def _no_answers_from_other_tests():
    """Each test starts with an empty answer cache (corridor.api.answers): its database is new."""
    from django.core.cache import caches

    caches["answers"].clear()


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests (live_server, transaction=True) empty every table when they end, the
    reference data loaded by migrations included; put cities and industries back before each one."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "live_server" in request.fixturenames or "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    if not transactional:
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
