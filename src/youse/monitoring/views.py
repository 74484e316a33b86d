"""Online monitoring pages: the live board, a point's time series, alarms, the quarantine, the repeated
exceedances handed to enforcement, and the limits table.

Every queryset comes from scopes.visible() (an enterprise sees its own points, a city its city's); every
change goes through a service function (monitoring.services) which checks the
capability and writes the audit event. The board's cards refresh themselves by htmx polling, so data
arriving from the loggers shows without a reload."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youse.core import scopes
from youse.core.models import Division, Metal
from youse.monitoring import rules, services
from youse.monitoring.hj212.codes import FACTORS, unit_of
from youse.monitoring.models import (
    Alarm,
    AlarmKind,
    Limit,
    Medium,
    MonitoringPoint,
    QuarantinedPacket,
    Reading,
    ReadingKind,
    RepeatedExceedance,
)

BOARD_PAGE = 60
POLL_SECONDS = 10
WINDOWS = {
    "6h": dt.timedelta(hours=6),
    "24h": dt.timedelta(hours=24),
    "7d": dt.timedelta(days=7),
    "30d": dt.timedelta(days=30),
}


# --- Factors: names and units from the code table (Appendix B) --------------------------------------


@dataclass(frozen=True)
class FactorMeta:
    code: str
    name: str
    unit: str


def factor_meta(code: str) -> FactorMeta:
    """Name (in the active language) and unit of a 2017 factor code, from the HJ 212 code table."""
    from django.utils import translation

    entry = FACTORS.get(code)
    if entry is None:
        return FactorMeta(code, code, unit_of(code))
    name = entry.name_en if translation.get_language() == "en" and entry.name_en else entry.name_zh
    return FactorMeta(code, name, entry.unit)


# --- Scoping and filters ------------------------------------------------------------------------------


def visible_points(user) -> QuerySet:
    return scopes.visible(user, MonitoringPoint.objects.select_related("plant__enterprise", "plant__division"))


def _cities() -> QuerySet:
    return Division.objects.filter(valid_to__isnull=True, level__in=[Division.Level.CITY, Division.Level.ZONE])


@dataclass
class BoardFilters:
    city: str = ""
    metal: str = ""
    medium: str = ""
    alarm: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest) -> BoardFilters:
        get = request.GET
        return cls(
            city=get.get("city", "")[:12],
            metal=get.get("metal", "")[:4],
            medium=get.get("medium", "") if get.get("medium") in Medium.values else "",
            alarm=get.get("alarm", "") if get.get("alarm") in ("open", "none") else "",
        )

    def apply(self, qs: QuerySet) -> QuerySet:
        if self.city:
            city = _cities().filter(code=self.city).first() if not self.city.isdigit() or len(self.city) == 6 else None
            if city is None and self.city.isdigit():
                city = _cities().filter(pk=int(self.city)).first()
            if city is None:
                return qs.none()
            qs = qs.filter(Q(plant__division__prefecture=city) | Q(plant__enterprise__division__prefecture=city))
        if self.metal:
            qs = qs.filter(plant__units__metal__code=self.metal).distinct()
        if self.medium:
            qs = qs.filter(medium=self.medium)
        if self.alarm:
            open_alarm = Exists(Alarm.objects.filter(point=OuterRef("pk"), ended_at__isnull=True))
            qs = qs.filter(open_alarm) if self.alarm == "open" else qs.exclude(open_alarm)
        return qs

    def query(self) -> str:
        from urllib.parse import urlencode

        return urlencode({k: v for k, v in self.__dict__.items() if v})


# --- Limits ---------------------------------------------------------------------------------------------


def limits_for(points: list[MonitoringPoint], on: dt.date | None = None) -> dict[int, dict[str, Limit]]:
    """factor → the Limit that applies to each point, chosen as alarms.applicable_limits chooses (its
    standard and plant type, valid on the date, the special limit where the point is bound by one), for
    many points in one query."""
    keys = {(p.standard, p.plant_type) for p in points}
    if not keys:
        return {}
    on = on or timezone.localdate()
    q = Q(pk__in=[])
    for standard, plant_type in keys:
        q |= Q(standard=standard, plant_type=plant_type)
    rows = list(
        Limit.objects.filter(q)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("factor", "special", "pk")
    )
    out: dict[int, dict[str, Limit]] = {}
    for p in points:
        chosen: dict[str, Limit] = {}
        for row in rows:
            if row.standard != p.standard or row.plant_type != p.plant_type or (row.special and not p.special_limits):
                continue
            current = chosen.get(row.factor)
            if current is None or (row.special and not current.special):
                chosen[row.factor] = row
        out[p.pk] = chosen
    return out


# --- The board ------------------------------------------------------------------------------------------


@dataclass
class Cell:
    factor: FactorMeta
    value: float | None
    flag: str
    limit: Limit | None
    limit_value: float | None  # the limit in the reading's unit (µg/L readings against a mg/L limit)
    exceeds: bool
    kind: str


def limit_in(limit: Limit | None, unit: str) -> float | None:
    """The limit expressed in `unit`; None when there is none or the units do not convert."""
    if limit is None:
        return None
    if not unit:
        return limit.value
    try:
        return rules.convert(limit.value, limit.unit, unit)
    except ValueError:
        return None


@dataclass
class PointCard:
    point: MonitoringPoint
    data_time: dt.datetime | None = None
    kind: str = ""
    cells: list[Cell] = field(default_factory=list)
    alarms: list[Alarm] = field(default_factory=list)
    stale: bool = True


def latest_cells(points: list[MonitoringPoint]) -> dict[int, tuple[dt.datetime, str, list[Reading]]]:
    """Each point's most recent real-time (else minute) readings: one GROUP BY and one fetch per kind."""
    out: dict[int, tuple[dt.datetime, str, list[Reading]]] = {}
    ids = [p.pk for p in points]
    for kind in (ReadingKind.REALTIME, ReadingKind.MINUTE):
        wanted = [pk for pk in ids if pk not in out]
        if not wanted:
            break
        latest = dict(
            Reading.objects.filter(point_id__in=wanted, kind=kind)
            .values_list("point_id")
            .annotate(last=Max("data_time"))
            .values_list("point_id", "last")
        )
        if not latest:
            continue
        q = Q(pk__in=[])
        for point_id, last in latest.items():
            q |= Q(point_id=point_id, data_time=last)
        for r in Reading.objects.filter(q, kind=kind).order_by("factor"):
            out.setdefault(r.point_id, (r.data_time, kind, []))[2].append(r)
    return out


