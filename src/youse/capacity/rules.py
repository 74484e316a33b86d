"""Pure rules of electrolytic aluminium capacity replacement (policy clause 二(七), FACTS.md).

No ORM, no I/O: the service layer gathers the facts into the dataclasses below, these functions judge
them, and tests/capacity/test_rules.py holds their tables. Each rule is a named function with its
citation, returning a RuleResult that says whether it passed and why, in words an applicant can act on.

Tonnes are whole tonnes a year (t/yr), the unit of the filing documents' design capacity."""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

# Messages are in the reader's language (zh-hans first); translation is a lookup, not I/O, and the rules
# stay free of the ORM and of any state.
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# --- Where a tonne is: the ledger's holdings ---------------------------------------------------------


class Holding(StrEnum):
    ACTIVE = "active"  # a unit runs on it
    AVAILABLE = "available"  # closed, eligible, not yet used
    RESERVED = "reserved"  # claimed by one submitted scheme
    CONSUMED = "consumed"  # used by an approved scheme: never usable again
    LAPSED = "lapsed"  # not used by its deadline
    INELIGIBLE = "ineligible"  # never compliant, or found ineligible (an upheld objection)
    TRANSFERRED_OUT = "transferred_out"  # left the province under another province's scheme


# Tonnes still in the province's hands; the rest have left the ledger for good.
HELD = (Holding.ACTIVE, Holding.AVAILABLE, Holding.RESERVED)
GONE = (Holding.CONSUMED, Holding.LAPSED, Holding.INELIGIBLE, Holding.TRANSFERRED_OUT)


class Movement(StrEnum):
    """The kinds of journal entry, each with the only holdings it may move between."""

    REGISTER = "register"  # in: an indicator enters the ledger
    TRANSFER_IN = "transfer_in"  # in: bought from another province
    CLOSE = "close"  # active → available: the unit closed, its capacity may be replaced
    REOPEN = "reopen"  # available → active: a closed unit restarted before its tonnes were used
    RESERVE = "reserve"  # available → reserved by a submitted scheme
    RELEASE = "release"  # reserved → available: scheme withdrawn, rejected or sent back
    CONSUME = "consume"  # reserved → consumed: scheme approved
    CUT = "cut"  # reserved → ineligible: an upheld objection found these tonnes ineligible
    DISQUALIFY = "disqualify"  # available/active → ineligible
    LAPSE = "lapse"  # available → lapsed: past the use-by date
    TRANSFER_OUT = "transfer_out"  # available → transferred out of the province


H = Holding
ALLOWED_MOVES: dict[Movement, frozenset[tuple[Holding | None, Holding]]] = {
    Movement.REGISTER: frozenset({(None, H.ACTIVE), (None, H.AVAILABLE), (None, H.INELIGIBLE), (None, H.LAPSED)}),
    Movement.TRANSFER_IN: frozenset({(None, H.AVAILABLE)}),
    Movement.CLOSE: frozenset({(H.ACTIVE, H.AVAILABLE)}),
    Movement.REOPEN: frozenset({(H.AVAILABLE, H.ACTIVE)}),
    Movement.RESERVE: frozenset({(H.AVAILABLE, H.RESERVED)}),
    Movement.RELEASE: frozenset({(H.RESERVED, H.AVAILABLE)}),
    Movement.CONSUME: frozenset({(H.RESERVED, H.CONSUMED)}),
    Movement.CUT: frozenset({(H.RESERVED, H.INELIGIBLE)}),
    Movement.DISQUALIFY: frozenset({(H.AVAILABLE, H.INELIGIBLE), (H.ACTIVE, H.INELIGIBLE)}),
    Movement.LAPSE: frozenset({(H.AVAILABLE, H.LAPSED)}),
    Movement.TRANSFER_OUT: frozenset({(H.AVAILABLE, H.TRANSFERRED_OUT)}),
}


class MoveError(ValueError):
    pass


def check_move(kind: str, source: str | None, target: str, tonnes: int) -> None:
    """Raise MoveError unless `kind` may move `tonnes` from `source` (None: into the ledger) to `target`."""
    try:
        movement = Movement(kind)
        pair = (Holding(source) if source else None, Holding(target))
    except ValueError as exc:
        raise MoveError(str(exc)) from None
    if pair not in ALLOWED_MOVES[movement]:
        raise MoveError(f"a {movement.value} entry cannot move tonnes from {source or 'outside'} to {target}")
    if not isinstance(tonnes, int) or tonnes <= 0:
        raise MoveError(f"a journal entry moves a positive whole number of tonnes, not {tonnes!r}")


