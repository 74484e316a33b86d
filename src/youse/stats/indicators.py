"""The indicator engine: the indicators of clause 一(二) for any period and scope, from accepted reports.

The database adds up; stats/rules.py divides, rounds and judges. Every query groups by month and scope
key, so the number of queries is fixed whatever the number of enterprises, and `series()` / `across()`
answer many periods or scopes from the same few queries. Definitions: docs/indicators.md.

Only accepted revisions count (MonthlyReport.accepted): a report under correction keeps counting the
revision that was accepted until the correction is accepted in its turn."""

import datetime as dt
import functools
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, F, Q, Sum
from django.utils import translation
from django.utils.translation import gettext as _

from youse.core.models import AuditEvent, Division, IndustrialBase, Metal, PolicyTarget
from youse.registry.models import Enterprise, ProductionUnit, UnitStatusChange
from youse.registry.rules import CAPACITY_STATUSES
from youse.stats import facts, rules
from youse.stats.models import Indicator, MonthlyReport, ProvinceRevenue, ReportLine
from youse.stats.rules import Period, parse_period
from youse.stats.types import SCOPE_KINDS, IndicatorValue, Scope, ScopeError

__all__ = [
    "Period",
    "parse_period",
    "compute",
    "compute_one",
    "series",
    "across",
    "scopes_of",
    "resolve",
    "months_used",
    "UNITS",
    "TARGET_OF",
]

IND = Indicator
UNITS = {
    IND.VALUE_ADDED: "亿元",
    IND.REVENUE: "亿元",
    IND.REVENUE_RANK: "名",
    IND.DEEP_PROCESSING_SHARE: "%",
    IND.AL_UTILISATION: "%",
    IND.PRODUCTION_GROWTH: "%",
    IND.PRODUCTION_CAGR: "%",
    IND.VALUE_ADDED_GROWTH: "%",
    IND.OUTPUT_VALUE_SHARE: "%",
    IND.OUTPUT_VALUE_SHARE_CHANGE: "百分点",
}
# The PolicyTarget each indicator is measured against. The policy's "average annual growth of
# production ≥ 8%" is shown against both the year-on-year and the compound growth.
TARGET_OF = {
    IND.VALUE_ADDED: "value_added",
    IND.REVENUE_RANK: "revenue_rank",
    IND.DEEP_PROCESSING_SHARE: "deep_processing_share",
    IND.AL_UTILISATION: "al_utilisation",
    IND.PRODUCTION_GROWTH: "production_growth",
    IND.PRODUCTION_CAGR: "production_growth",
}
DEFAULT_BASE_YEAR = 2015
# Rows of ProvinceRevenue that are Shaanxi itself (entered for comparison) are not "other provinces".
OWN_PROVINCE = frozenset({"陕西", "陕西省", "Shaanxi"})

# How each scope kind reaches its key, for enterprise-level figures (on the report), for report lines,
# for the aluminium lines and units of the utilisation (by the unit's plant), and for units.
REPORT_KEY = {
    "province": None,
    "city": "enterprise__division__prefecture_id",
    "base": "enterprise__base_id",
    "metal": "accepted__main_metal_id",
    "enterprise": "enterprise_id",
}
LINE_KEY = {
    "province": None,
    "city": "revision__report__enterprise__division__prefecture_id",
    "base": "revision__report__enterprise__base_id",
    "metal": "metal_id",
    "enterprise": "revision__report__enterprise_id",
}
AL_LINE_KEY = {
    "province": None,
    "city": "unit__plant__division__prefecture_id",
    "base": "unit__plant__base_id",
    "metal": "metal_id",
    "enterprise": "revision__report__enterprise_id",
}
UNIT_KEY = {
    "province": None,
    "city": "plant__division__prefecture_id",
    "base": "plant__base_id",
    "metal": "metal_id",
    "enterprise": "plant__enterprise_id",
}
LINE_ELECTROLYSIS = Q(**{f"unit__{lookup}": value for lookup, value in facts.ELECTROLYSIS.children})
ACCEPTED_LINE = Q(revision__report__accepted=F("revision"))


