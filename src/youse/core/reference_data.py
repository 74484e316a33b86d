"""The reference data every installation starts with, loaded by data migrations and then kept in the
database, where the department edits it in the admin. Each row names its source; `verified` says
whether it was read in that source (FACTS.md [checked]) or still awaits the department's confirmation.

This module is read only by migrations: code never consults these lists at run time."""

FACTS = "shared/reference/FACTS.md"
POLICY = "陕西省人民政府关于有色金属工业调结构促转型增效益的实施意见 (国办发〔2016〕42号的实施意见)"
GBT2260 = "GB/T 2260 行政区划代码 (民政部 2020 年县以上行政区划代码表)"
CODE_TABLE_DATE = "2020-12-31"

# (code, name, name_en, level, parent code, note)
DIVISIONS = [
    ("610000", "陕西省", "Shaanxi Province", "province", None, ""),
    ("610100", "西安市", "Xi'an", "city", "610000", ""),
    ("610200", "铜川市", "Tongchuan", "city", "610000", ""),
    ("610300", "宝鸡市", "Baoji", "city", "610000", ""),
    ("610400", "咸阳市", "Xianyang", "city", "610000", ""),
    ("610500", "渭南市", "Weinan", "city", "610000", ""),
    ("610600", "延安市", "Yan'an", "city", "610000", ""),
    ("610700", "汉中市", "Hanzhong", "city", "610000", ""),
    ("610800", "榆林市", "Yulin", "city", "610000", ""),
    ("610900", "安康市", "Ankang", "city", "610000", ""),
    ("611000", "商洛市", "Shangluo", "city", "610000", ""),
    ("610822", "府谷县", "Fugu County", "county", "610800", ""),
    ("610881", "神木市", "Shenmu", "county", "610800", ""),
    ("610503", "华州区", "Huazhou District", "county", "610500", ""),
    ("610581", "韩城市", "Hancheng", "county", "610500", ""),
    ("610330", "凤县", "Feng County", "county", "610300", ""),
    ("610725", "勉县", "Mian County", "county", "610700", ""),
    ("611024", "山阳县", "Shanyang County", "county", "611000", ""),
    ("611021", "洛南县", "Luonan County", "county", "611000", ""),
]
# Zones with a city-level scope of their own. 杨凌 lies in 610403 杨陵区; 西咸新区 has no code.
ZONES = [
    ("yangling", "杨凌示范区", "Yangling Demonstration Zone", "610403 杨陵区 (咸阳市)"),
    ("xixian", "西咸新区", "Xixian New Area", "西安市 / 咸阳市"),
]

# (code, name, name_en, symbol, named in the policy, colour)
METALS = [
    ("Ti", "钛", "Titanium", "Ti", True, "#5b7c99"),
    ("Mo", "钼", "Molybdenum", "Mo", True, "#8e6c8a"),
    ("Al", "铝", "Aluminium", "Al", True, "#2f7ed8"),
    ("Mg", "镁", "Magnesium", "Mg", True, "#3fa66b"),
    ("V", "钒", "Vanadium", "V", True, "#d9822b"),
    ("Pb", "铅", "Lead", "Pb", True, "#6d6d6d"),
    ("Zn", "锌", "Zinc", "Zn", True, "#9c9c3a"),
    ("Cu", "铜", "Copper", "Cu", False, "#b8733d"),
    ("other", "其他", "Other", "", False, "#a0a0a0"),
]

# (code, name, name_en, deep processing, recycling)
STAGES = [
    ("mining", "采选", "Mining and beneficiation", False, False),
    ("smelting", "冶炼", "Smelting", False, False),
    ("processing", "加工", "Processing", False, False),
    ("deep_processing", "精深加工", "Deep processing", True, False),
    ("recycling", "再生利用", "Recycling", False, True),
]

