"""Demo content of the innovation market: challenge calls across the whole 揭榜挂帅 cycle, a ledger
of technology contracts totalling just over ¥16 million that reaches 南通, 扬州 and partners abroad,
a library of (fictional, plausible) policies of the corridor cities, and carrier spaces.

``load_market_demo()`` is deterministic: the same content every time, with dates placed relative to
the day it runs (so open calls are open and policies in force). Running it again replaces the
market's demo rows. Organisations it needs are reused by name when the main demo loader made them,
and otherwise created as fictional demo organisations (the two real chain leaders only with their
public name, type and city).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from corridor.core.history import record_change
from corridor.core.models import ChangeAction
from corridor.market.choices import BidStatus, CallStatus, MilestoneStatus
from corridor.market.models import (
    Bid,
    BidMilestone,
    CarrierSpace,
    ChallengeCall,
    OrganizationProfile,
    PanelMember,
    Policy,
    PolicyCondition,
    Review,
    ReviewCriterion,
    ReviewScore,
    TechnologyContract,
)
from corridor.market.services import default_rubric, weighted_score
from corridor.orgs.creditcode import make_code
from corridor.orgs.models import Membership, Organization, User
from corridor.regions.models import City, Industry

DEMO_NOTE = "（演示数据：内容为虚构示意。）"
POLICY_NOTE = "（演示数据：政策条目为虚构示意，仅用于展示政策计算器，不构成任何政策依据。）"
SRICI = "上海化工研究院有限公司"
ZWGK = "无锡中微高科电子有限公司"
COC_FIRM = "南通澄烯新材料科技有限公司"


@dataclass(frozen=True)
class Org:
    name: str
    type: str
    city: str | None
    country: str = "CN"
    size: str = ""
    founded: int | None = None
    industries: tuple[tuple[str, str], ...] = ()
    real: bool = False


ORGS = (
    Org(SRICI, "institute", "上海", real=True, industries=(("gbt4754", "2651"), ("sei2018", "3.3"))),
    Org(ZWGK, "enterprise", "无锡", real=True, industries=(("gbt4754", "3973"), ("sei2018", "1.2"))),
    Org(COC_FIRM, "enterprise", "南通", size="medium", founded=2018, industries=(("gbt4754", "2651"),)),
    Org("苏州纳微催化材料有限公司", "enterprise", "苏州", size="small", founded=2016, industries=(("gbt4754", "2661"), ("sei2018", "3.3"))),
    Org("常州碳智新材料科技有限公司", "enterprise", "常州", size="small", founded=2019, industries=(("gbt4754", "3091"), ("sei2018", "3.3"))),
    Org("南京先进高分子材料研究院", "new_rd", "南京", founded=2017, industries=(("gbt4754", "7320"),)),
    Org("镇江绿氢装备有限公司", "enterprise", "镇江", size="medium", founded=2015, industries=(("gbt4754", "3442"), ("sei2018", "6.1"))),
    Org("南通江海海工装备有限公司", "enterprise", "南通", size="large", founded=2006, industries=(("gbt4754", "3734"),)),
    Org("扬州维扬精密仪器有限公司", "enterprise", "扬州", size="small", founded=2012, industries=(("gbt4754", "4014"),)),
    Org("上海微纳检测技术服务有限公司", "service", "上海", size="small", founded=2014, industries=(("gbt4754", "7452"),)),
    Org("无锡芯联封测科技有限公司", "enterprise", "无锡", size="medium", founded=2013, industries=(("gbt4754", "3973"), ("sei2018", "1.2"))),
    Org("Rheinland Polymer Technik GmbH", "enterprise", None, country="DE", size="medium", founded=1998),
    Org("Kansai Precision Materials K.K.", "enterprise", None, country="JP", size="medium", founded=2003),
    Org("长三角创新载体运营管理有限公司", "incubator", "苏州", size="small", founded=2015),
)


def _code(name: str, city: City | None) -> str:
    if city is None:
        return ""
    digest = hashlib.sha256(name.encode()).hexdigest().upper()
    body = "".join(ch for ch in digest if ch in "0123456789ABCDEFGHJKLMNPQRTUWXY")[:9]
    return make_code("91", city.code, body)


def _industries(refs: Any) -> list[Industry]:
    out = []
    for scheme, code in refs:
        ind = Industry.objects.filter(scheme=scheme, code=code).first()
        if ind is not None:
            out.append(ind)
    return out


def _orgs() -> dict[str, Organization]:
    out = {}
    for spec in ORGS:
        org = Organization.objects.filter(name=spec.name).first()
        if org is None:
            city = City.objects.get(short_name=spec.city) if spec.city else None
            code = "" if spec.real else _code(spec.name, city)
            if code and Organization.objects.filter(credit_code=code).exists():
                code = ""
            org = Organization.objects.create(
                name=spec.name, type=spec.type, city=city, country=spec.country, size=spec.size,
                founded_year=spec.founded, credit_code=code, is_demo=not spec.real,
                description="" if spec.real else DEMO_NOTE,
            )
            org.industries.set(_industries(spec.industries))
        out[spec.name] = org
    return out


def _user(username: str, *, display: str, org: Organization | None = None, password: str | None = None, **flags: Any) -> User:
    user, _created = User.objects.get_or_create(username=username, defaults={"display_name": display, "is_demo": True, **flags})
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    if org is not None:
        Membership.objects.get_or_create(user=user, organization=org, defaults={"title": "演示账号"})
    return user


def _ind(scheme: str, code: str) -> Industry | None:
    return Industry.objects.filter(scheme=scheme, code=code).first()


def _clear() -> None:
    calls = ChallengeCall.objects.filter(is_demo=True)
    TechnologyContract.objects.filter(is_demo=True).delete()
    Bid.objects.filter(call__in=calls).delete()
    calls.delete()
    Policy.objects.filter(is_demo=True).delete()
    CarrierSpace.objects.filter(is_demo=True).delete()


@transaction.atomic
def load_market_demo(*, password: str | None = None) -> dict[str, int]:
    """Replace the market's demo rows; returns how many of each were written."""
    _clear()
    now = timezone.now().replace(second=0, microsecond=0)
    today = timezone.localdate()
    orgs = _orgs()
    users = {
        "srici": _user("demo_market_srici", display="化工院揭榜挂帅专员", org=orgs[SRICI], password=password),
        "zwgk": _user("demo_market_zwgk", display="中微高科项目经理", org=orgs[ZWGK], password=password),
        "nawei": _user("demo_market_nawei", display="纳微催化研发总监", org=orgs["苏州纳微催化材料有限公司"], password=password),
        "tanzhi": _user("demo_market_tanzhi", display="碳智新材料总工", org=orgs["常州碳智新材料科技有限公司"], password=password),
        "njpoly": _user("demo_market_njpoly", display="南京高分子院课题组长", org=orgs["南京先进高分子材料研究院"], password=password),
        "lvqing": _user("demo_market_lvqing", display="绿氢装备技术部", org=orgs["镇江绿氢装备有限公司"], password=password),
        "jianghai": _user("demo_market_jianghai", display="江海海工质量部", org=orgs["南通江海海工装备有限公司"], password=password),
        "xinlian": _user("demo_market_xinlian", display="芯联封测研发部", org=orgs["无锡芯联封测科技有限公司"], password=password),
        "weina": _user("demo_market_weina", display="微纳检测技术总监", org=orgs["上海微纳检测技术服务有限公司"], password=password),
        "weiyang": _user("demo_market_weiyang", display="维扬仪器总经理", org=orgs["扬州维扬精密仪器有限公司"], password=password),
        "reviewer1": _user("demo_market_reviewer1", display="评审专家（高分子）", password=password, is_reviewer=True),
        "reviewer2": _user("demo_market_reviewer2", display="评审专家（集成电路）", password=password, is_reviewer=True),
        "operator": _user("demo_market_operator", display="集市运营", password=password, is_staff=True),
    }
    calls = _calls(orgs, users, now)
    contracts = _ledger(orgs, calls, today)
    policies = _policies(today)
    _profiles(orgs, users["operator"])
    spaces = _spaces(orgs)
    return {"calls": len(calls), "contracts": contracts, "policies": policies, "spaces": spaces}


