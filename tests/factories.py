"""Small builders for test data: valid by default, overridable by keyword."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from corridor.lists.choices import DemandStatus, PartyRole, ResourceKind
from corridor.lists.models import CooperationItem, CooperationParty, Demand, Resource
from corridor.orgs.creditcode import make_code
from corridor.orgs.models import Membership, Organization, User
from corridor.regions.models import City, Industry

_seq = itertools.count(1)
PASSWORD = "test-pass-123!"


def city(short_name: str = "上海") -> City:
    return City.objects.get(short_name=short_name)


def industry(code: str = "26", scheme: str = "gbt4754") -> Industry:
    return Industry.objects.get(scheme=scheme, code=code)


def credit_code(n: int | None = None) -> str:
    n = next(_seq) if n is None else n
    return make_code("91", "310000", f"{n:08d}X"[-9:].replace("X", "0"))


def organization(name: str | None = None, *, city_name: str = "上海", **kw: Any) -> Organization:
    n = next(_seq)
    defaults: dict[str, Any] = {
        "name": name or f"测试机构{n}",
        "type": "enterprise",
        "city": city(city_name),
        "credit_code": credit_code(n),
    }
    defaults.update(kw)
    return Organization.objects.create(**defaults)


def user(username: str | None = None, *, org: Organization | None = None, **kw: Any) -> User:
    u = User.objects.create_user(username=username or f"user{next(_seq)}", password=PASSWORD, **kw)
    if org is not None:
        Membership.objects.create(user=u, organization=org)
    return u


def operator(username: str = "op") -> User:
    return user(username, is_staff=True)


def resource(owner: Organization, **kw: Any) -> Resource:
    defaults: dict[str, Any] = {
        "kind": ResourceKind.PILOT,
        "name": f"中试平台{next(_seq)}",
        "owner": owner,
        "city": owner.city,
        "description": "聚烯烃催化剂中试放大与工艺验证",
    }
    defaults.update(kw)
    return Resource.objects.create(**defaults)


def demand(owner: Organization, **kw: Any) -> Demand:
    defaults: dict[str, Any] = {
        "title": f"高端聚烯烃材料需求{next(_seq)}",
        "description": "寻求环烯烃共聚物催化剂技术合作",
        "owner": owner,
        "city": owner.city,
        "status": DemandStatus.PUBLISHED,
        "budget_min": Decimal("100000.00"),
        "budget_max": Decimal("500000.00"),
    }
    defaults.update(kw)
    return Demand.objects.create(**defaults)


def cooperation(parties: list[tuple[Organization, str]] | None = None, **kw: Any) -> CooperationItem:
    defaults: dict[str, Any] = {"title": f"跨区域合作{next(_seq)}", "type": "joint_rd"}
    defaults.update(kw)
    item = CooperationItem.objects.create(**defaults)
    for org, role in parties or []:
        CooperationParty.objects.create(item=item, organization=org, role=role or PartyRole.RD)
    return item
