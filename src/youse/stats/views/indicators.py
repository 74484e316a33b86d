"""Indicator pages: the targets dashboard of 一(二) with its drill-down (province → city → enterprise),
the aluminium utilisation view, the early-warning list; every table exports to Excel.

Scopes (DESIGN.md: every query is scoped): the department and provincial units choose any scope; a city
user is held to its city (another city answers 404) and its enterprises; an enterprise user sees its own
figures against the averages of its metal and value-chain stage. An average "per enterprise" is the metal's
(or stage's) total divided by the number of enterprises that reported it in the period, so the enterprise
compares its own total with what a typical peer produced over the same months.

The figures come from the indicator engine (stats/indicators.py). The enterprise list of a city and the
peer averages are GROUP BY queries here, so the number of queries does not grow with the enterprises."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from youse.core import scopes
from youse.core.roles import Role
from youse.stats import rules
from youse.stats.excel import Column, Table
from youse.stats.types import IndicatorValue, Scope
from youse.stats.views.common import (
    AL_TARGET_FALLBACK,
    MAP_INDICATORS,
    STATUS_COLOURS,
    STATUS_LABELS,
    Where,
    assess,
    city_code,
    engine,
    export,
    export_url,
    indicator_label,
    number,
    period_from,
    picker,
    scope_for,
    status_of,
    wants_xlsx,
)
from youse.stats.views.panels import (
    breakdown,
    cards_for,
    city_enterprises,
    city_map,
    open_warnings,
    peer_comparison,
    targets_table,
    trends,
)
from youse.stats.views.warnings import warning_acknowledge, warning_clear, warnings

# --- Pages --------------------------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The targets of 一(二) for a scope and period, with trend, map, breakdowns and drill-down."""
    scopes.require(request.user, "stats.view")
    period, period_error = period_from(request)
    where = scope_for(request.user, request.GET.get("scope"))
    scope = where.scope
    if period_error:
        messages.warning(request, period_error)
    query = {"period": str(period)}
    map_code = request.GET.get("map", "value_added")
    if map_code not in MAP_INDICATORS:
        map_code = "value_added"
    context: dict = {"period": period, "scope": scope, "where": where, "picker": picker(period), "map_code": map_code}
    tables: list[Table] = []
    charts: dict = {}
    if scope.kind == "enterprise":
        table, own = peer_comparison(where.enterprise, period)
        tables.append(table)
        context["own"] = own
    else:
        cards = cards_for(assess(engine().compute(period, scope)), period, scope)
        context["cards"] = cards
        tables.append(targets_table(cards))
        charts["gauges"] = [c.gauge() for c in cards]
        trend_chart, trend_tables = trends(scope, period, cards)
        charts["trends"] = trend_chart
        tables.extend(trend_tables)
        if scope.kind == "province":
            table, chart = city_map(period, map_code, query)
            tables.append(table)
            charts["map"] = chart
            for kind in ("base", "metal"):
                table, chart = breakdown(kind, period, query)
                tables.append(table)
                charts[kind] = chart
        elif scope.kind == "city" and where.division is not None:
            tables.append(city_enterprises(request.user, where.division, period, query))
        context["warnings"] = open_warnings(request.user, where)
    if wants_xlsx(request):
        return export(request, tables, period, scope, "indicators")
    for t in tables:
        t.export_url = export_url(request, t.name)
    context.update(
        tables={t.name: t for t in tables},
        charts=charts,
        map_choices=[(c, indicator_label(c)) for c in MAP_INDICATORS],
        all_export_url=export_url(request, ""),
        crumbs=crumbs(where, query),
        scope_value=str(scope) if scope.kind != "province" else "",
    )
    return render(request, "stats/indicators.html", context)


def crumbs(where: Where, query: dict) -> list[tuple[str, str | None]]:
    base = reverse("stats:indicators")
    items: list[tuple[str, str | None]] = [(_("Shaanxi Province"), base + "?" + urlencode(query))]
    scope = where.scope
    if scope.kind in ("city", "base", "metal"):
        items.append((str(scope.label), None))
    elif scope.kind == "enterprise":
        division = where.enterprise.division.prefecture if where.enterprise.division else None
        if division is not None:
            items.append((str(division), base + "?" + urlencode({**query, "scope": f"city:{city_code(division)}"})))
        items.append((str(scope.label), None))
    return items


