"""Reads of the alliance: coverage and gaps, manager suggestions, stale-case alerts, case KPIs, consortium history."""

from __future__ import annotations

import datetime as dt
import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.brokers.choices import OPEN_STAGES, STAGE_CHAIN, STAGE_INDEX, CaseStage, MembershipEvent
from corridor.brokers.models import Case, CaseStageChange, Consortium, ConsortiumMember, TechnologyManager
from corridor.orgs.models import User
from corridor.regions.models import City, Industry

# Coverage --------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _parent_map() -> dict[int, int | None]:
    return dict(Industry.objects.values_list("pk", "parent_id"))


def industry_lineage(industry_id: int) -> list[int]:
    """The industry and its ancestors, nearest first (reference data does not change while running)."""
    parents = _parent_map()
    chain: list[int] = []
    node: int | None = industry_id
    while node is not None and node not in chain:
        chain.append(node)
        node = parents.get(node)
    return chain


def industry_root(industry_id: int) -> int:
    return industry_lineage(industry_id)[-1]


def corridor_cities() -> QuerySet[City]:
    return City.objects.exclude(corridor="").order_by("code")


@dataclass
class Coverage:
    cities: list[City]
    industries: list[Industry]
    # (city id, industry id) -> ids of active managers covering the pair
    cells: dict[tuple[int, int], list[int]]
    managers: dict[int, TechnologyManager]

    @property
    def gaps(self) -> list[tuple[City, Industry]]:
        return [(c, i) for c in self.cities for i in self.industries if not self.cells.get((c.pk, i.pk))]

    def count(self, city: City, industry: Industry) -> int:
        return len(self.cells.get((city.pk, industry.pk), ()))

    def rows(self) -> list[tuple[City, list[tuple[Industry, int]]]]:
        return [(c, [(i, self.count(c, i)) for i in self.industries]) for c in self.cities]


def alliance_coverage(*, scheme: str = "sei2018", cities: Iterable[City] | None = None) -> Coverage:
    """Who covers which city–industry pair: a manager covers their home city and the cities they serve,
    in the top-level industries of their expertise (a specialist in 3.3 covers 新材料 3)."""
    city_list = list(cities) if cities is not None else list(corridor_cities())
    industries = list(Industry.objects.filter(scheme=scheme, level=1).order_by("code"))
    wanted = {i.pk for i in industries}
    city_ids = {c.pk for c in city_list}
    managers = {
        m.pk: m
        for m in TechnologyManager.objects.filter(active=True)
        .select_related("user", "city")
        .prefetch_related("industries", "covered_cities")
    }
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for m in managers.values():
        m_cities = ({m.city_id} | {c.pk for c in m.covered_cities.all()}) & city_ids
        roots = {industry_root(i.pk) for i in m.industries.all()} & wanted
        for c in sorted(m_cities):
            for r in sorted(roots):
                cells[(c, r)].append(m.pk)
    return Coverage(cities=city_list, industries=industries, cells=dict(cells), managers=managers)


# Suggestions -----------------------------------------------------------------------------------

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[a-z][a-z0-9\-]+")
# Bigrams that appear in nearly every text of the platform and say nothing about expertise.
_STOP = frozenset(
    "技术 研发 合作 需求 企业 产业 公司 项目 开发 应用 服务 研究 有限 平台 提供 相关 进行 实现 以及 能力 我们 关键 领域 方向 方面 和 的".split()
)
_STOP_WORDS = frozenset({"and", "the", "for", "with", "of", "technology", "research", "development"})


def text_terms(text: str) -> set[str]:
    """Terms of a text: Chinese character bigrams plus Latin words (lower-cased), minus filler."""
    text = (text or "").lower()
    terms: set[str] = set()
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            continue
        terms.update(run[i : i + 2] for i in range(len(run) - 1))
    terms.update(w for w in _WORD.findall(text) if w not in _STOP_WORDS)
    return terms - _STOP


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance on a sphere of the Earth's mean radius (6371.0088 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


# The weights of the suggestion score; documented in docs/brokers.md.
WEIGHTS = {"industry": 0.40, "text": 0.20, "proximity": 0.25, "load": 0.15}
PROXIMITY_SCALE_KM = 100.0
LOAD_SCALE = 5.0


