"""Early warnings: rules as data over the last complete periods, raised once, cleared ones left alone."""

import calendar
import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.stats.test_indicators import accept, electrolysis, figures, make_enterprise, make_unit
from youse.core.models import AuditEvent
from youse.core.tick import DUTIES
from youse.stats import warnings
from youse.stats.models import EarlyWarning, WarningRule
from youse.stats.rules import Period

JULY_15 = timezone.make_aware(dt.datetime(2020, 7, 15, 9, 0))


@pytest.mark.parametrize(
    ("today", "kind", "expected"),
    [
        (dt.date(2020, 7, 11), "month", "2020-06"),
        (dt.date(2020, 7, 10), "month", "2020-05"),  # June's reports are due on the 10th, inclusive
        (dt.date(2020, 1, 5), "month", "2019-11"),
        (dt.date(2020, 2, 11), "month", "2020-01"),
        (dt.date(2020, 7, 11), "quarter", "2020Q2"),
        (dt.date(2020, 7, 10), "quarter", "2020Q1"),
        (dt.date(2020, 2, 11), "quarter", "2019Q4"),
        (dt.date(2020, 1, 11), "year", "2019"),
        (dt.date(2020, 1, 10), "year", "2018"),
        (dt.date(2020, 12, 31), "year", "2019"),
    ],
)
def test_it_finds_the_last_complete_period(today, kind, expected):
    assert str(warnings.last_complete(kind, today)) == expected


def test_it_ships_the_default_rules_unverified(db):
    rules = {r.code: r for r in WarningRule.objects.all()}
    assert set(rules) >= {
        "al-utilisation-province",
        "al-utilisation-city",
        "production-growth-province",
        "city-value-added-decline",
        "base-share-decline",
    }
    al = rules["al-utilisation-city"]
    assert (al.indicator, al.scope_kind, al.period_kind, al.comparison, al.threshold, al.consecutive) == (
        "al_utilisation",
        "city",
        "month",
        "lt",
        Decimal("75.00"),
        3,
    )
    assert rules["production-growth-province"].period_kind == "quarter"
    assert all(r.source and not r.verified for r in rules.values())
    assert "stats.warnings" in DUTIES


def _smelter(p, utilisation: dict[int, str]):
    """A Yulin smelter of 365 000 t/a reporting 2020's months at the given utilisation (%)."""
    ent = make_enterprise(p, "榆林预警电解铝有限公司", "91610881MA0000021", "610881", "yulin-almg")
    unit = make_unit(p, ent, "610881", electrolysis("365000"), dt.date(2019, 1, 1), base="yulin-almg")
    _report(p, ent, unit, utilisation)
    return ent, unit


def _report(p, ent, unit, utilisation: dict[int, str]) -> None:
    for month, pct in utilisation.items():
        days = calendar.monthrange(2020, month)[1]
        al = (Decimal(365000) * days / 366 * Decimal(pct) / 100).quantize(Decimal("0.001"))
        line = {"unit": unit.pk, "output_t": str(al), "output_value": str(al * Decimal("1.4")),
                "al_liquid_t": str(al), "ac_total_kwh_per_t": "13600"}  # fmt: skip
        accept(p.department, ent, dt.date(2020, month, 1), figures(1000, 20000), [line])


def test_it_raises_a_utilisation_warning_once_for_the_province_and_the_city(personas):
    _smelter(personas, {4: "60", 5: "61", 6: "62.3"})
    summary = warnings.evaluate(JULY_15)
    assert "2 new warnings" in summary and "2020-06" in summary
    assert "0 new warnings" in warnings.evaluate(JULY_15)  # the tick again: nothing new
    raised = {w.rule.code: w for w in EarlyWarning.objects.all()}
    assert set(raised) == {"al-utilisation-province", "al-utilisation-city"}
    city = raised["al-utilisation-city"]
    assert (city.scope_kind, city.scope_code, city.period, city.value) == (
        "city",
        "610800",
        "2020-06",
        Decimal("62.3"),
    )
    assert city.division.code == "610800" and raised["al-utilisation-province"].division is None
    assert city.evidence == [
        {"period": "2020-04", "value": "60.0"},
        {"period": "2020-05", "value": "61.0"},
        {"period": "2020-06", "value": "62.3"},
    ]
    assert city.message.startswith("榆林市电解铝产能利用率连续3个月低于75%") and "62.3%" in city.message
    assert AuditEvent.objects.filter(content_type__model="earlywarning", action="create").count() == 2


def test_it_needs_every_period_of_the_run(personas):
    _smelter(personas, {4: "60", 5: "90", 6: "62"})
    warnings.evaluate(JULY_15)
    assert not EarlyWarning.objects.exists()


def test_it_does_not_raise_a_cleared_warning_again(personas):
    ent, unit = _smelter(personas, {4: "60", 5: "61", 6: "62"})
    warnings.evaluate(JULY_15)
    EarlyWarning.objects.update(status=EarlyWarning.Status.CLEARED)
    warnings.evaluate(JULY_15)
    assert EarlyWarning.objects.count() == 2
    assert set(EarlyWarning.objects.values_list("status", flat=True)) == {"cleared"}
    # A month later the run continues into July: a new period, so new warnings.
    _report(personas, ent, unit, {7: "63"})
    warnings.evaluate(JULY_15 + dt.timedelta(days=31))
    assert sorted(EarlyWarning.objects.values_list("period", "status")) == [
        ("2020-06", "cleared"),
        ("2020-06", "cleared"),
        ("2020-07", "open"),
        ("2020-07", "open"),
    ]


def test_it_skips_inactive_rules(personas):
    _smelter(personas, {4: "60", 5: "61", 6: "62"})
    WarningRule.objects.filter(code="al-utilisation-city").update(active=False)
    warnings.evaluate(JULY_15)
    assert list(EarlyWarning.objects.values_list("rule__code", flat=True)) == ["al-utilisation-province"]


def test_it_warns_a_city_whose_value_added_falls_year_on_year(personas):
    p = personas
    for year, va in ((2019, "1000"), (2020, "800")):
        accept(p.department, p.enterprise_a, dt.date(year, 6, 1), figures(va, 5000), [
            {"unit": p.unit_a.pk, "output_t": "3000", "output_value": "5400"}
        ])  # fmt: skip
    warnings.evaluate(JULY_15)
    warning = EarlyWarning.objects.get()
    assert (warning.rule.code, warning.scope_code, warning.value) == (
        "city-value-added-decline",
        "610800",
        Decimal("-20.0"),
    )
    assert warning.message == "榆林市有色金属工业增加值同比下降（2020-06：-20.0%）。"


def test_it_runs_as_a_tick_duty(personas):
    _smelter(personas, {4: "60", 5: "61", 6: "62"})
    out = StringIO()
    call_command("tick", "--only", "stats.warnings", stdout=out)  # today: long after 2020, nothing due then
    assert out.getvalue().startswith("stats.warnings: ") and "rules evaluated" in out.getvalue()


def test_it_reads_the_run_of_periods_backwards_across_years():
    assert [str(p) for p in warnings.run_of(Period("quarter", 2020, 1), 3)] == ["2019Q3", "2019Q4", "2020Q1"]
