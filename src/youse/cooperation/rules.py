"""The rules of an overseas project (clause 二(六)), pure: no ORM, no I/O.

- The investment mode and the equity share must agree: holding control (控股) means more than half,
  taking a stake (参股) at most half; an acquisition (收购) or a share swap (股权置换) names the share it
  gives, anything above nothing.
- The registration (备案登记) runs draft → submitted → filed, or submitted → returned → submitted.
- The project's life cycle moves only along the allowed transitions; an exit is final.
- Dates follow one another: signed, construction start, operation; a progress report is not dated in the
  future nor before the last one.
- Money is never negative, and the Chinese side's part is not more than the whole."""

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _

HALF = Decimal(50)
WHOLE = Decimal(100)


class Mode(StrEnum):
    HOLDING = "holding"  # 控股
    STAKE = "stake"  # 参股
    ACQUISITION = "acquisition"  # 收购
    SHARE_SWAP = "share_swap"  # 股权置换


class Filing(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    FILED = "filed"


class Status(StrEnum):
    PLANNED = "planned"
    APPROVED = "approved"  # 境外投资备案/核准 by the NDRC and MOFCOM (or their provincial offices)
    CONSTRUCTION = "construction"
    OPERATING = "operating"
    SUSPENDED = "suspended"
    EXITED = "exited"


class Risk(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


RISK_ORDER = {Risk.LOW: 0, Risk.MEDIUM: 1, Risk.HIGH: 2}
RISK_KINDS = ("political", "fx", "legal", "environmental", "market")

# Who may move the registration where (the step's name → from which states, to which state).
FILING_STEPS: dict[str, tuple[frozenset[Filing], Filing]] = {
    "submit": (frozenset({Filing.DRAFT, Filing.RETURNED}), Filing.SUBMITTED),
    "file": (frozenset({Filing.SUBMITTED}), Filing.FILED),
    "return": (frozenset({Filing.SUBMITTED}), Filing.RETURNED),
}
EDITABLE = frozenset({Filing.DRAFT, Filing.RETURNED})

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.PLANNED: frozenset({Status.APPROVED, Status.SUSPENDED, Status.EXITED}),
    # An acquisition of a running mine or plant goes from approval straight to operation.
    Status.APPROVED: frozenset({Status.CONSTRUCTION, Status.OPERATING, Status.SUSPENDED, Status.EXITED}),
    Status.CONSTRUCTION: frozenset({Status.OPERATING, Status.SUSPENDED, Status.EXITED}),
    Status.OPERATING: frozenset({Status.SUSPENDED, Status.EXITED}),
    Status.SUSPENDED: frozenset({Status.CONSTRUCTION, Status.OPERATING, Status.EXITED}),
    Status.EXITED: frozenset(),
}
# A status that says the outside-China approval was obtained needs the filing numbers to show it.
NEEDS_APPROVAL_NUMBER = frozenset({Status.APPROVED, Status.CONSTRUCTION, Status.OPERATING})


def mode_share_problem(mode: str, share: Decimal | None) -> str | None:
    """Why the equity share does not fit the mode, or None."""
    if share is None:
        return _("Give the equity share held by the Chinese side (%).")
    if share <= 0 or share > WHOLE:
        return _("The equity share must be above 0% and at most 100%.")
    if mode == Mode.HOLDING and share <= HALF:
        # xgettext:no-python-format
        return _("Holding control (控股) needs more than 50% of the equity.")
    if mode == Mode.STAKE and share > HALF:
        # xgettext:no-python-format
        return _("Taking a stake (参股) means at most 50% of the equity; more is holding control (控股).")
    if mode not in {m.value for m in Mode}:
        return _("Unknown investment mode: %(v)s") % {"v": mode}
    return None


def money_problems(total: Decimal | None, chinese: Decimal | None, invested: Decimal | None = None) -> dict[str, str]:
    """Amounts in 万美元: none negative; the Chinese side's part not more than the whole."""
    problems: dict[str, str] = {}
    for field, value in (("total_investment", total), ("chinese_investment", chinese), ("invested", invested)):
        if value is not None and value < 0:
            problems[field] = _("An amount cannot be negative.")
    if total is not None and chinese is not None and "chinese_investment" not in problems and chinese > total:
        problems["chinese_investment"] = _("The Chinese side's investment cannot exceed the total investment.")
    return problems


def date_problems(
    signed_on: dt.date | None,
    construction_on: dt.date | None,
    operation_on: dt.date | None,
) -> dict[str, str]:
    """Signing, construction start and operation in that order (each may be missing)."""
    problems: dict[str, str] = {}
    if signed_on and construction_on and construction_on < signed_on:
        problems["construction_started_on"] = _("Construction cannot start before the agreement was signed.")
    if operation_on:
        if construction_on and operation_on < construction_on:
            problems["operation_started_on"] = _("Operation cannot start before construction.")
        elif signed_on and operation_on < signed_on:
            problems["operation_started_on"] = _("Operation cannot start before the agreement was signed.")
    return problems


def filing_problem(step: str, state: str) -> str | None:
    """Why a registration step cannot be taken from `state`, or None."""
    sources, _target = FILING_STEPS[step]
    if state in sources:
        return None
    messages = {
        "submit": _("Only a draft or a returned project can be submitted."),
        "file": _("Only a submitted project can be filed."),
        "return": _("Only a submitted project can be returned."),
    }
    return messages[step]


def transition_problem(current: str, new: str) -> str | None:
    """Why the project cannot move from `current` to `new`, or None. Staying put (a progress note) is fine."""
    if new not in {s.value for s in Status}:
        return _("Unknown status: %(v)s") % {"v": new}
    if current == new:
        return None if current != Status.EXITED else _("The project has exited: nothing more can be reported.")
    if Status(new) not in TRANSITIONS[Status(current)]:
        return _("A project cannot go from %(a)s to %(b)s.") % {"a": current, "b": new}
    return None


def approval_problem(status: str, ndrc_no: str, mofcom_no: str) -> str | None:
    """An approved, building or operating project names its outside-China filing (境外投资备案) numbers."""
    if status in NEEDS_APPROVAL_NUMBER and not (ndrc_no.strip() or mofcom_no.strip()):
        return _(
            "Give the outside-China investment filing number of the development and reform commission "
            "or the certificate number of the commerce department."
        )
    return None


def report_date_problem(on: dt.date | None, last: dt.date | None, today: dt.date) -> str | None:
    """A progress report is dated, not in the future, not before the previous one."""
    if on is None:
        return _("Enter a date.")
    if on > today:
        return _("The date cannot be in the future.")
    if last is not None and on < last:
        return _("The date cannot be before the previous report (%(d)s).") % {"d": last.isoformat()}
    return None


def missing_for_submission(values: dict[str, object]) -> list[str]:
    """The fields a project must have before it is submitted for filing."""
    required = ("name", "country", "metal", "stage", "mode", "equity_share", "total_investment")
    return [f for f in required if values.get(f) in (None, "", [])]


def highest_risk(levels: list[str]) -> str | None:
    known = [Risk(v) for v in levels if v in {r.value for r in Risk}]
    return max(known, key=RISK_ORDER.__getitem__).value if known else None
