"""Monitoring rules as pure functions: the calculation methods of HJ 212-2017 Appendix D, exceedance
evaluation and the data-quality rules. No ORM and no I/O: monitoring/aggregates.py and alarms.py gather
readings, call these, and write what they return.

Appendix D as applied here (page numbers of ../shared/reference/hj212-2017.txt):
- Valid data. Appendix D averages only "有效测量" (valid measurements). A figure is valid when its data
  flag (table 8, §6.6.4) is N (instrument working normally) or absent. F (stopped), M (maintenance),
  S (manually set value), D (fault), C (calibration), T (above the instrument's range) and B
  (communication failure) are not measurements of the emission and are excluded from every average,
  minimum, maximum and cumulative figure.
- Flue gas (D.2.2, formulas 24 and 25, p. 65): hourly average = arithmetic mean of the valid minute
  averages, an hour needs k ≥ 45 valid minute averages; daily average = arithmetic mean of the valid
  hourly averages, a day needs m ≥ 20 valid hours. The 45 is for one-minute data; for a logger whose
  minute data (2051) come every `interval` seconds the same share is required: ceil(45/60 × 3600 /
  interval) periods (10-minute data: 5 of 6).
- Wastewater (D.1.1–D.1.3, p. 61–63): an hour needs m ≥ 1 valid minute (10-minute) figure, a day h ≥ 1
  valid hour. Concentrations are flow-weighted (加权平均法, formulas 12–14: C = G / D × 10³, i.e.
  Σ Cᵢ·Dᵢ / Σ Dᵢ with Dᵢ the period's discharge) when the discharge of every valid period is known, and
  the arithmetic mean (算术平均法, formulas 15–17) otherwise.
- Cumulative figures (Cou: discharge in m³, pollutant emission in kg or g) are sums over the valid
  periods (formulas 2–4, 9–11, 32, 34). For flue gas without a reported pollutant Cou the hourly
  emission is G_h = C_h × Q_snh × 10⁻⁶ kg (formula 33) from the hour's flow (a00000 Cou, m³).
- Converted (折算, Zs) figures (D.2.3) are computed by the data logger from the oxygen content; they are
  averaged like the plain ones. Exceedance is judged on the converted average where the device sends
  one (D.2.3 (4): where the standard sets no reference oxygen it equals the dry standard concentration),
  otherwise on the plain average.
- Periods: DataTime is the start of the period in Beijing time (UTC+8, no daylight saving); an HJ 212
  day runs 00:00–24:00 Beijing time, i.e. 16:00–16:00 UTC. Hours coincide in both zones."""

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from youse.monitoring.hj212 import codes

BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)

VALID_FLAGS = frozenset({"N", ""})
INSTRUMENT_FLAGS = frozenset({"F", "M", "D", "C", "B"})
ABOVE_RANGE_FLAG = "T"

GAS, WATER = "gas", "water"
GAS_MINUTES_PER_HOUR = 45  # D.2.2 formula (24): 45 ≤ k of 60 one-minute averages
GAS_HOURS_PER_DAY = 20  # D.2.2 formula (25): 20 ≤ m
WATER_PERIODS_PER_HOUR = 1  # D.1.3: 1 ≤ m ≤ 6
WATER_HOURS_PER_DAY = 1  # D.1.3: 1 ≤ h ≤ 24

GAS_FLOW, WATER_FLOW = "a00000", "w00000"

_UNIT_ALIASES = {
    "mg/m³": "mg/m3",
    "µg/m³": "µg/m3",
    "ug/m3": "µg/m3",
    "ng/m³": "ng/m3",
    "ug/L": "µg/L",
    "μg/L": "µg/L",
    "μg/m3": "µg/m3",
    "μg/m³": "µg/m3",
}
_SCALE = {
    "mg/m3": ("m3", 1e-3),
    "µg/m3": ("m3", 1e-6),
    "ng/m3": ("m3", 1e-9),
    "mg/L": ("L", 1e-3),
    "µg/L": ("L", 1e-6),
}

# Physical bounds (not policy): a value outside them is a broken instrument or transmission, not an
# emission. Factors not named here must not be negative.
PHYSICAL_BOUNDS: dict[str, tuple[float, float]] = {
    "w01001": (0.0, 14.0),  # pH
    "a19001": (0.0, 21.0),  # oxygen, % by volume (air is 20.9)
    "a01014": (0.0, 100.0),  # humidity, %
    "a01012": (-60.0, 1500.0),  # flue gas temperature, ℃
    "a01013": (-200.0, 200.0),  # static pressure, kPa
}
DEFAULT_BOUNDS = (0.0, math.inf)


def unit_of(factor: str) -> str:
    """The unit in which a factor's concentration travels (Appendix B); limits carry their own unit and
    values are converted before they are compared."""
    return codes.unit_of(factor)


