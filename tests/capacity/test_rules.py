"""The pure rules of capacity replacement (capacity/rules.py), as tables: no database."""

import datetime as dt
import itertools
from dataclasses import replace
from decimal import Decimal

import pytest

from youse.capacity import reference_data, rules
from youse.capacity.rules import (
    ALLOWED_MOVES,
    EnergyRow,
    Entry,
    ExitFacts,
    Holding,
    IndicatorFacts,
    Movement,
    RatioRow,
    SchemeFacts,
    SchemeState,
    Tables,
)

D = dt.date
# Division ids as the rules see them: Yulin (not in the plain), Xi'an and Tongchuan (汾渭平原).
YULIN, XIAN, TONGCHUAN = 6108, 6101, 6102
PROVINCE = RatioRow(frozenset(), "全省", D(2013, 10, 6), None, Decimal("1.00"), False, "国发〔2013〕41号", True)
PLAIN = RatioRow(
    frozenset({XIAN, TONGCHUAN}), "汾渭平原", D(2025, 1, 1), None, Decimal("1.00"), True, "国发〔2023〕24号", False
)
ENERGY = EnergyRow(D(2025, 1, 1), None, Decimal("13000"), "铝液交流电耗", "GB 21346-2022", False)
TABLES = Tables(ratios=(PROVINCE, PLAIN), energy=(ENERGY,))
TODAY = D(2026, 11, 2)
DUE = D(2027, 12, 31)


def indicator(**kw) -> IndicatorFacts:
    base = dict(code="CN-A-OLD", basis="cleanup_2017", tonnes_available=150000, owner_id=1, owner_name="甲铝业")
    return IndicatorFacts(**{**base, **kw})


def exit_line(tonnes: int = 150000, due: D | None = DUE, document: str = "", **ind) -> ExitFacts:
    return ExitFacts(f"{ind.get('code', 'CN-A-OLD')} 甲铝业", tonnes, indicator(**ind), due, document)


def scheme(**kw) -> SchemeFacts:
    base = dict(
        capacity_t=150000,
        region_ids=frozenset({YULIN}),
        planned_start=D(2027, 3, 1),
        planned_production=D(2028, 6, 1),
        energy_kwh_per_t=Decimal("12900"),
        route="own",
        applicant_id=1,
        applicant_group="",
        exits=(exit_line(),),
        today=TODAY,
    )
    return SchemeFacts(**{**base, **kw})


def run(rule, facts: SchemeFacts, tables: Tables = TABLES) -> rules.RuleResult:
    return rule(facts, tables)


def test_a_sound_scheme_passes_every_rule_and_the_report_names_each():
    report = rules.check(scheme(), TABLES)
    assert report.passed and not report.failures
    assert [r.code for r in report.results] == ["ratio", "eligible", "dismantling", "energy", "ownership"]
    assert all(r.citation and r.title and r.why for r in report.results)
    assert report.as_dict()["passed"] is True


# --- Replacement ratio ---------------------------------------------------------------------------------

RATIO_CASES = [
    # (what, scheme overrides, passed, fragment of why)
    ("province one for one", {}, True, "150,000 t exited ÷ 150,000 t new = 1.000; 全省 requires ≥ 1.00."),
    ("more exited than new", {"capacity_t": 100000}, True, "= 1.500"),
    ("one tonne short", {"capacity_t": 150001}, False, "1 t more exit capacity needed"),
    ("ten thousand short", {"capacity_t": 160000}, False, "10,000 t more exit capacity needed"),
    ("the plain before 2025", {"region_ids": frozenset({TONGCHUAN}), "planned_start": D(2024, 12, 31)}, True, "全省"),
    ("the plain from 2025", {"region_ids": frozenset({TONGCHUAN}), "planned_start": D(2025, 1, 1)}, False,
     "汾渭平原: no new electrolytic aluminium capacity may be added from 2025-01-01"),
    ("Xi'an from 2025", {"region_ids": frozenset({XIAN, 61}), "planned_start": D(2027, 1, 1)}, False, "no new"),
    ("Yulin after 2025", {"planned_start": D(2030, 1, 1)}, True, "全省"),
    ("before any ratio", {"planned_start": D(2012, 1, 1)}, False, "No replacement ratio is in force"),
    ("no start date: today decides", {"planned_start": None, "region_ids": frozenset({TONGCHUAN})}, False, "no new"),
    ("no capacity", {"capacity_t": 0}, False, "positive number of tonnes"),
]  # fmt: skip