# (code, unit name, short, English, kind)
UNITS = [
    ("gxt", "省工业和信息化厅", "工信厅", "Department of Industry and Information Technology", "provincial"),
    ("fgw", "省发展改革委", "发改委", "Development and Reform Commission", "provincial"),
    ("kjt", "省科技厅", "科技厅", "Department of Science and Technology", "provincial"),
    ("zjj", "省质监局", "质监局", "Bureau of Quality and Technical Supervision", "provincial"),
    ("swt", "省商务厅", "商务厅", "Department of Commerce", "provincial"),
    ("hbt", "省环境保护厅", "环保厅", "Department of Environmental Protection", "provincial"),
    ("wsb", "省外事办", "外事办", "Foreign Affairs Office", "provincial"),
    ("gzw", "省国资委", "国资委", "State-owned Assets Supervision and Administration Commission", "provincial"),
    ("gsl", "省工商联", "工商联", "Federation of Industry and Commerce", "provincial"),
    ("gtt", "省国土资源厅", "国土资源厅", "Department of Land and Resources", "provincial"),
    ("ajj", "省安全监管局", "安全监管局", "Work Safety Administration", "provincial"),
    ("dlgs", "省电力公司", "省电力公司", "State Grid Shaanxi Electric Power Company", "company"),
    ("czt", "省财政厅", "财政厅", "Department of Finance", "provincial"),
    ("gsj", "省国税局", "国税局", "State Tax Bureau (national taxes)", "central_branch"),
    ("dsj", "省地税局", "地税局", "Local Tax Bureau", "provincial"),
    ("xahg", "西安海关", "西安海关", "Xi'an Customs", "central_branch"),
    ("jrb", "省金融办", "金融办", "Financial Affairs Office", "provincial"),
    ("rmyh", "人民银行西安分行", "人民银行西安分行", "People's Bank of China Xi'an Branch", "central_branch"),
    ("yjj", "陕西银监局", "银监局", "Shaanxi Banking Regulatory Bureau", "central_branch"),
    ("zhjj", "陕西证监局", "证监局", "Shaanxi Securities Regulatory Bureau", "central_branch"),
    ("bjj", "陕西保监局", "保监局", "Shaanxi Insurance Regulatory Bureau", "central_branch"),
    ("jkjt", "陕西金控集团", "金控集团", "Shaanxi Financial Holding Group", "company"),
    ("rst", "省人力资源社会保障厅", "人社厅", "Department of Human Resources and Social Security", "provincial"),
    ("mzt", "省民政厅", "民政厅", "Department of Civil Affairs", "provincial"),
    ("cities", "各市政府", "各市政府", "City governments", "cities"),
]

