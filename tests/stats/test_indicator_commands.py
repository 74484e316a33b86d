"""Done when: an independent recomputation of every indicator from `export-stats` matches `youse indicators`.

The world: five enterprises in Yulin, Baoji and Xi'an (one of them registered in Xi'an with its smelter in
Yulin), three electrolysis series (one that goes idle and exits in 2020, one that starts in mid-June
2019), deep-processing lines, accepted reports for every month of 2015, 2019 and 2020, one correction
left open, and other provinces' revenue. The recomputation below uses only the CSV, the csv module and
Decimal: none of the engine's code."""

import calendar
import csv
import datetime as dt
import json
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.stats.test_indicators import electrolysis, figures, make_enterprise, make_unit
from youse.registry import services as registry
from youse.stats import services
from youse.stats.models import ProvinceRevenue

YEARS = (2015, 2019, 2020)
PRICE = {"Al": Decimal("1.45"), "sheet": Decimal("2.10"), "Mg": Decimal("1.55"), "sponge": Decimal("6.50"),
         "bar": Decimal("14.00"), "plate": Decimal("16.00")}  # fmt: skip
CENT, TENTH, MILLI = Decimal("0.01"), Decimal("0.1"), Decimal("0.001")


def _unit(name, metal, stage, product, capacity):
    return {"name": name, "metal": metal, "stage": stage, "product": product, "design_capacity": capacity,
            "capacity_unit": "t/a"}  # fmt: skip


class World:
    def __init__(self, p) -> None:
        d = p.department
        self.p = p
        since = dt.date(2014, 1, 1)
        yl = make_enterprise(p, "榆林示范铝业有限公司", "91610881MA0000011", "610881", "yulin-almg")
        self.al1 = make_unit(p, yl, "610881", electrolysis("365000"), since, base="yulin-almg")
        self.al2 = make_unit(p, yl, "610881", electrolysis("120000"), dt.date(2018, 1, 1), "construction", "yulin-almg")
        self.sheet = make_unit(p, yl, "610881", _unit("板带线", "Al", "deep_processing", "铝合金板带", "60000"), since)
        registry.change_unit_status(d, self.al2, "operating", effective_on=dt.date(2019, 6, 15))
        registry.change_unit_status(d, self.al1, "idle", effective_on=dt.date(2020, 7, 1))
        registry.change_unit_status(
            d, self.al1, "exited", effective_on=dt.date(2020, 10, 16), document="榆政发〔2020〕9号"
        )
        # Registered in Xi'an, smelting in Fugu (Yulin) inside the Yulin base.
        xa = make_enterprise(p, "西安示范有色集团有限公司", "91610100MA0000012", "610100")
        self.al3 = make_unit(p, xa, "610822", electrolysis("200000"), since, base="yulin-almg")
        bj = make_enterprise(p, "宝鸡示范钛工业有限公司", "91610300MA0000013", "610300", "baoji-ti")
        self.sponge = make_unit(p, bj, "610300", _unit("海绵钛线", "Ti", "smelting", "海绵钛", "12000"), since)
        self.bar = make_unit(p, bj, "610300", _unit("钛棒线", "Ti", "deep_processing", "钛棒", "6000"), since)
        self.enterprises = {
            yl: [(self.al1, "Al"), (self.al2, "Al"), (self.sheet, "sheet")],
            xa: [(self.al3, "Al")],
            bj: [(self.sponge, "sponge"), (self.bar, "bar")],
            p.enterprise_a: [(p.unit_a, "Mg")],  # operating since 2019-05
            p.enterprise_b: [(p.unit_b, "plate")],  # operating since 2020-03
        }
        for year in YEARS:
            inputs = [item for month in range(1, 13) for item in self.reports(year, month)]
            result = services.file_reports(d, inputs, status="accepted")
            assert not result.problems, [f"{i.source}: {pr}" for i, pr in result.problems[:5]]
        # A correction of May 2020 left open: the accepted figures still count.
        report = yl.reports.get(period=dt.date(2020, 5, 1))
        services.start_correction(d, report, "产值复核")
        services.save_report(d, yl, report.period, figures(1, 2), [{"unit": self.sheet.pk, "output_t": "1",
                                                                      "output_value": "2"}])  # fmt: skip
        for province, revenue in (("河南省", "4000"), ("山东省", "3000"), ("青海省", "0.5"), ("陕西省", "1")):
            ProvinceRevenue.objects.create(year=2020, province=province, revenue=Decimal(revenue), source="test")

    def factor(self, unit, year: int, month: int) -> Decimal | None:
        """Share of the month's capacity produced; None: no line (not operating)."""
        f = Decimal("0.70") + Decimal(month % 5) / 20 + Decimal(year - 2015) / 100
        if unit == self.al1 and year == 2020:
            return {7: Decimal("0.05"), 8: Decimal("0.05"), 9: Decimal("0.05"), 10: Decimal("0.3")}.get(
                month, None if month > 10 else f
            )
        if unit == self.al2 and (year, month) < (2019, 6):
            return None
        if unit == self.al2 and (year, month) == (2019, 6):
            return f / 2
        if unit == self.p.unit_a and (year, month) < (2019, 5):
            return None
        if unit == self.p.unit_b and (year, month) < (2020, 3):
            return None
        return f

    def reports(self, year: int, month: int) -> list[services.ReportInput]:
        out = []
        days = calendar.monthrange(year, month)[1] / Decimal(366 if calendar.isleap(year) else 365)
        for ent, units in self.enterprises.items():
            lines = []
            for unit, price in units:
                f = self.factor(unit, year, month)
                if f is None:
                    continue
                output = (unit.design_capacity * Decimal(days) * f).quantize(MILLI)
                line = {
                    "unit": unit.pk,
                    "output_t": str(output),
                    "output_value": str((output * PRICE[price]).quantize(CENT)),
                }
                if unit in (self.al1, self.al2, self.al3):
                    line.update(al_liquid_t=str((output * Decimal("1.002")).quantize(MILLI)),
                                ac_kwh_per_t="12980.0", ac_total_kwh_per_t="13650.0")  # fmt: skip
                lines.append(line)
            if not lines:
                continue
            total = sum(Decimal(ln["output_value"]) for ln in lines)
            figs = figures((total * Decimal("0.22")).quantize(CENT), (total * Decimal("1.04")).quantize(CENT))
            out.append(services.ReportInput(ent.pk, dt.date(year, month, 1), figs, lines, f"{ent.pk}-{year}-{month}"))
        return out