@pytest.mark.parametrize("what,overrides,passed,why", RATIO_CASES, ids=[c[0] for c in RATIO_CASES])
def test_replacement_ratio(what, overrides, passed, why):
    result = run(rules.replacement_ratio, scheme(**overrides))
    assert result.passed is passed
    assert why in result.why


def test_the_regional_ban_is_marked_unverified_and_the_province_row_is_not():
    banned = run(rules.replacement_ratio, scheme(region_ids=frozenset({TONGCHUAN})))
    assert banned.unverified and not banned.passed
    assert not run(rules.replacement_ratio, scheme()).unverified


def test_a_stricter_ratio_rounds_the_shortfall_up_to_whole_tonnes():
    strict = replace(PLAIN, min_ratio=Decimal("1.5"), no_new_capacity=False, region_name="示范区")
    result = run(rules.replacement_ratio, scheme(capacity_t=100001, region_ids=frozenset({XIAN})), Tables((strict,)))
    # 1.5 × 100,001 = 150,001.5 → 150,002 needed, 150,000 exited.
    assert not result.passed and "2 t more exit capacity needed" in result.why


def test_the_most_specific_and_latest_ratio_row_applies():
    later = replace(PROVINCE, valid_from=D(2026, 1, 1), min_ratio=Decimal("1.2"), region_name="全省（2026）")
    facts = scheme(planned_start=D(2026, 6, 1))
    assert rules.applicable_ratio(facts, (PROVINCE, later)) is later
    assert rules.applicable_ratio(replace(facts, region_ids=frozenset({XIAN})), (PROVINCE, later, PLAIN)) is PLAIN
    ended = replace(PROVINCE, valid_to=D(2020, 12, 31))
    assert rules.applicable_ratio(facts, (ended,)) is None


# --- Eligibility of every exit tonne ----------------------------------------------------------------

ELIGIBILITY_CASES = [
    # (what, exit line, passed, fragment)
    ("on the clean-up list", exit_line(), True, "All 1 exit lines (150,000 t) are eligible."),
    ("no basis", exit_line(basis="none"), False, "no compliance basis"),
    ("built compliantly in October 2017", exit_line(basis="built_compliant", built_on=D(2017, 10, 1)), True, ""),
    ("built before October 2017", exit_line(basis="built_compliant", built_on=D(2017, 9, 30)), False,
     "built on 2017-09-30, before compliant construction counts"),
    ("closed before 2013 without announcement", exit_line(basis="cleanup_2017", closed_on=D(2012, 12, 31)), False,
     "before 2013, and no elimination announcement lists it"),
    ("closed before 2013, announced", exit_line(basis="elimination", closed_on=D(2012, 12, 31), announced=True),
     True, ""),
    ("closed in 2013", exit_line(closed_on=D(2013, 1, 1)), True, ""),
    ("lapsed", exit_line(use_by=D(2026, 11, 1)), False, "had to be used by 2026-11-01 and has lapsed"),
    ("use-by today", exit_line(use_by=TODAY), True, ""),
    ("past the elimination deadline", exit_line(elimination_deadline=D(2026, 6, 30)), False,
     "past its elimination deadline of 2026-06-30"),
    ("transfer without reference", exit_line(basis="transfer_in"), False,
     "without that province's transfer announcement"),
    ("transfer with a blank reference", exit_line(basis="transfer_in", transfer_reference="  "), False, "transfer"),
    ("transfer with reference", exit_line(basis="transfer_in", transfer_reference="内蒙古公告2022年第15号"), True, ""),
    ("over-claim", exit_line(tonnes_available=100000), False, "150,000 t are claimed but only 100,000 t are available"),
    ("claims exactly what is there", exit_line(tonnes=100000, tonnes_available=100000), True, ""),
]  # fmt: skip