# (number, title, English title, module, what it requires, what the platform does, units lead first)
CLAUSES = [
    (
        "一(二)",
        "发展目标",
        "Development targets",
        "stats",
        "2020年：有色金属工业增加值1000亿元；主营业务收入进入全国前10名；精深加工占比突破50%；电解铝产能利用率保持在80%以上；"
        "生产规模年均增速8%以上；钛、钼、铝镁、钒等领域突破关键核心技术；打造产业联盟；重大国际产能合作项目取得实质性进展",
        "按任意期间和范围（全省、市、基地、品种）由企业数据计算各量化目标，显示进度与趋势，偏离时提前预警；定性目标作为里程碑跟踪",
        [],
    ),
    (
        "二(一)",
        "加强技术创新",
        "Technological innovation",
        "supervision",
        "关键工艺流程数控化，智能制造示范工厂，研发与技改投入，产学研协同，“机器换人”",
        "带可量化里程碑的督办任务；示范项目登记",
        ["gxt", "fgw", "kjt"],
    ),
    (
        "二(二)",
        "扩大市场应用",
        "Wider market application",
        "supervision",
        "航空航天、汽车、轨道交通、电子等领域应用；上下游协作",
        "督办任务；企业的产品与应用领域标签",
        ["gxt", "fgw", "zjj", "swt"],
    ),
    (
        "二(三)",
        "发展精深加工",
        "Deep processing",
        "registry",
        "钛合金、钼产业链、铝合金、石墨烯铝基复合材料、镁合金、再生有色金属",
        "每个生产单元登记产业链环节，精深加工占比和再生比例由数据计算而非填报",
        ["gxt", "fgw", "kjt"],
    ),
    (
        "二(四)",
        "加快产业集聚",
        "Industrial clusters",
        "registry",
        "六大基地：宝鸡钛谷，铜川董家河与榆林新材料（铝镁），渭南钼与西安钼，商洛钒",
        "基地作为一级统计范围：各项指标、地图和列表均可按基地切分；基地集聚度",
        ["fgw", "gxt", "kjt", "cities"],
    ),
    (
        "二(五)",
        "促进绿色发展",
        "Green development",
        "monitoring",
        "清洁生产，削减重金属等污染物，粉煤灰、冶炼渣、尾矿综合利用",
        "污染物在线监控；月报中的资源综合利用数据",
        ["gxt", "hbt", "zjj", "fgw", "kjt"],
    ),
    (
        "二(六)",
        "加强国际产能合作",
        "International capacity cooperation",
        "portal",
        "境外矿山与产能项目（控股、参股、收购、股权置换），出口基地，风险防范",
        "境外项目登记：方式、国别、投资、状态与风险",
        ["fgw", "swt", "wsb", "gxt", "gzw", "gsl"],
    ),
    (
        "二(七)",
        "严控电解铝行业新增产能",
        "No new electrolytic aluminium capacity",
        "capacity",
        "严控新增产能；新（改、扩）建项目等量或减量置换并网上公示；查处违规，问责",
        "产能台账每吨只有一个归属、只能用一次；置换方案规则校验、公示、审批；拆除进度跟踪；无台账覆盖的运行产能视为违规",
        ["fgw", "gxt", "gtt", "hbt", "gzw", "cities"],
    ),
    (
        "二(八)",
        "加快退出过剩产能",
        "Exit of excess capacity",
        "enforcement",
        "调查环保、能耗、质量、安全、技术情况；完善在线监控；限期整改；未达要求的关停退出并网站公告",
        "五个维度的检查；限期整改与复查；关停决定；公告；HJ 212 在线监测超标告警进入执法流程",
        ["hbt", "fgw", "gxt", "zjj", "ajj", "gzw", "cities"],
    ),
    (
        "三(一)",
        "落实用电政策",
        "Electricity policy",
        "pricing",
        "继续实施差别电价；直接交易；电冶联营",
        "按实测电耗计算电解铝企业阶梯或差别加价；跟踪直接交易",
        ["fgw", "gxt", "dlgs"],
    ),
    (
        "三(二)",
        "降低企业成本",
        "Lower costs for enterprises",
        "supervision",
        "严格按照涉企收费清单收费",
        "仅作记录",
        ["fgw", "czt"],
    ),
    (
        "三(三)",
        "完善土地政策",
        "Land policy",
        "enforcement",
        "退出产能的划拨用地转让或收回；转产鼓励类服务业可5年内按原用途使用",
        "每项关停的土地处置记录及5年过渡期",
        ["gtt", "czt", "fgw", "cities"],
    ),
    (
        "三(四)",
        "加大资金支持力度",
        "Funding",
        "supervision",
        "省级专项资金支持绿色、智能、高端制造、品牌、公共服务平台",
        "资金支持项目登记",
        ["czt", "gsj", "dsj", "fgw", "gxt", "gtt", "swt", "kjt", "xahg"],
    ),
    (
        "三(五)",
        "加强金融扶持",
        "Financial support",
        "supervision",
        "支持符合规范条件、环保安全持续达标的骨干企业",
        "由登记、检查和监测数据推导符合条件的企业名单",
        ["gxt", "jrb", "rmyh", "yjj", "zhjj", "bjj", "fgw", "jkjt"],
    ),
    (
        "三(六)",
        "健全储备体系",
        "Reserves",
        "supervision",
        "政府储备与商业储备",
        "按品种、主体、类别和数量登记储备",
        ["gxt", "czt", "fgw", "yjj", "zhjj", "bjj", "jrb"],
    ),
    (
        "三(七)",
        "妥善安置职工",
        "Worker resettlement",
        "enforcement",
        "不得实施资金保障不到位、方案不完善以及未经职工代表大会讨论通过的职工安置方案",
        "关停在安置方案通过三项审查前不得进入执行",
        ["rst", "mzt", "gxt", "czt", "gzw", "fgw", "kjt", "cities"],
    ),
    (
        "三(八)",
        "加强行业自律",
        "Industry self-discipline",
        "portal",
        "及时发布行业产能监测预警信息",
        "由数据生成并在门户发布月度产能监测预警通报",
        ["gxt"],
    ),
    (
        "结语",
        "组织实施",
        "Implementation",
        "supervision",
        "各市制订具体方案，明确目标任务、时间表、路线图；发改委、工信厅统筹协调、督促检查、跟踪分析，重大问题报告省政府",
        "政策任务及牵头、配合单位；市级方案与里程碑；进度报告；逾期提示；向省政府的督查报告",
        ["fgw", "gxt", "cities"],
    ),
]

