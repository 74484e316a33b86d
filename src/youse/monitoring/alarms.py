"""Alarms from readings: exceedances of the applicable limit and data-quality conditions, kept as Alarm
rows that open, extend (peak) and close as readings come in; repeated exceedances become an item for
enforcement (RepeatedExceedance).

The decisions are the pure rules of monitoring/rules.py; this module gathers readings, applies them and
reconciles the result with the stored alarms, so evaluating the same readings again changes nothing.
Alarm changes are system events: each opening, closing and repeated-exceedance item is audited.

Thresholds are settings (defaults in brackets): MONITORING_TICK_LOOKBACK_HOURS [6],
MONITORING_FLATLINE_INTERVALS [30], MONITORING_MISSING_GRACE_S [120],
MONITORING_REPEATED_EXCEEDANCE_COUNT [3], MONITORING_REPEATED_EXCEEDANCE_DAYS [30]."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min, Q

from youse.core import audit
from youse.core.models import AuditEvent
from youse.monitoring import rules
from youse.monitoring.models import (
    Alarm,
    AlarmKind,
    Limit,
    MonitoringPoint,
    Reading,
    ReadingKind,
    RepeatedExceedance,
)

QUALITY_KINDS = (AlarmKind.INSTRUMENT, AlarmKind.ABOVE_RANGE, AlarmKind.IMPLAUSIBLE, AlarmKind.FLATLINE)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


@dataclass
class Outcome:
    opened: list[Alarm] = field(default_factory=list)
    closed: list[Alarm] = field(default_factory=list)
    repeated: list[RepeatedExceedance] = field(default_factory=list)


def applicable_limits(point: MonitoringPoint, on: dt.date) -> dict[str, Limit]:
    """factor → the Limit that applies to the point: its standard and plant type, valid on the date;
    the special limit (特别排放限值) where the point is under special limits and the standard sets one
    for the factor, otherwise the ordinary limit."""
    qs = (
        Limit.objects.filter(standard=point.standard, plant_type=point.plant_type)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("factor", "special", "pk")
    )
    out: dict[str, Limit] = {}
    for limit in qs:
        if limit.special and not point.special_limits:
            continue
        current = out.get(limit.factor)
        if current is None or (limit.special and not current.special):
            out[limit.factor] = limit
    return out


def _sync(
    point: MonitoringPoint,
    kind: str,
    factor: str,
    episodes: list[rules.Episode],
    outcome: Outcome,
    *,
    limit: float | None = None,
    unit: str = "",
    detail: str = "",
) -> list[Alarm]:
    """Reconcile episodes with the stored alarms of (point, kind, factor). An episode that overlaps an
    alarm extends it (earlier start, higher peak) and closes it when the episode has ended; one that
    overlaps none opens a new alarm. Returns the alarms opened."""
    opened = []
    for ep in episodes:
        far = ep.end or dt.datetime.max.replace(tzinfo=dt.UTC)
        alarm = (
            Alarm.objects.select_for_update()
            .filter(point=point, kind=kind, factor=factor, started_at__lt=far)
            .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=ep.start))
            .order_by("started_at")
            .first()
        )
        if alarm is None and ep.end is None:
            # One open alarm per (point, kind, factor): an open one that the window no longer shows
            # continues rather than being duplicated.
            alarm = (
                Alarm.objects.select_for_update().filter(point=point, kind=kind, factor=factor, ended_at=None).first()
            )
        if alarm is None:
            alarm = Alarm.objects.create(
                point=point,
                kind=kind,
                factor=factor,
                started_at=ep.start,
                ended_at=ep.end,
                peak=ep.peak,
                limit=limit,
                unit=unit,
                detail=(ep.detail or detail)[:300],
            )
            audit.record(None, AuditEvent.Action.CREATE, alarm, after=audit.snapshot(alarm), reason=alarm.detail)
            outcome.opened.append(alarm)
            opened.append(alarm)
            if ep.end is not None:
                outcome.closed.append(alarm)
            continue
        before = audit.snapshot(alarm)
        changed = False
        if ep.start < alarm.started_at:
            alarm.started_at, changed = ep.start, True
        if ep.peak is not None and (alarm.peak is None or ep.peak > alarm.peak):
            alarm.peak, changed = ep.peak, True
        closing = alarm.ended_at is None and ep.end is not None
        if closing:
            alarm.ended_at, changed = ep.end, True
        if changed:
            alarm.save()
            action = AuditEvent.Action.TRANSITION if closing else AuditEvent.Action.UPDATE
            audit.record(None, action, alarm, before=before, after=audit.snapshot(alarm))
            if closing:
                outcome.closed.append(alarm)
    return opened


def _hour_series(rows: list[Reading], limit: Limit) -> list[tuple[dt.datetime, float | None]]:
    reading_unit = rules.unit_of(limit.factor)
    series = []
    for r in rows:
        value = rules.judged_value(rules.Sample(r.data_time, r.avg, r.min, r.max, r.cou, r.zs_avg, flag=r.flag))
        if value is not None and reading_unit:
            value = rules.convert(value, reading_unit, limit.unit)
        series.append((r.data_time, value))
    return series


def evaluate_exceedances(point: MonitoringPoint, start: dt.datetime, now: dt.datetime, outcome: Outcome) -> None:
    limits = applicable_limits(point, rules.beijing_day(now))
    if not limits:
        return
    open_starts = dict(
        Alarm.objects.filter(point=point, kind=AlarmKind.EXCEEDANCE, ended_at=None).values_list("factor", "started_at")
    )
    for factor, limit in sorted(limits.items()):
        kind, period = (
            (ReadingKind.DAY, rules.DAY) if limit.averaging == Limit.Averaging.DAY else (ReadingKind.HOUR, rules.HOUR)
        )
        lo = min(start, open_starts.get(factor, start)) - period
        rows = list(
            Reading.objects.filter(
                point=point, kind=kind, factor=factor, data_time__gte=lo, data_time__lt=now
            ).order_by("data_time")
        )
        episodes = rules.exceedances(_hour_series(rows, limit), limit.value, period)
        detail = f"{limit.pollutant} > {limit.value:g} {limit.unit} ({limit.standard} {limit.plant_type})"
        for alarm in _sync(
            point, AlarmKind.EXCEEDANCE, factor, episodes, outcome, limit=limit.value, unit=limit.unit, detail=detail
        ):
            repeated = _check_repeated(point, factor, alarm)
            if repeated is not None:
                outcome.repeated.append(repeated)


def _check_repeated(point: MonitoringPoint, factor: str, alarm: Alarm) -> RepeatedExceedance | None:
    count = _setting("MONITORING_REPEATED_EXCEEDANCE_COUNT", 3)
    days = _setting("MONITORING_REPEATED_EXCEEDANCE_DAYS", 30)
    window = Alarm.objects.filter(
        point=point,
        kind=AlarmKind.EXCEEDANCE,
        factor=factor,
        started_at__gt=alarm.started_at - dt.timedelta(days=days),
        started_at__lte=alarm.started_at,
    )
    if not rules.repeated([a.started_at for a in window], alarm.started_at, count, days):
        return None
    members = sorted(window, key=lambda a: (a.started_at, a.pk))
    item = (
        RepeatedExceedance.objects.select_for_update()
        .filter(point=point, factor=factor, status=RepeatedExceedance.Status.OPEN)
        .first()
    )
    if item is None:
        item = RepeatedExceedance.objects.create(
            point=point,
            factor=factor,
            first_at=members[0].started_at,
            last_at=members[-1].started_at,
            count=len(members),
            window_days=days,
        )
        item.alarms.add(*members)
        audit.record(
            None,
            AuditEvent.Action.CREATE,
            item,
            after={"point": point.pk, "factor": factor, "count": item.count, "alarms": [a.pk for a in members]},
            reason=f"≥{count} exceedances within {days} days",
        )
        return item
    before = {"count": item.count, "last_at": item.last_at.isoformat()}
    item.alarms.add(*members)
    agg = item.alarms.aggregate(first=Min("started_at"), last=Max("started_at"))
    item.count = item.alarms.count()
    item.first_at, item.last_at = agg["first"], agg["last"]
    item.save(update_fields=["count", "first_at", "last_at"])
    audit.record(
        None,
        AuditEvent.Action.UPDATE,
        item,
        before=before,
        after={"count": item.count, "last_at": item.last_at.isoformat()},
    )
    return None


def evaluate_quality(point: MonitoringPoint, start: dt.datetime, now: dt.datetime, outcome: Outcome) -> None:
    earliest_open = Alarm.objects.filter(point=point, kind__in=QUALITY_KINDS, ended_at=None).aggregate(
        m=Min("started_at")
    )["m"]
    lo = min(start, earliest_open) if earliest_open else start
    by_factor: dict[str, list[Reading]] = defaultdict(list)
    for r in Reading.objects.filter(
        point=point, kind=ReadingKind.MINUTE, data_time__gte=lo, data_time__lt=now
    ).order_by("data_time"):
        by_factor[r.factor].append(r)
    flat_n = _setting("MONITORING_FLATLINE_INTERVALS", 30)
    for factor, rows in sorted(by_factor.items()):
        values = [(r.data_time, r.avg if r.avg is not None else r.rtd, r.flag or "") for r in rows]
        instrument = rules.runs([(t, f in rules.INSTRUMENT_FLAGS, v) for t, v, f in values])
        flags = "".join(sorted({f for _t, _v, f in values if f in rules.INSTRUMENT_FLAGS}))
        _sync(point, AlarmKind.INSTRUMENT, factor, instrument, outcome, detail=f"Flag={flags}")
        above = rules.runs([(t, f == rules.ABOVE_RANGE_FLAG, v) for t, v, f in values])
        _sync(point, AlarmKind.ABOVE_RANGE, factor, above, outcome, unit=rules.unit_of(factor), detail="Flag=T")
        bad = rules.runs([(t, f in rules.VALID_FLAGS and rules.out_of_bounds(factor, v), v) for t, v, f in values])
        low, high = rules.PHYSICAL_BOUNDS.get(factor, rules.DEFAULT_BOUNDS)
        _sync(
            point,
            AlarmKind.IMPLAUSIBLE,
            factor,
            bad,
            outcome,
            unit=rules.unit_of(factor),
            detail=f"[{low:g}, {high:g}]",
        )
        flat = rules.flat_lines([(t, v if f in rules.VALID_FLAGS else None) for t, v, f in values], flat_n)
        _sync(point, AlarmKind.FLATLINE, factor, flat, outcome, unit=rules.unit_of(factor))


def evaluate_missing(point: MonitoringPoint, now: dt.datetime, outcome: Outcome) -> None:
    kinds = (ReadingKind.MINUTE, ReadingKind.REALTIME)
    last = Reading.objects.filter(point=point, kind__in=kinds, data_time__lte=now).aggregate(m=Max("data_time"))["m"]
    grace = _setting("MONITORING_MISSING_GRACE_S", 120)
    since = rules.missing_since(last, point.expected_interval_s, now, grace, point.created_at)
    open_alarm = Alarm.objects.select_for_update().filter(point=point, kind=AlarmKind.MISSING, ended_at=None).first()
    if open_alarm is not None:
        # Data came back (perhaps only to stop again): the gap ends at the first figure after it began.
        back = Reading.objects.filter(point=point, kind__in=kinds, data_time__gte=open_alarm.started_at).aggregate(
            m=Min("data_time")
        )["m"]
        if back is not None:
            _sync(point, AlarmKind.MISSING, "", [rules.Episode(open_alarm.started_at, back, None, 0)], outcome)
            open_alarm = None
    if since is not None and open_alarm is None:
        detail = f"> {point.expected_interval_s} s"
        _sync(point, AlarmKind.MISSING, "", [rules.Episode(since, None, None, 0)], outcome, detail=detail)


def lookback() -> dt.timedelta:
    return dt.timedelta(hours=_setting("MONITORING_TICK_LOOKBACK_HOURS", 6))


def evaluate_point(point: MonitoringPoint, now: dt.datetime, start: dt.datetime | None = None) -> Outcome:
    """Evaluate one point's readings from `start` (default: the look-back window) up to `now`."""
    start = start or now - lookback()
    outcome = Outcome()
    with transaction.atomic():
        evaluate_exceedances(point, start, now, outcome)
        evaluate_quality(point, start, now, outcome)
        evaluate_missing(point, now, outcome)
    return outcome


def evaluate_all(now: dt.datetime, start: dt.datetime | None = None) -> Outcome:
    total = Outcome()
    for point in MonitoringPoint.objects.filter(active=True).order_by("pk"):
        outcome = evaluate_point(point, now, start)
        total.opened += outcome.opened
        total.closed += outcome.closed
        total.repeated += outcome.repeated
    return total
