"""The monitoring API under /api/v1/monitoring/: points, readings, hourly and daily figures, alarms.

Reads only, all through scopes.visible() / get_visible_or_404(): an enterprise sees its own points and
their data, a city its city's. Every value carries its unit from the HJ 212 code table. Errors answer
like the other routers: {"detail", "errors": {field: [...]}}."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from youse.core import scopes
from youse.core.api_base import ERRORS
from youse.monitoring.hj212.codes import FACTORS, unit_of
from youse.monitoring.models import Alarm, AlarmKind, Medium, MonitoringPoint, Reading, ReadingKind
from youse.monitoring.schemas import (
    AggregateFilters,
    AlarmFilters,
    AlarmList,
    PointFilters,
    PointList,
    PointOut,
    ReadingFilters,
    ReadingList,
)
from youse.registry.api import _choice, _city, _known_params, paginate
from youse.registry.schemas import MAX_ID

router = Router(tags=["monitoring"])

PointId = Path(..., ge=1, le=MAX_ID)
BEIJING = dt.timezone(dt.timedelta(hours=8))


def _can_read(user) -> None:
    scopes.require(user, "monitoring.view")


def _points(user) -> QuerySet:
    return scopes.visible(user, MonitoringPoint.objects.select_related("plant__enterprise"))


def _point_out(p: MonitoringPoint) -> dict:
    return {
        "id": p.pk,
        "mn": p.mn,
        "name": p.name,
        "enterprise": {"id": p.plant.enterprise_id, "name": p.plant.enterprise.name},
        "plant": {"id": p.plant_id, "name": p.plant.name},
        "outlet": p.outlet,
        "medium": p.medium,
        "standard": p.standard,
        "plant_type": p.plant_type,
        "special_limits": p.special_limits,
        "accepted_crc": list(p.accepted_crc or []),
        "expected_interval_s": p.expected_interval_s,
        "active": p.active,
    }


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and timezone.is_naive(value):
        return value.replace(tzinfo=BEIJING)  # HJ 212 time is Beijing time
    return value


def _period(qs: QuerySet, field: str, start: dt.datetime | None, end: dt.datetime | None) -> QuerySet:
    start, end = _aware(start), _aware(end)
    if start and end and end <= start:
        raise ValidationError({"end": [_("The end must come after the start.")]})
    if start:
        qs = qs.filter(**{f"{field}__gte": start})
    if end:
        qs = qs.filter(**{f"{field}__lt": end})
    return qs


def _visible_point(user, point_id: int | None) -> QuerySet:
    """Readings or alarms of the points the user sees; of one point when asked (404 outside the scope)."""
    if point_id is None:
        return _points(user)
    return _points(user).filter(pk=scopes.get_visible_or_404(user, MonitoringPoint, pk=point_id).pk)


def _factor_name(code: str) -> str:
    factor = FACTORS.get(code)
    return factor.name_zh if factor else code


def _reading_out(r: Reading) -> dict:
    return {
        "point": r.point_id,
        "kind": r.kind,
        "data_time": r.data_time,
        "factor": r.factor,
        "factor_name": _factor_name(r.factor),
        "unit": unit_of(r.factor),
        "cou_unit": unit_of(r.factor, "cou"),
        **{
            name: getattr(r, name)
            for name in ("rtd", "avg", "min", "max", "cou", "zs_rtd", "zs_avg", "zs_min", "zs_max", "flag", "eflag")
        },
        "computed": r.computed,
        "received_at": r.received_at,
    }


def _readings(user, point: int | None, kinds: list[str], factor: str | None, start, end) -> QuerySet:
    points = _visible_point(user, point)
    qs = scopes.visible(user, Reading.objects.filter(point__in=points, kind__in=kinds))
    if factor:
        qs = qs.filter(factor=factor)
    return _period(qs, "data_time", start, end).order_by("data_time", "point_id", "factor")


@router.get("/points", response={200: PointList, **ERRORS}, summary="List monitoring points")
def list_points(request: HttpRequest, filters: Query[PointFilters]) -> dict:
    user = request.auth
    _can_read(user)
    _known_params(request, PointFilters)
    qs = _points(user).order_by("pk")
    if filters.enterprise:
        qs = qs.filter(plant__enterprise_id=filters.enterprise)
    if filters.city:
        city = _city(filters.city)
        qs = qs.filter(Q(plant__division__prefecture=city) | Q(plant__enterprise__division__prefecture=city))
    if filters.medium:
        qs = qs.filter(medium=_choice("medium", filters.medium, list(Medium.values)))
    if filters.active is not None:
        qs = qs.filter(active=filters.active)
    page = paginate(qs, filters)
    page["results"] = [_point_out(p) for p in page["results"]]
    return page


@router.get("/points/{point_id}", response={200: PointOut, **ERRORS}, summary="One monitoring point")
def get_point(request: HttpRequest, point_id: int = PointId) -> dict:
    user = request.auth
    _can_read(user)
    return _point_out(scopes.get_visible_or_404(user, _points(user), pk=point_id))


@router.get("/readings", response={200: ReadingList, **ERRORS}, summary="Readings of the points in scope")
def list_readings(request: HttpRequest, filters: Query[ReadingFilters]) -> dict:
    """Real-time (rtd), minute (min), hourly (hour) and daily (day) figures, oldest first, each with its
    units. Give `point` and a time window for a series."""
    user = request.auth
    _can_read(user)
    _known_params(request, ReadingFilters)
    kinds = [_choice("kind", filters.kind, list(ReadingKind.values))] if filters.kind else list(ReadingKind.values)
    qs = _readings(user, filters.point, kinds, filters.factor, filters.start, filters.end)
    page = paginate(qs, filters)
    page["results"] = [_reading_out(r) for r in page["results"]]
    return page


@router.get("/aggregates", response={200: ReadingList, **ERRORS}, summary="Hourly or daily figures")
def list_aggregates(request: HttpRequest, filters: Query[AggregateFilters]) -> dict:
    """Hourly (period=hour) or daily (period=day) figures: reported by the device, or computed by Youse by
    the method of HJ 212-2017 Appendix D where the device did not send them (`computed`)."""
    user = request.auth
    _can_read(user)
    _known_params(request, AggregateFilters)
    kind = _choice("period", filters.period, [ReadingKind.HOUR, ReadingKind.DAY])
    qs = _readings(user, filters.point, [kind], filters.factor, filters.start, filters.end)
    page = paginate(qs, filters)
    page["results"] = [_reading_out(r) for r in page["results"]]
    return page


def _alarm_out(a: Alarm) -> dict:
    return {
        "id": a.pk,
        "point": a.point_id,
        "kind": a.kind,
        "kind_label": str(a.get_kind_display()),
        "factor": a.factor,
        "started_at": a.started_at,
        "ended_at": a.ended_at,
        "duration_s": int(a.duration.total_seconds()) if a.duration is not None else None,
        "peak": a.peak,
        "limit": a.limit,
        "unit": a.unit,
        "detail": a.detail,
        "enterprise_ack_at": a.enterprise_ack_at,
        "enterprise_note": a.enterprise_note,
        "authority_ack_at": a.authority_ack_at,
        "authority_note": a.authority_note,
    }


@router.get("/alarms", response={200: AlarmList, **ERRORS}, summary="Alarms of the points in scope")
def list_alarms(request: HttpRequest, filters: Query[AlarmFilters]) -> dict:
    user = request.auth
    _can_read(user)
    _known_params(request, AlarmFilters)
    qs = scopes.visible(user, Alarm.objects.filter(point__in=_visible_point(user, filters.point)))
    if filters.kind:
        qs = qs.filter(kind=_choice("kind", filters.kind, list(AlarmKind.values)))
    if filters.state:
        state = _choice("state", filters.state, ["open", "ended"])
        qs = qs.filter(ended_at__isnull=state == "open")
    if filters.factor:
        qs = qs.filter(factor=filters.factor)
    qs = _period(qs, "started_at", filters.start, filters.end).order_by("-started_at", "-pk")
    page = paginate(qs, filters)
    page["results"] = [_alarm_out(a) for a in page["results"]]
    return page
