"""The demo's monthly statistical reports: January 2015 to December 2020, and the current year up to the
latest month whose reports are due (stats.overdue.latest_due_month). Every enterprise with a production
unit operating in a month reports for it, with one line per unit operating or idle in the month (idle
units report zero output), through stats.services like any report.

Shaping (so that some targets of 一(二) are met and some not, and early warnings have something to find):

- Tonnes are physical. A unit's output is its capacity for the days it operated in the month times a
  run rate: a province-wide activity level per year (ACTIVITY, lower in February) times the unit's own
  efficiency and monthly noise, never above 105% of capacity (the checks allow 110%). Mines report
  concentrate (ore × YIELD). Production growth is therefore emergent from the registry's units and their
  start dates plus ACTIVITY: above the 8% target in some years and below it in others.
- Electrolytic aluminium runs at ELECTROLYSIS_RUN: Tongchuan's old 220 kt potline runs at 72% in the
  first half of 2016 (three and more months below 75%), near 80% in 2017-2018, and drops to about 70%
  in 2019-2020 (power costs), while Yulin's new potlines ramp up and run at about 90%. The province is
  near 80% (met in some years, off track in others) and Tongchuan is the city that holds it back.
- Money is calibrated, one factor per year, so that the shape holds at every scale: deep-processing
  output values are scaled so that the deep-processing share follows DEEP_SHARE (below 50% until 2019,
  above it in 2020: met), then every money figure is scaled so that the province's value added follows
  VALUE_ADDED_YI (918 亿元 in 2020: the 1,000 亿元 target is missed, and the path to it is not held).
  Deep-processing firms are few and small in the catalogue, so the share needs their output valued
  about seven times higher, relative to other products, than the PRICES list does. Measured with seed
  42: at scale 1 (200 enterprises standing in for a province) output values come out at 3-4× the list
  for most products and 20-27× for deep-processing ones; at scale 10, 0.6-0.9× and 4-5×.
- Tongchuan's smelter also earns less each year from 2019 (its value-added rate is squeezed and its
  profit turns negative), so Tongchuan's value added falls year on year in 2019 and 2020.
- Value added is a stage-dependent share of the output value (always below it), revenue is within a few
  percent of the output value, energy and electricity follow per-tonne intensities (electrolysis: the
  AC consumption of 13,200-14,200 kWh/t), employees follow the registry.

Deliberately not accepted, in the latest month due: three reports returned with reasons (by the Yulin
and Baoji city personas and by the department), a few submitted and awaiting the city or the
department, some drafts and some missing reports (the overdue enterprises). One accepted report of the
Baoji titanium leader (June 2020) is corrected: revision 2 with its reason, accepted.

Deterministic: every draw comes from a generator seeded by (seed, scale, enterprise key, month), so the
same seed and scale give the same reports; only the current-year months depend on the day it runs."""

import calendar
import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from youse.core.models import User
from youse.registry.models import Enterprise, ProductionUnit, UnitStatusChange
from youse.registry.rules import UnitStatus
from youse.stats import overdue, rules, services
from youse.stats.models import MonthlyReport, ReportStatus

FIRST_YEAR, LAST_HISTORY_YEAR = 2015, 2020
TONGCHUAN, YULIN, BAOJI = "610200", "610800", "610300"
REASON = "示例数据：统计局核定数"