# --- Scopes ------------------------------------------------------------------------------------------


def _city_code(div: Division) -> str:
    return div.code or f"zone-{div.pk}"


def _province_label() -> str:
    province = Division.objects.filter(level=Division.Level.PROVINCE).order_by("-valid_from").first()
    return province.display_name if province else _("Shaanxi Province")


def _lookup(scope: Scope) -> tuple[Scope, object]:
    """The scope with its label, and the key its rows carry (a primary key; None for the province)."""
    kind, code = scope.kind, scope.code.strip()
    if kind == "province":
        return Scope("province", "", _province_label()), None
    if kind == "city":
        if code.startswith("zone-"):
            pk = code[5:]
            div = Division.objects.filter(pk=int(pk), level=Division.Level.ZONE).first() if pk.isdigit() else None
        else:
            div = Division.objects.filter(code=code).select_related("prefecture").order_by("-valid_from").first()
        if div is None:
            raise ScopeError(f"no city with code {code!r} (use a GB/T 2260 city code such as 610800, or zone-<id>)")
        if not div.is_city_scope:
            hint = f": use its city {_city_code(div.prefecture)}" if div.prefecture else ""
            raise ScopeError(f"{code} is not a city ({div.level}){hint}")
        return Scope("city", _city_code(div), div.display_name), div.pk
    if kind == "base":
        base = IndustrialBase.objects.filter(code=code).first()
        if base is None:
            known = ", ".join(IndustrialBase.objects.values_list("code", flat=True))
            raise ScopeError(f"no industrial base {code!r} (known: {known})")
        return Scope("base", base.code, base.display_name), base.pk
    if kind == "metal":
        metal = Metal.objects.filter(code__iexact=code).first()
        if metal is None:
            known = ", ".join(Metal.objects.values_list("code", flat=True))
            raise ScopeError(f"no metal {code!r} (known: {known})")
        return Scope("metal", metal.code, metal.display_name), metal.pk
    if kind == "enterprise":
        ent = Enterprise.objects.filter(pk=int(code)).first() if code.isdigit() else None
        if ent is None:
            raise ScopeError(f"no enterprise with id {code!r}")
        return Scope("enterprise", str(ent.pk), ent.name), ent.pk
    raise ScopeError(f"unknown scope kind {kind!r}: use one of {', '.join(SCOPE_KINDS)}")


def resolve(scope: Scope) -> Scope:
    """Check that the scope exists (ScopeError naming the code otherwise) and fill in its label."""
    return _lookup(scope)[0]


def _scopes_with_keys(kind: str) -> list[tuple[Scope, object]]:
    if kind == "province":
        return [_lookup(Scope())]
    if kind == "city":
        divs = Division.objects.filter(
            level__in=[Division.Level.CITY, Division.Level.ZONE], valid_to__isnull=True
        ).order_by("order", "code")
        return [(Scope("city", _city_code(d), d.display_name), d.pk) for d in divs]
    if kind == "base":
        # Bases go by their short names (宝鸡钛谷): the full names do not fit a chart axis or a table cell.
        english = translation.get_language() == "en"
        return [
            (Scope("base", b.code, b.name_en if english and b.name_en else b.short_name or b.name), b.pk)
            for b in IndustrialBase.objects.order_by("order")
        ]
    if kind == "metal":
        return [(Scope("metal", m.code, m.display_name), m.pk) for m in Metal.objects.order_by("order")]
    if kind == "enterprise":
        rows = Enterprise.objects.order_by("name").values_list("pk", "name")
        return [(Scope("enterprise", str(pk), name), pk) for pk, name in rows]
    raise ScopeError(f"unknown scope kind {kind!r}: use one of {', '.join(SCOPE_KINDS)}")


def scopes_of(kind: str) -> list[Scope]:
    """Every scope of a kind, labelled in the active language: every city and zone, base, metal..."""
    return [scope for scope, _key in _scopes_with_keys(kind)]


# --- Sums from the database ----------------------------------------------------------------------------


