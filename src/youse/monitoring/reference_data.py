"""The monitoring module's reference data, loaded by migration 0003 and then edited in the admin by the
environment department: emission limits of the national nonferrous smelting standards (FACTS.md,
"Emission limits"). Every value is unverified (verified=False) until the department confirms it against
the standard's text; table numbers are recalled, not checked.

This module is read only by migrations: code never consults these lists at run time (alarms read the
Limit rows)."""

SOURCE = "FACTS.md «Emission limits» (values recalled for new plants; to be confirmed against the standard)"

AIR_NEW = "表5 新建企业大气污染物排放浓度限值"
AIR_SPECIAL = "表6 大气污染物特别排放限值"
WATER_NEW = "表2 新建企业水污染物排放浓度限值（直接排放）"

AL = ("GB 25465-2010", "铝工业污染物排放标准")
PBZN = ("GB 25466-2010", "铅、锌工业污染物排放标准")
CU = ("GB 25467-2010", "铜、镍、钴工业污染物排放标准")

# (standard, table, plant type, pollutant, HJ 212-2017 factor code, value, unit, averaging, special)
LIMITS: list[tuple[str, str, str, str, str, float, str, str, bool]] = [
    # Aluminium electrolysis (电解铝), flue gas, hourly averages of the CEMS.
    (AL[0], AIR_NEW, "电解铝", "颗粒物", "a34013", 20.0, "mg/m3", "hour", False),
    (AL[0], AIR_SPECIAL, "电解铝", "颗粒物", "a34013", 10.0, "mg/m3", "hour", True),
    (AL[0], AIR_NEW, "电解铝", "二氧化硫", "a21026", 200.0, "mg/m3", "hour", False),
    (AL[0], AIR_SPECIAL, "电解铝", "二氧化硫", "a21026", 100.0, "mg/m3", "hour", True),
    (AL[0], AIR_NEW, "电解铝", "氟化物", "a21018", 3.0, "mg/m3", "hour", False),
    # Lead-zinc smelting (铅锌冶炼), flue gas.
    (PBZN[0], AIR_NEW, "铅锌冶炼", "颗粒物", "a34013", 80.0, "mg/m3", "hour", False),
    (PBZN[0], AIR_SPECIAL, "铅锌冶炼", "颗粒物", "a34013", 10.0, "mg/m3", "hour", True),
    (PBZN[0], AIR_NEW, "铅锌冶炼", "二氧化硫", "a21026", 400.0, "mg/m3", "hour", False),
    (PBZN[0], AIR_SPECIAL, "铅锌冶炼", "二氧化硫", "a21026", 100.0, "mg/m3", "hour", True),
    (PBZN[0], AIR_NEW, "铅锌冶炼", "铅及其化合物", "a20043", 8.0, "mg/m3", "hour", False),
    (PBZN[0], AIR_SPECIAL, "铅锌冶炼", "铅及其化合物", "a20043", 2.0, "mg/m3", "hour", True),
    (PBZN[0], AIR_NEW, "铅锌冶炼", "汞及其化合物", "a20057", 0.05, "mg/m3", "hour", False),
    # Lead-zinc wastewater, direct discharge (mg/L; the data loggers send Pb, Cd, Hg, As in µg/L and
    # the alarms convert).
    (PBZN[0], WATER_NEW, "铅锌冶炼", "总铅", "w20120", 0.5, "mg/L", "hour", False),
    (PBZN[0], WATER_NEW, "铅锌冶炼", "总镉", "w20115", 0.05, "mg/L", "hour", False),
    (PBZN[0], WATER_NEW, "铅锌冶炼", "总汞", "w20111", 0.03, "mg/L", "hour", False),
    (PBZN[0], WATER_NEW, "铅锌冶炼", "总砷", "w20119", 0.3, "mg/L", "hour", False),
    (PBZN[0], WATER_NEW, "铅锌冶炼", "总锌", "w20123", 1.5, "mg/L", "hour", False),
    # Copper smelting (铜冶炼), flue gas.
    (CU[0], AIR_NEW, "铜冶炼", "二氧化硫", "a21026", 400.0, "mg/m3", "hour", False),
    (CU[0], AIR_SPECIAL, "铜冶炼", "二氧化硫", "a21026", 100.0, "mg/m3", "hour", True),
    (CU[0], AIR_NEW, "铜冶炼", "颗粒物", "a34013", 80.0, "mg/m3", "hour", False),
    (CU[0], AIR_SPECIAL, "铜冶炼", "颗粒物", "a34013", 10.0, "mg/m3", "hour", True),
]


def _key(row: tuple) -> dict:
    standard, _table, plant_type, _pollutant, factor, _value, _unit, averaging, special = row
    return {
        "standard": standard,
        "plant_type": plant_type,
        "factor": factor,
        "averaging": averaging,
        "special": special,
    }


def load(apps) -> None:
    Limit = apps.get_model("monitoring", "Limit")
    for row in LIMITS:
        standard, table, plant_type, pollutant, factor, value, unit, averaging, special = row
        Limit.objects.update_or_create(
            **_key(row),
            defaults={
                "table": table,
                "pollutant": pollutant,
                "value": value,
                "unit": unit,
                "source": f"{standard} {table}; {SOURCE}",
                "verified": False,
            },
        )


def unload(apps) -> None:
    Limit = apps.get_model("monitoring", "Limit")
    for row in LIMITS:
        Limit.objects.filter(**_key(row), verified=False).delete()
