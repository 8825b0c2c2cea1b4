"""Demo data of the alliance: ~100 technology managers, cases through every stage, and the consortia.

``load_brokers_demo()`` is deterministic (a fixed random seed; dates count back from today) and
idempotent: managers and consortia are found by username/name, and cases are only made once.
The seed's two consortia use their real organisations, found by name (the main demo loader in
``corridor/demo/`` creates them; they are created here if missing). Everything else — manager
names, the fictional consortia and their member firms, the Chiplet standard's adopters — is
fictional and marked ``is_demo``.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any, cast

from django.db import transaction
from django.utils import timezone

from corridor.brokers import selectors, services
from corridor.brokers.choices import (
    STAGE_CHAIN,
    ActivityKind,
    CaseStage,
    CertificationLevel,
    GoalKind,
    GoalStatus,
    LeadRole,
    LostReason,
    MemberRole,
    OutputKind,
)
from corridor.brokers.models import Case, Consortium, TechnologyManager
from corridor.lists.choices import DemandStatus
from corridor.lists.models import CooperationItem, Demand
from corridor.orgs.models import Organization, User
from corridor.regions.models import City, Industry

SEED = 20251026
N_MANAGERS = 100
N_CASES = 72
SOURCE = "demo"

# Home cities of the managers: the corridor first, a few from elsewhere in the delta.
CITY_WEIGHTS = [
    ("上海", 28), ("南京", 14), ("苏州", 14), ("无锡", 10), ("常州", 7), ("镇江", 5), ("南通", 6), ("扬州", 5),
    ("杭州", 4), ("合肥", 4), ("嘉兴", 3),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏飞鑫宇晨欣怡浩然思远佳琪子涵雨婷俊杰晓东海燕文博志强建国雪梅立新振华嘉怡"
# What managers of each top-level strategic emerging industry write about themselves.
EXPERTISE = {
    "1": ["集成电路设计与封测", "Chiplet先进封装", "工业软件", "人工智能算法落地", "大数据与云计算", "传感器与MEMS"],
    "2": ["智能制造装备", "工业机器人", "数控机床", "航空零部件", "轨道交通装备检测"],
    "3": ["高端聚烯烃", "催化剂中试放大", "碳纤维复合材料", "电子化学品", "特种合金", "环烯烃共聚物"],
    "4": ["创新药临床前研究", "医疗器械注册", "体外诊断试剂", "生物制药工艺放大", "合成生物学"],
    "5": ["动力电池", "电驱动系统", "氢燃料电池", "整车轻量化"],
    "6": ["光伏组件", "储能系统", "智能电网", "风电运维", "氢能制备"],
    "7": ["工业节能改造", "固废资源化", "水处理膜材料", "碳排放核算"],
    "8": ["数字创意设计", "虚拟现实内容", "工业设计服务"],
    "9": ["知识产权运营", "科技金融", "技术合同登记", "检验检测认证"],
}
SERVICES = ["技术转移", "专利价值评估", "中试对接", "概念验证", "投融资对接", "政策申报", "合同谈判"]

# Stage a demo case ends in, with weights: most cases are early, a fair number land, some are lost.
FINAL_WEIGHTS = [
    (CaseStage.DISCOVERY, 7), (CaseStage.MATCHING, 9), (CaseStage.NEGOTIATION, 9), (CaseStage.PROOF_OF_CONCEPT, 7),
    (CaseStage.PILOT, 6), (CaseStage.CONTRACT, 6), (CaseStage.LANDING, 12), (CaseStage.LOST, 10),
]
# Keyed by the stored stage string (CaseStage members compare and hash equal to it).
ACTIVITY_TITLES: dict[str, list[tuple[str, str]]] = {
    CaseStage.DISCOVERY: [("site_visit", "走访企业梳理技术需求"), ("call", "电话确认需求边界"), ("note", "需求画像整理")],
    CaseStage.MATCHING: [("document", "推荐候选供给方清单"), ("meeting", "供需双方线上初步交流"), ("note", "比对三张清单资源")],
    CaseStage.NEGOTIATION: [("meeting", "三方对接洽谈会"), ("call", "沟通知识产权归属方案"), ("document", "签署保密协议")],
    CaseStage.PROOF_OF_CONCEPT: [("site_visit", "概念验证中心现场测试"), ("document", "概念验证报告"), ("meeting", "验证结果评审")],
    CaseStage.PILOT: [("site_visit", "中试平台放大试验"), ("document", "中试工艺包"), ("call", "协调中试排期")],
    CaseStage.CONTRACT: [("meeting", "合同条款谈判"), ("document", "技术开发合同定稿"), ("note", "技术合同登记")],
    CaseStage.LANDING: [("site_visit", "产线落地现场调研"), ("meeting", "产业化落地总结会")],
}


def _org(name: str, *, short: str = "", type: str, city: str, is_demo: bool, description: str = "") -> Organization:
    """Find an organisation by its full or short name; create it (without a credit code) if missing."""
    org = Organization.objects.filter(name=name).first() or (Organization.objects.filter(name=short).first() if short else None)
    if org is None:
        org = Organization.objects.create(
            name=name, type=type, city=City.objects.get(short_name=city), is_demo=is_demo, description=description
        )
    return org


def _industry(code: str, scheme: str = "sei2018") -> Industry:
    return Industry.objects.get(scheme=scheme, code=code)


def _operator() -> User:
    """An operator to act through the services: the demo's own if there is one."""
    op = User.objects.filter(is_staff=True, is_active=True).order_by("-is_demo", "pk").first()
    if op is None:
        op = User.objects.create(username="brokers-demo-operator", is_staff=True, is_demo=True, display_name="联盟运营（演示）")
        op.set_unusable_password()
        op.save(update_fields=["password"])
    return op