@dataclass
class Suggestion:
    manager: TechnologyManager
    score: float
    industry: float
    text: float
    proximity: float
    load: float
    distance_km: float | None
    open_cases: float
    shared_industries: list[Industry] = field(default_factory=list)
    shared_terms: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def open_case_load(manager_ids: Iterable[int] | None = None) -> dict[int, float]:
    """Open cases per manager: one per case led, one half per case helped."""
    load: dict[int, float] = defaultdict(float)
    led = Case.objects.filter(stage__in=OPEN_STAGES, lead_manager__isnull=False)
    helped = Case.helpers.through.objects.filter(case__stage__in=OPEN_STAGES)
    if manager_ids is not None:
        ids = list(manager_ids)
        led = led.filter(lead_manager_id__in=ids)
        helped = helped.filter(technologymanager_id__in=ids)
    for mid, n in led.values_list("lead_manager_id").annotate(n=Count("id")).values_list("lead_manager_id", "n"):
        load[mid] += n
    for row in helped.values("technologymanager_id").annotate(n=Count("id")):
        load[row["technologymanager_id"]] += 0.5 * row["n"]
    return dict(load)


def _industries_match(case_ind: int, manager_inds: set[int]) -> bool:
    """Equal, or one is an ancestor of the other: a 新材料 generalist covers 先进石化化工新材料 and back."""
    lineage = industry_lineage(case_ind)
    if manager_inds & set(lineage):
        return True
    return any(case_ind in industry_lineage(m) for m in manager_inds)


def suggest_managers(case: Case, *, limit: int = 10) -> list[Suggestion]:
    """Active managers ranked by fit to the case: expertise (industries, then text), proximity, load."""
    case_inds = list(case.industries.all())
    case_ind_ids = {i.pk for i in case_inds}
    case_terms = text_terms(f"{case.title} {case.description} {getattr(case.demand, 'description', '')}")
    places = [c for c in (case.city, case.rd_city, case.production_city) if c is not None]
    managers = list(
        TechnologyManager.objects.filter(active=True).select_related("user", "city").prefetch_related("industries", "covered_cities")
    )
    load = open_case_load(m.pk for m in managers)
    out: list[Suggestion] = []
    for m in managers:
        m_inds = {i.pk: i for i in m.industries.all()}
        matched = [i for i in case_inds if _industries_match(i.pk, set(m_inds))]
        industry_score = len(matched) / len(case_ind_ids) if case_ind_ids else 0.0
        m_terms = text_terms(f"{m.expertise} {' '.join(i.name for i in m_inds.values())}")
        shared = sorted(case_terms & m_terms)
        text_score = len(shared) / min(len(case_terms), len(m_terms)) if case_terms and m_terms else 0.0
        bases = [m.city, *m.covered_cities.all()]
        distance = min((haversine_km(b.lon, b.lat, p.lon, p.lat) for b in bases for p in places), default=None)
        proximity = 1.0 / (1.0 + distance / PROXIMITY_SCALE_KM) if distance is not None else 0.0
        n_open = load.get(m.pk, 0.0)
        load_score = 1.0 / (1.0 + n_open / LOAD_SCALE)
        score = (
            WEIGHTS["industry"] * industry_score
            + WEIGHTS["text"] * text_score
            + WEIGHTS["proximity"] * proximity
            + WEIGHTS["load"] * load_score
        )
        reasons = []
        if matched:
            reasons.append(_("Expertise covers {industries}").format(industries="、".join(str(i) for i in matched)))
        if shared:
            reasons.append(_("Shared terms: {terms}").format(terms="、".join(shared[:6])))
        if distance is not None:
            reasons.append(_("Based in {city}, {km} km from the case").format(city=m.city, km=round(distance)))
        reasons.append(_("{n} open cases").format(n=f"{n_open:g}"))
        out.append(
            Suggestion(
                manager=m, score=round(score, 4), industry=industry_score, text=text_score, proximity=proximity,
                load=load_score, distance_km=distance, open_cases=n_open, shared_industries=matched,
                shared_terms=shared[:10], reasons=reasons,
            )
        )
    out.sort(key=lambda s: (-s.score, s.manager.pk))
    return out[:limit]


# Alerts ----------------------------------------------------------------------------------------


def alert_days() -> int:
    return int(getattr(settings, "CORRIDOR", {}).get("CASE_ALERT_DAYS", 14))


