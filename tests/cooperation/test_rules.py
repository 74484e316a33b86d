"""The pure rules of an overseas project, table by table."""

import datetime as dt
from decimal import Decimal as D

import pytest

from youse.cooperation import rules
from youse.cooperation.rules import Filing, Status

D1 = dt.date(2024, 1, 10)
D2 = dt.date(2024, 6, 1)
D3 = dt.date(2025, 3, 1)


@pytest.mark.parametrize(
    ("mode", "share", "ok"),
    [
        ("holding", D("51"), True),
        ("holding", D("50.01"), True),
        ("holding", D("50"), False),
        ("holding", D("100"), True),
        ("stake", D("50"), True),
        ("stake", D("0.5"), True),
        ("stake", D("50.01"), False),
        ("acquisition", D("100"), True),
        ("acquisition", D("30"), True),
        ("share_swap", D("20"), True),
        ("share_swap", D("0"), False),
        ("holding", D("100.01"), False),
        ("stake", D("-5"), False),
        ("stake", None, False),
        ("merger", D("20"), False),
    ],
)
def test_it_checks_the_equity_share_against_the_mode(mode, share, ok):
    assert (rules.mode_share_problem(mode, share) is None) is ok


@pytest.mark.parametrize(
    ("total", "chinese", "invested", "fields"),
    [
        (D("100"), D("60"), D("10"), set()),
        (D("100"), D("100"), None, set()),
        (D("100"), D("100.01"), None, {"chinese_investment"}),
        (D("-1"), None, None, {"total_investment"}),
        (None, D("-1"), None, {"chinese_investment"}),
        (None, None, D("-0.01"), {"invested"}),
        (D("0"), D("0"), D("0"), set()),
        (None, D("50"), None, set()),
    ],
)
def test_it_refuses_negative_amounts_and_a_chinese_part_above_the_whole(total, chinese, invested, fields):
    assert set(rules.money_problems(total, chinese, invested)) == fields


@pytest.mark.parametrize(
    ("signed", "construction", "operation", "fields"),
    [
        (D1, D2, D3, set()),
        (D1, D1, D1, set()),
        (D2, D1, None, {"construction_started_on"}),
        (D1, D3, D2, {"operation_started_on"}),
        (D2, None, D1, {"operation_started_on"}),
        (None, None, D1, set()),
        (None, D2, D1, {"operation_started_on"}),
    ],
)
def test_it_keeps_the_dates_in_order(signed, construction, operation, fields):
    assert set(rules.date_problems(signed, construction, operation)) == fields


@pytest.mark.parametrize(
    ("current", "new", "ok"),
    [
        ("planned", "approved", True),
        ("planned", "construction", False),
        ("planned", "operating", False),
        ("approved", "construction", True),
        ("approved", "operating", True),
        ("construction", "operating", True),
        ("construction", "approved", False),
        ("operating", "suspended", True),
        ("operating", "construction", False),
        ("suspended", "operating", True),
        ("suspended", "exited", True),
        ("exited", "operating", False),
        ("exited", "exited", False),
        ("operating", "operating", True),
        ("operating", "closed", False),
    ],
)
def test_it_allows_only_the_listed_status_transitions(current, new, ok):
    assert (rules.transition_problem(current, new) is None) is ok


def test_every_status_has_its_transitions_listed():
    assert set(rules.TRANSITIONS) == set(Status)


@pytest.mark.parametrize(
    ("step", "state", "ok"),
    [
        ("submit", Filing.DRAFT, True),
        ("submit", Filing.RETURNED, True),
        ("submit", Filing.SUBMITTED, False),
        ("submit", Filing.FILED, False),
        ("file", Filing.SUBMITTED, True),
        ("file", Filing.DRAFT, False),
        ("file", Filing.FILED, False),
        ("return", Filing.SUBMITTED, True),
        ("return", Filing.RETURNED, False),
        ("return", Filing.FILED, False),
    ],
)
def test_it_moves_the_registration_only_from_the_right_state(step, state, ok):
    assert (rules.filing_problem(step, state) is None) is ok


@pytest.mark.parametrize(
    ("status", "ndrc", "mofcom", "ok"),
    [
        ("planned", "", "", True),
        ("approved", "", "", False),
        ("approved", "陕发改外资备〔2024〕12号", "", True),
        ("operating", "", "境外投资证第N6100202400031号", True),
        ("construction", "  ", "", False),
        ("suspended", "", "", True),
    ],
)
def test_an_approved_project_names_its_filing_numbers(status, ndrc, mofcom, ok):
    assert (rules.approval_problem(status, ndrc, mofcom) is None) is ok


@pytest.mark.parametrize(
    ("on", "last", "ok"),
    [
        (D2, D1, True),
        (D1, D1, True),
        (D1, D2, False),
        (dt.date(2030, 1, 1), None, False),
        (None, None, False),
    ],
)
def test_a_progress_report_is_dated_after_the_last_and_not_in_the_future(on, last, ok):
    assert (rules.report_date_problem(on, last, dt.date(2026, 1, 1)) is None) is ok


def test_it_lists_what_a_submission_lacks():
    full = {
        "name": "x",
        "country": 1,
        "metal": 1,
        "stage": 1,
        "mode": "stake",
        "equity_share": 1,
        "total_investment": 1,
    }
    assert rules.missing_for_submission(full) == []
    assert rules.missing_for_submission({**full, "total_investment": None, "name": ""}) == ["name", "total_investment"]


@pytest.mark.parametrize(
    ("levels", "highest"), [(["low", "high", "medium"], "high"), (["low"], "low"), ([], None), (["x"], None)]
)
def test_it_finds_the_highest_risk(levels, highest):
    assert rules.highest_risk(levels) == highest
