"""Who is eligible for credit support (clause 三(五)): pure evaluators over one enterprise's facts.

The department keeps the criteria as data (credit.models.Criterion: a kind from the fixed set below,
parameters, a label and the policy basis). Deriving an edition gathers every enterprise's `Facts` as of a
date, then calls `evaluate()` for each active criterion. Each evaluator answers pass or fail with a
reason that names the facts ("Rectification order YL-2017-003 overdue since 2018-06-30"), so an
exclusion can be explained to the enterprise and disputed. Nothing here reads the database."""

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

YI = Decimal(10000)  # 万元 in one 亿元


class Kind(StrEnum):
    IN_BUSINESS = "in_business"
    BACKBONE = "backbone"
    INSPECTION_PASSED = "inspection_passed"
    NO_OPEN_ORDER = "no_open_order"
    NO_EXCEEDANCE = "no_exceedance"
    NO_CAPACITY_VIOLATION = "no_capacity_violation"
    NO_CLOSURE = "no_closure"


@dataclass(frozen=True)
class InspectionFact:
    case: str
    inspected_on: dt.date
    verdict: str  # pass, fail, pending


@dataclass(frozen=True)
class OrderFact:
    code: str
    issued_on: dt.date
    deadline: dt.date
    state: str  # issued, in_progress, submitted, closed, failed
    closed_on: dt.date | None = None  # the passing re-inspection


@dataclass(frozen=True)
class ClosureFact:
    case: str
    state: str  # proposed, decided, executed, withdrawn
    decided_on: dt.date | None
    executed_on: dt.date | None
    document: str = ""


@dataclass(frozen=True)
class AlarmFact:
    started_on: dt.date
    factor: str


@dataclass(frozen=True)
class ViolationFact:
    kind: str  # the kind's label
    first_detected_on: dt.date
    resolved_on: dt.date | None = None


@dataclass(frozen=True)
class Facts:
    """What the registry, the statistics, enforcement, monitoring and the capacity ledger say about one
    enterprise, restricted to what was known by the edition's date."""

    status: str = "active"
    group_name: str = ""
    revenue_year: int | None = None
    revenue_wan: Decimal | None = None  # main business revenue of revenue_year, 万元
    revenue_months: int = 0
    latest_inspection: InspectionFact | None = None
    orders: tuple[OrderFact, ...] = ()
    closures: tuple[ClosureFact, ...] = ()
    alarms: tuple[AlarmFact, ...] = ()  # exceedance alarms
    violations: tuple[ViolationFact, ...] = ()


@dataclass(frozen=True)
class Outcome:
    passed: bool
    reason: str


