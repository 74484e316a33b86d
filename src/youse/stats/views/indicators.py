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

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Max, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from youse.core import modules, scopes
from youse.core.models import Division, Metal, PolicyTarget, ValueChainStage
from youse.core.roles import Role
from youse.registry.models import Enterprise, ProductionUnit
from youse.stats import rules, warning_services
from youse.stats.excel import Column, Table, xlsx_response
from youse.stats.models import EarlyWarning, Indicator, MonthlyReport, ReportLine, WarningRule
from youse.stats.rules import Period, PeriodError, parse_period
from youse.stats.types import IndicatorValue, Scope, ScopeError


def engine():
    """The indicator engine (stats/indicators.py)."""
    from youse.stats import indicators

    return indicators


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


@dataclass
class Card:
    """One target of 一(二) as a card and a gauge."""

    code: str
    iv: IndicatorValue | None
    label: str
    url: str

    @property
    def status(self) -> str:
        return status_of(self.iv)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def comparator_symbol(self) -> str:
        comparator = self.iv.comparator if self.iv else ""
        return {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<", "rank_lte": "≤"}.get(comparator, "")

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self.status]

    @property
    def required(self) -> Decimal | None:
        return self.iv.check.required if self.iv and self.iv.check else None

    @property
    def gap(self) -> Decimal | None:
        return self.iv.check.gap if self.iv and self.iv.check else None

    def gauge(self) -> dict:
        iv = self.iv
        value = number(iv.value) if iv else None
        target = number(iv.target_value) if iv else None
        unit = iv.unit if iv else ""
        lower_is_better = bool(iv and iv.comparator in ("lt", "lte", "rank_lte"))
        if unit == "%":
            lo = min(0.0, value or 0.0, (target or 0.0) - 10)
            # Shares fill 0–100%; growth rates a range around the target.
            floor = 100.0 if self.code != "production_growth" else max(20.0, (target or 0) * 2)
            hi = max(floor, (value or 0) * 1.1)
        elif lower_is_better:  # a rank: 1 is best, 31 provinces
            lo, hi = 1.0, 31.0
        else:
            lo, hi = 0.0, max((target or 0) * 1.25, (value or 0) * 1.1, 1.0)
        return {
            "code": self.code,
            "label": self.label,
            "value": value,
            "target": target,
            "required": number(self.required),
            "unit": unit,
            "status": self.status,
            "statusLabel": self.status_label,
            "min": round(lo, 2),
            "max": round(hi, 2),
            "lowerIsBetter": lower_is_better,
        }


def pick_targets(values: list[IndicatorValue]) -> dict[str, IndicatorValue]:
    """The indicator that carries each target: the one of the same code, else the one whose target it is."""
    by_code = {iv.code: iv for iv in values}
    picked = {}
    for code in TARGETS:
        iv = by_code.get(code) or next((v for v in values if v.target_code == code), None)
        if iv is not None:
            picked[code] = iv
    return picked


def cards_for(values: list[IndicatorValue], period: Period, scope: Scope) -> list[Card]:
    picked = pick_targets(values)
    query = {"period": str(period)}
    if scope.kind != "province":
        query["scope"] = str(scope)
    cards = []
    for code in TARGETS:
        iv = picked.get(code)
        if code == "al_utilisation":
            url = reverse("stats:aluminium") + "?" + urlencode({"period": str(period)})
        else:
            url = reverse("stats:indicators") + "?" + urlencode(query) + f"#trend-{code}"
        cards.append(Card(code, iv, str(iv.label) if iv else indicator_label(code), url))
    return cards


def target_cards(user) -> list[Card]:
    """The five target cards for a home page: the province for the department and provincial units, the
    city for a city user; none for others."""
    role = getattr(user, "role", None)
    if role in (Role.DEPARTMENT, Role.PROVINCIAL_UNIT):
        scope = Scope()
    elif role == Role.CITY and user.division_id:
        scope = Scope("city", city_code(user.division))
    else:
        return []
    period = default_period()
    try:
        scope = engine().resolve(scope)
    except ScopeError:
        return []
    return cards_for(assess(engine().compute(period, scope)), period, scope)