@pytest.mark.parametrize("what,line,passed,why", ELIGIBILITY_CASES, ids=[c[0] for c in ELIGIBILITY_CASES])
def test_exit_tonnes_eligible(what, line, passed, why):
    result = run(rules.exit_tonnes_eligible, scheme(capacity_t=line.tonnes, exits=(line,)))
    assert result.passed is passed
    assert why in result.why


def test_eligibility_names_every_problem_of_every_bad_line_and_only_those():
    good = exit_line(code="CN-GOOD", tonnes=50000)
    bad = exit_line(code="CN-BAD", tonnes=100000, basis="none", tonnes_available=80000, use_by=D(2020, 1, 1))
    result = run(rules.exit_tonnes_eligible, scheme(exits=(good, bad)))
    assert not result.passed
    assert "CN-BAD" in result.why and "CN-GOOD" not in result.why
    assert all(p in result.why for p in ("no compliance basis", "has lapsed", "only 80,000 t"))


def test_a_scheme_without_exit_lines_is_not_eligible():
    result = run(rules.exit_tonnes_eligible, scheme(exits=()))
    assert not result.passed and "no exit capacity" in result.why


# --- Dismantling before production ---------------------------------------------------------------------

DISMANTLING_CASES = [
    ("dismantled before production", {}, True, "dismantled by 2028-06-01"),
    ("dismantled on the production day", {"exits": (exit_line(due=D(2028, 6, 1)),)}, True, ""),
    ("dismantled after production", {"exits": (exit_line(due=D(2028, 6, 2)),)}, False,
     "dismantled 2028-06-02, after production starts 2028-06-01"),
    ("no dismantling date", {"exits": (exit_line(due=None),)}, False, "no dismantling completion date"),
    ("no production date", {"planned_production": None}, False, "planned production date is missing"),
]  # fmt: skip


@pytest.mark.parametrize("what,overrides,passed,why", DISMANTLING_CASES, ids=[c[0] for c in DISMANTLING_CASES])
def test_dismantling_before_production(what, overrides, passed, why):
    result = run(rules.dismantling_before_production, scheme(**overrides))
    assert result.passed is passed
    assert why in result.why


# --- Energy threshold ----------------------------------------------------------------------------------

ENERGY_CASES = [
    ("below the threshold", {}, True, "12900 kWh/t ≤ 13000 kWh/t"),
    ("at the threshold", {"energy_kwh_per_t": Decimal("13000")}, True, "≤ 13000"),
    ("above the threshold", {"energy_kwh_per_t": Decimal("13000.1")}, False, "13000.1 kWh/t exceeds 13000 kWh/t"),
    ("no design figure", {"energy_kwh_per_t": None}, False, "design 铝液交流电耗 is missing"),
    ("producing before 2025: no threshold", {"planned_production": D(2024, 12, 31), "energy_kwh_per_t": None},
     True, "No energy threshold is in force on 2024-12-31"),
    ("before 2025, a poor design still passes", {"planned_production": D(2024, 6, 1),
                                                 "energy_kwh_per_t": Decimal("14500")}, True, "No energy threshold"),
    ("no production date: today decides", {"planned_production": None, "energy_kwh_per_t": Decimal("13500")},
     False, "exceeds"),
]  # fmt: skip


@pytest.mark.parametrize("what,overrides,passed,why", ENERGY_CASES, ids=[c[0] for c in ENERGY_CASES])
def test_energy_threshold(what, overrides, passed, why):
    result = run(rules.energy_threshold, scheme(**overrides))
    assert result.passed is passed
    assert why in result.why


def test_the_energy_threshold_is_unverified_until_the_department_confirms_it():
    assert run(rules.energy_threshold, scheme()).unverified
    confirmed = Tables(energy=(replace(ENERGY, verified=True),))
    assert not run(rules.energy_threshold, scheme(), confirmed).unverified


# --- Ownership for mergers and intra-group transfers ------------------------------------------------------

