"""The supervision module's tick duties (youse.core.tick): overdue sub-tasks and milestones, silent owners."""

import datetime as dt

from django.utils import timezone

from youse.core.tick import duty
from youse.supervision import services


@duty("supervision.overdue", "Flag sub-tasks and city milestones past their deadline")
def overdue(now: dt.datetime) -> str:
    return f"{services.mark_overdue(timezone.localdate(now))} sub-tasks and milestones newly overdue"


@duty("supervision.silent", "Flag open sub-tasks and milestones whose owner has not reported for YOUSE_SILENT_DAYS")
def silent(now: dt.datetime) -> str:
    return f"{services.mark_silent(timezone.localdate(now))} sub-tasks and milestones newly silent"