@dataclass
class Sums:
    """What accepted reports add up to for one scope over some months (money in 万元)."""

    reports: int = 0
    value_added: Decimal = Decimal("0.00")
    revenue: Decimal = Decimal("0.00")
    lines: int = 0
    output_value: Decimal = Decimal("0.00")
    deep_output_value: Decimal = Decimal("0.00")
    output_t: Decimal = Decimal("0.000")
    al_lines: int = 0
    al_liquid_t: Decimal = Decimal("0.000")
    capacity_tonne_days: Decimal = Decimal("0.00")

    def add(self, other: "Sums") -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


WAN = Decimal("0.01")  # 万元 as stored: two decimals
TONNE = Decimal("0.001")  # tonnes as stored: three decimals


def _q(value: object, exp: Decimal) -> Decimal:
    """A database sum as the stored precision (SQLite may drop trailing zeros, PostgreSQL does not)."""
    return Decimal(value or 0).quantize(exp)


def _targets() -> dict[str, PolicyTarget]:
    codes = set(TARGET_OF.values())
    return {t.code: t for t in PolicyTarget.objects.filter(code__in=codes, kind=PolicyTarget.Kind.QUANTITATIVE)}


def _base_years(targets: dict[str, PolicyTarget]) -> set[int]:
    return {t.base_year for t in targets.values()} or {DEFAULT_BASE_YEAR}


def _growth_base_year(targets: dict[str, PolicyTarget]) -> int:
    target = targets.get("production_growth")
    return target.base_year if target else DEFAULT_BASE_YEAR


def _months(periods: Iterable[Period], base_years: set[int]) -> list[dt.date]:
    """Every month an indicator of these periods reads: the period, the same period a year earlier, the
    same period of each base year and the whole base year (for the targets' paths)."""
    months: set[dt.date] = set()
    for p in periods:
        months.update(p.months)
        months.update(p.shifted(-1).months)
        for year in base_years:
            months.update(Period(p.kind, year, p.number).months)
            months.update(Period("year", year).months)
    return sorted(months)


def months_used(periods: Iterable[Period]) -> list[dt.date]:
    """The months whose accepted figures the indicators of these periods use (what export-stats writes)."""
    return _months(periods, _base_years(_targets()))