# (code, name, English, kind, comparator, value, unit, year, holds every year)
TARGETS = [
    ("value_added", "有色金属工业增加值", "Industry value added", "quantitative", "gte", "1000", "亿元", 2020, False),
    (
        "revenue_rank",
        "主营业务收入全国排名",
        "Main business revenue: national rank",
        "quantitative",
        "rank_lte",
        "10",
        "名",
        2020,
        False,
    ),
    ("deep_processing_share", "精深加工占比", "Deep-processing share", "quantitative", "gt", "50", "%", 2020, False),
    (
        "al_utilisation",
        "电解铝产能利用率",
        "Electrolytic aluminium capacity utilisation",
        "quantitative",
        "gte",
        "80",
        "%",
        None,
        True,
    ),
    (
        "production_growth",
        "生产规模年均增速",
        "Average annual growth of production",
        "quantitative",
        "gte",
        "8",
        "%",
        None,
        True,
    ),
    (
        "key_technologies",
        "钛、钼、铝镁、钒等领域突破关键核心技术并产业化",
        "Key technologies in Ti, Mo, Al-Mg, V",
        "qualitative",
        "",
        None,
        "",
        2020,
        False,
    ),
    (
        "alliances",
        "打造一批具有持续创新能力的产业联盟",
        "Industry innovation alliances",
        "qualitative",
        "",
        None,
        "",
        2020,
        False,
    ),
    (
        "applications",
        "扩大在航空航天、汽车、轨道交通、电子等领域的应用",
        "Applications in aerospace, automotive, rail, electronics",
        "qualitative",
        "",
        None,
        "",
        2020,
        False,
    ),
    (
        "international",
        "重大国际产能合作项目取得实质性进展",
        "International capacity cooperation projects",
        "qualitative",
        "",
        None,
        "",
        2020,
        False,
    ),
]

# (code, name, short, English, metals, division codes)
BASES = [
    ("baoji-ti", "宝鸡钛谷新材料产业集聚发展基地", "宝鸡钛谷", "Baoji Titanium Valley", ["Ti"], ["610300"]),
    (
        "tongchuan-almg",
        "铜川董家河工业园铝镁合金新材料产业集聚发展基地",
        "铜川董家河",
        "Tongchuan Dongjiahe Al-Mg base",
        ["Al", "Mg"],
        ["610200"],
    ),
    (
        "yulin-almg",
        "榆林新材料循环经济产业园铝镁合金新材料产业集聚发展基地",
        "榆林新材料",
        "Yulin new-materials Al-Mg base",
        ["Al", "Mg"],
        ["610800"],
    ),
    ("weinan-mo", "渭南钼新材料产业集聚发展基地", "渭南钼", "Weinan molybdenum base", ["Mo"], ["610500"]),
    ("xian-mo", "西安钼及钼合金深加工基地", "西安钼", "Xi'an molybdenum deep-processing base", ["Mo"], ["610100"]),
    ("shangluo-v", "商洛高端钒产业集聚发展基地", "商洛钒", "Shangluo vanadium base", ["V"], ["611000"]),
]