# Calls -----------------------------------------------------------------------------------------


def _rubric(call: ChallengeCall) -> list[ReviewCriterion]:
    rows = [
        ReviewCriterion(call=call, name=c.name, weight=c.weight, max_score=c.max_score, description=c.description, order=i)
        for i, c in enumerate(default_rubric())
    ]
    return ReviewCriterion.objects.bulk_create(rows)


def _call(*, issuer: Organization, user: User, operator: User, status: str, now: dt.datetime, deadline_days: int,
          industries: list[Any], **fields: Any) -> ChallengeCall:
    deadline = now + dt.timedelta(days=deadline_days)
    published = deadline - dt.timedelta(days=45) if status not in (CallStatus.DRAFT, CallStatus.PENDING) else None
    call = ChallengeCall.objects.create(
        issuer=issuer, status=status, deadline=deadline, created_by=user, is_demo=True,
        submitted_at=(published - dt.timedelta(days=3)) if published else (now - dt.timedelta(days=1) if status == CallStatus.PENDING else None),
        published_at=published, approved_by=operator if published else None,
        closed_at=deadline if status not in (CallStatus.DRAFT, CallStatus.PENDING, CallStatus.OPEN) else None,
        **fields,
    )
    call.industries.set([i for i in industries if i is not None])
    _rubric(call)
    record_change(call, ChangeAction.CREATE, user=user, source="demo")
    return call