class Book:
    """Sums of accepted figures for one scope kind, by scope key and month, from a fixed number of
    grouped queries (optionally for one key only)."""

    def __init__(self, kind: str, months: list[dt.date], key: object = None, lines_only: bool = False) -> None:
        self.kind = kind
        self.cells: dict[tuple[object, dt.date], Sums] = defaultdict(Sums)
        one = key is not None
        self._lines(months, key if one else None)
        if not lines_only:
            self._reports(months, key if one else None)
            self._aluminium(months, key if one else None)

    def _group(self, qs, path: str | None, period_path: str, key: object):
        if path and key is not None:
            qs = qs.filter(**{path: key})
        group = [period_path] + ([path] if path else [])
        return qs.order_by().values(*group), (lambda row: row[path] if path else None)

    def _reports(self, months: list[dt.date], key: object) -> None:
        qs = MonthlyReport.objects.filter(accepted__isnull=False, period__in=months)
        qs, key_of = self._group(qs, REPORT_KEY[self.kind], "period", key)
        for row in qs.annotate(n=Count("id"), va=Sum("accepted__value_added"), rev=Sum("accepted__revenue")):
            cell = self.cells[(key_of(row), row["period"])]
            cell.reports += row["n"]
            cell.value_added += _q(row["va"], WAN)
            cell.revenue += _q(row["rev"], WAN)

    def _lines(self, months: list[dt.date], key: object) -> None:
        period = "revision__report__period"
        qs = ReportLine.objects.filter(ACCEPTED_LINE, revision__report__period__in=months)
        qs, key_of = self._group(qs, LINE_KEY[self.kind], period, key)
        rows = qs.annotate(
            n=Count("id"),
            ov=Sum("output_value"),
            deep=Sum("output_value", filter=Q(stage__deep_processing=True)),
            out=Sum("output_t"),
        )
        for row in rows:
            cell = self.cells[(key_of(row), row[period])]
            cell.lines += row["n"]
            cell.output_value += _q(row["ov"], WAN)
            cell.deep_output_value += _q(row["deep"], WAN)
            cell.output_t += _q(row["out"], TONNE)

    def _aluminium(self, months: list[dt.date], key: object) -> None:
        period = "revision__report__period"
        qs = ReportLine.objects.filter(ACCEPTED_LINE, LINE_ELECTROLYSIS, revision__report__period__in=months)
        qs, key_of = self._group(qs, AL_LINE_KEY[self.kind], period, key)
        for row in qs.annotate(n=Count("id"), al=Sum("al_liquid_t")):
            cell = self.cells[(key_of(row), row[period])]
            cell.al_lines += row["n"]
            cell.al_liquid_t += _q(row["al"], TONNE)
        # Capacity: each electrolysis unit's annual capacity × the days it was operating or idle.
        path = UNIT_KEY[self.kind]
        units = ProductionUnit.objects.filter(facts.ELECTROLYSIS)
        if path and key is not None:
            units = units.filter(**{path: key})
        unit_rows = list(units.order_by().values("id", "design_capacity", *([path] if path else [])))
        histories: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
        changes = UnitStatusChange.objects.filter(unit__in=units).order_by("unit_id", "effective_on", "id")
        for unit_id, on, status in changes.values_list("unit_id", "effective_on", "to_status"):
            histories[unit_id].append((on, status))
        statuses = frozenset(str(s) for s in CAPACITY_STATUSES)
        spans = [(m, Period("month", m.year, m.month).end) for m in months]
        for u in unit_rows:
            unit_key = u[path] if path else None
            for start, end in spans:
                days = rules.days_in_status(histories.get(u["id"], []), statuses, start, end)
                if days:
                    self.cells[(unit_key, start)].capacity_tonne_days += _q(u["design_capacity"], WAN) * days

    def total(self, key: object, period: Period) -> Sums:
        out = Sums()
        for month in period.months:
            cell = self.cells.get((key, month))
            if cell is not None:
                out.add(cell)
        return out


# --- Indicators --------------------------------------------------------------------------------------


@dataclass
class _Context:
    kind: str
    book: Book
    province: Book  # the province's totals, for shares
    targets: dict[str, PolicyTarget]
    other_provinces: dict[int, list[Decimal]]

    @classmethod
    def build(cls, kind: str, periods: list[Period], key: object = None) -> "_Context":
        targets = _targets()
        months = _months(periods, _base_years(targets))
        book = Book(kind, months, key)
        province = book if kind == "province" else Book("province", months, lines_only=True)
        years = {p.year for p in periods if p.kind == "year"}
        others: dict[int, list[Decimal]] = defaultdict(list)
        if years:
            for year, name, revenue in ProvinceRevenue.objects.filter(year__in=years).values_list(
                "year", "province", "revenue"
            ):
                if name.strip() not in OWN_PROVINCE:
                    others[year].append(revenue)
        return cls(kind, book, province, targets, dict(others))


def _s(value: object) -> str:
    return "" if value is None else str(value)


