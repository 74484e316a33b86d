"""What the indicator pages share: the engine, periods and the picker, scopes a user may see, number
formatting, target status labels, and exporting tables to Excel."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from youse.core import modules, scopes
from youse.core.models import Division, PolicyTarget
from youse.core.roles import Role
from youse.registry.models import Enterprise
from youse.stats import rules
from youse.stats.excel import Table, xlsx_response
from youse.stats.models import Indicator, MonthlyReport
from youse.stats.rules import Period, PeriodError, parse_period
from youse.stats.types import IndicatorValue, Scope, ScopeError


class _CachedEngine:
    """The indicator engine as pages use it: compute, series and across memoised per data version (see
    stats.indicators.cached), everything else passed through."""

    def __init__(self) -> None:
        from youse.stats import indicators

        self._engine = indicators
        self.compute = indicators.cached(indicators.compute)
        self.series = indicators.cached(indicators.series)
        self.across = indicators.cached(indicators.across)

    def compute_one(self, code: str, period, scope):
        return next(v for v in self.compute(period, scope) if v.code == code)

    def __getattr__(self, name: str):
        return getattr(self._engine, name)


_ENGINE: _CachedEngine | None = None


def engine() -> _CachedEngine:
    """The indicator engine (stats/indicators.py), memoised for pages."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = _CachedEngine()
    return _ENGINE


# The five targets of 一(二), in the policy's order.
TARGETS = ("value_added", "revenue_rank", "deep_processing_share", "al_utilisation", "production_growth")
# Indicators a map or a breakdown can show.
MAP_INDICATORS = (
    "value_added",
    "revenue",
    "deep_processing_share",
    "al_utilisation",
    "production_growth",
    "value_added_growth",
    "output_value_share",
)
BREAKDOWN = ("value_added", "revenue", "deep_processing_share", "al_utilisation", "production_growth")
TREND_MONTHS = 36
AL_TARGET_FALLBACK = Decimal(80)

STATUS_COLOURS = {
    rules.MET: "success",
    rules.ON_TRACK: "primary",
    rules.OFF_TRACK: "warning",
    rules.MISSED: "danger",
    rules.UNKNOWN: "secondary",
    "na": "light",
}
STATUS_LABELS = {
    rules.MET: gettext_lazy("Met"),
    rules.ON_TRACK: gettext_lazy("On track"),
    rules.OFF_TRACK: gettext_lazy("Off track"),
    rules.MISSED: gettext_lazy("Missed"),
    rules.UNKNOWN: gettext_lazy("No data"),
    "na": gettext_lazy("Not assessed"),
}
PERIOD_KINDS = (
    ("year", gettext_lazy("Year")),
    ("ytd", gettext_lazy("Year to date")),
    ("quarter", gettext_lazy("Quarter")),
    ("month", gettext_lazy("Month")),
)


def indicator_label(code: str) -> str:
    return str(Indicator(code).label) if code in Indicator.values else code


def city_code(division: Division) -> str:
    """A city's scope code: its GB/T 2260 code, or "zone-<pk>" for zones without one."""
    return division.code or f"zone-{division.pk}"


def division_of(code: str) -> Division | None:
    if code.startswith("zone-"):
        pk = code.removeprefix("zone-")
        return Division.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
    return Division.objects.filter(code=code, valid_to__isnull=True).first()


# --- Periods ------------------------------------------------------------------------------------------


def default_period() -> Period:
    """The latest complete year, or the year to date of the latest month with accepted figures."""
    latest = MonthlyReport.objects.filter(accepted__isnull=False).aggregate(m=Max("period"))["m"]
    if latest is None:
        today = timezone.localdate()
        latest = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    if latest.month == 12:
        return Period("year", latest.year)
    return Period("ytd", latest.year, latest.month)


def period_from(request: HttpRequest) -> tuple[Period, str | None]:
    """The period asked for: `period=2020Q2`, or the picker's kind, year and number. Errors fall back to
    the default period with a message."""
    text = request.GET.get("period", "").strip()
    kind = request.GET.get("kind", "").strip()
    year = request.GET.get("year", "").strip()
    if not text and kind and year:
        number = request.GET.get("n", "").strip() or "12"
        text = {
            "year": year,
            "ytd": f"{year}-{number}-ytd",
            "quarter": f"{year}Q{min(int(number), 4) if number.isdigit() else number}",
            "month": f"{year}-{number}",
        }.get(kind, "")
    if not text:
        return default_period(), None
    try:
        return parse_period(text), None
    except (PeriodError, ValueError):
        return default_period(), _("“%(text)s” is not a period; showing the default period.") % {"text": text}