def _value(r: Reading) -> float | None:
    for name in ("zs_rtd", "rtd", "zs_avg", "avg"):
        v = getattr(r, name)
        if v is not None:
            return v
    return None


def board_cards(user, filters: BoardFilters, page_number: str | int = 1) -> tuple[list[PointCard], object]:
    qs = filters.apply(visible_points(user))
    page = Paginator(qs, BOARD_PAGE).get_page(page_number)
    points = list(page.object_list)
    limits = limits_for(points)
    latest = latest_cells(points)
    alarms: dict[int, list[Alarm]] = {}
    for a in scopes.visible(user, Alarm.objects.filter(point__in=points, ended_at__isnull=True)).order_by(
        "-started_at"
    ):
        alarms.setdefault(a.point_id, []).append(a)
    now = timezone.now()
    cards = []
    for p in points:
        card = PointCard(p, alarms=alarms.get(p.pk, []))
        if p.pk in latest:
            card.data_time, card.kind, readings = latest[p.pk]
            card.stale = now - card.data_time > dt.timedelta(seconds=max(p.expected_interval_s, 60) * 3)
            for r in readings:
                limit = limits.get(p.pk, {}).get(r.factor)
                meta = factor_meta(r.factor)
                value = _value(r)
                bound = limit_in(limit, meta.unit)
                exceeds = bool(bound is not None and value is not None and value > bound)
                card.cells.append(Cell(meta, value, r.flag, limit, bound, exceeds, r.kind))
        cards.append(card)
    return cards, page


def _board_context(request: HttpRequest) -> dict:
    scopes.require(request.user, "monitoring.view")
    filters = BoardFilters.from_request(request)
    cards, page = board_cards(request.user, filters, request.GET.get("page", 1))
    return {
        "cards": cards,
        "page": page,
        "filters": filters,
        "query": filters.query(),
        "poll_seconds": POLL_SECONDS,
        "now": timezone.now(),
    }


