"""Builders for the brokers tests: managers with profiles, and cases in a chosen stage."""

from __future__ import annotations

from typing import Any

import pytest

from corridor.brokers import services
from corridor.brokers.models import TechnologyManager
from tests import factories as f


def manager_profile(username: str, *, city: str = "上海", industries: tuple[str, ...] = (), expertise: str = "", **kw: Any) -> TechnologyManager:
    person = f.user(username, is_technology_manager=True, email=f"{username}@example.org")
    profile = TechnologyManager.objects.create(user=person, city=f.city(city), expertise=expertise, **kw)
    profile.industries.set([f.industry(code, scheme="sei2018") for code in industries])
    return profile


@pytest.fixture
def brokers(world):
    """The world plus a manager profile for ``world.manager`` and a demand to open cases on."""
    world.profile = TechnologyManager.objects.create(user=world.manager, city=f.city("上海"), expertise="聚烯烃 催化剂")
    world.profile.industries.set([f.industry("3.3", scheme="sei2018")])
    world.demand = f.demand(world.other_org)
    world.demand.industries.set([f.industry("3.3", scheme="sei2018")])
    return world


def open_case(world: Any, *, user: Any = None, **kw: Any):
    kw.setdefault("title", "环烯烃共聚物催化剂产业化")
    kw.setdefault("demand", world.demand)
    return services.case_open(user=user or world.operator, **kw)
