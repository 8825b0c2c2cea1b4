"""Concept pools of the demo region, one per industry: the vocabulary its texts are written from.

Each topic lists concepts with several names (synonyms). Resources are written mostly with
the first, research-side names and demands mostly with the later, user-side names, so a
demand and the resource that answers it share concepts but not always words: the matching
engine has real work to do.

A term is written ``"中文1;中文2|English 1;English 2"``. Industry codes are real codes of
GB/T 4754-2017 and of the 2018 strategic emerging industries (see corridor/regions/data).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    zh: tuple[str, ...]
    en: tuple[str, ...]


def term(spec: str) -> Term:
    zh, _, en = spec.partition("|")
    return Term(tuple(s.strip() for s in zh.split(";") if s.strip()), tuple(s.strip() for s in en.split(";") if s.strip()))


def terms(*specs: str) -> tuple[Term, ...]:
    return tuple(term(s) for s in specs)


@dataclass(frozen=True)
class Topic:
    key: str
    name: Term
    concepts: tuple[Term, ...]
    applications: tuple[Term, ...]
    metrics: tuple[Term, ...]
    methods: tuple[Term, ...]
    problems: tuple[Term, ...]
    equipment: tuple[Term, ...]
    gb: tuple[str, ...]
    sei: tuple[str, ...]


@dataclass(frozen=True)
class Domain:
    key: str
    name: Term
    topics: tuple[Topic, ...]
    # Company-name endings (中文|English) and institute stems for fictional organisations.
    company_suffixes: tuple[Term, ...]
    institute_stems: tuple[Term, ...]
    # Where the industry sits in the delta: city short name -> weight.
    city_weights: tuple[tuple[str, int], ...]
    gb: tuple[str, ...]
    sei: tuple[str, ...]


POLYOLEFIN = Domain(
    key="polyolefin",
    name=term("新材料·高端聚烯烃|New materials: advanced polyolefins"),
    gb=("2651", "2652"),
    sei=("3.3",),
    company_suffixes=terms(
        "新材料科技有限公司|New Materials Technology Co., Ltd.",
        "高分子材料有限公司|Polymer Materials Co., Ltd.",
        "化工科技有限公司|Chemical Technology Co., Ltd.",
        "塑胶科技股份有限公司|Plastics Technology Co., Ltd.",
    ),
    institute_stems=terms("先进高分子材料研究院|Institute of Advanced Polymer Materials", "石化新材料研究院|Petrochemical New Materials Institute"),
    city_weights=(("上海", 30), ("南通", 14), ("镇江", 12), ("南京", 12), ("扬州", 8), ("常州", 7), ("苏州", 7), ("无锡", 4), ("嘉兴", 4), ("泰州", 2)),
    topics=(
        Topic(
            key="coc",
            name=term("环烯烃共聚物;环烯烃聚合物材料;COC/COP光学树脂|cyclic olefin copolymers;COC/COP optical resins"),
            concepts=terms(
                "环烯烃共聚物;COC树脂;环烯烃类共聚物|cyclic olefin copolymer;COC resin",
                "降冰片烯单体;降冰片烯;NB单体|norbornene monomer;norbornene",
                "茂金属催化剂;单活性中心催化剂;茂金属催化体系|metallocene catalyst;single-site catalyst",
                "光学级透明树脂;高透光树脂;光学塑料|optical-grade transparent resin;optical plastic",
                "玻璃化转变温度;耐热等级;Tg|glass transition temperature;heat resistance grade",
                "连续溶液聚合;溶液聚合工艺;连续聚合|continuous solution polymerisation;solution process",
            ),
            applications=terms(
                "手机镜头模组|smartphone camera modules",
                "预灌封注射器|pre-filled syringes",
                "医药泡罩包装|pharmaceutical blister packs",
                "显示用光学膜|optical films for displays",
                "微流控芯片|microfluidic chips",
                "车载激光雷达视窗|automotive lidar windows",
            ),
            metrics=terms(
                "透光率不低于91%|light transmittance of at least 91%",
                "玻璃化转变温度在130–180℃区间可调|Tg adjustable between 130 and 180 °C",
                "吸水率低于0.01%|water absorption below 0.01%",
                "双折射低于5 nm|birefringence below 5 nm",
                "催化剂残留金属低于10 ppm|catalyst metal residue below 10 ppm",
                "单线年产能达到千吨级|a single line of thousand-tonne annual capacity",
            ),
            methods=terms(
                "催化剂分子设计与负载化|catalyst molecular design and supporting",
                "聚合动力学与链结构调控|polymerisation kinetics and chain-structure control",
                "脱挥、过滤与洁净造粒|devolatilisation, filtration and clean pelletising",
            ),
            problems=terms(
                "光学级牌号长期依赖进口，供货周期长、价格高|optical grades are imported, with long lead times and high prices",
                "批次间光学性能波动大，下游注塑良率不稳定|optical properties vary between batches and moulding yield is unstable",
                "催化活性偏低，单体转化率不足导致成本居高不下|low catalyst activity and monomer conversion keep costs high",
            ),
            equipment=terms(
                "高温凝胶渗透色谱仪|high-temperature gel permeation chromatograph",
                "光学双折射测试仪|birefringence analyser",
                "10升连续溶液聚合中试装置|10-litre continuous solution polymerisation pilot unit",
            ),
            gb=("2651", "2661"),
            sei=("3.3",),
        ),
        Topic(
            key="mpe",
            name=term("高端聚乙烯;茂金属聚乙烯及超高分子量聚乙烯;特种聚乙烯|high-end polyethylene;metallocene and UHMW polyethylene"),
            concepts=terms(
                "茂金属聚乙烯;mPE;茂金属线性低密度聚乙烯|metallocene polyethylene;mLLDPE",
                "超高分子量聚乙烯;UHMWPE;超高分子量PE|ultra-high-molecular-weight polyethylene;UHMWPE",
                "分子量分布;分子量分布宽度;MWD|molecular weight distribution;MWD",
                "共聚单体插入率;α-烯烃共聚单体含量;短支链分布|comonomer incorporation;short-chain branching",
                "锂电池隔膜专用料;隔膜基料;湿法隔膜原料|battery separator resin;wet-process separator feedstock",
                "气相流化床工艺;气相法聚合|gas-phase fluidised-bed process;gas-phase polymerisation",
            ),
            applications=terms(
                "锂电池隔膜|lithium battery separators",
                "高阻隔食品包装膜|high-barrier food packaging film",
                "人工关节衬垫|artificial joint liners",
                "高强纤维与防护材料|high-strength fibres and protective materials",
                "农用长寿棚膜|long-life greenhouse film",
            ),
            metrics=terms(
                "熔融指数波动控制在±5%以内|melt index within ±5%",
                "粘均分子量不低于400万|viscosity-average molecular weight of at least 4 million",
                "灰分不高于200 ppm|ash content at most 200 ppm",
                "薄膜雾度不高于8%|film haze at most 8%",
                "落镖冲击强度提升30%以上|dart impact strength up by more than 30%",
            ),
            methods=terms(
                "催化剂载体形貌控制|catalyst-support morphology control",
                "聚合工艺模拟与放大|polymerisation process simulation and scale-up",
                "吹膜与双向拉伸加工评价|blown-film and biaxial-stretching evaluation",
            ),
            problems=terms(
                "隔膜专用料依赖进口，国产料孔隙均匀性差|separator resin is imported and domestic grades give uneven porosity",
                "牌号切换过渡料多，装置利用率低|grade changes produce much off-spec material",
                "高端包装膜韧性与透明性难以兼顾|packaging film cannot combine toughness and clarity",
            ),
            equipment=terms(
                "高温核磁共振波谱仪|high-temperature NMR spectrometer",
                "流变仪|rotational rheometer",
                "实验室吹膜机组|laboratory blown-film line",
            ),
            gb=("2651",),
            sei=("3.3",),
        ),
        Topic(
            key="poe",
            name=term("聚烯烃弹性体;POE及光伏封装材料;乙烯-α烯烃共聚弹性体|polyolefin elastomers;POE and PV encapsulants"),
            concepts=terms(
                "聚烯烃弹性体;POE;乙烯-辛烯共聚物|polyolefin elastomer;POE;ethylene–octene copolymer",
                "1-辛烯;α-烯烃;高碳α-烯烃|1-octene;alpha-olefin",
                "乙烯选择性齐聚;乙烯齐聚;四聚技术|selective ethylene oligomerisation;ethylene tetramerisation",
                "光伏封装胶膜;光伏胶膜;组件封装膜|PV encapsulant film;module encapsulation film",
                "体积电阻率;绝缘性能;抗PID性能|volume resistivity;PID resistance",
                "高温溶液聚合;溶液法工艺|high-temperature solution polymerisation;solution process",
            ),
            applications=terms(
                "光伏组件封装|PV module encapsulation",
                "汽车保险杠增韧改性|toughening of car bumpers",
                "发泡鞋材|foamed shoe soles",
                "电线电缆护套|wire and cable sheathing",
            ),
            metrics=terms(
                "体积电阻率不低于1×10^15 Ω·cm|volume resistivity of at least 1×10^15 Ω·cm",
                "1-辛烯选择性不低于70%|1-octene selectivity of at least 70%",
                "熔点低于60℃|melting point below 60 °C",
                "黄变指数ΔYI小于3|yellowing index ΔYI below 3",
            ),
            methods=terms(
                "齐聚催化剂筛选|oligomerisation catalyst screening",
                "共聚组成与序列分布表征|copolymer composition and sequence analysis",
                "胶膜挤出与老化评价|film extrusion and ageing tests",
            ),
            problems=terms(
                "POE粒子全部依赖进口，光伏胶膜成本受制于人|POE pellets are all imported and encapsulant costs are out of our hands",
                "国产α-烯烃纯度不足，共聚产品性能不稳定|domestic alpha-olefins are not pure enough for stable copolymers",
                "双玻组件湿热老化后出现PID衰减|double-glass modules lose power by PID after damp-heat ageing",
            ),
            equipment=terms(
                "湿热老化试验箱|damp-heat ageing chamber",
                "气相色谱-质谱联用仪|GC-MS",
                "体积电阻率测试仪|volume resistivity tester",
            ),
            gb=("2651", "2614"),
            sei=("3.3", "6.3"),
        ),
        Topic(
            key="pp",
            name=term("高性能聚丙烯与聚烯烃循环利用;聚丙烯高性能化;聚烯烃回收再生|high-performance polypropylene and polyolefin recycling"),
            concepts=terms(
                "高熔体强度聚丙烯;HMSPP;长链支化聚丙烯|high-melt-strength polypropylene;long-chain-branched PP",
                "抗冲共聚聚丙烯;多相共聚PP;釜内合金|impact copolymer polypropylene;in-reactor alloy",
                "Ziegler-Natta催化剂;Z-N催化剂;齐格勒-纳塔催化剂|Ziegler–Natta catalyst;Z-N catalyst",
                "成核剂;透明剂;β晶型成核剂|nucleating agent;clarifier",
                "化学回收;废塑料热解;裂解制油|chemical recycling;pyrolysis of waste plastics",
                "VOC散发;气味等级;低散发|VOC emissions;odour rating;low emission",
            ),
            applications=terms(
                "汽车内饰件|car interior parts",
                "发泡聚丙烯缓冲材料|expanded polypropylene cushioning",
                "医用输液瓶|medical infusion bottles",
                "家电外壳|appliance housings",
                "再生食品包装|recycled food packaging",
            ),
            metrics=terms(
                "熔体强度不低于20 cN|melt strength of at least 20 cN",
                "总碳散发不高于50 μgC/g|total carbon emission at most 50 μgC/g",
                "常温缺口冲击强度不低于50 kJ/m²|notched impact strength of at least 50 kJ/m² at room temperature",
                "热解油收率不低于80%|pyrolysis oil yield of at least 80%",
            ),
            methods=terms(
                "反应挤出接枝改性|reactive-extrusion grafting",
                "多区反应器共聚工艺|multi-zone reactor copolymerisation",
                "废塑料分选与热解中试|sorting and pyrolysis of waste plastics at pilot scale",
            ),
            problems=terms(
                "内饰件气味和VOC超标，整车厂审核难以通过|interior parts fail car makers' odour and VOC audits",
                "发泡用高熔强PP供应紧张|high-melt-strength PP for foaming is in short supply",
                "混合废塑料难以高值化利用|mixed plastic waste has no high-value outlet",
            ),
            equipment=terms(
                "双螺杆反应挤出机|twin-screw reactive extruder",
                "顶空气相色谱仪|headspace gas chromatograph",
                "废塑料连续热解中试线|continuous plastics pyrolysis pilot line",
            ),
            gb=("2651", "2929"),
            sei=("3.3", "7.3"),
        ),
    ),
)

CHIPLET = Domain(
    key="chiplet",
    name=term("集成电路·Chiplet|Integrated circuits: chiplets"),
    gb=("3973", "6520"),
    sei=("1.2",),
    company_suffixes=terms(
        "半导体有限公司|Semiconductor Co., Ltd.",
        "微电子科技有限公司|Microelectronics Technology Co., Ltd.",
        "集成电路有限公司|Integrated Circuit Co., Ltd.",
        "芯片科技有限公司|Chip Technology Co., Ltd.",
    ),
    institute_stems=terms("集成电路创新研究院|Integrated Circuit Innovation Institute", "先进封装研究院|Advanced Packaging Institute"),
    city_weights=(("上海", 30), ("无锡", 22), ("南京", 14), ("苏州", 14), ("常州", 4), ("合肥", 5), ("南通", 4), ("杭州", 3)),
    topics=(
        Topic(
            key="interconnect",
            name=term("Chiplet互连与先进封装;芯粒集成;2.5D/3D先进封装|chiplet interconnect and advanced packaging"),
            concepts=terms(
                "Chiplet;芯粒;小芯片|chiplet;die disaggregation",
                "2.5D封装;硅中介层;中介层集成|2.5D packaging;silicon interposer",
                "芯粒互连接口;Die-to-Die接口;UCIe接口|die-to-die interface;UCIe interface",
                "混合键合;铜-铜直接键合;Hybrid Bonding|hybrid bonding;direct copper bonding",
                "硅通孔;TSV;垂直互连|through-silicon via;TSV",
                "重布线层;RDL;扇出型封装|redistribution layer;fan-out packaging",
                "微凸点;Microbump;细间距凸点|microbump;fine-pitch bumps",
            ),
            applications=terms(
                "AI加速芯片|AI accelerators",
                "高性能计算处理器|high-performance computing processors",
                "数据中心交换芯片|data-centre switch chips",
                "车规级SoC|automotive-grade SoCs",
            ),
            metrics=terms(
                "互连带宽密度不低于1 Tbps/mm|interconnect bandwidth density of at least 1 Tbps/mm",
                "凸点间距不大于40 μm|bump pitch of at most 40 μm",
                "单比特传输能耗不高于0.5 pJ|energy per bit at most 0.5 pJ",
                "封装翘曲控制在50 μm以内|package warpage within 50 μm",
                "组装良率不低于98%|assembly yield of at least 98%",
            ),
            methods=terms(
                "多芯粒异构集成工艺|heterogeneous multi-die integration",
                "互连协议与PHY设计|interconnect protocol and PHY design",
                "封装结构应力仿真|package stress simulation",
            ),
            problems=terms(
                "单片大芯片良率低、流片成本高，急需芯粒化方案|monolithic dies yield poorly and cost too much; we need a chiplet approach",
                "不同厂商芯粒接口不统一，难以复用|chiplets from different vendors cannot talk to each other",
                "国内缺少可量产的2.5D封装产能|there is little volume 2.5D packaging capacity in China",
            ),
            equipment=terms(
                "晶圆级混合键合设备|wafer-level hybrid bonder",
                "倒装焊机|flip-chip bonder",
                "三维X射线显微镜|3D X-ray microscope",
            ),
            gb=("3973", "3562"),
            sei=("1.2",),
        ),
        Topic(
            key="test",
            name=term("封装测试与可靠性;集成电路测试验证;芯片可靠性与失效分析|packaging test and reliability"),
            concepts=terms(
                "晶圆级测试;CP测试;探针测试|wafer-level test;probe test",
                "已知合格芯粒;KGD;芯粒筛选|known-good die;KGD",
                "热管理;散热设计;热阻优化|thermal management;thermal resistance",
                "可靠性验证;温度循环试验;HAST试验|reliability qualification;temperature cycling;HAST",
                "失效分析;FA;缺陷定位|failure analysis;fault isolation",
                "信号完整性;电源完整性;SI/PI|signal integrity;power integrity",
            ),
            applications=terms(
                "车规级芯片认证|automotive chip qualification",
                "服务器CPU封装|server CPU packages",
                "功率器件模块|power device modules",
                "射频前端模组|RF front-end modules",
            ),
            metrics=terms(
                "通过AEC-Q100 Grade 1认证|AEC-Q100 Grade 1 qualification",
                "测试覆盖率不低于99%|test coverage of at least 99%",
                "结到壳热阻降低20%|junction-to-case thermal resistance down 20%",
                "失效定位周期缩短至5个工作日|failure localisation within 5 working days",
            ),
            methods=terms(
                "测试向量与DFT设计|test patterns and design for test",
                "热-力-电多物理场仿真|thermal-mechanical-electrical multiphysics simulation",
                "失效机理分析|failure mechanism analysis",
            ),
            problems=terms(
                "多芯粒封装后整体良率难以保证|yield of multi-die packages is hard to guarantee",
                "车规认证周期长，送外检测排队严重|automotive qualification takes long and external labs are booked out",
                "高功耗芯片散热瓶颈明显|high-power chips hit a cooling wall",
            ),
            equipment=terms(
                "聚焦离子束-扫描电镜双束系统|focused ion beam SEM",
                "高加速应力试验箱|highly accelerated stress test chamber",
                "自动测试设备（ATE）|automatic test equipment (ATE)",
            ),
            gb=("3973", "4028"),
            sei=("1.2",),
        ),
        Topic(
            key="eda",
            name=term("EDA与芯片IP;集成电路设计工具与IP核;芯片设计服务|EDA tools and silicon IP"),
            concepts=terms(
                "多芯粒协同设计;系统级协同设计;芯粒-封装协同设计|multi-die co-design;system-package co-design",
                "EDA工具;电子设计自动化;设计软件|EDA tools;electronic design automation",
                "高速SerDes IP;SerDes;高速接口IP|high-speed SerDes IP;SerDes",
                "RISC-V处理器IP;RISC-V内核;开源指令集处理器|RISC-V processor IP;RISC-V core",
                "设计验证;仿真验证;形式验证|design verification;formal verification",
                "低功耗设计;功耗分析;动态电压频率调节|low-power design;power analysis;DVFS",
            ),
            applications=terms(
                "物联网MCU|IoT microcontrollers",
                "边缘AI芯片|edge AI chips",
                "工业控制芯片|industrial control chips",
                "通信基带芯片|communication baseband chips",
            ),
            metrics=terms(
                "SerDes速率达到112 Gbps|SerDes rate of 112 Gbps",
                "仿真效率提升5倍|simulation five times faster",
                "静态功耗降低40%|static power down 40%",
                "一次流片成功|first-pass silicon success",
            ),
            methods=terms(
                "数字前端与后端设计|front-end and back-end digital design",
                "IP硬化与工艺移植|IP hardening and process porting",
                "验证方法学与覆盖率分析|verification methodology and coverage analysis",
            ),
            problems=terms(
                "关键EDA环节依赖国外工具，存在断供风险|key EDA steps rely on foreign tools that may be cut off",
                "缺少经过硅验证的高速接口IP|no silicon-proven high-speed interface IP is available",
                "设计团队规模小，验证人力不足|our design team is small and short of verification engineers",
            ),
            equipment=terms(
                "硬件仿真加速器|hardware emulation system",
                "FPGA原型验证平台|FPGA prototyping platform",
                "高速示波器|high-speed oscilloscope",
            ),
            gb=("6520", "6512"),
            sei=("1.2", "1.3"),
        ),
        Topic(
            key="materials",
            name=term("半导体材料与关键装备;集成电路材料;电子专用材料|semiconductor materials and equipment"),
            concepts=terms(
                "光刻胶;光致抗蚀剂;KrF/ArF光刻胶|photoresist;KrF/ArF resist",
                "CMP抛光液;化学机械抛光液;抛光材料|CMP slurry;chemical-mechanical polishing slurry",
                "高纯电子特气;电子特种气体;电子级气体|high-purity electronic gases;specialty gases",
                "封装基板;ABF载板;IC载板|IC substrate;ABF substrate",
                "临时键合胶;临时键合与解键合材料;键合胶|temporary bonding adhesive;bond/debond materials",
                "湿法清洗;晶圆清洗设备;清洗工艺|wet cleaning;wafer cleaning equipment",
            ),
            applications=terms(
                "12英寸晶圆制造|300 mm wafer fabs",
                "先进封装产线|advanced packaging lines",
                "功率半导体产线|power semiconductor lines",
                "显示面板制造|display panel manufacturing",
            ),
            metrics=terms(
                "金属杂质低于10 ppt|metal impurities below 10 ppt",
                "颗粒数小于每毫升50个|fewer than 50 particles per ml",
                "载板线宽线距达到8/8 μm|substrate line/space of 8/8 μm",
                "批次一致性CPK不低于1.33|batch consistency CPK of at least 1.33",
            ),
            methods=terms(
                "树脂与感光剂合成|resin and photoactive compound synthesis",
                "痕量杂质分析|trace impurity analysis",
                "材料上线验证|in-fab qualification of materials",
            ),
            problems=terms(
                "关键材料验证周期长，晶圆厂导入门槛高|materials take long to qualify and fabs are hard to enter",
                "国产载板产能和良率不足|domestic substrate capacity and yield fall short",
                "进口特气交付不稳定|deliveries of imported specialty gases are unreliable",
            ),
            equipment=terms(
                "电感耦合等离子体质谱仪|ICP-MS",
                "液体颗粒计数器|liquid particle counter",
                "涂胶显影试验线|coat-and-develop test track",
            ),
            gb=("3985", "3562"),
            sei=("1.2", "3.6"),
        ),
    ),
)

BIOMED = Domain(
    key="biomed",
    name=term("生物医药|Biomedicine"),
    gb=("27", "2761"),
    sei=("4.1",),
    company_suffixes=terms(
        "生物医药有限公司|Biopharmaceutical Co., Ltd.",
        "生物科技有限公司|Biotechnology Co., Ltd.",
        "药业股份有限公司|Pharmaceutical Co., Ltd.",
        "医疗器械有限公司|Medical Devices Co., Ltd.",
    ),
    institute_stems=terms("生物医药创新研究院|Biomedical Innovation Institute", "药物研究院|Institute of Drug Research"),
    city_weights=(("上海", 30), ("苏州", 24), ("南京", 14), ("无锡", 10), ("常州", 6), ("镇江", 4), ("南通", 4), ("扬州", 3), ("杭州", 3), ("合肥", 2)),
    topics=(
        Topic(
            key="antibody",
            name=term("抗体药物与ADC;抗体偶联药物开发;生物大分子药物|antibody drugs and ADCs"),
            concepts=terms(
                "抗体偶联药物;ADC;抗体-药物偶联物|antibody–drug conjugate;ADC",
                "双特异性抗体;双抗;多特异性抗体|bispecific antibody;multispecific antibody",
                "细胞株构建;高表达细胞株;CHO细胞株开发|cell line development;high-expressing CHO line",
                "下游纯化工艺;层析纯化;连续流纯化|downstream purification;chromatography",
                "药物抗体比;DAR值;偶联均一性|drug-to-antibody ratio;DAR;conjugation homogeneity",
                "质量源于设计;QbD;工艺表征|quality by design;QbD;process characterisation",
            ),
            applications=terms(
                "实体瘤靶向治疗|targeted therapy of solid tumours",
                "自身免疫疾病治疗|autoimmune disease treatment",
                "临床样品生产|clinical supply manufacturing",
                "IND申报|IND filing",
            ),
            metrics=terms(
                "表达量不低于5 g/L|titre of at least 5 g/L",
                "DAR分布集中在3.5–4.0|DAR between 3.5 and 4.0",
                "聚体含量低于1%|aggregates below 1%",
                "纯化总收率不低于70%|overall purification yield of at least 70%",
            ),
            methods=terms(
                "定点偶联技术|site-specific conjugation",
                "细胞培养工艺开发|cell culture process development",
                "分析方法开发与验证|analytical method development and validation",
            ),
            problems=terms(
                "偶联工艺放大后DAR不均一|DAR becomes heterogeneous after scale-up",
                "自建产能不足，临床样品排期紧张|own capacity is short and clinical batches are delayed",
                "高表达细胞株开发周期过长|high-titre cell lines take too long to develop",
            ),
            equipment=terms(
                "2000升一次性生物反应器|2,000-litre single-use bioreactor",
                "高分辨液质联用仪|high-resolution LC-MS",
                "毛细管电泳仪|capillary electrophoresis system",
            ),
            gb=("2761", "2762"),
            sei=("4.1",),
        ),
        Topic(
            key="cgt",
            name=term("细胞与基因治疗;CGT;核酸药物与递送|cell and gene therapy"),
            concepts=terms(
                "CAR-T细胞疗法;CAR-T;嵌合抗原受体T细胞|CAR-T cell therapy",
                "病毒载体;慢病毒载体;AAV载体|viral vector;lentiviral vector;AAV",
                "mRNA药物;mRNA疫苗;信使RNA|mRNA therapeutics;mRNA vaccine",
                "脂质纳米颗粒;LNP递送系统;递送载体|lipid nanoparticles;LNP delivery",
                "GMP生产;无菌灌装;洁净车间|GMP manufacturing;aseptic filling",
                "基因编辑;CRISPR;碱基编辑|gene editing;CRISPR;base editing",
            ),
            applications=terms(
                "血液肿瘤治疗|haematological cancer therapy",
                "罕见病基因治疗|gene therapy for rare diseases",
                "传染病疫苗|infectious disease vaccines",
                "通用型细胞治疗|off-the-shelf cell therapy",
            ),
            metrics=terms(
                "病毒滴度提高3倍|viral titre three times higher",
                "LNP包封率不低于90%|LNP encapsulation of at least 90%",
                "细胞制备周期缩短至7天|cell manufacturing within 7 days",
                "生产成本降低50%|manufacturing cost halved",
            ),
            methods=terms(
                "质粒与载体工艺开发|plasmid and vector process development",
                "可电离脂质筛选|ionisable lipid screening",
                "封闭式自动化细胞制备|closed automated cell processing",
            ),
            problems=terms(
                "病毒载体产能紧缺且成本高昂|viral vector capacity is scarce and expensive",
                "递送系统专利受制于国外|delivery patents are held abroad",
                "细胞治疗产品制备依赖手工操作，批间差异大|cell products are made by hand and vary between batches",
            ),
            equipment=terms(
                "封闭式细胞处理系统|closed cell processing system",
                "微流控纳米制剂设备|microfluidic nanoparticle formulator",
                "流式细胞分析仪|flow cytometer",
            ),
            gb=("2762", "7340"),
            sei=("4.1",),
        ),
        Topic(
            key="formulation",
            name=term("创新制剂与绿色原料药;高端制剂;原料药绿色工艺|innovative formulations and green APIs"),
            concepts=terms(
                "长效缓释注射剂;缓控释制剂;微球制剂|long-acting injectable;controlled-release formulation;microspheres",
                "连续流化学;微通道反应;流动化学|continuous-flow chemistry;microreactor synthesis",
                "仿制药一致性评价;一致性评价;质量和疗效一致性|generic equivalence evaluation",
                "多晶型筛选;晶型研究;共晶|polymorph screening;cocrystals",
                "生物等效性;BE试验;药代动力学|bioequivalence;pharmacokinetics",
                "基因毒性杂质;杂质谱;有关物质|genotoxic impurities;impurity profile",
            ),
            applications=terms(
                "精神类药物长效化|long-acting psychiatric drugs",
                "抗肿瘤原料药|oncology APIs",
                "儿童用药剂型改良|paediatric dosage forms",
                "出口欧美制剂|formulations for US and EU markets",
            ),
            metrics=terms(
                "体外释放持续28天以上|in-vitro release over 28 days",
                "反应收率提高15个百分点|yield up 15 percentage points",
                "溶剂用量减少60%|solvent use down 60%",
                "单个杂质不高于0.1%|any single impurity at most 0.1%",
            ),
            methods=terms(
                "制剂处方与工艺开发|formulation and process development",
                "工艺安全与放大研究|process safety and scale-up",
                "药学研究与注册申报|CMC studies and regulatory filing",
            ),
            problems=terms(
                "传统釜式工艺危险性高、三废量大|batch processes are hazardous and produce much waste",
                "微球制剂突释明显，批间重现性差|microspheres show burst release and poor reproducibility",
                "一致性评价参比制剂溶出曲线难以匹配|dissolution profiles do not match the reference product",
            ),
            equipment=terms(
                "连续流微通道反应器|continuous-flow microreactor",
                "X射线粉末衍射仪|X-ray powder diffractometer",
                "溶出度测定仪|dissolution tester",
            ),
            gb=("2710", "2720"),
            sei=("4.1",),
        ),
        Topic(
            key="devices",
            name=term("高端医疗器械与体外诊断;医疗器械;IVD诊断试剂与设备|medical devices and in-vitro diagnostics"),
            concepts=terms(
                "体外诊断;IVD;诊断试剂|in-vitro diagnostics;IVD",
                "化学发光免疫分析;化学发光;免疫诊断|chemiluminescence immunoassay;immunodiagnostics",
                "医学影像;CT探测器;影像设备|medical imaging;CT detector",
                "可降解支架;植介入器械;生物可吸收器械|bioresorbable scaffold;implantable device",
                "手术机器人;腔镜手术机器人;骨科机器人|surgical robot;orthopaedic robot",
                "医用级高分子;医用材料;生物相容性材料|medical-grade polymer;biocompatible material",
            ),
            applications=terms(
                "基层医疗机构|primary-care clinics",
                "心血管介入|cardiovascular intervention",
                "肿瘤早筛|early cancer screening",
                "微创外科|minimally invasive surgery",
            ),
            metrics=terms(
                "检测灵敏度达到pg/mL级|sensitivity at pg/mL level",
                "单机通量不低于每小时200测试|at least 200 tests per hour",
                "定位精度优于0.5 mm|positioning accuracy better than 0.5 mm",
                "降解周期控制在24–36个月|degradation in 24 to 36 months",
            ),
            methods=terms(
                "生物相容性评价|biocompatibility evaluation",
                "注册检验与临床评价|type testing and clinical evaluation",
                "精密注塑与洁净装配|precision moulding and clean-room assembly",
            ),
            problems=terms(
                "核心原料抗原抗体依赖进口|key antigens and antibodies are imported",
                "注册检验周期长，产品上市慢|type testing delays market entry",
                "高端影像探测器国产化率低|few high-end imaging detectors are made in China",
            ),
            equipment=terms(
                "全自动化学发光分析仪|automated chemiluminescence analyser",
                "万能材料试验机|universal testing machine",
                "十万级洁净装配车间|ISO 8 clean assembly room",
            ),
            gb=("3581", "2770"),
            sei=("4.2",),
        ),
    ),
)

AI = Domain(
    key="ai",
    name=term("人工智能|Artificial intelligence"),
    gb=("6513", "6511"),
    sei=("1.5",),
    company_suffixes=terms(
        "智能科技有限公司|Intelligent Technology Co., Ltd.",
        "信息技术有限公司|Information Technology Co., Ltd.",
        "人工智能科技有限公司|AI Technology Co., Ltd.",
        "数据科技有限公司|Data Technology Co., Ltd.",
    ),
    institute_stems=terms("人工智能研究院|Artificial Intelligence Institute", "智能计算研究院|Institute of Intelligent Computing"),
    city_weights=(("上海", 30), ("南京", 20), ("苏州", 14), ("无锡", 8), ("常州", 5), ("合肥", 8), ("杭州", 8), ("镇江", 2), ("扬州", 2)),
    topics=(
        Topic(
            key="vision",
            name=term("工业视觉;机器视觉检测;AI质检|industrial machine vision"),
            concepts=terms(
                "机器视觉;工业视觉;视觉检测|machine vision;visual inspection",
                "表面缺陷检测;外观检测;瑕疵识别|surface defect detection;cosmetic inspection",
                "小样本学习;少样本学习;迁移学习|few-shot learning;transfer learning",
                "边缘推理;端侧部署;边缘计算盒|edge inference;on-device deployment",
                "三维视觉;结构光;3D相机|3D vision;structured light",
                "样本标注;数据标注;数据增强|data labelling;data augmentation",
            ),
            applications=terms(
                "锂电池极片检测|battery electrode inspection",
                "液晶面板外观检测|LCD panel inspection",
                "汽车零部件质检|automotive parts inspection",
                "纺织品瑕疵检测|textile defect detection",
            ),
            metrics=terms(
                "漏检率低于0.1%|miss rate below 0.1%",
                "过检率低于1%|false-reject rate below 1%",
                "单帧推理时间小于20 ms|under 20 ms per frame",
                "换型只需50张样本|re-training with 50 samples per new product",
            ),
            methods=terms(
                "缺陷检测算法研发|defect detection algorithms",
                "光学成像方案设计|optical imaging design",
                "模型轻量化部署|lightweight model deployment",
            ),
            problems=terms(
                "人工目检效率低、标准不一|manual inspection is slow and inconsistent",
                "缺陷样本少，传统算法误报多|defect samples are scarce and rule-based algorithms raise false alarms",
                "产线换型频繁，模型难以快速适配|frequent product changes outpace model re-training",
            ),
            equipment=terms(
                "高分辨线阵相机检测台|high-resolution line-scan inspection bench",
                "GPU训练服务器集群|GPU training cluster",
                "三维结构光扫描仪|structured-light 3D scanner",
            ),
            gb=("6513", "3969"),
            sei=("1.5",),
        ),
        Topic(
            key="llm",
            name=term("行业大模型与知识工程;垂直领域大模型;知识图谱与智能问答|domain large models and knowledge engineering"),
            concepts=terms(
                "行业大模型;垂直领域大模型;大语言模型|domain large language model;vertical LLM",
                "检索增强生成;RAG;知识库问答|retrieval-augmented generation;RAG",
                "知识图谱;产业知识图谱;实体关系抽取|knowledge graph;entity-relation extraction",
                "指令微调;LoRA微调;模型微调|instruction fine-tuning;LoRA",
                "私有化部署;本地化部署;国产算力适配|on-premises deployment;domestic hardware adaptation",
                "智能客服;智能问答;对话系统|intelligent customer service;question answering",
            ),
            applications=terms(
                "工艺文档检索|process documentation search",
                "专利与技术情报分析|patent and technology intelligence",
                "政务服务咨询|government service enquiries",
                "设备运维知识助手|maintenance knowledge assistant",
            ),
            metrics=terms(
                "问答准确率不低于90%|answer accuracy of at least 90%",
                "首字响应时间小于1秒|first token within 1 second",
                "支持百万级文档检索|search over a million documents",
                "幻觉率低于3%|hallucination rate below 3%",
            ),
            methods=terms(
                "领域语料构建与清洗|domain corpus construction",
                "多模态文档解析|multimodal document parsing",
                "模型评测体系|model evaluation framework",
            ),
            problems=terms(
                "企业知识分散在大量文档中，新人上手慢|company knowledge is buried in documents and newcomers learn slowly",
                "通用大模型不懂行业术语，回答不可靠|general LLMs do not know our jargon and answer unreliably",
                "数据不能出厂，无法使用公有云模型|data may not leave the plant, so public cloud models are ruled out",
            ),
            equipment=terms(
                "国产AI训练服务器|domestic AI training server",
                "向量数据库集群|vector database cluster",
                "GPU推理服务器|GPU inference server",
            ),
            gb=("6513", "6550"),
            sei=("1.5", "1.4"),
        ),
        Topic(
            key="industrial",
            name=term("工业智能;预测性维护与数字孪生;工业数据智能|industrial AI: predictive maintenance and digital twins"),
            concepts=terms(
                "预测性维护;设备健康管理;PHM|predictive maintenance;PHM",
                "数字孪生;虚拟工厂;孪生模型|digital twin;virtual plant",
                "时间序列预测;时序数据分析;时序建模|time-series forecasting;time-series analytics",
                "工艺参数优化;智能排产;APS高级排程|process parameter optimisation;advanced planning and scheduling",
                "异常检测;故障诊断;异常预警|anomaly detection;fault diagnosis",
                "振动监测;振动信号分析;声纹诊断|vibration monitoring;acoustic diagnosis",
            ),
            applications=terms(
                "化工装置运行优化|chemical plant optimisation",
                "风电机组运维|wind turbine maintenance",
                "半导体产线排产|semiconductor fab scheduling",
                "钢铁高炉炉况预测|blast furnace forecasting",
            ),
            metrics=terms(
                "故障提前72小时预警|faults flagged 72 hours ahead",
                "非计划停机减少30%|unplanned downtime down 30%",
                "能耗降低8%|energy use down 8%",
                "排产时间从小时级缩短到分钟级|scheduling in minutes instead of hours",
            ),
            methods=terms(
                "机理与数据融合建模|hybrid physics and data modelling",
                "工业数据治理|industrial data governance",
                "运筹优化算法|operations research algorithms",
            ),
            problems=terms(
                "关键设备突发故障导致整线停产|sudden failures of key equipment stop the line",
                "工艺参数靠老师傅经验，难以传承|process settings depend on veteran operators",
                "多品种小批量订单排产困难|high-mix low-volume orders are hard to schedule",
            ),
            equipment=terms(
                "工业数据采集网关|industrial data acquisition gateway",
                "旋转机械故障模拟试验台|rotating machinery fault simulator",
                "边缘计算服务器|edge computing server",
            ),
            gb=("6513", "6531"),
            sei=("1.5", "2.1"),
        ),
        Topic(
            key="compute",
            name=term("AI算力与软件栈;智能计算芯片与框架;AI编译与推理加速|AI computing and software stacks"),
            concepts=terms(
                "神经网络处理器;NPU;AI推理芯片|neural processing unit;NPU;AI inference chip",
                "模型量化;模型压缩;剪枝蒸馏|model quantisation;model compression",
                "AI编译器;算子库;图优化|AI compiler;operator library",
                "智算中心;算力集群;算力调度|AI computing centre;compute scheduling",
                "异构计算;CPU+NPU协同;多芯片并行|heterogeneous computing",
                "训练框架适配;深度学习框架;国产框架迁移|training framework porting;deep-learning framework",
            ),
            applications=terms(
                "智能驾驶感知|autonomous driving perception",
                "城市视频分析|city video analytics",
                "科学计算|scientific computing",
                "金融风控|financial risk control",
            ),
            metrics=terms(
                "INT8量化精度损失小于1%|INT8 accuracy loss below 1%",
                "推理吞吐提升3倍|inference throughput tripled",
                "千卡集群线性加速比不低于0.9|linear scaling of at least 0.9 on 1,000 cards",
                "算力利用率提升至60%以上|compute utilisation above 60%",
            ),
            methods=terms(
                "算子开发与调优|operator development and tuning",
                "分布式训练优化|distributed training optimisation",
                "模型迁移与适配|model porting",
            ),
            problems=terms(
                "模型迁移到国产芯片后性能大幅下降|models slow down sharply on domestic chips",
                "算力资源利用率低、排队时间长|compute is under-used yet jobs queue",
                "端侧算力有限，大模型难以落地|edge devices are too weak for large models",
            ),
            equipment=terms(
                "AI加速卡测试平台|AI accelerator test bench",
                "高速InfiniBand网络交换机|InfiniBand switch fabric",
                "液冷算力机柜|liquid-cooled compute rack",
            ),
            gb=("6511", "6520"),
            sei=("1.5", "1.2"),
        ),
    ),
)

BATTERY = Domain(
    key="battery",
    name=term("新能源·电池与储能|New energy: batteries and storage"),
    gb=("3841", "3825"),
    sei=("6.3", "6.5"),
    company_suffixes=terms(
        "新能源科技有限公司|New Energy Technology Co., Ltd.",
        "能源科技有限公司|Energy Technology Co., Ltd.",
        "储能技术有限公司|Energy Storage Technology Co., Ltd.",
        "光电科技有限公司|Photovoltaic Technology Co., Ltd.",
    ),
    institute_stems=terms("先进储能技术研究院|Advanced Energy Storage Institute", "新能源技术研究院|New Energy Technology Institute"),
    city_weights=(("常州", 24), ("上海", 16), ("苏州", 12), ("无锡", 10), ("南京", 10), ("扬州", 6), ("南通", 5), ("镇江", 5), ("合肥", 8), ("盐城", 3)),
    topics=(
        Topic(
            key="solidstate",
            name=term("固态电池;下一代锂电池;高比能锂电池|solid-state batteries"),
            concepts=terms(
                "全固态电池;固态电池;半固态电池|all-solid-state battery;solid-state battery",
                "硫化物电解质;固态电解质;氧化物电解质|sulfide electrolyte;solid electrolyte",
                "固固界面;界面阻抗;界面修饰|solid–solid interface;interfacial impedance",
                "锂金属负极;金属锂负极;无负极设计|lithium-metal anode;anode-free design",
                "高镍三元正极;NCM811;高镍正极|high-nickel cathode;NCM811",
                "能量密度;质量比能量;体积能量密度|energy density;specific energy",
            ),
            applications=terms(
                "高端电动汽车|premium electric vehicles",
                "低空飞行器动力|eVTOL power",
                "消费电子电池|consumer electronics batteries",
                "特种电源|special power supplies",
            ),
            metrics=terms(
                "电芯能量密度不低于400 Wh/kg|cell energy density of at least 400 Wh/kg",
                "室温离子电导率不低于10 mS/cm|ionic conductivity of at least 10 mS/cm at room temperature",
                "循环1000次容量保持率不低于80%|80% capacity after 1,000 cycles",
                "通过针刺不起火|no fire in nail penetration",
            ),
            methods=terms(
                "电解质材料合成|electrolyte synthesis",
                "干法电极工艺|dry electrode process",
                "原位表征与失效分析|in-situ characterisation and failure analysis",
            ),
            problems=terms(
                "液态电池安全性难以满足高端车型要求|liquid-electrolyte cells cannot meet premium safety targets",
                "硫化物电解质空气稳定性差、难以量产|sulfide electrolytes are air-sensitive and hard to mass-produce",
                "界面阻抗随循环快速增长|interfacial resistance grows quickly with cycling",
            ),
            equipment=terms(
                "手套箱集成电池试制线|glovebox battery prototyping line",
                "电化学工作站|electrochemical workstation",
                "加速量热仪|accelerating rate calorimeter",
            ),
            gb=("3841", "3985"),
            sei=("6.5", "5.2"),
        ),
        Topic(
            key="storage",
            name=term("钠离子电池与电化学储能;储能系统;钠电池|sodium-ion batteries and energy storage"),
            concepts=terms(
                "钠离子电池;钠电;钠离子储能电池|sodium-ion battery",
                "硬碳负极;硬碳材料;生物质硬碳|hard carbon anode",
                "电化学储能;储能系统;储能电站|electrochemical energy storage;battery energy storage system",
                "电池管理系统;BMS;均衡管理|battery management system;BMS",
                "循环寿命;日历寿命;衰减模型|cycle life;calendar life",
                "热失控;热蔓延;安全预警|thermal runaway;thermal propagation",
            ),
            applications=terms(
                "工商业储能|commercial and industrial storage",
                "电网侧调峰|grid peak shaving",
                "两轮车动力|e-bike power",
                "数据中心备电|data-centre backup",
            ),
            metrics=terms(
                "循环寿命不低于6000次|cycle life of at least 6,000",
                "系统效率不低于88%|round-trip efficiency of at least 88%",
                "−20℃容量保持率不低于90%|90% capacity at −20 °C",
                "度电成本降低20%|levelised cost down 20%",
            ),
            methods=terms(
                "正负极材料开发|electrode material development",
                "储能系统集成设计|storage system integration",
                "电池状态估计算法|battery state estimation",
            ),
            problems=terms(
                "锂资源价格波动大，需要低成本替代路线|lithium prices swing and we need a cheaper chemistry",
                "储能电站安全事故风险高|storage plants carry a fire risk",
                "硬碳材料首效偏低、成本偏高|hard carbon has low first-cycle efficiency and high cost",
            ),
            equipment=terms(
                "电池充放电测试系统|battery cycler",
                "热失控试验舱|thermal runaway test chamber",
                "扣式与软包电池中试线|coin and pouch cell pilot line",
            ),
            gb=("3841", "3849"),
            sei=("6.5",),
        ),
        Topic(
            key="pv",
            name=term("高效光伏电池;钙钛矿与晶硅叠层;光伏组件|high-efficiency photovoltaics"),
            concepts=terms(
                "钙钛矿太阳能电池;钙钛矿电池;钙钛矿组件|perovskite solar cell;perovskite module",
                "叠层电池;钙钛矿-晶硅叠层;四端叠层|tandem cell;perovskite-silicon tandem",
                "TOPCon;隧穿氧化层钝化接触;N型电池|TOPCon;tunnel-oxide passivated contact",
                "异质结;HJT;非晶硅钝化|heterojunction;HJT",
                "光电转换效率;转换效率;组件效率|power conversion efficiency;module efficiency",
                "组件封装;封装可靠性;户外实证|module encapsulation;outdoor reliability",
            ),
            applications=terms(
                "分布式屋顶光伏|rooftop PV",
                "光伏建筑一体化|building-integrated PV",
                "大型地面电站|utility-scale plants",
                "柔性可穿戴电源|flexible wearable power",
            ),
            metrics=terms(
                "实验室电池效率超过26%|lab cell efficiency above 26%",
                "组件通过IEC 61215认证|IEC 61215 certification",
                "1000小时双85老化衰减小于5%|less than 5% loss after 1,000 h damp heat",
                "银浆耗量降低30%|silver paste use down 30%",
            ),
            methods=terms(
                "薄膜沉积与涂布工艺|thin-film deposition and coating",
                "钝化与金属化工艺|passivation and metallisation",
                "组件可靠性评价|module reliability testing",
            ),
            problems=terms(
                "钙钛矿组件长期稳定性不足|perovskite modules are not yet stable enough",
                "大面积涂布均匀性差，效率损失大|large-area coating is uneven and loses efficiency",
                "银浆成本占比过高|silver paste is too large a share of cost",
            ),
            equipment=terms(
                "太阳光模拟器IV测试系统|solar simulator with IV tester",
                "狭缝涂布机|slot-die coater",
                "原子层沉积设备|atomic layer deposition system",
            ),
            gb=("3825", "4416"),
            sei=("6.3",),
        ),
        Topic(
            key="hydrogen",
            name=term("氢能与燃料电池;电解水制氢;燃料电池系统|hydrogen and fuel cells"),
            concepts=terms(
                "质子交换膜燃料电池;PEMFC;燃料电池电堆|PEM fuel cell;fuel cell stack",
                "电解水制氢;PEM电解槽;碱性电解槽|water electrolysis;PEM electrolyser",
                "铂载量;低铂催化剂;催化剂载量|platinum loading;low-Pt catalyst",
                "膜电极;MEA;膜电极组件|membrane electrode assembly;MEA",
                "高压储氢;储氢瓶;IV型瓶|high-pressure hydrogen storage;type IV tank",
                "绿氢;可再生能源制氢;风光制氢|green hydrogen;renewable hydrogen",
            ),
            applications=terms(
                "氢燃料电池重卡|fuel-cell heavy trucks",
                "化工绿氢替代|green hydrogen for chemicals",
                "分布式热电联供|distributed CHP",
                "港口机械|port machinery",
            ),
            metrics=terms(
                "铂载量低于0.2 mg/cm²|Pt loading below 0.2 mg/cm²",
                "电堆寿命超过20000小时|stack life above 20,000 hours",
                "电解能耗低于4.2 kWh/Nm³|electrolysis energy below 4.2 kWh/Nm³",
                "功率密度不低于4 kW/L|power density of at least 4 kW/L",
            ),
            methods=terms(
                "催化剂与膜电极制备|catalyst and MEA fabrication",
                "电堆设计与测试|stack design and testing",
                "系统控制策略|system control strategy",
            ),
            problems=terms(
                "膜电极和质子膜依赖进口|MEAs and membranes are imported",
                "电解槽在波动电源下效率衰减快|electrolysers degrade under fluctuating power",
                "燃料电池系统成本难以下降|fuel cell system cost will not come down",
            ),
            equipment=terms(
                "燃料电池测试台|fuel cell test station",
                "电解槽性能测试平台|electrolyser test platform",
                "超声喷涂机|ultrasonic spray coater",
            ),
            gb=("3849", "4419"),
            sei=("6.4", "5.2"),
        ),
    ),
)

MANUFACTURING = Domain(
    key="manufacturing",
    name=term("智能制造装备|Intelligent manufacturing"),
    gb=("3491", "4011"),
    sei=("2.1",),
    company_suffixes=terms(
        "智能装备有限公司|Intelligent Equipment Co., Ltd.",
        "机器人有限公司|Robotics Co., Ltd.",
        "精密机械有限公司|Precision Machinery Co., Ltd.",
        "自动化科技有限公司|Automation Technology Co., Ltd.",
    ),
    institute_stems=terms("智能制造研究院|Intelligent Manufacturing Institute", "先进制造技术研究院|Advanced Manufacturing Technology Institute"),
    city_weights=(("苏州", 22), ("上海", 18), ("常州", 16), ("无锡", 12), ("南京", 10), ("镇江", 8), ("扬州", 6), ("南通", 4), ("嘉兴", 2), ("湖州", 2)),
    topics=(
        Topic(
            key="robot",
            name=term("工业机器人;协作机器人与核心部件;机器人关键零部件|industrial robots and core components"),
            concepts=terms(
                "协作机器人;cobot;人机协作机器人|collaborative robot;cobot",
                "精密减速器;RV减速器;谐波减速器|precision reducer;RV reducer;harmonic drive",
                "伺服驱动;伺服电机;运动控制|servo drive;motion control",
                "力控;六维力传感器;柔顺控制|force control;six-axis force sensor",
                "视觉引导;手眼标定;视觉定位|vision guidance;hand-eye calibration",
                "重复定位精度;定位精度;轨迹精度|repeatability;path accuracy",
            ),
            applications=terms(
                "汽车焊装线|car body welding lines",
                "3C精密装配|electronics assembly",
                "医药无菌搬运|aseptic pharma handling",
                "物流分拣|logistics sorting",
            ),
            metrics=terms(
                "重复定位精度优于±0.02 mm|repeatability better than ±0.02 mm",
                "减速器传动误差小于1弧分|transmission error below 1 arcmin",
                "平均无故障时间超过50000小时|MTBF above 50,000 hours",
                "负载自重比不低于1:3|payload-to-weight ratio of at least 1:3",
            ),
            methods=terms(
                "机器人动力学建模与控制|robot dynamics and control",
                "精密齿轮加工与检测|precision gear machining and measurement",
                "机器人可靠性试验|robot reliability testing",
            ),
            problems=terms(
                "国产减速器寿命与精度保持性不足|domestic reducers lose accuracy too soon",
                "人工装配节拍跟不上订单增长|manual assembly cannot keep pace with orders",
                "柔性装配工位对力控要求高|compliant assembly needs fine force control",
            ),
            equipment=terms(
                "减速器综合性能试验台|reducer performance test bench",
                "激光跟踪仪|laser tracker",
                "机器人可靠性加速试验平台|robot accelerated reliability rig",
            ),
            gb=("3491", "3425"),
            sei=("2.1",),
        ),
        Topic(
            key="am",
            name=term("增材制造;金属3D打印;激光增材制造|additive manufacturing"),
            concepts=terms(
                "激光选区熔化;SLM;金属3D打印|selective laser melting;SLM;metal 3D printing",
                "球形金属粉末;金属粉末;雾化制粉|spherical metal powder;atomised powder",
                "拓扑优化;轻量化设计;点阵结构|topology optimisation;lattice structures",
                "热等静压;后处理;HIP|hot isostatic pressing;post-processing",
                "致密度;内部缺陷;孔隙率|relative density;porosity",
                "随形冷却模具;随形水路;模具快速冷却|conformal cooling moulds",
            ),
            applications=terms(
                "航空发动机零件|aero-engine parts",
                "注塑模具镶件|injection mould inserts",
                "骨科植入物|orthopaedic implants",
                "液压阀块|hydraulic manifolds",
            ),
            metrics=terms(
                "致密度不低于99.9%|relative density of at least 99.9%",
                "成形效率提升2倍|build rate doubled",
                "注塑周期缩短25%|moulding cycle 25% shorter",
                "零件减重30%|part weight down 30%",
            ),
            methods=terms(
                "打印工艺参数开发|process parameter development",
                "增材结构设计|design for additive manufacturing",
                "组织性能评价|microstructure and property evaluation",
            ),
            problems=terms(
                "复杂模具冷却不均导致翘曲|uneven mould cooling warps parts",
                "打印件疲劳性能不稳定|fatigue life of printed parts scatters",
                "进口粉末价格高、供货慢|imported powder is expensive and slow",
            ),
            equipment=terms(
                "多激光金属3D打印机|multi-laser metal printer",
                "热等静压机|hot isostatic press",
                "工业CT|industrial CT",
            ),
            gb=("3493", "7517"),
            sei=("2.1",),
        ),
        Topic(
            key="cnc",
            name=term("高档数控与工业软件;数控机床与工业互联网;智能产线|high-end CNC and industrial software"),
            concepts=terms(
                "五轴联动数控机床;五轴机床;五轴加工中心|five-axis CNC machine;five-axis machining centre",
                "数控系统;CNC系统;开放式数控|CNC controller;open CNC",
                "CAE仿真;工业软件;CAD/CAM|CAE simulation;industrial software;CAD/CAM",
                "工业互联网平台;设备联网;数据采集|industrial internet platform;machine connectivity",
                "制造执行系统;MES;生产管理系统|manufacturing execution system;MES",
                "热误差补偿;精度补偿;误差建模|thermal error compensation;accuracy compensation",
            ),
            applications=terms(
                "叶轮叶片加工|impeller and blade machining",
                "新能源汽车壳体加工|EV housing machining",
                "离散制造车间数字化|digital job shops",
                "模具制造|mould making",
            ),
            metrics=terms(
                "定位精度达到3 μm|positioning accuracy of 3 μm",
                "设备综合效率提升15%|OEE up 15%",
                "设备联网率达到95%|95% of machines connected",
                "仿真与试验误差小于5%|simulation within 5% of tests",
            ),
            methods=terms(
                "数控系统软件开发|CNC software development",
                "多体动力学与有限元分析|multibody and finite-element analysis",
                "工厂数字化规划|digital factory planning",
            ),
            problems=terms(
                "高端数控系统依赖进口|high-end CNC controllers are imported",
                "车间设备协议杂乱，数据采不上来|machines speak different protocols and data cannot be collected",
                "加工精度受温度影响大|machining accuracy drifts with temperature",
            ),
            equipment=terms(
                "五轴联动加工中心|five-axis machining centre",
                "三坐标测量机|coordinate measuring machine",
                "球杆仪|ballbar",
            ),
            gb=("3421", "6513"),
            sei=("2.1", "1.3"),
        ),
        Topic(
            key="inspection",
            name=term("智能检测与无损评价;在线测量;工业检测装备|intelligent inspection and NDT"),
            concepts=terms(
                "在线测量;在线检测;在机测量|in-line measurement;on-machine measurement",
                "无损检测;超声检测;相控阵超声|non-destructive testing;phased-array ultrasound",
                "X射线检测;工业CT;射线成像|X-ray inspection;industrial CT",
                "激光测量;激光三角测距;光谱共焦|laser measurement;confocal sensing",
                "焊缝质量;焊接缺陷;焊缝跟踪|weld quality;weld seam tracking",
                "测量不确定度;计量溯源;校准|measurement uncertainty;calibration",
            ),
            applications=terms(
                "动力电池焊接质检|battery weld inspection",
                "压力容器检验|pressure vessel inspection",
                "风电叶片检测|wind blade inspection",
                "精密零件尺寸测量|precision part metrology",
            ),
            metrics=terms(
                "检测速度满足每分钟60件|60 parts per minute",
                "测量重复性优于1 μm|repeatability better than 1 μm",
                "缺陷检出率不低于99.5%|detection rate of at least 99.5%",
                "检测报告自动生成|automatic inspection reports",
            ),
            methods=terms(
                "检测方案设计与验证|inspection method design and validation",
                "成像重建算法|image reconstruction",
                "计量校准服务|calibration services",
            ),
            problems=terms(
                "离线抽检发现问题滞后|offline sampling finds problems too late",
                "焊缝内部缺陷难以在线识别|internal weld defects cannot be seen in line",
                "检测数据与生产数据未打通|inspection and production data are not linked",
            ),
            equipment=terms(
                "相控阵超声检测仪|phased-array ultrasonic flaw detector",
                "微焦点X射线检测系统|micro-focus X-ray system",
                "光谱共焦测量系统|chromatic confocal sensor",
            ),
            gb=("4014", "4028"),
            sei=("2.1",),
        ),
    ),
)

NEV = Domain(
    key="nev",
    name=term("新能源汽车|New-energy vehicles"),
    gb=("3612", "3670"),
    sei=("5.1", "5.2"),
    company_suffixes=terms(
        "汽车科技有限公司|Automotive Technology Co., Ltd.",
        "汽车零部件有限公司|Auto Parts Co., Ltd.",
        "电驱动技术有限公司|E-Drive Technology Co., Ltd.",
        "智能驾驶科技有限公司|Autonomous Driving Technology Co., Ltd.",
    ),
    institute_stems=terms("汽车工程研究院|Automotive Engineering Institute", "智能网联汽车研究院|Intelligent Connected Vehicle Institute"),
    city_weights=(("上海", 24), ("常州", 16), ("苏州", 12), ("南京", 10), ("扬州", 10), ("无锡", 8), ("镇江", 5), ("南通", 4), ("合肥", 8), ("盐城", 3)),
    topics=(
        Topic(
            key="edrive",
            name=term("电驱动系统;电驱动总成;电机与电控|electric drive systems"),
            concepts=terms(
                "扁线电机;发夹式绕组电机;Hairpin电机|hairpin motor;flat-wire motor",
                "碳化硅功率模块;SiC模块;碳化硅MOSFET|SiC power module;SiC MOSFET",
                "多合一电驱;电驱动总成;集成式电驱|integrated e-drive;multi-in-one drive",
                "电机控制器;逆变器;电控|motor controller;inverter",
                "NVH;噪声振动;啸叫抑制|NVH;noise and vibration",
                "油冷散热;油冷电机;热管理|oil cooling;thermal management",
            ),
            applications=terms(
                "纯电乘用车|battery electric cars",
                "插电混动车型|plug-in hybrids",
                "电动物流车|electric delivery vans",
                "电动重卡|electric heavy trucks",
            ),
            metrics=terms(
                "电驱系统最高效率不低于97%|peak drive efficiency of at least 97%",
                "功率密度不低于5 kW/kg|power density of at least 5 kW/kg",
                "啸叫噪声降低6 dB(A)|whine down 6 dB(A)",
                "CLTC工况效率提升2%|CLTC efficiency up 2%",
            ),
            methods=terms(
                "电磁设计与多目标优化|electromagnetic design and optimisation",
                "功率模块封装|power module packaging",
                "台架标定与测试|bench calibration and testing",
            ),
            problems=terms(
                "高速电机啸叫问题影响整车口碑|high-speed motor whine hurts the car's reputation",
                "碳化硅模块依赖进口、成本高|SiC modules are imported and costly",
                "电驱总成体积大，布置困难|the drive unit is too big to package",
            ),
            equipment=terms(
                "电驱动总成测功机台架|e-drive dynamometer",
                "半消声室|semi-anechoic chamber",
                "功率循环试验机|power cycling tester",
            ),
            gb=("3670", "3812"),
            sei=("5.2",),
        ),
        Topic(
            key="adas",
            name=term("智能驾驶与车载感知;智能网联;自动驾驶系统|intelligent driving and sensing"),
            concepts=terms(
                "激光雷达;LiDAR;固态激光雷达|lidar;solid-state lidar",
                "4D毫米波雷达;毫米波雷达;成像雷达|4D imaging radar;millimetre-wave radar",
                "多传感器融合;感知融合;BEV感知|multi-sensor fusion;BEV perception",
                "智驾域控制器;域控制器;中央计算平台|ADAS domain controller;central compute",
                "高精定位;组合导航;高精地图|high-precision positioning;HD map",
                "功能安全;ISO 26262;预期功能安全|functional safety;ISO 26262;SOTIF",
            ),
            applications=terms(
                "城市领航辅助|urban navigation assist",
                "自动泊车|automated parking",
                "港口无人集卡|autonomous port trucks",
                "干线物流|highway freight",
            ),
            metrics=terms(
                "探测距离达到200米@10%反射率|200 m range at 10% reflectivity",
                "感知延迟低于100 ms|perception latency under 100 ms",
                "达到ASIL-D功能安全等级|ASIL-D",
                "定位误差小于10 cm|localisation error under 10 cm",
            ),
            methods=terms(
                "感知算法研发|perception algorithm development",
                "传感器标定与仿真测试|sensor calibration and simulation testing",
                "功能安全流程咨询|functional safety consulting",
            ),
            problems=terms(
                "雨雾天气感知性能下降明显|perception degrades in rain and fog",
                "传感器成本过高难以前装量产|sensors cost too much for series production",
                "缺少功能安全开发经验|we lack functional safety experience",
            ),
            equipment=terms(
                "暗室雷达目标模拟器|radar target simulator in an anechoic chamber",
                "硬件在环仿真平台|hardware-in-the-loop rig",
                "智能网联封闭测试场|closed connected-vehicle test track",
            ),
            gb=("3962", "3670"),
            sei=("5.2", "1.5"),
        ),
        Topic(
            key="lightweight",
            name=term("车身轻量化与热管理;一体化压铸;整车热管理|lightweight bodies and thermal management"),
            concepts=terms(
                "一体化压铸;超大型压铸;一体压铸车身|giga-casting;integrated die casting",
                "免热处理铝合金;压铸铝合金;高强韧铝合金|heat-treatment-free aluminium alloy;die-cast alloy",
                "热泵空调;整车热管理;二氧化碳热泵|heat pump;vehicle thermal management;CO2 heat pump",
                "电池车身一体化;CTB;CTC|cell-to-body;cell-to-chassis",
                "碳纤维复合材料;CFRP;复合材料车身件|carbon-fibre composites;CFRP",
                "连接工艺;自冲铆接;结构胶粘接|joining;self-piercing riveting;structural bonding",
            ),
            applications=terms(
                "后地板总成|rear underbody",
                "电池包壳体|battery pack enclosures",
                "冬季续航提升|winter range",
                "轻量化底盘件|lightweight chassis parts",
            ),
            metrics=terms(
                "屈服强度不低于130 MPa且延伸率不低于10%|yield strength of 130 MPa with 10% elongation",
                "零件数量减少70%|70% fewer parts",
                "−10℃续航提升15%|15% more range at −10 °C",
                "白车身减重10%|body-in-white 10% lighter",
            ),
            methods=terms(
                "合金成分设计|alloy design",
                "压铸模流仿真|die-casting flow simulation",
                "热管理系统仿真|thermal system simulation",
            ),
            problems=terms(
                "大型压铸件易产生气孔和变形|large castings suffer porosity and distortion",
                "冬季续航衰减严重|winter range drops sharply",
                "多材料车身连接可靠性不足|mixed-material joints are not reliable enough",
            ),
            equipment=terms(
                "大吨位压铸试验单元|large die-casting trial cell",
                "整车环境舱|climatic vehicle chamber",
                "疲劳试验机|fatigue testing machine",
            ),
            gb=("3670", "3660"),
            sei=("5.2", "3.2"),
        ),
        Topic(
            key="charging",
            name=term("充换电与车网互动;超充与换电;V2G|charging, swapping and vehicle–grid interaction"),
            concepts=terms(
                "大功率超充;超充;液冷超充|high-power charging;liquid-cooled charging",
                "换电站;换电;标准化电池包|battery swapping;swap station",
                "车网互动;V2G;有序充电|vehicle-to-grid;V2G;managed charging",
                "充电模块;功率模块;双向DC/DC|charging module;bidirectional DC/DC",
                "充电安全;绝缘监测;故障保护|charging safety;insulation monitoring",
                "充电运营平台;运营平台;负荷聚合|charging operations platform;load aggregation",
            ),
            applications=terms(
                "高速服务区|highway service areas",
                "出租网约车|taxis and ride-hailing",
                "园区微电网|campus microgrids",
                "居民小区充电|residential charging",
            ),
            metrics=terms(
                "单枪功率达到600 kW|600 kW per connector",
                "换电时间小于3分钟|swap under 3 minutes",
                "模块效率不低于96%|module efficiency of at least 96%",
                "削峰负荷10 MW|10 MW peak shaving",
            ),
            methods=terms(
                "电力电子拓扑设计|power electronics topology design",
                "充电协议一致性测试|charging protocol conformance testing",
                "负荷预测与调度|load forecasting and dispatch",
            ),
            problems=terms(
                "充电桩利用率低、运营亏损|chargers are under-used and lose money",
                "配电容量不足限制超充建设|grid capacity limits fast-charger roll-out",
                "不同品牌车辆兼容性问题多|vehicles of different brands are often incompatible",
            ),
            equipment=terms(
                "充电协议一致性测试系统|charging conformance test system",
                "双向电源模拟器|bidirectional power emulator",
                "电网模拟器|grid simulator",
            ),
            gb=("3824", "3899"),
            sei=("5.3", "6.5"),
        ),
    ),
)

ENVIRONMENT = Domain(
    key="environment",
    name=term("节能环保|Energy saving and environmental protection"),
    gb=("3591", "7721"),
    sei=("7.2",),
    company_suffixes=terms(
        "环保科技有限公司|Environmental Technology Co., Ltd.",
        "环境工程有限公司|Environmental Engineering Co., Ltd.",
        "节能科技有限公司|Energy Saving Technology Co., Ltd.",
        "资源再生科技有限公司|Resource Recycling Technology Co., Ltd.",
    ),
    institute_stems=terms("环境科学技术研究院|Institute of Environmental Science and Technology", "绿色低碳技术研究院|Green Low-Carbon Technology Institute"),
    city_weights=(("南京", 16), ("上海", 16), ("苏州", 14), ("无锡", 12), ("常州", 10), ("镇江", 8), ("扬州", 8), ("南通", 8), ("泰州", 3), ("湖州", 3)),
    topics=(
        Topic(
            key="wastewater",
            name=term("工业废水处理与零排放;高盐废水资源化;水处理|industrial wastewater treatment and zero discharge"),
            concepts=terms(
                "高盐废水;含盐废水;浓盐水|high-salinity wastewater;brine",
                "零排放;ZLD;近零排放|zero liquid discharge;ZLD",
                "膜分离;反渗透;纳滤分盐|membrane separation;reverse osmosis;nanofiltration",
                "高级氧化;臭氧催化氧化;芬顿氧化|advanced oxidation;catalytic ozonation;Fenton",
                "MVR蒸发;机械蒸汽再压缩;蒸发结晶|MVR evaporation;evaporative crystallisation",
                "化学需氧量;COD;难降解有机物|chemical oxygen demand;COD;refractory organics",
            ),
            applications=terms(
                "化工园区污水厂|chemical park wastewater plants",
                "印染废水|textile dyeing effluent",
                "制药废水|pharmaceutical wastewater",
                "电镀废水|electroplating effluent",
            ),
            metrics=terms(
                "出水COD低于50 mg/L|effluent COD below 50 mg/L",
                "杂盐产出减少80%|mixed salt down 80%",
                "吨水处理成本降低30%|treatment cost per tonne down 30%",
                "回用率不低于90%|reuse of at least 90%",
            ),
            methods=terms(
                "水质分析与工艺包设计|water analysis and process design",
                "催化材料制备|catalyst preparation",
                "中试验证与工程放大|pilot validation and scale-up",
            ),
            problems=terms(
                "园区排放标准提高，现有工艺难以稳定达标|stricter park limits cannot be met reliably",
                "蒸发结晶产生大量危废杂盐|evaporation yields hazardous mixed salt",
                "生化系统受冲击后恢复慢|the biological stage recovers slowly from shocks",
            ),
            equipment=terms(
                "总有机碳分析仪|TOC analyser",
                "膜法水处理中试装置|membrane treatment pilot unit",
                "臭氧催化氧化中试撬|catalytic ozonation pilot skid",
            ),
            gb=("7721", "4620"),
            sei=("7.2",),
        ),
        Topic(
            key="airco2",
            name=term("VOCs治理与碳捕集;大气污染治理;CCUS|VOC abatement and carbon capture"),
            concepts=terms(
                "挥发性有机物;VOCs;有机废气|volatile organic compounds;VOCs",
                "蓄热式焚烧;RTO;蓄热氧化|regenerative thermal oxidiser;RTO",
                "沸石转轮;吸附浓缩;活性炭吸附|zeolite rotor concentrator;adsorption",
                "碳捕集;CO2捕集;二氧化碳捕集利用|carbon capture;CO2 capture and utilisation",
                "催化燃烧;低温催化氧化;贵金属催化剂|catalytic combustion;low-temperature catalytic oxidation",
                "烟气脱硝;SCR;低温脱硝|flue-gas denitrification;SCR",
            ),
            applications=terms(
                "涂装车间废气|paint shop exhaust",
                "石化储罐呼吸气|tank breathing losses",
                "燃煤电厂烟气|coal power flue gas",
                "锂电涂布NMP回收|NMP recovery in battery coating",
            ),
            metrics=terms(
                "VOCs去除率不低于98%|VOC removal of at least 98%",
                "捕集能耗低于2.4 GJ/t CO2|capture energy below 2.4 GJ/t CO2",
                "NOx排放低于30 mg/m³|NOx below 30 mg/m³",
                "运行费用降低25%|operating cost down 25%",
            ),
            methods=terms(
                "吸附与催化材料开发|adsorbent and catalyst development",
                "工艺系统设计|process system design",
                "排放监测与评估|emission monitoring",
            ),
            problems=terms(
                "低浓度大风量废气治理成本高|dilute high-volume exhaust is costly to treat",
                "碳排放配额收紧，需要可行的减碳路线|carbon allowances are tightening and we need a route to cut emissions",
                "活性炭频繁更换产生危废|frequent carbon change-outs create hazardous waste",
            ),
            equipment=terms(
                "在线气相色谱VOCs监测仪|on-line GC VOC monitor",
                "碳捕集吸收-解吸中试装置|absorption–desorption capture pilot",
                "催化剂评价装置|catalyst test rig",
            ),
            gb=("7722", "3591"),
            sei=("7.2",),
        ),
        Topic(
            key="recycling",
            name=term("资源循环利用;动力电池回收;固废资源化|resource recycling"),
            concepts=terms(
                "动力电池回收;退役电池回收;废旧锂电池|end-of-life battery recycling;spent lithium batteries",
                "湿法冶金;浸出提取;萃取分离|hydrometallurgy;leaching;solvent extraction",
                "梯次利用;电池余能检测;二次利用|second-life use;residual capacity testing",
                "固废资源化;工业固废综合利用;危废处置|solid-waste valorisation;hazardous waste treatment",
                "物理再生;再生塑料;高值化再生|mechanical recycling;recycled plastics",
                "直接再生;正极修复;短流程回收|direct recycling;cathode regeneration",
            ),
            applications=terms(
                "锂电池材料厂|battery material plants",
                "汽车拆解企业|vehicle dismantlers",
                "冶炼渣综合利用|smelting slag reuse",
                "家电回收|appliance recycling",
            ),
            metrics=terms(
                "锂回收率不低于90%|lithium recovery of at least 90%",
                "镍钴锰回收率不低于98%|nickel, cobalt and manganese recovery of at least 98%",
                "余能检测时间小于10分钟|residual capacity test under 10 minutes",
                "再生料性能达到原生料95%|recycled grade reaches 95% of virgin",
            ),
            methods=terms(
                "拆解与破碎分选|dismantling, crushing and sorting",
                "浸出与萃取工艺|leaching and extraction",
                "电池健康状态评估|battery state-of-health assessment",
            ),
            problems=terms(
                "退役电池型号杂、拆解自动化程度低|retired packs vary widely and are dismantled by hand",
                "湿法回收废水量大、药剂消耗高|hydrometallurgy uses much water and reagent",
                "再生料品质不稳定，下游不敢用|recycled material quality varies and users hesitate",
            ),
            equipment=terms(
                "电池自动拆解线|automatic pack dismantling line",
                "湿法回收中试线|hydrometallurgical pilot line",
                "X射线荧光光谱仪|XRF spectrometer",
            ),
            gb=("4210", "7723"),
            sei=("7.3",),
        ),
        Topic(
            key="efficiency",
            name=term("工业节能与碳管理;余热利用与能效提升;能碳管理|industrial energy efficiency and carbon management"),
            concepts=terms(
                "余热回收;余热利用;低温余热发电|waste-heat recovery;low-grade heat power",
                "高效电机;永磁同步电机;电机系统节能|high-efficiency motors;permanent-magnet motors",
                "能源管理系统;EMS;能碳管理平台|energy management system;EMS",
                "产品碳足迹;碳足迹核算;生命周期评价|product carbon footprint;life-cycle assessment",
                "空压系统节能;压缩空气系统;空压站|compressed-air savings;compressor station",
                "热泵;工业热泵;蒸汽热泵|industrial heat pump;steam heat pump",
            ),
            applications=terms(
                "化纤企业|synthetic fibre plants",
                "数据中心|data centres",
                "出口欧盟产品|products exported to the EU",
                "工业园区|industrial parks",
            ),
            metrics=terms(
                "综合能耗降低12%|energy use down 12%",
                "投资回收期少于3年|payback under 3 years",
                "碳足迹核算符合ISO 14067|carbon footprint to ISO 14067",
                "余热回收效率不低于70%|heat recovery of at least 70%",
            ),
            methods=terms(
                "能源审计与诊断|energy audits",
                "节能改造方案设计|retrofit design",
                "碳核算与认证咨询|carbon accounting and certification",
            ),
            problems=terms(
                "欧盟碳边境调节机制要求提供产品碳足迹|the EU CBAM requires product carbon footprints",
                "大量低温余热直接排放|much low-grade heat is vented",
                "能耗数据分散，无法精细管理|energy data are scattered and cannot be managed",
            ),
            equipment=terms(
                "便携式能效测试仪|portable energy efficiency tester",
                "热泵性能试验台|heat pump test bench",
                "红外热像仪|infrared camera",
            ),
            gb=("7514", "3591"),
            sei=("7.1",),
        ),
    ),
)

DOMAINS: tuple[Domain, ...] = (POLYOLEFIN, CHIPLET, BIOMED, AI, BATTERY, MANUFACTURING, NEV, ENVIRONMENT)

# How much of the demo region each industry takes (resources, demands and cooperation alike).
DOMAIN_WEIGHTS: dict[str, int] = {
    "polyolefin": 16,
    "chiplet": 15,
    "biomed": 14,
    "ai": 13,
    "battery": 13,
    "manufacturing": 11,
    "nev": 10,
    "environment": 8,
}

SEED_GB_CODES: tuple[str, ...] = tuple(sorted({c for d in DOMAINS for c in (*d.gb, *(c for t in d.topics for c in t.gb))}))
SEED_SEI_CODES: tuple[str, ...] = tuple(sorted({c for d in DOMAINS for c in (*d.sei, *(c for t in d.topics for c in t.sei))}))
