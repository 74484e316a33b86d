"""Plausibility checks of a monthly report (pure): one problem per bad field, named."""

import datetime as dt
from decimal import Decimal

import pytest

from youse.stats import checks

MAY = dt.date(2024, 5, 1)
TODAY = dt.date(2024, 6, 15)
MG = checks.UnitFacts(1, "镁一线", 10, Decimal("50000"), electrolysis=False, operating_or_idle=True)
AL = checks.UnitFacts(2, "电解一系列", 10, Decimal("365000"), electrolysis=True, operating_or_idle=True)
STOPPED = checks.UnitFacts(3, "停产线", 10, Decimal("10000"), electrolysis=False, operating_or_idle=False)
OTHER = checks.UnitFacts(4, "他厂线", 99, Decimal("10000"), electrolysis=False, operating_or_idle=True)
UNITS = {u.id: u for u in (MG, AL, STOPPED, OTHER)}
FIGURES = {
    "value_added": "0.5",
    "revenue": "3000",
    "profit": "12",
    "energy_tce": "100",
    "electricity_kwh": "1e6",
    "employees": "120",
}


def run(figures=None, lines=(), period=MAY):
    return checks.check_report(period, {**FIGURES, **(figures or {})}, list(lines), UNITS, 10, TODAY)


def fields(problems):
    return [(p.line, p.field) for p in problems]


def test_it_accepts_a_plausible_report_and_parses_numbers():
    parsed, lines, problems = run(lines=[{"unit": 1, "output_t": "4,000", "output_value": "9000"}])
    assert problems == []
    assert parsed["electricity_kwh"] == Decimal("1E+6") and lines[0]["output_t"] == Decimal("4000")


@pytest.mark.parametrize(
    ("figures", "lines", "expected"),
    [
        ({"value_added": "-1"}, [], [(None, "value_added")]),
        ({"profit": "-50"}, [], []),  # a loss is a legitimate profit figure
        ({"revenue": ""}, [], [(None, "revenue")]),
        ({"employees": "12.5"}, [], [(None, "employees")]),
        ({"energy_tce": "NaN"}, [], [(None, "energy_tce")]),
        ({}, [{"unit": 4, "output_t": "1", "output_value": "1"}], [(0, "unit")]),
        ({}, [{"unit": 1, "output_t": "1", "output_value": "1"}] * 2, [(1, "unit")]),
        ({}, [{"unit": 1, "output_t": "-1", "output_value": "1"}], [(0, "output_t")]),
        ({}, [{"unit": 1, "output_value": "1"}], [(0, "output_t")]),
        # 50,000 t/yr is 4,247 t in May; 10% more is tolerated, not 5,000 t.
        ({}, [{"unit": 1, "output_t": "4600", "output_value": "9000"}], []),
        ({}, [{"unit": 1, "output_t": "5000", "output_value": "9000"}], [(0, "output_t")]),
        ({}, [{"unit": 3, "output_t": "10", "output_value": "20"}], [(0, "output_t")]),
        ({}, [{"unit": 3, "output_t": "0", "output_value": "0"}], []),
        ({}, [{"unit": 1, "output_t": "10", "output_value": "20", "al_liquid_t": "10"}], [(0, "al_liquid_t")]),
        ({"value_added": "1000"}, [{"unit": 1, "output_t": "10", "output_value": "999"}], [(None, "value_added")]),
    ],
)
def test_it_names_each_implausible_figure(figures, lines, expected):
    _parsed, _lines, problems = run(figures, lines)
    assert fields(problems) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ({"al_liquid_t": "30000", "ac_kwh_per_t": "13100", "ac_total_kwh_per_t": "13500"}, []),
        ({"al_liquid_t": "34500", "ac_kwh_per_t": "13100", "ac_total_kwh_per_t": "13500"}, [(0, "al_liquid_t")]),
        ({"al_liquid_t": "30000", "ac_kwh_per_t": "9000", "ac_total_kwh_per_t": "13500"}, [(0, "ac_kwh_per_t")]),
        ({"al_liquid_t": "30000", "ac_kwh_per_t": "13100"}, [(0, "ac_total_kwh_per_t")]),
    ],
)
def test_it_checks_electrolysis_lines_against_capacity_and_physics(line, expected):
    # 365,000 t/yr is 31,000 t in May (31 days), 34,100 t with the tolerance.
    base = {"unit": 2, "output_t": "30000", "output_value": "50000"}
    _parsed, _lines, problems = run(lines=[{**base, **line}])
    assert fields(problems) == expected


def test_it_refuses_months_not_yet_begun_and_days_other_than_the_first():
    assert fields(run(period=dt.date(2024, 7, 1))[2]) == [(None, "period")]
    assert fields(run(period=dt.date(2024, 5, 2))[2]) == [(None, "period")]
    assert fields(run(period=dt.date(2024, 6, 1))[2]) == []  # the current month may be drafted


def test_it_says_where_a_problem_is():
    problem = checks.Problem("output_t", "cannot be negative", 2)
    assert str(problem) == "line 3, output_t: cannot be negative"
