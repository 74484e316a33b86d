"""Hourly and daily readings computed by the method of HJ 212 Appendix D (monitoring/rules.py) where the
device did not send them.

Computed rows carry computed=True. A row the device reported (computed=False) is never touched: the
computation skips its key. Computing again gives the same rows (an existing computed row is updated in
place when late minute data change it), so the tick may run as often as it likes.

An hour is computed only once it is `MONITORING_AGGREGATE_DELAY_S` past its end (default 15 minutes):
a device sends its own 2061 hour data shortly after the hour, and the store keeps the first row of a
key, so computing too early would pre-empt the device's figure."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from youse.monitoring import rules
from youse.monitoring.models import MonitoringPoint, Reading, ReadingKind

FIELDS = ("avg", "min", "max", "cou", "zs_avg", "zs_min", "zs_max")


def delay() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "MONITORING_AGGREGATE_DELAY_S", 15 * 60))


def _sample(r: Reading) -> rules.Sample:
    avg = r.avg if r.avg is not None else r.rtd
    zs = r.zs_avg if r.zs_avg is not None else r.zs_rtd
    return rules.Sample(r.data_time, avg, r.min, r.max, r.cou, zs, r.zs_min, r.zs_max, r.flag)


def _flow_code(point: MonitoringPoint) -> str:
    return rules.WATER_FLOW if point.medium == rules.WATER else rules.GAS_FLOW


def _write(point: MonitoringPoint, kind: str, results: dict[tuple[str, dt.datetime], rules.Aggregate]) -> int:
    """Insert new computed rows, update changed computed rows, leave reported rows alone. Returns the
    number of rows inserted or changed."""
    if not results:
        return 0
    times = {t for _f, t in results}
    existing = {
        (r.factor, r.data_time): r
        for r in Reading.objects.filter(point=point, kind=kind, data_time__gte=min(times), data_time__lte=max(times))
    }
    now = timezone.now()
    new, changed = [], 0
    with transaction.atomic():
        for (factor, start), agg in sorted(results.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            values = {f: getattr(agg, f) for f in FIELDS}
            row = existing.get((factor, start))
            if row is None:
                new.append(
                    Reading(
                        point=point,
                        kind=kind,
                        data_time=start,
                        factor=factor,
                        flag=agg.flag,
                        computed=True,
                        received_at=now,
                        **values,
                    )
                )
            elif row.computed and any(_differs(getattr(row, f), v) for f, v in values.items()):
                Reading.objects.filter(point=point, kind=kind, data_time=start, factor=factor, computed=True).update(
                    flag=agg.flag, received_at=now, **values
                )
                changed += 1
        if new:
            Reading.objects.bulk_create(new, ignore_conflicts=True)
    return len(new) + changed


def _differs(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is not b
    return abs(a - b) > 1e-9 * max(1.0, abs(a), abs(b))


def compute_hours(point: MonitoringPoint, start: dt.datetime, end: dt.datetime) -> int:
    """Compute the hour readings of `point` for the whole hours inside [start, end) from its minute
    readings. Returns the number of rows written."""
    hours = rules.hours_between(start, end)
    if not hours:
        return 0
    lo, hi = hours[0], hours[-1] + rules.HOUR
    by_key: dict[tuple[str, dt.datetime], list[rules.Sample]] = defaultdict(list)
    for r in Reading.objects.filter(point=point, kind=ReadingKind.MINUTE, data_time__gte=lo, data_time__lt=hi):
        by_key[(r.factor, rules.hour_start(r.data_time))].append(_sample(r))
    flow_code = _flow_code(point)
    results: dict[tuple[str, dt.datetime], rules.Aggregate] = {}
    # Flow first: its hourly volume enters the pollutants' emissions (formula 33).
    for factor, hour in sorted(by_key, key=lambda k: (k[0] != flow_code, k)):
        samples = by_key[(factor, hour)]
        flows = by_key.get((flow_code, hour), [])
        weights = {s.start: s.cou for s in flows if s.valid and s.cou is not None} if factor != flow_code else None
        flow_agg = results.get((flow_code, hour))
        agg = rules.hourly(
            samples,
            point.medium,
            point.expected_interval_s,
            weights=weights,
            flow=flow_agg.cou if flow_agg is not None and factor != flow_code else None,
        )
        if agg is not None:
            results[(factor, hour)] = agg
    return _write(point, ReadingKind.HOUR, results)


def compute_days(point: MonitoringPoint, days: list[dt.date]) -> int:
    """Compute the day readings of `point` for the given HJ 212 (Beijing) days from its hour readings,
    reported or computed. Returns the number of rows written."""
    results: dict[tuple[str, dt.datetime], rules.Aggregate] = {}
    flow_code = _flow_code(point)
    for day in sorted(set(days)):
        lo, hi = rules.beijing_day_bounds(day)
        by_factor: dict[str, list[rules.Sample]] = defaultdict(list)
        for r in Reading.objects.filter(point=point, kind=ReadingKind.HOUR, data_time__gte=lo, data_time__lt=hi):
            by_factor[r.factor].append(_sample(r))
        flows = by_factor.get(flow_code, [])
        flow_day = rules.daily(flows, point.medium) if flows else None
        for factor, samples in by_factor.items():
            weights = {s.start: s.cou for s in flows if s.valid and s.cou is not None} if factor != flow_code else None
            agg = rules.daily(
                samples,
                point.medium,
                weights=weights,
                flow=flow_day.cou if flow_day is not None and factor != flow_code else None,
            )
            if agg is not None:
                results[(factor, lo)] = agg
    return _write(point, ReadingKind.DAY, results)


def compute(point: MonitoringPoint, start: dt.datetime, now: dt.datetime) -> tuple[int, int]:
    """Hours from `start` that are settled by `now`, and the Beijing days they touch that are settled
    too (the same delay after 24:00 Beijing time, for the device's own 2031 day data)."""
    settled = now - delay()
    hours = compute_hours(point, start, settled)
    days = sorted(
        {
            day
            for day in (rules.beijing_day(h) for h in rules.hours_between(start, settled))
            if rules.beijing_day_bounds(day)[1] <= settled
        }
    )
    return hours, compute_days(point, days) if days else 0


def lookback() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "MONITORING_TICK_LOOKBACK_HOURS", 6))


def compute_all(now: dt.datetime, start: dt.datetime | None = None) -> tuple[int, int, int]:
    """Every active point over the look-back window (or from `start`, for catching up after an
    outage). Returns (points, hour rows, day rows)."""
    start = start or now - delay() - lookback()
    points = hours = days = 0
    for point in MonitoringPoint.objects.filter(active=True).order_by("pk"):
        h, d = compute(point, start, now)
        points, hours, days = points + 1, hours + h, days + d
    return points, hours, days
