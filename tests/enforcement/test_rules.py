"""The pure rules of the enforcement workflow (youse.enforcement.rules), table by table: every transition
of orders and closures, checklist verdicts, the resettlement gate of 三(七), the land transition date of
三(三), dates that contradict each other, and the announcement texts."""

import datetime as dt
import itertools
from dataclasses import replace
from decimal import Decimal

import pytest

from youse.enforcement import rules
from youse.enforcement.rules import ClosureState, OrderState

# The life cycles written out again, independently of the module, so that a changed table fails here.
ORDER_ALLOWED = {
    (OrderState.ISSUED, OrderState.IN_PROGRESS),
    (OrderState.ISSUED, OrderState.SUBMITTED),
    (OrderState.IN_PROGRESS, OrderState.SUBMITTED),
    (OrderState.SUBMITTED, OrderState.CLOSED),
    (OrderState.SUBMITTED, OrderState.FAILED),
    (OrderState.SUBMITTED, OrderState.IN_PROGRESS),  # re-inspection finds the work not done yet, within the deadline
}
CLOSURE_ALLOWED = {
    (ClosureState.PROPOSED, ClosureState.DECIDED),
    (ClosureState.PROPOSED, ClosureState.WITHDRAWN),
    (ClosureState.DECIDED, ClosureState.EXECUTED),
    (ClosureState.DECIDED, ClosureState.WITHDRAWN),
}


def _allowed(table, current, target) -> bool:
    try:
        rules.check_transition(table, current, target)
    except rules.TransitionError:
        return False
    return True


@pytest.mark.parametrize(("current", "target"), list(itertools.product(OrderState, OrderState)), ids=lambda s: s.value)
def test_order_transitions(current, target):
    assert _allowed(rules.ORDER_TRANSITIONS, current, target) == ((current, target) in ORDER_ALLOWED)
    # The table accepts the plain strings stored on the row as well as the enum.
    assert _allowed(rules.ORDER_TRANSITIONS, current.value, target.value) == ((current, target) in ORDER_ALLOWED)


@pytest.mark.parametrize(
    ("current", "target"), list(itertools.product(ClosureState, ClosureState)), ids=lambda s: s.value
)
def test_closure_transitions(current, target):
    assert _allowed(rules.CLOSURE_TRANSITIONS, current, target) == ((current, target) in CLOSURE_ALLOWED)


def test_the_tables_name_every_state_and_final_states_lead_nowhere():
    assert set(rules.ORDER_TRANSITIONS) == set(OrderState) and set(rules.CLOSURE_TRANSITIONS) == set(ClosureState)
    assert rules.ORDER_TRANSITIONS[OrderState.CLOSED] == rules.ORDER_TRANSITIONS[OrderState.FAILED] == frozenset()
    assert (
        rules.CLOSURE_TRANSITIONS[ClosureState.EXECUTED]
        == rules.CLOSURE_TRANSITIONS[ClosureState.WITHDRAWN]
        == frozenset()
    )
    # Only orders not yet reported done can run past their deadline.
    assert {OrderState.ISSUED, OrderState.IN_PROGRESS} == rules.RUNNING_ORDERS


def test_a_refused_transition_says_what_is_allowed():
    with pytest.raises(
        rules.TransitionError, match="issued → closed is not allowed; from issued: in_progress, submitted"
    ):
        rules.check_transition(rules.ORDER_TRANSITIONS, "issued", "closed")
    with pytest.raises(rules.TransitionError, match=r"none \(final\)"):
        rules.check_transition(rules.CLOSURE_TRANSITIONS, "executed", "withdrawn")


@pytest.mark.parametrize(
    ("table", "current", "target"),
    [
        (rules.ORDER_TRANSITIONS, "lost", "closed"),
        (rules.ORDER_TRANSITIONS, "issued", "archived"),
        (rules.CLOSURE_TRANSITIONS, "proposed", "issued"),  # an order's state is not a closure's
        (rules.CLOSURE_TRANSITIONS, "", "decided"),
    ],
)
def test_unknown_states_are_refused(table, current, target):
    with pytest.raises(rules.TransitionError):
        rules.check_transition(table, current, target)