def stale_cases(*, now: dt.datetime | None = None, days: int | None = None, qs: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """Open cases with no activity (activity, document or stage move) for ``days`` days."""
    now = now or timezone.now()
    days = alert_days() if days is None else days
    base = qs if qs is not None else Case.objects.all()
    return (
        base.filter(stage__in=OPEN_STAGES, last_activity_at__lt=now - dt.timedelta(days=days))
        .select_related("lead_manager__user", "city")
        .prefetch_related("helpers__user")
        .order_by("last_activity_at", "pk")
    )


def idle_days(case: Case, now: dt.datetime | None = None) -> int:
    return ((now or timezone.now()) - case.last_activity_at).days


def alert_recipients(cases: Iterable[Case]) -> dict[str, list[Case]]:
    """E-mail address -> stale cases to tell them about: each case's managers, and every operator about all."""
    by_address: dict[str, list[Case]] = defaultdict(list)
    cases = list(cases)
    for case in cases:
        team = [case.lead_manager, *case.helpers.all()] if case.lead_manager else list(case.helpers.all())
        for m in team:
            if m.user.email and m.user.is_active:
                by_address[m.user.email].append(case)
    operators = User.objects.filter(Q(is_staff=True) | Q(is_superuser=True), is_active=True).exclude(email="")
    for op in operators.order_by("pk"):
        for case in cases:
            if case not in by_address[op.email]:
                by_address[op.email].append(case)
    return {k: v for k, v in by_address.items() if v}


# Cross-region ----------------------------------------------------------------------------------


def cross_region_pairs(qs: QuerySet[Case]) -> list[dict[str, Any]]:
    """How many cases run each R&D-city → production-city pair (e.g. 上海研发—苏州制造), most first."""
    rows = (
        qs.filter(rd_city__isnull=False, production_city__isnull=False)
        .exclude(rd_city=F("production_city"))
        .values("rd_city__short_name", "rd_city__province", "production_city__short_name", "production_city__province")
        .annotate(n=Count("id", distinct=True))
        .order_by("-n", "rd_city__short_name", "production_city__short_name")
    )
    return [
        {
            "rd_city": r["rd_city__short_name"],
            "rd_province": r["rd_city__province"],
            "production_city": r["production_city__short_name"],
            "production_province": r["production_city__province"],
            "cases": r["n"],
        }
        for r in rows
    ]


# KPIs ------------------------------------------------------------------------------------------


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def case_kpis(qs: QuerySet[Case]) -> dict[str, Any]:
    """Funnel, median days per stage, and landed cases / contract value by manager, city and industry.

    - ``funnel``: for each chain stage, the cases that ever reached it (reopened cases count once),
      and the share of those that reached the next stage;
    - ``median_days``: median length in days of completed stays in each stage (a stay ends with the
      next move, forward, lost or reopened; the current stay is not counted);
    - ``by_manager`` / ``by_city`` / ``by_industry``: cases, landed cases, signed cases (contract or
      landing) and their contract value; industry is the case's top-level industry, a case with two
      counts in both.
    """
    cases = list(
        qs.order_by().values(
            "pk", "stage", "contract_value", "lead_manager_id", "city_id", "lead_manager__user__display_name",
            "lead_manager__user__username", "city__short_name",
        ).distinct()
    )
    ids = [c["pk"] for c in cases]
    changes: dict[int, list[tuple[str, str, dt.datetime]]] = defaultdict(list)
    for case_id, frm, to, at in (
        CaseStageChange.objects.filter(case_id__in=ids).order_by("case_id", "at", "pk").values_list("case_id", "from_stage", "to_stage", "at")
    ):
        changes[case_id].append((frm, to, at))

    reached: Counter[str] = Counter()
    stays: dict[str, list[float]] = defaultdict(list)
    for c in cases:
        history = changes.get(c["pk"], [])
        top = max((STAGE_INDEX[to] for _f, to, _a in history if to in STAGE_INDEX), default=STAGE_INDEX.get(c["stage"], 0))
        if c["stage"] in STAGE_INDEX:
            top = max(top, STAGE_INDEX[c["stage"]])
        for i in range(top + 1):
            reached[STAGE_CHAIN[i]] += 1
        for (_f, to, at), (_f2, _t2, left_at) in zip(history, history[1:], strict=False):
            if to in STAGE_INDEX:
                stays[to].append((left_at - at).total_seconds() / 86400)

    funnel = []
    for i, stage in enumerate(STAGE_CHAIN):
        next_reached = reached[STAGE_CHAIN[i + 1]] if i + 1 < len(STAGE_CHAIN) else None
        funnel.append(
            {
                "stage": stage,
                "label": str(CaseStage(stage).label),
                "reached": reached[stage],
                "to_next": None if next_reached is None or not reached[stage] else round(next_reached / reached[stage], 3),
            }
        )
    median_days = [
        {"stage": s, "label": str(CaseStage(s).label), "median_days": _median(stays[s]), "stays": len(stays[s])}
        for s in STAGE_CHAIN[:-1]
    ]

    industries: dict[int, set[int]] = defaultdict(set)
    names: dict[int, str] = {}
    for case_id, ind_id in Case.industries.through.objects.filter(case_id__in=ids).values_list("case_id", "industry_id"):
        industries[case_id].add(industry_root(ind_id))
    if industries:
        for ind in Industry.objects.filter(pk__in={r for v in industries.values() for r in v}):
            names[ind.pk] = str(ind)

    def bucket() -> dict[str, Any]:
        return {"cases": 0, "landed": 0, "signed": 0, "contract_value": Decimal("0.00")}

    by_manager: dict[Any, dict[str, Any]] = defaultdict(bucket)
    by_city: dict[Any, dict[str, Any]] = defaultdict(bucket)
    by_industry: dict[Any, dict[str, Any]] = defaultdict(bucket)
    labels: dict[tuple[str, Any], str] = {}
    for c in cases:
        keys = [("manager", c["lead_manager_id"]), ("city", c["city_id"])]
        labels[("manager", c["lead_manager_id"])] = (
            c["lead_manager__user__display_name"] or c["lead_manager__user__username"] or _("Unassigned")
        )
        labels[("city", c["city_id"])] = c["city__short_name"]
        for r in industries.get(c["pk"], ()):
            keys.append(("industry", r))
            labels[("industry", r)] = names[r]
        for kind, key in keys:
            target = {"manager": by_manager, "city": by_city, "industry": by_industry}[kind][key]
            target["cases"] += 1
            if c["stage"] == CaseStage.LANDING:
                target["landed"] += 1
            if c["stage"] in (CaseStage.CONTRACT, CaseStage.LANDING):
                target["signed"] += 1
                target["contract_value"] += c["contract_value"] or Decimal("0.00")

    def rows(kind: str, data: dict[Any, dict[str, Any]]) -> list[dict[str, Any]]:
        out = [{"id": k, "name": labels[(kind, k)], **v} for k, v in data.items()]
        out.sort(key=lambda r: (-r["landed"], -r["contract_value"], -r["cases"], str(r["name"])))
        return out

    return {
        "cases": len(cases),
        "open": sum(1 for c in cases if c["stage"] in OPEN_STAGES),
        "landed": sum(1 for c in cases if c["stage"] == CaseStage.LANDING),
        "lost": sum(1 for c in cases if c["stage"] == CaseStage.LOST),
        "contract_value": sum(
            (c["contract_value"] or Decimal("0.00") for c in cases if c["stage"] in (CaseStage.CONTRACT, CaseStage.LANDING)),
            Decimal("0.00"),
        ),
        "funnel": funnel,
        "median_days": median_days,
        "by_manager": rows("manager", by_manager),
        "by_city": rows("city", by_city),
        "by_industry": rows("industry", by_industry),
    }


# Consortia -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MembershipChange:
    on: dt.date
    event: str
    member: ConsortiumMember

    @property
    def label(self) -> str:
        return str(MembershipEvent(self.event).label)


def membership_history(consortium: Consortium) -> list[MembershipChange]:
    """Every join and leave of the consortium, oldest first."""
    events: list[MembershipChange] = []
    for m in ConsortiumMember.objects.filter(consortium=consortium).select_related("organization__city"):
        events.append(MembershipChange(m.joined_on, MembershipEvent.JOINED, m))
        if m.left_on is not None:
            events.append(MembershipChange(m.left_on, MembershipEvent.LEFT, m))
    events.sort(key=lambda e: (e.on, 0 if e.event == MembershipEvent.JOINED else 1, e.member.pk))
    return events


def members_on(consortium: Consortium, when: dt.date | None = None) -> QuerySet[ConsortiumMember]:
    """The members on a date (today by default)."""
    when = when or timezone.localdate()
    return (
        ConsortiumMember.objects.filter(consortium=consortium, joined_on__lte=when)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=when))
        .select_related("organization__city")
    )