# --- The independent recomputation: CSV rows in, indicators out ---------------------------------------


def half_up(value: Decimal, exp: Decimal) -> Decimal:
    return value.quantize(exp, rounding=ROUND_HALF_UP)


def pct(part: Decimal, whole: Decimal) -> Decimal | None:
    return half_up(part * 100 / whole, TENTH) if whole else None


def months_of(period: str) -> list[str]:
    """'2020' → 2020-01..12; '2020Q3' → 07..09; '2020-10' → itself."""
    if "Q" in period:
        year, q = period.split("Q")
        return [f"{year}-{m:02d}" for m in range(3 * int(q) - 2, 3 * int(q) + 1)]
    if "-" in period:
        return [period]
    return [f"{period}-{m:02d}" for m in range(1, 13)]


def year_earlier(period: str, years: int = 1) -> str:
    return str(int(period[:4]) - years) + period[4:]


class Recompute:
    def __init__(self, rows: list[dict], kind: str, code: str) -> None:
        self.rows, self.kind, self.code = rows, kind, code

    def _in(self, row: dict, unit_level: bool = False) -> bool:
        if self.kind == "province":
            return True
        if self.kind == "metal":
            return (row["main_metal"] if row["record"] == "report" else row["metal"]) == self.code
        column = {"city": "city_code", "base": "base_code"}[self.kind]
        return row[("unit_" if unit_level else "") + column] == self.code

    def total(self, record: str, column: str, months: list[str], unit_level=False, where=lambda r: True):
        picked = [r for r in self.rows if r["record"] == record and r["period"] in months]
        picked = [r for r in picked if self._in(r, unit_level) and where(r)]
        return sum((Decimal(r[column] or 0) for r in picked), Decimal(0)), len(picked)

    def province_output_value(self, months):
        return sum(
            (Decimal(r["output_value_wan"]) for r in self.rows if r["record"] == "line" and r["period"] in months),
            Decimal(0),
        )

    def capacity_tonne_days(self, months: list[str]) -> Decimal:
        first = dt.date.fromisoformat(months[0] + "-01")
        last_month = dt.date.fromisoformat(months[-1] + "-01")
        last = last_month.replace(day=calendar.monthrange(last_month.year, last_month.month)[1])
        history = defaultdict(list)
        for r in self.rows:
            if r["record"] == "unit_status":
                history[r["unit_id"]].append((dt.date.fromisoformat(r["effective_on"]), r["status"]))
        total = Decimal(0)
        for unit in (r for r in self.rows if r["record"] == "unit" and self._in(r, unit_level=True)):
            days, day = 0, first
            while day <= last:
                status = None
                for on, to in history[unit["unit_id"]]:  # in recorded order
                    if on <= day:
                        status = to
                if status in ("operating", "idle"):
                    days += 1
                day += dt.timedelta(days=1)
            total += Decimal(unit["design_capacity_t_per_year"]) * days
        return total

    def all(self, period: str) -> dict[str, Decimal | None]:
        now, before, base = months_of(period), months_of(year_earlier(period)), months_of("2015" + period[4:])
        va, n = self.total("report", "value_added_wan", now)
        va_before, n_before = self.total("report", "value_added_wan", before)
        revenue, _ = self.total("report", "revenue_wan", now)
        ov, lines = self.total("line", "output_value_wan", now)
        ov_before, lines_before = self.total("line", "output_value_wan", before)
        deep, _ = self.total("line", "output_value_wan", now, where=lambda r: r["deep_processing"] == "1")
        out, _ = self.total("line", "output_t", now)
        out_before, _ = self.total("line", "output_t", before)
        out_base, lines_base = self.total("line", "output_t", base)
        al, al_lines = self.total("line", "al_liquid_t", now, True, lambda r: r["electrolysis"] == "1")
        year = int(period[:4])
        days_in_year = 366 if calendar.isleap(year) else 365
        ctd = self.capacity_tonne_days(now)
        share = pct(ov, self.province_output_value(now)) if lines else None
        share_before = pct(ov_before, self.province_output_value(before)) if lines_before else None
        rank = None
        revenue_yi = half_up(revenue / 10000, CENT)
        others = [
            Decimal(r["revenue_yi"])
            for r in self.rows
            if r["record"] == "province_revenue" and r["year"] == period and r["province"] != "陕西省"
        ]
        if self.kind == "province" and len(period) == 4 and others:
            rank = Decimal(1 + sum(1 for o in others if o > revenue_yi))
        cagr = None
        if lines and lines_base:
            ratio = out / out_base
            cagr = half_up(((ratio.ln() / (year - 2015)).exp() - 1) * 100, TENTH)
        return {
            "value_added": half_up(va / 10000, CENT) if n else None,
            "revenue": revenue_yi if n else None,
            "revenue_rank": rank,
            "deep_processing_share": pct(deep, ov),
            "al_utilisation": pct(al, ctd / days_in_year) if al_lines and ctd else None,
            "production_growth": half_up((out / out_before - 1) * 100, TENTH) if lines and lines_before else None,
            "production_cagr": cagr,
            "value_added_growth": half_up((va / va_before - 1) * 100, TENTH) if n and n_before else None,
            "output_value_share": share,
            "output_value_share_change": share - share_before
            if share is not None and share_before is not None
            else None,
        }


