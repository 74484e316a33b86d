"""The enforcement module's tick duty (youse.core.tick): overdue rectification orders are escalated."""

import datetime as dt

from django.utils import timezone

from youse.core.tick import duty
from youse.enforcement import services


@duty("enforcement.overdue", "Mark rectification orders past their deadline overdue and escalate their cases")
def overdue(now: dt.datetime) -> str:
    return f"{services.mark_overdue_orders(timezone.localdate(now))} orders newly overdue and escalated"