# --- The shape (see the module docstring) ------------------------------------------------------------
# Keys are years; LATER applies to every year after 2020 (the current year).
LATER = 0
VALUE_ADDED_YI = {2015: 560, 2016: 603, 2017: 668, 2018: 742, 2019: 811, 2020: 918, LATER: 1420}
DEEP_SHARE = {2015: 37.0, 2016: 39.5, 2017: 42.5, 2018: 46.0, 2019: 49.4, 2020: 52.6, LATER: 58.0}
ACTIVITY = {2015: 0.74, 2016: 0.72, 2017: 0.73, 2018: 0.70, 2019: 0.72, 2020: 0.78, LATER: 0.84}
FEBRUARY = 0.9  # the Spring Festival
ELECTROLYSIS_RUN = {
    TONGCHUAN: {2015: 0.85, 2016: 0.80, 2017: 0.81, 2018: 0.79, 2019: 0.71, 2020: 0.67, LATER: 0.74},
    "": {2015: 0.88, 2016: 0.86, 2017: 0.88, 2018: 0.88, 2019: 0.88, 2020: 0.92, LATER: 0.90},
}
TONGCHUAN_2016_FIRST_HALF = 0.72
# Tongchuan's smelter: value-added rate multiplier and profit margin in its bad years.
TONGCHUAN_SQUEEZE = {2019: (0.5, -0.04), 2020: (0.3, -0.08), LATER: (0.8, -0.01)}
RAMP_UP = (0.55, 0.75, 0.9)  # a new potline's first months

# Prices in 万元 per tonne of product (2020 level) before calibration; by product, else by stage.
PRICES = {
    "电解铝液": 1.25, "铝合金锭": 1.4, "铝镁合金": 1.6, "建筑及工业铝型材": 1.9, "电池铝箔": 3.0,
    "铝合金轮毂": 2.8, "石墨烯铝基复合材料": 20, "再生铝合金锭": 1.2, "预焙阳极": 0.35,
    "原镁": 1.6, "镁合金锭": 1.8, "镁合金压铸件": 5.0,
    "海绵钛": 6.5, "钛及钛合金铸锭": 9, "钛及钛合金板材": 15, "钛及钛合金管材": 18, "钛棒、钛丝": 16,
    "航空航天钛合金锻件": 35, "医用钛合金植入物": 150, "钛制换热器及压力容器": 25, "3D打印钛合金粉末": 60,
    "回收钛锭": 5,
    "钼精矿": 10, "焙烧钼精矿（工业氧化钼）": 12, "钼铁": 10, "四钼酸铵/七钼酸铵": 14, "高纯钼粉": 25,
    "大型钼板": 40, "钼丝、钼棒": 35, "平板显示用钼溅射靶材": 120, "二硫化钼": 30, "TZM钼合金制品": 50,
    "电锌": 1.9, "电铅": 1.5, "铅精矿、锌精矿": 1.0, "次氧化锌": 0.6, "热镀锌合金、压铸锌合金": 2.0,
    "超细锌粉": 2.3, "再生铅": 1.4,
    "含钒石煤": 0.02, "五氧化二钒": 10, "钒氮合金": 15, "钒铁": 11, "全钒液流电池电解液": 1.8,
}  # fmt: skip
STAGE_PRICES = {"mining": 1.0, "smelting": 2.0, "processing": 3.0, "deep_processing": 10.0, "recycling": 1.2}
STAGE_VA_RATE = {"mining": 0.38, "smelting": 0.2, "processing": 0.22, "deep_processing": 0.3, "recycling": 0.16}
# Product tonnes per tonne of ore for units rated in tonnes of ore a day (vanadium: the stone coal of
# usable grade shipped to the roasters).
YIELD = {"Mo": 0.002, "Zn": 0.12, "Pb": 0.12, "V": 0.1}
# (fuel in tce, electricity in kWh) per tonne of product; electricity counts 0.1229 kgce/kWh on top.
INTENSITY = {
    ("Mg", "smelting"): (4.5, 1000), ("Ti", "smelting"): (2.5, 9000), ("Zn", "smelting"): (0.9, 3300),
    ("Pb", "smelting"): (0.35, 450), ("Mo", "smelting"): (0.3, 350), ("V", "smelting"): (3.0, 5000),
    ("Al", "smelting"): (0.05, 0), ("Mo", "mining"): (6.0, 9000), ("Zn", "mining"): (0.05, 150),
    ("V", "mining"): (0.002, 5),
}  # fmt: skip
STAGE_INTENSITY = {"mining": (0.05, 100), "processing": (0.15, 400), "deep_processing": (0.4, 1500),
                   "recycling": (0.12, 150), "smelting": (1.0, 1500)}  # fmt: skip
