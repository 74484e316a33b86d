"""Electricity surcharges for electrolytic aluminium (policy clause 三(一)), as pure functions.

Two documents, as reference data (models.SurchargeRuleSet), chosen by the year in which the price
applies (执行年度) and applied to the audited consumption of the year before:
- 发改价格〔2013〕2530号 (2014–2021), on 铝液电解交流电耗: tiers (≤13700 none; up to 13800 +0.02; above
  +0.08 元/kWh);
- 发改价格〔2021〕1239号 (from 2022), on 铝液综合交流电耗: +0.01 元/kWh for each 20 kWh/t started above the
  year's threshold; where the non-hydro renewable share exceeds both 15% and the province's incentive
  weight of the previous year, each further full percentage point cuts the surcharge by 1%.
Plus the differential prices of 发改价格〔2010〕978号 for restricted and eliminated categories. No ORM, no
I/O: tests/pricing/test_rules.py holds the tables."""

import math
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

# Reasons are in the reader's language; translation is a lookup, not I/O.
from django.utils.translation import gettext as _


class Method(StrEnum):
    TIERS = "tiers"  # 2530号: a surcharge per consumption band
    STEPS = "steps"  # 1239号: so much per step of kWh/t started above a threshold


class Category(StrEnum):
    NORMAL = "normal"
    RESTRICTED = "restricted"  # 限制类
    ELIMINATED = "eliminated"  # 淘汰类


@dataclass(frozen=True)
class Tier:
    above: Decimal  # kWh/t strictly above which the tier applies
    surcharge: Decimal  # 元/kWh


@dataclass(frozen=True)
class RuleSet:
    code: str
    document: str
    measure: str  # which consumption it is applied to: "electrolysis_ac" or "comprehensive_ac"
    method: str
    tiers: tuple[Tier, ...] = ()
    threshold: Decimal | None = None
    step_kwh: Decimal | None = None
    step_surcharge: Decimal | None = None
    renewable_base_share: Decimal | None = None  # percent; None: no renewable reduction
    reduction_per_point: Decimal | None = None  # percent of the surcharge per point
    verified: bool = True


@dataclass(frozen=True)
class Differential:
    category: str
    surcharge: Decimal  # 元/kWh
    document: str
    verified: bool = True


@dataclass(frozen=True)
class Inputs:
    year: int  # the year in which the price applies (执行年度)
    consumption: Decimal  # audited kWh/t of the year before, in the rule set's measure
    renewable_share: Decimal | None = None  # percent
    incentive_weight: Decimal | None = None  # percent: the province's previous-year weight
    electricity_kwh: Decimal | None = None  # the aluminium liquid electricity the surcharge is charged on
    category: str = Category.NORMAL
    months_operated: int = 12


@dataclass(frozen=True)
class Computation:
    """Every figure of the arithmetic, so that a smelter can check its surcharge line by line."""

    year: int
    rule_set: str
    document: str
    measure: str
    consumption: Decimal
    excluded: bool
    excluded_reason: str
    threshold: Decimal | None
    excess_kwh: Decimal
    steps: int
    tier_surcharge: Decimal  # 元/kWh before the renewable reduction
    renewable_share: Decimal | None
    renewable_base: Decimal | None
    reduction_points: int
    reduction_percent: Decimal
    surcharge_per_kwh: Decimal  # after the reduction
    differential_per_kwh: Decimal
    differential_document: str
    total_per_kwh: Decimal
    electricity_kwh: Decimal | None
    amount_yuan: Decimal | None
    documents: tuple[str, ...] = field(default_factory=tuple)
    unverified: bool = False

    def as_dict(self) -> dict[str, object]:
        out = {}
        for key, value in asdict(self).items():
            out[key] = str(value) if isinstance(value, Decimal) else list(value) if isinstance(value, tuple) else value
        return out


# Six months: lines that ran less in the year are outside the surcharge (FACTS.md, 1239号).
MIN_MONTHS = 6
PER_KWH = Decimal("0.0001")  # 元/kWh are stated to four decimals
YUAN = Decimal("0.01")


class NoRuleSet(LookupError):
    pass


def rule_set_for(year: int, rule_sets: dict[int, RuleSet] | list[tuple[int, int | None, RuleSet]]) -> RuleSet:
    """The rule set in force in `year`, from (first year, last year or None, rule set) rows."""
    rows = rule_sets.items() if isinstance(rule_sets, dict) else rule_sets
    matches = []
    for row in rows:
        first, last, rs = (row[0], None, row[1]) if len(row) == 2 else row
        if first <= year and (last is None or year <= last):
            matches.append((first, rs))
    if not matches:
        raise NoRuleSet(f"no surcharge rule set is in force in {year}")
    return max(matches, key=lambda m: m[0])[1]


