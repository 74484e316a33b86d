"""The capacity module's tick duties (youse.core.tick). Each is idempotent: running twice does it once."""

import datetime as dt

from django.utils import timezone

from youse.capacity import services, violations
from youse.core.tick import duty


def _local(now: dt.datetime) -> dt.date:
    return timezone.localdate(now)


@duty("capacity.notices", "Move replacement schemes whose public notice has ended to review")
def end_notices(now: dt.datetime) -> str:
    return f"{services.end_notices(_local(now))} notices ended"


@duty("capacity.lapse", "Lapse available capacity past its use-by date")
def lapse(now: dt.datetime) -> str:
    return f"{services.lapse_due(_local(now))} indicators lapsed"


@duty("capacity.dismantling", "Mark exit lines whose dismantling is overdue")
def dismantling(now: dt.datetime) -> str:
    return f"{services.mark_overdue_dismantling(_local(now))} exit lines newly overdue"


@duty("capacity.violations", "Find electrolysis capacity the ledger does not cover, and resolve cases no longer found")
def find_violations(now: dt.datetime) -> str:
    return str(violations.detect(now))