KWH_TCE = 0.0001229

Progress = Callable[[], None]


# --- What the draw needs to know about the registry ---------------------------------------------------


@dataclass(frozen=True)
class UnitInfo:
    id: int
    index: int  # position within its enterprise: draws are keyed by it, never by database ids
    metal: str
    stage: str
    product: str
    capacity: float
    capacity_unit: str
    history: tuple[tuple[dt.date, str], ...]

    @property
    def electrolysis(self) -> bool:
        return self.metal == "Al" and self.stage == "smelting" and self.capacity_unit == "t/a"

    @property
    def first_operating(self) -> dt.date | None:
        return min((on for on, status in self.history if status == UnitStatus.OPERATING), default=None)


@dataclass(frozen=True)
class EnterpriseInfo:
    id: int
    key: str  # the plan's key
    city: str  # prefecture code
    employees: int
    units: tuple[UnitInfo, ...]


def load_enterprises(keys: dict[int, str]) -> list[EnterpriseInfo]:
    """The enterprises named in `keys` (id → plan key), their units and histories, in three queries."""
    ents = Enterprise.objects.filter(pk__in=keys).values("id", "employees", "division__prefecture__code")
    history: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    changes = UnitStatusChange.objects.filter(unit__plant__enterprise__in=keys).order_by("effective_on", "id")
    for unit_id, on, status in changes.values_list("unit_id", "effective_on", "to_status"):
        history[unit_id].append((on, status))
    units: dict[int, list[UnitInfo]] = defaultdict(list)
    rows = ProductionUnit.objects.filter(plant__enterprise__in=keys).order_by("id")
    for u in rows.values(
        "id", "plant__enterprise_id", "metal__code", "stage__code", "product", "design_capacity", "capacity_unit"
    ):
        own = units[u["plant__enterprise_id"]]
        own.append(
            UnitInfo(
                u["id"],
                len(own),
                u["metal__code"],
                u["stage__code"],
                u["product"],
                float(u["design_capacity"] or 0),
                u["capacity_unit"],
                tuple(history[u["id"]]),
            )
        )
    return sorted(
        (
            EnterpriseInfo(
                e["id"],
                keys[e["id"]],
                e["division__prefecture__code"] or "",
                e["employees"] or 0,
                tuple(units[e["id"]]),
            )
            for e in ents
        ),
        key=lambda e: e.key,
    )


# --- Months --------------------------------------------------------------------------------------------


def report_months(today: dt.date) -> list[dt.date]:
    """2015-01 … 2020-12, then January of the latest due month's year up to that month."""
    months = [dt.date(y, m, 1) for y in range(FIRST_YEAR, LAST_HISTORY_YEAR + 1) for m in range(1, 13)]
    latest = overdue.latest_due_month(today)
    if latest.year > LAST_HISTORY_YEAR:
        months += [dt.date(latest.year, m, 1) for m in range(1, latest.month + 1)]
    return [m for m in months if m <= latest]


def _year_key(year: int) -> int:
    return year if year <= LAST_HISTORY_YEAR else LATER


# --- The draw (pure) -----------------------------------------------------------------------------------


@dataclass
class RawLine:
    unit: UnitInfo
    output_t: Decimal
    raw_value: float  # 万元 before calibration
    va_rate: float
    al_liquid_t: Decimal | None = None
    ac_kwh_per_t: Decimal | None = None
    ac_total_kwh_per_t: Decimal | None = None

    @property
    def deep(self) -> bool:
        return self.unit.stage == "deep_processing"


@dataclass
class RawReport:
    enterprise: EnterpriseInfo
    period: dt.date
    lines: list[RawLine] = field(default_factory=list)
    employees: int = 0
    energy_tce: float = 0.0
    electricity_kwh: float = 0.0
    fly_ash_t: float = 0.0
    slag_t: float = 0.0
    tailings_t: float = 0.0
    revenue_ratio: float = 1.0
    margin: float = 0.0