def _bid(call: ChallengeCall, org: Organization, user: User, *, approach: str, budget: str, team: list[tuple[str, str]],
         milestones: list[tuple[str, int, str]], status: str = BidStatus.SUBMITTED, days_before: int = 5) -> Bid:
    bid = Bid.objects.create(
        call=call, bidder=org, submitted_by=user, approach=approach, budget=Decimal(budget), status=status,
        team_name=f"{org.name}攻关团队", team_members=[{"name": n, "role": r, "affiliation": org.name} for n, r in team],
        submitted_at=call.deadline - dt.timedelta(days=days_before),
    )
    start = timezone.localtime(call.deadline).date()
    BidMilestone.objects.bulk_create(
        [
            BidMilestone(bid=bid, order=i, title=t, due_date=start + dt.timedelta(days=d), amount=Decimal(a), deliverable=t)
            for i, (t, d, a) in enumerate(milestones)
        ]
    )
    record_change(bid, ChangeAction.CREATE, user=user, source="demo")
    return bid


def _review(bid: Bid, reviewer: User, values: list[int], comment: str) -> None:
    criteria = list(bid.call.criteria.all())
    scores = {c.pk: Decimal(v) for c, v in zip(criteria, values, strict=True)}
    review = Review.objects.create(
        bid=bid, reviewer=reviewer, comment=comment, weighted_score=weighted_score(criteria, scores),
        submitted=bid.call.deadline + dt.timedelta(days=2),
    )
    ReviewScore.objects.bulk_create([ReviewScore(review=review, criterion_id=k, score=v) for k, v in scores.items()])


ELIGIBLE_DELTA = ["上海市", "江苏省", "浙江省", "安徽省"]