@dataclass(frozen=True)
class Entry:
    """One journal entry as the balance check sees it."""

    source: str | None
    target: str
    tonnes: int


def holdings_from_journal(entries: Iterable[Entry]) -> dict[Holding, int]:
    """Replay a journal: the tonnes in each holding. Raises MoveError if any prefix goes negative."""
    held = {h: 0 for h in Holding}
    for e in entries:
        if e.source:
            held[Holding(e.source)] -= e.tonnes
            if held[Holding(e.source)] < 0:
                raise MoveError(f"the journal takes {e.tonnes} t from {e.source} holding less")
        held[Holding(e.target)] += e.tonnes
    return held


def balances(entries: Iterable[Entry]) -> bool:
    """Tonnes in = tonnes out + tonnes held, at every moment of the journal."""
    tonnes_in = 0
    held = {h: 0 for h in Holding}
    for e in entries:
        if not e.source:
            tonnes_in += e.tonnes
        else:
            held[Holding(e.source)] -= e.tonnes
            if held[Holding(e.source)] < 0:
                return False
        held[Holding(e.target)] += e.tonnes
        out = sum(held[h] for h in GONE)
        if tonnes_in != out + sum(held[h] for h in HELD):
            return False
    return True


# --- Scheme life cycle ----------------------------------------------------------------------------


class SchemeState(StrEnum):
    DRAFT = "draft"  # the applicant edits; also where a scheme sent back by an objection returns
    SUBMITTED = "submitted"  # rules passed, exit tonnes reserved, awaiting publication
    NOTICE = "notice"  # 公示: published, objections open until notice_end
    REVIEW = "review"  # notice over; objections considered
    APPROVED = "approved"  # exit tonnes consumed, new capacity active
    ANNOUNCED = "announced"  # 公告 published
    REJECTED = "rejected"  # reservations released
    WITHDRAWN = "withdrawn"  # reservations released


S = SchemeState
SCHEME_TRANSITIONS: dict[SchemeState, frozenset[SchemeState]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.NOTICE, S.DRAFT, S.REJECTED, S.WITHDRAWN}),
    S.NOTICE: frozenset({S.REVIEW, S.DRAFT, S.WITHDRAWN}),
    S.REVIEW: frozenset({S.APPROVED, S.REJECTED, S.DRAFT, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.ANNOUNCED}),
    S.ANNOUNCED: frozenset(),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
# States in which the scheme holds reservations on its exit tonnes.
RESERVING = frozenset({S.SUBMITTED, S.NOTICE, S.REVIEW})
EDITABLE = frozenset({S.DRAFT})


class SchemeTransitionError(ValueError):
    pass


def check_scheme_transition(current: str, target: str) -> None:
    cur, tgt = SchemeState(current), SchemeState(target)
    if tgt not in SCHEME_TRANSITIONS[cur]:
        allowed = ", ".join(sorted(s.value for s in SCHEME_TRANSITIONS[cur])) or "none (final)"
        raise SchemeTransitionError(f"{cur.value} → {tgt.value} is not allowed; from {cur.value}: {allowed}")


# --- Working days (public notice) -----------------------------------------------------------------


def is_working_day(day: dt.date, calendar: Mapping[dt.date, bool]) -> bool:
    """`calendar` holds the exceptions: True for an adjusted working day (调休上班), False for a holiday."""
    if day in calendar:
        return calendar[day]
    return day.weekday() < 5


def notice_window(
    published_on: dt.date, working_days: int, calendar: Mapping[dt.date, bool]
) -> tuple[dt.date, dt.date]:
    """First and last day of a public notice of `working_days` working days.

    The notice starts on the day it is published when that is a working day, else on the next working
    day, and ends on its last working day inclusive: objections filed on that day still count."""
    if working_days < 1:
        raise ValueError("a notice lasts at least one working day")
    day = published_on
    while not is_working_day(day, calendar):
        day += dt.timedelta(days=1)
    start, counted = day, 1
    while counted < working_days:
        day += dt.timedelta(days=1)
        if is_working_day(day, calendar):
            counted += 1
    return start, day


# --- Facts the scheme rules judge -----------------------------------------------------------------


class BasisKind(StrEnum):
    CLEANUP_2017 = "cleanup_2017"  # on the 2017 clean-up compliance lists
    BUILT_COMPLIANT = "built_compliant"  # built compliantly from October 2017 on
    ELIMINATION = "elimination"  # closed and listed in an elimination announcement
    REPLACEMENT = "replacement"  # built under an approved replacement scheme
    TRANSFER_IN = "transfer_in"  # bought from another province, with its announcement
    NONE = "none"  # no compliance basis: never usable


