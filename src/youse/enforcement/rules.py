"""Pure rules of the enforcement workflow (clauses 二(八), 三(三), 三(七)): the life cycles of orders, closures
and announcements, checklist verdicts, the resettlement gate, the land transition date, dates that must
agree. No ORM, no I/O; tables in tests/enforcement/test_rules.py."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _


class Dimension(StrEnum):
    """The five dimensions of the survey ordered by clause 二(八)."""

    ENVIRONMENT = "environment"
    ENERGY = "energy"
    QUALITY = "quality"
    SAFETY = "safety"
    TECHNOLOGY = "technology"


class Source(StrEnum):
    CAMPAIGN = "campaign"  # a planned survey campaign
    MONITORING = "monitoring"  # repeated exceedances at a monitoring point
    CAPACITY = "capacity"  # a capacity violation
    COMPLAINT = "complaint"  # entered by staff


class CaseStatus(StrEnum):
    PLANNED = "planned"  # on a campaign's list, not yet inspected
    OPEN = "open"  # inspected or reported; nothing outstanding decided yet
    PASSED = "passed"  # inspected and compliant
    RECTIFYING = "rectifying"  # an order is running
    ESCALATED = "escalated"  # an order failed or is overdue: the department must decide
    CLOSING = "closing"  # a closure is decided
    CLOSED = "closed"  # case finished (rectified, or the closure executed)


class OrderState(StrEnum):
    ISSUED = "issued"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"  # the enterprise reports the rectification done
    CLOSED = "closed"  # re-inspection passed
    FAILED = "failed"  # re-inspection failed


ORDER_TRANSITIONS: dict[OrderState, frozenset[OrderState]] = {
    OrderState.ISSUED: frozenset({OrderState.IN_PROGRESS, OrderState.SUBMITTED}),
    OrderState.IN_PROGRESS: frozenset({OrderState.SUBMITTED}),
    # A re-inspection closes the order or fails it; it can also find the work not done yet and send the
    # order back to in progress within its deadline.
    OrderState.SUBMITTED: frozenset({OrderState.CLOSED, OrderState.FAILED, OrderState.IN_PROGRESS}),
    OrderState.CLOSED: frozenset(),
    OrderState.FAILED: frozenset(),
}
# Orders whose deadline can pass: the enterprise has not yet reported the work done.
RUNNING_ORDERS = frozenset({OrderState.ISSUED, OrderState.IN_PROGRESS})


class ClosureState(StrEnum):
    PROPOSED = "proposed"  # escalated, awaiting the department's decision
    DECIDED = "decided"  # 关停退出 decided; waiting for the resettlement gate
    EXECUTED = "executed"  # units closed in the registry (and the ledger)
    WITHDRAWN = "withdrawn"  # decided not to close


CLOSURE_TRANSITIONS: dict[ClosureState, frozenset[ClosureState]] = {
    ClosureState.PROPOSED: frozenset({ClosureState.DECIDED, ClosureState.WITHDRAWN}),
    ClosureState.DECIDED: frozenset({ClosureState.EXECUTED, ClosureState.WITHDRAWN}),
    ClosureState.EXECUTED: frozenset(),
    ClosureState.WITHDRAWN: frozenset(),
}


class TransitionError(ValueError):
    pass


def check_transition(table: dict, current: str, target: str) -> None:
    """Raise TransitionError unless `table` (ORDER_ or CLOSURE_TRANSITIONS) allows current → target."""
    kind = type(next(iter(table)))
    try:
        cur, tgt = kind(current), kind(target)
    except ValueError as exc:
        raise TransitionError(str(exc)) from None
    if tgt not in table[cur]:
        allowed = ", ".join(sorted(s.value for s in table[cur])) or "none (final)"
        raise TransitionError(f"{cur.value} → {tgt.value} is not allowed; from {cur.value}: {allowed}")


# --- Checklists ------------------------------------------------------------------------------------


class ItemKind(StrEnum):
    YES_NO = "yes_no"  # the requirement is met or not
    AT_MOST = "at_most"  # a measured value must not exceed the threshold
    AT_LEAST = "at_least"  # a measured value must reach the threshold


def item_passes(kind: str, threshold: Decimal | None, met: bool | None, measured: Decimal | None) -> bool | None:
    """The verdict on one checklist item: True, False, or None when it was not assessed."""
    kind = ItemKind(kind)
    if kind == ItemKind.YES_NO:
        return met
    if measured is None or threshold is None:
        return None
    return measured <= threshold if kind == ItemKind.AT_MOST else measured >= threshold


def inspection_verdict(results: list[bool | None], findings_failed: int = 0) -> str:
    """fail if any assessed item failed or a failing finding was recorded; pass if at least one item was
    assessed and none failed; pending when nothing was assessed."""
    if findings_failed or any(r is False for r in results):
        return "fail"
    if any(r is True for r in results):
        return "pass"
    return "pending"


# --- Resettlement gate (三(七)) ----------------------------------------------------------------------

HEADCOUNT_CATEGORIES = ("contract", "dispatched", "near_retirement", "other")


@dataclass(frozen=True)
class PlanFacts:
    cost: Decimal | None  # the plan's cost, 万元
    funding_amount: Decimal | None  # secured funding, 万元
    funding_source: str
    headcount: dict[str, int]
    measures: str
    schedule: str
    congress_date: dt.date | None
    votes_for: int | None
    votes_total: int | None
    minutes_uploaded: bool


@dataclass(frozen=True)
class GateCheck:
    code: str
    passed: bool
    why: str


def resettlement_gate(plan: PlanFacts | None) -> list[GateCheck]:
    """The three checks of clause 三(七); a closure executes only when all three pass."""
    if plan is None:
        missing = _("No staff resettlement plan has been recorded.")
        return [GateCheck(code, False, missing) for code in ("funding", "complete", "approved")]
    checks = []
    # Funding secured: an amount from a named source covering the plan's cost.
    if plan.cost is None or plan.cost <= 0:
        checks.append(GateCheck("funding", False, _("The plan states no cost, so its funding cannot be judged.")))
    elif not plan.funding_source.strip():
        checks.append(GateCheck("funding", False, _("The source of the funding is not named.")))
    elif plan.funding_amount is None or plan.funding_amount < plan.cost:
        checks.append(
            GateCheck(
                "funding",
                False,
                _("Secured funding %(have)s 万元 is less than the plan's cost %(cost)s 万元.")
                % {"have": plan.funding_amount or 0, "cost": plan.cost},
            )
        )
    else:
        checks.append(
            GateCheck(
                "funding",
                True,
                _("%(have)s 万元 secured from %(source)s covers the cost of %(cost)s 万元.")
                % {"have": plan.funding_amount, "source": plan.funding_source.strip(), "cost": plan.cost},
            )
        )
    # Plan complete: headcount by category, measures, costs, schedule.
    missing = []
    if sum(max(0, int(plan.headcount.get(c) or 0)) for c in HEADCOUNT_CATEGORIES) <= 0:
        missing.append(_("headcount by category"))
    if not plan.measures.strip():
        missing.append(_("measures"))
    if plan.cost is None or plan.cost <= 0:
        missing.append(_("costs"))
    if not plan.schedule.strip():
        missing.append(_("schedule"))
    if missing:
        checks.append(GateCheck("complete", False, _("Sections missing: %(s)s.") % {"s": _(", ").join(missing)}))
    else:
        checks.append(GateCheck("complete", True, _("Headcount, measures, costs and schedule are all present.")))
    # Approved by the workers' congress (or all staff): date, a majority of all votes, minutes.
    if plan.congress_date is None:
        checks.append(GateCheck("approved", False, _("No workers' congress (or all-staff) approval is recorded.")))
    elif not plan.votes_total or plan.votes_for is None or plan.votes_for * 2 <= plan.votes_total:
        checks.append(
            GateCheck(
                "approved",
                False,
                _("%(yes)s of %(all)s votes in favour is not a majority.")
                % {"yes": plan.votes_for or 0, "all": plan.votes_total or 0},
            )
        )
    elif not plan.minutes_uploaded:
        checks.append(GateCheck("approved", False, _("The minutes of the vote are not uploaded.")))
    else:
        checks.append(
            GateCheck(
                "approved",
                True,
                _("Approved on %(date)s, %(yes)s of %(all)s votes in favour, minutes on file.")
                % {"date": plan.congress_date, "yes": plan.votes_for, "all": plan.votes_total},
            )
        )
    return checks


def gate_passes(checks: list[GateCheck]) -> bool:
    return all(c.passed for c in checks)


# --- Land (三(三)) -------------------------------------------------------------------------------------


class LandRoute(StrEnum):
    TRANSFER = "transfer"  # 转让
    RECOVERY = "recovery"  # 收回 by the city or county
    CONVERSION = "conversion"  # 转产 to an encouraged service industry


TRANSITION_YEARS = 5


def transition_until(converted_on: dt.date) -> dt.date:
    """Converted to an encouraged service: the original use and rights may be kept five years (三(三))."""
    try:
        return converted_on.replace(year=converted_on.year + TRANSITION_YEARS)
    except ValueError:  # 29 February
        return converted_on.replace(year=converted_on.year + TRANSITION_YEARS, day=28)


# --- Dates that must agree ---------------------------------------------------------------------------


def date_problems(**dates: dt.date | None) -> dict[str, str]:
    """Contradictions among the dates of one step, keyed by the field to blame. Known pairs only:
    issued_on ≤ deadline, inspected_on ≤ today, decided_on ≤ effective_on, decided_on ≤ today."""
    today = dates.pop("today", None) or dt.date.today()
    out = {}
    issued, deadline = dates.get("issued_on"), dates.get("deadline")
    if issued and deadline and deadline <= issued:
        out["deadline"] = _("The deadline must fall after the order is issued (%(d)s).") % {"d": issued}
    if issued and issued > today:
        out["issued_on"] = _("An order cannot be issued in the future.")
    inspected = dates.get("inspected_on")
    if inspected and inspected > today:
        out["inspected_on"] = _("An inspection cannot be dated in the future.")
    after = dates.get("not_before")
    if inspected and after and inspected < after:
        out["inspected_on"] = _("This inspection cannot predate %(d)s.") % {"d": after}
    decided, effective = dates.get("decided_on"), dates.get("effective_on")
    if decided and decided > today:
        out["decided_on"] = _("A decision cannot be dated in the future.")
    if decided and effective and effective < decided:
        out["effective_on"] = _("Units cannot close before the decision (%(d)s).") % {"d": decided}
    converted = dates.get("converted_on")
    closed = dates.get("closed_on")
    if converted and closed and converted < closed:
        out["converted_on"] = _("The land cannot be converted before the site closed (%(d)s).") % {"d": closed}
    return out


# --- Announcement texts ------------------------------------------------------------------------------


def closure_announcement(
    enterprise: str, units: list[str], basis: str, document: str, effective_on: dt.date, province: str
) -> tuple[str, str]:
    """Title and body of a closure announcement (关停退出公告), generated from the decision; the department
    edits them before publishing."""
    title = _("Announcement on the closure and exit of %(e)s") % {"e": enterprise}
    body = _(
        "Under clause 二(八) of the %(province)s nonferrous metals industry policy, and on the basis of %(basis)s, "
        "the department has decided (%(document)s) that the following production units of %(e)s close and "
        "exit by %(date)s: %(units)s. This is hereby announced."
    ) % {
        "province": province,
        "basis": basis,
        "document": document,
        "e": enterprise,
        "date": effective_on,
        "units": _(", ").join(units),
    }
    return title, body


def rectification_list_announcement(campaign: str, rows: list[tuple[str, str, dt.date]]) -> tuple[str, str]:
    """The list of enterprises ordered to rectify: (enterprise, city, deadline) rows."""
    title = _("List of enterprises ordered to rectify: %(c)s") % {"c": campaign}
    lines = [_("%(e)s (%(city)s), by %(d)s") % {"e": e, "city": c, "d": d} for e, c, d in rows]
    body = _("The following enterprises must rectify within the deadline:") + "\n" + "\n".join(lines)
    return title, body


def survey_result_announcement(campaign: str, counts: dict[str, int]) -> tuple[str, str]:
    """Survey results in totals: inspected, passed, ordered to rectify, closing."""
    title = _("Results of the survey: %(c)s") % {"c": campaign}
    body = _(
        "%(inspected)s enterprises were inspected: %(passed)s passed, %(rectifying)s were ordered to rectify, "
        "%(closing)s are to close and exit."
    ) % {k: counts.get(k, 0) for k in ("inspected", "passed", "rectifying", "closing")}
    return title, body