def _calls(orgs: dict[str, Organization], u: dict[str, User], now: dt.datetime) -> dict[str, ChallengeCall]:
    op = u["operator"]
    calls: dict[str, ChallengeCall] = {}

    # 1. Open for bids, blind review — the chain leader of the polyolefin consortium.
    c = _call(
        issuer=orgs[SRICI], user=u["srici"], operator=op, status=CallStatus.OPEN, now=now, deadline_days=21,
        industries=[_ind("gbt4754", "2651"), _ind("sei2018", "3.3")],
        title="光学级环烯烃共聚物（COC）高透明牌号开发",
        summary="面向手机镜头与医用包装，开发透光率≥91%的光学级COC牌号并完成千吨级产线验证。",
        problem="现有COC牌号在高玻璃化温度下透光率与黄变指数难以兼顾，光学级产品依赖进口。"
        "征集团队开展共聚组成设计、脱挥与洁净造粒工艺优化，在南通千吨级产线完成验证。" + DEMO_NOTE,
        indicators="透光率≥91%（3 mm）；黄变指数≤1.5；Tg 135–160 ℃可调；产线连续运行≥720 h；形成牌号技术规格书。",
        reward=Decimal("3000000.00"), funding=Decimal("1500000.00"), eligible_provinces=ELIGIBLE_DELTA,
        eligible_org_types=["enterprise", "university", "institute", "new_rd"], ip_ownership="shared", ip_exclusive=True,
        ip_notes="背景知识产权归各自所有；项目产生的知识产权双方共有，发榜方享有独占实施许可。", blind_review=True,
    )
    PanelMember.objects.create(call=c, reviewer=u["reviewer1"], assigned_by=op)
    _bid(c, orgs["苏州纳微催化材料有限公司"], u["nawei"], approach="以负载型茂金属催化体系降低灰分，配合两级薄膜脱挥与熔体过滤控制黄变。",
         budget="2800000.00", team=[("陈博士", "项目负责人"), ("刘工", "工艺工程师")],
         milestones=[("小试配方定型", 90, "800000.00"), ("中试放大", 180, "1000000.00"), ("产线验证", 300, "1000000.00")])
    _bid(c, orgs["南京先进高分子材料研究院"], u["njpoly"], approach="以链结构模拟指导共聚组成设计，引入受阻胺类稳定体系抑制加工黄变。",
         budget="2500000.00", team=[("周研究员", "首席科学家"), ("吴博士", "表征")],
         milestones=[("组成-性能模型", 120, "900000.00"), ("产线验证", 330, "1600000.00")], days_before=8)
    calls["open"] = c

    # 2. Under review, with scores from the panel.
    c = _call(
        issuer=orgs[ZWGK], user=u["zwgk"], operator=op, status=CallStatus.REVIEW, now=now, deadline_days=-6,
        industries=[_ind("gbt4754", "3973"), _ind("sei2018", "1.2")],
        title="Chiplet 2.5D封装翘曲控制与热管理",
        summary="大尺寸硅中介层封装的翘曲与热点问题攻关。",
        problem="55 mm以上中介层封装回流后翘曲超标，多芯粒热点温差大，影响良率与可靠性。" + DEMO_NOTE,
        indicators="翘曲≤80 μm；热点温差≤8 ℃；通过JEDEC温循1000次；良率≥98%。",
        reward=Decimal("2000000.00"), eligible_provinces=ELIGIBLE_DELTA, ip_ownership="issuer", ip_exclusive=True,
    )
    for r in (u["reviewer1"], u["reviewer2"]):
        PanelMember.objects.create(call=c, reviewer=r, assigned_by=op)
    b1 = _bid(c, orgs["无锡芯联封测科技有限公司"], u["xinlian"], approach="低CTE底填料+分区回流曲线+背面加强环。", budget="1800000.00",
              team=[("钱工", "封装工艺")], milestones=[("仿真与选材", 60, "600000.00"), ("样品验证", 150, "1200000.00")])
    b2 = _bid(c, orgs["上海微纳检测技术服务有限公司"], u["weina"],
              approach="原位翘曲测量（阴影云纹）驱动的工艺窗口优化与热仿真闭环。", budget="1200000.00",
              team=[("孙工", "测试工程师")], milestones=[("测量平台", 45, "400000.00"), ("工艺窗口", 120, "800000.00")])
    _review(b1, u["reviewer1"], [8, 8, 7, 7], "方案成熟，工程化可行。")
    _review(b1, u["reviewer2"], [9, 8, 8, 6], "底填料选型有依据，预算略高。")
    _review(b2, u["reviewer2"], [7, 6, 8, 9], "测量手段先进，但工艺落地经验不足。")
    calls["review"] = c

    # 3. In delivery: milestones accepted, submitted and planned.
    c = _call(
        issuer=orgs[SRICI], user=u["srici"], operator=op, status=CallStatus.DELIVERY, now=now, deadline_days=-120,
        industries=[_ind("gbt4754", "2661")],
        title="茂金属催化剂连续化制备工艺", summary="从间歇釜到连续化制备，批次稳定性提升。",
        problem="茂金属催化剂间歇制备批次差异大、收率低，需开发连续化制备与在线质控工艺。" + DEMO_NOTE,
        indicators="收率≥85%；批次活性偏差≤5%；连续运行≥500 h。",
        reward=Decimal("1800000.00"), eligible_provinces=["江苏省", "上海市"], ip_ownership="licensed", ip_exclusive=False,
    )
    c.awarded_at = c.deadline + dt.timedelta(days=20)
    c.status_note = "综合评分第一，连续流工艺基础扎实。"
    c.save(update_fields=["awarded_at", "status_note"])
    win = _bid(c, orgs["常州碳智新材料科技有限公司"], u["tanzhi"], approach="微通道连续流合成+在线红外监测。", budget="1800000.00",
               team=[("郑工", "负责人"), ("冯博士", "合成")], status=BidStatus.AWARDED,
               milestones=[("连续流小试", 30, "500000.00"), ("中试装置", 120, "700000.00"), ("500小时考核", 240, "600000.00")])
    win.award_reason = "连续流工艺经验充分，预算与进度合理。"
    win.awarded_amount = Decimal("1800000.00")
    win.save(update_fields=["award_reason", "awarded_amount"])
    _bid(c, orgs["苏州纳微催化材料有限公司"], u["nawei"], approach="固定床负载化制备。", budget="1600000.00",
         team=[("陈博士", "负责人")], milestones=[("小试", 60, "600000.00"), ("中试", 200, "1000000.00")], status=BidStatus.NOT_AWARDED)
    ms = list(win.milestones.all())
    ms[0].status, ms[0].evidence, ms[0].decided_by = MilestoneStatus.ACCEPTED, "小试报告：收率87%，活性偏差3.8%。", u["srici"]
    ms[0].submitted_at = ms[0].decided_at = c.awarded_at + dt.timedelta(days=40)
    ms[0].decision_note = "指标达成，同意支付。"
    ms[1].status, ms[1].evidence = MilestoneStatus.SUBMITTED, "中试装置已建成，附72小时运行记录。"
    ms[1].submitted_at = now - dt.timedelta(days=2)
    for m in ms[:2]:
        m.save()
    calls["delivery"] = c

    # 4. Accepted (验收): the whole cycle done.
    c = _call(
        issuer=orgs["镇江绿氢装备有限公司"], user=u["lvqing"], operator=op, status=CallStatus.ACCEPTED, now=now, deadline_days=-300,
        industries=[_ind("sei2018", "6.1")],
        title="PEM电解槽膜电极国产化", summary="兆瓦级PEM电解槽膜电极替代进口。",
        problem="膜电极依赖进口，成本高、交期长。" + DEMO_NOTE,
        indicators="电流密度2 A/cm²下电压≤1.9 V；衰减≤5 μV/h；铱载量≤0.8 mg/cm²。",
        reward=Decimal("1600000.00"), eligible_provinces=ELIGIBLE_DELTA, ip_ownership="shared",
    )
    c.awarded_at = c.deadline + dt.timedelta(days=15)
    c.finished_at = now - dt.timedelta(days=20)
    c.status_note = "全部里程碑验收通过。"
    c.save(update_fields=["awarded_at", "finished_at", "status_note"])
    win = _bid(c, orgs["南京先进高分子材料研究院"], u["njpoly"], approach="低铱催化层梯度设计与卷对卷涂布。", budget="1600000.00",
               team=[("周研究员", "负责人")], status=BidStatus.AWARDED,
               milestones=[("单电池验证", 60, "600000.00"), ("电堆验证", 200, "1000000.00")])
    win.award_reason, win.awarded_amount = "唯一满足铱载量指标的方案。", Decimal("1600000.00")
    win.save(update_fields=["award_reason", "awarded_amount"])
    win.milestones.update(status=MilestoneStatus.ACCEPTED, evidence="第三方检测报告", decided_by=u["lvqing"], decided_at=now - dt.timedelta(days=25))
    calls["accepted"] = c

    # 5. Awarded, contract being signed.
    c = _call(
        issuer=orgs["扬州维扬精密仪器有限公司"], user=u["weiyang"], operator=op, status=CallStatus.AWARDED, now=now, deadline_days=-30,
        industries=[_ind("gbt4754", "4014")], title="高精度在线粘度计核心传感器",
        problem="聚合反应在线粘度测量漂移大，需开发耐高温振动式传感器。" + DEMO_NOTE,
        indicators="测量范围1–10⁵ mPa·s；精度±1%；耐温250 ℃。", reward=Decimal("600000.00"),
        eligible_org_types=["university", "institute", "new_rd"], ip_ownership="bidder",
    )
    c.awarded_at = now - dt.timedelta(days=3)
    c.save(update_fields=["awarded_at"])
    win = _bid(c, orgs["南京先进高分子材料研究院"], u["njpoly"], approach="音叉式谐振传感与温度补偿算法。", budget="600000.00",
               team=[("吴博士", "负责人")], status=BidStatus.AWARDED, milestones=[("原理样机", 90, "300000.00"), ("现场验证", 180, "300000.00")])
    win.award_reason, win.awarded_amount = "原理验证数据充分。", Decimal("600000.00")
    win.save(update_fields=["award_reason", "awarded_amount"])
    calls["awarded"] = c

    # 6. Waiting for the operators' approval, and 7. a draft.
    calls["pending"] = _call(
        issuer=orgs["南通江海海工装备有限公司"], user=u["jianghai"], operator=op, status=CallStatus.PENDING, now=now, deadline_days=40,
        industries=[_ind("gbt4754", "3734")], title="海上风电导管架焊缝智能检测",
        problem="导管架厚板焊缝人工检测效率低、漏检率高。" + DEMO_NOTE,
        indicators="缺陷检出率≥98%；误报率≤3%；检测效率提升3倍。", reward=Decimal("900000.00"), eligible_provinces=ELIGIBLE_DELTA,
    )
    calls["draft"] = _call(
        issuer=orgs["常州碳智新材料科技有限公司"], user=u["tanzhi"], operator=op, status=CallStatus.DRAFT, now=now, deadline_days=60,
        industries=[_ind("gbt4754", "3091")], title="碳纤维复合材料回收再利用工艺（草稿）",
        problem="热固性碳纤维复合材料边角料回收难。" + DEMO_NOTE, indicators="回收纤维强度保持率≥90%。", reward=Decimal("500000.00"),
    )
    return calls