def normalise_unit(unit: str) -> str:
    return _UNIT_ALIASES.get(unit.strip(), unit.strip())


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """A concentration in another unit (mg/L ↔ µg/L, mg/m³ ↔ µg/m³); ValueError when they do not match."""
    a, b = normalise_unit(from_unit), normalise_unit(to_unit)
    if a == b or not a or not b:
        return value
    if a in _SCALE and b in _SCALE and _SCALE[a][0] == _SCALE[b][0]:
        # 12 significant digits: 500 µg/L must equal a 0.5 mg/L limit, not exceed it by a rounding error.
        return float(f"{value * _SCALE[a][1] / _SCALE[b][1]:.12g}")
    raise ValueError(f"cannot convert {from_unit} to {to_unit}")


# Periods --------------------------------------------------------------------------------------------


def hour_start(t: dt.datetime) -> dt.datetime:
    return t.replace(minute=0, second=0, microsecond=0)


def beijing_day(t: dt.datetime) -> dt.date:
    """The HJ 212 day (Beijing calendar date) that an aware instant falls in."""
    return t.astimezone(BEIJING).date()


def beijing_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of an HJ 212 day in UTC: Beijing 00:00 to 24:00."""
    start = dt.datetime.combine(day, dt.time(0), BEIJING).astimezone(dt.UTC)
    return start, start + DAY


def hours_between(start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """Starts of the whole hours that lie completely inside [start, end)."""
    first = hour_start(start)
    if first < start:
        first += HOUR
    out = []
    while first + HOUR <= end:
        out.append(first)
        first += HOUR
    return out


# Aggregation (Appendix D) -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One period's figures of one factor (a minute or hour reading)."""

    start: dt.datetime
    avg: float | None = None
    min: float | None = None
    max: float | None = None
    cou: float | None = None
    zs_avg: float | None = None
    zs_min: float | None = None
    zs_max: float | None = None
    flag: str = "N"

    @property
    def valid(self) -> bool:
        return (self.flag or "") in VALID_FLAGS and self.avg is not None


@dataclass(frozen=True)
class Aggregate:
    avg: float
    min: float | None
    max: float | None
    cou: float | None
    zs_avg: float | None
    zs_min: float | None
    zs_max: float | None
    valid_periods: int
    method: str  # "arithmetic" or "flow-weighted"
    flag: str = "N"


