"""The capacity module's reference data, loaded by migration 0003 and then kept in the admin by the
department (principle 3): replacement ratios, energy thresholds for new lines, the holiday calendar that
public notices count working days with, and the national figures shown beside the province's ledger.

Rows FACTS.md marks [checked] load verified; the rest load unverified until the department confirms
them. Code never reads these lists at run time: the rules read the rows."""

import datetime as dt

# (region, division codes or zone names (empty: the whole province), from, to, min ratio, no new capacity,
#  source, verified)
RATIOS = [
    (
        "全省",
        (),
        dt.date(2013, 10, 6),
        None,
        "1.00",
        False,
        "国发〔2013〕41号; 工信部《电解铝行业产能置换实施办法》: 等量或减量置换",
        True,
    ),
    (
        "汾渭平原（关中）",
        ("610100", "610200", "610300", "610400", "610500", "杨凌示范区"),
        dt.date(2025, 1, 1),
        None,
        "1.00",
        True,
        "重点区域不再新增电解铝产能 (国发〔2023〕24号《空气质量持续改善行动计划》; 电解铝行业节能降碳专项行动"
        "计划, 2024); 关中五市一区属汾渭平原",
        False,
    ),
]

ENERGY = [
    (
        "铝液交流电耗",
        "13000",
        dt.date(2025, 1, 1),
        None,
        "《电解铝行业节能降碳专项行动计划》(2024): 2025年起新建、改扩建项目铝液交流电耗 ≤13000 kWh/t, "
        "达到 GB 21346-2022 能效二级",
        False,
    ),
]

# State Council holiday arrangements: (date, working, name). Unverified until the department checks the
# year's notice; add each new year's rows in the admin when the notice appears (usually in November).
_H2025 = "国务院办公厅关于2025年部分节假日安排的通知"
_H2026 = "国务院办公厅关于2026年部分节假日安排的通知"


def _span(first: dt.date, days: int, name: str, source: str) -> list[tuple[dt.date, bool, str, str]]:
    return [(first + dt.timedelta(days=i), False, name, source) for i in range(days)]


CALENDAR: list[tuple[dt.date, bool, str, str]] = [
    *_span(dt.date(2025, 1, 1), 1, "元旦", _H2025),
    (dt.date(2025, 1, 26), True, "春节调休上班", _H2025),
    *_span(dt.date(2025, 1, 28), 8, "春节", _H2025),
    (dt.date(2025, 2, 8), True, "春节调休上班", _H2025),
    *_span(dt.date(2025, 4, 4), 3, "清明节", _H2025),
    (dt.date(2025, 4, 27), True, "劳动节调休上班", _H2025),
    *_span(dt.date(2025, 5, 1), 5, "劳动节", _H2025),
    *_span(dt.date(2025, 5, 31), 3, "端午节", _H2025),
    (dt.date(2025, 9, 28), True, "国庆节调休上班", _H2025),
    *_span(dt.date(2025, 10, 1), 8, "国庆节、中秋节", _H2025),
    (dt.date(2025, 10, 11), True, "国庆节调休上班", _H2025),
    *_span(dt.date(2026, 1, 1), 3, "元旦", _H2026),
    (dt.date(2026, 1, 4), True, "元旦调休上班", _H2026),
    (dt.date(2026, 2, 14), True, "春节调休上班", _H2026),
    *_span(dt.date(2026, 2, 15), 9, "春节", _H2026),
    (dt.date(2026, 2, 28), True, "春节调休上班", _H2026),
    *_span(dt.date(2026, 4, 4), 3, "清明节", _H2026),
    *_span(dt.date(2026, 5, 1), 5, "劳动节", _H2026),
    (dt.date(2026, 5, 9), True, "劳动节调休上班", _H2026),
    *_span(dt.date(2026, 6, 19), 3, "端午节", _H2026),
    (dt.date(2026, 9, 20), True, "国庆节调休上班", _H2026),
    *_span(dt.date(2026, 9, 25), 3, "中秋节", _H2026),
    *_span(dt.date(2026, 10, 1), 7, "国庆节", _H2026),
    (dt.date(2026, 10, 10), True, "国庆节调休上班", _H2026),
]

NATIONAL = [
    (
        dt.date(2025, 10, 31),
        45_000_000,
        45_716_500,
        44_559_300,
        "全国电解铝产能“天花板”约4500万吨/年; 2025年10月建成产能4571.65万吨、运行产能4455.93万吨 (行业统计)",
        True,
    ),
]


def load(apps) -> None:
    Division = apps.get_model("core", "Division")
    Ratio = apps.get_model("capacity", "ReplacementRatio")
    Energy = apps.get_model("capacity", "EnergyThreshold")
    Day = apps.get_model("capacity", "CalendarDay")
    National = apps.get_model("capacity", "NationalCapacityFigure")
    for region, codes, start, end, ratio, banned, source, verified in RATIOS:
        row = Ratio.objects.create(
            region_name=region,
            valid_from=start,
            valid_to=end,
            min_ratio=ratio,
            no_new_capacity=banned,
            source=source,
            verified=verified,
        )
        divisions = [
            d
            for c in codes
            for d in Division.objects.filter(valid_to__isnull=True).filter(
                **({"code": c} if c.isdigit() else {"name": c})
            )
        ]
        row.divisions.set(divisions)
    for measure, value, start, end, source, verified in ENERGY:
        Energy.objects.create(
            measure=measure, max_kwh_per_t=value, valid_from=start, valid_to=end, source=source, verified=verified
        )
    for day, working, name, source in CALENDAR:
        Day.objects.update_or_create(date=day, defaults={"working": working, "name": name, "source": source})
    for as_of, ceiling, built, running, source, verified in NATIONAL:
        National.objects.create(
            as_of=as_of, ceiling_t=ceiling, built_t=built, running_t=running, source=source, verified=verified
        )


def unload(apps) -> None:
    for model in ("ReplacementRatio", "EnergyThreshold", "CalendarDay", "NationalCapacityFigure"):
        apps.get_model("capacity", model).objects.filter(verified=False).delete()
    apps.get_model("capacity", "ReplacementRatio").objects.all().delete()
    apps.get_model("capacity", "NationalCapacityFigure").objects.all().delete()