# The ledger -------------------------------------------------------------------------------------

# (registration no. suffix, type, seller, buyer, amount, months ago, day, industry, call key)
LEDGER = (
    ("001", "licence", SRICI, COC_FIRM, "3200000.00", 11, 8, ("gbt4754", "2651"), None),
    ("002", "development", "南京先进高分子材料研究院", "镇江绿氢装备有限公司", "1600000.00", 10, 15, ("sei2018", "6.1"), "accepted"),
    ("003", "transfer", "南京先进高分子材料研究院", "苏州纳微催化材料有限公司", "1200000.00", 9, 3, ("gbt4754", "2661"), None),
    ("004", "licence", "Rheinland Polymer Technik GmbH", SRICI, "1560000.00", 9, 22, ("gbt4754", "2651"), None),
    ("005", "service", ZWGK, "扬州维扬精密仪器有限公司", "380000.00", 8, 11, ("gbt4754", "3973"), None),
    ("006", "transfer", "苏州纳微催化材料有限公司", "Kansai Precision Materials K.K.", "980000.00", 7, 5, ("gbt4754", "2661"), None),
    ("007", "development", SRICI, "常州碳智新材料科技有限公司", "1800000.00", 6, 18, ("gbt4754", "2661"), "delivery"),
    ("008", "service", "上海微纳检测技术服务有限公司", ZWGK, "420000.00", 6, 27, ("gbt4754", "7452"), None),
    ("009", "development", ZWGK, "南通江海海工装备有限公司", "730000.00", 5, 9, ("gbt4754", "3973"), None),
    ("010", "consulting", "常州碳智新材料科技有限公司", "扬州维扬精密仪器有限公司", "260000.00", 5, 21, ("gbt4754", "3091"), None),
    ("011", "consulting", "苏州纳微催化材料有限公司", "常州碳智新材料科技有限公司", "150000.00", 4, 2, ("gbt4754", "2661"), None),
    ("012", "transfer", "南京先进高分子材料研究院", "扬州维扬精密仪器有限公司", "560000.00", 4, 16, ("gbt4754", "4014"), None),
    ("013", "service", "上海微纳检测技术服务有限公司", "Rheinland Polymer Technik GmbH", "340000.00", 3, 7, ("gbt4754", "7452"), None),
    ("014", "development", "无锡芯联封测科技有限公司", ZWGK, "1150000.00", 2, 12, ("sei2018", "1.2"), None),
    ("015", "licence", COC_FIRM, "上海微纳检测技术服务有限公司", "218600.00", 2, 25, ("gbt4754", "2651"), None),
    ("016", "development", "南京先进高分子材料研究院", "扬州维扬精密仪器有限公司", "600000.00", 1, 6, ("gbt4754", "4014"), "awarded"),
    ("017", "consulting", "镇江绿氢装备有限公司", "南通江海海工装备有限公司", "185000.00", 1, 19, ("sei2018", "6.1"), None),
    ("018", "service", SRICI, COC_FIRM, "912400.00", 0, 3, ("gbt4754", "2651"), None),
)
LEDGER_TOTAL = sum(Decimal(row[4]) for row in LEDGER)  # 16,246,000.00 — "over ¥16 million", as in the seed