@login_required
def aluminium(request: HttpRequest) -> HttpResponse:
    """Will the province reach 80% electrolytic aluminium utilisation, and which city holds it back?

    Cities sorted from the lowest utilisation, with each city's gap to the target and its contribution to
    the province's gap: the city's share of the province's available capacity × (its utilisation − the
    target), in percentage points. The contributions add up to the province's utilisation − the target,
    because the province's rate is the capacity-weighted mean of the cities' rates."""
    scopes.require(request.user, "stats.view")
    role = request.user.role
    if role == Role.ENTERPRISE:
        raise PermissionDenied(_("Enterprises see their own figures only."))
    period, period_error = period_from(request)
    if period_error:
        messages.warning(request, period_error)
    only = city_code(request.user.division) if role == Role.CITY else None
    province = engine().compute_one("al_utilisation", period, engine().resolve(Scope()))
    target = province.target_value if province.target_value is not None else AL_TARGET_FALLBACK
    cities = [iv for iv in engine().across("al_utilisation", period, "city") if only is None or iv.scope.code == only]
    # Cities without electrolysis capacity in the period have nothing to say about utilisation.
    cities = [iv for iv in cities if iv.value is not None or (available_capacity(iv) or 0) > 0 or only is not None]
    cities.sort(key=lambda iv: (iv.value is None, iv.value if iv.value is not None else Decimal(0)))
    total_capacity = available_capacity(province) or sum(
        (available_capacity(iv) or Decimal(0) for iv in cities), Decimal(0)
    )
    rows, links = [], []
    for iv in cities:
        capacity = available_capacity(iv)
        share = rules.percent(capacity, total_capacity) if capacity is not None and total_capacity else None
        gap = (iv.value - target).quantize(rules.TENTH) if iv.value is not None else None
        contribution = (
            (capacity / total_capacity * gap).quantize(rules.TENTH)
            if capacity is not None and total_capacity and gap is not None
            else None
        )
        rows.append([str(iv.scope.label), iv.value, gap, aluminium_liquid(iv), capacity, share, contribution])
        links.append(
            reverse("stats:indicators") + "?" + urlencode({"period": str(period), "scope": f"city:{iv.scope.code}"})
        )
    province_gap = (province.value - target).quantize(rules.TENTH) if province.value is not None else None
    table = Table(
        "aluminium",
        _("Electrolytic aluminium capacity utilisation by city"),
        [
            Column(_("City"), numeric=False),
            Column(_("Utilisation"), "%"),
            Column(_("Gap to the target"), _("percentage points")),
            Column(_("Aluminium liquid output"), "t"),
            Column(_("Available capacity"), "t"),
            Column(_("Share of the province's capacity"), "%"),
            Column(_("Contribution to the province's gap"), _("percentage points")),
        ],
        rows=rows,
        links=links,
        total=None
        if only
        else [
            _("Province"),
            province.value,
            province_gap,
            aluminium_liquid(province),
            available_capacity(province),
            Decimal(100) if total_capacity else None,
            province_gap.quantize(rules.TENTH) if province_gap is not None else None,
        ],
        note=_(
            "Available capacity: each electrolysis unit's annual capacity pro-rated to the days it was "
            "operating or idle in the period. Contribution = share of capacity × (utilisation − target); "
            "the contributions add up to the province's gap."
        ),
    )
    if wants_xlsx(request):
        return export(request, [table], period, engine().resolve(Scope()), "aluminium")
    table.export_url = export_url(request, "aluminium")
    chart = {
        "categories": [r[0] for r in rows],
        "series": [{"name": str(_("Utilisation")), "data": [number(r[1]) for r in rows]}],
        "unit": "%",
        "target": number(target),
    }
    context = {
        "period": period,
        "picker": picker(period),
        "province": province,
        "target": target,
        "province_gap": province_gap,
        "table": table,
        "chart": chart,
        "holding_back": [r for r in rows if r[6] is not None and r[6] < 0][:3],
        "status_label": STATUS_LABELS[status_of(province)],
        "status_colour": STATUS_COLOURS[status_of(province)],
        "city_only": only,
    }
    return render(request, "stats/indicators_aluminium.html", context)


def _input(iv: IndicatorValue, *keys: str) -> Decimal | None:
    for key in keys:
        if key in iv.inputs and iv.inputs[key] not in (None, ""):
            try:
                return Decimal(iv.inputs[key])
            except ArithmeticError:
                return None
    return None


def aluminium_liquid(iv: IndicatorValue) -> Decimal | None:
    return _input(iv, "al_liquid_t", "aluminium_liquid_t", "al_liquid")


def available_capacity(iv: IndicatorValue) -> Decimal | None:
    """Capacity available in the period (t): from the engine's inputs, tonne-days ÷ days of the year."""
    direct = _input(iv, "available_capacity_t", "capacity_t", "capacity_available_t")
    if direct is not None:
        return direct
    tonne_days = _input(iv, "capacity_tonne_days")
    if tonne_days is not None:
        return (tonne_days / iv.period.days_in_year).quantize(Decimal("0.001"))
    return None


urlpatterns = [
    path("", dashboard, name="indicators"),
    path("aluminium/", aluminium, name="aluminium"),
    path("warnings/", warnings, name="warnings"),
    path("warnings/<int:pk>/acknowledge/", warning_acknowledge, name="warning-acknowledge"),
    path("warnings/<int:pk>/clear/", warning_clear, name="warning-clear"),
]
