"""Demo data of the shared laboratories: 28 institutions open 66 instruments and platforms, with history.

``load_labs_demo()`` is called by the main demo loader once the demo organisations exist. It
reuses demo institutions (universities, institutes, labs, platforms) where there are enough
and creates fictional ``is_demo`` ones otherwise, then writes a few months of deterministic
booking history whose utilisation comes out near 68% and whose fees sit about 40% below the
market reference prices (the Hefei example of the source text). Everything it writes is
marked ``is_demo`` and can be removed with ``reset=True``.

Instruments are opened through ``instrument_create`` (so each gets its resource in the three
lists and a change record); the booking history is written in bulk, since the services
rightly refuse bookings in the past.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from corridor.labs import services
from corridor.labs.choices import ACTIVE_STATUSES, BookingKind, BookingStatus, UserGroup
from corridor.labs.models import Blackout, Booking, Instrument
from corridor.labs.selectors import free_slots, open_intervals
from corridor.labs.services import OpeningPeriodInput, fee_for, user_group_for
from corridor.orgs.creditcode import make_code
from corridor.orgs.models import Membership, Organization, User
from corridor.regions.models import City

SEED = 20240068  # 68%: the utilisation the Hefei platforms reached
INSTITUTIONS = 28
INSTRUMENTS = 66
HISTORY_MONTHS = 4
TARGET_FILL = 0.82  # planned share of open time; cancellations, leftovers and shorter use bring it to ≈68%
INSTITUTION_TYPES = ("university", "institute", "key_lab", "new_rd", "pilot", "poc", "tech_centre")

# Fictional institutions used when the demo region has too few of its own (name, English, type, city).
FALLBACK_INSTITUTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("沪宁走廊分析测试中心（上海）", "Corridor Analysis and Testing Centre (Shanghai)", "institute", "上海"),
    ("上海先进材料表征平台", "Shanghai Advanced Materials Characterisation Platform", "key_lab", "上海"),
    ("上海集成电路中试验证平台", "Shanghai IC Pilot Verification Platform", "pilot", "上海"),
    ("上海生物医药公共技术平台", "Shanghai Biomedicine Public Technology Platform", "new_rd", "上海"),
    ("张江微纳加工公共实验室", "Zhangjiang Micro-Nano Fabrication Laboratory", "key_lab", "上海"),
    ("南京先进光电材料研究院", "Nanjing Institute of Advanced Optoelectronic Materials", "institute", "南京"),
    ("南京高分子测试公共平台", "Nanjing Polymer Testing Platform", "key_lab", "南京"),
    ("南京智能制造中试基地", "Nanjing Smart Manufacturing Pilot Base", "pilot", "南京"),
    ("江北新区生物医药研究院", "Jiangbei Biomedicine Research Institute", "new_rd", "南京"),
    ("苏州纳米器件表征中心", "Suzhou Nano Device Characterisation Centre", "key_lab", "苏州"),
    ("苏州工业园区医疗器械检测平台", "Suzhou Medical Device Testing Platform", "pilot", "苏州"),
    ("苏州先进制造研究院", "Suzhou Advanced Manufacturing Institute", "new_rd", "苏州"),
    ("无锡集成电路封测公共平台", "Wuxi IC Packaging and Test Platform", "pilot", "无锡"),
    ("无锡物联网传感器实验室", "Wuxi IoT Sensor Laboratory", "key_lab", "无锡"),
    ("无锡微电子可靠性研究院", "Wuxi Microelectronics Reliability Institute", "institute", "无锡"),
    ("常州新能源材料检测中心", "Changzhou New-Energy Materials Testing Centre", "institute", "常州"),
    ("常州动力电池中试平台", "Changzhou Power Battery Pilot Platform", "pilot", "常州"),
    ("常州智能装备研究院", "Changzhou Intelligent Equipment Institute", "new_rd", "常州"),
    ("镇江新材料分析测试中心", "Zhenjiang New Materials Analysis Centre", "institute", "镇江"),
    ("镇江船舶与海工材料实验室", "Zhenjiang Marine Materials Laboratory", "key_lab", "镇江"),
    ("南通化工新材料中试基地", "Nantong Chemical Materials Pilot Base", "pilot", "南通"),
    ("南通先进纺织材料研究院", "Nantong Advanced Textile Materials Institute", "institute", "南通"),
    ("扬州汽车零部件检测中心", "Yangzhou Auto Parts Testing Centre", "institute", "扬州"),
    ("扬州环境监测公共实验室", "Yangzhou Environmental Monitoring Laboratory", "key_lab", "扬州"),
    ("嘉兴光伏材料测试平台", "Jiaxing Photovoltaic Materials Testing Platform", "pilot", "嘉兴"),
    ("杭州智能计算公共平台", "Hangzhou Intelligent Computing Platform", "new_rd", "杭州"),
    ("合肥大科学装置用户中心", "Hefei Large Facility User Centre", "institute", "合肥"),
    ("合肥量子精密测量实验室", "Hefei Quantum Precision Measurement Laboratory", "key_lab", "合肥"),
)

# Organisations that book (when the demo region has few): enterprises across the delta.
FALLBACK_USERS: tuple[tuple[str, str], ...] = (
    ("上海澄芯半导体有限公司", "上海"), ("南京宁材新材料科技有限公司", "南京"), ("苏州恒测精密仪器有限公司", "苏州"),
    ("无锡芯封微电子有限公司", "无锡"), ("常州锂能科技有限公司", "常州"), ("南通海韧纤维有限公司", "南通"),
    ("镇江江海化工有限公司", "镇江"), ("扬州智驱汽车部件有限公司", "扬州"), ("杭州衡算智能科技有限公司", "杭州"),
    ("合肥晶曜光电有限公司", "合肥"), ("宁波甬材高分子有限公司", "宁波"), ("芜湖江城机器人有限公司", "芜湖"),
)


@dataclass(frozen=True)
class InstrumentTemplate:
    name: str
    category: str
    manufacturer: str
    model_name: str
    capabilities: str
    market_price: int  # yuan per hour
    kind: str = "instrument"
    min_minutes: int = 60
    max_minutes: int = 480
    qualification: bool = False
    approval: bool = True
    hours: str = "office"  # office, extended, round_the_clock


TEMPLATES: tuple[InstrumentTemplate, ...] = (
    InstrumentTemplate("场发射扫描电子显微镜", "microscopy", "Hitachi", "SU8220", "高分辨形貌观察（1 nm）、EDS 元素面扫、EBSD 取向分析", 600, qualification=True),
    InstrumentTemplate("球差校正透射电子显微镜", "microscopy", "Thermo Fisher", "Spectra 300", "原子分辨 HAADF-STEM、EELS、原位加热", 2400, min_minutes=120, qualification=True),
    InstrumentTemplate("聚焦离子束双束电镜", "microscopy", "Zeiss", "Crossbeam 550", "TEM 制样、截面分析、三维重构", 1500, min_minutes=120),
    InstrumentTemplate("原子力显微镜", "microscopy", "Bruker", "Dimension Icon", "表面形貌、导电 AFM、压电力显微", 400),
    InstrumentTemplate("激光共聚焦显微镜", "biology", "Leica", "STELLARIS 8", "活细胞成像、多通道荧光、FLIM", 500),
    InstrumentTemplate("X 射线衍射仪", "diffraction", "Bruker", "D8 Advance", "物相分析、Rietveld 精修、薄膜掠入射", 300, min_minutes=30),
    InstrumentTemplate("单晶 X 射线衍射仪", "diffraction", "Rigaku", "XtaLAB Synergy", "单晶结构解析、绝对构型", 700),
    InstrumentTemplate("X 射线光电子能谱仪", "spectroscopy", "Thermo Fisher", "ESCALAB Xi+", "表面元素价态、深度剖析、UPS", 900, qualification=True),
    InstrumentTemplate("傅里叶变换红外光谱仪", "spectroscopy", "Thermo Fisher", "Nicolet iS50", "透射/ATR/漫反射红外、红外显微", 200, min_minutes=30, approval=False),
    InstrumentTemplate("激光拉曼光谱仪", "spectroscopy", "Horiba", "LabRAM HR Evolution", "拉曼成像、低波数、变温", 350, min_minutes=30),
    InstrumentTemplate("600 MHz 核磁共振波谱仪", "spectroscopy", "Bruker", "AVANCE NEO 600", "一维/二维液体核磁、固体核磁", 800, hours="round_the_clock"),
    InstrumentTemplate("电感耦合等离子体质谱仪", "chromatography", "Agilent", "7900", "痕量元素、同位素比值", 450),
    InstrumentTemplate("液相色谱-高分辨质谱联用仪", "chromatography", "Thermo Fisher", "Orbitrap Exploris 480", "代谢组学、蛋白组学、未知物鉴定", 1000, min_minutes=120),
    InstrumentTemplate("气相色谱-质谱联用仪", "chromatography", "Shimadzu", "GCMS-QP2020 NX", "挥发性有机物、残留溶剂", 300, approval=False),
    InstrumentTemplate("凝胶渗透色谱仪", "chromatography", "Malvern", "OMNISEC", "聚合物分子量及分布、高温 GPC", 260, approval=False),
    InstrumentTemplate("差示扫描量热仪", "thermal", "TA Instruments", "DSC 2500", "玻璃化转变、熔融结晶、氧化诱导期", 180, min_minutes=30, approval=False),
    InstrumentTemplate("热重-红外联用仪", "thermal", "NETZSCH", "TG 209 F1 + IR", "热稳定性、分解产物在线分析", 260, approval=False),
    InstrumentTemplate("万能材料试验机", "mechanical", "Instron", "5985", "拉伸、压缩、弯曲，高低温环境箱", 220, min_minutes=30, approval=False),
    InstrumentTemplate("高低温湿热试验箱", "mechanical", "ESPEC", "PL-3KPH", "温湿度循环、可靠性老化", 120, max_minutes=24 * 60, hours="round_the_clock", approval=False),
    InstrumentTemplate("电磁兼容测试系统", "mechanical", "Rohde & Schwarz", "EMC32", "辐射/传导发射与抗扰度预测试", 1200, min_minutes=120),
    InstrumentTemplate("晶圆探针测试台", "semiconductor", "FormFactor", "CM300xi", "晶圆级 I-V/C-V、射频参数测试", 900, qualification=True),
    InstrumentTemplate("半导体参数分析仪", "semiconductor", "Keysight", "B1500A", "器件 I-V、C-V、脉冲测试", 400),
    InstrumentTemplate("电子束光刻系统", "semiconductor", "Raith", "EBPG 5200", "10 nm 级图形直写", 2000, min_minutes=120, qualification=True),
    InstrumentTemplate("流式细胞分选仪", "biology", "BD", "FACSAria Fusion", "多色流式分析与细胞分选", 700, qualification=True),
    InstrumentTemplate("高性能计算集群（GPU 节点）", "computing", "浪潮", "NF5688M7", "分子动力学、第一性原理计算、模型训练", 300, max_minutes=24 * 60, hours="round_the_clock", approval=False),
    InstrumentTemplate("聚烯烃中试聚合装置", "pilot_line", "自研", "50 L 釜式", "茂金属催化聚合中试放大、工艺包验证", 3000, kind="pilot", min_minutes=240, max_minutes=24 * 60, hours="round_the_clock"),
    InstrumentTemplate("锂电池中试线", "pilot_line", "先导智能", "软包 5 Ah", "电极制备、叠片、化成分容", 2500, kind="pilot", min_minutes=240, max_minutes=12 * 60, hours="extended"),
    InstrumentTemplate("Chiplet 先进封装中试线", "pilot_line", "自研", "2.5D 中介层", "微凸点、混合键合、封装可靠性验证", 3500, kind="pilot", min_minutes=240, max_minutes=12 * 60, hours="extended"),
    InstrumentTemplate("生物药中试发酵平台", "pilot_line", "Sartorius", "BIOSTAT 200 L", "细胞培养工艺放大、GMP 前验证", 2800, kind="pilot", min_minutes=480, max_minutes=24 * 60, hours="round_the_clock"),
    InstrumentTemplate("智能制造柔性产线验证平台", "pilot_line", "西门子", "数字孪生产线", "工艺仿真、柔性装配验证、工业软件测试", 1600, kind="pilot", min_minutes=240, hours="extended"),
)

HOURS = {
    "office": [OpeningPeriodInput(d, s, e) for d in range(5) for s, e in ((8 * 60 + 30, 12 * 60), (13 * 60, 17 * 60 + 30))],
    "extended": [OpeningPeriodInput(d, 8 * 60, 20 * 60) for d in range(6)],
    "round_the_clock": [OpeningPeriodInput(d, 0, 24 * 60) for d in range(7)],
}


def _money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("1"), ROUND_HALF_UP).quantize(Decimal("0.01"))


def _system_user() -> User:
    """The operator account demo writes are recorded under; it has no usable password."""
    user, created = User.objects.get_or_create(
        username="demo-labs", defaults={"display_name": "共享实验室演示数据", "is_staff": True, "is_demo": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _fallback_org(name: str, name_en: str, type_: str, city: City, n: int) -> Organization:
    org = Organization.objects.filter(name=name).first()
    if org is not None:
        return org
    prefix = "91" if type_ == "enterprise" else "12"
    return Organization.objects.create(
        name=name,
        name_en=name_en,
        type=type_,
        city=city,
        credit_code=make_code(prefix, city.code, f"L{n:07d}8"),
        description="演示数据：虚构的机构，用于展示共享实验室。",
        is_demo=True,
    )


def _institutions() -> list[Organization]:
    """28 institutions, spread over cities: existing demo institutions first, fictional ones to fill up."""
    found = list(
        Organization.objects.filter(type__in=INSTITUTION_TYPES, city__isnull=False)
        .exclude(city__corridor="")
        .select_related("city")
        .order_by("city__code", "name")
    )
    # round-robin over cities so one city does not take all places
    by_city: dict[int | None, list[Organization]] = {}
    for org in found:
        by_city.setdefault(org.city_id, []).append(org)
    chosen: list[Organization] = []
    while len(chosen) < INSTITUTIONS and any(by_city.values()):
        for city_id in list(by_city):
            if by_city[city_id] and len(chosen) < INSTITUTIONS:
                chosen.append(by_city[city_id].pop(0))
    cities = {c.short_name: c for c in City.objects.all()}
    for n, (name, name_en, type_, city) in enumerate(FALLBACK_INSTITUTIONS, start=1):
        if len(chosen) >= INSTITUTIONS:
            break
        org = _fallback_org(name, name_en, type_, cities[city], n)
        if org not in chosen:
            chosen.append(org)
    return chosen


def _bookers(institutions: Sequence[Organization]) -> list[Organization]:
    """Organisations whose people book: demo enterprises and the institutions themselves."""
    pool = list(Organization.objects.filter(type="enterprise", city__isnull=False).select_related("city").order_by("name")[:60])
    cities = {c.short_name: c for c in City.objects.all()}
    if len(pool) < 12:
        for n, (name, city) in enumerate(FALLBACK_USERS, start=101):
            org = _fallback_org(name, "", "enterprise", cities[city], n)
            if org not in pool:
                pool.append(org)
    return pool + list(institutions)


def _booker_user(org: Organization, n: int) -> User:
    username = f"lab-user-{n:03d}"
    user, created = User.objects.get_or_create(
        username=username, defaults={"display_name": f"{org.name[:12]}·实验员", "is_demo": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, organization=org)
    return user


def reset_labs_demo() -> None:
    with transaction.atomic():
        demo = Instrument.objects.filter(is_demo=True)
        Booking.objects.filter(instrument__in=demo).delete()
        resources = list(demo.values_list("resource_id", flat=True))
        demo.delete()
        from corridor.lists.models import Resource

        Resource.objects.filter(pk__in=resources).delete()


def load_labs_demo(
    *, today: dt.date | None = None, reset: bool = False, user: Any = None, months: int = HISTORY_MONTHS
) -> dict[str, Any]:
    """Load the labs demo (idempotent: does nothing when demo instruments exist, unless ``reset``)."""
    if reset:
        reset_labs_demo()
    if Instrument.objects.filter(is_demo=True).exists():
        return {"instruments": Instrument.objects.filter(is_demo=True).count(), "created": False}
    rng = random.Random(SEED)
    tz = timezone.get_default_timezone()
    today = today or timezone.localdate()
    actor = user or _system_user()
    with transaction.atomic():
        institutions = _institutions()
        bookers = _bookers(institutions)
        people = {org.pk: _booker_user(org, n) for n, org in enumerate(bookers, start=1)}
        instruments = _open_instruments(rng, actor, institutions)
        month_start = dt.date(today.year, today.month, 1)
        start_day = month_start
        for _i in range(months):
            start_day = (start_day - dt.timedelta(days=1)).replace(day=1)
        start = dt.datetime.combine(start_day, dt.time(0), tzinfo=tz)
        now = timezone.now()
        count = 0
        for inst in instruments:
            count += _history(rng, inst, bookers, people, start, now)
            count += _upcoming(rng, inst, bookers, people, now)
    return {"instruments": len(instruments), "institutions": len(institutions), "bookings": count, "created": True}


def _open_instruments(rng: random.Random, actor: Any, institutions: Sequence[Organization]) -> list[Instrument]:
    # 10 institutions open three, 18 open two: 66 in all.
    counts = [3] * (INSTRUMENTS - 2 * len(institutions)) + [2] * (3 * len(institutions) - INSTRUMENTS)
    templates = list(TEMPLATES)
    out = []
    t = 0
    for org, n in zip(institutions, counts, strict=True):
        for _k in range(n):
            tpl = templates[t % len(templates)]
            t += 1
            market = tpl.market_price * rng.choice((0.9, 1.0, 1.1, 1.2))
            inst = services.instrument_create(
                user=actor,
                source="demo",
                data={
                    "organization": org,
                    "kind": tpl.kind,
                    "name": f"{tpl.name}（{org.name[:10]}）",
                    "model_name": tpl.model_name,
                    "manufacturer": tpl.manufacturer,
                    "category": tpl.category,
                    "address": f"{org.city}科创路 {rng.randint(1, 999)} 号",
                    "room": f"{rng.choice('ABCDE')}{rng.randint(1, 5)}{rng.randint(1, 30):02d}",
                    "capabilities": tpl.capabilities,
                    "min_booking_minutes": tpl.min_minutes,
                    "max_booking_minutes": tpl.max_minutes,
                    "lead_time_hours": rng.choice((2, 12, 24, 48)),
                    "cancel_cutoff_hours": rng.choice((12, 24)),
                    "price_own": _money(market * 0.4),
                    "price_corridor": _money(market * 0.6),
                    "price_outside": _money(market * 0.85),
                    "market_price": _money(market),
                    "qualification_required": tpl.qualification,
                    "approval_required": tpl.approval,
                    "contact_name": "平台管理员",
                    "is_demo": True,
                },
                opening_periods=HOURS[tpl.hours],
            )
            out.append(inst)
    return out


def _pick_booker(rng: random.Random, inst: Instrument, bookers: Sequence[Organization]) -> Organization:
    if rng.random() < 0.22:
        return inst.organization
    return rng.choice(bookers)


def _durations(rng: random.Random, inst: Instrument, total: int) -> list[int]:
    """Split ``total`` minutes into booking lengths the instrument allows (multiples of 30 minutes)."""
    lo, hi = inst.min_booking_minutes, inst.max_booking_minutes
    cap = min(hi, max(2 * lo, 300))
    typical = min(cap, max(lo, 120))  # most sessions run two hours or more
    out: list[int] = []
    while total >= lo:
        d = min(total, 30 * rng.randint(-(-typical // 30), max(-(-typical // 30), cap // 30)))
        rest = total - d
        if 0 < rest < lo:
            # too little left for another booking: stretch this one, or leave exactly one shortest booking
            d = total if total <= hi else total - lo
        out.append(d)
        total -= d
    return out


def _booking(inst: Instrument, org: Organization, people: dict[int, User], start: dt.datetime, end: dt.datetime, **kw: Any) -> Booking:
    group = user_group_for(inst, org)
    price = inst.price_for(group)
    b = Booking(
        instrument=inst,
        kind=BookingKind.BOOKING,
        user=people[org.pk],
        organization=org,
        start=start,
        end=end,
        user_group=group,
        price_per_hour=price,
        market_price_per_hour=inst.market_price,
        purpose=kw.pop("purpose", "样品测试"),
        is_demo=True,
        **kw,
    )
    if b.fee == 0:
        b.fee = fee_for(price, b.hours)
    return b


PURPOSES = ("样品形貌与成分表征", "新材料配方验证", "工艺放大试验", "失效分析", "研发样品检测", "客户送样测试", "项目中期验证")


def _history(
    rng: random.Random, inst: Instrument, bookers: Sequence[Organization], people: dict[int, User], start: dt.datetime, now: dt.datetime
) -> int:
    """Past bookings filling about TARGET_FILL of each open stretch, most completed with recorded use."""
    target = min(0.97, max(0.5, rng.gauss(TARGET_FILL, 0.08)))
    # one half-day maintenance block a month and a holiday blackout in the window
    rows: list[Booking] = []
    day = start
    while day < now:
        if rng.random() < 1 / 30:
            rows.append(
                Booking(
                    instrument=inst, kind=BookingKind.MAINTENANCE, user=people[inst.organization_id], organization=inst.organization,
                    status=BookingStatus.CONFIRMED, start=day + dt.timedelta(hours=8), end=day + dt.timedelta(hours=12),
                    purpose="定期维护保养", user_group=UserGroup.OWN, is_demo=True,
                )
            )
        day += dt.timedelta(days=1)
    Booking.objects.bulk_create(rows)
    made = len(rows)
    rows = []
    day_end = now - dt.timedelta(hours=1)
    for s, e in open_intervals(inst, start, day_end):
        length = int((e - s).total_seconds() // 60)
        # long 24-hour stretches are cut per day so that each day gets its own pattern
        chunks = []
        cursor = s
        while cursor < e:
            nxt = min(e, cursor + dt.timedelta(hours=24))
            chunks.append((cursor, nxt))
            cursor = nxt
        for cs, ce in chunks:
            length = int((ce - cs).total_seconds() // 60)
            fill = min(1.0, max(0.0, rng.gauss(target, 0.15)))
            booked = 30 * int(length * fill / 30)
            durations = _durations(rng, inst, booked)
            free = length - sum(durations)
            # scatter the free time into gaps (multiples of 30 minutes) between the bookings
            gaps = [0] * (len(durations) + 1)
            for _k in range(free // 30):
                gaps[rng.randrange(len(gaps))] += 30
            cursor = cs
            for d, g in zip(durations, gaps, strict=False):
                cursor += dt.timedelta(minutes=g)
                b_start, b_end = cursor, cursor + dt.timedelta(minutes=d)
                cursor = b_end
                org = _pick_booker(rng, inst, bookers)
                r = rng.random()
                if r < 0.04:
                    status = BookingStatus.CANCELLED
                elif r < 0.06:
                    status = BookingStatus.REJECTED
                else:
                    status = BookingStatus.COMPLETED
                b = _booking(inst, org, people, b_start, b_end, status=status, purpose=rng.choice(PURPOSES))
                b.decided_at = b_start - dt.timedelta(days=2)
                if status == BookingStatus.CANCELLED:
                    b.cancelled_at = b_start - dt.timedelta(days=1)
                if status == BookingStatus.COMPLETED:
                    late = dt.timedelta(minutes=rng.choice((0, 0, 0, 5, 10)))
                    early = dt.timedelta(minutes=rng.choice((0, 0, 0, 5, 10, 15)))
                    b.actual_start, b.actual_end = b_start + late, b_end - early
                    b.usage_report = "按计划完成测试，数据已交付。"
                    b.fee = fee_for(b.price_per_hour, max(b.hours, b.used_hours))
                rows.append(b)
    Booking.objects.bulk_create(rows, batch_size=500)
    made += len(rows)
    # a public-holiday style blackout on the first day of the current month, where the instrument is open
    first = now.astimezone(timezone.get_default_timezone()).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    Blackout.objects.create(instrument=inst, start=first - dt.timedelta(days=45), end=first - dt.timedelta(days=44), reason="设备年检")
    Booking.objects.filter(
        instrument=inst, start__lt=first - dt.timedelta(days=44), end__gt=first - dt.timedelta(days=45), status__in=ACTIVE_STATUSES
    ).update(status=BookingStatus.CANCELLED, decision_note="设备年检，预约取消")
    return made


def _upcoming(
    rng: random.Random, inst: Instrument, bookers: Sequence[Organization], people: dict[int, User], now: dt.datetime
) -> int:
    """The next two weeks: about half of the free time booked, some requests still waiting for approval."""
    rows = []
    for slot in free_slots(inst, now, now + dt.timedelta(days=14), now=now - dt.timedelta(hours=inst.lead_time_hours)):
        start = slot.start.replace(minute=0 if slot.start.minute == 0 else 30, second=0, microsecond=0)
        if start < slot.start:
            start += dt.timedelta(minutes=30)
        cursor = start
        while cursor + dt.timedelta(minutes=inst.min_booking_minutes) <= slot.end:
            d = dt.timedelta(minutes=inst.min_booking_minutes * rng.choice((1, 1, 2)))
            if cursor + d > slot.end or d > dt.timedelta(minutes=inst.max_booking_minutes):
                d = dt.timedelta(minutes=inst.min_booking_minutes)
            if rng.random() < 0.5:
                org = _pick_booker(rng, inst, bookers)
                wait = inst.approval_required and org.pk != inst.organization_id and rng.random() < 0.3
                b = _booking(
                    inst, org, people, cursor, cursor + d,
                    status=BookingStatus.REQUESTED if wait else BookingStatus.CONFIRMED, purpose=rng.choice(PURPOSES),
                )
                rows.append(b)
            cursor += d + dt.timedelta(minutes=30 * rng.randint(0, 4))
    Booking.objects.bulk_create(rows, batch_size=500)
    return len(rows)
