"""Pure rules of support funds (clause 三(四)) and reserves (clause 三(六)): the application window, the
category budget, disbursements within the approved amount, the applications' life cycle, the reserve
ledger that never goes below zero, and plan periods that must not overlap. No ORM, no I/O; tables in
tests/support/test_rules.py. Reasons are returned in the reader's language."""

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _


class Category(StrEnum):
    """The five kinds of project the provincial fund supports (三(四))."""

    GREEN = "green"  # 绿色化改造
    INTELLIGENT = "intelligent"  # 智能化改造
    HIGH_END = "high_end"  # 高端制造
    BRAND = "brand"  # 品牌建设
    PLATFORM = "platform"  # 公共服务平台


class CallState(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


CALL_TRANSITIONS: dict[CallState, frozenset[CallState]] = {
    CallState.DRAFT: frozenset({CallState.OPEN}),
    # A call closed early by mistake may be reopened while its window lasts.
    CallState.OPEN: frozenset({CallState.CLOSED}),
    CallState.CLOSED: frozenset({CallState.OPEN}),
}


class AppState(StrEnum):
    DRAFT = "draft"  # the enterprise is writing it
    SUBMITTED = "submitted"  # with its city
    RETURNED = "returned"  # the city sent it back with a reason; the enterprise may correct and resubmit
    RECOMMENDED = "recommended"  # the city recommends it to the department
    APPROVED = "approved"  # the department approved an amount; disbursements follow
    REJECTED = "rejected"
    ACCEPTED = "accepted"  # acceptance (验收) passed
    FAILED = "failed"  # acceptance failed; repayment may be required


APP_TRANSITIONS: dict[AppState, frozenset[AppState]] = {
    AppState.DRAFT: frozenset({AppState.SUBMITTED}),
    AppState.SUBMITTED: frozenset({AppState.RECOMMENDED, AppState.RETURNED}),
    AppState.RETURNED: frozenset({AppState.SUBMITTED}),
    AppState.RECOMMENDED: frozenset({AppState.APPROVED, AppState.REJECTED}),
    AppState.APPROVED: frozenset({AppState.ACCEPTED, AppState.FAILED}),
    AppState.REJECTED: frozenset(),
    AppState.ACCEPTED: frozenset(),
    AppState.FAILED: frozenset(),
}
# The enterprise may change its application only while it holds it.
EDITABLE = frozenset({AppState.DRAFT, AppState.RETURNED})
# Money may be paid on an approved project, and the final instalment after a passed acceptance.
PAYABLE = frozenset({AppState.APPROVED, AppState.ACCEPTED})


class TransitionError(ValueError):
    pass


def check_transition(table: dict, current: str, target: str) -> None:
    """Raise TransitionError unless `table` (CALL_ or APP_TRANSITIONS) allows current → target."""
    kind = type(next(iter(table)))
    try:
        cur, tgt = kind(current), kind(target)
    except ValueError as exc:
        raise TransitionError(str(exc)) from None
    if tgt not in table[cur]:
        allowed = ", ".join(sorted(s.value for s in table[cur])) or "none (final)"
        raise TransitionError(f"{cur.value} → {tgt.value} is not allowed; from {cur.value}: {allowed}")


def window_problem(state: str, opens_on: dt.date, closes_on: dt.date, on: dt.date) -> str | None:
    """Why an application cannot be submitted to a call on `on`, or None."""
    if state != CallState.OPEN:
        return _("The call is not open for applications.")
    if on < opens_on:
        return _("The call opens on %(d)s.") % {"d": opens_on.isoformat()}
    if on > closes_on:
        return _("The call closed on %(d)s.") % {"d": closes_on.isoformat()}
    return None


def window_dates_problem(opens_on: dt.date | None, closes_on: dt.date | None) -> str | None:
    if opens_on is None or closes_on is None:
        return _("Give the dates the window opens and closes.")
    if closes_on < opens_on:
        return _("The window cannot close (%(c)s) before it opens (%(o)s).") % {
            "c": closes_on.isoformat(),
            "o": opens_on.isoformat(),
        }
    return None


def amount_problem(amount: Decimal, requested: Decimal) -> str | None:
    """An approved amount: positive and not above what was requested."""
    if amount <= 0:
        return _("The approved amount must be above zero.")
    if amount > requested:
        return _("%(a)s 万元 is more than the %(r)s 万元 requested.") % {"a": amount, "r": requested}
    return None


def budget_problem(budget: Decimal | None, approved_so_far: Decimal, amount: Decimal, label: str = "") -> str | None:
    """The amounts approved in a category (or a call without category budgets) stay within its budget.
    `budget` None: no budget was set, nothing to exceed."""
    if budget is None:
        return None
    if approved_so_far + amount > budget:
        return _(
            "The budget of %(label)s is %(b)s 万元; %(s)s 万元 is approved already, so at most %(left)s 万元 is left, "
            "not %(a)s 万元."
        ) % {"label": label, "b": budget, "s": approved_so_far, "left": max(budget - approved_so_far, 0), "a": amount}
    return None


def disbursement_problem(approved: Decimal | None, disbursed_so_far: Decimal, amount: Decimal) -> str | None:
    """Each disbursement is positive; together they never exceed the approved amount."""
    if amount <= 0:
        return _("A disbursement must be above zero.")
    if approved is None:
        return _("Nothing was approved: nothing can be paid.")
    if disbursed_so_far + amount > approved:
        message = _("%(s)s 万元 of the %(a)s 万元 approved is paid already: at most %(left)s 万元 more, not %(n)s.")
        return message % {
            "s": disbursed_so_far,
            "a": approved,
            "left": approved - disbursed_so_far,
            "n": amount,
        }
    return None


def repayment_problem(disbursed: Decimal, amount: Decimal) -> str | None:
    """Repayment after a failed acceptance: positive and no more than was paid out."""
    if amount <= 0:
        return _("A repayment must be above zero.")
    if amount > disbursed:
        return _("Only %(d)s 万元 was paid out: the repayment cannot be %(a)s 万元.") % {"d": disbursed, "a": amount}
    return None


def achievement(expected: Decimal | None, achieved: Decimal | None) -> Decimal | None:
    """The achieved share of an expected outcome, in percent (one decimal), or None when unknown."""
    if expected is None or achieved is None or expected <= 0:
        return None
    return (achieved / expected * 100).quantize(Decimal("0.1"))


# --- Reserves ---------------------------------------------------------------------------------------


class ReserveKind(StrEnum):
    GOVERNMENT = "government"  # 政府储备
    COMMERCIAL = "commercial"  # 商业储备


class MovementKind(StrEnum):
    IN = "in"  # 入库
    OUT = "out"  # 出库
    ROTATION = "rotation"  # 轮换: old stock out, the same quantity of new stock in; the balance holds


class LedgerError(ValueError):
    pass


def balance_after(kind: str, balance: Decimal, quantity: Decimal) -> Decimal:
    """The stock after one movement; raises LedgerError for a movement the stock cannot bear."""
    kind = MovementKind(kind)
    if quantity <= 0:
        raise LedgerError(_("The quantity must be above zero."))
    if kind == MovementKind.IN:
        return balance + quantity
    if quantity > balance:
        verb = _("rotate") if kind == MovementKind.ROTATION else _("take out")
        raise LedgerError(
            _("The holding has %(b)s t: it cannot %(verb)s %(q)s t.") % {"b": balance, "verb": verb, "q": quantity}
        )
    return balance - quantity if kind == MovementKind.OUT else balance


def movement_date_problem(moved_on: dt.date, last: dt.date | None, today: dt.date) -> str | None:
    """Movements are entered in order: not in the future, not before the ledger's last entry."""
    if moved_on > today:
        return _("A movement cannot be dated in the future.")
    if last is not None and moved_on < last:
        return _("The ledger's last movement is dated %(d)s: enter movements in order.") % {"d": last.isoformat()}
    return None


def periods_overlap(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def period_problem(starts_on: dt.date | None, ends_on: dt.date | None) -> str | None:
    if starts_on is None or ends_on is None:
        return _("Give the period's first and last day.")
    if ends_on < starts_on:
        return _("The period cannot end before it starts.")
    return None


def fill_rate(target: Decimal | None, held: Decimal) -> Decimal | None:
    """Stock held against the plan's target, in percent (one decimal)."""
    if not target:
        return None
    return (held / target * 100).quantize(Decimal("0.1"))