@pytest.fixture
def world(personas):
    return World(personas)


def _indicators(period: str, scope: str) -> dict:
    out = StringIO()
    call_command("indicators", "--period", period, "--scope", scope, "--json", stdout=out)
    return json.loads(out.getvalue())


def _export(tmp_path, period: str) -> list[dict]:
    path = tmp_path / f"stats-{period}.csv"
    out = StringIO()
    call_command("export_stats", "--period", period, "--csv", "--out", str(path), stdout=out)
    assert str(path) in out.getvalue()
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


SCOPES = [("province", ""), ("city", "610800"), ("base", "yulin-almg"), ("metal", "Al"), ("city", "610300"),
          ("metal", "Ti"), ("base", "baoji-ti")]  # fmt: skip


@pytest.mark.parametrize("period", ["2020", "2020Q3", "2020-10", "2019"])
def test_it_matches_an_independent_recomputation_from_the_export(world, tmp_path, period):
    rows = _export(tmp_path, period)
    assert {r["record"] for r in rows} >= {"report", "line", "unit", "unit_status"}
    checked = 0
    for kind, code in SCOPES:
        expected = Recompute(rows, kind, code).all(period)
        printed = _indicators(period, f"{kind}:{code}" if code else "province")
        got = {i["indicator"]: i["value"] for i in printed["indicators"]}
        assert set(got) == set(expected)
        for name, value in expected.items():
            assert got[name] == (None if value is None else str(value)), (kind, code, name, got[name], value)
            checked += value is not None
    assert checked >= 35  # most indicators have data: the comparison is not vacuous