@login_required
def board(request: HttpRequest) -> HttpResponse:
    context = _board_context(request)
    context.update(
        cities=_cities().order_by("order", "code") if request.user.role != "enterprise" else [],
        metals=Metal.objects.all(),
        media=Medium.choices,
        open_alarms=scopes.visible(request.user, Alarm.objects.filter(ended_at__isnull=True)).count(),
        can_manage=scopes.can(request.user, "monitoring.manage"),
    )
    return render(request, "monitoring/board.html", context)


@login_required
def board_live(request: HttpRequest) -> HttpResponse:
    """The cards alone, for htmx polling."""
    return render(request, "monitoring/_board_cards.html", _board_context(request))


# --- A point's time series --------------------------------------------------------------------------------


@login_required
def point_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scopes.require(request.user, "monitoring.view")
    point = scopes.get_visible_or_404(
        request.user, MonitoringPoint.objects.select_related("plant__enterprise", "plant__division"), pk=pk
    )
    factors = sorted(Reading.objects.filter(point=point).values_list("factor", flat=True).distinct())
    factor = request.GET.get("factor") or (factors[0] if factors else "")
    kind = request.GET.get("kind") if request.GET.get("kind") in (ReadingKind.MINUTE, ReadingKind.HOUR) else "min"
    window_key = request.GET.get("window") if request.GET.get("window") in WINDOWS else "24h"
    meta = factor_meta(factor) if factor else None
    end = timezone.now()
    start = end - WINDOWS[window_key]
    readings = list(
        Reading.objects.filter(point=point, factor=factor, kind=kind, data_time__gte=start, data_time__lte=end)
        .order_by("data_time")
        .values_list("data_time", "avg", "zs_avg", "rtd", "flag", "computed")[:20000]
    )
    limit = limits_for([point]).get(point.pk, {}).get(factor)
    tz = timezone.get_current_timezone()
    series = [
        {
            "t": t.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            "v": zs if zs is not None else (avg if avg is not None else rtd),
            "flag": flag or "N",
            "computed": computed,
        }
        for t, avg, zs, rtd, flag, computed in readings
    ]
    chart = {
        "name": meta.name if meta else "",
        "unit": meta.unit if meta else "",
        "limit": limit_in(limit, meta.unit) if limit and meta else None,
        "limitLabel": _("Limit") + (f" {limit.value:g} {limit.unit}" if limit else ""),
        "flaggedLabel": _("Flagged"),
        "series": series,
    }
    alarms = scopes.visible(request.user, Alarm.objects.filter(point=point)).order_by("-started_at")[:20]
    return render(
        request,
        "monitoring/point.html",
        {
            "point": point,
            "factors": [factor_meta(f) for f in factors],
            "factor": meta,
            "kind": kind,
            "kinds": [(ReadingKind.MINUTE, ReadingKind.MINUTE.label), (ReadingKind.HOUR, ReadingKind.HOUR.label)],
            "window": window_key,
            "windows": list(WINDOWS),
            "chart": chart,
            "limit": limit,
            "limits": sorted(limits_for([point]).get(point.pk, {}).values(), key=lambda x: x.factor),
            "alarms": alarms,
            "can_manage": scopes.can(request.user, "monitoring.manage"),
            "count": len(series),
            "flagged": sum(1 for s in series if s["flag"] not in ("N", "")),
        },
    )


