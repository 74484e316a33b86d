"""The indicators of clause 一(二) as pure functions: one definition each (docs/indicators.md).

No ORM and no I/O: the queries in stats/indicators.py gather sums from accepted reports, and these
functions turn sums into indicators, compare them with targets and decide warnings. Rounding is done
here, once: money to 0.01 亿元, percentages to 0.1, half up, as published figures are."""

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

WAN_PER_YI = Decimal(10000)  # reports are in 万元, indicators in 亿元
CENT = Decimal("0.01")
TENTH = Decimal("0.1")


def money_yi(sum_wan: Decimal) -> Decimal:
    """万元 summed from reports → 亿元 to the cent."""
    return (Decimal(sum_wan) / WAN_PER_YI).quantize(CENT, rounding=ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """part ÷ whole in percent to a tenth; None when the whole is zero (no data, not 0%)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP)


def growth(current: Decimal, previous: Decimal) -> Decimal | None:
    """Year-on-year growth in percent; None without a previous figure."""
    if not previous:
        return None
    return ((Decimal(current) / Decimal(previous) - 1) * 100).quantize(TENTH, rounding=ROUND_HALF_UP)


def compound_growth(current: Decimal, base: Decimal, years: int) -> Decimal | None:
    """Average annual (compound) growth in percent from a base-year figure over `years` years."""
    if not base or years <= 0 or not current:
        return None
    # Decimal throughout (not float): a rate that lies on a rounding boundary must round the same way
    # in every recomputation.
    ratio = Decimal(current) / Decimal(base)
    rate = ratio ** (Decimal(1) / Decimal(years)) - 1
    return (rate * 100).quantize(TENTH, rounding=ROUND_HALF_UP)


def utilisation(al_liquid_t: Decimal, capacity_tonne_days: Decimal, days_in_year: int) -> Decimal | None:
    """Electrolytic aluminium capacity utilisation in percent.

    `capacity_tonne_days` is Σ (unit's annual capacity × days the unit was operating or idle in the
    period); dividing by the days of the year gives the capacity available in the period."""
    if not capacity_tonne_days:
        return None
    available = Decimal(capacity_tonne_days) / Decimal(days_in_year)
    return percent(al_liquid_t, available)


def rank(own: Decimal, others: list[Decimal]) -> int:
    """1-based rank among provinces by revenue: one plus the number of provinces strictly ahead."""
    return 1 + sum(1 for other in others if Decimal(other) > Decimal(own))


# --- Periods -----------------------------------------------------------------------------------------

_PERIOD = re.compile(r"^(?P<year>\d{4})(?:(?:-(?P<month>\d{1,2})(?P<ytd>-?ytd)?)|(?:-?[qQ](?P<quarter>[1-4])))?$", re.I)


@dataclass(frozen=True)
class Period:
    """A month, a quarter, a year or a year to date (January up to `month`)."""

    kind: str  # "month" | "quarter" | "year" | "ytd"
    year: int
    number: int = 0  # month (month, ytd) or quarter

    @property
    def first_month(self) -> int:
        return {"month": self.number, "quarter": 3 * self.number - 2, "year": 1, "ytd": 1}[self.kind]

    @property
    def last_month(self) -> int:
        return {"month": self.number, "quarter": 3 * self.number, "year": 12, "ytd": self.number}[self.kind]

    @property
    def months(self) -> list[dt.date]:
        return [dt.date(self.year, m, 1) for m in range(self.first_month, self.last_month + 1)]

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the period."""
        return dt.date(self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1])

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def days_in_year(self) -> int:
        return 366 if calendar.isleap(self.year) else 365

    @property
    def month_count(self) -> int:
        return self.last_month - self.first_month + 1

    def shifted(self, years: int) -> "Period":
        return Period(self.kind, self.year + years, self.number)

    def previous(self) -> "Period":
        """The period just before, of the same kind (for runs of consecutive periods)."""
        if self.kind == "month":
            return (
                Period("month", self.year - 1, 12) if self.number == 1 else Period("month", self.year, self.number - 1)
            )
        if self.kind == "quarter":
            return (
                Period("quarter", self.year - 1, 4)
                if self.number == 1
                else Period("quarter", self.year, self.number - 1)
            )
        return Period(self.kind, self.year - 1, self.number)

    def __str__(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year}Q{self.number}"
        if self.kind == "ytd":
            return f"{self.year}-{self.number:02d}-ytd"
        return str(self.year)


class PeriodError(ValueError):
    pass


def parse_period(text: str) -> Period:
    """'2020' a year, '2020-06' a month, '2020Q2' a quarter, '2020-06-ytd' January–June 2020."""
    m = _PERIOD.match((text or "").strip())
    if not m:
        raise PeriodError(f"not a period: {text!r} (use 2020, 2020-06, 2020Q2 or 2020-06-ytd)")
    year = int(m["year"])
    if m["quarter"]:
        return Period("quarter", year, int(m["quarter"]))
    if m["month"]:
        month = int(m["month"])
        if not 1 <= month <= 12:
            raise PeriodError(f"month {month} does not exist")
        return Period("ytd" if m["ytd"] else "month", year, month)
    return Period("year", year)