def tier_surcharge(rs: RuleSet, consumption: Decimal) -> tuple[Decimal, Decimal | None, Decimal, int]:
    """(surcharge per kWh before any reduction, threshold, kWh/t above it, steps started)."""
    if rs.method == Method.TIERS:
        applicable = [t for t in rs.tiers if consumption > t.above]
        lowest = min((t.above for t in rs.tiers), default=None)
        if not applicable:
            return Decimal(0), lowest, Decimal(0), 0
        top = max(applicable, key=lambda t: t.above)
        return top.surcharge, lowest, consumption - lowest, 0
    if rs.threshold is None or not rs.step_kwh or rs.step_surcharge is None:
        raise ValueError(f"rule set {rs.code} lacks its threshold or step")
    excess = consumption - rs.threshold
    if excess <= 0:
        return Decimal(0), rs.threshold, Decimal(0), 0
    # A part step counts as a whole step.
    steps = math.ceil(excess / rs.step_kwh)
    return rs.step_surcharge * steps, rs.threshold, excess, steps


def renewable_reduction(
    rs: RuleSet, share: Decimal | None, weight: Decimal | None
) -> tuple[Decimal | None, int, Decimal]:
    """(base the share must exceed, full points above it, percent reduction, at most 100)."""
    if rs.renewable_base_share is None or share is None:
        return None, 0, Decimal(0)
    base = max(rs.renewable_base_share, weight if weight is not None else rs.renewable_base_share)
    if share <= base:
        return base, 0, Decimal(0)
    points = int((share - base) // 1)
    return base, points, min(Decimal(100), points * (rs.reduction_per_point or Decimal(0)))


def compute(inputs: Inputs, rs: RuleSet, differentials: dict[str, Differential] | None = None) -> Computation:
    """The surcharge of one smelter-year with every intermediate figure."""
    differentials = differentials or {}
    excluded = inputs.months_operated < MIN_MONTHS
    reason = (
        _("ran %(m)s months, fewer than %(min)s") % {"m": inputs.months_operated, "min": MIN_MONTHS} if excluded else ""
    )
    base_surcharge, threshold, excess, steps = tier_surcharge(rs, inputs.consumption)
    renewable_base, points, reduction = renewable_reduction(rs, inputs.renewable_share, inputs.incentive_weight)
    per_kwh = (base_surcharge * (100 - reduction) / 100).quantize(PER_KWH, ROUND_HALF_UP)
    diff = differentials.get(inputs.category)
    diff_per_kwh = diff.surcharge if diff and inputs.category != Category.NORMAL else Decimal(0)
    if excluded:
        per_kwh = Decimal(0).quantize(PER_KWH)
        diff_per_kwh = Decimal(0)
    total = (per_kwh + diff_per_kwh).quantize(PER_KWH)
    amount = (
        (total * inputs.electricity_kwh).quantize(YUAN, ROUND_HALF_UP) if inputs.electricity_kwh is not None else None
    )
    documents = (rs.document,) + ((diff.document,) if diff and diff_per_kwh else ())
    return Computation(
        year=inputs.year,
        rule_set=rs.code,
        document=rs.document,
        measure=rs.measure,
        consumption=inputs.consumption,
        excluded=excluded,
        excluded_reason=reason,
        threshold=threshold,
        excess_kwh=max(Decimal(0), excess),
        steps=steps,
        tier_surcharge=base_surcharge.quantize(PER_KWH),
        renewable_share=inputs.renewable_share,
        renewable_base=renewable_base,
        reduction_points=points,
        reduction_percent=reduction,
        surcharge_per_kwh=per_kwh,
        differential_per_kwh=diff_per_kwh.quantize(PER_KWH),
        differential_document=diff.document if diff and diff_per_kwh else "",
        total_per_kwh=total,
        electricity_kwh=inputs.electricity_kwh,
        amount_yuan=amount,
        documents=documents,
        unverified=not rs.verified or bool(diff and diff_per_kwh and not diff.verified),
    )


def overdue_amount(
    amount: Decimal, days_unpaid: int, multiplier: Decimal = Decimal("1.5"), after_days: int = 90
) -> Decimal:
    """1239号: a surcharge unpaid 90 days after notice is charged at 1.5 times."""
    return (amount * multiplier).quantize(YUAN) if days_unpaid > after_days else amount


def weighted_consumption(lines: list[tuple[Decimal, Decimal]]) -> Decimal | None:
    """The year's kWh/t from monthly (kWh/t, tonnes of aluminium liquid) pairs, weighted by output."""
    tonnes = sum((t for _k, t in lines), Decimal(0))
    if tonnes <= 0:
        return None
    return (sum((k * t for k, t in lines), Decimal(0)) / tonnes).quantize(Decimal("0.1"), ROUND_HALF_UP)