# --- Checklists ------------------------------------------------------------------------------------

D = Decimal


@pytest.mark.parametrize(
    ("kind", "threshold", "met", "measured", "expected"),
    [
        ("yes_no", None, True, None, True),
        ("yes_no", None, False, None, False),
        ("yes_no", None, None, None, None),  # not assessed
        ("yes_no", D("5"), True, D("99"), True),  # a yes/no item ignores any number
        ("at_most", D("13700"), None, D("13699.9"), True),
        ("at_most", D("13700"), None, D("13700"), True),  # the limit itself is within the limit
        ("at_most", D("13700"), None, D("13700.001"), False),
        ("at_most", D("20"), None, D("27.4"), False),
        ("at_most", D("20"), False, None, None),  # a limit needs a measurement
        ("at_most", None, None, D("10"), None),  # no threshold: cannot be judged
        ("at_least", D("15000"), None, D("15000"), True),
        ("at_least", D("15000"), None, D("14999"), False),
        ("at_least", D("15000"), None, D("50000"), True),
        ("at_least", D("15000"), True, None, None),
    ],
)
def test_item_passes(kind, threshold, met, measured, expected):
    assert rules.item_passes(kind, threshold, met, measured) is expected


def test_an_unknown_item_kind_is_an_error():
    with pytest.raises(ValueError):
        rules.item_passes("about", D("1"), None, D("1"))


@pytest.mark.parametrize(
    ("results", "findings_failed", "verdict"),
    [
        ([True, True], 0, "pass"),
        ([True, None], 0, "pass"),  # an item not assessed does not spoil a pass
        ([True, False], 0, "fail"),
        ([False], 0, "fail"),
        ([None, False, True], 0, "fail"),
        ([True], 1, "fail"),  # a failing finding fails an otherwise clean checklist
        ([], 2, "fail"),  # findings alone (a complaint's inspection)
        ([None, None], 0, "pending"),
        ([], 0, "pending"),
    ],
)
def test_inspection_verdict(results, findings_failed, verdict):
    assert rules.inspection_verdict(results, findings_failed) == verdict


# --- The resettlement gate (三(七)) -------------------------------------------------------------------

GOOD = rules.PlanFacts(
    cost=D("800"),
    funding_amount=D("850"),
    funding_source="企业自筹及省级专项奖补资金",
    headcount={"contract": 120, "near_retirement": 15},
    measures="内部转岗",
    schedule="六个月内完成",
    congress_date=dt.date(2026, 6, 1),
    votes_for=101,
    votes_total=130,
    minutes_uploaded=True,
)


def _failed(plan) -> dict[str, str]:
    return {c.code: c.why for c in rules.resettlement_gate(plan) if not c.passed}


def test_a_complete_funded_approved_plan_passes_all_three_checks():
    checks = rules.resettlement_gate(GOOD)
    assert [c.code for c in checks] == ["funding", "complete", "approved"]
    assert all(c.passed for c in checks) and rules.gate_passes(checks)
    assert "850" in checks[0].why and "企业自筹" in checks[0].why
    assert "2026-06-01" in checks[2].why and "101 of 130" in checks[2].why


def test_no_plan_fails_every_check_with_the_same_reason():
    checks = rules.resettlement_gate(None)
    assert [(c.code, c.passed) for c in checks] == [("funding", False), ("complete", False), ("approved", False)]
    assert {c.why for c in checks} == {"No staff resettlement plan has been recorded."}
    assert not rules.gate_passes(checks)


