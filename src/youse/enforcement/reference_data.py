"""The enforcement module's reference data, loaded by migration 0003 and kept by the department in the
admin: the norms an inspection applies along the five dimensions of clause 二(八), and their checklist
items. Thresholds come from standards and industry norms recalled, not checked against their text, so
every row loads unverified (principle 3) until the department confirms it.

Code never reads these lists at run time: inspections read the rows."""

# (code, dimension, metal code or None, title, document)
NORMS = [
    ("ENV-GEN", "environment", None, "环境保护手续与排污许可", "《排污许可管理条例》; 建设项目环境影响评价"),
    ("ENV-AL", "environment", "Al", "铝工业污染物排放标准", "GB 25465-2010"),
    ("ENV-PBZN", "environment", "Pb", "铅、锌工业污染物排放标准", "GB 25466-2010"),
    (
        "ENV-MONITOR",
        "environment",
        None,
        "污染源自动监控设施联网",
        "HJ 212-2017; 《污染源自动监控设施现场监督检查办法》",
    ),
    ("ENE-AL", "energy", "Al", "电解铝能耗限额", "GB 21346-2022"),
    ("ENE-GEN", "energy", None, "能源计量与节能管理", "GB 17167-2006; 《节能监察办法》"),
    ("QUA-GEN", "quality", None, "产品质量", "《产品质量法》; 产品质量监督抽查"),
    ("SAF-GEN", "safety", None, "安全生产条件", "《安全生产法》; 《冶金企业和有色金属企业安全生产规定》"),
    ("TEC-GEN", "technology", None, "淘汰类工艺装备", "《产业结构调整指导目录》淘汰类"),
    ("TEC-AL", "technology", "Al", "铝行业规范条件", "工信部公告2020年第6号"),
    ("TEC-MG", "technology", "Mg", "镁行业准入条件", "工信部公告2011年第7号"),
]

# (code, norm code, requirement, kind, threshold, unit, order)
ITEMS = [
    ("ENV-GEN-1", "ENV-GEN", "排污许可证在有效期内，按证排污", "yes_no", None, "", 1),
    ("ENV-GEN-2", "ENV-GEN", "环境影响评价及竣工环保验收手续齐全", "yes_no", None, "", 2),
    ("ENV-AL-1", "ENV-AL", "电解烟气颗粒物排放浓度", "at_most", "20", "mg/m³", 1),
    ("ENV-AL-2", "ENV-AL", "电解烟气氟化物排放浓度", "at_most", "3", "mg/m³", 2),
    ("ENV-PBZN-1", "ENV-PBZN", "冶炼烟气颗粒物排放浓度", "at_most", "80", "mg/m³", 1),
    ("ENV-PBZN-2", "ENV-PBZN", "冶炼烟气铅及其化合物排放浓度", "at_most", "8", "mg/m³", 2),
    ("ENV-MON-1", "ENV-MONITOR", "主要排放口自动监控设施按 HJ 212 联网并正常运行", "yes_no", None, "", 1),
    ("ENE-AL-1", "ENE-AL", "铝液综合交流电耗（能耗限额三级）", "at_most", "13700", "kWh/t", 1),
    ("ENE-GEN-1", "ENE-GEN", "能源计量器具配备符合 GB 17167", "yes_no", None, "", 1),
    ("ENE-GEN-2", "ENE-GEN", "无国家明令淘汰的高耗能设备", "yes_no", None, "", 2),
    ("QUA-GEN-1", "QUA-GEN", "近两年产品质量监督抽查合格", "yes_no", None, "", 1),
    ("QUA-GEN-2", "QUA-GEN", "质量管理体系有效运行", "yes_no", None, "", 2),
    ("SAF-GEN-1", "SAF-GEN", "安全生产许可证（或安全条件）有效", "yes_no", None, "", 1),
    ("SAF-GEN-2", "SAF-GEN", "重大事故隐患已排查并整改", "yes_no", None, "", 2),
    ("SAF-GEN-3", "SAF-GEN", "熔融金属、煤气等危险作业管理符合规定", "yes_no", None, "", 3),
    ("TEC-GEN-1", "TEC-GEN", "无淘汰类工艺和装备", "yes_no", None, "", 1),
    ("TEC-AL-1", "TEC-AL", "符合铝行业规范条件", "yes_no", None, "", 1),
    ("TEC-MG-1", "TEC-MG", "现有镁冶炼企业规模", "at_least", "15000", "t/a", 1),
]

SOURCE = "recalled from the cited standard or norm; to be confirmed against its text"


def load(apps) -> None:
    Metal = apps.get_model("core", "Metal")
    Norm = apps.get_model("enforcement", "Norm")
    Item = apps.get_model("enforcement", "ChecklistItem")
    norms = {}
    for code, dimension, metal, title, document in NORMS:
        norms[code] = Norm.objects.create(
            code=code,
            dimension=dimension,
            metal=Metal.objects.filter(code=metal).first() if metal else None,
            title=title,
            document=document,
            source=f"{document}; {SOURCE}",
            verified=False,
        )
    for code, norm, text, kind, threshold, unit, order in ITEMS:
        Item.objects.create(
            code=code,
            norm=norms[norm],
            text=text,
            kind=kind,
            threshold=threshold,
            unit=unit,
            order=order,
            source=norms[norm].source,
            verified=False,
        )


def unload(apps) -> None:
    apps.get_model("enforcement", "ChecklistItem").objects.filter(verified=False).delete()
    apps.get_model("enforcement", "Norm").objects.filter(verified=False).delete()