def _tonnes(x: float) -> Decimal:
    return Decimal(f"{max(x, 0.0):.4f}").quantize(Decimal("0.001"), rounding=ROUND_DOWN)


def _money(x: float) -> Decimal:
    return Decimal(f"{x:.4f}").quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _rng(seed: int, scale: int, *parts: object) -> random.Random:
    return random.Random(":".join(str(p) for p in ("youse-reports", seed, scale, *parts)))


def _electrolysis_run(city: str, period: dt.date, unit: UnitInfo, rng: random.Random) -> float:
    table = ELECTROLYSIS_RUN.get(city, ELECTROLYSIS_RUN[""])
    run = table.get(_year_key(period.year), table[LATER])
    if city == TONGCHUAN and period.year == 2016 and period.month <= 6:
        run = TONGCHUAN_2016_FIRST_HALF
    started = unit.first_operating
    if started is not None:
        age = (period.year - started.year) * 12 + period.month - started.month
        if 0 <= age < len(RAMP_UP):
            run *= RAMP_UP[age]
    return min(run + rng.uniform(-0.015, 0.015), 1.05)


def draw(ent: EnterpriseInfo, period: dt.date, seed: int, scale: int) -> RawReport | None:
    """One enterprise's report for one month before calibration, or None when it need not report."""
    days = calendar.monthrange(period.year, period.month)[1]
    start, end = period, period.replace(day=days)
    spans = [
        (
            u,
            rules.days_in_status(list(u.history), overdue.OPERATING, start, end),
            rules.days_in_status(list(u.history), frozenset({"operating", "idle"}), start, end),
        )
        for u in ent.units
    ]
    if not any(op for _u, op, _cap in spans):
        return None
    rng = _rng(seed, scale, ent.key, f"{period:%Y-%m}")
    steady = _rng(seed, scale, ent.key)  # the enterprise's lasting traits
    efficiency = [steady.uniform(0.82, 1.12) for _ in ent.units]
    va_factor = steady.uniform(0.85, 1.15)
    year_traits = _rng(seed, scale, ent.key, period.year)
    margin = year_traits.gauss(0.05, 0.03)
    year = _year_key(period.year)
    year_days = 366 if calendar.isleap(period.year) else 365
    activity = ACTIVITY[year] * (FEBRUARY if period.month == 2 else 1.0)
    reuse = min(0.3 + 0.07 * (period.year - FIRST_YEAR), 0.8)
    report = RawReport(ent, period)
    fuel = electricity = 0.0
    for (unit, op_days, cap_days), eff in zip(spans, efficiency, strict=True):
        if not cap_days:
            continue
        noise = rng.uniform(0.94, 1.06)
        share = op_days / days
        va_rate = STAGE_VA_RATE.get(unit.stage, 0.2) * va_factor
        if unit.electrolysis:
            run = _electrolysis_run(ent.city, period, unit, rng) if op_days else 0.0
            al = _tonnes(unit.capacity * days / year_days * share * run)
            line = RawLine(unit, al, float(al) * PRICES["电解铝液"], va_rate, al_liquid_t=al)
            if al > 0:
                total = rng.uniform(13250, 13500) if ent.city != TONGCHUAN else rng.uniform(13750, 14100)
                line.ac_total_kwh_per_t = Decimal(f"{total:.1f}")
                line.ac_kwh_per_t = Decimal(f"{total - rng.uniform(300, 450):.1f}")
                electricity += float(al) * total * 1.02
                report.fly_ash_t += float(al) * 0.2 * reuse
        else:
            run = min(activity * eff * noise, 1.05) if op_days else 0.0
            if unit.capacity_unit == "t/a":
                output = unit.capacity * days / year_days * share * run
            else:  # tonnes of ore a day: concentrate (or ore) from the ore mined
                ore = unit.capacity * days * share * run * 0.9
                output = ore * YIELD.get(unit.metal, 0.1)
                report.tailings_t += (ore - output) * 0.1 * reuse
            tonnes = _tonnes(output)
            price = PRICES.get(unit.product, STAGE_PRICES.get(unit.stage, 2.0))
            line = RawLine(unit, tonnes, float(tonnes) * price, va_rate)
            per_t_fuel, per_t_kwh = INTENSITY.get((unit.metal, unit.stage), STAGE_INTENSITY.get(unit.stage, (0.2, 500)))
            fuel += float(tonnes) * per_t_fuel * noise
            electricity += float(tonnes) * per_t_kwh * noise
            if unit.metal == "Mg" and unit.stage == "smelting":
                report.slag_t += float(tonnes) * 5 * reuse
        report.lines.append(line)
    if ent.city == TONGCHUAN and year in TONGCHUAN_SQUEEZE and any(u.electrolysis for u in ent.units):
        # The smelter's bad years: dearer power squeezes every line of the company.
        squeeze, margin = TONGCHUAN_SQUEEZE[year]
        for line in report.lines:
            line.va_rate *= squeeze
    report.employees = max(5, round((ent.employees or 50) * rng.uniform(0.97, 1.03)))
    report.electricity_kwh = electricity
    report.energy_tce = fuel + electricity * KWH_TCE
    report.revenue_ratio = rng.uniform(0.95, 1.03)
    report.margin = margin
    return report