# Capacity built compliantly counts only from this date (FACTS.md, 2017 clean-up).
BUILT_COMPLIANT_FROM = dt.date(2017, 10, 1)
# Capacity closed before 2013 counts only when an elimination announcement lists it.
EARLY_CLOSURE_BEFORE = dt.date(2013, 1, 1)


class Route(StrEnum):
    OWN = "own"  # the applicant's own closed capacity
    PURCHASE = "purchase"  # bought from another enterprise
    INTRA_GROUP = "intra_group"  # transferred inside the applicant's group
    MERGER = "merger"  # from an enterprise the applicant merged with or acquired
    CROSS_PROVINCE = "cross_province"  # from another province


@dataclass(frozen=True)
class IndicatorFacts:
    code: str
    basis: str
    tonnes_available: int  # available, plus what this very scheme already reserves
    owner_id: int
    owner_name: str
    owner_group: str = ""
    closed_on: dt.date | None = None
    built_on: dt.date | None = None
    announced: bool = False  # in an elimination announcement
    use_by: dt.date | None = None
    elimination_deadline: dt.date | None = None
    transfer_reference: str = ""


@dataclass(frozen=True)
class ExitFacts:
    label: str  # how the report names the line, e.g. its indicator code and enterprise
    tonnes: int
    indicator: IndicatorFacts
    dismantling_due: dt.date | None
    acquisition_document: str = ""


@dataclass(frozen=True)
class SchemeFacts:
    capacity_t: int
    region_ids: frozenset[int]  # the destination division and its parents
    planned_start: dt.date | None
    planned_production: dt.date | None
    energy_kwh_per_t: Decimal | None
    route: str
    applicant_id: int
    applicant_group: str
    exits: tuple[ExitFacts, ...]
    today: dt.date


@dataclass(frozen=True)
class RatioRow:
    """A required replacement ratio (reference data): exited ÷ new ≥ min_ratio, or no new capacity."""

    region_ids: frozenset[int]  # empty: the whole province
    region_name: str
    valid_from: dt.date
    valid_to: dt.date | None
    min_ratio: Decimal
    no_new_capacity: bool
    source: str
    verified: bool


@dataclass(frozen=True)
class EnergyRow:
    valid_from: dt.date
    valid_to: dt.date | None
    max_kwh_per_t: Decimal
    measure: str
    source: str
    verified: bool


@dataclass(frozen=True)
class RuleResult:
    code: str
    title: str
    citation: str
    passed: bool
    why: str
    unverified: bool = False  # judged against reference data the department has not yet confirmed

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "title": self.title,
            "citation": self.citation,
            "passed": self.passed,
            "why": self.why,
            "unverified": self.unverified,
        }


