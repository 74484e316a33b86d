"""Pure registry rules: the unified social credit code and the production unit's life cycle.

No ORM, no I/O: table-driven tests in tests/registry/test_rules.py."""

from enum import StrEnum

# GB 32100-2015, 法人和其他组织统一社会信用代码编码规则: 31 characters (no I, O, Z, S, V).
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Position 1: the registering authority; position 2: the kind of organisation under that authority.
CREDIT_CODE_AUTHORITIES = set("123456789ANY")


class CreditCodeError(ValueError):
    pass


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(code: str) -> str:
    """Return the normalised code, or raise CreditCodeError saying what is wrong."""
    code = (code or "").strip().upper()
    if len(code) != 18:
        raise CreditCodeError(f"must have 18 characters, has {len(code)}")
    bad = sorted({c for c in code if c not in CREDIT_CODE_CHARSET})
    if bad:
        raise CreditCodeError(f"contains characters not used in credit codes: {''.join(bad)}")
    if code[0] not in CREDIT_CODE_AUTHORITIES:
        raise CreditCodeError(f"registering-authority code {code[0]} is not defined")
    if not code[2:8].isdigit():
        raise CreditCodeError(f"characters 3-8 must be the division code, got {code[2:8]}")
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise CreditCodeError(f"check character is {code[17]}, expected {expected}")
    return code


def make_credit_code(first17: str) -> str:
    """Complete 17 characters with their check character (used by the demo and tests)."""
    return first17 + credit_code_check_char(first17)


class UnitStatus(StrEnum):
    PLANNED = "planned"
    APPROVED = "approved"
    CONSTRUCTION = "construction"
    OPERATING = "operating"
    IDLE = "idle"
    EXITED = "exited"


S = UnitStatus
# DESIGN.md principle 4: planned → approved → construction → operating → idle → exited (dismantled).
# A project may be abandoned at any step; exited is final, because exited capacity can never be used
# again (clause 二(七)); an idle unit may restart.
ALLOWED_TRANSITIONS: dict[UnitStatus, frozenset[UnitStatus]] = {
    S.PLANNED: frozenset({S.APPROVED, S.EXITED}),
    S.APPROVED: frozenset({S.CONSTRUCTION, S.EXITED}),
    S.CONSTRUCTION: frozenset({S.OPERATING, S.IDLE, S.EXITED}),
    S.OPERATING: frozenset({S.IDLE, S.EXITED}),
    S.IDLE: frozenset({S.OPERATING, S.EXITED}),
    S.EXITED: frozenset(),
}
# Units that produce or can produce: counted as existing capacity.
CAPACITY_STATUSES = frozenset({S.OPERATING, S.IDLE})


class TransitionError(ValueError):
    pass


def check_transition(current: str, target: str) -> None:
    try:
        cur, tgt = UnitStatus(current), UnitStatus(target)
    except ValueError as exc:
        raise TransitionError(f"unknown status: {exc}") from None
    if cur == tgt:
        raise TransitionError(f"the unit is already {cur.value}")
    if tgt not in ALLOWED_TRANSITIONS[cur]:
        allowed = ", ".join(sorted(s.value for s in ALLOWED_TRANSITIONS[cur])) or "none (final)"
        raise TransitionError(f"{cur.value} → {tgt.value} is not allowed; from {cur.value}: {allowed}")
