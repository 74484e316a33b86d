"""The indicator formulas, periods and target checks of stats/rules.py: pure, table-driven."""

import datetime as dt
from decimal import Decimal as D

import pytest

from youse.stats import rules
from youse.stats.rules import Period, PeriodError, parse_period


@pytest.mark.parametrize(
    ("text", "kind", "year", "number", "months", "shown"),
    [
        ("2020", "year", 2020, 0, 12, "2020"),
        ("2020-06", "month", 2020, 6, 1, "2020-06"),
        ("2020-6", "month", 2020, 6, 1, "2020-06"),
        ("2020Q2", "quarter", 2020, 2, 3, "2020Q2"),
        ("2020-q4", "quarter", 2020, 4, 3, "2020Q4"),
        ("2020-06-ytd", "ytd", 2020, 6, 6, "2020-06-ytd"),
        (" 2019-12ytd ", "ytd", 2019, 12, 12, "2019-12-ytd"),
    ],
)
def test_it_parses_periods(text, kind, year, number, months, shown):
    p = parse_period(text)
    assert (p.kind, p.year, p.number, p.month_count, str(p)) == (kind, year, number, months, shown)
    assert parse_period(str(p)) == p


@pytest.mark.parametrize("text", ["", "20", "2020-13", "2020-00", "2020Q5", "2020Q0", "June", "2020-06-30", None])
def test_it_refuses_what_is_not_a_period(text):
    with pytest.raises(PeriodError):
        parse_period(text)


@pytest.mark.parametrize(
    ("period", "start", "end", "days", "days_in_year"),
    [
        (Period("month", 2020, 2), dt.date(2020, 2, 1), dt.date(2020, 2, 29), 29, 366),
        (Period("month", 2019, 2), dt.date(2019, 2, 1), dt.date(2019, 2, 28), 28, 365),
        (Period("quarter", 2020, 3), dt.date(2020, 7, 1), dt.date(2020, 9, 30), 92, 366),
        (Period("year", 2019), dt.date(2019, 1, 1), dt.date(2019, 12, 31), 365, 365),
        (Period("ytd", 2020, 3), dt.date(2020, 1, 1), dt.date(2020, 3, 31), 91, 366),
    ],
)
def test_it_knows_the_days_of_a_period(period, start, end, days, days_in_year):
    assert (period.start, period.end, period.days, period.days_in_year) == (start, end, days, days_in_year)
    assert period.months[0] == start.replace(day=1) and len(period.months) == period.month_count


@pytest.mark.parametrize(
    ("period", "previous", "year_before"),
    [
        (Period("month", 2020, 1), "2019-12", "2019-01"),
        (Period("month", 2020, 7), "2020-06", "2019-07"),
        (Period("quarter", 2020, 1), "2019Q4", "2019Q1"),
        (Period("year", 2020), "2019", "2019"),
        (Period("ytd", 2020, 6), "2019-06-ytd", "2019-06-ytd"),
    ],
)
def test_it_steps_back_through_periods(period, previous, year_before):
    assert (str(period.previous()), str(period.shifted(-1))) == (previous, year_before)


ACTIVE = frozenset({"operating", "idle"})
JAN1, JAN31 = dt.date(2020, 1, 1), dt.date(2020, 1, 31)


@pytest.mark.parametrize(
    ("history", "days"),
    [
        ([], 0),  # not registered
        ([(dt.date(2019, 1, 1), "operating")], 31),
        ([(dt.date(2020, 1, 10), "operating")], 22),  # starts on the 10th, inclusive
        ([(dt.date(2020, 1, 31), "operating")], 1),
        ([(dt.date(2020, 2, 1), "operating")], 0),  # after the period
        ([(dt.date(2019, 1, 1), "operating"), (dt.date(2020, 1, 11), "idle")], 31),  # idle still counts
        ([(dt.date(2019, 1, 1), "operating"), (dt.date(2020, 1, 11), "exited")], 10),
        ([(dt.date(2020, 1, 11), "exited"), (dt.date(2019, 1, 1), "operating")], 10),  # any order of dates
        ([(dt.date(2019, 1, 1), "construction"), (dt.date(2020, 1, 21), "operating")], 11),
        ([(dt.date(2019, 1, 1), "operating"), (dt.date(2019, 6, 1), "exited")], 0),  # exited before
        # Two changes on one day: the one recorded last holds, whatever the names sort to.
        ([(dt.date(2020, 1, 16), "operating"), (dt.date(2020, 1, 16), "idle")], 16),
        (
            [
                (dt.date(2019, 1, 1), "operating"),
                (dt.date(2020, 1, 16), "operating"),
                (dt.date(2020, 1, 16), "exited"),
            ],
            15,
        ),
        (
            [
                (dt.date(2019, 1, 1), "idle"),
                (dt.date(2020, 1, 16), "exited"),
                (dt.date(2020, 1, 16), "operating"),
            ],
            31,
        ),
    ],
)
def test_it_counts_the_days_a_unit_held_a_status(history, days):
    assert rules.days_in_status(history, ACTIVE, JAN1, JAN31) == days