def required_per_hour(medium: str, interval_s: int) -> int:
    """Valid minute (2051) figures an hour needs (D.2.2 formula 24 for flue gas, D.1.3 for wastewater)."""
    if medium == WATER:
        return WATER_PERIODS_PER_HOUR
    periods = max(1, 3600 // max(1, interval_s))
    return max(1, math.ceil(GAS_MINUTES_PER_HOUR * periods / 60))


def required_per_day(medium: str) -> int:
    return WATER_HOURS_PER_DAY if medium == WATER else GAS_HOURS_PER_DAY


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _weighted(values: Sequence[float], weights: Sequence[float]) -> float:
    return math.fsum(v * w for v, w in zip(values, weights, strict=True)) / math.fsum(weights)


def _extreme(samples: Sequence[Sample], field: str, fallback: str, pick) -> float | None:
    values = [getattr(s, field) if getattr(s, field) is not None else getattr(s, fallback) for s in samples]
    values = [v for v in values if v is not None]
    return pick(values) if values else None


def aggregate(
    samples: Iterable[Sample],
    required: int,
    *,
    weights: dict[dt.datetime, float] | None = None,
    flow: float | None = None,
    gas: bool = False,
) -> Aggregate | None:
    """Average, extremes and cumulative figure of one factor over one hour or day from its shorter
    periods; None when fewer than `required` periods are valid (the period has no valid figure).

    `weights`: the discharge of each period (by start) for flow-weighted wastewater concentrations;
    used only when every valid period has a positive one. `flow`: the period's flue gas volume (m³)
    for formula (33) when no pollutant Cou was reported."""
    valid = sorted((s for s in samples if s.valid), key=lambda s: s.start)
    if len(valid) < max(1, required):
        return None
    avgs = [s.avg for s in valid]
    method = "arithmetic"
    w = [weights.get(s.start) for s in valid] if weights else None
    if w is not None and all(x is not None and x > 0 for x in w):
        avg, method = _weighted(avgs, w), "flow-weighted"
    else:
        w = None
        avg = _mean(avgs)
    zs = [s.zs_avg for s in valid]
    zs_avg = None
    if all(z is not None for z in zs):
        zs_avg = _weighted(zs, w) if w is not None else _mean(zs)
    cous = [s.cou for s in valid if s.cou is not None]
    cou = math.fsum(cous) if cous else None
    if cou is None and gas and flow is not None:
        cou = avg * flow * 1e-6  # formula (33): kg from mg/m³ × m³
    return Aggregate(
        avg=avg,
        min=_extreme(valid, "min", "avg", min),
        max=_extreme(valid, "max", "avg", max),
        cou=cou,
        zs_avg=zs_avg,
        zs_min=_extreme(valid, "zs_min", "zs_avg", min) if zs_avg is not None else None,
        zs_max=_extreme(valid, "zs_max", "zs_avg", max) if zs_avg is not None else None,
        valid_periods=len(valid),
        method=method,
    )


def hourly(
    samples: Iterable[Sample],
    medium: str,
    interval_s: int,
    *,
    weights: dict[dt.datetime, float] | None = None,
    flow: float | None = None,
) -> Aggregate | None:
    return aggregate(
        samples,
        required_per_hour(medium, interval_s),
        weights=weights if medium == WATER else None,
        flow=flow,
        gas=medium == GAS,
    )


def daily(
    samples: Iterable[Sample],
    medium: str,
    *,
    weights: dict[dt.datetime, float] | None = None,
    flow: float | None = None,
) -> Aggregate | None:
    return aggregate(
        samples, required_per_day(medium), weights=weights if medium == WATER else None, flow=flow, gas=medium == GAS
    )


def judged_value(sample: Sample) -> float | None:
    """The figure compared with a limit: the converted (折算) average where sent, else the average."""
    if not sample.valid:
        return None
    return sample.zs_avg if sample.zs_avg is not None else sample.avg


# Episodes: exceedances and data-quality conditions --------------------------------------------------


@dataclass(frozen=True)
class Episode:
    """A stretch during which a condition held. `end` is None while it still holds at the last sample."""

    start: dt.datetime
    end: dt.datetime | None
    peak: float | None
    periods: int
    detail: str = ""

    @property
    def duration(self) -> dt.timedelta | None:
        return None if self.end is None else self.end - self.start


def exceedances(
    series: Iterable[tuple[dt.datetime, float | None]], limit: float, period: dt.timedelta
) -> list[Episode]:
    """Exceedance episodes of a series of (period start, value) against a limit.

    A period exceeds when its value is strictly above the limit (a value equal to the limit complies).
    An episode starts at the start of its first exceeding period and ends at the end of its last one;
    it is closed only by a complying value: periods without a valid value (None) neither end it nor
    count in it, because missing data does not show compliance. Peak is the highest value."""
    episodes: list[Episode] = []
    start = last = None
    peak = -math.inf
    n = 0
    for t, v in sorted(series, key=lambda p: p[0]):
        if v is None:
            continue
        if v > limit:
            if start is None:
                start, peak, n = t, v, 0
            peak, last, n = max(peak, v), t, n + 1
        elif start is not None:
            episodes.append(Episode(start, last + period, peak, n))
            start = None
    if start is not None:
        episodes.append(Episode(start, None, peak, n))
    return episodes


def runs(
    series: Iterable[tuple[dt.datetime, bool, float | None]], min_periods: int = 1, detail: str = ""
) -> list[Episode]:
    """Episodes of consecutive samples (t, condition holds, value) for which the condition holds; an
    episode ends at the time of the first sample where it no longer holds. Runs shorter than
    `min_periods` samples are not episodes."""
    episodes: list[Episode] = []
    start = None
    peak: float | None = None
    n = 0
    for t, holds, v in sorted(series, key=lambda p: p[0]):
        if holds:
            if start is None:
                start, peak, n = t, None, 0
            n += 1
            if v is not None:
                peak = v if peak is None else max(peak, v)
        elif start is not None:
            if n >= min_periods:
                episodes.append(Episode(start, t, peak, n, detail))
            start = None
    if start is not None and n >= min_periods:
        episodes.append(Episode(start, None, peak, n, detail))
    return episodes


def flat_lines(
    series: Iterable[tuple[dt.datetime, float | None]], intervals: int, tolerance: float = 0.0
) -> list[Episode]:
    """Runs of at least `intervals` consecutive valid values that do not change (within `tolerance`):
    a stuck analyser or a logger repeating its last value. A value of None (missing or invalid) breaks
    the run without starting another."""
    episodes: list[Episode] = []
    run: list[tuple[dt.datetime, float]] = []

    def close(end: dt.datetime | None) -> None:
        if len(run) >= intervals:
            episodes.append(Episode(run[0][0], end, run[0][1], len(run), f"{run[0][1]:g}"))

    for t, v in sorted(series, key=lambda p: p[0]):
        if v is None:
            close(t)
            run = []
        elif run and abs(v - run[0][1]) <= tolerance:
            run.append((t, v))
        else:
            close(t)
            run = [(t, v)]
    close(None)
    return episodes


def out_of_bounds(factor: str, value: float | None) -> bool:
    if value is None:
        return False
    low, high = PHYSICAL_BOUNDS.get(factor, DEFAULT_BOUNDS)
    return not low <= value <= high


def missing_since(
    last_start: dt.datetime | None, interval_s: int, now: dt.datetime, grace_s: int, baseline: dt.datetime
) -> dt.datetime | None:
    """When data went missing, or None. The last reported period [last_start, last_start + interval)
    covers the point until its end; after that the next figure is due within one interval plus a
    transmission grace. Without any data the point is covered from `baseline` (its registration)."""
    covered = last_start + dt.timedelta(seconds=interval_s) if last_start is not None else baseline
    if now - covered > dt.timedelta(seconds=interval_s + grace_s):
        return covered
    return None


def repeated(starts: Iterable[dt.datetime], at: dt.datetime, count: int, days: int) -> list[dt.datetime]:
    """The exceedance starts within `days` days up to `at` when there are at least `count` of them
    (an item for enforcement), else []."""
    window = [s for s in starts if at - dt.timedelta(days=days) < s <= at]
    return sorted(window) if len(window) >= count else []