@dataclass(frozen=True)
class Rule:
    code: str
    kind: str
    params: dict = field(default_factory=dict)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (the month's last day where it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def last_full_year(as_of: dt.date) -> int:
    """The last calendar year that had ended by `as_of` (the year itself on 31 December)."""
    return as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1


def yi(wan: Decimal) -> str:
    return f"{(wan / YI).quantize(Decimal('0.01'))}"


# --- The evaluators ------------------------------------------------------------------------------------


def in_business(f: Facts, params: dict, as_of: dt.date) -> Outcome:
    if f.status == "active":
        return Outcome(True, _("In business (registry)"))
    return Outcome(False, _("Closed in the registry"))


def backbone(f: Facts, params: dict, as_of: dt.date) -> Outcome:
    minimum = Decimal(str(params.get("min_revenue_yi", 0)))
    groups = [str(g) for g in params.get("key_groups") or []]
    figures = {"y": f.revenue_year, "min": minimum}
    if f.revenue_wan is not None and f.revenue_wan >= minimum * YI:
        text = _("%(y)s main business revenue %(r)s 亿元 ≥ %(min)s 亿元 (%(n)s accepted monthly reports)")
        return Outcome(True, text % {**figures, "r": yi(f.revenue_wan), "n": f.revenue_months})
    if f.group_name and f.group_name in groups:
        return Outcome(True, _("Member of a key group named by the department: %(g)s") % {"g": f.group_name})
    if f.revenue_year is None:
        return Outcome(False, _("No accepted annual statistics to judge revenue by"))
    if f.revenue_wan is None:
        return Outcome(False, _("No accepted monthly report for %(y)s") % figures)
    text = _("%(y)s main business revenue %(r)s 亿元 < %(min)s 亿元 (%(n)s accepted monthly reports)")
    return Outcome(False, text % {**figures, "r": yi(f.revenue_wan), "n": f.revenue_months})


def inspection_passed(f: Facts, params: dict, as_of: dt.date) -> Outcome:
    i = f.latest_inspection
    if i is None:
        return Outcome(False, _("Not inspected against the industry norms"))
    figures = {"d": i.inspected_on.isoformat(), "case": i.case}
    max_age = int(params.get("max_age_months") or 0)
    if max_age and i.inspected_on < months_before(as_of, max_age):
        text = _("Latest inspection on %(d)s (%(case)s) is older than %(n)s months")
        return Outcome(False, text % {**figures, "n": max_age})
    if i.verdict == "pass":
        return Outcome(True, _("Latest inspection on %(d)s (%(case)s) passed: meets the industry norms") % figures)
    if i.verdict == "fail":
        return Outcome(False, _("Latest inspection on %(d)s (%(case)s) failed the industry norms") % figures)
    return Outcome(False, _("Latest inspection on %(d)s (%(case)s) was not assessed") % figures)


def open_orders(f: Facts, as_of: dt.date) -> list[OrderFact]:
    """Orders issued by `as_of` and not rectified by then."""
    out = []
    for o in f.orders:
        if o.issued_on > as_of:
            continue
        if o.state == "closed" and (o.closed_on is None or o.closed_on <= as_of):
            continue
        out.append(o)
    return out


def no_open_order(f: Facts, params: dict, as_of: dt.date) -> Outcome:
    running = open_orders(f, as_of)
    if not running:
        return Outcome(True, _("No open rectification order"))
    parts = []
    for o in sorted(running, key=lambda o: (o.deadline, o.code)):
        figures = {"code": o.code, "d": o.deadline.isoformat()}
        if o.state == "failed":
            parts.append(_("Rectification order %(code)s failed its re-inspection") % figures)
        elif o.deadline < as_of:
            parts.append(_("Rectification order %(code)s overdue, not rectified (deadline %(d)s)") % figures)
        else:
            parts.append(_("Rectification order %(code)s open (deadline %(d)s)") % figures)
    return Outcome(False, "; ".join(parts))


def no_exceedance(f: Facts, params: dict, as_of: dt.date) -> Outcome:
    months = int(params.get("months") or 12)
    since = months_before(as_of, months)
    hits = [a for a in f.alarms if since < a.started_on <= as_of]
    if not hits:
        return Outcome(True, _("No exceedance alarm since %(since)s") % {"since": since.isoformat()})
    by_factor = Counter(a.factor for a in hits if a.factor)
    factors = ", ".join(f"{f} ×{n}" for f, n in sorted(by_factor.items(), key=lambda kv: (-kv[1], kv[0]))) or "—"
    text = ngettext(
        "%(n)s exceedance alarm since %(since)s (%(factors)s)",
        "%(n)s exceedance alarms since %(since)s (%(factors)s)",
        len(hits),
    )
    return Outcome(False, text % {"n": len(hits), "since": since.isoformat(), "factors": factors})


def no_capacity_violation(f: Facts, params: dict, as_of: dt.date) -> Outcome:
    running = [
        v for v in f.violations if v.first_detected_on <= as_of and (v.resolved_on is None or v.resolved_on > as_of)
    ]
    if not running:
        return Outcome(True, _("No open capacity violation"))
    parts = [
        _("Open capacity violation since %(d)s: %(kind)s") % {"d": v.first_detected_on.isoformat(), "kind": v.kind}
        for v in sorted(running, key=lambda v: v.first_detected_on)
    ]
    return Outcome(False, "; ".join(parts))


def no_closure(f: Facts, params: dict, as_of: dt.date) -> Outcome:
    parts = []
    for c in sorted(f.closures, key=lambda c: c.case):
        doc = f" {c.document}" if c.document else ""
        if c.state == "executed" and c.executed_on and c.executed_on <= as_of:
            parts.append(_("Closure %(case)s executed on %(d)s") % {"case": c.case, "d": c.executed_on.isoformat()})
        elif c.state in ("decided", "executed") and c.decided_on and c.decided_on <= as_of:
            text = _("Closure %(case)s decided on %(d)s%(doc)s")
            parts.append(text % {"case": c.case, "d": c.decided_on.isoformat(), "doc": doc})
    if not parts:
        return Outcome(True, _("No closure decided or executed"))
    return Outcome(False, "; ".join(parts))


EVALUATORS: dict[str, Callable[[Facts, dict, dt.date], Outcome]] = {
    Kind.IN_BUSINESS: in_business,
    Kind.BACKBONE: backbone,
    Kind.INSPECTION_PASSED: inspection_passed,
    Kind.NO_OPEN_ORDER: no_open_order,
    Kind.NO_EXCEEDANCE: no_exceedance,
    Kind.NO_CAPACITY_VIOLATION: no_capacity_violation,
    Kind.NO_CLOSURE: no_closure,
}

# The parameters each kind takes: name -> (type, required). Unknown names are refused.
PARAMS: dict[str, dict[str, tuple[type, bool]]] = {
    Kind.IN_BUSINESS: {},
    Kind.BACKBONE: {"min_revenue_yi": (Decimal, True), "key_groups": (list, False)},
    Kind.INSPECTION_PASSED: {"max_age_months": (int, False)},
    Kind.NO_OPEN_ORDER: {},
    Kind.NO_EXCEEDANCE: {"months": (int, True)},
    Kind.NO_CAPACITY_VIOLATION: {},
    Kind.NO_CLOSURE: {},
}


def check_params(kind: str, params: object) -> list[str]:
    """What is wrong with a criterion's parameters (empty: nothing)."""
    if kind not in PARAMS:
        return [_("Unknown kind of criterion: %(k)s") % {"k": kind}]
    if not isinstance(params, dict):
        return [_('Parameters are a JSON object, e.g. {"months": 12}.')]
    spec = PARAMS[kind]
    problems = [_("Unknown parameter: %(p)s") % {"p": name} for name in sorted(set(params) - set(spec))]
    for name, (kind_of, required) in spec.items():
        if name not in params:
            if required:
                problems.append(_("Parameter %(p)s is required.") % {"p": name})
            continue
        value = params[name]
        if kind_of is list:
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                problems.append(_("Parameter %(p)s is a list of names.") % {"p": name})
            continue
        try:
            number = Decimal(str(value)) if kind_of is Decimal else Decimal(int(str(value)))
        except (InvalidOperation, ValueError):
            problems.append(_("Parameter %(p)s is a number.") % {"p": name})
            continue
        if number < 0 or (kind_of is int and name in ("months",) and number < 1):
            problems.append(_("Parameter %(p)s must be positive.") % {"p": name})
    return problems


def evaluate(rule: Rule, facts: Facts, as_of: dt.date) -> Outcome:
    return EVALUATORS[rule.kind](facts, rule.params or {}, as_of)


def alarm_window_months(rules: list[Rule]) -> int:
    """How far back the exceedance alarms must be read for these criteria."""
    return max((int(r.params.get("months") or 12) for r in rules if r.kind == Kind.NO_EXCEEDANCE), default=0)