def trend_months(period: Period, count: int = TREND_MONTHS) -> list[Period]:
    months = []
    p = Period("month", period.year, period.last_month)
    for _i in range(count):
        months.append(p)
        p = p.previous()
    return list(reversed(months))


def picker(period: Period) -> dict:
    this_year = timezone.localdate().year
    first = PolicyTarget.objects.aggregate(y=Max("base_year"))["y"] or 2015
    return {
        "kinds": PERIOD_KINDS,
        "kind": period.kind,
        "year": period.year,
        "number": period.number,
        "years": list(range(this_year, min(first, period.year) - 1, -1)),
        "numbers": list(range(1, 13)),
    }


# --- Scopes -------------------------------------------------------------------------------------------


@dataclass
class Where:
    scope: Scope
    enterprise: Enterprise | None = None
    division: Division | None = None


def scope_for(user, text: str | None) -> Where:
    """The scope the user may see for the one asked for (404 for another city or enterprise)."""
    try:
        requested = Scope.parse(text)
    except ScopeError:
        raise Http404("no such scope") from None
    role = getattr(user, "role", None)
    if role in (Role.DEPARTMENT, Role.PROVINCIAL_UNIT):
        scope = requested
    elif role == Role.CITY and user.division_id:
        own = Scope("city", city_code(user.division))
        if requested.kind == "province" or (requested.kind == "city" and requested.code == own.code):
            scope = own
        elif requested.kind == "enterprise":
            scope = requested  # its own enterprises only: checked below through visible()
        else:
            raise Http404("outside the city's scope")
    elif role == Role.ENTERPRISE and user.enterprise_id:
        own = Scope("enterprise", str(user.enterprise_id))
        if requested.kind != "province" and requested != own:
            raise Http404("outside the enterprise's scope")
        scope = own
    else:
        raise PermissionDenied(_("Your role may not see the indicators."))
    if scope.kind == "enterprise":
        if not scope.code.isdigit():
            raise Http404("no such enterprise")
        enterprise = scopes.get_visible_or_404(
            user, Enterprise.objects.select_related("division__prefecture"), pk=int(scope.code)
        )
        return Where(Scope("enterprise", str(enterprise.pk), str(enterprise)), enterprise=enterprise)
    try:
        resolved = engine().resolve(scope)
    except ScopeError:
        raise Http404("no such scope") from None
    division = division_of(resolved.code) if resolved.kind == "city" else None
    return Where(resolved, division=division)


# --- Figures ------------------------------------------------------------------------------------------


def fmt(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,}"


def status_of(iv: IndicatorValue | None) -> str:
    """The target status; "na" for a value without a check (a city's amount: the target is the province's)."""
    if iv is None or iv.value is None:
        return rules.UNKNOWN
    return iv.check.status if iv.check is not None else "na"


def assess(values: list[IndicatorValue]) -> list[IndicatorValue]:
    """Check the targets that hold every year in any scope (aluminium utilisation ≥ 80%, growth ≥ 8%): a
    city or base is on or off them as the province is. Amounts and shares of the province's targets are
    not divided among cities, so those stay unassessed below the province."""
    per_year = {t.code: t for t in PolicyTarget.objects.filter(per_year=True, value__isnull=False)}
    for iv in values:
        target = per_year.get(iv.target_code)
        if iv.check is None and target is not None and iv.value is not None:
            iv.check = rules.check_target(
                iv.value, target.comparator, target.value, year=iv.period.year, target_year=None, per_year=True
            )
    return values


def number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def wants_xlsx(request: HttpRequest) -> bool:
    return request.GET.get("format") == "xlsx"


def export(request: HttpRequest, tables: list[Table], period: Period, scope: Scope, name: str) -> HttpResponse:
    wanted = request.GET.get("table")
    chosen = [t for t in tables if t.name == wanted] if wanted else tables
    if not chosen:
        raise Http404("no such table")
    label = str(scope.label) or (_("Shaanxi Province") if scope.kind == "province" else str(scope))
    return xlsx_response(
        chosen,
        period=str(period),
        scope=label,
        synthetic=modules.synthetic_data_loaded(),
        filename=f"youse-{name}-{wanted or 'all'}-{period}",
    )


def export_url(request: HttpRequest, table: str) -> str:
    query = request.GET.copy()
    query["format"] = "xlsx"
    query["table"] = table
    return f"{request.path}?{query.urlencode()}"