def _managers(rng: random.Random) -> list[TechnologyManager]:
    cities = {c.short_name: c for c in City.objects.filter(short_name__in=[c for c, _w in CITY_WEIGHTS])}
    level2 = list(Industry.objects.filter(scheme="sei2018", level=2).select_related("parent").order_by("code"))
    service_orgs: dict[int | None, list[Organization]] = {}
    for org in Organization.objects.filter(type__in=["service", "institute", "new_rd", "poc"]).order_by("pk"):
        service_orgs.setdefault(org.city_id, []).append(org)
    profiles = []
    used_names: set[str] = set()
    city_pool = [c for c, w in CITY_WEIGHTS for _i in range(w)]
    for n in range(1, N_MANAGERS + 1):
        username = f"tm{n:03d}"
        while True:
            name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))
            if name not in used_names:
                used_names.add(name)
                break
        city = cities[city_pool[(n * 37) % len(city_pool)]]
        inds = rng.sample(level2, rng.choice([1, 2, 2, 3]))
        roots = sorted({i.parent.code for i in inds if i.parent})
        phrases = [p for r in roots for p in rng.sample(EXPERTISE[r], min(2, len(EXPERTISE[r])))]
        expertise = "、".join(phrases + rng.sample(SERVICES, 2))
        profile = TechnologyManager.objects.filter(user__username=username).first()
        if profile is None:
            person = User.objects.filter(username=username).first()
            if person is None:
                person = User(username=username, display_name=name, is_technology_manager=True, is_demo=True,
                              email=f"{username}@corridor-demo.example")
                person.set_unusable_password()
                person.save()
            orgs = service_orgs.get(city.pk, [])
            profile = TechnologyManager.objects.create(
                user=person,
                city=city,
                organization=orgs[n % len(orgs)] if orgs and n % 3 else None,
                expertise=expertise,
                certification_level=rng.choice(
                    [CertificationLevel.TRAINEE] + [CertificationLevel.JUNIOR] * 3
                    + [CertificationLevel.INTERMEDIATE] * 3 + [CertificationLevel.SENIOR] * 2
                ),
                languages=["zh"] + (["en"] if rng.random() < 0.45 else []) + (["ja"] if rng.random() < 0.06 else [])
                + (["de"] if rng.random() < 0.05 else []),
                years_of_practice=rng.randint(1, 22),
                active=n % 25 != 0,
            )
            profile.industries.set(inds)
            if rng.random() < 0.3:
                neighbours = [c for c in cities.values() if c.pk != city.pk]
                profile.covered_cities.set(rng.sample(neighbours, rng.choice([1, 2])))
        profiles.append(profile)
    # The demo's own "manager" account (if the main loader made one) gets a profile too.
    demo_manager = User.objects.filter(username="manager", is_technology_manager=True).first()
    if demo_manager is not None and not TechnologyManager.objects.filter(user=demo_manager).exists():
        p = TechnologyManager.objects.create(
            user=demo_manager, city=cities["上海"], expertise="高端聚烯烃、Chiplet先进封装、技术转移、中试对接",
            certification_level=CertificationLevel.SENIOR, languages=["zh", "en"], years_of_practice=9,
        )
        p.industries.set([_industry("3.3"), _industry("1.2")])
        profiles.append(p)
    return profiles


