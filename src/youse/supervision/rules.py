"""Pure rules of supervision (closing paragraph of the policy): the status of a sub-task or milestone from
its dates and reported progress, overdue and silence, the city plan's life cycle, and the numbering of a
Chinese government report. No ORM, no I/O: the services and pages call these."""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    DONE = "done"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"


# Worst first: a task is as late as its latest sub-task.
SEVERITY = (Status.OVERDUE, Status.AT_RISK, Status.ON_TRACK, Status.DONE)
COLOURS = {Status.DONE: "success", Status.ON_TRACK: "primary", Status.AT_RISK: "warning", Status.OVERDUE: "danger"}

# Progress more than this many points behind the straight path from start to deadline is at risk, and so
# is anything short of RISK_PERCENT within RISK_DAYS of its deadline.
RISK_GAP = 25
RISK_DAYS = 30
RISK_PERCENT = 80


def expected_percent(start: dt.date, deadline: dt.date, today: dt.date) -> int:
    """Where a straight path from 0 % on `start` to 100 % on `deadline` stands on `today`."""
    if today <= start:
        return 0
    if today >= deadline or deadline <= start:
        return 100
    return round(100 * (today - start).days / (deadline - start).days)


def status(
    *, deadline: dt.date, percent: int, today: dt.date, start: dt.date | None = None, done: bool = False
) -> Status:
    if done or percent >= 100:
        return Status.DONE
    if today > deadline:
        return Status.OVERDUE
    if (deadline - today).days <= RISK_DAYS and percent < RISK_PERCENT:
        return Status.AT_RISK
    if start is not None and expected_percent(start, deadline, today) - percent > RISK_GAP:
        return Status.AT_RISK
    return Status.ON_TRACK


def is_overdue(*, deadline: dt.date, today: dt.date, done: bool) -> bool:
    return not done and today > deadline


def is_silent(*, last_report: dt.date | None, since: dt.date, today: dt.date, days: int, done: bool) -> bool:
    """An owner is silent on an open item when nothing was reported on it for `days` days, counted from
    its last report or, with none, from when the item was set (or started)."""
    if done:
        return False
    return (today - (last_report or since)).days >= days


def worst(statuses) -> Status | None:
    found = set(statuses)
    return next((s for s in SEVERITY if s in found), None)


# --- City plans ---------------------------------------------------------------------------------------


class PlanState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"


PLAN_TRANSITIONS: dict[PlanState, frozenset[PlanState]] = {
    PlanState.DRAFT: frozenset({PlanState.SUBMITTED}),
    PlanState.SUBMITTED: frozenset({PlanState.ACCEPTED, PlanState.RETURNED}),
    PlanState.RETURNED: frozenset({PlanState.SUBMITTED}),
    PlanState.ACCEPTED: frozenset(),
}
# The city edits its plan only while it is its own: before submission or after the department returned it.
EDITABLE = frozenset({PlanState.DRAFT, PlanState.RETURNED})


def can_move(current: str, target: str) -> bool:
    return PlanState(target) in PLAN_TRANSITIONS[PlanState(current)]


def period_problem(start_year: int, end_year: int) -> str | None:
    if end_year < start_year:
        return "end before start"
    if end_year - start_year > 10:
        return "longer than ten years"
    return None


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


# --- Report numbering ---------------------------------------------------------------------------------

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals, as section numbers are written: 一, 十, 十一, 二十三."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    return f"{'' if tens == 1 else _DIGITS[tens]}十{_DIGITS[ones] if ones else ''}"


def section(n: int) -> str:
    return f"{chinese_number(n)}、"


def subsection(n: int) -> str:
    return f"（{chinese_number(n)}）"


@dataclass(frozen=True)
class Tally:
    done: int = 0
    on_track: int = 0
    at_risk: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        return self.done + self.on_track + self.at_risk + self.overdue


def tally(statuses) -> Tally:
    counts = {s: 0 for s in Status}
    for s in statuses:
        counts[Status(s)] += 1
    return Tally(counts[Status.DONE], counts[Status.ON_TRACK], counts[Status.AT_RISK], counts[Status.OVERDUE])
