"""The demo region as plain data, before it touches the database.

The generator builds a ``Plan`` of these specs; the loader writes it. Organisations are
referred to by name, cities by short name (上海, 苏州 …) and industries by (scheme, code).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

IndustryRef = tuple[str, str]  # ("gbt4754", "2651") or ("sei2018", "3.3")


@dataclass
class OrgSpec:
    name: str
    type: str
    city: str | None
    name_en: str = ""
    short: str = ""  # how texts refer to it (brand, or the full name)
    country: str = "CN"
    credit_code: str = ""
    size: str = ""
    founded_year: int | None = None
    website: str = ""
    description: str = ""
    is_demo: bool = True
    industries: list[IndustryRef] = field(default_factory=list)
    created_ago: float = 700.0  # days before the load


@dataclass
class EvidenceSpec:
    kind: str
    title: str
    text: str = ""
    reference: str = ""
    year: int | None = None


@dataclass
class ResourceSpec:
    kind: str
    name: str
    owner: str
    city: str
    description: str
    industries: list[IndustryRef]
    domain: str
    topic: str
    trl_min: int = 1
    trl_max: int = 9
    open_to: str = "everyone"
    fee_basis: str = "negotiable"
    status: str = "available"
    contact_name: str = ""
    contact_email: str = ""
    public: bool = True
    evidence: list[EvidenceSpec] = field(default_factory=list)
    lang: str = "zh"
    created_ago: float = 300.0


@dataclass
class DemandSpec:
    owner: str
    title: str
    description: str
    city: str
    industries: list[IndustryRef]
    domain: str
    topic: str
    status: str
    summary: str = ""
    trl_desired: int | None = None
    budget_min: Decimal | None = None
    budget_max: Decimal | None = None
    deadline: date | None = None
    confidentiality: str = "public"
    published_ago: float | None = None
    assign_manager: bool = False
    lang: str = "zh"
    created_ago: float = 200.0


@dataclass
class ItemSpec:
    title: str
    description: str
    type: str
    stage: str
    parties: list[tuple[str, str]]  # (organisation name, PartyRole)
    industries: list[IndustryRef]
    domain: str
    contract_value: Decimal | None = None
    start_date: date | None = None
    end_date: date | None = None
    demand: int | None = None  # index into Plan.demands
    resources: list[int] = field(default_factory=list)  # indexes into Plan.resources
    public: bool = True
    lang: str = "zh"
    created_ago: float = 100.0


@dataclass
class Plan:
    orgs: list[OrgSpec]
    resources: list[ResourceSpec]
    demands: list[DemandSpec]
    items: list[ItemSpec]

    def fingerprint(self) -> str:
        """A hash of everything the plan says (the same plan gives the same hash on every machine)."""

        def plain(value: Any) -> Any:
            if isinstance(value, Decimal | date):
                return str(value)
            return value

        payload = {
            name: [{k: plain(v) for k, v in asdict(spec).items()} for spec in getattr(self, name)]
            for name in ("orgs", "resources", "demands", "items")
        }
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=plain)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