def _month_day(today: dt.date, months_ago: int, day: int) -> dt.date:
    y, m = divmod(today.year * 12 + today.month - 1 - months_ago, 12)
    signed = dt.date(y, m + 1, min(day, 28))
    return min(signed, today)


def _ledger(orgs: dict[str, Organization], calls: dict[str, ChallengeCall], today: dt.date) -> int:
    rows = []
    for suffix, kind, seller, buyer, amount, months_ago, day, (scheme, code), call_key in LEDGER:
        rows.append(
            TechnologyContract(
                registration_number=f"DEMO-{today.year}-{suffix}", title=f"技术合同（演示）{suffix}",
                contract_type=kind, seller=orgs[seller], buyer=orgs[buyer], amount=Decimal(amount),
                signed_on=_month_day(today, months_ago, day), industry=_ind(scheme, code),
                call=calls.get(call_key) if call_key else None, notes=DEMO_NOTE, is_demo=True,
            )
        )
    TechnologyContract.objects.bulk_create(rows)
    return len(rows)


# Policies --------------------------------------------------------------------------------------

P = dict[str, Any]
POLICIES: tuple[tuple[P, list[tuple[str, Any]]], ...] = (
    ({"title": "高新技术企业认定奖励", "issuer": "上海市科学技术委员会（演示）", "level": "city", "type": "subsidy", "city": "上海",
      "benefits": "首次认定的高新技术企业给予一次性奖励。", "max_amount": "200000"},
     [("city", ["310000"]), ("certification", ["high_tech"])]),
    ({"title": "企业研发投入后补助", "issuer": "上海市科学技术委员会（演示）", "level": "city", "type": "subsidy", "city": "上海",
      "benefits": "按上年度研发投入增量的10%给予后补助。", "max_amount": "1000000"},
     [("city", ["310000"]), ("org_type", ["enterprise"]), ("rd_ratio_min", "3")]),
    ({"title": "科技型中小企业研发费用补助", "issuer": "苏州市科学技术局（演示）", "level": "city", "type": "subsidy", "city": "苏州",
      "benefits": "按研发费用的一定比例给予补助。", "max_amount": "500000"},
     [("city", ["320500"]), ("certification", ["tech_sme"]), ("employees_max", "500"), ("rd_ratio_min", "5")]),
    ({"title": "创新创业领军人才计划", "issuer": "苏州市人才工作领导小组（演示）", "level": "city", "type": "talent", "city": "苏州",
      "benefits": "创业类项目给予启动资金与人才安居支持。", "max_amount": "2000000"},
     [("city", ["320500"]), ("years_max", "5")]),
    ({"title": "集成电路产业专项资金", "issuer": "无锡市工业和信息化局（演示）", "level": "city", "type": "subsidy", "city": "无锡",
      "benefits": "支持芯片设计流片、先进封装产线建设。", "max_amount": "5000000"},
     [("city", ["320200"]), ("industry", ["3973", "6520", "1.2"])]),
    ({"title": "新型研发机构建设奖补", "issuer": "常州市科学技术局（演示）", "level": "city", "type": "platform", "city": "常州",
      "benefits": "经认定的新型研发机构按绩效评价给予运行经费补助。", "max_amount": "3000000"},
     [("city", ["320400"]), ("org_type", ["new_rd", "institute"])]),
    ({"title": "技术转移奖补", "issuer": "南京市科学技术局（演示）", "level": "city", "type": "subsidy", "city": "南京",
      "benefits": "按登记技术合同成交额给予卖方奖励。", "max_amount": "800000"},
     [("city", ["320100"]), ("org_type", ["university", "institute", "new_rd", "enterprise"])]),
    ({"title": "海工装备首台（套）保险补偿", "issuer": "南通市工业和信息化局（演示）", "level": "city", "type": "finance", "city": "南通",
      "benefits": "首台（套）重大装备综合保险保费补贴80%。", "max_amount": "1500000"},
     [("city", ["320600"]), ("industry", ["37"])]),
    ({"title": "人才安居补贴", "issuer": "扬州市人力资源和社会保障局（演示）", "level": "city", "type": "talent", "city": "扬州",
      "benefits": "引进的高层次人才给予购房或租房补贴。", "max_amount": "300000"},
     [("city", ["321000"])]),
    ({"title": "专精特新中小企业贷款贴息", "issuer": "江苏省工业和信息化厅（演示）", "level": "province", "type": "finance", "province": "江苏省",
      "benefits": "对专精特新中小企业新增贷款给予贴息。", "max_amount": "500000"},
     [("province", ["江苏省"]), ("certification", ["specialised", "little_giant"]), ("size", ["small", "medium"])]),
    ({"title": "省级工程技术研究中心认定", "issuer": "江苏省科学技术厅（演示）", "level": "province", "type": "platform", "province": "江苏省",
      "benefits": "认定后可申报省级科技计划平台类项目。", "max_amount": None},
     [("province", ["江苏省"]), ("rd_ratio_min", "3"), ("years_min", "3")]),
    ({"title": "高新技术企业所得税优惠", "issuer": "国家税务总局（演示）", "level": "national", "type": "tax",
      "benefits": "减按15%的税率征收企业所得税。", "max_amount": None},
     [("certification", ["high_tech"])]),
    ({"title": "研发费用税前加计扣除", "issuer": "财政部 国家税务总局（演示）", "level": "national", "type": "tax",
      "benefits": "研发费用按实际发生额的100%在税前加计扣除。", "max_amount": None},
     [("org_type", ["enterprise"]), ("rd_ratio_min", "0.01")]),
)