def _evaluate(ctx: _Context, key: object, period: Period, scope: Scope) -> list[IndicatorValue]:
    s = ctx.book.total(key, period)
    prev = ctx.book.total(key, period.shifted(-1))
    whole = period.kind == "year"
    at_province = scope.kind == "province"
    out: list[IndicatorValue] = []

    def emit(code: str, value: Decimal | None, inputs: dict[str, object], **check_args) -> None:
        iv = IndicatorValue(
            code=code,
            # A plain string in the active language: a lazy one costs milliseconds to unpickle from the
            # cache (django.utils.functional.lazy builds a class per proxy), 0.2 s per dashboard.
            label=str(Indicator(code).label),
            value=value,
            unit=UNITS[code],
            period=period,
            scope=scope,
            inputs={k: _s(v) for k, v in inputs.items()},
        )
        target = ctx.targets.get(TARGET_OF.get(code, ""))
        if target is not None:
            iv.target_code, iv.target_value, iv.comparator = target.code, target.value, target.comparator
            if at_province:
                checked = check_args.pop("checked", value)
                iv.check = rules.check_target(
                    checked,
                    target.comparator,
                    target.value,
                    year=period.year,
                    target_year=target.target_year,
                    per_year=target.per_year,
                    base_year=target.base_year,
                    final=whole,
                    **check_args,
                )
        out.append(iv)

    def base_total(code: str, base_period: Period | None = None) -> tuple[Sums, int]:
        target = ctx.targets.get(code)
        year = target.base_year if target else DEFAULT_BASE_YEAR
        return ctx.book.total(key, base_period or Period("year", year)), year

    # Value added (亿元), with its compound path to the target from the base year's value.
    value_added = rules.money_yi(s.value_added) if s.reports else None
    inputs: dict[str, object] = {"value_added_wan": s.value_added, "reports": s.reports}
    check_args: dict[str, object] = {"compound": True}
    if at_province and "value_added" in ctx.targets:
        base, base_year = base_total("value_added")
        base_value = rules.money_yi(base.value_added) if base.reports else None
        checked = value_added
        if value_added is not None and not whole:
            checked = rules.annualised(value_added, period.month_count)
            inputs["annualised_yi"] = checked
        inputs[f"base_year_{base_year}_value_added_yi"] = base_value
        check_args.update(base_value=base_value, checked=checked)
    emit(IND.VALUE_ADDED, value_added, inputs, **check_args)

    revenue = rules.money_yi(s.revenue) if s.reports else None
    emit(IND.REVENUE, revenue, {"revenue_wan": s.revenue, "reports": s.reports})

    # National rank: only for the province and a whole year with other provinces' figures entered.
    rank, inputs = None, {}
    others = ctx.other_provinces.get(period.year, [])
    if at_province and whole and revenue is not None and others:
        rank = Decimal(rules.rank(revenue, others))
        inputs = {
            "revenue_yi": revenue,
            "other_provinces": len(others),
            "provinces_ahead": sum(1 for o in others if o > revenue),
        }
    emit(IND.REVENUE_RANK, rank, inputs)

    # Deep-processing share (%), on a straight path from the base year's share.
    share = rules.percent(s.deep_output_value, s.output_value)
    inputs = {"deep_output_value_wan": s.deep_output_value, "output_value_wan": s.output_value}
    check_args = {}
    if at_province and "deep_processing_share" in ctx.targets:
        base, base_year = base_total("deep_processing_share")
        base_share = rules.percent(base.deep_output_value, base.output_value)
        inputs[f"base_year_{base_year}_share"] = base_share
        check_args = {"base_value": base_share}
    emit(IND.DEEP_PROCESSING_SHARE, share, inputs, **check_args)

    # Electrolytic aluminium capacity utilisation (%).
    util = rules.utilisation(s.al_liquid_t, s.capacity_tonne_days, period.days_in_year) if s.al_lines else None
    emit(
        IND.AL_UTILISATION,
        util,
        {
            "al_liquid_t": s.al_liquid_t,
            "electrolysis_lines": s.al_lines,
            "capacity_tonne_days": s.capacity_tonne_days,
            "days_in_year": period.days_in_year,
        },
    )

    # Production growth: year on year, and compound from the base year.
    growth = rules.growth(s.output_t, prev.output_t) if s.lines and prev.lines else None
    emit(IND.PRODUCTION_GROWTH, growth, {"output_t": s.output_t, "output_t_year_before": prev.output_t})
    base_year = _growth_base_year(ctx.targets)
    base = ctx.book.total(key, Period(period.kind, base_year, period.number))
    years = period.year - base_year
    cagr = rules.compound_growth(s.output_t, base.output_t, years) if s.lines and base.lines else None
    emit(
        IND.PRODUCTION_CAGR,
        cagr,
        {"output_t": s.output_t, f"output_t_{base_year}": base.output_t, "years": years},
    )

    va_growth = rules.growth(s.value_added, prev.value_added) if s.reports and prev.reports else None
    emit(
        IND.VALUE_ADDED_GROWTH,
        va_growth,
        {"value_added_wan": s.value_added, "value_added_wan_year_before": prev.value_added},
    )

    # Share of the province's output value, and its change in percentage points from a year earlier.
    province_now = ctx.province.total(None, period)
    province_before = ctx.province.total(None, period.shifted(-1))
    ov_share = rules.percent(s.output_value, province_now.output_value) if s.lines else None
    ov_share_before = rules.percent(prev.output_value, province_before.output_value) if prev.lines else None
    emit(
        IND.OUTPUT_VALUE_SHARE,
        ov_share,
        {"output_value_wan": s.output_value, "province_output_value_wan": province_now.output_value},
    )
    change = ov_share - ov_share_before if ov_share is not None and ov_share_before is not None else None
    emit(
        IND.OUTPUT_VALUE_SHARE_CHANGE,
        change,
        {
            "share": ov_share,
            "share_year_before": ov_share_before,
            "output_value_wan_year_before": prev.output_value,
            "province_output_value_wan_year_before": province_before.output_value,
        },
    )
    return out


