"""Factor codes of HJ 212-2017 Appendix B (tables B.1 water, B.2 gas, B.3 noise) with the HJ/T 212-2005 code
each replaces ("原编码") and the default units: `unit` for concentrations and real-time values, `cou_unit`
for the amounts (Cou) where the table gives one. Units are written as symbols (mg/m³, µg/L, L/s, °C...);
"" means dimensionless. The names and units are the standard's, including its oddities (for example ammonia
a21001 and the heavy metals a20026/a20044/a20058 in ng/m³).

Pure data: no Django."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Factor:
    code: str
    name_zh: str
    name_en: str
    unit: str
    legacy: str | None
    medium: str  # "gas" | "water" | "other"
    cou_unit: str = ""


# code | name (Chinese) | name (English) | 2005 code | unit | unit of Cou
_TABLE = """
w00000|污水|Wastewater flow|B01|L/s|m³
w01001|pH值|pH|001||
w01002|色度|Colour|002|degree|
w01006|溶解性总固体|Total dissolved solids||mg/L|kg
w01009|溶解氧|Dissolved oxygen||mg/L|
w01010|水温|Water temperature||°C|
w01012|悬浮物|Suspended solids|003|mg/L|kg
w01014|电导率|Conductivity||µS/cm|
w01017|五日生化需氧量|BOD5|010|mg/L|kg
w01018|化学需氧量|COD|011|mg/L|kg
w01019|高锰酸盐指数|Permanganate index||mg/L|kg
w01020|总有机碳|Total organic carbon|015|mg/L|kg
w02003|粪大肠菌群|Faecal coliforms|550|count/L|
w02006|细菌总数|Total bacteria||count/L|
w03001|总α放射性|Gross alpha radioactivity|570|Bq/L|
w03002|总β放射性|Gross beta radioactivity|571|Bq/L|
w19001|表面活性剂|Surfactants||mg/L|kg
w19002|阴离子表面活性剂|Anionic surfactants|520|mg/L|kg
w20012|钡|Barium|039|mg/L|kg
w20023|硼|Boron|037|mg/L|kg
w20038|钴|Cobalt|040|mg/L|kg
w20061|钼|Molybdenum|038|mg/L|kg
w20089|铊|Thallium|041|ng/L|mg
w20092|锡|Tin|036|mg/L|kg
w20111|总汞|Total mercury|020|µg/L|g
w20113|烷基汞|Alkyl mercury|021|ng/L|mg
w20115|总镉|Total cadmium|022|µg/L|g
w20116|总铬|Total chromium|023|mg/L|kg
w20117|六价铬|Hexavalent chromium|024|µg/L|g
w20119|总砷|Total arsenic|026|µg/L|g
w20120|总铅|Total lead|027|µg/L|g
w20121|总镍|Total nickel|028|mg/L|kg
w20122|总铜|Total copper|029|mg/L|kg
w20123|总锌|Total zinc|030|mg/L|kg
w20124|总锰|Total manganese|031|mg/L|kg
w20125|总铁|Total iron|032|mg/L|kg
w20126|总银|Total silver|033|mg/L|kg
w20127|总铍|Total beryllium|034|µg/L|g
w20128|总硒|Total selenium|035|µg/L|g
w20138|铜|Copper||mg/L|kg
w20139|锌|Zinc||mg/L|kg
w20140|硒|Selenium||mg/L|kg
w20141|砷|Arsenic||mg/L|kg
w20142|汞|Mercury||µg/L|g
w20143|镉|Cadmium||µg/L|g
w20144|铅|Lead||mg/L|kg
w21001|总氮|Total nitrogen|065|mg/L|kg
w21003|氨氮|Ammonia nitrogen|060|mg/L|kg
w21004|凯氏氮|Kjeldahl nitrogen|062|mg/L|kg
w21006|亚硝酸盐|Nitrite|063|mg/L|kg
w21007|硝酸盐|Nitrate|064|mg/L|kg
w21011|总磷|Total phosphorus|101|mg/L|kg
w21016|氰化物|Cyanide|070|mg/L|kg
w21017|氟化物|Fluoride|072|mg/L|kg
w21019|硫化物|Sulphide|071|mg/L|kg
w21022|氯化物|Chloride|090|mg/L|kg
w21038|硫酸盐|Sulphate||mg/L|kg
w22001|石油类|Petroleum oils|080|mg/L|kg
w23002|挥发酚|Volatile phenols|110|mg/L|kg
w25043|苯并[α]芘|Benzo[a]pyrene|540|µg/L|g
w33001|六六六|HCH (BHC)|350|ng/L|mg
w33007|滴滴涕|DDT|351|ng/L|mg
w99001|有机氮|Organic nitrogen|061|mg/L|kg
a00000|废气|Flue gas flow|B02|m³/s|m³
a01001|温度|Temperature||°C|
a01002|湿度|Humidity||%|
a01006|气压|Air pressure||kPa|
a01007|风速|Wind speed||m/s|
a01008|风向|Wind direction||°|
a01010|林格曼黑度|Ringelmann blackness|37||
a01011|烟气流速|Flue gas velocity|S02|m/s|
a01012|烟气温度|Flue gas temperature|S03|°C|
a01013|烟气压力|Flue gas pressure|S08|kPa|
a01014|烟气湿度|Flue gas humidity|S05|%|
a01015|制冷温度|Chiller temperature|S06|°C|
a01016|烟道截面积|Flue cross-section area|S07|m²|
a01017|烟气动压|Flue gas dynamic pressure|S04|kPa|
a01901|垃圾焚烧炉膛内焚烧平均温度|Incinerator furnace mean temperature||°C|
a01902|垃圾焚烧炉膛内DCS温度|Incinerator furnace DCS temperature||°C|
a05001|二氧化碳|Carbon dioxide|30|mg/m³|kg
a05002|甲烷|Methane||ng/m³|g
a05008|三氯一氟甲烷|Trichlorofluoromethane||mg/m³|kg
a05009|二氯二氟甲烷|Dichlorodifluoromethane||mg/m³|kg
a05013|三氯三氟乙烷|Trichlorotrifluoroethane||mg/m³|kg
a19001|氧气含量|Oxygen|S01|%|
a20007|砷|Arsenic||ng/m³|g
a20016|铍及其化合物|Beryllium and compounds|36|mg/m³|kg
a20025|镉及其化合物|Cadmium and compounds|33|mg/m³|kg
a20026|镉|Cadmium||ng/m³|g
a20043|铅及其化合物|Lead and compounds|32|mg/m³|kg
a20044|铅|Lead||ng/m³|g
a20057|汞及其化合物|Mercury and compounds|31|mg/m³|kg
a20058|汞|Mercury||ng/m³|g
a20063|镍及其化合物|Nickel and compounds|35|mg/m³|kg
a20091|锡及其化合物|Tin and compounds|34|mg/m³|kg
a21001|氨（氨气）|Ammonia|10|ng/m³|g
a21002|氮氧化物|Nitrogen oxides|03|mg/m³|kg
a21003|一氧化氮|Nitric oxide||mg/m³|kg
a21004|二氧化氮|Nitrogen dioxide||mg/m³|kg
a21005|一氧化碳|Carbon monoxide|04|mg/m³|kg
a21017|氰化物|Cyanide|07|mg/m³|kg
a21018|氟化物|Fluoride|06|mg/m³|kg
a21022|氯气|Chlorine|11|mg/m³|kg
a21024|氯化氢|Hydrogen chloride|08|mg/m³|kg
a21026|二氧化硫|Sulphur dioxide|02|mg/m³|kg
a21028|硫化氢|Hydrogen sulphide|05|mg/m³|kg
a23001|酚类|Phenols|27|mg/m³|kg
a24003|二氯甲烷|Dichloromethane||mg/m³|kg
a24004|三氯甲烷|Trichloromethane||mg/m³|kg
a24005|四氯甲烷|Tetrachloromethane||mg/m³|kg
a24006|二溴一氯甲烷|Dibromochloromethane||mg/m³|kg
a24007|一溴二氯甲烷|Bromodichloromethane||mg/m³|kg
a24008|溴甲烷|Bromomethane||mg/m³|kg
a24009|三溴甲烷|Tribromomethane||mg/m³|kg
a24015|氯乙烷|Chloroethane||mg/m³|kg
a24016|1,1-二氯乙烷|1,1-Dichloroethane||mg/m³|kg
a24017|1,2-二氯乙烷|1,2-Dichloroethane||mg/m³|kg
a24018|1,1,1-三氯乙烷|1,1,1-Trichloroethane||mg/m³|kg
a24019|1,1,2-三氯乙烷|1,1,2-Trichloroethane||mg/m³|kg
a24020|1,1,2,2-四氯乙烷|1,1,2,2-Tetrachloroethane||mg/m³|kg
a24027|1,2-二氯丙烷|1,2-Dichloropropane||mg/m³|kg
a24034|1,2-二溴乙烷|1,2-Dibromoethane||mg/m³|kg
a24036|环己烷|Cyclohexane||mg/m³|kg
a24042|正己烷|n-Hexane||mg/m³|kg
a24043|正庚烷|n-Heptane||mg/m³|kg
a24046|氯乙烯|Vinyl chloride|29|mg/m³|kg
a24047|1,1-二氯乙烯|1,1-Dichloroethylene||mg/m³|kg
a24049|三氯乙烯|Trichloroethylene||mg/m³|kg
a24050|四氯乙烯|Tetrachloroethylene||mg/m³|kg
a24053|丙烯|Propylene||mg/m³|kg
a24054|1,3-二氯丙烯|1,3-Dichloropropene||mg/m³|kg
a24072|1,4-二恶烷|1,4-Dioxane||mg/m³|kg
a24078|1,3-丁二烯|1,3-Butadiene||mg/m³|kg
a24087|碳氢化合物|Hydrocarbons|25|mg/m³|kg
a24088|非甲烷总烃|Non-methane hydrocarbons||mg/m³|kg
a24099|氯甲烷|Chloromethane||mg/m³|kg
a24110|反式-1,2-二氯乙烯|trans-1,2-Dichloroethylene||mg/m³|kg
a24111|顺式-1,2-二氯乙烯|cis-1,2-Dichloroethylene||mg/m³|kg
a24112|反式-1,3-二氯丙烯|trans-1,3-Dichloropropene||mg/m³|kg
a24113|六氯-1,3-丁二烯|Hexachloro-1,3-butadiene||mg/m³|kg
a25002|苯|Benzene||mg/m³|kg
a25003|甲苯|Toluene|17|mg/m³|kg
a25004|乙苯|Ethylbenzene||mg/m³|kg
a25005|二甲苯|Xylene|18|mg/m³|kg
a25006|1,2-二甲基苯|1,2-Dimethylbenzene||mg/m³|kg
a25007|1,3-二甲基苯|1,3-Dimethylbenzene||mg/m³|kg
a25008|1,4-二甲基苯|1,4-Dimethylbenzene||mg/m³|kg
a25010|氯苯|Chlorobenzene|23|mg/m³|kg
a25011|1,2-二氯苯|1,2-Dichlorobenzene||mg/m³|kg
a25012|1,3-二氯苯|1,3-Dichlorobenzene||mg/m³|kg
a25013|1,4-二氯苯|1,4-Dichlorobenzene||mg/m³|kg
a25014|1-乙基-4-甲基苯|1-Ethyl-4-methylbenzene||mg/m³|kg
a25015|1,2,4-三氯苯|1,2,4-Trichlorobenzene||mg/m³|kg
a25019|1,2,4-三甲基苯|1,2,4-Trimethylbenzene||mg/m³|kg
a25020|1,2,3-三甲基苯|1,2,3-Trimethylbenzene||mg/m³|kg
a25021|1,3,5-三甲基苯|1,3,5-Trimethylbenzene||mg/m³|kg
a25023|硝基苯|Nitrobenzene|22|mg/m³|kg
a25038|乙烯基苯|Styrene||mg/m³|kg
a25044|苯并[a]芘|Benzo[a]pyrene|20|mg/m³|kg
a25072|四氢呋喃|Tetrahydrofuran||mg/m³|kg
a26001|苯胺类|Anilines|21|mg/m³|kg
a29017|乙酸乙酯|Ethyl acetate||mg/m³|kg
a29026|乙酸乙烯酯|Vinyl acetate||mg/m³|kg
a30001|甲醇|Methanol|28|mg/m³|kg
a30008|异丙醇|Isopropanol||mg/m³|kg
a30022|硫醇|Mercaptans|13|mg/m³|kg
a31001|甲醛|Formaldehyde|19|mg/m³|kg
a31002|乙醛|Acetaldehyde|26|mg/m³|kg
a31024|丙酮|Acetone||mg/m³|kg
a31025|2-丁酮|2-Butanone||mg/m³|kg
a31030|甲基异丁基甲酮|Methyl isobutyl ketone||mg/m³|kg
a34001|总悬浮颗粒物TSP|Total suspended particulates (TSP)||ng/m³|g
a34002|可吸入颗粒物PM10|PM10||ng/m³|g
a34004|细微颗粒物PM2.5|PM2.5||ng/m³|g
a34005|亚微米颗粒物PM1.0|PM1.0||ng/m³|g
a34011|降尘|Dustfall||t/(km²·month)|
a34013|烟尘|Particulate matter|01|mg/m³|kg
a34017|炭黑尘|Carbon black dust||mg/m³|kg
a34038|沥青烟|Asphalt fume|09|mg/m³|kg
a34039|硫酸雾|Sulphuric acid mist|14|mg/m³|kg
a34040|铬酸雾|Chromic acid mist|15|mg/m³|kg
a99010|丙烯腈|Acrylonitrile||mg/m³|kg
a99049|光气|Phosgene|24|mg/m³|kg
a99051|二硫化碳|Carbon disulphide|12|mg/m³|kg
LA|A权声级|A-weighted sound level||dB|
L5|累计百分声级L5|Percentile sound level L5||dB|
L10|累计百分声级L10|Percentile sound level L10||dB|
L50|累计百分声级L50|Percentile sound level L50||dB|
L90|累计百分声级L90|Percentile sound level L90||dB|
L95|累计百分声级L95|Percentile sound level L95||dB|
Leq|等效声级|Equivalent sound level||dB|
Ldn|昼夜等效声级|Day-night equivalent sound level||dB|
Ld|昼间等效声级|Daytime equivalent sound level||dB|
Ln|夜间等效声级|Night-time equivalent sound level||dB|
LMx|最大的瞬时声级|Maximum instantaneous sound level||dB|
LMn|最小的瞬时声级|Minimum instantaneous sound level||dB|
"""


def _medium(code: str) -> str:
    return {"w": "water", "a": "gas"}.get(code[0], "other")


def _load() -> dict[str, Factor]:
    factors: dict[str, Factor] = {}
    for line in _TABLE.strip().splitlines():
        code, zh, en, legacy, unit, cou = line.split("|")
        factors[code] = Factor(code, zh, en, unit, legacy or None, _medium(code), cou)
    return factors


FACTORS: dict[str, Factor] = _load()

# 2005 code -> 2017 code. Gas codes of 2005 have two characters, water codes three, so the columns of B.1
# and B.2 never collide ("37" Ringelmann vs "037" boron).
LEGACY_TO_2017: dict[str, str] = {f.legacy: f.code for f in FACTORS.values() if f.legacy}

assert len(LEGACY_TO_2017) == sum(1 for f in FACTORS.values() if f.legacy), "duplicate 2005 code"


def unit_of(code: str, field: str = "rtd") -> str:
    """The unit of `field` (rtd/avg/min/max/zs_*: the concentration unit; cou: the amount unit) of `code`,
    a 2017 or 2005 code; "" when unknown or dimensionless."""
    factor = FACTORS.get(code) or FACTORS.get(LEGACY_TO_2017.get(code, ""))
    if factor is None:
        return ""
    return factor.cou_unit if field == "cou" else factor.unit


def to_2017(code: str) -> str:
    """The 2017 code for a 2017 or 2005 code (unknown codes are returned unchanged)."""
    if code in FACTORS:
        return code
    return LEGACY_TO_2017.get(code, code)
