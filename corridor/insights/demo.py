"""Demo data of the agreements half: a register of hidden barriers and one saved benefit-sharing agreement.

``load_insights_demo()`` is deterministic and idempotent: the demo barriers (``is_demo``) are
replaced on every run, the demo agreement is saved only if its cooperation item has none yet.

The barrier entries are short summaries written from general knowledge of the named policies
(no network access); they are marked as demo entries, and the named documents are the sources
to check. Dates are the commonly cited dates of entry into force.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from corridor.brokers.choices import CaseStage, LostReason
from corridor.brokers.models import Case
from corridor.core.models import ChangeRecord
from corridor.insights import services
from corridor.insights.choices import BarrierCategory, BarrierStatus
from corridor.insights.models import Agreement, Barrier
from corridor.lists.models import CooperationItem
from corridor.orgs.models import User
from corridor.regions.models import City

DEMO_NOTE = "（演示条目：据公开政策概述，具体以原文为准）"

# (city, category, title, description, source document, effective date, status)
BARRIERS: tuple[tuple[str, str, str, str, str, dt.date | None, str], ...] = (
    ("上海", BarrierCategory.TALENT_RESIDENCE, "居住证积分达标方可享受同城公共服务",
     "非沪籍研发人员须持《上海市居住证》并积分达到标准分值，子女入学等公共服务才与户籍人口同等；"
     "在苏浙皖缴纳的社保年限与学历、职称按规定折算，跨城派驻人员常因积分不足而不愿长期驻沪。",
     "上海市居住证积分管理办法", dt.date(2013, 7, 1), BarrierStatus.IN_FORCE),
    ("上海", BarrierCategory.SOCIAL_INSURANCE, "跨省医保个人账户与缴费年限转移手续繁琐",
     "研发人员由江苏单位转入上海单位时，养老保险关系可按全国办法转移接续，但医保缴费年限互认与个人账户划转"
     "需分别办理，退休时本市医保最低缴费年限要求高于多数邻近城市。",
     "城镇企业职工基本养老保险关系转移接续暂行办法", dt.date(2010, 1, 1), BarrierStatus.IN_FORCE),
    ("上海", BarrierCategory.RESEARCH_DATA, "科研数据对外提供需分类分级与合规评估",
     "高校、科研院所向沪外合作企业提供科研和测试数据，须先按数据分类分级规则评估，涉及重要数据的需履行审批或备案，"
     "跨城联合研发的数据共享周期因此拉长。",
     "上海市数据条例", dt.date(2022, 1, 1), BarrierStatus.IN_FORCE),
    ("苏州", BarrierCategory.SUBSIDY, "研发费用补贴要求在本市注册并纳税",
     "企业研发投入奖补以在本市注册、纳税且统计关系在本市为前提；研发在上海、生产在苏州的项目，"
     "上海研发团队发生的费用一般不能计入申报。",
     "苏州市企业研发费用奖补实施细则", dt.date(2021, 3, 1), BarrierStatus.IN_FORCE),
    ("苏州", BarrierCategory.TALENT_RESIDENCE, "人才计划认定要求在苏全职工作",
     "市级人才计划的认定与安居补贴要求申报人与本市用人单位签订全职劳动合同并在本市缴纳社保，"
     "柔性引进、两地兼职的研发人员难以享受。",
     "姑苏创新创业领军人才计划实施细则", dt.date(2020, 6, 1), BarrierStatus.IN_FORCE),
    ("苏州", BarrierCategory.SOCIAL_INSURANCE, "异地派驻人员社保参保地限制",
     "派驻苏州工厂的上海研发人员社保须随劳动合同在上海缴纳，在苏州享受工伤认定和异地就医需另行备案。",
     "江苏省基本医疗保险异地就医管理办法", dt.date(2019, 1, 1), BarrierStatus.UNDER_REVISION),
    ("南京", BarrierCategory.QUALIFICATION, "外省职称和继续教育学时认定需重新审核",
     "沪皖浙取得的专业技术职称在本市聘任与申报更高级别时，需提交材料重新审核，外省继续教育学时部分不予认可；"
     "长三角职称互认正在推进，覆盖的系列尚有限。",
     "江苏省职称评审管理办法", dt.date(2019, 10, 1), BarrierStatus.UNDER_REVISION),
    ("南京", BarrierCategory.SUBSIDY, "科技创新券仅限向本地服务机构兑付",
     "本市创新券原则上只能用于购买本市登记的科技服务机构的服务，购买上海大型仪器共享服务的费用难以兑付；"
     "长三角创新券通用通兑试点已开放部分机构。",
     "南京市科技创新券实施管理办法", dt.date(2018, 5, 1), BarrierStatus.UNDER_REVISION),
    ("南京", BarrierCategory.TALENT_RESIDENCE, "人才安居补贴以在宁缴纳社保为前提",
     "人才安居租赁补贴、购房资格要求在本市连续缴纳社保，双城工作的研发骨干中断缴费即失去资格。",
     "南京市人才安居办法", dt.date(2018, 3, 1), BarrierStatus.IN_FORCE),
    ("无锡", BarrierCategory.SUBSIDY, "产业化项目资助要求迁入并承诺不迁出",
     "重大科技成果产业化项目资助要求项目主体在本市注册，并承诺一定年限内不迁出；"
     "与上海研发方按项目分成的税收安排无法计入考核。",
     "无锡市太湖人才计划实施意见", dt.date(2021, 1, 1), BarrierStatus.IN_FORCE),
    ("无锡", BarrierCategory.RESEARCH_DATA, "工业数据出园区需企业逐项审批",
     "园区企业向外地研发方提供生产工艺数据、设备运行数据须经企业内控审批及园区网络安全备案，联合调试周期长。",
     "无锡市工业互联网数据安全管理指引", dt.date(2022, 7, 1), BarrierStatus.IN_FORCE),
    ("常州", BarrierCategory.QUALIFICATION, "检验检测报告跨市采信需补充验证",
     "部分产品认证与验收环节对外地检验检测机构出具的报告要求补充本地复测，"
     "上海共享实验室的检测结果不能直接用于本市项目验收。",
     "常州市检验检测机构监督管理办法", dt.date(2020, 9, 1), BarrierStatus.IN_FORCE),
    ("常州", BarrierCategory.SUBSIDY, "首台套奖励限本市企业本市应用",
     "首台（套）重大装备奖励要求研制单位和首用单位均在本市，跨城研发、本地应用的装备难以申报。",
     "常州市首台（套）重大装备认定和奖励办法", dt.date(2021, 5, 1), BarrierStatus.IN_FORCE),
    ("合肥", BarrierCategory.RESEARCH_DATA, "大科学装置数据开放按项目审批",
     "大科学装置与平台产生的科研数据向外省合作方开放需按项目审批，并限定在指定环境中使用，不能整体拷贝。",
     "合肥市科学数据管理实施细则", dt.date(2021, 10, 1), BarrierStatus.IN_FORCE),
    ("合肥", BarrierCategory.SOCIAL_INSURANCE, "跨省异地就医直接结算备案",
     "派驻沪苏的合肥员工在外地就医须先备案，未备案的门诊费用回参保地报销，比例降低。",
     "安徽省异地就医直接结算管理办法", dt.date(2020, 1, 1), BarrierStatus.REPEALED),
    ("杭州", BarrierCategory.TALENT_RESIDENCE, "人才认定需在杭缴纳社保",
     "高层次人才分类认定要求在本市缴纳社保满一定期限，长三角柔性人才需另行申请。",
     "杭州市高层次人才分类目录", dt.date(2019, 1, 1), BarrierStatus.IN_FORCE),
)


def _barriers() -> int:
    Barrier.objects.filter(is_demo=True).delete()
    cities = {c.short_name: c for c in City.objects.filter(short_name__in={b[0] for b in BARRIERS})}
    rows = []
    for city, category, title, description, source, effective, status in BARRIERS:
        if city not in cities:
            continue
        rows.append(
            Barrier(
                city=cities[city], category=category, title=title, description=f"{description}{DEMO_NOTE}",
                source_name=f"《{source}》", effective_date=effective, status=status, is_demo=True,
            )
        )
    Barrier.objects.bulk_create(rows)
    return len(rows)


def _link_lost_cases() -> int:
    """Each demo case lost for a policy reason cites the first in-force barrier of one of its cities (deterministic)."""
    links = 0
    barriers = list(Barrier.objects.filter(is_demo=True).exclude(status=BarrierStatus.REPEALED).order_by("pk"))
    cases = Case.objects.filter(stage=CaseStage.LOST, lost_reason=LostReason.POLICY, is_demo=True).order_by("pk")
    for n, case in enumerate(cases):
        cities = [c for c in (case.city_id, case.production_city_id, case.rd_city_id) if c]
        candidates = [b for b in barriers if b.city_id in cities]
        if candidates:
            candidates[n % len(candidates)].cases.add(case)
            links += 1
    return links


def _demo_item() -> CooperationItem | None:
    """The first demo cooperation item with R&D in one city and production in another."""
    items = CooperationItem.objects.filter(rd_production_split=True, parties__organization__is_demo=True).distinct().order_by("pk")
    for item in items[:50]:
        roles = {p.role for p in item.parties.all()}
        if {"rd", "production"} <= roles:
            return item
    return None


def _agreement() -> int:
    operator = User.objects.filter(username="operator", is_staff=True).first()
    item = _demo_item()
    if operator is None or item is None or Agreement.objects.filter(cooperation=item).exists():
        return 0
    value = item.contract_value or Decimal("2000000")
    by_role: dict[str, dict[str, Any]] = {
        "rd": {"rd_spend": value * Decimal("0.4"), "ip_value": value * Decimal("0.3"), "staff_months": Decimal(36)},
        "lead": {"rd_spend": value * Decimal("0.1"), "staff_months": Decimal(12), "risk": value * Decimal("0.5")},
        "production": {"facilities": value * Decimal("0.6"), "market_access": value * Decimal("0.8"), "risk": value * Decimal("0.3")},
        "funding": {"risk": value},
        "service": {"staff_months": Decimal(6), "market_access": value * Decimal("0.1")},
    }
    parties = [
        {"organization": p.organization_id, "ratio": None, **{k: str(v.quantize(Decimal("0.01"))) for k, v in by_role.get(p.role, {}).items()}}
        for p in item.parties.all()
    ]
    cities = {p.role: p.organization.city_id for p in item.parties.select_related("organization")}
    tax = None
    if cities.get("rd") and cities.get("production") and cities["rd"] != cities["production"]:
        tax = {
            "base_year": 2025, "annual_new_tax": str((value * Decimal("0.15")).quantize(Decimal("0.01"))), "years": 5,
            "rd_share_pct": "30", "growth_pct": "8", "cap": str((value * Decimal("0.05")).quantize(Decimal("0.01"))),
            "rd_city": cities["rd"], "production_city": cities["production"],
        }
    services.agreement_save(
        user=operator,
        cooperation=item,
        inputs={"rule": "shapley", "licence_income": str(value), "parties": parties, "tax": tax},
        note="演示：按 Shapley 值分配知识产权与许可收入，新增税收研发地分成 30%，封顶。",
        source="demo",
    )
    return 1


def load_insights_demo() -> dict[str, int]:
    with transaction.atomic():
        # Change records of agreements removed with their demo cooperation items by an earlier reset.
        ct = ContentType.objects.get_for_model(Agreement)
        ChangeRecord.objects.filter(content_type=ct).exclude(object_id__in=Agreement.objects.values("pk")).delete()
        barriers = _barriers()
        links = _link_lost_cases()
        agreements = _agreement()
    return {"barriers": barriers, "case_links": links, "agreements": agreements}
