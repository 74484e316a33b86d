"""The pure rules of supervision, as tables."""

import datetime as dt

import pytest

from youse.supervision import rules
from youse.supervision.rules import PlanState, Status

D = dt.date
START, DEADLINE = D(2026, 1, 1), D(2026, 12, 31)


@pytest.mark.parametrize(
    ("today", "percent", "done", "expected"),
    [
        (D(2026, 3, 1), 0, False, Status.ON_TRACK),  # early, 16 % expected: within the 25-point gap
        (D(2026, 3, 1), 100, False, Status.DONE),
        (D(2027, 1, 5), 40, True, Status.DONE),  # done late is done
        (D(2026, 7, 1), 20, False, Status.AT_RISK),  # half the time gone, 20 % done: 30 points behind
        (D(2026, 7, 1), 30, False, Status.ON_TRACK),  # 20 points behind: within the gap
        (D(2026, 12, 1), 79, False, Status.AT_RISK),  # 30 days left, under 80 %
        (D(2026, 12, 1), 80, False, Status.ON_TRACK),
        (D(2026, 12, 31), 99, False, Status.ON_TRACK),  # the deadline day itself is not late
        (D(2027, 1, 1), 99, False, Status.OVERDUE),
        (D(2025, 12, 1), 0, False, Status.ON_TRACK),  # not started yet
    ],
)
def test_status_from_dates_and_percent(today, percent, done, expected):
    assert rules.status(deadline=DEADLINE, percent=percent, today=today, start=START, done=done) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [(D(2025, 6, 1), 0), (START, 0), (D(2026, 7, 2), 50), (DEADLINE, 100), (D(2027, 6, 1), 100)],
)
def test_expected_percent_follows_a_straight_path(today, expected):
    assert rules.expected_percent(START, DEADLINE, today) == expected


@pytest.mark.parametrize(
    ("today", "done", "expected"),
    [(D(2026, 12, 31), False, False), (D(2027, 1, 1), False, True), (D(2027, 1, 1), True, False)],
)
def test_overdue_is_after_the_deadline_and_not_done(today, done, expected):
    assert rules.is_overdue(deadline=DEADLINE, today=today, done=done) is expected


@pytest.mark.parametrize(
    ("last_report", "today", "done", "expected"),
    [
        (None, D(2026, 3, 31), False, False),  # 89 days since the start
        (None, D(2026, 4, 1), False, True),  # 90 days, never reported
        (D(2026, 3, 1), D(2026, 5, 29), False, False),  # 89 days since the last report
        (D(2026, 3, 1), D(2026, 5, 30), False, True),
        (D(2026, 3, 1), D(2027, 3, 1), True, False),  # a finished item has nothing left to report
    ],
)
def test_silence_counts_days_since_the_last_report_or_the_start(last_report, today, done, expected):
    assert rules.is_silent(last_report=last_report, since=START, today=today, days=90, done=done) is expected


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (PlanState.DRAFT, PlanState.SUBMITTED, True),
        (PlanState.DRAFT, PlanState.ACCEPTED, False),
        (PlanState.SUBMITTED, PlanState.ACCEPTED, True),
        (PlanState.SUBMITTED, PlanState.RETURNED, True),
        (PlanState.RETURNED, PlanState.SUBMITTED, True),
        (PlanState.RETURNED, PlanState.ACCEPTED, False),
        (PlanState.ACCEPTED, PlanState.RETURNED, False),
        (PlanState.ACCEPTED, PlanState.SUBMITTED, False),
    ],
)
def test_plan_transitions(current, target, allowed):
    assert rules.can_move(current, target) is allowed


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], None),
        ([Status.DONE, Status.ON_TRACK], Status.ON_TRACK),
        ([Status.DONE, Status.AT_RISK, Status.ON_TRACK], Status.AT_RISK),
        ([Status.OVERDUE, Status.DONE], Status.OVERDUE),
        ([Status.DONE], Status.DONE),
    ],
)
def test_a_task_is_as_late_as_its_latest_part(statuses, expected):
    assert rules.worst(statuses) == expected


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (8, "八"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三"), (99, "九十九")]
)
def test_chinese_section_numbers(n, text):
    assert rules.chinese_number(n) == text
    assert rules.section(n) == f"{text}、"
    assert rules.subsection(n) == f"（{text}）"


def test_period_problems():
    assert rules.period_problem(2026, 2030) is None
    assert rules.period_problem(2017, 2020) is None
    assert rules.period_problem(2030, 2026)
    assert rules.period_problem(2020, 2031)