def _sources(op: User) -> list[Demand | CooperationItem]:
    demands = list(Demand.objects.exclude(status=DemandStatus.DRAFT).order_by("pk")[:N_CASES])
    items = list(CooperationItem.objects.order_by("pk")[: max(0, N_CASES - len(demands))])
    sources: list[Demand | CooperationItem] = [*demands, *items]
    if not sources:
        # Without the main demo's lists, post a few demands of our own so cases have something to follow.
        owners = [
            _org("南通澄烯新材料科技有限公司", type="enterprise", city="南通", is_demo=True),
            _org("常州示例动力电池有限公司（演示）", type="enterprise", city="常州", is_demo=True),
            _org("苏州示例生物医药有限公司（演示）", type="enterprise", city="苏州", is_demo=True),
        ]
        topics = [("环烯烃共聚物光学级牌号开发", "3.3"), ("固态电池电解质量产工艺", "5.2"), ("抗体药物连续流生产工艺", "4.1")]
        for i in range(12):
            owner = owners[i % 3]
            title, code = topics[i % 3]
            d = Demand.objects.create(
                # _org() creates these organisations with a city (or finds the demo's own, which have one).
                owner=owner, city=cast(City, owner.city), title=f"{title}（{i + 1}）", description=f"{title}：寻求高校院所技术合作（演示）",
                status=DemandStatus.PUBLISHED, published_at=timezone.now(),
            )
            d.industries.set([_industry(code)])
            sources.append(d)
    return sources


