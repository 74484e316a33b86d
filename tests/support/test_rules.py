"""The pure rules of support funds and reserves, table by table."""

import datetime as dt
from decimal import Decimal as D

import pytest

from youse.support import rules
from youse.support.rules import APP_TRANSITIONS, CALL_TRANSITIONS, AppState, CallState

d = dt.date


@pytest.mark.parametrize(
    ("state", "on", "ok"),
    [
        ("open", d(2020, 3, 1), True),
        ("open", d(2020, 2, 29), False),  # before the window
        ("open", d(2020, 3, 31), True),  # the last day counts
        ("open", d(2020, 4, 1), False),
        ("closed", d(2020, 3, 10), False),
        ("draft", d(2020, 3, 10), False),
    ],
)
def test_it_checks_the_window(state, on, ok):
    assert (rules.window_problem(state, d(2020, 3, 1), d(2020, 3, 31), on) is None) is ok


@pytest.mark.parametrize(
    ("budget", "so_far", "amount", "ok"),
    [
        (D(1000), D(0), D(1000), True),
        (D(1000), D(600), D(400), True),
        (D(1000), D(600), D("400.01"), False),
        (None, D(10**6), D(1), True),  # no budget of its own
    ],
)
def test_it_keeps_approvals_within_the_budget(budget, so_far, amount, ok):
    assert (rules.budget_problem(budget, so_far, amount, "绿色化改造") is None) is ok


def test_it_gives_the_figures_when_the_budget_is_exceeded():
    message = rules.budget_problem(D(1000), D(600), D(500), "绿色化改造")
    assert "1000" in message and "600" in message and "400" in message and "500" in message


@pytest.mark.parametrize(
    ("amount", "requested", "ok"),
    [(D(1), D(5), True), (D(5), D(5), True), (D("5.01"), D(5), False), (D(0), D(5), False)],
)
def test_it_approves_no_more_than_requested(amount, requested, ok):
    assert (rules.amount_problem(amount, requested) is None) is ok


@pytest.mark.parametrize(
    ("approved", "paid", "amount", "ok"),
    [
        (D(400), D(0), D(200), True),
        (D(400), D(200), D(200), True),
        (D(400), D(200), D("200.01"), False),
        (D(400), D(0), D(0), False),
        (None, D(0), D(1), False),
    ],
)
def test_it_pays_no_more_than_approved(approved, paid, amount, ok):
    assert (rules.disbursement_problem(approved, paid, amount) is None) is ok


@pytest.mark.parametrize(
    ("paid", "amount", "ok"),
    [(D(200), D(100), True), (D(200), D(200), True), (D(200), D(201), False), (D(0), D(1), False)],
)
def test_it_asks_back_no_more_than_was_paid(paid, amount, ok):
    assert (rules.repayment_problem(paid, amount) is None) is ok


APP_CASES = [
    ("draft", "submitted", True),
    ("draft", "approved", False),
    ("submitted", "recommended", True),
    ("submitted", "returned", True),
    ("submitted", "approved", False),  # the city recommends first
    ("returned", "submitted", True),
    ("recommended", "approved", True),
    ("recommended", "rejected", True),
    ("approved", "accepted", True),
    ("approved", "failed", True),
    ("approved", "rejected", False),
    ("rejected", "submitted", False),
    ("accepted", "failed", False),
    ("failed", "accepted", False),
]


@pytest.mark.parametrize(("current", "target", "ok"), APP_CASES)
def test_it_allows_only_the_application_transitions(current, target, ok):
    if ok:
        rules.check_transition(APP_TRANSITIONS, current, target)
    else:
        with pytest.raises(rules.TransitionError):
            rules.check_transition(APP_TRANSITIONS, current, target)


def test_it_covers_every_state():
    assert set(APP_TRANSITIONS) == set(AppState) and set(CALL_TRANSITIONS) == set(CallState)


@pytest.mark.parametrize(
    ("current", "target", "ok"), [("draft", "open", True), ("open", "closed", True), ("closed", "open", True),
                                  ("draft", "closed", False), ("open", "draft", False)]
)  # fmt: skip
def test_it_allows_only_the_call_transitions(current, target, ok):
    if ok:
        rules.check_transition(CALL_TRANSITIONS, current, target)
    else:
        with pytest.raises(rules.TransitionError):
            rules.check_transition(CALL_TRANSITIONS, current, target)


@pytest.mark.parametrize(
    ("kind", "balance", "qty", "after"),
    [
        ("in", D(0), D(100), D(100)),
        ("out", D(100), D(40), D(60)),
        ("out", D(100), D(100), D(0)),
        ("out", D(100), D("100.001"), None),  # never below zero
        ("rotation", D(100), D(50), D(100)),  # the balance holds
        ("rotation", D(100), D(150), None),  # cannot rotate more than is held
        ("in", D(0), D(0), None),
        ("out", D(5), D(-1), None),
    ],
)
def test_it_keeps_the_ledger(kind, balance, qty, after):
    if after is None:
        with pytest.raises(rules.LedgerError):
            rules.balance_after(kind, balance, qty)
    else:
        assert rules.balance_after(kind, balance, qty) == after


@pytest.mark.parametrize(
    ("moved_on", "last", "ok"),
    [(d(2020, 5, 1), None, True), (d(2020, 5, 1), d(2020, 5, 1), True), (d(2020, 4, 30), d(2020, 5, 1), False),
     (d(2020, 6, 2), None, False)],
)  # fmt: skip
def test_it_keeps_movements_in_order(moved_on, last, ok):
    assert (rules.movement_date_problem(moved_on, last, d(2020, 6, 1)) is None) is ok


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ((d(2020, 1, 1), d(2020, 12, 31)), (d(2021, 1, 1), d(2021, 12, 31)), False),
        ((d(2020, 1, 1), d(2020, 12, 31)), (d(2020, 12, 31), d(2021, 12, 31)), True),
        ((d(2020, 1, 1), d(2022, 12, 31)), (d(2021, 1, 1), d(2021, 6, 30)), True),
    ],
)
def test_it_finds_overlapping_periods(a, b, overlap):
    assert rules.periods_overlap(a, b) is overlap


@pytest.mark.parametrize(
    ("expected", "achieved", "share"),
    [(D(1200), D(1300), D("108.3")), (D(3), D(1), D("33.3")), (D(3), None, None), (D(0), D(1), None)],
)
def test_it_measures_the_achievement(expected, achieved, share):
    assert rules.achievement(expected, achieved) == share


@pytest.mark.parametrize(("target", "held", "rate"), [(D(5000), D(4000), D("80.0")), (None, D(1), None)])
def test_it_computes_the_fill_rate(target, held, rate):
    assert rules.fill_rate(target, held) == rate