def _policies(today: dt.date) -> int:
    n = 0
    for i, (data, conditions) in enumerate(POLICIES):
        fields = dict(data)
        city = fields.pop("city", None)
        amount = fields.pop("max_amount", None)
        policy = Policy.objects.create(
            **fields, city=City.objects.get(short_name=city) if city else None,
            max_amount=Decimal(amount) if amount else None,
            valid_from=today - dt.timedelta(days=200 + 20 * i), valid_until=today + dt.timedelta(days=300 + 30 * i),
            full_text=POLICY_NOTE, document_number=f"演示〔{today.year}〕{i + 1}号", is_demo=True,
        )
        PolicyCondition.objects.bulk_create([PolicyCondition(policy=policy, kind=k, value=v) for k, v in conditions])
        n += 1
    expired = Policy.objects.create(
        title="科技创新券（已到期）", issuer="上海市科学技术委员会（演示）", level="city", type="subsidy",
        city=City.objects.get(short_name="上海"), benefits="购买检验检测服务可抵扣费用。", full_text=POLICY_NOTE,
        valid_from=today - dt.timedelta(days=900), valid_until=today - dt.timedelta(days=200), is_demo=True,
    )
    PolicyCondition.objects.create(policy=expired, kind="city", value=["310000"])
    return n + 1