# --- Cache ------------------------------------------------------------------------------------------

CACHE_SECONDS = 600


# Audited acts that change no data: a sign-in, a refused request, an API token. Counting them made every
# sign-in throw away every cached figure and open dataset (the load test's department dashboard took
# seconds while users were signing in).
UNCHANGING_ACTIONS = (
    AuditEvent.Action.SIGN_IN,
    AuditEvent.Action.SIGN_IN_FAILED,
    AuditEvent.Action.REFUSED,
    AuditEvent.Action.TOKEN,
    AuditEvent.Action.TOKEN_REVOKED,
)


def data_version() -> int:
    """The state of the data the indicators read. Every change to it is an audited act (DESIGN.md
    principle 2: accepted reports, unit status changes, registry edits, reference data in the admin), so
    the newest audit event that changed something identifies it: such an event makes every cached figure
    stale at once."""
    changes = AuditEvent.objects.exclude(action__in=UNCHANGING_ACTIONS)
    return changes.order_by("-pk").values_list("pk", flat=True).first() or 0


def cached(fn: Callable) -> Callable:
    """Memoise an engine function per data version and language (labels are localised). Pages use the
    memoised functions (stats/views/common.py); the CLI, exports and warnings always compute afresh."""

    @functools.wraps(fn)
    def wrapper(*args):
        raw = repr((fn.__name__, args, translation.get_language(), data_version()))
        key = "youse:indicators:" + hashlib.sha256(raw.encode()).hexdigest()
        found = cache.get(key)
        if found is None:
            found = fn(*args)
            cache.set(key, found, CACHE_SECONDS)
        return found

    return wrapper


def _check_code(code: str) -> str:
    if code not in Indicator.values:
        raise ValueError(f"unknown indicator {code!r}: use one of {', '.join(Indicator.values)}")
    return code


def compute(period: Period, scope: Scope) -> list[IndicatorValue]:
    """Every indicator of 一(二) (and those the warnings watch) for one period and scope."""
    scope, key = _lookup(scope)
    ctx = _Context.build(scope.kind, [period], key)
    return _evaluate(ctx, key, period, scope)


def compute_one(code: str, period: Period, scope: Scope) -> IndicatorValue:
    _check_code(code)
    return next(v for v in compute(period, scope) if v.code == code)


def series(code: str, scope: Scope, periods: list[Period]) -> list[IndicatorValue]:
    """One indicator over many periods (a trend line), from one set of queries."""
    _check_code(code)
    scope, key = _lookup(scope)
    if not periods:
        return []
    ctx = _Context.build(scope.kind, list(periods), key)
    return [next(v for v in _evaluate(ctx, key, p, scope) if v.code == code) for p in periods]


def across(code: str, period: Period, kind: str) -> list[IndicatorValue]:
    """One indicator for every scope of a kind (every city and zone, base, metal...), from one set of
    queries: the map and the breakdowns."""
    _check_code(code)
    scoped = _scopes_with_keys(kind)
    ctx = _Context.build(kind, [period])
    return [next(v for v in _evaluate(ctx, key, period, scope) if v.code == code) for scope, key in scoped]