def targets_table(cards: list[Card]) -> Table:
    return Table(
        "targets",
        _("Targets of clause 一(二)"),
        [
            Column(_("Indicator"), numeric=False),
            Column(_("Value")),
            Column(pgettext("of measurement", "Unit"), numeric=False),
            Column(_("Target")),
            Column(_("Required this period")),
            Column(_("Gap")),
            Column(_("Status"), numeric=False),
        ],
        rows=[
            [
                c.label,
                c.iv.value if c.iv else None,
                c.iv.unit if c.iv else "",
                c.iv.target_value if c.iv else None,
                c.required,
                c.gap,
                c.status_label,
            ]
            for c in cards
        ],
        links=[c.url for c in cards],
        note=_("Required: the value the period had to reach to stay on the path to the target."),
    )


def trends(scope: Scope, period: Period, cards: list[Card]) -> tuple[dict, list[Table]]:
    """Monthly series of the targets' indicators (the rank by year: it is ranked once a year)."""
    months = trend_months(period)
    chart = {}
    month_columns = []
    month_values = []
    for card in cards:
        code = card.iv.code if card.iv else card.code
        if code == "revenue_rank":
            continue
        series = engine().series(code, scope, months)
        unit = series[0].unit if series else (card.iv.unit if card.iv else "")
        target = card.iv.target_value if card.iv else None
        # An amount's target is a year's: its monthly line is a twelfth of it.
        monthly_target = (target / 12).quantize(rules.CENT) if target is not None and unit != "%" else target
        values = [iv.value for iv in series]
        chart[card.code] = {
            "categories": [str(p) for p in months],
            "values": [number(v) for v in values],
            "target": number(monthly_target),
            "unit": unit,
            "name": card.label,
            "targetName": _("Target ÷ 12") if unit != "%" and target is not None else _("Target"),
        }
        month_columns.append(Column(card.label, unit))
        month_values.append(values)
    table = Table(
        "trend",
        _("Monthly trend"),
        [Column(_("Month"), numeric=False), *month_columns],
        rows=[[str(p), *(vals[i] for vals in month_values)] for i, p in enumerate(months)],
        note=_("Amounts are monthly; their target line is the year's target divided by twelve."),
    )
    tables = [table]
    rank_card = next((c for c in cards if c.code == "revenue_rank"), None)
    if rank_card is not None:
        base_year = 2015
        years = [Period("year", y) for y in range(base_year, period.year + 1)]
        code = rank_card.iv.code if rank_card.iv else "revenue_rank"
        series = engine().series(code, scope, years)
        chart["revenue_rank"] = {
            "categories": [str(p) for p in years],
            "values": [number(iv.value) for iv in series],
            "target": number(rank_card.iv.target_value) if rank_card.iv else None,
            "unit": series[0].unit if series else "",
            "name": rank_card.label,
            "targetName": _("Target"),
            "inverse": True,
        }
        tables.append(
            Table(
                "rank",
                _("National rank by year"),
                [Column(_("Year"), numeric=False), Column(rank_card.label, series[0].unit if series else "")],
                rows=[[str(p), iv.value] for p, iv in zip(years, series, strict=False)],
            )
        )
    return chart, tables


def breakdown(kind: str, period: Period, query: dict) -> tuple[Table, dict]:
    """Indicators per base or per metal: one `across` call per indicator."""
    rows: dict[str, list] = {}
    labels: dict[str, str] = {}
    columns = []
    for i, code in enumerate(BREAKDOWN):
        values = engine().across(code, period, kind)
        unit = values[0].unit if values else ""
        columns.append(Column(values[0].label if values else indicator_label(code), unit))
        for iv in values:
            labels.setdefault(iv.scope.code, str(iv.scope.label))
            rows.setdefault(iv.scope.code, [None] * len(BREAKDOWN))[i] = iv.value
    codes = list(rows)
    title = _("By industrial base") if kind == "base" else _("By metal")
    table = Table(
        kind,
        title,
        [Column(_("Industrial base") if kind == "base" else _("Metal"), numeric=False), *columns],
        rows=[[labels[c], *rows[c]] for c in codes],
        links=[reverse("stats:indicators") + "?" + urlencode({**query, "scope": f"{kind}:{c}"}) for c in codes],
    )
    chart = {
        "categories": [labels[c] for c in codes],
        "series": [{"name": str(columns[0].title), "data": [number(rows[c][0]) for c in codes]}],
        "unit": columns[0].unit,
    }
    return table, chart