def duration_text(delta: dt.timedelta) -> str:
    """A duration as hours and minutes: "3 h 05 min"."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    hours, minutes = divmod(minutes, 60)
    return _("%(h)d h %(m)02d min") % {"h": hours, "m": minutes} if hours else _("%(m)d min") % {"m": minutes}


# --- Alarms ---------------------------------------------------------------------------------------------


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or default
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = default
    return target


@login_required
def alarm_list(request: HttpRequest) -> HttpResponse:
    scopes.require(request.user, "monitoring.view")
    qs = scopes.visible(request.user, Alarm.objects.select_related("point__plant__enterprise"))
    state = request.GET.get("state", "open")
    kind = request.GET.get("kind", "")
    if state == "open":
        qs = qs.filter(ended_at__isnull=True)
    elif state == "ended":
        qs = qs.filter(ended_at__isnull=False)
    if kind in AlarmKind.values:
        qs = qs.filter(kind=kind)
    point = request.GET.get("point", "")
    if point.isdigit():
        qs = qs.filter(point_id=int(point))
    page = Paginator(qs.order_by("-started_at", "-id"), 50).get_page(request.GET.get("page", 1))
    now = timezone.now()
    rows = [
        (a, factor_meta(a.factor) if a.factor else None, duration_text((a.ended_at or now) - a.started_at))
        for a in page.object_list
    ]
    return render(
        request,
        "monitoring/alarms.html",
        {
            "rows": rows,
            "page": page,
            "state": state,
            "kind": kind,
            "kinds": AlarmKind.choices,
            "can_ack": scopes.can(request.user, "monitoring.acknowledge"),
            "is_enterprise": request.user.role == "enterprise",
            "can_manage": scopes.can(request.user, "monitoring.manage"),
        },
    )


@login_required
@require_POST
def alarm_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alarm = scopes.get_visible_or_404(request.user, Alarm, pk=pk)
    note = request.POST.get("note", "")[:2000]
    try:
        services.acknowledge_alarm(request.user, alarm, note)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Alarm acknowledged."))
    return redirect(_next(request, "monitoring:alarms"))


# --- Quarantine -----------------------------------------------------------------------------------------


def _require_manage(user) -> None:
    scopes.require(user, "monitoring.manage")


@login_required
def quarantine(request: HttpRequest) -> HttpResponse:
    _require_manage(request.user)
    status = request.GET.get("status", "open")
    qs = QuarantinedPacket.objects.select_related("point", "reviewed_by")
    if status in QuarantinedPacket.Status.values:
        qs = qs.filter(status=status)
    reason = request.GET.get("reason", "")
    if reason:
        qs = qs.filter(reason=reason)
    page = Paginator(qs.order_by("-received_at", "-id"), 50).get_page(request.GET.get("page", 1))
    reasons = (
        QuarantinedPacket.objects.filter(status=QuarantinedPacket.Status.OPEN)
        .values_list("reason")
        .annotate(n=Max("id"))
        .values_list("reason", flat=True)
        .distinct()
    )
    return render(
        request,
        "monitoring/quarantine.html",
        {
            "page": page,
            "status": status,
            "statuses": QuarantinedPacket.Status.choices,
            "reason": reason,
            "reasons": [(r, QuarantinedPacket.REASONS.get(r, r)) for r in sorted(set(reasons))],
            "points": visible_points(request.user).filter(active=True).order_by("mn")[:2000],
        },
    )


@login_required
@require_POST
def quarantine_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _require_manage(request.user)
    packet = QuarantinedPacket.objects.filter(pk=pk).first()
    if packet is None:
        raise Http404(_("No such packet."))
    reason = request.POST.get("reason", "")[:300]
    try:
        if action == "assign":
            point_id = request.POST.get("point", "")
            if not point_id.isdigit():
                raise ValidationError({"point": [_("Choose the point this packet belongs to.")]})
            point = scopes.get_visible_or_404(request.user, MonitoringPoint, pk=int(point_id))
            services.assign_packet(request.user, packet, point, reason=reason)
            messages.success(request, _("Packet assigned to %(point)s.") % {"point": point})
        elif action == "dismiss":
            services.dismiss_packet(request.user, packet, reason=reason)
            messages.success(request, _("Packet dismissed."))
        else:
            raise Http404(_("No such action."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_next(request, "monitoring:quarantine"))


# --- Items for enforcement, limits ---------------------------------------------------------------------------


@login_required
def enforcement_items(request: HttpRequest) -> HttpResponse:
    """Repeated exceedances: the department's and the environment department's list for enforcement."""
    scopes.require(request.user, "monitoring.manage")
    qs = scopes.visible(request.user, RepeatedExceedance.objects.select_related("point__plant__enterprise"))
    status = request.GET.get("status", "open")
    if status in RepeatedExceedance.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-last_at"), 50).get_page(request.GET.get("page", 1))
    rows = [(item, factor_meta(item.factor)) for item in page.object_list]
    return render(
        request,
        "monitoring/enforcement.html",
        {"rows": rows, "page": page, "status": status, "statuses": RepeatedExceedance.Status.choices},
    )


@login_required
def limits(request: HttpRequest) -> HttpResponse:
    scopes.require(request.user, "monitoring.view")
    rows = [(limit, factor_meta(limit.factor)) for limit in Limit.objects.all()]
    return render(
        request,
        "monitoring/limits.html",
        {
            "rows": rows,
            "can_manage": scopes.can(request.user, "monitoring.manage"),
            "can_edit": scopes.can(request.user, "monitoring.manage") and request.user.is_staff,
        },
    )