@pytest.mark.parametrize(
    ("fn", "args", "expected"),
    [
        (rules.money_yi, (D("12345.00"),), D("1.23")),
        (rules.money_yi, (D("12350.00"),), D("1.24")),  # half up, not to even
        (rules.money_yi, (D("12250.00"),), D("1.23")),
        (rules.money_yi, (D("0"),), D("0.00")),
        (rules.percent, (D("1"), D("8")), D("12.5")),
        (rules.percent, (D("1"), D("16")), D("6.3")),  # 6.25 → 6.3
        (rules.percent, (D("1"), D("0")), None),  # no whole: no data, not 0 %
        (rules.percent, (D("0"), D("5")), D("0.0")),
        (rules.growth, (D("108"), D("100")), D("8.0")),
        (rules.growth, (D("100.05"), D("100")), D("0.1")),  # 0.05 → 0.1
        (rules.growth, (D("90"), D("100")), D("-10.0")),
        (rules.growth, (D("90"), D("0")), None),
        (rules.compound_growth, (D("200"), D("100"), 5), D("14.9")),
        (rules.compound_growth, (D("146.93280768"), D("100"), 5), D("8.0")),  # 1.08⁵
        (rules.compound_growth, (D("100"), D("100"), 0), None),
        (rules.compound_growth, (D("100"), D("0"), 5), None),
        (rules.utilisation, (D("292000"), D("365000") * 365, 365), D("80.0")),
        (rules.utilisation, (D("1"), D("0"), 365), None),
        (rules.rank, (D("100"), [D("300"), D("100"), D("50")]), 2),  # a tie is not ahead
        (rules.rank, (D("100"), []), 1),
        (rules.annualised, (D("10"), 3), D("40.00")),
        (rules.annualised, (D("1"), 7), D("1.71")),
    ],
)
def test_it_computes_the_formulas_with_half_up_rounding(fn, args, expected):
    assert fn(*args) == expected


M, ON, OFF, MISSED, UNKNOWN = rules.MET, rules.ON_TRACK, rules.OFF_TRACK, rules.MISSED, rules.UNKNOWN


@pytest.mark.parametrize(
    ("value", "comparator", "target", "kw", "status", "required"),
    [
        # A target that holds every year.
        (D("81"), "gte", D("80"), {"year": 2018, "target_year": None, "per_year": True}, M, D("80")),
        (D("79.9"), "gte", D("80"), {"year": 2018, "target_year": None, "per_year": True}, OFF, D("80")),
        # A target year: met or missed in and after it.
        (D("1000"), "gte", D("1000"), {"year": 2020, "target_year": 2020, "per_year": False}, M, D("1000")),
        (
            D("999"),
            "gte",
            D("1000"),
            {"year": 2020, "target_year": 2020, "per_year": False},
            MISSED,
            D("1000"),
        ),
        (
            D("999"),
            "gte",
            D("1000"),
            {"year": 2021, "target_year": 2020, "per_year": False},
            MISSED,
            D("1000"),
        ),
        # ... but not before the target year has ended.
        (
            D("999"),
            "gte",
            D("1000"),
            {"year": 2020, "target_year": 2020, "per_year": False, "final": False},
            OFF,
            D("1000"),
        ),
        (
            D("1001"),
            "gte",
            D("1000"),
            {"year": 2020, "target_year": 2020, "per_year": False, "final": False},
            ON,
            D("1000"),
        ),
        # Before it: on the compound path from the base year's 500 to 1000 in five years.
        (
            D("575"),
            "gte",
            D("1000"),
            {"year": 2016, "target_year": 2020, "per_year": False, "base_value": D("500"), "compound": True},
            ON,
            D("574.35"),
        ),
        (
            D("570"),
            "gte",
            D("1000"),
            {"year": 2016, "target_year": 2020, "per_year": False, "base_value": D("500"), "compound": True},
            OFF,
            D("574.35"),
        ),
        # A share on its straight path from 40 % to 50 %: 44 % due in 2017.
        (
            D("44.0"),
            "gt",
            D("50"),
            {"year": 2017, "target_year": 2020, "per_year": False, "base_value": D("40")},
            ON,
            D("44.00"),
        ),
        (
            D("43.9"),
            "gt",
            D("50"),
            {"year": 2017, "target_year": 2020, "per_year": False, "base_value": D("40")},
            OFF,
            D("44.00"),
        ),
        # No base year figure: off track until met.
        (D("600"), "gte", D("1000"), {"year": 2017, "target_year": 2020, "per_year": False}, OFF, D("1000")),
        # A rank: within 10.
        (D("9"), "rank_lte", D("10"), {"year": 2018, "target_year": 2020, "per_year": False}, M, D("10")),
        (
            D("12"),
            "rank_lte",
            D("10"),
            {"year": 2020, "target_year": 2020, "per_year": False},
            MISSED,
            D("10"),
        ),
        (None, "gte", D("80"), {"year": 2018, "target_year": None, "per_year": True}, UNKNOWN, None),
    ],
)
def test_it_checks_targets(value, comparator, target, kw, status, required):
    check = rules.check_target(value, comparator, target, **kw)
    assert (check.status, check.required) == (status, required)
    if value is not None:
        assert check.gap == value - required


@pytest.mark.parametrize(
    ("values", "comparison", "threshold", "run"),
    [
        ([D("70"), D("72"), D("74"), D("90")], "lt", D("75"), 3),
        ([D("76"), D("72")], "lt", D("75"), 0),
        ([D("75"), D("72")], "lt", D("75"), 0),  # at the threshold is not below it
        ([D("75"), D("72")], "lte", D("75"), 2),
        ([None, D("1")], "lt", D("75"), 0),  # no data breaks a run
        ([D("-0.1")], "lt", D("0"), 1),
    ],
)
def test_it_measures_runs_for_warnings(values, comparison, threshold, run):
    assert rules.run_length(values, comparison, threshold) == run
