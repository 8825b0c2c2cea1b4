"""The two seed consortia of the source text, with their real organisations.

Real organisations carry only public facts (name, type, city, and what the seed text says of
them); they are not demo data (``is_demo=False``) and stay when the demo is reset. Everything
attached to them here — resources, demands, cooperation items — is demo content and says so.
The Jiangsu company that industrialised the cyclic-olefin copolymer line is fictional.
Consortium objects themselves are recorded, for now, as cooperation items.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from corridor.demo.specs import DemandSpec, EvidenceSpec, ItemSpec, OrgSpec, ResourceSpec
from corridor.demo.texts import DEMO_NOTE_ZH, REAL_ORG_NOTE_ZH

if TYPE_CHECKING:
    from corridor.demo.generator import Generator

SRICI = "上海化工研究院有限公司"
SJTU = "上海交通大学"
HUAYI = "上海华谊（集团）公司"
ZWGK = "无锡中微高科电子有限公司"
FUDAN = "复旦大学"
JIANGNAN = "江南大学"
XGHL = "芯光互连研究院"
COC_FIRM = "南通澄烯新材料科技有限公司"

POLYOLEFIN_CONSORTIUM = "聚烯烃先进材料创新联合体"
CHIPLET_CONSORTIUM = "Chiplet集成技术创新联合体"
COC_LINE = "千吨级环烯烃共聚物（COC）连续聚合产线"
COC_INDUSTRIALISATION = "环烯烃共聚物催化剂技术许可与千吨级产线产业化（上海研发—南通制造）"

PO = [("gbt4754", "2651"), ("sei2018", "3.3")]
IC = [("gbt4754", "3973"), ("gbt4754", "6520"), ("sei2018", "1.2")]

REAL_ORGS = (
    OrgSpec(
        name=SRICI,
        short="上海化工研究院",
        type="institute",
        city="上海",
        name_en="Shanghai Research Institute of Chemical Industry Co., Ltd.",
        is_demo=False,
        industries=[("gbt4754", "2651"), ("gbt4754", "7320"), ("sei2018", "3.3")],
        description="“聚烯烃先进材料”创新联合体链主单位，拥有该领域全国唯一的企业牵头国家重点实验室"
        "（据2025年沿沪宁城市科技和产业协同创新日发布信息）。",
    ),
    OrgSpec(
        name=SJTU,
        short=SJTU,
        type="university",
        city="上海",
        name_en="Shanghai Jiao Tong University",
        founded_year=1896,
        website="https://www.sjtu.edu.cn",
        is_demo=False,
        industries=[("gbt4754", "7320"), ("sei2018", "3.3")],
        description="“聚烯烃先进材料”创新联合体成员，承担基础研究攻关。",
    ),
    OrgSpec(
        name=HUAYI,
        short="华谊集团",
        type="enterprise",
        city="上海",
        name_en="Shanghai Huayi (Group) Company",
        size="large",
        is_demo=False,
        industries=[("gbt4754", "26"), ("sei2018", "3.3")],
        description="“聚烯烃先进材料”创新联合体成员企业，与链主共建协同机制。",
    ),
    OrgSpec(
        name=ZWGK,
        short="中微高科",
        type="enterprise",
        city="无锡",
        is_demo=False,
        industries=[("gbt4754", "3973"), ("sei2018", "1.2")],
        description="“Chiplet集成技术”创新联合体企业盟主，负责统筹资源与产业落地。",
    ),
    OrgSpec(
        name=FUDAN,
        short=FUDAN,
        type="university",
        city="上海",
        name_en="Fudan University",
        founded_year=1905,
        website="https://www.fudan.edu.cn",
        is_demo=False,
        industries=[("gbt4754", "6520"), ("sei2018", "1.2")],
        description="“Chiplet集成技术”创新联合体成员高校，专注前沿理论和原始创新。",
    ),
    OrgSpec(
        name=JIANGNAN,
        short=JIANGNAN,
        type="university",
        city="无锡",
        name_en="Jiangnan University",
        website="https://www.jiangnan.edu.cn",
        is_demo=False,
        industries=[("gbt4754", "7320"), ("sei2018", "1.2")],
        description="“Chiplet集成技术”创新联合体成员高校。",
    ),
    OrgSpec(
        name=XGHL,
        short=XGHL,
        type="new_rd",
        city="无锡",
        is_demo=False,
        industries=[("gbt4754", "6520"), ("sei2018", "1.2")],
        description="新型研发机构，“Chiplet集成技术”创新联合体成员，承担标准制定与知识产权布局；"
        "牵头制订的中国首个原生Chiplet标准已应用于全国10多家芯片设计公司（据公开报道）。",
    ),
)


def add_seed(gen: Generator) -> None:
    """Add the seed organisations and their demo content to the generator's plan."""
    for spec in REAL_ORGS:
        gen.add_org(replace(spec, industries=list(spec.industries), created_ago=720.0))
    gen.add_org(
        OrgSpec(
            name=COC_FIRM,
            short="澄烯新材料",
            type="enterprise",
            city="南通",
            name_en="Nantong Chengxi New Materials Technology Co., Ltd.",
            credit_code=gen.credit_code("enterprise", "南通", 2018),
            size="medium",
            founded_year=2018,
            industries=list(PO),
            description="南通澄烯新材料科技有限公司成立于2018年，利用上海化工研究院的环烯烃共聚物催化剂技术，"
            "在南通建成千吨级环烯烃共聚物（COC）产线，产品面向光学镜头、医药包装和显示光学膜。" + DEMO_NOTE_ZH,
            created_ago=700.0,
        )
    )
    rng = gen.rng
    note = REAL_ORG_NOTE_ZH

    def patent(title: str, year: int, real: bool = True) -> EvidenceSpec:
        number, pub = gen.patent_numbers(year)
        text = f"发明专利，授权公告号{pub}。"
        return EvidenceSpec("patent", title, text + ("（演示数据，编号为示意。）" if real else ""), number, year + 2)

    lab = gen.add_resource(
        ResourceSpec(
            kind="key_lab",
            name="聚烯烃催化技术与高性能材料国家重点实验室",
            owner=SRICI,
            city="上海",
            industries=[*PO, ("gbt4754", "2661"), ("gbt4754", "7320")],
            domain="polyolefin",
            topic="coc",
            trl_min=1,
            trl_max=6,
            fee_basis="negotiable",
            open_to="delta",
            contact_name="实验室办公室（演示）",
            description="依托上海化工研究院建设的企业牵头国家重点实验室，聚焦聚烯烃催化剂、茂金属及非茂单活性中心催化体系、"
            "环烯烃共聚物等高端聚烯烃材料，向上联合上海交通大学等高校开展基础研究，横向联合华谊集团等企业构建共建机制，"
            "目标是突破高端聚烯烃材料“卡脖子”难题，实现从进口消费到自主保障的转型。可面向长三角企业开放催化剂评价、"
            "聚合工艺研究和材料表征能力。" + note,
            evidence=[
                EvidenceSpec("achievement", "环烯烃共聚物催化剂技术在江苏企业实现千吨级产业化", "链主专注核心技术攻关与标准制定，江苏企业承接产业化应用。" + note),
                patent("一种用于乙烯与降冰片烯共聚的茂金属催化剂及其制备方法", 2019),
                patent("一种环烯烃共聚物的连续溶液聚合方法", 2020),
                EvidenceSpec("equipment", "高温凝胶渗透色谱仪", "用于聚烯烃分子量及其分布测定。" + note, "EQ-SRICI-01（示意）"),
                EvidenceSpec("team", "催化剂研发团队负责人（演示数据，姓名从略）", "从事烯烃配位聚合催化剂研究。"),
            ],
            created_ago=690.0,
        )
    )
    catalyst = gen.add_resource(
        ResourceSpec(
            kind="achievement",
            name="环烯烃共聚物（COC）茂金属催化剂及聚合工艺包",
            owner=SRICI,
            city="上海",
            industries=[*PO, ("gbt4754", "2661")],
            domain="polyolefin",
            topic="coc",
            trl_min=7,
            trl_max=9,
            fee_basis="negotiable",
            description="面向光学级环烯烃共聚物的单活性中心催化剂与连续溶液聚合成套技术，包括催化剂制备、降冰片烯共聚、"
            "脱挥造粒等工艺包，已支撑江苏企业建成千吨级环烯烃共聚物产线，可对外许可或联合开发新牌号。" + note,
            evidence=[
                patent("一种降冰片烯类单体与乙烯共聚用催化剂组合物", 2018),
                patent("一种光学级环烯烃共聚物的脱挥方法", 2021),
                patent("一种高玻璃化转变温度环烯烃共聚物及其制备方法", 2021),
                EvidenceSpec("achievement", "千吨级环烯烃共聚物产线建成投产", "催化剂技术在南通企业实现产业化（示意）。" + note, year=2024),
            ],
            created_ago=680.0,
        )
    )
    pilot = gen.add_resource(
        ResourceSpec(
            kind="pilot",
            name="高端聚烯烃催化剂与聚合中试平台",
            owner=SRICI,
            city="上海",
            industries=list(PO),
            domain="polyolefin",
            topic="mpe",
            trl_min=4,
            trl_max=7,
            fee_basis="market",
            open_to="corridor",
            description="可开展聚烯烃催化剂放大制备、淤浆及溶液聚合中试和产品加工评价，支持企业新牌号从小试到中试的验证。" + note,
            evidence=[EvidenceSpec("equipment", "聚烯烃催化剂放大制备装置", "公斤级催化剂批次制备（示意）。" + note)],
            created_ago=600.0,
        )
    )
    sjtu_team = gen.add_resource(
        ResourceSpec(
            kind="expert_team",
            name="烯烃配位聚合与高分子结构调控研究团队",
            owner=SJTU,
            city="上海",
            industries=[("gbt4754", "7320"), ("sei2018", "3.3")],
            domain="polyolefin",
            topic="poe",
            trl_min=1,
            trl_max=4,
            description="作为聚烯烃先进材料创新联合体的高校成员，开展烯烃配位聚合机理、链结构与聚集态调控等基础研究，"
            "与链主单位联合攻关高端聚烯烃材料。" + note,
            evidence=[EvidenceSpec("team", "团队负责人（演示数据，姓名从略）", "高分子化学与物理方向。")],
            created_ago=600.0,
        )
    )
    gen.add_resource(
        ResourceSpec(
            kind="tech_centre",
            name="华谊集团聚烯烃新材料研发中心（演示）",
            owner=HUAYI,
            city="上海",
            industries=list(PO),
            domain="polyolefin",
            topic="pp",
            trl_min=5,
            trl_max=8,
            description="作为联合体成员企业的研发力量，面向高端聚烯烃材料的工程化开发与应用评价，与链主共建协同机制。" + note,
            created_ago=580.0,
        )
    )
    coc_line = gen.add_resource(
        ResourceSpec(
            kind="pilot",
            name=COC_LINE,
            owner=COC_FIRM,
            city="南通",
            industries=[*PO, ("gbt4754", "2929")],
            domain="polyolefin",
            topic="coc",
            trl_min=7,
            trl_max=9,
            fee_basis="market",
            open_to="delta",
            contact_name="顾工",
            contact_email="coc@chengxi-demo.example",
            description="基于上海化工研究院环烯烃共聚物催化剂技术建成的千吨级连续溶液聚合产线，含聚合、脱挥、洁净造粒单元，"
            "可承接光学级和医用级COC新牌号的试产和客户送样，一举突破高端聚烯烃材料“卡脖子”难题。" + DEMO_NOTE_ZH,
            evidence=[
                EvidenceSpec("equipment", "千吨级COC连续溶液聚合装置", "年产能1000吨，2024年投产。", "CX-COC-1000", 2024),
                EvidenceSpec("achievement", "光学级COC树脂通过镜头模组客户认证", "透光率91%以上，双折射低于5 nm。", year=2025),
                EvidenceSpec("team", "顾振宇 工艺总工", "负责产线建设与工艺放大，曾主持多套聚烯烃装置开车。"),
            ],
            created_ago=520.0,
        )
    )
    zwgk_centre = gen.add_resource(
        ResourceSpec(
            kind="tech_centre",
            name="Chiplet先进封装与测试技术中心（演示）",
            owner=ZWGK,
            city="无锡",
            industries=[("gbt4754", "3973"), ("sei2018", "1.2")],
            domain="chiplet",
            topic="interconnect",
            trl_min=5,
            trl_max=8,
            description="作为Chiplet集成技术创新联合体盟主，统筹芯粒集成、2.5D封装与测试验证资源，推动成果从“0到1”再到“100”的产业化。" + note,
            created_ago=560.0,
        )
    )
    fudan_team = gen.add_resource(
        ResourceSpec(
            kind="expert_team",
            name="集成芯片与芯粒协同设计研究团队",
            owner=FUDAN,
            city="上海",
            industries=[("gbt4754", "6520"), ("sei2018", "1.2")],
            domain="chiplet",
            topic="eda",
            trl_min=1,
            trl_max=5,
            description="联合体高校成员，聚焦多芯粒系统架构、芯粒互连与系统级协同设计等前沿理论和原始创新。" + note,
            evidence=[EvidenceSpec("team", "团队负责人（演示数据，姓名从略）", "微电子学与固体电子学方向。")],
            created_ago=560.0,
        )
    )
    gen.add_resource(
        ResourceSpec(
            kind="expert_team",
            name="先进封装可靠性与热管理研究团队",
            owner=JIANGNAN,
            city="无锡",
            industries=[("gbt4754", "3973"), ("sei2018", "1.2")],
            domain="chiplet",
            topic="test",
            trl_min=2,
            trl_max=5,
            description="联合体高校成员，开展芯粒封装热-力可靠性、失效机理与散热结构研究，服务无锡封测产业。" + note,
            created_ago=540.0,
        )
    )
    standard = gen.add_resource(
        ResourceSpec(
            kind="achievement",
            name="原生Chiplet互连标准及接口IP",
            owner=XGHL,
            city="无锡",
            industries=list(IC),
            domain="chiplet",
            topic="interconnect",
            trl_min=7,
            trl_max=9,
            description="芯光互连研究院牵头制订的中国首个原生Chiplet标准，规定芯粒间互连的物理层、协议层和测试要求，"
            "已应用于全国10多家芯片设计公司；可提供标准符合性测试与接口IP授权。" + note,
            evidence=[
                EvidenceSpec("achievement", "中国首个原生Chiplet标准", "已应用于全国10多家芯片设计公司。"),
                EvidenceSpec("achievement", "标准符合性测试服务（演示）", "面向设计公司的芯粒互连一致性测试。" + note),
            ],
            created_ago=540.0,
        )
    )

    today = gen.today
    huayi_demand = gen.add_demand(
        DemandSpec(
            owner=HUAYI,
            title="【攻关清单】光伏胶膜用聚烯烃弹性体国产化",
            description="作为联合体成员企业，拟与链主单位及高校共同攻关乙烯-α烯烃共聚弹性体的催化剂与高温溶液法工艺，"
            "解决光伏封装胶膜用POE粒子依赖进口的问题。指标：体积电阻率不低于1×10^15 Ω·cm，黄变指数ΔYI小于3。" + note,
            city="上海",
            industries=list(PO),
            domain="polyolefin",
            topic="poe",
            status="published",
            trl_desired=6,
            budget_min=Decimal("5000000.00"),
            budget_max=Decimal("12000000.00"),
            deadline=today + timedelta(days=240),
            published_ago=40.0,
            created_ago=45.0,
        )
    )
    del huayi_demand
    coc_demand = gen.add_demand(
        DemandSpec(
            owner=COC_FIRM,
            title="手机镜头用光学级环烯烃树脂新牌号开发",
            description="我公司已建成千吨级环烯烃共聚物产线，现需开发面向手机镜头模组的高耐热光学牌号：玻璃化转变温度不低于160℃，"
            "双折射低于5 nm，注塑成型批次稳定。希望与上海高校院所联合开发共聚单体配比与脱挥工艺，在我司产线完成验证。" + DEMO_NOTE_ZH,
            city="南通",
            industries=list(PO),
            domain="polyolefin",
            topic="coc",
            status="negotiating",
            trl_desired=7,
            budget_min=Decimal("3000000.00"),
            budget_max=Decimal("6000000.00"),
            deadline=today + timedelta(days=150),
            published_ago=60.0,
            created_ago=70.0,
            assign_manager=True,
        )
    )
    gen.add_demand(
        DemandSpec(
            owner=SRICI,
            title="环烯烃共聚物下游注塑与医药包装应用验证伙伴征集",
            description="为加快环烯烃共聚物在预灌封注射器和医药泡罩包装中的应用，征集长三角具备精密注塑和医药包装验证能力的企业，"
            "共同完成材料应用评价和标准制定。" + note,
            city="上海",
            industries=[*PO, ("gbt4754", "2770")],
            domain="polyolefin",
            topic="coc",
            status="published",
            trl_desired=7,
            budget_max=Decimal("800000.00"),
            deadline=today + timedelta(days=120),
            published_ago=20.0,
            created_ago=25.0,
        )
    )
    warpage = gen.add_demand(
        DemandSpec(
            owner=ZWGK,
            title="【攻关清单】多芯粒2.5D封装翘曲与热应力控制",
            description="联合体盟主企业的攻关任务：大尺寸硅中介层多芯粒封装在回流焊后翘曲超标，需建立热-力耦合仿真模型并优化"
            "封装结构与材料，目标封装翘曲控制在50 μm以内、组装良率不低于98%。" + note,
            city="无锡",
            industries=list(IC),
            domain="chiplet",
            topic="interconnect",
            status="cooperating",
            trl_desired=6,
            budget_min=Decimal("2000000.00"),
            budget_max=Decimal("5000000.00"),
            deadline=today + timedelta(days=300),
            published_ago=200.0,
            created_ago=210.0,
        )
    )
    interface = gen.add_demand(
        DemandSpec(
            owner=ZWGK,
            title="芯粒互连接口一致性测试方法与测试夹具开发",
            description="需依据原生Chiplet标准建立芯粒互连接口的一致性测试方法，开发探针卡与测试夹具，"
            "支撑已知合格芯粒（KGD）筛选。" + note,
            city="无锡",
            industries=list(IC),
            domain="chiplet",
            topic="test",
            status="negotiating",
            trl_desired=6,
            budget_max=Decimal("1500000.00"),
            deadline=today + timedelta(days=180),
            published_ago=50.0,
            created_ago=55.0,
            confidentiality="summary",
            summary="盟主企业需求：芯粒互连接口测试方法（详情仅对授权用户开放）。",
            assign_manager=True,
        )
    )

    start = today - timedelta(days=rng.randint(120, 200))
    gen.add_item(
        ItemSpec(
            title=POLYOLEFIN_CONSORTIUM,
            description="“链主”引领、跨市分工：上海化工研究院担纲链主，向上联合上海交通大学攻关基础研究，横向联合华谊集团构建共建机制，"
            "江苏企业承接产业化应用；核心目标是突破高端聚烯烃材料“卡脖子”难题，实现从进口消费到自主保障的转型。"
            "（创新联合体对象将另行建立，此处先作为合作事项记录。）" + note,
            type="joint_rd",
            stage="in_progress",
            parties=[(SRICI, "lead"), (SJTU, "rd"), (HUAYI, "rd"), (COC_FIRM, "production")],
            industries=list(PO),
            domain="polyolefin",
            start_date=start,
            end_date=start + timedelta(days=3 * 365),
            resources=[lab, catalyst, sjtu_team, coc_line],
            created_ago=float((today - start).days + 5),
        )
    )
    start = today - timedelta(days=rng.randint(120, 200))
    gen.add_item(
        ItemSpec(
            title=CHIPLET_CONSORTIUM,
            description="“盟主”牵引、产学研紧密协同：无锡中微高科电子有限公司担任企业盟主，统筹资源与产业落地；复旦大学、江南大学专注前沿理论和"
            "原始创新；芯光互连研究院承担标准制定与知识产权布局。聚焦Chiplet集成“卡脖子”关键技术，加快从“0到1”再到“100”的成果转化。"
            "（创新联合体对象将另行建立，此处先作为合作事项记录。）" + note,
            type="joint_rd",
            stage="in_progress",
            parties=[(ZWGK, "lead"), (FUDAN, "rd"), (JIANGNAN, "rd"), (XGHL, "service")],
            industries=list(IC),
            domain="chiplet",
            start_date=start,
            end_date=start + timedelta(days=3 * 365),
            resources=[zwgk_centre, fudan_team, standard],
            created_ago=float((today - start).days + 5),
        )
    )
    end = today - timedelta(days=rng.randint(150, 250))
    gen.add_item(
        ItemSpec(
            title=COC_INDUSTRIALISATION,
            description="上海化工研究院提供环烯烃共聚物茂金属催化剂及聚合工艺包，南通澄烯新材料科技有限公司在南通建成千吨级COC产线并承担市场推广。"
            "背景知识产权归上海化工研究院所有，南通企业获得独占实施许可，按销售额提成；研发在上海、生产在南通，税收按属地缴纳。"
            "项目已通过验收，产线稳定运行。合同金额为演示数据。" + note,
            type="industrialisation",
            stage="completed",
            parties=[(SRICI, "rd"), (COC_FIRM, "production")],
            industries=list(PO),
            domain="polyolefin",
            contract_value=Decimal("18000000.00"),
            start_date=end - timedelta(days=900),
            end_date=end,
            resources=[catalyst, pilot],
            created_ago=float((today - end).days + 900),
        )
    )
    gen.add_item(
        ItemSpec(
            title="高耐热光学级COC牌号联合开发（上海研发—南通制造）",
            description="针对手机镜头模组需求，上海化工研究院与上海交通大学负责共聚组成设计和催化体系优化，南通澄烯新材料科技有限公司负责产线试产和"
            "客户验证；新产生的知识产权由三方共有，产业化收益按约定比例分成。双方正在洽谈合同条款。" + note,
            type="joint_rd",
            stage="negotiating",
            parties=[(COC_FIRM, "production"), (SRICI, "rd"), (SJTU, "rd")],
            industries=list(PO),
            domain="polyolefin",
            demand=coc_demand,
            resources=[catalyst, sjtu_team],
            created_ago=30.0,
        )
    )
    start = today - timedelta(days=rng.randint(60, 150))
    gen.add_item(
        ItemSpec(
            title="多芯粒2.5D封装翘曲控制联合攻关（上海研发—无锡制造）",
            description="复旦大学负责热-力耦合仿真与结构优化研究，无锡中微高科电子有限公司负责封装工艺验证与量产导入；"
            "研发在上海、生产在无锡，知识产权共有，收益按6:4分成。目前已完成仿真模型标定。" + note,
            type="joint_rd",
            stage="in_progress",
            parties=[(ZWGK, "production"), (FUDAN, "rd")],
            industries=list(IC),
            domain="chiplet",
            contract_value=Decimal("3200000.00"),
            start_date=start,
            end_date=start + timedelta(days=540),
            demand=warpage,
            resources=[fudan_team],
            created_ago=float((today - start).days + 10),
        )
    )
    gen.add_item(
        ItemSpec(
            title="芯粒互连接口一致性测试方法开发",
            description="芯光互连研究院依据原生Chiplet标准提供测试规范，复旦大学参与测试向量设计，无锡中微高科电子有限公司负责测试夹具验证。"
            "技术经理人正在组织合同谈判。" + note,
            type="joint_rd",
            stage="negotiating",
            parties=[(ZWGK, "lead"), (XGHL, "rd"), (FUDAN, "rd")],
            industries=list(IC),
            domain="chiplet",
            demand=interface,
            resources=[standard],
            public=False,
            created_ago=20.0,
        )
    )