def days_in_status(history: list[tuple[dt.date, str]], statuses: frozenset[str], start: dt.date, end: dt.date) -> int:
    """Days from `start` to `end` (inclusive) during which a unit held one of `statuses`.

    `history` is the unit's status changes as (effective date, new status), in any order of dates;
    changes on the same day keep the order given (the order they were recorded in), so the last one
    recorded that day holds."""
    changes = sorted(history, key=lambda change: change[0])
    total = 0
    for i, (since, status) in enumerate(changes):
        until = changes[i + 1][0] - dt.timedelta(days=1) if i + 1 < len(changes) else end
        if status not in statuses:
            continue
        lo, hi = max(since, start), min(until, end)
        if lo <= hi:
            total += (hi - lo).days + 1
    return total


# --- Targets -------------------------------------------------------------------------------------------

MET, ON_TRACK, OFF_TRACK, MISSED, UNKNOWN = "met", "on_track", "off_track", "missed", "unknown"


def meets(value: Decimal, comparator: str, target: Decimal) -> bool:
    return {
        "gte": value >= target,
        "gt": value > target,
        "lte": value <= target,
        "lt": value < target,
        "rank_lte": value <= target,
    }[comparator]


def required_path(
    base_value: Decimal, target: Decimal, base_year: int, target_year: int, year: int, compound: bool
) -> Decimal:
    """The value a year must reach to stay on the path from the base year to the target.

    Amounts (value added) grow along a compound path; shares (percentages) along a straight line."""
    if year >= target_year or target_year <= base_year:
        return Decimal(target)
    fraction = (year - base_year) / (target_year - base_year)
    if compound and base_value and base_value > 0:
        value = float(base_value) * (float(target) / float(base_value)) ** fraction
        return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    return (Decimal(base_value) + (Decimal(target) - Decimal(base_value)) * Decimal(fraction)).quantize(
        CENT, rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class TargetCheck:
    status: str
    required: Decimal | None  # what the period had to reach to be on the path (or the target itself)
    gap: Decimal | None  # value − required (negative: short of it)


def check_target(
    value: Decimal | None,
    comparator: str,
    target: Decimal,
    *,
    year: int,
    target_year: int | None,
    per_year: bool,
    base_value: Decimal | None = None,
    base_year: int = 2015,
    compound: bool = False,
    final: bool = True,
) -> TargetCheck:
    """Status of a value against a target of 一(二).

    - A target that holds every year (aluminium utilisation ≥ 80%, growth ≥ 8%): met or off track.
    - A target for a year (value added 1000 亿元 in 2020): met or missed in and after that year; before
      it, on track when the value reaches the path from the base year's value to the target.
    - `final=False` for part of a year (a month, a quarter, a year to date): in the target year itself
      the verdict stays on track / off track, as the year is not over."""
    if value is None:
        return TargetCheck(UNKNOWN, None, None)
    target = Decimal(target)
    if per_year or target_year is None:
        ok = meets(value, comparator, target)
        return TargetCheck(MET if ok else OFF_TRACK, target, value - target)
    if year == target_year and not final:
        ok = meets(value, comparator, target)
        return TargetCheck(ON_TRACK if ok else OFF_TRACK, target, value - target)
    if year >= target_year:
        ok = meets(value, comparator, target)
        return TargetCheck(MET if ok else MISSED, target, value - target)
    if meets(value, comparator, target):
        return TargetCheck(MET, target, value - target)
    if base_value is None or comparator == "rank_lte":
        return TargetCheck(OFF_TRACK, target, value - target)
    needed = required_path(base_value, target, base_year, target_year, year, compound)
    on_path = meets(value, "gte" if comparator in ("gte", "gt") else comparator, needed)
    return TargetCheck(ON_TRACK if on_path else OFF_TRACK, needed, value - needed)


def annualised(value: Decimal, months: int) -> Decimal:
    """An amount for part of a year scaled to twelve months (for checking a yearly amount target)."""
    return (Decimal(value) * 12 / months).quantize(CENT, rounding=ROUND_HALF_UP)


# --- Early warnings --------------------------------------------------------------------------------


def triggered(value: Decimal | None, comparison: str, threshold: Decimal) -> bool:
    if value is None:
        return False
    return meets(Decimal(value), comparison, Decimal(threshold))


def run_length(values_newest_first: list[Decimal | None], comparison: str, threshold: Decimal) -> int:
    """How many periods in a row, counting back from the newest, the rule's condition held."""
    n = 0
    for value in values_newest_first:
        if not triggered(value, comparison, threshold):
            break
        n += 1
    return n