@pytest.mark.parametrize(
    ("change", "code", "why"),
    [
        # Funding, failing alone.
        (
            {"funding_amount": D("799.99")},
            "funding",
            "Secured funding 799.99 万元 is less than the plan's cost 800 万元.",
        ),
        ({"funding_amount": None}, "funding", "Secured funding 0 万元 is less than the plan's cost 800 万元."),
        ({"funding_source": "  "}, "funding", "The source of the funding is not named."),
        # Completeness, failing alone (each section).
        ({"headcount": {}}, "complete", "Sections missing: headcount by category."),
        ({"headcount": {"contract": 0, "other": -3}}, "complete", "Sections missing: headcount by category."),
        ({"headcount": {"unknown": 50}}, "complete", "Sections missing: headcount by category."),
        ({"measures": ""}, "complete", "Sections missing: measures."),
        ({"schedule": " \n"}, "complete", "Sections missing: schedule."),
        # Approval, failing alone.
        ({"congress_date": None}, "approved", "No workers' congress (or all-staff) approval is recorded."),
        ({"votes_for": 65}, "approved", "65 of 130 votes in favour is not a majority."),  # exactly half
        ({"votes_for": None}, "approved", "0 of 130 votes in favour is not a majority."),
        ({"votes_total": 0}, "approved", "101 of 0 votes in favour is not a majority."),
        ({"minutes_uploaded": False}, "approved", "The minutes of the vote are not uploaded."),
    ],
)
def test_each_check_fails_alone(change, code, why):
    assert _failed(replace(GOOD, **change)) == {code: why}


def test_a_plan_without_a_cost_fails_funding_and_completeness():
    assert _failed(replace(GOOD, cost=None)) == {
        "funding": "The plan states no cost, so its funding cannot be judged.",
        "complete": "Sections missing: costs.",
    }
    assert set(_failed(replace(GOOD, cost=D("0")))) == {"funding", "complete"}


def test_missing_sections_are_listed_together():
    plan = replace(GOOD, headcount={}, measures="", schedule="")
    assert _failed(plan) == {"complete": "Sections missing: headcount by category, measures, schedule."}


def test_a_bare_majority_approves():
    assert _failed(replace(GOOD, votes_for=66, votes_total=130)) == {}


# --- Land (三(三)) -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("converted", "until"),
    [
        (dt.date(2026, 8, 1), dt.date(2031, 8, 1)),
        (dt.date(2022, 9, 1), dt.date(2027, 9, 1)),
        (dt.date(2025, 12, 31), dt.date(2030, 12, 31)),
        (dt.date(2024, 2, 29), dt.date(2029, 2, 28)),  # no 29 February five years on
        (dt.date(2016, 2, 29), dt.date(2021, 2, 28)),
        (dt.date(2023, 2, 28), dt.date(2028, 2, 28)),  # a leap year five years on keeps the 28th
        (dt.date(2023, 3, 1), dt.date(2028, 3, 1)),
    ],
)
def test_transition_until(converted, until):
    assert rules.transition_until(converted) == until
    assert rules.TRANSITION_YEARS == 5


# --- Dates that must agree -----------------------------------------------------------------------------