@dataclass(frozen=True)
class Report:
    results: tuple[RuleResult, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def failures(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.results if not r.passed)

    def as_dict(self) -> dict[str, object]:
        return {"passed": self.passed, "results": [r.as_dict() for r in self.results]}


Rule = Callable[[SchemeFacts, "Tables"], RuleResult]


@dataclass(frozen=True)
class Tables:
    ratios: tuple[RatioRow, ...] = ()
    energy: tuple[EnergyRow, ...] = ()


RULES: list[tuple[str, object, str, Rule]] = []


def rule(code: str, title: object, citation: str) -> Callable[[Callable], Rule]:
    def register(fn: Callable) -> Rule:
        def run(facts: SchemeFacts, tables: Tables) -> RuleResult:
            passed, why, unverified = fn(facts, tables)
            return RuleResult(code, str(title), citation, passed, why, unverified)

        run.__name__ = fn.__name__
        run.__doc__ = fn.__doc__
        RULES.append((code, title, citation, run))
        return run

    return register


def _valid(row_from: dt.date, row_to: dt.date | None, day: dt.date) -> bool:
    return row_from <= day and (row_to is None or day <= row_to)


def applicable_ratio(facts: SchemeFacts, rows: Iterable[RatioRow]) -> RatioRow | None:
    """The most specific row in force for the destination on the planned start date (today without one)."""
    day = facts.planned_start or facts.today
    candidates = [
        r
        for r in rows
        if _valid(r.valid_from, r.valid_to, day) and (not r.region_ids or r.region_ids & facts.region_ids)
    ]
    # A regional row beats the province-wide one; a later row beats an earlier one.
    candidates.sort(key=lambda r: (bool(r.region_ids), r.valid_from))
    return candidates[-1] if candidates else None


@rule(
    "ratio",
    gettext_lazy("Replacement ratio"),
    "二(七); 工信部《电解铝行业产能置换实施办法》: 等量或减量置换",
)
def replacement_ratio(facts: SchemeFacts, tables: Tables) -> tuple[bool, str, bool]:
    """Exited ÷ new ≥ the ratio required where and when the new line is built; none at all where banned."""
    exited = sum(e.tonnes for e in facts.exits)
    row = applicable_ratio(facts, tables.ratios)
    if facts.capacity_t <= 0:
        return False, _("The new line's capacity must be a positive number of tonnes a year."), False
    if row is None:
        return (
            False,
            _("No replacement ratio is in force for this region and date: the department must set one."),
            False,
        )
    if row.no_new_capacity:
        return (
            False,
            _("%(region)s: no new electrolytic aluminium capacity may be added from %(date)s (%(source)s).")
            % {"region": row.region_name, "date": row.valid_from, "source": row.source},
            not row.verified,
        )
    ratio = Decimal(exited) / Decimal(facts.capacity_t)
    need = row.min_ratio
    shown = _("%(exited)s t exited ÷ %(new)s t new = %(ratio)s; %(region)s requires ≥ %(need)s") % {
        "exited": f"{exited:,}",
        "new": f"{facts.capacity_t:,}",
        "ratio": f"{ratio:.3f}",
        "region": row.region_name,
        "need": need,
    }
    if ratio >= need:
        return True, _("%(shown)s.") % {"shown": shown}, not row.verified
    short = int((need * facts.capacity_t - exited).to_integral_value(rounding="ROUND_CEILING"))
    more = _("%(shown)s: %(short)s t more exit capacity needed.") % {"shown": shown, "short": f"{short:,}"}
    return False, more, not row.verified


def _eligibility_problems(e: ExitFacts, today: dt.date) -> list[str]:
    ind = e.indicator
    problems = []
    if ind.basis == BasisKind.NONE:
        problems.append(_("it has no compliance basis (not on the 2017 clean-up lists, not built compliantly)"))
    if ind.basis == BasisKind.BUILT_COMPLIANT and ind.built_on and ind.built_on < BUILT_COMPLIANT_FROM:
        problems.append(
            _("it was built on %(date)s, before compliant construction counts (October 2017)") % {"date": ind.built_on}
        )
    if ind.closed_on and ind.closed_on < EARLY_CLOSURE_BEFORE and not ind.announced:
        problems.append(
            _("it closed on %(date)s, before 2013, and no elimination announcement lists it") % {"date": ind.closed_on}
        )
    if ind.basis == BasisKind.TRANSFER_IN and not ind.transfer_reference.strip():
        problems.append(_("it came from another province without that province's transfer announcement"))
    if ind.use_by and today > ind.use_by:
        problems.append(_("it had to be used by %(date)s and has lapsed") % {"date": ind.use_by})
    if ind.elimination_deadline and today > ind.elimination_deadline:
        problems.append(_("it is past its elimination deadline of %(date)s") % {"date": ind.elimination_deadline})
    if e.tonnes > ind.tonnes_available:
        problems.append(
            _("%(claimed)s t are claimed but only %(available)s t are available")
            % {"claimed": f"{e.tonnes:,}", "available": f"{ind.tonnes_available:,}"}
        )
    if e.tonnes <= 0:
        problems.append(_("a line must exit a positive number of tonnes"))
    return problems


@rule(
    "eligible",
    gettext_lazy("Every exit tonne eligible"),
    "二(七); 发改产业〔2017〕656号 清理整顿电解铝行业违法违规项目: 仅合规、未使用、未失效的产能可用于置换",
)
def exit_tonnes_eligible(facts: SchemeFacts, tables: Tables) -> tuple[bool, str, bool]:
    """Each exit line: compliance basis, not lapsed, not used elsewhere, not past its elimination deadline."""
    if not facts.exits:
        return False, _("The scheme lists no exit capacity."), False
    bad = []
    for e in facts.exits:
        problems = _eligibility_problems(e, facts.today)
        if problems:
            bad.append(_("%(line)s: %(problems)s") % {"line": e.label, "problems": _("; ").join(problems)})
    if bad:
        return False, _(" / ").join(bad), False
    total = sum(e.tonnes for e in facts.exits)
    why = _("All %(n)s exit lines (%(t)s t) are eligible.") % {"n": len(facts.exits), "t": f"{total:,}"}
    return True, why, False


@rule(
    "dismantling",
    gettext_lazy("Dismantled before the new line produces"),
    "二(七); 《电解铝行业产能置换实施办法》: 被置换产能须在新建项目投产前拆除",
)
def dismantling_before_production(facts: SchemeFacts, tables: Tables) -> tuple[bool, str, bool]:
    """Every exit line's dismantling is completed on or before the new line's planned production date."""
    if facts.planned_production is None:
        return False, _("The new line's planned production date is missing."), False
    late = []
    for e in facts.exits:
        if e.dismantling_due is None:
            late.append(_("%(line)s: no dismantling completion date") % {"line": e.label})
        elif e.dismantling_due > facts.planned_production:
            late.append(
                _("%(line)s: dismantled %(due)s, after production starts %(start)s")
                % {"line": e.label, "due": e.dismantling_due, "start": facts.planned_production}
            )
    if late:
        return False, _(" / ").join(late), False
    return True, _("All exit lines are dismantled by %(date)s.") % {"date": facts.planned_production}, False


@rule("energy", gettext_lazy("Energy threshold for new lines"), "GB 21346-2022; 电解铝行业节能降碳专项行动计划 (2024)")
def energy_threshold(facts: SchemeFacts, tables: Tables) -> tuple[bool, str, bool]:
    """The new line's design AC consumption is within the threshold in force when it starts producing."""
    day = facts.planned_production or facts.today
    rows = sorted((r for r in tables.energy if _valid(r.valid_from, r.valid_to, day)), key=lambda r: r.valid_from)
    if not rows:
        return True, _("No energy threshold is in force on %(date)s.") % {"date": day}, False
    row = rows[-1]
    if facts.energy_kwh_per_t is None:
        missing = _("The design %(measure)s is missing; the threshold is %(max)s kWh/t.")
        return False, missing % {"measure": row.measure, "max": row.max_kwh_per_t}, False
    values = {"measure": row.measure, "value": facts.energy_kwh_per_t, "max": row.max_kwh_per_t, "source": row.source}
    if facts.energy_kwh_per_t <= row.max_kwh_per_t:
        return (
            True,
            _("%(measure)s %(value)s kWh/t ≤ %(max)s kWh/t (%(source)s).") % values,
            not row.verified,
        )
    return (
        False,
        _("%(measure)s %(value)s kWh/t exceeds %(max)s kWh/t (%(source)s).") % values,
        not row.verified,
    )


@rule(
    "ownership",
    gettext_lazy("Ownership for mergers and intra-group transfers"),
    "二(七); 产能置换实施办法: 兼并重组、集团内置换",
)
def group_ownership(facts: SchemeFacts, tables: Tables) -> tuple[bool, str, bool]:
    """Intra-group: every exit owner is in the applicant's group. Merger: in the group or with the deal cited."""
    if facts.route not in (Route.INTRA_GROUP, Route.MERGER):
        return True, _("Not a merger or intra-group transfer: no ownership condition."), False
    group = facts.applicant_group.strip()
    bad = []
    for e in facts.exits:
        owner = e.indicator
        same = owner.owner_id == facts.applicant_id or (group and owner.owner_group.strip() == group)
        if same:
            continue
        if facts.route == Route.MERGER and e.acquisition_document.strip():
            continue
        if facts.route == Route.MERGER:
            msg = _(
                "%(line)s: owned by %(owner)s, outside group “%(group)s”, without the merger or acquisition document"
            )
        else:
            msg = _("%(line)s: owned by %(owner)s, outside group “%(group)s”, without membership of the group")
        bad.append(msg % {"line": e.label, "owner": owner.owner_name, "group": group or "—"})
    if bad:
        return False, _(" / ").join(bad), False
    if group:
        return True, _("Every exit owner belongs to %(group)s or is covered by its deal.") % {"group": group}, False
    return True, _("Every exit owner is the applicant or is covered by its deal."), False


def check(facts: SchemeFacts, tables: Tables) -> Report:
    """Run every rule, in order; the report names each rule, its citation and the reason."""
    return Report(tuple(run(facts, tables) for _code, _title, _cite, run in RULES))


# --- Violations -----------------------------------------------------------------------------------


def uncovered_tonnes(design_capacity_t: int, covered_t: int) -> int:
    """Tonnes of a running or building electrolysis unit that no active ledger entry covers."""
    return max(0, design_capacity_t - covered_t)


def output_excess(annualised_output_t: Decimal, covered_t: int, tolerance: Decimal) -> Decimal:
    """Output that implies more capacity than the ledger covers, beyond a tolerance (e.g. 0.10 for 10%)."""
    allowed = Decimal(covered_t) * (1 + tolerance)
    return max(Decimal(0), annualised_output_t - allowed)
