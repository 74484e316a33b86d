"""Table-driven tests of the pure registry rules: credit-code check character and the unit life cycle."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from youse.registry import rules
from youse.registry.rules import UnitStatus as S

# Real codes published on business licences (check characters computed by their issuers).
VALID_CODES = [
    "91350100M000100Y43",  # the GB 32100-2015 example code
    "91110000100017643K",
]


@pytest.mark.parametrize("code", VALID_CODES)
def test_it_accepts_real_credit_codes(code):
    assert rules.validate_credit_code(code) == code


def test_it_normalises_case_and_whitespace():
    assert rules.validate_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("", "18 characters, has 0"),
        ("91350100M000100Y4", "18 characters, has 17"),
        ("91350100M000100Y433", "18 characters, has 19"),
        ("91350100M000100Y44", "check character is 4, expected 3"),
        ("91350100M000100I43", "not used in credit codes: I"),
        ("91350100M00O100Y43", "not used in credit codes: O"),
        ("B1350100M000100Y43", "registering-authority code B"),
        ("9135A100M000100Y43", "division code"),
    ],
)
def test_it_rejects_bad_credit_codes_saying_why(code, why):
    with pytest.raises(rules.CreditCodeError, match=why):
        rules.validate_credit_code(code)


@given(st.text(alphabet=rules.CREDIT_CODE_CHARSET, min_size=15, max_size=15), st.sampled_from("1259"))
def test_it_completes_any_code_with_a_valid_check_character(tail, authority):
    first17 = (authority + "1" + "610800" + tail)[:17]
    code = rules.make_credit_code(first17)
    assert rules.validate_credit_code(code) == code


@given(st.integers(min_value=0, max_value=16), st.sampled_from(rules.CREDIT_CODE_CHARSET))
def test_it_detects_any_single_character_change(position, replacement):
    code = VALID_CODES[0]
    if code[position] == replacement:
        return
    changed = code[:position] + replacement + code[position + 1 :]
    # Positions 3-8 must stay digits for the structural check; either way the code must be refused.
    with pytest.raises(rules.CreditCodeError):
        rules.validate_credit_code(changed)


TRANSITIONS = [
    (S.PLANNED, S.APPROVED, True),
    (S.PLANNED, S.EXITED, True),
    (S.PLANNED, S.OPERATING, False),
    (S.APPROVED, S.CONSTRUCTION, True),
    (S.APPROVED, S.OPERATING, False),
    (S.CONSTRUCTION, S.OPERATING, True),
    (S.CONSTRUCTION, S.IDLE, True),
    (S.CONSTRUCTION, S.PLANNED, False),
    (S.OPERATING, S.IDLE, True),
    (S.OPERATING, S.EXITED, True),
    (S.OPERATING, S.CONSTRUCTION, False),
    (S.IDLE, S.OPERATING, True),
    (S.IDLE, S.EXITED, True),
    (S.EXITED, S.OPERATING, False),
    (S.EXITED, S.IDLE, False),
    (S.EXITED, S.PLANNED, False),
]


@pytest.mark.parametrize(("current", "target", "allowed"), TRANSITIONS)
def test_it_allows_only_the_life_cycle_transitions(current, target, allowed):
    if allowed:
        rules.check_transition(current, target)
    else:
        with pytest.raises(rules.TransitionError, match="not allowed"):
            rules.check_transition(current, target)


def test_it_refuses_staying_in_the_same_status_and_unknown_statuses():
    with pytest.raises(rules.TransitionError, match="already operating"):
        rules.check_transition("operating", "operating")
    with pytest.raises(rules.TransitionError, match="unknown status"):
        rules.check_transition("operating", "demolished")


def test_it_makes_exited_final_and_every_status_reachable():
    assert rules.ALLOWED_TRANSITIONS[S.EXITED] == frozenset()
    reachable = {S.PLANNED}
    frontier = [S.PLANNED]
    while frontier:
        for nxt in rules.ALLOWED_TRANSITIONS[frontier.pop()]:
            if nxt not in reachable:
                reachable.add(nxt)
                frontier.append(nxt)
    assert reachable == set(S)