# --- Calibration -------------------------------------------------------------------------------------


@dataclass
class YearSums:
    deep_value: float = 0.0
    other_value: float = 0.0
    deep_va: float = 0.0
    other_va: float = 0.0
    months: set[int] = field(default_factory=set)

    def add(self, report: RawReport) -> None:
        self.months.add(report.period.month)
        for line in report.lines:
            if line.deep:
                self.deep_value += line.raw_value
                self.deep_va += line.raw_value * line.va_rate
            else:
                self.other_value += line.raw_value
                self.other_va += line.raw_value * line.va_rate


@dataclass(frozen=True)
class Calibration:
    """Factors on the drawn output values of one year: deep-processing lines × `deep`, the others ×
    `other`, then every money figure × `money`. The deep-processing share needs deep ÷ other = d; it is
    split as √d and 1/√d so that neither kind of product strays further from its list price than it must."""

    deep: float
    other: float
    money: float

    @classmethod
    def of(cls, year: int, sums: YearSums) -> "Calibration":
        share = DEEP_SHARE[_year_key(year)] / 100
        ratio = share * sums.other_value / ((1 - share) * sums.deep_value) if sums.deep_value else 1.0
        deep, other = math.sqrt(ratio), 1 / math.sqrt(ratio)
        value_added_wan = VALUE_ADDED_YI[_year_key(year)] * 10000 * len(sums.months) / 12
        calibrated_va = deep * sums.deep_va + other * sums.other_va
        return cls(deep, other, value_added_wan / calibrated_va if calibrated_va else 1.0)


def report_input(raw: RawReport, cal: Calibration) -> services.ReportInput:
    """The calibrated figures of a drawn report, as the batch door takes them."""
    lines, total, value_added = [], Decimal(0), Decimal(0)
    for ln in raw.lines:
        value = _money(ln.raw_value * cal.money * (cal.deep if ln.deep else cal.other))
        total += value
        value_added += value * Decimal(f"{ln.va_rate:.4f}")
        lines.append(
            {
                "unit": ln.unit.id,
                "output_t": ln.output_t,
                "output_value": value,
                "al_liquid_t": ln.al_liquid_t,
                "ac_kwh_per_t": ln.ac_kwh_per_t,
                "ac_total_kwh_per_t": ln.ac_total_kwh_per_t,
            }
        )
    figures = {
        "value_added": min(value_added.quantize(Decimal("0.01")), total),
        "revenue": _money(float(total) * raw.revenue_ratio),
        "profit": _money(float(total) * raw.margin),
        "energy_tce": _tonnes(raw.energy_tce),
        "electricity_kwh": _money(raw.electricity_kwh),
        "employees": raw.employees,
        "fly_ash_used_t": _tonnes(raw.fly_ash_t),
        "slag_used_t": _tonnes(raw.slag_t),
        "tailings_used_t": _tonnes(raw.tailings_t),
    }
    return services.ReportInput(raw.enterprise.id, raw.period, figures, lines, source="示例数据")


