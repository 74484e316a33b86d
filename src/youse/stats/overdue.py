"""Which enterprises' monthly reports are overdue, and the tick duty that reports it.

A report for a month is due by the deadline day (setting YOUSE_REPORT_DEADLINE_DAY, default the 10th) of
the next month; on the deadline day itself it is still on time. An enterprise must report for a month
when it is active and at least one of its production units was operating on some day of that month
(the demo files reports for exactly these enterprises). A report is outstanding while it is missing, a
draft, or returned to the enterprise; once submitted (or accepted by the city or the department) it is no
longer overdue, even if it came in late.

On any given day the reminder concerns the latest month whose deadline has passed: on 5 November that
is September (October's reports are due on 10 November), from 11 November it is October.

The duty stores nothing. The list is a function of the registry and the reports at any moment, so a
stored copy could only go stale; pages and the API call `overdue()` with the viewer's visible
enterprises, and the tick prints the count ("4 enterprises overdue for 2026-10") in its log. Running it
twice therefore does the same thing once: nothing but a read."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from youse.core.tick import duty
from youse.registry.models import Enterprise, ProductionUnit, UnitStatusChange
from youse.registry.rules import UnitStatus
from youse.stats import checks, rules
from youse.stats.models import MonthlyReport, ReportStatus

DEFAULT_DEADLINE_DAY = 10
# A report in one of these states has been handed in: it is not overdue.
HANDED_IN = frozenset({ReportStatus.SUBMITTED, ReportStatus.CITY_ACCEPTED, ReportStatus.ACCEPTED})
OPERATING = frozenset({str(UnitStatus.OPERATING)})


def deadline_day() -> int:
    return int(getattr(settings, "YOUSE_REPORT_DEADLINE_DAY", DEFAULT_DEADLINE_DAY))


def deadline(period: dt.date, day: int | None = None) -> dt.date:
    """The last day on which the report for the month `period` is on time."""
    day = deadline_day() if day is None else day
    following = _add_months(period.replace(day=1), 1)
    return following.replace(day=min(day, checks.month_days(following)))


def latest_due_month(on: dt.date, day: int | None = None) -> dt.date:
    """The latest month (its first day) whose reports were due before `on`."""
    previous = _add_months(on.replace(day=1), -1)
    return previous if on > deadline(previous, day) else _add_months(previous, -1)


def _add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def required_enterprise_ids(period: dt.date, within: QuerySet[Enterprise] | None = None) -> set[int]:
    """The ids of required_enterprises(period, within), without loading the enterprises: two queries."""
    enterprises = (within if within is not None else Enterprise.objects.all()).filter(status=Enterprise.Status.ACTIVE)
    units = dict(
        ProductionUnit.objects.filter(plant__enterprise__in=enterprises.values("pk")).values_list(
            "id", "plant__enterprise_id"
        )
    )
    history: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    changes = UnitStatusChange.objects.filter(unit__plant__enterprise__in=enterprises.values("pk"))
    for unit_id, on, status in changes.values_list("unit_id", "effective_on", "to_status"):
        history[unit_id].append((on, status))
    start = period.replace(day=1)
    end = start.replace(day=checks.month_days(start))
    return {
        units[unit_id] for unit_id in units if rules.days_in_status(history.get(unit_id, []), OPERATING, start, end) > 0
    }


def required_enterprises(period: dt.date, within: QuerySet[Enterprise] | None = None) -> list[Enterprise]:
    """Active enterprises (of `within`, default all) that must report for the month `period`: those with
    a production unit operating on some day of it. Three queries, whatever the number of enterprises."""
    operating = required_enterprise_ids(period, within)
    enterprises = (within if within is not None else Enterprise.objects.all()).filter(status=Enterprise.Status.ACTIVE)
    chosen = enterprises.select_related("division__prefecture").order_by("division__code", "name")
    return [e for e in chosen if e.pk in operating]


@dataclass(frozen=True)
class OverdueReport:
    """An enterprise whose report for `period` was due by `deadline` and is still outstanding."""

    enterprise: Enterprise
    period: dt.date
    deadline: dt.date
    status: str  # "missing", or the report's status (draft, returned)
    report_id: int | None = None


def overdue(
    on: dt.date | None = None, within: QuerySet[Enterprise] | None = None, *, period: dt.date | None = None
) -> list[OverdueReport]:
    """Enterprises whose report for the latest month due on `on` (default today) is outstanding.

    Pass `within=scopes.visible(user, Enterprise)` to list only what a user may see; `period` names
    another month instead (its deadline must have passed for the list to mean anything)."""
    on = on or timezone.localdate()
    month = period.replace(day=1) if period else latest_due_month(on)
    due = deadline(month)
    required = required_enterprises(month, within)
    reports = {
        enterprise_id: (pk, status)
        for enterprise_id, pk, status in MonthlyReport.objects.filter(period=month).values_list(
            "enterprise_id", "pk", "status"
        )
    }
    result = []
    for ent in required:
        pk, status = reports.get(ent.pk, (None, "missing"))
        if status not in HANDED_IN:
            result.append(OverdueReport(ent, month, due, str(status), pk))
    return result


@duty("stats.overdue", "List enterprises whose monthly report is overdue (stores nothing; see stats/overdue.py)")
def overdue_duty(now: dt.datetime) -> str:
    today = timezone.localtime(now).date()
    items = overdue(today)
    month = latest_due_month(today)
    by_status: dict[str, int] = defaultdict(int)
    for item in items:
        by_status[item.status] += 1
    detail = ", ".join(f"{n} {status}" for status, n in sorted(by_status.items()))
    return f"{len(items)} enterprises overdue for {month:%Y-%m} (due {deadline(month):%Y-%m-%d})" + (
        f": {detail}" if detail else ""
    )