def _cases(rng: random.Random, op: User, managers: list[TechnologyManager]) -> int:
    if Case.objects.filter(is_demo=True).exists():
        return 0
    now = timezone.now()
    finals = [s for s, w in FINAL_WEIGHTS for _i in range(w)]
    made = 0
    for i, source in enumerate(_sources(op)[:N_CASES]):
        demand = source if isinstance(source, Demand) else None
        item = source if isinstance(source, CooperationItem) else None
        # The first cases walk to every end state in turn, so even a small demo shows each one.
        pick = rng.randrange(len(finals))
        final = FINAL_WEIGHTS[i][0] if i < len(FINAL_WEIGHTS) else finals[pick]
        lost_from = rng.choice(STAGE_CHAIN[:4]) if final == CaseStage.LOST else None
        target = lost_from or final
        steps = STAGE_CHAIN.index(target)
        stays = [rng.randint(6, 38) for _s in range(steps + 1)]
        opened = now - dt.timedelta(days=sum(stays) + rng.randint(1, 25), hours=rng.randint(0, 12))
        if opened < now - dt.timedelta(days=330):
            opened = now - dt.timedelta(days=330)
        title = source.title if len(source.title) < 180 else source.title[:180]
        case = services.case_open(
            user=op, title=f"{title}", description=getattr(source, "description", "")[:2000],
            demand=demand, cooperation=item, at=opened, is_demo=True, source=SOURCE,
        )
        suggestions = selectors.suggest_managers(case, limit=3)
        if suggestions:
            lead = suggestions[(i % 5 == 0) and len(suggestions) > 1].manager
            helpers = [s.manager for s in suggestions[2:3]] if i % 4 == 0 else []
            services.case_assign(case, user=op, lead=lead, helpers=helpers, source=SOURCE)
            actor = lead.user
        else:
            actor = op
        at = opened
        for step in range(steps + 1):
            stage = STAGE_CHAIN[step]
            stay_end = min(at + dt.timedelta(days=stays[step]), now - dt.timedelta(hours=1))
            for j, (kind, text) in enumerate(rng.sample(ACTIVITY_TITLES[stage], rng.randint(1, 2))):
                when = at + (stay_end - at) * (j + 1) / 3
                if when < now:
                    services.activity_log(case, user=actor, kind=ActivityKind(kind), title=text, at=when)
            if step == steps:
                break
            at = stay_end
            nxt = STAGE_CHAIN[step + 1]
            value = Decimal(rng.randint(20, 600) * 10000).quantize(Decimal("0.01")) if nxt == CaseStage.CONTRACT else None
            services.case_advance(case, user=actor, to=nxt, at=at, contract_value=value, source=SOURCE)
        if lost_from is not None:
            reason = rng.choice(LostReason.values)
            note = {
                LostReason.OTHER: "企业战略调整，项目暂缓（演示）",
            }.get(LostReason(reason), "详见对接记录（演示）")
            services.case_close_lost(case, user=actor, reason=reason, note=note,
                                     at=min(at + dt.timedelta(days=stays[-1]), now - dt.timedelta(minutes=30)), source=SOURCE)
        made += 1
    return made