def calibrations(
    enterprises: list[EnterpriseInfo], months: list[dt.date], seed: int, scale: int
) -> dict[int, Calibration]:
    sums: dict[int, YearSums] = defaultdict(YearSums)
    for month in months:
        for ent in enterprises:
            raw = draw(ent, month, seed, scale)
            if raw is not None:
                sums[month.year].add(raw)
    return {year: Calibration.of(year, s) for year, s in sums.items()}


def monthly_inputs(
    enterprises: list[EnterpriseInfo], months: list[dt.date], seed: int, scale: int
) -> Iterator[tuple[dt.date, list[services.ReportInput]]]:
    """Every report of the data set, calibrated, month by month (pure: no database)."""
    cal = calibrations(enterprises, months, seed, scale)
    for month in months:
        drawn = (draw(ent, month, seed, scale) for ent in enterprises)
        yield month, [report_input(raw, cal[month.year]) for raw in drawn if raw is not None]


# --- Writing through the service functions -------------------------------------------------------------


@dataclass
class Deliberate:
    """The reports of the latest month that are not simply accepted, by enterprise id."""

    returned: dict[int, tuple[str, str]] = field(default_factory=dict)  # id → (reviewer username, reason)
    submitted: set[int] = field(default_factory=set)
    city_accepted: dict[int, str] = field(default_factory=dict)  # id → city username
    draft: set[int] = field(default_factory=set)
    missing: set[int] = field(default_factory=set)

    @property
    def all(self) -> set[int]:
        return set(self.returned) | self.submitted | set(self.city_accepted) | self.draft | self.missing


RETURN_REASONS = {
    YULIN: "本月产量较上月增长超过30%，与用电量不匹配，请核实后重新报送",
    BAOJI: "工业增加值率明显高于同类企业，请补充说明核算依据",
    "": "缺少从业人员期末人数的说明，产值与主营业务收入差异较大，请核实",
}
CITY_USERS = {YULIN: "yulin", BAOJI: "baoji"}
CORRECTION = ("baoji-ti", dt.date(2020, 6, 1), "统计局反馈：工业增加值核算口径调整，按核定数更正")


def choose_deliberate(followers: list[EnterpriseInfo], seed: int, scale: int) -> Deliberate:
    """Pick, deterministically, the followers whose latest report is returned, awaiting review, a draft
    or missing. `followers` are those that must report for the latest month."""
    rng = _rng(seed, scale, "deliberate")
    pool = sorted(followers, key=lambda e: e.key)
    chosen = Deliberate()
    taken: set[int] = set()

    def pick(candidates: list[EnterpriseInfo], n: int) -> list[EnterpriseInfo]:
        free = [e for e in candidates if e.id not in taken]
        picked = rng.sample(free, min(n, len(free)))
        taken.update(e.id for e in picked)
        return picked

    yulin = [e for e in pool if e.city == YULIN]
    baoji = [e for e in pool if e.city == BAOJI]
    others = [e for e in pool if e.city not in (YULIN, BAOJI)]
    for city, candidates in ((YULIN, yulin), (BAOJI, baoji), ("", others)):
        for e in pick(candidates, 1):
            chosen.returned[e.id] = (CITY_USERS.get(city, "gxt"), RETURN_REASONS[city])
    chosen.submitted.update(e.id for e in pick(yulin, 2))
    for city, candidates in ((YULIN, yulin), (BAOJI, baoji)):
        for e in pick(candidates, 1):
            chosen.city_accepted[e.id] = CITY_USERS[city]
    n = max(2, round(0.015 * len(pool)))
    chosen.draft.update(e.id for e in pick(pool, n))
    chosen.missing.update(e.id for e in pick(pool, n))
    return chosen