def city_map(period: Period, code: str, query: dict, only: str | None = None) -> tuple[Table, dict]:
    values = engine().across(code, period, "city")
    if only is not None:
        values = [iv for iv in values if iv.scope.code == only]
    unit = values[0].unit if values else ""
    label = str(values[0].label) if values else indicator_label(code)
    links = [
        reverse("stats:indicators") + "?" + urlencode({**query, "scope": f"city:{iv.scope.code}"}) for iv in values
    ]
    table = Table(
        "cities",
        _("By city: %(indicator)s") % {"indicator": label},
        [Column(_("City"), numeric=False), Column(label, unit), Column(_("Status"), numeric=False)],
        rows=[[str(iv.scope.label), iv.value, str(STATUS_LABELS[status_of(iv)])] for iv in values],
        links=links,
        note=_("Special zones (杨凌, 西咸) have no region on the map and appear only in this table."),
    )
    chart = {
        "regions": [
            {"code": iv.scope.code, "name": str(iv.scope.label), "value": number(iv.value), "url": link}
            for iv, link in zip(values, links, strict=True)
            if iv.scope.code.isdigit() and iv.value is not None
        ],
        "valueLabel": f"{label} ({unit})" if unit else label,
    }
    return table, chart


def report_months(period: Period) -> list[dt.date]:
    return period.months


def city_enterprises(user, division: Division, period: Period, query: dict) -> Table:
    """The enterprises of a city with their accepted figures for the period: three GROUP BY queries."""
    enterprises = list(
        scopes.visible(user, Enterprise).filter(division__prefecture=division).order_by("name").only("pk", "name")
    )
    reports = scopes.visible(user, MonthlyReport).filter(
        enterprise__division__prefecture=division, period__in=report_months(period), accepted__isnull=False
    )
    figures = {
        row["enterprise"]: row
        for row in reports.values("enterprise")
        .annotate(va=Sum("accepted__value_added"), rev=Sum("accepted__revenue"), months=Count("pk"))
        .order_by()
    }
    lines = {
        row["revision__report__enterprise"]: row
        for row in ReportLine.objects.filter(
            revision__report__in=reports, revision_id=F("revision__report__accepted_id")
        )
        .values("revision__report__enterprise")
        .annotate(
            ov=Sum("output_value"),
            t=Sum("output_t"),
            deep=Sum("output_value", filter=Q(stage__deep_processing=True)),
        )
        .order_by()
    }
    rows, links = [], []
    for e in enterprises:
        f, ln = figures.get(e.pk), lines.get(e.pk)
        rows.append(
            [
                e.name,
                f["months"] if f else 0,
                rules.money_yi(f["va"]) if f else None,
                rules.money_yi(f["rev"]) if f else None,
                rules.money_yi(ln["ov"]) if ln else None,
                ln["t"] if ln else None,
                rules.percent(ln["deep"] or 0, ln["ov"]) if ln else None,
            ]
        )
        links.append(reverse("stats:indicators") + "?" + urlencode({**query, "scope": f"enterprise:{e.pk}"}))
    return Table(
        "enterprises",
        _("Enterprises of %(city)s") % {"city": division},
        [
            Column(_("Enterprise"), numeric=False),
            Column(_("Months reported")),
            Column(_("Industrial value added"), "亿元"),
            Column(_("Main business revenue"), "亿元"),
            Column(_("Output value"), "亿元"),
            Column(_("Output"), "t"),
            Column(_("Deep-processing share"), "%"),
        ],
        rows=rows,
        links=links,
        note=_("Accepted reports only. Output adds the tonnes of every product line."),
    )


def main_metal_and_stage(enterprise: Enterprise, months: list[dt.date]) -> tuple[Metal | None, ValueChainStage | None]:
    """The metal and stage of the enterprise's lines with the largest output value in the period; without
    reports in the period, those of its production units."""
    top = (
        ReportLine.objects.filter(
            revision__report__enterprise=enterprise,
            revision__report__period__in=months,
            revision_id=F("revision__report__accepted_id"),
        )
        .values("metal", "stage")
        .annotate(ov=Sum("output_value"))
        .order_by("-ov")
        .first()
    )
    if top is None:
        unit = (
            ProductionUnit.objects.filter(plant__enterprise=enterprise).order_by("pk").values("metal", "stage").first()
        )
        top = unit
    if top is None:
        return None, None
    return Metal.objects.filter(pk=top["metal"]).first(), ValueChainStage.objects.filter(pk=top["stage"]).first()