def test_it_exports_only_accepted_revisions_and_the_months_used(world, tmp_path):
    rows = _export(tmp_path, "2020")
    months = {r["period"] for r in rows if r["record"] == "report"}
    assert months == {f"{y}-{m:02d}" for y in YEARS for m in range(1, 13)}  # 2020, a year earlier, the base year
    may = [
        r
        for r in rows
        if r["record"] == "line" and r["period"] == "2020-05" and r["enterprise"] == "榆林示范铝业有限公司"
    ]
    assert len(may) == 3 and {r["revision"] for r in may} == {"1"}  # the open correction (revision 2) is not in
    line = may[0]
    assert line["city_code"] == "610800" and line["base_code"] == "yulin-almg" and line["credit_code"]
    xian = next(r for r in rows if r["record"] == "unit" and r["city_code"] == "610100")
    assert (xian["unit_city_code"], xian["unit_base_code"]) == ("610800", "yulin-almg")
    assert {r["province"] for r in rows if r["record"] == "province_revenue"} == {
        "河南省",
        "山东省",
        "青海省",
        "陕西省",
    }


def test_it_places_utilisation_where_the_smelter_stands(world):
    yulin = {i["indicator"]: i for i in _indicators("2020", "city:610800")["indicators"]}
    xian = {i["indicator"]: i for i in _indicators("2020", "city:610100")["indicators"]}
    assert yulin["al_utilisation"]["value"] is not None and xian["al_utilisation"]["value"] is None
    assert xian["value_added"]["value"] is not None  # the Xi'an enterprise's value added stays in Xi'an


def test_it_prints_a_table_with_targets_and_inputs(world):
    out = StringIO()
    call_command("indicators", "--period", "2020", stdout=out)
    text = out.getvalue()
    assert "al_utilisation" in text and "target gte 80.00" in text and "capacity_tonne_days=" in text
    assert "revenue_rank" in text and "3 名" in text  # behind 河南 and 山东, ahead of 青海


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--period", "2020-13"], "2020-13"),
        (["--period", "last year"], "last year"),
        (["--period", "2020", "--scope", "city:999999"], "999999"),
        (["--period", "2020", "--scope", "planet:mars"], "planet"),
        (["--period", "2020", "--scope", "base:"], "base"),
    ],
)
def test_it_refuses_a_bad_period_or_scope_naming_it(db, args, named):
    with pytest.raises(CommandError, match=named):
        call_command("indicators", *args, stdout=StringIO())
    if "--scope" not in args:
        with pytest.raises(CommandError, match=named):
            call_command("export_stats", *args, "--csv", stdout=StringIO())


def test_it_writes_the_export_to_stdout_without_out(world):
    out, err = StringIO(), StringIO()
    call_command("export_stats", "--period", "2020-10", "--csv", stdout=out, stderr=err)
    header = out.getvalue().splitlines()[0]
    assert header.startswith("record,period,enterprise_id") and "al_liquid_t" in header
    assert "line" in err.getvalue()
