"""Building blocks of the UI tests: who is logged in, and valid form payloads per model."""

from __future__ import annotations

from typing import Any

from django.test import Client

from corridor.orgs.creditcode import make_code
from tests import factories as f

ROLES = ("anonymous", "stranger", "owner", "operator")


def client_for(role: str, world: Any) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(world, role))
    return client


def formset(prefix: str, rows: list[dict[str, Any]], initial: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def organization_payload(world: Any, *, name: str = "新登记的研究院", description: str = "") -> dict[str, Any]:
    return {
        "name": name,
        "name_en": "",
        "type": "institute",
        "credit_code": make_code("12", "320500", "77777777X".replace("X", "1")),
        "country": "CN",
        "city": f.city("南京").pk,
        "size": "",
        "founded_year": "",
        "website": "",
        "description": description,
    }


def resource_payload(world: Any, *, owner: Any = None, name: str = "新型催化剂中试平台") -> dict[str, Any]:
    owner = owner or world.org
    return {
        "kind": "pilot",
        "name": name,
        "owner": owner.pk,
        "city": "",
        "description": "千吨级聚烯烃催化剂中试放大",
        "trl_min": "4",
        "trl_max": "7",
        "open_to": "everyone",
        "fee_basis": "negotiable",
        "status": "available",
        "contact_name": "",
        "contact_phone": "",
        "contact_email": "",
        "public": "on",
        **formset("evidence", [{"kind": "patent", "title": "一种环烯烃共聚物催化剂", "reference": "CN123456A", "text": "", "year": "2024"}]),
    }


def demand_payload(world: Any, *, owner: Any = None, title: str = "寻求车规级芯片封装测试合作") -> dict[str, Any]:
    owner = owner or world.org
    return {
        "owner": owner.pk,
        "title": title,
        "summary": "芯片封装测试",
        "description": "需要 Chiplet 先进封装测试能力",
        "city": "",
        "trl_desired": "6",
        "budget_min": "100000",
        "budget_max": "800000",
        "deadline": "",
        "confidentiality": "public",
        "status": "published",
    }


def cooperation_payload(world: Any, *, title: str = "上海研发—苏州制造 聚烯烃中试") -> dict[str, Any]:
    return {
        "title": title,
        "description": "",
        "type": "joint_rd",
        "stage": "negotiating",
        "contract_value": "1200000",
        "start_date": "",
        "end_date": "",
        "demand": "",
        "public": "on",
        **formset(
            "parties",
            [{"organization": world.org.pk, "role": "rd"}, {"organization": world.other_org.pk, "role": "production"}],
        ),
    }