OTHER = {"owner_id": 2, "owner_name": "乙铝业"}
OWNERSHIP_CASES = [
    # (what, route, applicant group, exit line, passed, fragment)
    ("own route: no condition", "own", "", exit_line(**OTHER), True, "Not a merger or intra-group transfer"),
    ("purchase: no condition", "purchase", "", exit_line(**OTHER), True, "Not a merger"),
    ("intra-group, same group", "intra_group", "示范集团", exit_line(owner_group="示范集团", **OTHER), True,
     "belongs to 示范集团"),
    ("intra-group, the applicant's own", "intra_group", "示范集团", exit_line(), True, ""),
    ("intra-group, another group", "intra_group", "示范集团", exit_line(owner_group="别的集团", **OTHER), False,
     "owned by 乙铝业, outside group “示范集团”, without membership of the group"),
    ("intra-group, no group at all", "intra_group", "", exit_line(**OTHER), False, "outside group “—”"),
    ("intra-group, a document does not help", "intra_group", "示范集团", exit_line(document="并购协议", **OTHER),
     False, "membership of the group"),
    ("merger with its document", "merger", "示范集团", exit_line(document="陕国资发〔2024〕3号", **OTHER), True, ""),
    ("merger without a document", "merger", "示范集团", exit_line(**OTHER), False,
     "without the merger or acquisition document"),
    ("merger inside the group", "merger", "示范集团", exit_line(owner_group=" 示范集团 ", **OTHER), True, ""),
]  # fmt: skip


@pytest.mark.parametrize("what,route,group,line,passed,why", OWNERSHIP_CASES, ids=[c[0] for c in OWNERSHIP_CASES])
def test_group_ownership(what, route, group, line, passed, why):
    result = run(rules.group_ownership, scheme(route=route, applicant_group=group, exits=(line,)))
    assert result.passed is passed
    assert why in result.why


# --- Public notice in working days (the 2026 calendar as loaded by migration) ------------------------------

CALENDAR_2026 = {day: working for day, working, _name, _src in reference_data.CALENDAR}

NOTICE_CASES = [
    # (what, published, working days, start, end)
    ("across the Mid-Autumn and National Day holidays", D(2026, 9, 21), 10, D(2026, 9, 21), D(2026, 10, 10)),
    ("published on the adjusted working Sunday", D(2026, 9, 20), 10, D(2026, 9, 20), D(2026, 10, 9)),
    ("published during the holiday", D(2026, 10, 3), 10, D(2026, 10, 8), D(2026, 10, 20)),
    ("the adjusted working Saturday counts", D(2026, 10, 9), 2, D(2026, 10, 9), D(2026, 10, 10)),
    ("an ordinary Saturday does not", D(2026, 11, 7), 1, D(2026, 11, 9), D(2026, 11, 9)),
    ("an ordinary fortnight", D(2026, 11, 2), 10, D(2026, 11, 2), D(2026, 11, 13)),
    ("across New Year 2026", D(2025, 12, 31), 3, D(2025, 12, 31), D(2026, 1, 5)),
]  # fmt: skip


@pytest.mark.parametrize("what,published,days,start,end", NOTICE_CASES, ids=[c[0] for c in NOTICE_CASES])
def test_notice_window(what, published, days, start, end):
    assert rules.notice_window(published, days, CALENDAR_2026) == (start, end)


def test_working_days_follow_the_calendar_then_the_week():
    assert rules.is_working_day(D(2026, 10, 10), CALENDAR_2026)  # Saturday, adjusted working day
    assert rules.is_working_day(D(2026, 9, 20), CALENDAR_2026)  # Sunday, adjusted working day
    assert not rules.is_working_day(D(2026, 10, 1), CALENDAR_2026)  # Thursday, National Day
    assert not rules.is_working_day(D(2026, 11, 7), CALENDAR_2026)  # an ordinary Saturday
    assert rules.is_working_day(D(2026, 11, 6), {})


def test_a_notice_lasts_at_least_one_working_day():
    with pytest.raises(ValueError):
        rules.notice_window(D(2026, 11, 2), 0, {})


# --- Journal moves ---------------------------------------------------------------------------------------

SOURCES = (None, *Holding)


def test_every_allowed_move_passes_and_every_other_pair_is_refused():
    for kind, source, target in itertools.product(Movement, SOURCES, Holding):
        allowed = (source, target) in ALLOWED_MOVES[kind]
        if allowed:
            rules.check_move(kind.value, source.value if source else None, target.value, 1000)
        else:
            with pytest.raises(rules.MoveError):
                rules.check_move(kind.value, source.value if source else None, target.value, 1000)


