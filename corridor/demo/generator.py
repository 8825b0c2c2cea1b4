"""Build the demo region as a deterministic plan: the same seed gives the same texts everywhere.

Nothing here touches the database. Randomness comes from one ``random.Random`` with a fixed
seed, and every choice iterates over tuples or insertion-ordered dicts (never sets), so the
plan does not depend on the machine or on PYTHONHASHSEED. Dates are offsets from ``today``.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from corridor.demo import texts as T
from corridor.demo.domains import DOMAIN_WEIGHTS, DOMAINS, Domain, Term, Topic
from corridor.demo.specs import DemandSpec, EvidenceSpec, IndustryRef, ItemSpec, OrgSpec, Plan, ResourceSpec
from corridor.orgs.creditcode import ALPHABET, make_code
from corridor.regions.loaders import DATA_DIR, short_city_name

SEED = 20251026  # the day the first corridor consortia were announced

RESOURCE_COUNT = 311
DEMAND_COUNT = 298
COOPERATION_COUNT = 196

RESOURCE_KIND_QUOTAS = {
    "key_lab": 40, "tech_centre": 50, "pilot": 45, "poc": 25, "instrument": 60, "expert_team": 45, "achievement": 46,
}
DEMAND_STATUS_QUOTAS = {"draft": 18, "published": 110, "negotiating": 58, "cooperating": 50, "solved": 38, "closed": 24}
TRL_BY_KIND = {
    "key_lab": (1, 4), "tech_centre": (4, 8), "pilot": (4, 7), "poc": (3, 6), "instrument": (1, 9),
    "expert_team": (2, 6), "achievement": (4, 7),
}
ACADEMIC_KINDS = {"key_lab", "poc", "instrument", "expert_team"}
ENGLISH_SHARE = 0.11
JIANGSU_CORRIDOR = ("苏州", "无锡", "常州", "镇江", "南京", "南通", "扬州")
DOMAIN_SHORT = {
    "polyolefin": ("高端聚烯烃", "polyolefin"), "chiplet": ("集成电路", "integrated circuit"), "biomed": ("生物医药", "biomedical"),
    "ai": ("人工智能", "AI"), "battery": ("新能源", "new-energy"), "manufacturing": ("智能制造", "smart manufacturing"),
    "nev": ("新能源汽车", "new-energy vehicle"), "environment": ("节能环保", "environmental"),
}

X = TypeVar("X")

# GB 11714 organisation-code check: weights over the first eight characters, modulo 11.
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_CREDIT_PREFIX = {"enterprise": "91", "service": "91", "university": "12", "institute": "12", "new_rd": "52"}


def _org_code_check(body8: str) -> str:
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, _ORG_CODE_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def _patent_check(digits12: str) -> str:
    total = sum(int(d) * w for d, w in zip(digits12, (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5), strict=True))
    value = total % 11
    return "X" if value == 10 else str(value)


def _money(yuan: int) -> Decimal:
    return Decimal(yuan).quantize(Decimal("0.01"))


def _wan(value: Decimal) -> str:
    wan = value / 10000
    return f"{wan:,.0f}万元" if wan < 10000 else f"{wan / 10000:.2f}亿元"


class Generator:
    def __init__(self, today: date, reserved_resources: int = 0) -> None:
        self.rng = random.Random(SEED)
        self.today = today
        # Resources another loader (the shared labs' instruments) adds to the region: fewer generated.
        self.reserved_resources = reserved_resources
        self.cities: dict[str, dict[str, str]] = {}
        with (DATA_DIR / "yrd_41_cities.csv").open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                self.cities[short_city_name(row["name"])] = row
        self.orgs: dict[str, OrgSpec] = {}
        self.resources: list[ResourceSpec] = []
        self.demands: list[DemandSpec] = []
        self.items: list[ItemSpec] = []
        self._codes: set[str] = set()
        self._brands: set[str] = set()
        self._resource_names: set[str] = set()
        self._enterprises: dict[tuple[str, str], list[str]] = {}
        self._institutes: dict[tuple[str, str], list[str]] = {}
        self._chain_leaders: dict[str, list[str]] = {}
        self._by_topic: dict[tuple[str, str], list[int]] = {}
        self._by_owner: dict[str, list[int]] = {}
        self._domains = {d.key: d for d in DOMAINS}
        self._service: list[str] = []
        self._investors: list[str] = []
        self._international: dict[str, list[str]] = {}

    # small helpers ---------------------------------------------------------------------------

    def pick(self, seq: Sequence[X]) -> X:
        return seq[self.rng.randrange(len(seq))]

    def weighted(self, pairs: Sequence[tuple[X, int]]) -> X:
        return self.rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs], k=1)[0]

    def city_en(self, city: str | None) -> str:
        from corridor.regions.loaders import CITY_NAMES_EN

        if city is None:
            return ""
        return CITY_NAMES_EN.get(self.cities[city]["adcode"], city)

    def credit_code(self, org_type: str, city: str, founded: int) -> str:
        division = self.cities[city]["adcode"]
        prefix = _CREDIT_PREFIX.get(org_type, "91")
        while True:
            if founded >= 2016 and prefix == "91":
                body = "MA" + "".join(self.pick(ALPHABET) for _ in range(6))
            else:
                body = "".join(self.pick("0123456789") for _ in range(8))
            code = make_code(prefix, division, body + _org_code_check(body))
            if code not in self._codes:
                self._codes.add(code)
                return code

    def patent_numbers(self, year: int, utility: bool = False) -> tuple[str, str]:
        """An application number ZL<year><type><serial>.<check> and a publication number, both plausible."""
        kind = "2" if utility else "1"
        digits = f"{year}{kind}{self.rng.randint(0, 9999999):07d}"
        application = f"ZL{digits}.{_patent_check(digits)}"
        if utility:
            publication = f"CN{self.rng.randint(210000000, 221999999)}U"
        else:
            publication = f"CN{self.rng.randint(108000000, 117999999)}B"
        return application, publication

    def person(self) -> str:
        return self.pick(T.SURNAMES) + self.pick(T.GIVEN)

    def industries(self, domain: Domain, topic: Topic | None) -> list[IndustryRef]:
        codes = list(topic.gb if topic else domain.gb)
        sei = list(topic.sei if topic else domain.sei)
        refs: list[IndustryRef] = [("gbt4754", c) for c in codes] + [("sei2018", c) for c in sei]
        return list(dict.fromkeys(refs))

    # adding specs (seed.py uses these too) ---------------------------------------------------

    def add_org(self, spec: OrgSpec) -> str:
        if spec.name in self.orgs:
            raise ValueError(f"duplicate demo organisation {spec.name}")
        if spec.credit_code:
            self._codes.add(spec.credit_code)
        self.orgs[spec.name] = spec
        return spec.name

    def add_resource(self, spec: ResourceSpec) -> int:
        self.resources.append(spec)
        index = len(self.resources) - 1
        self._resource_names.add(spec.name)
        self._by_topic.setdefault((spec.domain, spec.topic), []).append(index)
        self._by_owner.setdefault(spec.owner, []).append(index)
        return index

    def add_demand(self, spec: DemandSpec) -> int:
        self.demands.append(spec)
        return len(self.demands) - 1

    def add_item(self, spec: ItemSpec) -> int:
        self.items.append(spec)
        return len(self.items) - 1

    # organisations ---------------------------------------------------------------------------

    def _fields(self, domain: Domain, topic: Topic, *, side: str, lang: str) -> dict[str, Any]:
        """Concepts and phrases for one text. Supply-side texts prefer the first (research) name of
        a concept, demand-side texts the later (user) names, so the two rarely share every word."""
        rng = self.rng

        def name_of(t: Term) -> str:
            if lang == "en":
                return self.pick(t.en)
            if side == "supply":
                return t.zh[0] if rng.random() < 0.65 or len(t.zh) == 1 else self.pick(t.zh[1:])
            return self.pick(t.zh[1:]) if len(t.zh) > 1 and rng.random() < 0.7 else t.zh[0]

        def phrase(t: Term) -> str:
            return t.en[0] if lang == "en" else t.zh[0]

        concepts = rng.sample(topic.concepts, 3)
        apps = rng.sample(topic.applications, 2)
        metrics = rng.sample(topic.metrics, 3)
        methods = rng.sample(topic.methods, 2)
        equipment = rng.sample(topic.equipment, 2)
        short_zh, short_en = DOMAIN_SHORT[domain.key]
        return {
            "c1": name_of(concepts[0]), "c2": name_of(concepts[1]), "c3": name_of(concepts[2]),
            "app": phrase(apps[0]), "app2": phrase(apps[1]),
            "m1": phrase(metrics[0]), "m2": phrase(metrics[1]), "m3": phrase(metrics[2]),
            "method": phrase(methods[0]), "method2": phrase(methods[1]),
            "equip": phrase(equipment[0]), "equip2": phrase(equipment[1]),
            "problem": phrase(self.pick(topic.problems)),
            "topic": name_of(topic.name),
            "domain": short_en if lang == "en" else short_zh,
        }

    def _brand(self) -> tuple[str, str]:
        while True:
            first, second = self.pick(T.BRAND_FIRST), self.pick(T.BRAND_SECOND)
            zh, en = first[0] + second[0], first[1] + second[1]
            if first[0] != second[0] and zh not in self._brands:
                self._brands.add(zh)
                return zh, en

    def _org_description(self, templates: Sequence[str], name: str, domain: Domain, city: str, **extra: Any) -> str:
        topic = self.pick(domain.topics)
        fields = self._fields(domain, topic, side="supply", lang="zh")
        fields.update(name=name, city=city, year=extra.pop("year", 2015), staff=self.rng.randint(60, 2000), n=self.rng.randint(5, 40))
        fields.update(extra)
        return self.pick(templates).format(**fields) + T.DEMO_NOTE_ZH

    def enterprise(self, domain: Domain, city: str, *, reuse: float = 0.6, large: bool = False) -> str:
        pool = self._enterprises.setdefault((domain.key, city), [])
        if pool and self.rng.random() < reuse:
            return self.pick(pool)
        brand_zh, brand_en = self._brand()
        suffix = self.pick(domain.company_suffixes)
        name = f"{city}{brand_zh}{suffix.zh[0]}"
        year = self.rng.randint(1998, 2023)
        size = "large" if large else self.weighted((("micro", 1), ("small", 4), ("medium", 4), ("large", 2)))
        spec = OrgSpec(
            name=name,
            short=brand_zh + suffix.zh[0].split("有限")[0].split("股份")[0][:4],
            type="enterprise",
            city=city,
            name_en=f"{self.city_en(city)} {brand_en} {suffix.en[0]}",
            credit_code=self.credit_code("enterprise", city, year),
            size=size,
            founded_year=year,
            industries=self.industries(domain, None),
            description=self._org_description(T.ENTERPRISE_DESCRIPTIONS, name, domain, city, year=year),
            created_ago=float(self.rng.randint(500, 760)),
        )
        self.add_org(spec)
        pool.append(name)
        return name

    def institute(self, domain: Domain, city: str) -> str:
        pool = self._institutes.setdefault((domain.key, city), [])
        if pool and (len(pool) >= len(domain.institute_stems) or self.rng.random() < 0.7):
            return self.pick(pool)
        stem = domain.institute_stems[len(pool)]
        name = f"{city}{stem.zh[0]}"
        year = self.rng.randint(2010, 2022)
        org_type = "new_rd" if self.rng.random() < 0.6 else "institute"
        spec = OrgSpec(
            name=name,
            short=name,
            type=org_type,
            city=city,
            name_en=f"{self.city_en(city)} {stem.en[0]}",
            credit_code=self.credit_code(org_type, city, year),
            size="medium",
            founded_year=year,
            industries=[*self.industries(domain, None), ("gbt4754", "7320")],
            description=self._org_description(T.INSTITUTE_DESCRIPTIONS, name, domain, city, year=year),
            created_ago=float(self.rng.randint(500, 760)),
        )
        self.add_org(spec)
        pool.append(name)
        return name

    def university(self, domain: Domain, city: str) -> str | None:
        options = T.UNIVERSITIES.get(city)
        if not options:
            return None
        second = (domain.key == "biomed" and city == "上海") or (domain.key in ("ai", "chiplet") and city == "南京")
        zh, en = options[1] if second and len(options) > 1 else options[0]
        if zh not in self.orgs:
            year = self.rng.randint(1950, 2005)
            domains = "、".join(DOMAIN_SHORT[k][0] for k in self.rng.sample(list(DOMAIN_SHORT), 3))
            self.add_org(
                OrgSpec(
                    name=zh,
                    short=zh,
                    type="university",
                    city=city,
                    name_en=en,
                    credit_code=self.credit_code("university", city, year),
                    size="large",
                    founded_year=year,
                    industries=[("gbt4754", "7320")],
                    description=T.UNIVERSITY_DESCRIPTIONS[0].format(name=zh, city=city, domains=domains) + T.DEMO_NOTE_ZH,
                    created_ago=float(self.rng.randint(600, 760)),
                )
            )
        org = self.orgs[zh]
        for ref in self.industries(domain, None):
            if ref not in org.industries:
                org.industries.append(ref)
        return zh

    def academic(self, domain: Domain, city: str) -> str:
        if self.rng.random() < 0.55:
            uni = self.university(domain, city)
            if uni:
                return uni
        return self.institute(domain, city)

    def _add_partners(self) -> None:
        for city, zh, en in T.SERVICE_AGENCIES:
            year = self.rng.randint(2012, 2021)
            self.add_org(
                OrgSpec(
                    name=zh, short=zh, type="service", city=city, name_en=en,
                    credit_code=self.credit_code("service", city, year), size="small", founded_year=year,
                    industries=[("gbt4754", "7519"), ("sei2018", "9.1")],
                    description=self.pick(T.SERVICE_DESCRIPTIONS).format(name=zh, n=self.rng.randint(8, 30)) + T.DEMO_NOTE_ZH,
                    created_ago=float(self.rng.randint(600, 760)),
                )
            )
            self._service.append(zh)
        for city, zh, en in T.INVESTORS:
            year = self.rng.randint(2010, 2020)
            self.add_org(
                OrgSpec(
                    name=zh, short=zh, type="enterprise", city=city, name_en=en,
                    credit_code=self.credit_code("enterprise", city, year), size="small", founded_year=year,
                    industries=[("sei2018", "9.1")],
                    description=T.INVESTOR_DESCRIPTIONS[0].format(name=zh) + T.DEMO_NOTE_ZH,
                    created_ago=float(self.rng.randint(600, 760)),
                )
            )
            self._investors.append(zh)
        for name, country, domain_key in T.INTERNATIONAL:
            domain = self._domains[domain_key]
            self.add_org(
                OrgSpec(
                    name=name, short=name, type="enterprise", city=None, country=country, name_en=name,
                    size="medium", founded_year=self.rng.randint(1980, 2015),
                    industries=self.industries(domain, None),
                    description=f"{name} is an international partner of corridor companies in the {DOMAIN_SHORT[domain_key][1]} field."
                    + T.DEMO_NOTE_EN,
                    created_ago=float(self.rng.randint(300, 600)),
                )
            )
            self._international.setdefault(domain_key, []).append(name)
        for domain in DOMAINS:
            top = sorted(domain.city_weights, key=lambda cw: -cw[1])[:2]
            self._chain_leaders[domain.key] = [self.enterprise(domain, city, reuse=0.0, large=True) for city, _w in top]

    # resources -------------------------------------------------------------------------------

    def _domain_topic(self) -> tuple[Domain, Topic]:
        domain = self._domains[self.weighted(tuple(DOMAIN_WEIGHTS.items()))]
        return domain, self.pick(domain.topics)

    def _owner_for(self, kind: str, domain: Domain, city: str) -> str:
        r = self.rng.random()
        if kind == "tech_centre":
            return self.enterprise(domain, city)
        if kind in ACADEMIC_KINDS:
            return self.enterprise(domain, city) if kind == "instrument" and r < 0.12 else self.academic(domain, city)
        if kind == "pilot":
            return self.institute(domain, city) if r < 0.5 else self.enterprise(domain, city)
        return self.academic(domain, city) if r < 0.65 else self.enterprise(domain, city)

    def _evidence(
        self, kind: str, domain: Domain, topic: Topic, fields: dict[str, Any], lang: str, academic: bool, city: str
    ) -> list[EvidenceSpec]:
        rng = self.rng
        awards = T.AWARDS_BY_PROVINCE[self.cities[city]["province_code"]]
        if domain.key in T.AWARDS_BY_DOMAIN:
            awards = (*awards, T.AWARDS_BY_DOMAIN[domain.key])
        plan = {
            "key_lab": ("achievement", "patent", "patent", "equipment", "team"),
            "tech_centre": ("patent", "patent", "equipment", "achievement"),
            "pilot": ("equipment", "equipment", "achievement"),
            "poc": ("achievement", "team"),
            "instrument": ("equipment",),
            "expert_team": ("team", "team", "team", "achievement", "patent"),
            "achievement": ("patent", "patent", "achievement"),
        }[kind]
        out: list[EvidenceSpec] = []
        for ev_kind in plan[: rng.randint(max(1, len(plan) - 2), len(plan))]:
            year = rng.randint(2016, 2024)
            c = self._fields(domain, topic, side="supply", lang=lang)
            if kind == "instrument":
                c["equip"] = fields["equip"]
            if ev_kind == "patent":
                utility = rng.random() < 0.2
                application, publication = self.patent_numbers(year, utility)
                if lang == "en":
                    title = self.pick(("Method for preparing {c1}", "{c1} device for {app}", "System and method for {c2}")).format(**c)
                    text = f"Chinese {'utility model' if utility else 'invention'} patent, publication {publication}."
                else:
                    title = self.pick(
                        ("一种{c1}的制备方法", "一种基于{c1}的{app}用组件及其应用", "{c2}检测装置及方法", "一种{c1}与{c2}的集成工艺", "一种高稳定性{c3}及其制备方法")
                    ).format(**c)
                    text = f"{'实用新型' if utility else '发明'}专利，授权公告号{publication}，{year + rng.randint(1, 2)}年授权。"
                out.append(EvidenceSpec("patent", title, text, application, year))
            elif ev_kind == "equipment":
                equip = c["equip"]
                text = (
                    f"Acquired {year}; about {rng.randint(20, 900)} hours of external use per year."
                    if lang == "en"
                    else f"{year}年购置，原值约{rng.randint(80, 2500)}万元，年对外服务机时约{rng.randint(200, 1500)}小时。"
                )
                out.append(EvidenceSpec("equipment", equip, text, f"EQ-{year}-{rng.randint(1, 999):03d}", year))
            elif ev_kind == "team":
                name = self.person()
                title_zh, title_en = self.pick(T.ACADEMIC_TITLES if academic else T.ENTERPRISE_TITLES)
                if lang == "en":
                    text = f"{title_en}; works on {c['c1']} and {c['method']}."
                    out.append(EvidenceSpec("team", f"{name}, {title_en}", text))
                else:
                    text = f"{title_zh}，主要从事{c['c1']}和{c['method']}研究，发表论文{rng.randint(12, 160)}篇，授权发明专利{rng.randint(3, 40)}项。"
                    out.append(EvidenceSpec("team", f"{name} {title_zh}", text))
            else:
                if lang == "en":
                    title = self.pick(("{c1} demonstrated for {app}", "Award: " + self.pick(T.AWARDS_EN))).format(**c)
                    out.append(EvidenceSpec("achievement", title, f"Result: {c['m1']}.", year=year))
                else:
                    title = self.pick(
                        (f"{year}年获{self.pick(awards)}", "{c1}技术在{app}领域实现应用", "承担{domain}领域省级重点研发计划项目", "{c1}中试验证通过第三方评价")
                    ).format(**c)
                    out.append(EvidenceSpec("achievement", title, f"主要成效：{c['m1']}。", year=year))
        return out

    def _resource(self, kind: str) -> None:
        rng = self.rng
        domain, topic = self._domain_topic()
        city = self.weighted(domain.city_weights)
        owner_name = self._owner_for(kind, domain, city)
        owner = self.orgs[owner_name]
        lang = "en" if rng.random() < ENGLISH_SHARE else "zh"
        f = self._fields(domain, topic, side="supply", lang=lang)
        person = self.person()
        title_zh, title_en = self.pick(T.ACADEMIC_TITLES if owner.type != "enterprise" else T.ENTERPRISE_TITLES)
        f.update(
            owner=owner.name_en if lang == "en" else owner.short,
            city=self.city_en(city) if lang == "en" else city,
            prov=T.PROVINCE_PREFIX[self.cities[city]["province_code"]],
            person=person,
            title=title_en if lang == "en" else title_zh,
            year=rng.randint(2008, 2022), staff=rng.randint(8, 120), senior=rng.randint(4, 40), projects=rng.randint(6, 60),
            spend=rng.randint(300, 8000), area=rng.randint(5, 60) * 100, value=rng.randint(150, 3000), hours=rng.randint(800, 3200),
            patents=rng.randint(5, 60), clients=rng.randint(2, 30) * 10, share=rng.randint(20, 65),
            stage=self.pick(("小试验证", "中试验证", "样机试制", "工程化验证")),
        )
        name_templates = (T.RESOURCE_NAMES_EN if lang == "en" else T.RESOURCE_NAMES)[kind]
        name = ""
        for _attempt in range(6):
            name = self.pick(name_templates).format(**f)
            if name not in self._resource_names:
                break
        if name in self._resource_names:
            name = f"{name} ({owner.name_en})" if lang == "en" else f"{name}（{owner.short}）"
        f["name"] = name
        if lang == "en":
            description = self.pick(T.RESOURCE_EN).format(**f) + T.DEMO_NOTE_EN
        else:
            parts = [
                self.pick(T.RESOURCE_INTROS[kind]),
                self.pick(T.RESOURCE_SERVICES),
                self.pick(T.RESOURCE_RECORDS),
                self.pick(T.RESOURCE_ACCESS),
            ]
            description = "".join(p.format(**f) for p in parts) + T.DEMO_NOTE_ZH
        lo, hi = TRL_BY_KIND[kind]
        trl_min = rng.randint(lo, max(lo, hi - 2))
        trl_max = rng.randint(trl_min + 1 if trl_min < hi else trl_min, hi)
        fee = {
            "instrument": (("market", 5), ("cost", 4), ("negotiable", 1)),
            "pilot": (("market", 4), ("negotiable", 4), ("cost", 2)),
            "poc": (("free", 3), ("negotiable", 4), ("cost", 2)),
        }.get(kind, (("negotiable", 7), ("market", 2), ("free", 1)))
        index = len(self.resources)
        self.add_resource(
            ResourceSpec(
                kind=kind,
                name=name,
                owner=owner_name,
                city=city,
                description=description,
                industries=self.industries(domain, topic),
                domain=domain.key,
                topic=topic.key,
                trl_min=trl_min,
                trl_max=trl_max,
                open_to=self.weighted((("everyone", 45), ("delta", 25), ("corridor", 20), ("partners", 10))),
                fee_basis=self.weighted(fee),
                status=self.weighted((("available", 80), ("limited", 15), ("unavailable", 5))),
                contact_name=(person if lang == "en" else person[0] + self.pick(("老师", "工", "经理"))),
                contact_email=f"resource{index + 1:03d}@corridor-demo.example",
                public=rng.random() < 0.95,
                evidence=self._evidence(kind, domain, topic, f, lang, owner.type != "enterprise", city),
                lang=lang,
                created_ago=round(rng.uniform(3, 480), 3),
            )
        )

    # demands ---------------------------------------------------------------------------------

    def _budget(self, domain: Domain) -> tuple[Decimal | None, Decimal | None, str, str]:
        rng = self.rng
        scale = {"chiplet": 3, "biomed": 3, "nev": 2, "battery": 2}.get(domain.key, 1)
        top = rng.randint(10, 120) * 5 * scale * 10000  # 50万 … 1800万
        shape = rng.random()
        if shape < 0.08:
            return None, None, "面议", "to be agreed"
        high = _money(top)
        if shape < 0.35:
            return None, high, f"不超过{_wan(high)}", f"up to ¥{int(high):,}"
        low = _money(int(top * rng.choice((0.3, 0.4, 0.5, 0.6))) // 10000 * 10000)
        return low, high, f"{_wan(low)}–{_wan(high)}", f"¥{int(low):,}–¥{int(high):,}"

    def _demand(self, status: str) -> None:
        rng = self.rng
        domain, topic = self._domain_topic()
        chain_leader = rng.random() < 0.18
        if chain_leader:
            owner_name = self.pick(self._chain_leaders[domain.key])
        elif rng.random() < 0.08:
            owner_name = self.institute(domain, self.weighted(domain.city_weights))
        else:
            owner_name = self.enterprise(domain, self.weighted(domain.city_weights), reuse=0.65)
        owner = self.orgs[owner_name]
        city = owner.city or "上海"
        lang = "en" if rng.random() < ENGLISH_SHARE else "zh"
        f = self._fields(domain, topic, side="demand", lang=lang)
        trl = self.weighted(((4, 2), (5, 4), (6, 5), (7, 4), (8, 2), (3, 1)))
        months = self.pick((6, 9, 12, 18, 24, 36))
        budget_min, budget_max, budget_zh, budget_en = self._budget(domain)
        f.update(
            city=self.city_en(city) if lang == "en" else city,
            verb=self.pick(T.DEMAND_VERBS), verb_en=self.pick(T.DEMAND_EN_VERBS),
            revenue=rng.randint(2, 80), lines=rng.randint(2, 12), months=months, trl=trl, trl_label=T.TRL_LABELS[trl],
            mode=self.pick(T.COOPERATION_MODES), mode_en=self.pick(T.COOPERATION_MODES_EN),
            budget=budget_en if lang == "en" else budget_zh,
        )
        if lang == "en":
            title = self.pick(T.DEMAND_EN_TITLES).format(**f)
            f["problem_cap"] = f["problem"][:1].upper() + f["problem"][1:]
            description = self.pick(T.DEMAND_EN).format(**f) + T.DEMO_NOTE_EN
        else:
            title = self.pick(T.CHAIN_LEADER_TITLES if chain_leader else T.DEMAND_TITLES).format(**f)
            background = T.DEMAND_BACKGROUNDS[3] if chain_leader else self.pick(T.DEMAND_BACKGROUNDS[:3])
            parts = [background, self.pick(T.DEMAND_PROBLEMS), self.pick(T.DEMAND_SEEKS), self.pick(T.DEMAND_TARGETS),
                     self.pick(T.DEMAND_EXPECTATIONS), self.pick(T.DEMAND_BUDGETS) if budget_max else "费用面议。"]
            description = "".join(p.format(**f) for p in parts) + T.DEMO_NOTE_ZH
        confidential = status != "draft" and rng.random() < 0.15
        summary = ""
        if confidential:
            summary = (
                f"A {f['domain']} company in {f['city']} seeks a partner on {f['topic']}; details for authorised users only."
                if lang == "en"
                else self.pick(T.DEMAND_CONFIDENTIAL_SUMMARIES).format(**f)
            )
        created_ago = round(rng.uniform(5, 420), 3)
        published_ago = None if status == "draft" else round(max(0.5, created_ago - rng.uniform(0, 7)), 3)
        deadline: date | None
        if status in ("solved", "closed"):
            deadline = self.today - timedelta(days=rng.randint(5, 200))
        elif status == "draft":
            deadline = None if rng.random() < 0.4 else self.today + timedelta(days=rng.randint(90, 400))
        else:
            deadline = self.today + timedelta(days=rng.randint(20, 420))
        self.add_demand(
            DemandSpec(
                owner=owner_name,
                title=title,
                description=description,
                city=city,
                industries=self.industries(domain, topic),
                domain=domain.key,
                topic=topic.key,
                status=status,
                summary=summary,
                trl_desired=trl if rng.random() < 0.9 else None,
                budget_min=budget_min,
                budget_max=budget_max,
                deadline=deadline,
                confidentiality="summary" if confidential else "public",
                published_ago=published_ago,
                assign_manager=confidential or rng.random() < 0.12,
                lang=lang,
                created_ago=created_ago,
            )
        )

    # cooperation items -----------------------------------------------------------------------

    def _stage_dates(self, stage: str) -> tuple[date | None, date | None]:
        rng, today = self.rng, self.today
        if stage == "signed":
            start = today + timedelta(days=rng.randint(5, 60))
            return start, start + timedelta(days=rng.randint(180, 720))
        if stage == "in_progress":
            return today - timedelta(days=rng.randint(30, 400)), today + timedelta(days=rng.randint(30, 500))
        if stage == "completed":
            end = today - timedelta(days=rng.randint(10, 300))
            return end - timedelta(days=rng.randint(180, 720)), end
        if stage == "terminated":
            start = today - timedelta(days=rng.randint(200, 500))
            return start, start + timedelta(days=rng.randint(30, 190))
        return None, None

    def _contract_value(self, item_type: str, stage: str) -> Decimal | None:
        if stage == "negotiating" and self.rng.random() < 0.6:
            return None
        lo, hi = {
            "platform_sharing": (5, 80), "licensing": (20, 500), "transfer": (50, 1500), "joint_rd": (30, 800),
            "pilot": (20, 300), "industrialisation": (200, 5000),
        }[item_type]
        return _money(self.rng.randint(lo, hi) * 10000)

    def _supplier(self, domain: str, topic: str, not_city: str, prefer_shanghai: bool) -> str | None:
        candidates = [i for i in self._by_topic.get((domain, topic), ()) if self.resources[i].city != not_city]
        if not candidates:
            candidates = [
                i for (d, _t), idx in self._by_topic.items() if d == domain for i in idx if self.resources[i].city != not_city
            ]
        if not candidates:
            return None
        if prefer_shanghai:
            shanghai = [i for i in candidates if self.resources[i].city == "上海"]
            if shanghai and self.rng.random() < 0.75:
                candidates = shanghai
        return self.resources[self.pick(candidates)].owner

    def _extra_parties(self, parties: list[tuple[str, str]], domain: str, lang: str) -> str:
        names = {p[0] for p in parties}
        r = self.rng.random()
        if r < 0.04 and self._international.get(domain):
            name = self.pick(self._international[domain])
            parties.append((name, "rd"))
            return "en"
        if r < 0.32:
            name = self.pick(self._service)
            if name not in names:
                parties.append((name, "service"))
        elif r < 0.42:
            name = self.pick(self._investors)
            if name not in names:
                parties.append((name, "funding"))
        return lang

    def _item_text(self, item_type: str, stage: str, parties: list[tuple[str, str]], domain: Domain, topic: Topic,
                   lang: str, start: date | None, end: date | None, resource_name: str) -> tuple[str, str]:
        rng = self.rng
        f = self._fields(domain, topic, side="supply", lang=lang)
        orgs = [self.orgs[name] for name, _role in parties]
        role_list = [role for _n, role in parties]
        rd_at = role_list.index("rd") if "rd" in role_list else (role_list.index("lead") if "lead" in role_list else 0)
        rd = orgs[rd_at]
        prod = next((o for o, (_n, role) in zip(orgs, parties, strict=True) if role == "production"), None)
        other = prod or next(o for o in orgs if o is not rd)
        en = lang == "en"

        def city_of(o: OrgSpec) -> str:
            if o.city is None:
                return o.country
            return self.city_en(o.city) if en else o.city

        f.update(
            type_word=T.TYPE_WORDS[item_type], type_en=T.TYPE_WORDS_EN[item_type].capitalize(),
            rd_org=rd.name_en or rd.name if en else rd.name, prod_org=other.name_en or other.name if en else other.name,
            rd_short=rd.short, other_short=other.short, rd_city=city_of(rd), prod_city=city_of(other),
            owner_org=rd.name, user_org=other.name, resource=resource_name,
            a=self.pick((5, 6, 7)), b=0, years=self.pick((3, 5, 8)), royalty=self.pick((2, 3, 4, 5)), fee=rng.randint(20, 300),
            pct=self.pick((20, 30, 40, 50, 60, 70, 80)), start=start.isoformat() if start else "", end=end.isoformat() if end else "",
        )
        f["b"] = 10 - f["a"]
        split = prod is not None and rd.city != prod.city and rd.city is not None
        if en:
            title = f"{f['c1'][:1].upper()}{f['c1'][1:]} {T.TYPE_WORDS_EN[item_type]}" + (f" ({f['rd_city']} R&D, {f['prod_city']} manufacturing)" if split else "")
            body = self.pick(T.ITEM_EN).format(**f) + " " + T.ITEM_STAGE_NOTES_EN[stage].format(**f) + T.DEMO_NOTE_EN
            return title, body
        if split:
            title = self.pick(T.ITEM_TITLES_SPLIT).format(**f)
        else:
            title = self.pick(T.ITEM_TITLES).format(**f)
        roles = self.pick(T.ITEM_SHARING_ROLES if item_type == "platform_sharing" else T.ITEM_ROLES).format(**f)
        extras = [o for o, (_n, role) in zip(orgs, parties, strict=True) if role in ("service", "funding")]
        extra_text = "".join(
            f"{o.name}提供技术转移与合同谈判服务。" if o.type == "service" else f"{o.name}提供项目投资支持。" for o in extras
        )
        body = roles + extra_text + self.pick(T.ITEM_BENEFITS).format(**f) + self.pick(T.ITEM_STAGE_NOTES[stage]).format(**f)
        if rng.random() < 0.3:
            body += "技术经理人全程跟踪服务，协调两地政策与要素保障。"
        return title, body + T.DEMO_NOTE_ZH

    def _add_item(self, *, domain: Domain, topic: Topic, item_type: str, stage: str, parties: list[tuple[str, str]],
                  demand: int | None, created_floor: float = 0.0) -> None:
        rng = self.rng
        lang = "en" if rng.random() < ENGLISH_SHARE else "zh"
        lang = self._extra_parties(parties, domain.key, lang)
        start, end = self._stage_dates(stage)
        rd_names = [n for n, role in parties if role in ("rd", "lead", "service")]
        owned = [i for n in rd_names for i in self._by_owner.get(n, ()) if self.resources[i].domain == domain.key]
        resources = sorted(rng.sample(owned, min(len(owned), rng.randint(1, 2)))) if owned else []
        resource_name = self.resources[resources[0]].name if resources else topic.name.zh[0]
        title, description = self._item_text(item_type, stage, parties, domain, topic, lang, start, end, resource_name)
        started = (self.today - start).days if start and start <= self.today else 0
        created_ago = round(max(created_floor, started + rng.uniform(3, 40), rng.uniform(2, 90)), 3)
        if demand is not None:
            d = self.demands[demand]
            if d.published_ago is None or d.published_ago < created_ago + 3:
                d.published_ago = round(created_ago + rng.uniform(5, 40), 3)
                d.created_ago = round(d.published_ago + rng.uniform(0, 7), 3)
        self.add_item(
            ItemSpec(
                title=title,
                description=description,
                type=item_type,
                stage=stage,
                parties=parties,
                industries=self.industries(domain, topic),
                domain=domain.key,
                contract_value=self._contract_value(item_type, stage),
                start_date=start,
                end_date=end,
                demand=demand,
                resources=resources,
                public=rng.random() < 0.92,
                lang=lang,
                created_ago=created_ago,
            )
        )

    def _linked_items(self) -> None:
        linked = {i.demand for i in self.items if i.demand is not None}
        for index, d in enumerate(self.demands):
            if index in linked or len(self.items) >= COOPERATION_COUNT:
                continue
            if d.status == "negotiating" and self.rng.random() >= 0.6:
                continue
            if d.status not in ("negotiating", "cooperating", "solved"):
                continue
            domain = self._domains[d.domain]
            topic = next(t for t in domain.topics if t.key == d.topic)
            jiangsu = self.cities[d.city]["province_code"] == "320000"
            partner = self._supplier(d.domain, d.topic, d.city, prefer_shanghai=jiangsu)
            if partner is None:
                continue
            owner = self.orgs[d.owner]
            owner_role = "production" if owner.type == "enterprise" and self.rng.random() < 0.75 else "lead"
            stage = {"negotiating": "negotiating", "solved": "completed"}.get(d.status) or self.pick(("signed", "in_progress", "in_progress"))
            item_type = self.weighted((("joint_rd", 40), ("transfer", 20), ("licensing", 15), ("pilot", 15), ("industrialisation", 10)))
            self._add_item(domain=domain, topic=topic, item_type=item_type, stage=stage,
                           parties=[(d.owner, owner_role), (partner, "rd")], demand=index)

    def _free_item(self) -> None:
        rng = self.rng
        domain, topic = self._domain_topic()
        pattern = self.weighted((("sh_js", 45), ("cross", 25), ("sharing", 20), ("licence", 10)))
        stage = self.weighted((("negotiating", 20), ("signed", 20), ("in_progress", 35), ("completed", 20), ("terminated", 5)))
        if pattern == "sh_js":
            rd = self._supplier(domain.key, topic.key, "", prefer_shanghai=True)
            if rd is None or self.orgs[rd].city != "上海":
                rd = self.academic(domain, "上海") if rng.random() < 0.6 else self.enterprise(domain, "上海")
            prod_city = self.weighted(tuple((c, w) for c, w in domain.city_weights if c in JIANGSU_CORRIDOR))
            parties = [(rd, self.pick(("rd", "lead"))), (self.enterprise(domain, prod_city), "production")]
            item_type = self.weighted((("joint_rd", 30), ("industrialisation", 25), ("transfer", 20), ("pilot", 15), ("licensing", 10)))
        elif pattern == "cross":
            rd_city = self.weighted(domain.city_weights)
            rd = self._supplier(domain.key, topic.key, "", prefer_shanghai=False) or self.academic(domain, rd_city)
            rd_city = self.orgs[rd].city or rd_city
            choices = tuple((c, w) for c, w in domain.city_weights if c != rd_city)
            parties = [(rd, "rd"), (self.enterprise(domain, self.weighted(choices)), "production")]
            item_type = self.weighted((("joint_rd", 40), ("pilot", 25), ("industrialisation", 20), ("transfer", 15)))
        elif pattern == "sharing":
            platforms = [i for i in self._by_topic.get((domain.key, topic.key), ()) if self.resources[i].kind in ("pilot", "instrument", "key_lab", "poc")]
            if platforms:
                host = self.resources[self.pick(platforms)].owner
            else:
                host = self.institute(domain, self.weighted(domain.city_weights))
            host_city = self.orgs[host].city
            choices = tuple((c, w) for c, w in domain.city_weights if c != host_city)
            parties = [(host, "service"), (self.enterprise(domain, self.weighted(choices)), "lead")]
            item_type = "platform_sharing"
        else:
            seller = self._supplier(domain.key, topic.key, "", prefer_shanghai=False) or self.academic(domain, "南京")
            seller_city = self.orgs[seller].city
            choices = tuple((c, w) for c, w in domain.city_weights if c != seller_city)
            parties = [(seller, "rd"), (self.enterprise(domain, self.weighted(choices)), "production")]
            item_type = self.pick(("licensing", "transfer"))
        if len({self.orgs[n].city for n, _r in parties}) < 2:
            return  # the two-cities rule; the caller simply draws again
        self._add_item(domain=domain, topic=topic, item_type=item_type, stage=stage, parties=parties, demand=None)

    # the plan --------------------------------------------------------------------------------

    def build(self) -> Plan:
        from corridor.demo.seed import add_seed

        add_seed(self)
        self._add_partners()
        kinds = [k for k, n in RESOURCE_KIND_QUOTAS.items() for _ in range(n)]
        for res_spec in self.resources:
            kinds.remove(res_spec.kind)
        self.rng.shuffle(kinds)
        if self.reserved_resources:
            # The labs' instruments and platforms stand in for generated ones of the same kinds.
            for _n in range(self.reserved_resources):
                kinds.remove("instrument" if kinds.count("instrument") >= kinds.count("pilot") else "pilot")
        for kind in kinds[: RESOURCE_COUNT - self.reserved_resources - len(self.resources)]:
            self._resource(kind)
        statuses = [s for s, n in DEMAND_STATUS_QUOTAS.items() for _ in range(n)]
        for dem_spec in self.demands:
            statuses.remove(dem_spec.status)
        self.rng.shuffle(statuses)
        for status in statuses[: DEMAND_COUNT - len(self.demands)]:
            self._demand(status)
        self._linked_items()
        while len(self.items) < COOPERATION_COUNT:
            self._free_item()
        return Plan(list(self.orgs.values()), self.resources, self.demands, self.items)


def build_plan(today: date, reserved_resources: int = 0) -> Plan:
    """The demo region for a load on ``today``: always the same texts, dates relative to ``today``.

    ``reserved_resources`` leaves room for resources another loader adds (see corridor.demo.full).
    """
    return Generator(today, reserved_resources).build()

