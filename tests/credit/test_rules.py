"""The evaluators of the credit list, table-driven: each case is facts, parameters, the date, and the
expected result with a fragment of its reason."""

import datetime as dt
from decimal import Decimal

import pytest

from youse.credit import rules
from youse.credit.rules import AlarmFact, ClosureFact, Facts, InspectionFact, Kind, OrderFact, Rule, ViolationFact

D = dt.date
AS_OF = D(2020, 12, 31)


def order(code="YL-2017-003", issued=None, deadline=None, state="issued", closed_on=None):
    return OrderFact(code, issued or D(2020, 3, 1), deadline or D(2020, 6, 30), state, closed_on)


CASES = [
    # (kind, params, facts, expected pass, reason fragment)
    (Kind.IN_BUSINESS, {}, Facts(status="active"), True, "In business"),
    (Kind.IN_BUSINESS, {}, Facts(status="closed"), False, "Closed in the registry"),
    (Kind.BACKBONE, {"min_revenue_yi": 10}, Facts(revenue_year=2020, revenue_wan=Decimal(100000), revenue_months=12),
     True, "2020 main business revenue 10.00 亿元 ≥ 10 亿元 (12 accepted monthly reports)"),
    (Kind.BACKBONE, {"min_revenue_yi": 10}, Facts(revenue_year=2020, revenue_wan=Decimal(99999), revenue_months=12),
     False, "10.00 亿元 < 10 亿元"),
    (Kind.BACKBONE, {"min_revenue_yi": 10, "key_groups": ["陕西有色集团"]},
     Facts(group_name="陕西有色集团", revenue_year=2020, revenue_wan=Decimal(10)), True, "key group"),
    (Kind.BACKBONE, {"min_revenue_yi": 10}, Facts(revenue_year=2020), False, "No accepted monthly report for 2020"),
    (Kind.BACKBONE, {"min_revenue_yi": 10}, Facts(), False, "No accepted annual statistics"),
    (Kind.INSPECTION_PASSED, {}, Facts(), False, "Not inspected"),
    (Kind.INSPECTION_PASSED, {}, Facts(latest_inspection=InspectionFact("ZF-1", D(2019, 5, 1), "pass")),
     True, "2019-05-01 (ZF-1) passed"),
    (Kind.INSPECTION_PASSED, {}, Facts(latest_inspection=InspectionFact("ZF-1", D(2019, 5, 1), "fail")),
     False, "failed the industry norms"),
    (Kind.INSPECTION_PASSED, {"max_age_months": 24},
     Facts(latest_inspection=InspectionFact("ZF-1", D(2017, 9, 1), "pass")), False, "older than 24 months"),
    (Kind.NO_OPEN_ORDER, {}, Facts(), True, "No open rectification order"),
    (Kind.NO_OPEN_ORDER, {}, Facts(orders=(order(),)), False,
     "Rectification order YL-2017-003 overdue, not rectified (deadline 2020-06-30)"),
    (Kind.NO_OPEN_ORDER, {}, Facts(orders=(order(deadline=D(2021, 3, 1), state="in_progress"),)), False,
     "open (deadline 2021-03-01)"),
    (Kind.NO_OPEN_ORDER, {}, Facts(orders=(order(state="failed"),)), False, "failed its re-inspection"),
    (Kind.NO_OPEN_ORDER, {}, Facts(orders=(order(state="closed", closed_on=D(2020, 6, 1)),)), True, "No open"),
    # Rectified only after the date: still open on it.
    (Kind.NO_OPEN_ORDER, {}, Facts(orders=(order(state="closed", closed_on=D(2021, 2, 1)),)), False, "overdue"),
    # Issued after the date: not yet known.
    (Kind.NO_OPEN_ORDER, {}, Facts(orders=(order(issued=D(2021, 1, 5), deadline=D(2021, 5, 1)),)), True, "No open"),
    (Kind.NO_EXCEEDANCE, {"months": 12}, Facts(alarms=(AlarmFact(D(2019, 12, 31), "SO2"),)), True,
     "No exceedance alarm since 2019-12-31"),
    (Kind.NO_EXCEEDANCE, {"months": 12},
     Facts(alarms=(AlarmFact(D(2020, 7, 1), "SO2"), AlarmFact(D(2020, 8, 1), "SO2"), AlarmFact(D(2020, 9, 1), "NOx"))),
     False, "3 exceedance alarms since 2019-12-31 (SO2 ×2, NOx ×1)"),
    (Kind.NO_EXCEEDANCE, {"months": 6}, Facts(alarms=(AlarmFact(D(2020, 6, 15), "SO2"),)), True, "since 2020-06-30"),
    (Kind.NO_EXCEEDANCE, {"months": 12}, Facts(alarms=(AlarmFact(D(2020, 7, 1), "SO2"),)), False,
     "1 exceedance alarm since"),
    (Kind.NO_CAPACITY_VIOLATION, {}, Facts(violations=(ViolationFact("超产", D(2020, 5, 1)),)), False,
     "Open capacity violation since 2020-05-01: 超产"),
    (Kind.NO_CAPACITY_VIOLATION, {}, Facts(violations=(ViolationFact("超产", D(2020, 5, 1), D(2020, 8, 1)),)), True,
     "No open capacity violation"),
    (Kind.NO_CAPACITY_VIOLATION, {}, Facts(violations=(ViolationFact("超产", D(2021, 5, 1)),)), True, "No open"),
    (Kind.NO_CLOSURE, {}, Facts(), True, "No closure"),
    (Kind.NO_CLOSURE, {},
     Facts(closures=(ClosureFact("ZF-9", "decided", D(2020, 10, 1), None, "陕工信发〔2020〕1号"),)), False,
     "Closure ZF-9 decided on 2020-10-01 陕工信发〔2020〕1号"),
    (Kind.NO_CLOSURE, {}, Facts(closures=(ClosureFact("ZF-9", "executed", D(2020, 10, 1), D(2020, 12, 1)),)),
     False, "Closure ZF-9 executed on 2020-12-01"),
    (Kind.NO_CLOSURE, {}, Facts(closures=(ClosureFact("ZF-9", "decided", D(2021, 1, 10), None),)), True, "No closure"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "params", "facts", "passed", "reason"), CASES)