def load(apps) -> None:
    """Insert the rows above (used by migration core.0002)."""
    import datetime as dt

    Division = apps.get_model("core", "Division")
    Metal = apps.get_model("core", "Metal")
    Stage = apps.get_model("core", "ValueChainStage")
    Unit = apps.get_model("core", "ResponsibleUnit")
    Clause = apps.get_model("core", "PolicyClause")
    Resp = apps.get_model("core", "ClauseResponsibility")
    Target = apps.get_model("core", "PolicyTarget")
    Base = apps.get_model("core", "IndustrialBase")

    since = dt.date.fromisoformat(CODE_TABLE_DATE)
    by_code = {}
    for order, (code, name, name_en, level, parent, _note) in enumerate(DIVISIONS):
        div = Division.objects.create(
            code=code,
            name=name,
            name_en=name_en,
            level=level,
            parent=by_code.get(parent),
            valid_from=since,
            order=order,
            source=f"{GBT2260}; {FACTS}",
            verified=True,
        )
        div.prefecture = {"province": None, "city": div, "county": by_code.get(parent)}[level]
        div.save(update_fields=["prefecture"])
        by_code[code] = div
    for i, (_slug, name, name_en, located) in enumerate(ZONES):
        zone = Division.objects.create(
            code="",
            name=name,
            name_en=name_en,
            level="zone",
            parent=by_code["610000"],
            located_in=located,
            valid_from=since,
            order=100 + i,
            source=FACTS,
            verified=True,
        )
        zone.prefecture = zone
        zone.save(update_fields=["prefecture"])

    metals = {}
    for order, (code, name, name_en, symbol, policy, colour) in enumerate(METALS):
        metals[code] = Metal.objects.create(
            code=code,
            name=name,
            name_en=name_en,
            symbol=symbol,
            policy_metal=policy,
            color=colour,
            order=order,
            source=POLICY,
            verified=True,
        )
    for order, (code, name, name_en, deep, recycling) in enumerate(STAGES):
        Stage.objects.create(
            code=code,
            name=name,
            name_en=name_en,
            deep_processing=deep,
            recycling=recycling,
            order=order,
            source=f"{POLICY} 二(三)",
            verified=True,
        )
    units = {}
    for order, (code, name, short, name_en, kind) in enumerate(UNITS):
        units[code] = Unit.objects.create(
            code=code,
            name=name,
            short_name=short,
            name_en=name_en,
            kind=kind,
            order=order,
            source=POLICY,
            verified=True,
        )
    clauses = {}
    for order, (number, title, title_en, module, requires, duty, leads) in enumerate(CLAUSES):
        clause = Clause.objects.create(
            number=number,
            title=title,
            title_en=title_en,
            module=module,
            requires=requires,
            platform_duty=duty,
            order=order,
            source=f"{POLICY} {number}",
            verified=True,
        )
        clauses[number] = clause
        for i, code in enumerate(leads):
            Resp.objects.create(clause=clause, unit=units[code], lead=(i == 0), order=i)
    for order, (code, name, name_en, kind, comparator, value, unit, year, every_year) in enumerate(TARGETS):
        Target.objects.create(
            code=code,
            name=name,
            name_en=name_en,
            clause=clauses["一(二)"],
            kind=kind,
            comparator=comparator,
            value=value,
            unit=unit,
            target_year=year,
            per_year=every_year,
            order=order,
            source=f"{POLICY} 一(二)",
            verified=True,
        )
    for order, (code, name, short, name_en, metal_codes, division_codes) in enumerate(BASES):
        base = Base.objects.create(
            code=code,
            name=name,
            short_name=short,
            name_en=name_en,
            clause=clauses["二(四)"],
            order=order,
            source=f"{POLICY} 二(四)",
            verified=True,
        )
        base.metals.set([metals[m] for m in metal_codes])
        base.divisions.set([by_code[d] for d in division_codes])
