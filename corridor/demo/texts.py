"""Templates and name pools the demo texts are written from (Chinese first, some English).

Templates are ``str.format`` strings over the fields the generator fills in: ``{c1}``–``{c3}``
(concepts), ``{app}``, ``{m1}``–``{m3}`` (target metrics), ``{method}``, ``{problem}``,
``{equip}``, ``{topic}``, ``{owner}``, ``{city}`` and a few more named where used.
Everything here is invented for the demo region.
"""

from __future__ import annotations

DEMO_NOTE_ZH = "（演示数据：机构与内容均为虚构。）"
DEMO_NOTE_EN = " (Demo data: fictional organisation and content.)"
# Demo content attached to the real organisations of the seed text.
REAL_ORG_NOTE_ZH = "（演示数据：依据2025年沿沪宁城市科技和产业协同创新日公开报道示意编写，具体以该机构发布为准。）"
REAL_ORG_NOTE_EN = " (Demo data: sketched from public reports of the 2025 corridor innovation day; the organisation's own publications prevail.)"

# Brand syllables of fictional companies: (汉字, pinyin).
BRAND_FIRST = (
    ("瑞", "Rui"), ("澄", "Cheng"), ("弘", "Hong"), ("锐", "Rui"), ("禾", "He"), ("恒", "Heng"), ("泰", "Tai"),
    ("晟", "Sheng"), ("昱", "Yu"), ("睿", "Rui"), ("拓", "Tuo"), ("启", "Qi"), ("钧", "Jun"), ("浩", "Hao"),
    ("嘉", "Jia"), ("宸", "Chen"), ("景", "Jing"), ("凯", "Kai"), ("朗", "Lang"), ("诺", "Nuo"), ("峰", "Feng"),
    ("迈", "Mai"), ("翔", "Xiang"), ("卓", "Zhuo"), ("辰", "Chen"), ("航", "Hang"), ("鼎", "Ding"), ("锦", "Jin"),
    ("远", "Yuan"), ("骏", "Jun"), ("沐", "Mu"), ("衡", "Heng"), ("乾", "Qian"), ("昕", "Xin"), ("翊", "Yi"),
)
BRAND_SECOND = (
    ("芯", "xin"), ("烯", "xi"), ("源", "yuan"), ("联", "lian"), ("科", "ke"), ("创", "chuang"), ("达", "da"),
    ("智", "zhi"), ("能", "neng"), ("微", "wei"), ("晶", "jing"), ("拓", "tuo"), ("泰", "tai"), ("驰", "chi"),
    ("宇", "yu"), ("合", "he"), ("峰", "feng"), ("信", "xin"), ("博", "bo"), ("通", "tong"), ("瀚", "han"),
    ("极", "ji"), ("格", "ge"), ("力", "li"), ("光", "guang"), ("维", "wei"), ("锋", "feng"), ("川", "chuan"),
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = (
    "志远", "建华", "晓东", "文博", "海涛", "雪梅", "丽娟", "振宇", "明轩", "子涵", "国平", "立新", "永刚", "春燕", "宏伟",
    "晨曦", "思远", "俊杰", "欣怡", "敏", "磊", "静", "洁", "军", "涛", "超", "勇", "艳", "强", "慧", "晶晶", "一鸣", "嘉怡",
    "天宇", "云飞", "佳琪", "浩然", "梓轩", "雨桐", "若曦", "瑞华", "德明", "学军", "新民", "玉兰", "红霞", "卫东", "培源",
)
ACADEMIC_TITLES = (
    ("教授", "Professor"), ("研究员", "Research Professor"), ("副教授", "Associate Professor"),
    ("副研究员", "Associate Research Professor"), ("高级工程师", "Senior Engineer"), ("正高级工程师", "Professor-level Senior Engineer"),
)
ENTERPRISE_TITLES = (("首席技术官", "Chief Technology Officer"), ("研发总监", "R&D Director"), ("高级工程师", "Senior Engineer"), ("工艺总工", "Chief Process Engineer"))

# Fictional universities: city -> (name, English name).
UNIVERSITIES = {
    "上海": (("申江理工大学", "Shenjiang University of Technology"), ("沪滨医科大学", "Hubin Medical University")),
    "南京": (("金陵理工大学", "Jinling Polytechnic University"), ("石城信息工程大学", "Shicheng University of Information Engineering")),
    "苏州": (("姑苏科技大学", "Gusu University of Science and Technology"),),
    "无锡": (("太湖工程大学", "Taihu University of Engineering"),),
    "常州": (("龙城理工学院", "Longcheng Institute of Technology"),),
    "镇江": (("润州理工学院", "Runzhou Institute of Technology"),),
    "南通": (("江海理工学院", "Jianghai Institute of Technology"),),
    "扬州": (("维扬理工学院", "Weiyang Institute of Technology"),),
    "合肥": (("庐州科技大学", "Luzhou University of Science and Technology"),),
    "杭州": (("钱塘理工大学", "Qiantang University of Technology"),),
}

# Fictional technology-transfer agencies and investors that join cooperation items.
SERVICE_AGENCIES = (
    ("上海", "申江技术转移服务有限公司", "Shenjiang Technology Transfer Services Co., Ltd."),
    ("南京", "钟山科技成果转化服务中心有限公司", "Zhongshan Technology Commercialisation Services Co., Ltd."),
    ("苏州", "姑苏技术经纪有限公司", "Gusu Technology Brokerage Co., Ltd."),
    ("无锡", "太湖科创服务有限公司", "Taihu Innovation Services Co., Ltd."),
    ("常州", "龙城知识产权运营有限公司", "Longcheng IP Operations Co., Ltd."),
    ("扬州", "维扬科技服务有限公司", "Weiyang Technology Services Co., Ltd."),
)
INVESTORS = (
    ("上海", "申江科创投资管理有限公司", "Shenjiang Innovation Investment Management Co., Ltd."),
    ("无锡", "太湖产业投资基金管理有限公司", "Taihu Industrial Fund Management Co., Ltd."),
    ("常州", "龙城新兴产业创业投资有限公司", "Longcheng Emerging Industries Venture Capital Co., Ltd."),
    ("南京", "石城硬科技创业投资有限公司", "Shicheng Deep-Tech Venture Capital Co., Ltd."),
)
# International partners (fictional): name, country, domain.
INTERNATIONAL = (
    ("Rheinfeld Polymer Engineering GmbH", "DE", "polyolefin"),
    ("Merlion Biologics Pte. Ltd.", "SG", "biomed"),
    ("Nordvik Battery Systems AB", "SE", "battery"),
    ("Kitano Precision Robotics K.K.", "JP", "manufacturing"),
)

PROVINCE_PREFIX = {"310000": "上海市", "320000": "江苏省", "330000": "浙江省", "340000": "安徽省"}

AWARDS_BY_PROVINCE = {
    "310000": ("上海市科技进步奖一等奖", "上海市科技进步奖二等奖", "上海市技术发明奖二等奖"),
    "320000": ("江苏省科学技术奖二等奖", "江苏省科学技术奖三等奖", "江苏省专利项目奖优秀奖"),
    "330000": ("浙江省科学技术进步奖二等奖",),
    "340000": ("安徽省科学技术奖二等奖",),
}
AWARDS_BY_DOMAIN = {
    "polyolefin": "中国石油和化学工业联合会科技进步奖二等奖",
    "chiplet": "中国电子学会科学技术奖二等奖",
    "ai": "中国电子学会科学技术奖三等奖",
    "biomed": "华夏医学科技奖三等奖",
    "manufacturing": "中国机械工业科学技术奖二等奖",
    "nev": "中国汽车工业科学技术进步奖三等奖",
}
AWARDS_EN = (
    "Jiangsu Science and Technology Award (second class)", "Shanghai Science and Technology Progress Award (first class)",
    "industry association science and technology award", "provincial patent gold award",
)

TRL_LABELS = {
    1: "基本原理被观察和报告", 2: "形成技术概念或应用设想", 3: "关键功能实验室验证", 4: "实验室环境下部件验证",
    5: "相关环境下部件验证", 6: "相关环境下系统原型演示", 7: "实际环境下系统原型演示", 8: "系统完成并通过验证", 9: "系统在实际使用中得到验证",
}

# --- resources -------------------------------------------------------------------------------

RESOURCE_NAMES = {
    "key_lab": ("{prov}{topic}重点实验室", "{prov}{topic}工程技术研究中心", "{owner}{topic}实验室", "{city}市{c1}重点实验室"),
    "tech_centre": ("{owner}企业技术中心", "{owner}{topic}研发中心", "{prov}{c1}工程技术研究中心（{owner}）", "{owner}省级企业技术中心"),
    "pilot": ("{topic}中试平台", "{c1}中试基地", "{c1}工程化验证平台", "{city}{topic}中试服务平台"),
    "poc": ("{owner}{domain}概念验证中心", "{topic}概念验证中心", "{city}{domain}概念验证中心"),
    "instrument": ("{equip}", "{equip}（开放共享）", "{equip}共享平台"),
    "expert_team": ("{person}{title}团队（{topic}）", "{topic}创新团队", "{c1}攻关团队", "{person}{title}{c1}研究团队"),
    "achievement": ("一种{c1}的制备方法及其应用", "{c1}关键技术及产业化", "基于{c1}的{app}解决方案", "高性能{c1}制备技术", "{c1}与{c2}集成技术"),
}
RESOURCE_NAMES_EN = {
    "key_lab": ("Key Laboratory of {topic}", "{owner} Laboratory for {topic}"),
    "tech_centre": ("{owner} Enterprise Technology Centre", "{owner} R&D Centre for {topic}"),
    "pilot": ("Pilot-scale platform for {topic}", "{c1} scale-up pilot plant"),
    "poc": ("Proof-of-concept centre for {topic}",),
    "instrument": ("{equip}",),
    "expert_team": ("{person}'s team on {topic}", "{c1} expert team"),
    "achievement": ("{c1} technology ready for licensing", "Process for {c1} for {app}"),
}

RESOURCE_INTROS = {
    "key_lab": (
        "{name}依托{owner}建设，{year}年获批，聚焦{topic}方向，围绕{c1}、{c2}和{c3}开展应用基础研究与关键技术攻关。",
        "实验室以{topic}为主攻方向，现有固定研究人员{staff}人（其中高级职称{senior}人），近五年承担国家和省部级项目{projects}项，重点研究{c1}与{c2}。",
        "{name}由{owner}牵头建设，长期从事{c1}、{c2}研究，形成了从{method}到{method2}的完整研究链条。",
    ),
    "tech_centre": (
        "{name}是{owner}的核心研发机构，现有研发人员{staff}人，年研发投入约{spend}万元，主要开展{c1}和{c2}的工程化开发。",
        "中心围绕{topic}建有{method}、{method2}两个研发方向，产品主要服务于{app}和{app2}。",
        "{owner}设立该中心专门负责{c1}相关新产品开发，已形成{c2}、{c3}等自主技术。",
    ),
    "pilot": (
        "{name}建有{area}平方米中试车间，配置{equip}等装置，可承接{c1}从小试到中试的工艺放大与样品试制。",
        "平台面向长三角企业提供{c1}中试验证服务，覆盖{method}、{method2}及产品应用评价，已完成中试项目{projects}项。",
        "依托{owner}的工程化团队，{name}可开展{c1}与{c2}的中试放大、工艺包编制和首批量试产。",
    ),
    "poc": (
        "{name}聚焦{topic}早期成果，提供技术可行性验证、样机试制、知识产权评估和商业化路径设计等概念验证服务。",
        "中心每年遴选{projects}个左右{c1}方向项目开展概念验证，配套种子资金和技术经理人辅导，打通从实验室成果到企业应用的“最初一公里”。",
    ),
    "instrument": (
        "{equip}购置于{year}年，原值约{value}万元，主要用于{c1}和{c2}相关的测试分析，对外开放共享。",
        "该设备可开展{method}所需的表征测试，年有效机时约{hours}小时，已为{projects}家企业提供检测服务。",
    ),
    "expert_team": (
        "团队由{person}{title}领衔，共有成员{staff}人，长期从事{c1}、{c2}研究，在{method}方面经验丰富。",
        "{name}聚焦{topic}，近五年主持国家级项目{projects}项，授权发明专利{patents}项，与多家企业建立了长期合作关系。",
    ),
    "achievement": (
        "本成果针对{app}中{c1}的关键问题，提出了{method}的新方法，可实现{m1}。",
        "成果围绕{c1}与{c2}开展系统研究，已完成{stage}，具备技术转让或许可条件。",
        "该技术以{c1}为核心，结合{method2}，已在实验线上验证，{m1}，{m2}。",
    ),
}
RESOURCE_SERVICES = (
    "可面向企业提供{c1}研究、{method}以及{c3}测试评价等服务。",
    "可承接委托开发、联合攻关和技术咨询，重点支持{app}领域企业解决{c2}难题。",
    "可为企业提供{method2}、样品试制和工艺优化服务，支持{app}和{app2}等场景的应用验证。",
    "可开展{c2}性能评价与失效分析，并出具测试报告。",
)
RESOURCE_RECORDS = (
    "近年来与{app}领域多家企业合作，协助合作方实现{m1}。",
    "代表性服务案例：为一家{app2}企业完成{c1}工艺优化，{m2}。",
    "已服务长三角企业{clients}余家，其中跨省市合作项目占比约{share}%。",
    "相关成果已在{app}领域实现转化应用，{m1}。",
)
RESOURCE_ACCESS = (
    "对长三角区域企业开放，可通过平台在线预约。",
    "优先面向沿沪宁产业创新带企业开放，收费标准可协商。",
    "合作方式包括委托开发、联合研发、技术许可和共建实验室。",
    "开放时间为工作日，特殊需求可预约夜间及周末机时。",
    "",
)

RESOURCE_EN = (
    "{name} at {owner} works on {topic}, in particular {c1}, {c2} and {c3}. It offers {method} and {method2} to companies in the Yangtze River Delta and has helped partners in {app} achieve {m1}.",
    "Run by {owner} in {city}, {name} provides {method} and testing of {c1} and {c2}. Typical users come from {app} and {app2}; recent projects reached {m1} and {m2}. Open to corridor companies on request.",
)

# --- demands ---------------------------------------------------------------------------------

DEMAND_TITLES = (
    "{app}用{c1}国产化替代",
    "{c1}{verb}技术攻关",
    "寻求{c1}技术合作",
    "面向{app}的{c1}开发",
    "{c1}与{c2}联合攻关",
    "{app}{c1}工艺优化需求",
    "征集{c1}解决方案",
)
DEMAND_VERBS = ("性能提升", "工艺优化", "稳定性提升", "降本增效", "批量化制备", "可靠性提升")
CHAIN_LEADER_TITLES = ("【攻关清单】{c1}关键技术", "【链主攻关】{app}用{c1}", "【攻关清单】{c1}{verb}")
DEMAND_BACKGROUNDS = (
    "我公司位于{city}，主要产品用于{app}，年产值约{revenue}亿元。",
    "公司是{city}的{domain}企业，近年来{app}业务快速增长。",
    "我单位长期为{app}和{app2}客户提供产品，现有产线{lines}条。",
    "作为{domain}产业链链主企业，公司牵头梳理了年度关键技术攻关清单，本项为其中之一。",
)
DEMAND_PROBLEMS = (
    "目前{problem}。",
    "当前面临的主要问题是：{problem}，亟需在{c1}方面取得突破。",
    "生产中发现{problem}，现有{c2}方案难以满足客户要求。",
)
DEMAND_SEEKS = (
    "希望寻求在{c1}、{c2}方面有研究积累的高校院所或企业，{mode}。",
    "拟{mode}，重点解决{c1}和{c3}相关问题。",
    "欢迎具备{c2}技术储备的团队对接，{mode}。",
)
COOPERATION_MODES = (
    "以联合研发方式开展攻关",
    "通过技术转让或独占许可引进成熟技术",
    "委托开发并在我司产线完成验证",
    "共建联合实验室开展长期合作",
    "以揭榜挂帅方式公开征集解决方案",
    "借助第三方中试平台完成放大验证",
)
DEMAND_TARGETS = ("技术指标要求：1. {m1}；2. {m2}；3. {m3}。", "主要指标：{m1}，{m2}。", "期望达到：{m1}；{m2}。")
DEMAND_EXPECTATIONS = (
    "期望合作周期{months}个月，成果达到TRL {trl}（{trl_label}）。",
    "计划在{months}个月内完成，交付成果需达到技术成熟度{trl}级，并在我司完成应用验证。",
    "要求合作方{months}个月内提交阶段成果，最终达到TRL {trl}。",
)
DEMAND_BUDGETS = ("预算{budget}，具体可根据技术方案面议。", "拟投入研发经费{budget}。", "合作经费{budget}，另可提供中试场地与试用产线。")
DEMAND_CONFIDENTIAL_SUMMARIES = (
    "某{city}{domain}企业寻求{topic}相关技术合作，详情仅对授权用户开放。",
    "{domain}领域企业需求：{c1}方向技术攻关（详情保密，经授权后可查看）。",
)

DEMAND_EN_TITLES = ("Seeking a partner for {c1} in {app}", "{c1}: {verb_en} for {app}", "Call for solutions: {c1} and {c2}")
DEMAND_EN_VERBS = ("performance upgrade", "process optimisation", "cost reduction", "scale-up", "reliability improvement")
DEMAND_EN = (
    "We are a {domain} company in {city} supplying {app}. Our problem: {problem}. We are looking for a university, institute or company with experience in {c1} and {c2} to {mode_en}. Targets: {m1}; {m2}. We expect results at TRL {trl} within {months} months. Budget: {budget}.",
    "Our plant in {city} serves {app} and {app2}. {problem_cap}. We would like to {mode_en}, focusing on {c1} and {c3}. Key targets are {m1} and {m2}. Planned duration {months} months, target TRL {trl}; budget {budget}.",
)
COOPERATION_MODES_EN = (
    "develop a solution jointly", "license a proven technology", "commission development and validate it on our line",
    "set up a joint laboratory", "run an open challenge call",
)

# --- cooperation items -----------------------------------------------------------------------

TYPE_WORDS = {
    "joint_rd": "联合研发", "transfer": "技术转让", "licensing": "专利许可", "pilot": "中试验证",
    "industrialisation": "产业化", "platform_sharing": "平台共享",
}
TYPE_WORDS_EN = {
    "joint_rd": "joint R&D", "transfer": "technology transfer", "licensing": "licensing", "pilot": "pilot-scale verification",
    "industrialisation": "industrialisation", "platform_sharing": "platform sharing",
}
ITEM_TITLES_SPLIT = ("{c1}{type_word}（{rd_city}研发—{prod_city}制造）", "{topic}{type_word}：{rd_city}研发、{prod_city}转化", "{c1}成果{prod_city}落地（{rd_city}研发—{prod_city}制造）")
ITEM_TITLES = ("{c1}{type_word}", "{rd_short}—{other_short}{c1}{type_word}", "{topic}{type_word}项目", "{app}用{c1}{type_word}")
ITEM_ROLES = (
    "{rd_org}负责{method}与{c1}研究，{prod_org}负责面向{app}的工程化放大与量产验证。",
    "{rd_org}提供{c1}核心技术和{c2}工艺包，{prod_org}在{prod_city}建设产线并承担市场推广。",
    "双方分工明确：{rd_org}专注{c2}原始创新，{prod_org}统筹资源与产业落地。",
)
ITEM_SHARING_ROLES = (
    "{owner_org}向{user_org}开放{resource}，用于{c1}测试与{method}。",
    "{user_org}通过共享{owner_org}的{resource}开展{c1}验证，按机时付费。",
)
ITEM_BENEFITS = (
    "知识产权约定：背景知识产权归原单位所有，项目新产生的知识产权由双方共有，产业化收益按{a}:{b}分成。",
    "双方约定新产生的知识产权归{rd_org}所有，{prod_org}享有{years}年独占实施权，按销售额的{royalty}%支付提成。",
    "研发在{rd_city}、生产在{prod_city}，双方约定税收按属地缴纳，并申请纳入两地跨区域利益共享试点。",
    "项目采用“入门费+提成”方式结算，入门费{fee}万元，提成按年度销售额结算。",
)
ITEM_STAGE_NOTES = {
    "negotiating": ("双方正在就技术路线与合同条款进行洽谈。", "技术经理人已组织两轮对接，合同文本起草中。"),
    "signed": ("合同已签订，计划于{start}启动。", "双方已完成合同签订，正在组建联合项目组。"),
    "in_progress": ("项目进行中，已完成约{pct}%的里程碑任务。", "目前已完成小试验证，正在开展中试放大。"),
    "completed": ("项目已于{end}通过验收，实现{m1}。", "项目已完成，成果在{prod_city}实现量产，{m1}。"),
    "terminated": ("因技术路线调整，项目已终止，双方协商结清费用。", "因市场需求变化，经双方协商终止合作。"),
}
ITEM_EN = (
    "{rd_org} ({rd_city}) and {prod_org} ({prod_city}) work together on {c1} for {app}. {rd_org} contributes {method}; {prod_org} takes the results to production. IP created in the project is jointly owned; revenues are shared {a}:{b}.",
    "{type_en} project on {topic}: R&D by {rd_org} in {rd_city}, manufacturing by {prod_org} in {prod_city}. Targets: {m1}. Background IP stays with its owner; new IP is shared and licensed exclusively to the manufacturer.",
)
ITEM_STAGE_NOTES_EN = {
    "negotiating": "The parties are negotiating the contract.",
    "signed": "The contract is signed; work starts on {start}.",
    "in_progress": "Work is under way; about {pct}% of the milestones are done.",
    "completed": "Completed and accepted on {end}.",
    "terminated": "Terminated by mutual agreement.",
}

# --- organisations ---------------------------------------------------------------------------

ENTERPRISE_DESCRIPTIONS = (
    "{name}成立于{year}年，位于{city}，专注于{topic}领域，主要产品面向{app}和{app2}，拥有{c1}、{c2}等核心技术。",
    "{name}是{city}的{domain}企业，{year}年创立，现有员工约{staff}人，在{c1}方面形成了自主知识产权体系。",
    "公司主要从事{c1}相关产品的研发、生产和销售，客户覆盖{app}、{app2}等领域，是{city}市专精特新企业（虚构）。",
)
INSTITUTE_DESCRIPTIONS = (
    "{name}是{city}支持建设的新型研发机构，聚焦{domain}，重点布局{c1}、{c2}等方向，提供研发、中试和成果转化服务。",
    "{name}成立于{year}年，围绕{domain}产业需求开展共性技术研发，已孵化科技企业{n}家。",
)
UNIVERSITY_DESCRIPTIONS = ("{name}是位于{city}的理工科高校，在{domains}等方向有较强研究基础，积极推动科技成果跨区域转化。",)
SERVICE_DESCRIPTIONS = (
    "{name}为长三角企业提供技术转移、技术经纪和知识产权运营服务，拥有专职技术经理人{n}名。",
    "{name}专注科技成果转化服务，提供需求挖掘、技术评估、合同谈判到项目落地的全链条服务。",
)
INVESTOR_DESCRIPTIONS = ("{name}管理多只科创基金，重点投资沿沪宁产业创新带的硬科技项目。",)
