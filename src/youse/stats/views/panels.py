"""The panels of the targets dashboard: target cards, trends, breakdowns by base and metal, the city map,
a city's enterprises, an enterprise against its peers, open warnings. Each builds one Table that draws both
the HTML table and its Excel sheet, so the numbers agree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from youse.core import scopes
from youse.core.models import Division, Metal, ValueChainStage
from youse.core.roles import Role
from youse.registry.models import Enterprise, ProductionUnit
from youse.stats import rules
from youse.stats.excel import Column, Table
from youse.stats.models import EarlyWarning, MonthlyReport, ReportLine
from youse.stats.rules import Period
from youse.stats.types import IndicatorValue, Scope, ScopeError
from youse.stats.views.common import (
    BREAKDOWN,
    STATUS_COLOURS,
    STATUS_LABELS,
    TARGETS,
    Where,
    assess,
    city_code,
    default_period,
    engine,
    indicator_label,
    number,
    status_of,
    trend_months,
)


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
