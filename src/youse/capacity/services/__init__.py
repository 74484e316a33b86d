"""Every change to the capacity ledger and its schemes (DESIGN.md, principle 2).

Each function checks the actor's capability and scope, validates the whole change (naming what is wrong),
moves tonnes only through capacity.ledger.move(), and writes its audit event in the same transaction.
Pages, the API, the CLI, the tick and the demo all call these functions and nothing else.

Tonnes are claimed when a scheme is submitted: submission runs the rules, then reserves each exit
line's tonnes with the ledger's conditional UPDATE. Of many concurrent submissions claiming the same
tonnes, exactly one commits; the others roll back whole and are told which indicator ran out.

The functions live in small modules by subject and are imported from here: callers write
`from youse.capacity import services` and `services.submit_scheme(...)`."""

from youse.capacity.services.common import (
    CheckFailed,
    calendar_exceptions,
    check_scheme,
    notice_working_days,
    rule_tables,
    scheme_facts,
)
from youse.capacity.services.dismantling import (
    confirm_dismantling,
    evidence_max_bytes,
    mark_overdue_dismantling,
)
from youse.capacity.services.indicators import (
    INDICATOR_FIELDS,
    close_capacity,
    close_unit_capacity,
    disqualify,
    lapse_due,
    register_indicator,
    transfer_out,
)
from youse.capacity.services.objections import (
    decide_objection,
    file_objection,
    notice_open,
)
from youse.capacity.services.schemes import (
    LINE_FIELDS,
    SCHEME_FIELDS,
    announce_scheme,
    approve_scheme,
    create_scheme,
    end_notices,
    publish_scheme,
    record_check,
    reject_scheme,
    submit_scheme,
    update_scheme,
    withdraw_scheme,
)

__all__ = [
    "CheckFailed",
    "notice_working_days",
    "calendar_exceptions",
    "check_scheme",
    "rule_tables",
    "scheme_facts",
    "INDICATOR_FIELDS",
    "close_capacity",
    "close_unit_capacity",
    "disqualify",
    "lapse_due",
    "register_indicator",
    "transfer_out",
    "LINE_FIELDS",
    "SCHEME_FIELDS",
    "announce_scheme",
    "approve_scheme",
    "create_scheme",
    "end_notices",
    "publish_scheme",
    "record_check",
    "reject_scheme",
    "submit_scheme",
    "update_scheme",
    "withdraw_scheme",
    "decide_objection",
    "file_objection",
    "notice_open",
    "evidence_max_bytes",
    "confirm_dismantling",
    "mark_overdue_dismantling",
]