@pytest.mark.parametrize(
    "kind,source,target,tonnes,message",
    [
        ("reserve", "active", "reserved", 10, "cannot move tonnes from active to reserved"),
        ("consume", "available", "consumed", 10, "cannot move tonnes from available to consumed"),
        ("register", "available", "active", 10, "from available to active"),
        ("release", None, "available", 10, "from outside to available"),
        ("reserve", "available", "reserved", 0, "positive whole number"),
        ("reserve", "available", "reserved", -5, "positive whole number"),
        ("reserve", "available", "reserved", 1.5, "positive whole number"),
        ("steal", "available", "reserved", 10, "steal"),
        ("reserve", "available", "elsewhere", 10, "elsewhere"),
    ],
)
def test_check_move_says_why_it_refuses(kind, source, target, tonnes, message):
    with pytest.raises(rules.MoveError, match=message):
        rules.check_move(kind, source, target, tonnes)


def test_a_journal_replays_to_its_holdings_and_balances_at_every_step():
    journal = [
        Entry(None, "active", 200000),
        Entry("active", "available", 200000),
        Entry("available", "reserved", 150000),
        Entry("reserved", "ineligible", 20000),
        Entry("reserved", "available", 130000),
        Entry("available", "transferred_out", 50000),
    ]
    held = rules.holdings_from_journal(journal)
    assert {h.value: t for h, t in held.items() if t} == {"available": 130000, "ineligible": 20000,
                                                          "transferred_out": 50000}  # fmt: skip
    assert rules.balances(journal)


def test_a_journal_that_takes_what_a_holding_does_not_hold_is_refused():
    journal = [Entry(None, "available", 100000), Entry("available", "reserved", 100001)]
    with pytest.raises(rules.MoveError):
        rules.holdings_from_journal(journal)
    assert not rules.balances(journal)


# --- Scheme transitions ------------------------------------------------------------------------------------

TRANSITIONS = [
    ("draft", "submitted", True),
    ("draft", "withdrawn", True),
    ("draft", "notice", False),
    ("draft", "approved", False),
    ("submitted", "notice", True),
    ("submitted", "draft", True),
    ("submitted", "approved", False),
    ("notice", "review", True),
    ("notice", "draft", True),
    ("notice", "approved", False),
    ("review", "approved", True),
    ("review", "rejected", True),
    ("review", "draft", True),
    ("approved", "announced", True),
    ("approved", "withdrawn", False),
    ("approved", "draft", False),
    ("announced", "approved", False),
    ("rejected", "draft", False),
    ("withdrawn", "submitted", False),
]


@pytest.mark.parametrize("current,target,allowed", TRANSITIONS)
def test_scheme_transitions(current, target, allowed):
    if allowed:
        rules.check_scheme_transition(current, target)
    else:
        with pytest.raises(rules.SchemeTransitionError, match=f"{current} → {target} is not allowed"):
            rules.check_scheme_transition(current, target)


def test_a_final_state_says_so_and_only_pending_states_hold_reservations():
    with pytest.raises(rules.SchemeTransitionError, match=r"none \(final\)"):
        rules.check_scheme_transition("announced", "approved")
    assert {SchemeState.SUBMITTED, SchemeState.NOTICE, SchemeState.REVIEW} == rules.RESERVING
    assert all(not rules.SCHEME_TRANSITIONS[s] for s in ("announced", "rejected", "withdrawn"))


# --- Violation judgements ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "design,covered,uncovered", [(250000, 200000, 50000), (200000, 200000, 0), (200000, 250000, 0), (1, 0, 1)]
)
def test_uncovered_tonnes(design, covered, uncovered):
    assert rules.uncovered_tonnes(design, covered) == uncovered


@pytest.mark.parametrize(
    "output,covered,tolerance,excess",
    [
        ("220000", 200000, "0.10", "0"),
        ("220000.5", 200000, "0.10", "0.5"),
        ("235000", 200000, "0.10", "15000"),
        ("205000", 200000, "0", "5000"),
        ("1000", 0, "0.10", "1000"),
    ],
)
def test_output_excess(output, covered, tolerance, excess):
    assert rules.output_excess(Decimal(output), covered, Decimal(tolerance)) == Decimal(excess)