def _consortia(op: User) -> int:
    today = timezone.localdate()
    made = 0
    srici = _org("上海化工研究院有限公司", short="上海化工研究院", type="institute", city="上海", is_demo=False)
    sjtu = _org("上海交通大学", type="university", city="上海", is_demo=False)
    huayi = _org("上海华谊（集团）公司", short="华谊集团", type="enterprise", city="上海", is_demo=False)
    coc = _org("南通澄烯新材料科技有限公司", type="enterprise", city="南通", is_demo=True,
               description="虚构的江苏企业：利用上海化工研究院催化剂技术建成千吨级环烯烃共聚物产线（演示）。")
    zwgk = _org("无锡中微高科电子有限公司", type="enterprise", city="无锡", is_demo=False)
    fudan = _org("复旦大学", type="university", city="上海", is_demo=False)
    jiangnan = _org("江南大学", type="university", city="无锡", is_demo=False)
    xghl = _org("芯光互连研究院", type="new_rd", city="无锡", is_demo=False)
    launch = dt.date(2025, 10, 26) if dt.date(2025, 10, 26) <= today else today

    def consortium(name: str, lead: Organization, role: str, industries: list[Industry], description: str,
                   launched: dt.date, is_demo: bool) -> Consortium | None:
        if Consortium.objects.filter(name=name).exists():
            return None
        c = services.consortium_create(
            user=op,
            data={"name": name, "lead": lead, "lead_role": role, "industries": industries, "description": description,
                  "launched_on": launched, "is_demo": is_demo},
            source=SOURCE,
        )
        return c

    def join(c: Consortium, org: Organization, role: str, on: dt.date, resp: str) -> None:
        services.consortium_member_join(c, user=op, organization=org, role=role, joined_on=min(on, today), responsibilities=resp, source=SOURCE)

    def d(days: int) -> dt.date:
        return min(launch + dt.timedelta(days=days), today)

    po = consortium(
        "聚烯烃先进材料创新联合体", srici, LeadRole.CHAIN_LEADER, [_industry("3.3"), _industry("2651", "gbt4754")],
        "“链主”引领、跨市分工：上海化工研究院专注核心技术攻关与标准制定，向上联合上海交通大学攻关基础研究，"
        "横向联合华谊集团构建共建机制；江苏企业承接产业化应用。", launch, False,
    )
    if po is not None:
        made += 1
        join(po, sjtu, MemberRole.UNIVERSITY, launch, "基础研究攻关")
        join(po, huayi, MemberRole.ENTERPRISE, launch, "共建机制与产业资源")
        join(po, coc, MemberRole.ENTERPRISE, d(10), "千吨级环烯烃共聚物产业化（演示）")
        goal = services.consortium_goal_add(
            po, user=op, kind=GoalKind.CHOKEPOINT, title="高端聚烯烃材料自主保障",
            description="突破高端聚烯烃材料“卡脖子”难题，实现从进口消费到自主保障的转型。", status=GoalStatus.IN_PROGRESS,
            demands=list(Demand.objects.filter(owner__in=[srici, huayi, coc]).order_by("pk")[:3]), source=SOURCE,
        )
        services.consortium_output_add(
            po, user=op, kind=OutputKind.PATENT, title="环烯烃共聚物单活性中心催化剂及其制备方法（演示）",
            credited=[srici, sjtu], achieved_on=d(15), goal=goal, source=SOURCE,
        )
        services.consortium_output_add(
            po, user=op, kind=OutputKind.PILOT_LINE, title="千吨级环烯烃共聚物（COC）连续聚合产线",
            credited=[srici, coc], achieved_on=d(20), goal=goal, city=coc.city,
            description="江苏企业利用上研院催化剂技术建成的千吨级产线（企业为虚构演示）。", source=SOURCE,
        )
    chip = consortium(
        "Chiplet集成技术创新联合体", zwgk, LeadRole.ALLIANCE_LEADER, [_industry("1.2"), _industry("3973", "gbt4754")],
        "“盟主”牵引、产学研紧密协同：企业负责统筹资源与产业落地，高校专注前沿理论和原始创新，研究院承担标准制定与知识产权布局。",
        launch, False,
    )
    if chip is not None:
        made += 1
        join(chip, fudan, MemberRole.UNIVERSITY, launch, "前沿理论和原始创新")
        join(chip, jiangnan, MemberRole.UNIVERSITY, launch, "前沿理论和原始创新")
        join(chip, xghl, MemberRole.INSTITUTE, launch, "标准制定与知识产权布局")
        goal = services.consortium_goal_add(
            chip, user=op, kind=GoalKind.CHOKEPOINT, title="Chiplet集成关键技术",
            description="攻克以Chiplet集成为代表的“卡脖子”关键技术，加快从“0到1”再到“100”的成果转化。",
            status=GoalStatus.IN_PROGRESS,
            demands=list(Demand.objects.filter(owner__in=[zwgk, xghl]).order_by("pk")[:3]), source=SOURCE,
        )
        adopter_cities = ["上海", "无锡", "南京", "苏州", "合肥", "杭州", "上海", "无锡", "常州", "南京", "上海"]
        adopters = [
            _org(f"{city}芯途示例{n + 1}号芯片设计有限公司（演示）", type="enterprise", city=city, is_demo=True)
            for n, city in enumerate(adopter_cities)
        ]
        services.consortium_output_add(
            chip, user=op, kind=OutputKind.STANDARD, title="中国首个原生Chiplet标准",
            description="芯光互连研究院牵头制订，已应用于全国10多家芯片设计公司（采用方为虚构演示企业）。",
            credited=[xghl], adopters=adopters, achieved_on=launch, goal=goal, source=SOURCE,
        )
        services.consortium_output_add(
            chip, user=op, kind=OutputKind.PATENT, title="多芯粒互连接口时序校准方法（演示）",
            credited=[fudan, xghl], achieved_on=d(12), goal=goal, source=SOURCE,
        )
        services.consortium_output_add(
            chip, user=op, kind=OutputKind.PRODUCT, title="2.5D Chiplet集成封装模组（演示）",
            credited=[zwgk, jiangnan], achieved_on=d(25), goal=goal, city=zwgk.city, source=SOURCE,
        )
    fictional = [
        ("长三角生物医药协同创新联合体（演示）", ("上海示例创新药研究院（演示）", "institute", "上海"), LeadRole.CHAIN_LEADER, "4.1",
         [("苏州示例生物制药有限公司（演示）", "enterprise", "苏州"), ("南京示例医科大学（演示）", "university", "南京"),
          ("泰州示例医药产业园服务中心（演示）", "service", "泰州")],
         "抗体药物连续化生产工艺", OutputKind.PILOT_LINE, "抗体药物连续流中试线（演示）"),
        ("沿沪宁人工智能创新联合体（演示）", ("南京示例智能科技有限公司（演示）", "enterprise", "南京"), LeadRole.ALLIANCE_LEADER, "1.5",
         [("上海示例人工智能研究院（演示）", "new_rd", "上海"), ("苏州示例大学（演示）", "university", "苏州"),
          ("常州示例智能装备有限公司（演示）", "enterprise", "常州")],
         "工业大模型可信部署", OutputKind.STANDARD, "工业大模型应用评测规范（演示）"),
        ("新能源储能创新联合体（演示）", ("常州示例储能科技有限公司（演示）", "enterprise", "常州"), LeadRole.CHAIN_LEADER, "6.3",
         [("合肥示例能源研究院（演示）", "institute", "合肥"), ("无锡示例理工大学（演示）", "university", "无锡"),
          ("镇江示例光伏材料有限公司（演示）", "enterprise", "镇江")],
         "长时储能电池安全", OutputKind.PRODUCT, "320Ah长时储能电芯（演示）"),
    ]
    for n, (name, lead_spec, role, code, members, goal_title, out_kind, out_title) in enumerate(fictional):
        lead = _org(lead_spec[0], type=lead_spec[1], city=lead_spec[2], is_demo=True)
        c = consortium(name, lead, role, [_industry(code)], f"虚构的演示联合体：围绕“{goal_title}”开展协同攻关。", d(-90 - 30 * n), True)
        if c is None:
            continue
        made += 1
        orgs = []
        for k, (mname, mtype, mcity) in enumerate(members):
            org = _org(mname, type=mtype, city=mcity, is_demo=True)
            orgs.append(org)
            join(c, org, services.role_for_organization(org), d(-85 - 30 * n + 7 * k), "")
        # One member left again, so the membership history shows a departure.
        services.consortium_member_leave(c, user=op, organization=orgs[-1], left_on=d(-20), source=SOURCE)
        goal = services.consortium_goal_add(c, user=op, kind=GoalKind.KEY_PROBLEM, title=goal_title, source=SOURCE)
        services.consortium_output_add(
            c, user=op, kind=out_kind, title=out_title, credited=[lead, orgs[0]], achieved_on=d(-10), goal=goal,
            adopters=orgs[1:2] if out_kind == OutputKind.STANDARD else [], source=SOURCE,
        )
    return made


def load_brokers_demo() -> dict[str, Any]:
    """Load the alliance's demo data; returns what was made (0 for parts that were already there)."""
    rng = random.Random(SEED)
    with transaction.atomic():
        op = _operator()
        managers = _managers(rng)
        consortia = _consortia(op)
        cases = _cases(rng, op, managers)
    return {"managers": len(managers), "cases": cases, "consortia": consortia}