def test_it_evaluates_each_kind_as_the_table_says(kind, params, facts, passed, reason):
    outcome = rules.evaluate(Rule("c", kind, params), facts, AS_OF)
    assert outcome.passed is passed
    assert reason in outcome.reason


def test_it_has_an_evaluator_and_a_parameter_spec_for_every_kind():
    assert set(rules.EVALUATORS) == set(Kind) == set(rules.PARAMS)


@pytest.mark.parametrize(
    ("kind", "params", "problem"),
    [
        ("backbone", {}, "min_revenue_yi is required"),
        ("backbone", {"min_revenue_yi": "ten"}, "is a number"),
        ("backbone", {"min_revenue_yi": -1}, "must be positive"),
        ("backbone", {"min_revenue_yi": 5, "key_groups": "集团"}, "list of names"),
        ("no_exceedance", {"months": 0}, "must be positive"),
        ("no_exceedance", {"months": 12, "factor": "SO2"}, "Unknown parameter: factor"),
        ("no_such_kind", {}, "Unknown kind"),
        ("in_business", [], "JSON object"),
    ],
)
def test_it_refuses_bad_parameters(kind, params, problem):
    assert any(problem in p for p in rules.check_params(kind, params))


@pytest.mark.parametrize(
    ("kind", "params"),
    [("backbone", {"min_revenue_yi": 5}), ("backbone", {"min_revenue_yi": "2.5", "key_groups": ["甲"]}),
     ("no_exceedance", {"months": 12}), ("inspection_passed", {}), ("inspection_passed", {"max_age_months": 36})],
)  # fmt: skip
def test_it_accepts_good_parameters(kind, params):
    assert rules.check_params(kind, params) == []


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [(D(2020, 12, 31), 12, D(2019, 12, 31)), (D(2020, 3, 31), 1, D(2020, 2, 29)), (D(2021, 1, 15), 2, D(2020, 11, 15))],
)
def test_it_counts_months_back(day, months, expected):
    assert rules.months_before(day, months) == expected


@pytest.mark.parametrize(("as_of", "year"), [(D(2020, 12, 31), 2020), (D(2020, 12, 30), 2019), (D(2021, 1, 1), 2020)])
def test_it_knows_the_last_full_year(as_of, year):
    assert rules.last_full_year(as_of) == year


def test_it_reads_alarms_as_far_back_as_the_longest_criterion():
    assert (
        rules.alarm_window_months(
            [Rule("a", "no_exceedance", {"months": 6}), Rule("b", "no_exceedance", {"months": 18})]
        )
        == 18
    )
    assert rules.alarm_window_months([Rule("a", "in_business", {})]) == 0