TODAY = dt.date(2026, 6, 15)


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ({}, {}),
        ({"issued_on": dt.date(2026, 4, 2), "deadline": dt.date(2026, 6, 30)}, {}),
        ({"issued_on": dt.date(2026, 4, 2), "deadline": dt.date(2026, 4, 3)}, {}),
        (
            {"issued_on": dt.date(2026, 4, 2), "deadline": dt.date(2026, 4, 2)},
            {"deadline": "The deadline must fall after the order is issued (2026-04-02)."},
        ),
        (
            {"issued_on": dt.date(2026, 4, 2), "deadline": dt.date(2026, 3, 1)},
            {"deadline": "The deadline must fall after the order is issued (2026-04-02)."},
        ),
        ({"issued_on": TODAY}, {}),
        ({"issued_on": dt.date(2026, 6, 16)}, {"issued_on": "An order cannot be issued in the future."}),
        ({"deadline": dt.date(2020, 1, 1)}, {}),  # a deadline alone has nothing to contradict
        ({"inspected_on": TODAY}, {}),
        ({"inspected_on": dt.date(2026, 6, 16)}, {"inspected_on": "An inspection cannot be dated in the future."}),
        ({"inspected_on": dt.date(2026, 5, 1), "not_before": dt.date(2026, 5, 1)}, {}),
        (
            {"inspected_on": dt.date(2026, 4, 30), "not_before": dt.date(2026, 5, 1)},
            {"inspected_on": "This inspection cannot predate 2026-05-01."},
        ),
        ({"inspected_on": None, "not_before": dt.date(2026, 5, 1)}, {}),
        ({"decided_on": dt.date(2026, 5, 20), "effective_on": dt.date(2026, 5, 20)}, {}),
        (
            {"decided_on": dt.date(2026, 5, 20), "effective_on": dt.date(2026, 5, 19)},
            {"effective_on": "Units cannot close before the decision (2026-05-20)."},
        ),
        ({"decided_on": dt.date(2026, 6, 16)}, {"decided_on": "A decision cannot be dated in the future."}),
        ({"decided_on": TODAY, "effective_on": dt.date(2027, 1, 1)}, {}),  # closing later is the point
        ({"converted_on": dt.date(2026, 7, 1), "closed_on": dt.date(2026, 7, 1)}, {}),
        (
            {"converted_on": dt.date(2026, 6, 30), "closed_on": dt.date(2026, 7, 1)},
            {"converted_on": "The land cannot be converted before the site closed (2026-07-01)."},
        ),
        ({"converted_on": dt.date(2026, 6, 30), "closed_on": None}, {}),
        (
            # Several contradictions at once: each field blamed for its own.
            {
                "issued_on": dt.date(2026, 7, 1),
                "deadline": dt.date(2026, 7, 1),
                "decided_on": dt.date(2026, 5, 20),
                "effective_on": dt.date(2026, 5, 1),
            },
            {
                "deadline": "The deadline must fall after the order is issued (2026-07-01).",
                "issued_on": "An order cannot be issued in the future.",
                "effective_on": "Units cannot close before the decision (2026-05-20).",
            },
        ),
    ],
)
def test_date_problems(dates, expected):
    assert rules.date_problems(today=TODAY, **dates) == expected


def test_date_problems_judge_the_future_against_the_real_today_by_default():
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert set(rules.date_problems(inspected_on=tomorrow)) == {"inspected_on"}
    assert rules.date_problems(inspected_on=dt.date.today()) == {}


# --- Announcement texts ----------------------------------------------------------------------------


def test_a_closure_announcement_names_the_enterprise_units_basis_document_and_date():
    title, body = rules.closure_announcement(
        "府谷示范镁业有限公司",
        ["皮江法炼镁一线", "皮江法炼镁二线"],
        "二(八)",
        "陕工信发〔2026〕9号",
        dt.date(2026, 6, 30),
        "陕西省",
    )
    assert title == "Announcement on the closure and exit of 府谷示范镁业有限公司"
    for part in ("陕西省", "二(八)", "陕工信发〔2026〕9号", "2026-06-30", "皮江法炼镁一线, 皮江法炼镁二线"):
        assert part in body


def test_a_rectification_list_has_a_line_per_order():
    title, body = rules.rectification_list_announcement(
        "2017年有色金属行业专项检查",
        [
            ("府谷示范镁业有限公司", "榆林市", dt.date(2026, 6, 30)),
            ("宝鸡示范钛业有限公司", "宝鸡市", dt.date(2026, 9, 1)),
        ],
    )
    assert title == "List of enterprises ordered to rectify: 2017年有色金属行业专项检查"
    lines = body.splitlines()
    assert lines[0] == "The following enterprises must rectify within the deadline:"
    assert lines[1:] == ["府谷示范镁业有限公司 (榆林市), by 2026-06-30", "宝鸡示范钛业有限公司 (宝鸡市), by 2026-09-01"]


def test_an_empty_rectification_list_has_only_its_heading():
    _title, body = rules.rectification_list_announcement("x", [])
    assert body.splitlines() == ["The following enterprises must rectify within the deadline:"]


def test_survey_results_give_the_totals_and_zero_for_what_is_missing():
    title, body = rules.survey_result_announcement(
        "2017年专项检查", {"inspected": 190, "passed": 182, "rectifying": 12}
    )
    assert title == "Results of the survey: 2017年专项检查"
    assert body == ("190 enterprises were inspected: 182 passed, 12 were ordered to rectify, 0 are to close and exit.")
