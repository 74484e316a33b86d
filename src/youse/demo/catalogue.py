"""The shape of the synthetic Shaanxi industry, after FACTS.md: which clusters exist, where, with which
production units and capacities. Pure data; plan.py draws enterprises from it.

Scale 1 gives about 200 enterprises: each cluster's `count` followers plus its named leaders. The
figures follow FACTS.md (Yulin magnesium ~37万t in 府谷, 60万t Al-Mg alloy at the Yulin new-materials
park, Baoji ~7万t of titanium products, the Weinan molybdenum leader's mining and chemical lines, the
Hanzhong and Feng County zinc smelters, ~22 vanadium firms in Shangluo) but the firms are invented."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class UnitTemplate:
    name: str  # with {n} for the line number: "皮江法炼镁{n}线"
    metal: str
    stage: str
    product: str
    process: str
    capacities: tuple[int, ...]  # drawn uniformly; repeat a value to weight it
    unit: str = "t/a"
    equipment: tuple[str, ...] = ()
    # Technology that only exists since the 2017 clean-up: such units always start as new projects.
    modern: bool = False


@dataclass(frozen=True)
class Profile:
    weight: int
    units: tuple[UnitTemplate, ...]


@dataclass(frozen=True)
class Cluster:
    key: str
    places: tuple[tuple[str, int], ...]  # (place key, weight)
    count: int  # followers at scale 1
    trades: tuple[str, ...]  # the trade word in invented names: 镁业, 钛材, ...
    profiles: tuple[Profile, ...]
    base: str | None = None
    base_share: float = 0.0  # share of followers located in the base
    employees: tuple[int, int] = (30, 600)


@dataclass(frozen=True)
class LeaderUnit:
    template: UnitTemplate
    capacity: int
    equipment: str = ""
    since: int = 2008  # year it started operating (or the project year for the unfinished)
    status: str = "operating"


@dataclass(frozen=True)
class LeaderPlant:
    name: str
    place: str
    base: str | None
    units: tuple[LeaderUnit, ...]


@dataclass(frozen=True)
class Leader:
    key: str
    name: str
    short_name: str
    place: str
    base: str | None
    ownership: str
    employees: int
    established: int
    plants: tuple[LeaderPlant, ...] = field(default=())


T = UnitTemplate

# --- Unit templates ------------------------------------------------------------------------------
MG_PIDGEON = T(
    "皮江法炼镁{n}线",
    "Mg",
    "smelting",
    "原镁",
    "皮江法（硅热法）",
    (15000,) * 8 + (20000,) * 4 + (30000, 50000),
    equipment=("横罐还原炉", "蓄热式还原炉"),
)
MG_ALLOY = T("镁合金{n}线", "Mg", "processing", "镁合金锭", "熔炼铸锭", (5000, 10000, 20000, 30000))
MG_DIECAST = T("镁合金压铸{n}线", "Mg", "deep_processing", "镁合金压铸件", "压铸", (500, 1000, 2000, 3000))
AL_ELECTRO = T("电解铝{n}系列", "Al", "smelting", "电解铝液", "预焙阳极电解", (220000,), equipment=("400kA×200",))
AL_ANODE = T("预焙阳极{n}线", "other", "processing", "预焙阳极", "炭素煅烧焙烧", (150000, 350000))
AL_ALLOY = T("铝合金锭{n}线", "Al", "processing", "铝合金锭", "熔铸", (20000, 50000, 100000, 200000))
AL_ALMG = T("铝镁合金{n}线", "Al", "processing", "铝镁合金", "熔炼铸造", (300000,))
AL_PROFILE = T(
    "铝型材{n}线",
    "Al",
    "processing",
    "建筑及工业铝型材",
    "挤压",
    (10000, 20000, 30000, 50000),
    equipment=("1800T挤压机×4", "2500T挤压机×2", "3600T挤压机×1"),
)
AL_FOIL = T("铝箔{n}线", "Al", "deep_processing", "电池铝箔", "冷轧", (5000, 10000, 20000), modern=True)
AL_WHEEL = T("铝合金轮毂{n}线", "Al", "deep_processing", "铝合金轮毂", "低压铸造", (3000, 8000, 15000))
AL_COMPOSITE = T(
    "石墨烯铝基复合材料{n}线", "Al", "deep_processing", "石墨烯铝基复合材料", "粉末冶金", (200, 500, 1000), modern=True
)
AL_RECYCLE = T("再生铝{n}线", "Al", "recycling", "再生铝合金锭", "废铝预处理-熔炼", (20000, 50000, 100000))
TI_SPONGE = T(
    "海绵钛{n}线",
    "Ti",
    "smelting",
    "海绵钛",
    "镁热还原-真空蒸馏（克劳尔法）",
    (3000, 5000, 10000),
    equipment=("5吨级还原蒸馏炉×12", "8吨级还原蒸馏炉×8"),
)
TI_INGOT = T(
    "钛锭熔炼{n}线",
    "Ti",
    "smelting",
    "钛及钛合金铸锭",
    "真空自耗电弧熔炼",
    (1000, 2000, 3000, 5000),
    equipment=("VAR 3t×2", "VAR 8t×2", "EB冷床炉 2400kW×1"),
)
TI_PLATE = T("钛板{n}线", "Ti", "processing", "钛及钛合金板材", "热轧-冷轧", (300, 500, 1000, 2000, 3000))
TI_TUBE = T("钛管{n}线", "Ti", "processing", "钛及钛合金管材", "冷轧管", (100, 200, 500, 1000))
TI_BAR = T("钛棒丝{n}线", "Ti", "processing", "钛棒、钛丝", "锻造-轧制-拉拔", (100, 200, 300, 500, 800))
TI_FORGING = T("钛合金锻件{n}线", "Ti", "deep_processing", "航空航天钛合金锻件", "模锻", (100, 200, 500, 1000))
TI_MEDICAL = T("医用钛制品{n}线", "Ti", "deep_processing", "医用钛合金植入物", "精密加工", (10, 20, 50, 100))
TI_EQUIP = T("钛设备{n}线", "Ti", "deep_processing", "钛制换热器及压力容器", "焊接制造", (100, 300, 500, 800))
TI_POWDER = T(
    "钛合金粉末{n}线",
    "Ti",
    "deep_processing",
    "3D打印钛合金粉末",
    "等离子旋转电极雾化",
    (20, 50, 100, 300),
    modern=True,
)
TI_SCRAP = T("钛残料回收{n}线", "Ti", "recycling", "回收钛锭", "残料破碎-电子束冷床熔炼", (500, 1000, 3000))
MO_MINE = T("钼矿采选{n}系列", "Mo", "mining", "钼精矿", "露天开采-浮选", (500, 1000, 2000, 3000, 5000), unit="t ore/d")
MO_ROAST = T("钼精矿焙烧{n}线", "Mo", "smelting", "焙烧钼精矿（工业氧化钼）", "多膛炉焙烧", (3000, 5000, 8000, 10000))
MO_FERRO = T("钼铁冶炼{n}线", "Mo", "smelting", "钼铁", "炉外法", (2000, 3000, 5000, 8000))
MO_CHEM = T("钼酸铵{n}线", "Mo", "deep_processing", "四钼酸铵/七钼酸铵", "氨浸-酸沉", (1000, 2000, 3000, 5000))
MO_POWDER = T("钼粉{n}线", "Mo", "deep_processing", "高纯钼粉", "二段氢还原", (100, 300, 500, 1000, 1500))
MO_PLATE = T("钼板{n}线", "Mo", "deep_processing", "大型钼板", "烧结-热轧", (50, 100, 300, 500))
MO_WIRE = T("钼丝钼棒{n}线", "Mo", "processing", "钼丝、钼棒", "旋锻-拉拔", (50, 100, 200, 500))
MO_TARGET = T(
    "钼靶材{n}线", "Mo", "deep_processing", "平板显示用钼溅射靶材", "热等静压-轧制", (20, 50, 100, 200), modern=True
)
MO_MOS2 = T("二硫化钼{n}线", "Mo", "deep_processing", "二硫化钼", "化学提纯", (100, 300, 500, 1000))
MO_TZM = T("钼合金{n}线", "Mo", "deep_processing", "TZM钼合金制品", "粉末冶金", (50, 100, 300))
ZN_SMELT = T("锌冶炼{n}系统", "Zn", "smelting", "电锌", "焙烧-浸出-电积（湿法炼锌）", (100000,))
PB_SMELT = T("铅冶炼{n}系统", "Pb", "smelting", "电铅", "富氧底吹-液态高铅渣直接还原", (60000,))
PBZN_MINE = T(
    "铅锌矿采选{n}系列",
    "Zn",
    "mining",
    "铅精矿、锌精矿",
    "地下开采-浮选",
    (300, 500, 800, 1000, 1500, 2000),
    unit="t ore/d",
)
ZN_OXIDE = T("次氧化锌{n}线", "Zn", "recycling", "次氧化锌", "回转窑挥发", (5000, 10000, 20000, 30000))
ZN_ALLOY = T("锌合金{n}线", "Zn", "processing", "热镀锌合金、压铸锌合金", "熔配", (5000, 10000, 30000))
ZN_POWDER = T("锌粉{n}线", "Zn", "deep_processing", "超细锌粉", "蒸馏雾化", (1000, 3000, 5000))
PB_RECYCLE = T("再生铅{n}线", "Pb", "recycling", "再生铅", "废铅酸蓄电池破碎分选-熔炼", (10000, 30000, 50000))
V_MINE = T("钒矿采选{n}系列", "V", "mining", "含钒石煤", "露天开采", (300, 500, 1000, 2000), unit="t ore/d")
V_SMELT = T("石煤提钒{n}线", "V", "smelting", "五氧化二钒", "无盐焙烧-酸浸-萃取", (500, 1000, 2000, 3000, 5000))
V_NITROGEN = T("钒氮合金{n}线", "V", "deep_processing", "钒氮合金", "真空碳化氮化", (1000, 2000, 3000, 5000))
V_FERRO = T("钒铁{n}线", "V", "processing", "钒铁", "电铝热法", (1000, 2000, 3000))
V_ELECTROLYTE = T(
    "钒电解液{n}线", "V", "deep_processing", "全钒液流电池电解液", "溶解-还原", (1000, 3000, 5000), modern=True
)

P = Profile

# --- Clusters -------------------------------------------------------------------------------------
# fmt: off
CLUSTERS: tuple[Cluster, ...] = (
    Cluster("yulin-mg", (("610822", 5), ("610881", 1)), 29, ("镁业", "金属镁", "镁合金"),
            (P(12, (MG_PIDGEON,)), P(3, (MG_PIDGEON, MG_ALLOY)), P(1, (MG_PIDGEON, MG_PIDGEON)), P(2, (MG_ALLOY,))),
            base="yulin-almg", base_share=0.6, employees=(80, 900)),
    Cluster("yulin-al", (("610800", 2), ("610881", 1)), 7, ("铝业", "铝材", "铝合金"),
            (P(2, (AL_ALLOY,)), P(2, (AL_PROFILE,)), P(1, (AL_FOIL,)), P(1, (AL_WHEEL,)), P(1, (AL_RECYCLE,))),
            base="yulin-almg", base_share=0.8),
    Cluster("tongchuan-almg", (("610200", 1),), 9, ("铝业", "铝材", "镁合金", "轻合金"),
            (P(2, (AL_ALLOY,)), P(2, (AL_PROFILE,)), P(1, (AL_WHEEL,)), P(1, (MG_ALLOY, MG_DIECAST)),
             P(1, (AL_RECYCLE,)), P(1, (AL_FOIL,))),
            base="tongchuan-almg", base_share=0.9),
    Cluster("baoji-ti", (("610300", 1),), 54, ("钛业", "钛材", "钛合金", "稀有金属", "新材料"),
            (P(2, (TI_SPONGE,)), P(3, (TI_INGOT, TI_PLATE)), P(6, (TI_PLATE,)), P(5, (TI_TUBE,)), P(6, (TI_BAR,)),
             P(5, (TI_BAR, TI_FORGING)), P(4, (TI_FORGING,)), P(3, (TI_MEDICAL,)), P(4, (TI_EQUIP,)),
             P(2, (TI_POWDER,)), P(2, (TI_SCRAP,))),
            base="baoji-ti", base_share=0.85, employees=(20, 800)),
    Cluster("xian-mo", (("610100", 1),), 12, ("钼业", "钼材", "难熔金属", "新材料"),
            (P(3, (MO_POWDER,)), P(2, (MO_POWDER, MO_PLATE)), P(2, (MO_WIRE,)), P(2, (MO_TARGET,)), P(2, (MO_MOS2,)),
             P(1, (MO_TZM,))),
            base="xian-mo", base_share=0.9),
    Cluster("xian-ti", (("610100", 1),), 6, ("钛业", "钛材", "新材料"),
            (P(2, (TI_FORGING,)), P(2, (TI_POWDER,)), P(1, (TI_MEDICAL,)), P(1, (TI_EQUIP,)))),
    Cluster("weinan-mo", (("610503", 4), ("610500", 1)), 13, ("钼业", "矿业", "钼材"),
            (P(4, (MO_MINE,)), P(2, (MO_MINE, MO_ROAST)), P(2, (MO_ROAST,)), P(2, (MO_FERRO,)), P(2, (MO_CHEM,)),
             P(1, (MO_ROAST, MO_FERRO))),
            base="weinan-mo", base_share=0.8, employees=(50, 1200)),
    Cluster("hanzhong-pbzn", (("610725", 3), ("610700", 1)), 8, ("锌业", "矿业", "有色金属"),
            (P(4, (PBZN_MINE,)), P(1, (ZN_OXIDE,)), P(1, (ZN_ALLOY,)), P(1, (PB_RECYCLE,)))),
    Cluster("fengxian-pbzn", (("610330", 1),), 8, ("矿业", "锌业", "有色金属"),
            (P(5, (PBZN_MINE,)), P(1, (ZN_POWDER,)), P(1, (ZN_OXIDE,)))),
    Cluster("shangluo-v", (("611024", 3), ("611021", 2), ("611000", 3)), 22, ("钒业", "钒钛", "新材料", "矿业"),
            (P(4, (V_MINE,)), P(3, (V_MINE, V_SMELT)), P(6, (V_SMELT,)), P(3, (V_NITROGEN,)), P(2, (V_FERRO,)),
             P(2, (V_ELECTROLYTE,))),
            base="shangluo-v", base_share=0.85),
    Cluster("luonan-mo", (("611021", 1),), 3, ("钼业", "矿业"), (P(1, (MO_MINE,)),)),
    Cluster("xianyang", (("610400", 1),), 7, ("铝业", "有色金属", "新材料"),
            (P(2, (AL_RECYCLE,)), P(2, (AL_PROFILE,)), P(1, (TI_FORGING,)), P(1, (MG_DIECAST,)))),
    Cluster("xixian", (("zone:xixian", 1),), 6, ("新材料", "科技", "增材制造"),
            (P(2, (TI_POWDER,)), P(1, (MO_TARGET,)), P(1, (AL_COMPOSITE,)), P(1, (TI_MEDICAL,)))),
    Cluster("yangling", (("zone:yangling", 1),), 3, ("新材料", "铝业"), (P(2, (AL_RECYCLE,)), P(1, (MG_DIECAST,)))),
    Cluster("yanan", (("610600", 1),), 3, ("铝业", "有色金属"), (P(2, (AL_RECYCLE,)), P(1, (AL_PROFILE,)))),
    Cluster("ankang", (("610900", 1),), 4, ("矿业", "有色金属", "钒业"),
            (P(2, (PBZN_MINE,)), P(1, (V_MINE, V_SMELT)), P(1, (PB_RECYCLE,)))),
    Cluster("hancheng", (("610581", 1),), 3, ("铝业", "有色金属"), (P(2, (AL_RECYCLE,)), P(1, (ZN_ALLOY,)))),
)
# fmt: on

L, LP, LU = Leader, LeaderPlant, LeaderUnit

# --- Leaders: one per large cluster, shaped on FACTS.md; named as demonstrations, not as real firms. --
# fmt: off
LEADERS: tuple[Leader, ...] = (
    L("yulin-almg", "榆林示范铝镁合金有限公司（示例）", "示范铝镁（示例）",
      "610800", "yulin-almg", "local_soe", 2600, 2015, (
        LP("电解铝厂", "610800", "yulin-almg", (
            LU(AL_ELECTRO, 350000, "500kA×256", 2019),
            LU(AL_ELECTRO, 250000, "500kA×184", 2021),
        )),
        LP("合金及炭素厂", "610800", "yulin-almg", (
            LU(AL_ALMG, 600000, "", 2019),
            LU(AL_ANODE, 350000, "", 2019),
            LU(MG_ALLOY, 100000, "", 2024, status="construction"),
        )),
    )),
    L("tongchuan-al", "铜川示范铝业有限公司（示例）", "铜川示范铝业（示例）",
      "610200", "tongchuan-almg", "mixed", 1800, 2002, (
        LP("董家河厂区", "610200", "tongchuan-almg", (
            LU(AL_ELECTRO, 220000, "400kA×200", 2010),
            LU(AL_ANODE, 150000, "", 2010),
            LU(AL_ALLOY, 100000, "", 2016),
        )),
    )),
    L("baoji-ti", "宝鸡钛谷示范钛业集团有限公司（示例）", "钛谷示范钛业（示例）",
      "610300", "baoji-ti", "local_soe", 6500, 1972, (
        LP("熔铸厂", "610300", "baoji-ti", (
            LU(TI_SPONGE, 10000, "8吨级还原蒸馏炉×8", 2012),
            LU(TI_INGOT, 15000, "VAR 10t×4", 2006),
            LU(TI_INGOT, 10000, "EB冷床炉 3200kW×2", 2015),
        )),
        LP("板带管材厂", "610300", "baoji-ti", (
            LU(TI_PLATE, 12000, "4200mm宽厚板轧机", 2010),
            LU(TI_TUBE, 3000, "", 2008),
            LU(TI_BAR, 3000, "", 2008),
        )),
        LP("锻件厂", "610300", "baoji-ti", (LU(TI_FORGING, 5000, "万吨级模锻压机", 2018),)),
    )),
    L("weinan-mo", "华州示范钼业股份有限公司（示例）", "华州示范钼业（示例）",
      "610503", "weinan-mo", "local_soe", 7000, 1958, (
        LP("矿区", "610503", "weinan-mo", (
            LU(MO_MINE, 30000, "", 2005),
            LU(MO_MINE, 17000, "", 2013),
        )),
        LP("冶炼化工厂", "610503", "weinan-mo", (
            LU(MO_ROAST, 38000, "多膛炉×6", 2008),
            LU(MO_FERRO, 32000, "", 2008),
            LU(MO_CHEM, 16500, "", 2011),
        )),
        LP("西安深加工厂", "610100", "xian-mo", (
            LU(MO_POWDER, 4200, "", 2012),
            LU(MO_PLATE, 1500, "", 2016),
        )),
    )),
    L("mianxian-zn", "勉县示范锌业有限公司（示例）", "勉县示范锌业（示例）",
      "610725", None, "local_soe", 2200, 1996, (
        LP("冶炼厂", "610725", None, (
            LU(ZN_SMELT, 320000, "", 2009),
            LU(PB_SMELT, 100000, "", 2012),
        )),
    )),
    L("fengxian-zn", "凤县示范锌业有限公司（示例）", "凤县示范锌业（示例）",
      "610330", None, "private", 1500, 2002, (
        LP("冶炼厂", "610330", None, (
            LU(ZN_SMELT, 240000, "", 2008),
            LU(PB_SMELT, 60000, "", 2010),
            LU(PB_SMELT, 40000, "", 2000, status="exited"),
        )),
    )),
)
# fmt: on
# The enterprise users among the personas: ent-a in Yulin, ent-b in Baoji.
PERSONA_ENTERPRISES = {"ent-a": "yulin-almg", "ent-b": "baoji-ti"}
