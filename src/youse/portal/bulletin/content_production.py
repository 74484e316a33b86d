"""Sections 一 and 二: production and capacity by metal, city and base; aluminium capacity utilisation.

Output and money come from the indicator engine's own sums (its Book of accepted report lines), so the
tables add up to the indicators. Capacity is that of the registry's production units in a capacity status
(operating or idle) at the end of the month, by their status history: two queries."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from youse.portal.bulletin import content_format as f
from youse.portal.bulletin import content_text as text
from youse.portal.bulletin.content_indicators import Figures
from youse.registry.models import ProductionUnit, UnitStatusChange
from youse.registry.rules import CAPACITY_STATUSES
from youse.stats.indicators import UNIT_KEY
from youse.stats.models import Indicator

IND = Indicator
STATUSES = frozenset(str(s) for s in CAPACITY_STATUSES)


@dataclass
class Capacity:
    """Units in a capacity status at a date, by scope key."""

    tonnes: dict[tuple[str, object], Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    units: dict[tuple[str, object], int] = field(default_factory=lambda: defaultdict(int))
    electrolysis_t: dict[tuple[str, object], Decimal] = field(default_factory=lambda: defaultdict(Decimal))


def status_on(history: list[tuple[dt.date, int, str]], day: dt.date) -> str | None:
    """The status a unit held on `day`: its last change effective by then (ties: the last recorded)."""
    held = None
    for on, _pk, status in sorted(history):
        if on > day:
            break
        held = status
    return held


def capacity_at(day: dt.date) -> Capacity:
    paths = {kind: path for kind, path in UNIT_KEY.items() if kind != "enterprise"}
    fields_ = ["id", "design_capacity", "capacity_unit", "metal__code", "stage__code", "status", "status_since"]
    units = list(ProductionUnit.objects.order_by().values(*fields_, *[p for p in paths.values() if p]))
    histories: dict[int, list[tuple[dt.date, int, str]]] = defaultdict(list)
    for unit_id, on, pk, status in UnitStatusChange.objects.filter(effective_on__lte=day).values_list(
        "unit_id", "effective_on", "id", "to_status"
    ):
        histories[unit_id].append((on, pk, status))
    cap = Capacity()
    for u in units:
        # A unit without a recorded change by then: its current status, from the date it has held it.
        history = histories.get(u["id"]) or [(u["status_since"], 0, u["status"])]
        held = status_on(history, day)
        if held not in STATUSES:
            continue
        tonnes = u["design_capacity"] if u["capacity_unit"] == "t/a" else Decimal(0)
        electrolysis = u["metal__code"] == "Al" and u["stage__code"] == "smelting" and u["capacity_unit"] == "t/a"
        for kind, path in paths.items():
            key = (kind, u[path] if path else None)
            cap.units[key] += 1
            cap.tonnes[key] += tonnes
            if electrolysis:
                cap.electrolysis_t[key] += tonnes
    return cap


SCOPE_COLUMN = {"metal": _("Metal"), "city": _("City"), "base": _("Industrial base")}


def _production_table(kind: str, figures: Figures, cap: Capacity) -> tuple[dict, list[dict]]:
    book = figures.books[kind]
    titles = {
        "metal": _("Production and capacity by metal"),
        "city": _("Production and capacity by city"),
        "base": _("Production and capacity by industrial base"),
    }
    columns = [
        f.column(f"{kind}_code", _("Code")),
        f.column(kind, SCOPE_COLUMN[kind]),
        f.column("output_t", _("Output in the month"), "吨"),
        f.column("output_growth_pct", _("Year on year"), "%"),
        f.column("output_ytd_t", _("Output in the year to date"), "吨"),
        f.column("output_growth_ytd_pct", _("Year on year, year to date"), "%"),
        f.column("output_value_ytd_yi", _("Output value, year to date"), "亿元"),
        f.column("value_added_ytd_yi", _("Industrial value added, year to date"), "亿元"),
        f.column("capacity_t", _("Capacity at the end of the month"), "吨/年"),
        f.column("capacity_units", _("Units operating or idle"), "个"),
    ]
    rows = []
    for scope, key in figures.scopes[kind]:
        m, y = book.total(key, figures.month), book.total(key, figures.ytd)
        units = cap.units.get((kind, key), 0)
        if not (y.lines or y.reports or units):
            continue

        def ind(code, period, scope=scope):
            return f.engine(figures.get(code, period, scope).value)

        rows.append(
            {
                f"{kind}_code": scope.code,
                kind: str(scope.label),
                "output_t": f.tonnes(m.output_t),
                "output_growth_pct": ind(IND.PRODUCTION_GROWTH, figures.month),
                "output_ytd_t": f.tonnes(y.output_t),
                "output_growth_ytd_pct": ind(IND.PRODUCTION_GROWTH, figures.ytd),
                "output_value_ytd_yi": f.yi(y.output_value),
                "value_added_ytd_yi": ind(IND.VALUE_ADDED, figures.ytd),
                "capacity_t": f.tonnes(cap.tonnes.get((kind, key), Decimal(0))),
                "capacity_units": units,
            }
        )
    note = _(
        "Output from accepted monthly reports (for metals, by the metal of each product line; value added by "
        "the enterprise's main metal). Capacity: units operating or idle at the end of the month, in t/yr "
        "(mines rated in t ore/day are counted as units only)."
    )
    return f.table(f"production_by_{kind}", titles[kind], columns, rows, note), rows


def production_section(figures: Figures, cap: Capacity) -> dict:
    blocks, tables = [], {}
    for kind in ("metal", "city", "base"):
        block, rows = _production_table(kind, figures, cap)
        blocks.append(block)
        tables[kind] = rows
    metals = tables["metal"]
    blocks.append(
        f.chart(
            "output_by_metal",
            _("Output by metal in the month"),
            "bar",
            "吨",
            [r["metal"] for r in metals],
            [(_("Output in the month"), [r["output_t"] for r in metals])],
        )
    )
    province = figures.scopes["province"][0][0]
    book = figures.books["province"]
    m, y = book.total(None, figures.month), book.total(None, figures.ytd)

    def pv(code, period):
        return f.engine(figures.get(code, period, province).value)

    ranked = sorted((r for r in metals if r["output_t"] not in (None, "0")), key=lambda r: -Decimal(r["output_t"]))
    paragraphs = text.production(
        f.month_text(figures.month),
        f.ytd_text(figures.month),
        f.tonnes(m.output_t) if m.lines else None,
        pv(IND.PRODUCTION_GROWTH, figures.month),
        f.tonnes(y.output_t) if y.lines else None,
        pv(IND.PRODUCTION_GROWTH, figures.ytd),
        pv(IND.VALUE_ADDED, figures.ytd),
        pv(IND.VALUE_ADDED_GROWTH, figures.ytd),
        pv(IND.REVENUE, figures.ytd),
        pv(IND.DEEP_PROCESSING_SHARE, figures.ytd),
        [(r["metal"], r["output_t"]) for r in ranked[:3]],
        f.tonnes(cap.tonnes.get(("province", None), Decimal(0))),
        cap.units.get(("province", None), 0),
    )
    return f.section("production", _("1. Production and capacity"), paragraphs, blocks)


def utilisation_section(figures: Figures, cap: Capacity) -> dict:
    code = IND.AL_UTILISATION
    province = figures.scopes["province"][0][0]
    book = figures.books["city"]
    now = figures.get(code, figures.month, province)
    rows = []
    for scope, key in figures.scopes["city"]:
        value = figures.get(code, figures.month, scope)
        ytd = figures.get(code, figures.ytd, scope)
        electrolysis = cap.electrolysis_t.get(("city", key), Decimal(0))
        if value.value is None and ytd.value is None and not electrolysis:
            continue
        m = book.total(key, figures.month)
        rows.append(
            {
                "city_code": scope.code,
                "city": str(scope.label),
                "utilisation_pct": f.engine(value.value),
                "utilisation_year_before_pct": f.engine(figures.get(code, figures.month.shifted(-1), scope).value),
                "utilisation_ytd_pct": f.engine(ytd.value),
                "al_liquid_t": f.tonnes(m.al_liquid_t),
                "electrolysis_capacity_t": f.tonnes(electrolysis),
            }
        )
    columns = [
        f.column("city_code", _("Code")),
        f.column("city", _("City")),
        f.column("utilisation_pct", _("Utilisation in the month"), "%"),
        f.column("utilisation_year_before_pct", _("Same month a year earlier"), "%"),
        f.column("utilisation_ytd_pct", _("Utilisation, year to date"), "%"),
        f.column("al_liquid_t", _("Aluminium liquid output in the month"), "吨"),
        f.column("electrolysis_capacity_t", _("Electrolysis capacity at the end of the month"), "吨/年"),
    ]
    note = _(
        "Utilisation: aluminium liquid output ÷ the capacity of electrolysis lines for the days they were "
        "operating or idle (docs/indicators.md); cities by the plant of each potline."
    )
    blocks = [
        f.table("al_utilisation_by_city", _("Electrolytic aluminium capacity utilisation by city"), columns, rows, note)
    ]
    series = [(str(province.label), [f.engine(figures.get(code, p, province).value) for p in figures.trend])]
    for scope, _key in figures.scopes["city"]:
        values = [f.engine(figures.get(code, p, scope).value) for p in figures.trend]
        if any(v is not None for v in values):
            series.append((str(scope.label), values))
    blocks.append(
        f.chart(
            "al_utilisation_trend",
            _("Electrolytic aluminium capacity utilisation, last 13 months"),
            "line",
            "%",
            [str(p) for p in figures.trend],
            series,
            f.plain(now.target_value),
        )
    )
    ytd = figures.get(code, figures.ytd, province)
    paragraphs = text.utilisation(
        f.month_text(figures.month),
        f.ytd_text(figures.month),
        f.engine(now.value),
        f.engine(ytd.value),
        f.engine(figures.get(code, figures.month.shifted(-1), province).value),
        f.plain(now.target_value),
        now.comparator,
        ytd.check.status if ytd.check else None,
        [(r["city"], r["utilisation_pct"]) for r in rows if r["utilisation_pct"] is not None],
    )
    return f.section("utilisation", _("2. Capacity utilisation"), paragraphs, blocks)