def _profiles(orgs: dict[str, Organization], operator: User) -> None:
    facts = {
        "苏州纳微催化材料有限公司": {"rd_spend_ratio": Decimal("7.20"), "certifications": ["high_tech", "tech_sme"], "employees": 180,
                          "annual_revenue": Decimal("85000000")},
        "常州碳智新材料科技有限公司": {"rd_spend_ratio": Decimal("5.10"), "certifications": ["tech_sme", "specialised"], "employees": 95},
        COC_FIRM: {"rd_spend_ratio": Decimal("4.00"), "certifications": ["high_tech"], "employees": 260},
        "扬州维扬精密仪器有限公司": {"rd_spend_ratio": Decimal("2.60"), "certifications": [], "employees": 60},
    }
    for name, data in facts.items():
        OrganizationProfile.objects.update_or_create(organization=orgs[name], defaults=data)


# Carrier spaces ---------------------------------------------------------------------------------

SPACES = (
    ("浦江新材料孵化器", "incubator", "上海", "上海市闵行区（演示地址）", "3200", ("0.0", "3.5", "4.8"), ("gbt4754", "26"),
     ["共享实验室", "中试对接", "知识产权代理", "投融资路演"]),
    ("临港智能制造加速器", "accelerator", "上海", "上海市浦东新区临港新片区（演示地址）", "5800", ("", "2.8", "3.6"), ("gbt4754", "34"),
     ["首台套验证", "供应链对接", "政策申报"]),
    ("金鸡湖纳米材料加速器", "accelerator", "苏州", "苏州市工业园区（演示地址）", "4100", ("", "2.5", "3.2"), ("sei2018", "3.3"),
     ["洁净厂房", "检测平台", "人才公寓"]),
    ("太湖芯谷集成电路孵化器", "incubator", "无锡", "无锡市新吴区（演示地址）", "2600", ("", "1.8", "2.6"), ("sei2018", "1.2"),
     ["EDA共享", "MPW流片补贴", "封测对接"]),
    ("常州碳材料中试基地", "pilot_base", "常州", "常州市武进区（演示地址）", "8500", ("", "1.2", "1.6"), ("gbt4754", "3091"),
     ["中试车间", "危化品仓储", "环评服务"]),
    ("江北新区高分子材料中试基地", "pilot_base", "南京", "南京市江北新区（演示地址）", "6000", ("", "1.5", "2.2"), ("gbt4754", "2651"),
     ["聚合中试线", "表征测试", "工艺包转让对接"]),
    ("镇江氢能产业园", "park", "镇江", "镇江市丹徒区（演示地址）", "15000", ("", "0.9", "1.3"), ("sei2018", "6.1"),
     ["标准厂房", "加氢站配套", "检测认证"]),
    ("南通海工装备产业园", "park", "南通", "南通市海门区（演示地址）", "22000", ("", "0.7", "1.1"), ("gbt4754", "37"),
     ["码头岸线", "重型厂房", "首台套保险对接"]),
    ("扬州精密仪器众创空间", "maker_space", "扬州", "扬州市广陵区（演示地址）", "900", ("", "0.8", "1.2"), ("gbt4754", "40"),
     ["共享工位", "样机加工", "创业辅导"]),
    ("沪宁走廊技术转移孵化中心", "incubator", "苏州", "苏州市相城区（演示地址）", "1800", ("", "1.6", "2.4"), ("gbt4754", "75"),
     ["技术经理人驻场", "成果评估", "概念验证基金"]),
)


def _spaces(orgs: dict[str, Organization]) -> int:
    operator_org = orgs["长三角创新载体运营管理有限公司"]
    for i, (name, kind, city, address, area, (_unused, rmin, rmax), (scheme, code), services) in enumerate(SPACES):
        space = CarrierSpace.objects.create(
            name=name, kind=kind, city=City.objects.get(short_name=city), address=address,
            operator_org=operator_org if i % 3 == 0 else None, available_area=Decimal(area),
            total_area=Decimal(area) * 3, rent_min=Decimal(rmin), rent_max=Decimal(rmax), services=services,
            contact_name="招商部（演示）", contact_phone=f"400-000-{1000 + i}", description=DEMO_NOTE, is_demo=True,
        )
        ind = _ind(scheme, code)
        if ind is not None:
            space.industries.set([ind])
    return len(SPACES)