def build(
    department: User,
    users: dict[str, User],
    keys: dict[int, str],
    leaders: set[str],
    seed: int,
    scale: int,
    today: dt.date,
    *,
    progress: Progress | None = None,
) -> int:
    """File the demo's reports; returns how many reports exist. Runs inside the demo's transaction."""
    enterprises = load_enterprises(keys)
    months = report_months(today)
    latest = months[-1] if months else None
    deliberate = Deliberate()
    held: dict[int, services.ReportInput] = {}
    for month, inputs in monthly_inputs(enterprises, months, seed, scale):
        if month == latest:
            due = {i.enterprise_id for i in inputs}
            followers = [e for e in enterprises if e.id in due and e.key not in leaders]
            deliberate = choose_deliberate(followers, seed, scale)
            held = {i.enterprise_id: i for i in inputs if i.enterprise_id in deliberate.all}
            inputs = [i for i in inputs if i.enterprise_id not in deliberate.all]
        result = services.file_reports(department, inputs, status=ReportStatus.ACCEPTED, reason=REASON)
        if result.problems:
            shown = "; ".join(f"{i.enterprise_id} {i.period:%Y-%m} {p}" for i, p in result.problems[:5])
            raise RuntimeError(f"the demo drew implausible reports ({len(result.problems)}): {shown}")
        if progress:
            progress()
    _file_deliberate(department, users, deliberate, held)
    _correct(users, keys)
    return MonthlyReport.objects.count()


def _file_deliberate(
    department: User, users: dict[str, User], chosen: Deliberate, held: dict[int, services.ReportInput]
) -> None:
    by_id = Enterprise.objects.in_bulk(list(held))
    for ent_id, item in sorted(held.items()):
        if ent_id in chosen.missing:
            continue
        report = services.save_report(department, by_id[ent_id], item.period, item.figures, item.lines, REASON)
        if ent_id in chosen.draft:
            continue
        services.submit_report(department, report)
        if ent_id in chosen.returned:
            reviewer, reason = chosen.returned[ent_id]
            services.return_report(users.get(reviewer, department), report, reason)
        elif ent_id in chosen.city_accepted:
            services.accept_report(users[chosen.city_accepted[ent_id]], report)


def _correct(users: dict[str, User], keys: dict[int, str]) -> None:
    """Baoji's titanium leader corrects an accepted report; the department accepts revision 2."""
    key, period, reason = CORRECTION
    ent_id = next((pk for pk, k in keys.items() if k == key), None)
    report = MonthlyReport.objects.filter(enterprise_id=ent_id, period=period, status=ReportStatus.ACCEPTED).first()
    if report is None:
        return
    actor = users.get("ent-b") or users["gxt"]
    department = users["gxt"]
    services.start_correction(actor, report, reason)
    revision = report.current
    figures = {f: getattr(revision, f) for f in services.FIGURE_FIELDS}
    figures["value_added"] = (revision.value_added * Decimal("0.96")).quantize(Decimal("0.01"))
    lines = [
        {
            "unit": ln.unit_id,
            "output_t": ln.output_t,
            "output_value": ln.output_value,
            "al_liquid_t": ln.al_liquid_t,
            "ac_kwh_per_t": ln.ac_kwh_per_t,
            "ac_total_kwh_per_t": ln.ac_total_kwh_per_t,
        }
        for ln in revision.lines.order_by("id")
    ]
    services.save_report(actor, report.enterprise, period, figures, lines, reason)
    services.submit_report(actor, report)
    services.accept_report(department, report, reason)