def peer_comparison(enterprise: Enterprise, period: Period) -> tuple[Table, list[IndicatorValue]]:
    """The enterprise's figures against the per-enterprise averages of its metal and of its metal's stage.

    Metal average = the metal scope's total (the engine's, which counts an enterprise under its main
    metal) ÷ the enterprises whose accepted reports in the period had that main metal. Stage average = the
    output of the metal's lines at that stage ÷ the enterprises that reported such lines. Shares and
    utilisation are compared with the metal's own ratio, which is already the capacity- or output-weighted
    mean of its enterprises."""
    months = report_months(period)
    scope = Scope("enterprise", str(enterprise.pk), str(enterprise))
    own = {iv.code: iv for iv in engine().compute(period, scope)}
    metal, stage = main_metal_and_stage(enterprise, months)
    accepted = MonthlyReport.objects.filter(period__in=months, accepted__isnull=False)
    metal_values: dict[str, IndicatorValue] = {}
    n_metal = 0
    if metal is not None:
        metal_values = {iv.code: iv for iv in engine().compute(period, engine().resolve(Scope("metal", metal.code)))}
        n_metal = accepted.filter(accepted__main_metal=metal).values("enterprise").distinct().count()
    stage_lines = ReportLine.objects.filter(
        revision__report__in=accepted, revision_id=F("revision__report__accepted_id"), metal=metal, stage=stage
    )
    stage_all = stage_lines.aggregate(
        ov=Sum("output_value"), t=Sum("output_t"), n=Count("revision__report__enterprise", distinct=True)
    )
    stage_own = stage_lines.filter(revision__report__enterprise=enterprise).aggregate(
        ov=Sum("output_value"), t=Sum("output_t")
    )

    def avg(total: Decimal | None, n: int, places: Decimal = rules.CENT) -> Decimal | None:
        return None if total is None or not n else (Decimal(total) / n).quantize(places)

    def value(values: dict, code: str) -> Decimal | None:
        iv = values.get(code)
        return iv.value if iv else None

    metal_name = str(metal) if metal else "—"
    stage_name = f"{metal_name} · {stage}" if stage else "—"
    rows = [
        [
            indicator_label("value_added"),
            "亿元",
            value(own, "value_added"),
            avg(value(metal_values, "value_added"), n_metal),
            None,
        ],
        [indicator_label("revenue"), "亿元", value(own, "revenue"), avg(value(metal_values, "revenue"), n_metal), None],
        [
            _("Output value at this stage"),
            "亿元",
            rules.money_yi(stage_own["ov"]) if stage_own["ov"] is not None else None,
            None,
            rules.money_yi(Decimal(stage_all["ov"]) / stage_all["n"]) if stage_all["n"] else None,
        ],
        [
            _("Output at this stage"),
            "t",
            Decimal(stage_own["t"]).quantize(Decimal("0.001")) if stage_own["t"] is not None else None,
            None,
            avg(stage_all["t"], stage_all["n"], Decimal("0.001")),
        ],
        [
            indicator_label("deep_processing_share"),
            "%",
            value(own, "deep_processing_share"),
            value(metal_values, "deep_processing_share"),
            None,
        ],
    ]
    if metal is not None and metal.code == "Al":
        rows.append(
            [
                indicator_label("al_utilisation"),
                "%",
                value(own, "al_utilisation"),
                value(metal_values, "al_utilisation"),
                None,
            ]
        )
    table = Table(
        "peers",
        _("Compared with the enterprises of its metal and stage"),
        [
            Column(_("Figure"), numeric=False),
            Column(pgettext("of measurement", "Unit"), numeric=False),
            Column(_("This enterprise")),
            Column(_("Average per enterprise: %(metal)s (%(n)s enterprises)") % {"metal": metal_name, "n": n_metal}),
            Column(
                _("Average per enterprise: %(stage)s (%(n)s enterprises)")
                % {"stage": stage_name, "n": stage_all["n"] or 0}
            ),
        ],
        rows=rows,
        note=_(
            "Averages per enterprise: the total of the metal (or of its products at this stage) divided by "
            "the number of enterprises that reported it in the period. Shares are the metal's own ratio."
        ),
    )
    return table, list(own.values())


def open_warnings(user, where: Where) -> list[EarlyWarning]:
    qs = scopes.visible(user, EarlyWarning).filter(status=EarlyWarning.Status.OPEN).select_related("rule")
    if where.scope.kind == "city" and where.division is not None:
        qs = qs.filter(division=where.division)
    elif where.scope.kind in ("base", "metal"):
        qs = qs.filter(scope_kind=where.scope.kind, scope_code=where.scope.code)
    elif where.scope.kind == "enterprise":
        return []
    return list(qs[:10])


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


# --- Early warnings -----------------------------------------------------------------------------------


@login_required
def warnings(request: HttpRequest) -> HttpResponse:
    """Early warnings with their evidence; the department acknowledges and clears them."""
    scopes.require(request.user, "stats.view")
    qs = scopes.visible(request.user, EarlyWarning).select_related("rule", "division")
    filters = {
        "status": request.GET.get("status", "open" if "status" not in request.GET else ""),
        "rule": request.GET.get("rule", ""),
        "scope_kind": request.GET.get("scope_kind", ""),
        "period": request.GET.get("period", "").strip(),
    }
    if filters["status"] in EarlyWarning.Status.values:
        qs = qs.filter(status=filters["status"])
    if filters["rule"]:
        qs = qs.filter(rule__code=filters["rule"])
    if filters["scope_kind"]:
        qs = qs.filter(scope_kind=filters["scope_kind"])
    if filters["period"]:
        qs = qs.filter(period__startswith=filters["period"])
    rows = list(qs[:500])
    table = Table(
        "warnings",
        _("Early warnings"),
        [
            Column(_("Raised"), numeric=False),
            Column(_("Rule"), numeric=False),
            Column(_("Scope"), numeric=False),
            Column(_("Period"), numeric=False),
            Column(_("Value")),
            Column(_("Message"), numeric=False),
            Column(_("Status"), numeric=False),
        ],
        rows=[
            [
                timezone.localtime(w.raised_at).strftime("%Y-%m-%d %H:%M"),
                w.rule.name,
                w.scope_label,
                w.period,
                w.value,
                w.message,
                w.get_status_display(),
            ]
            for w in rows
        ],
    )
    if wants_xlsx(request):
        label = request.user.scope_label or _("Shaanxi Province")
        return xlsx_response(
            [table],
            period=filters["period"] or _("all periods"),
            scope=label,
            synthetic=modules.synthetic_data_loaded(),
            filename="youse-warnings",
        )
    context = {
        "rows": rows,
        "filters": filters,
        "statuses": EarlyWarning.Status.choices,
        "rules": WarningRule.objects.order_by("code").values_list("code", "name"),
        "scope_kinds": [c for c in EarlyWarning._meta.get_field("scope_kind").choices],
        "can_handle": scopes.can(request.user, warning_services.CAPABILITY),
        "export_url": export_url(request, "warnings"),
    }
    return render(request, "stats/warnings.html", context)


def _warning_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    warning = scopes.get_visible_or_404(request.user, EarlyWarning, pk=pk)
    reason = request.POST.get("reason", "")
    try:
        if action == "acknowledge":
            warning_services.acknowledge_warning(request.user, warning, reason)
            messages.success(request, _("Warning acknowledged."))
        else:
            warning_services.clear_warning(request.user, warning, reason)
            messages.success(request, _("Warning cleared."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/stats/") else reverse("stats:warnings"))


@login_required
@require_POST
def warning_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _warning_action(request, pk, "acknowledge")


@login_required
@require_POST
def warning_clear(request: HttpRequest, pk: int) -> HttpResponse:
    return _warning_action(request, pk, "clear")


urlpatterns = [
    path("", dashboard, name="indicators"),
    path("aluminium/", aluminium, name="aluminium"),
    path("warnings/", warnings, name="warnings"),
    path("warnings/<int:pk>/acknowledge/", warning_acknowledge, name="warning-acknowledge"),
    path("warnings/<int:pk>/clear/", warning_clear, name="warning-clear"),
]
