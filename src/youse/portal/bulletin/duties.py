"""The bulletin's tick duty (youse.core.tick): draft the latest due month's bulletin once every report
expected for it is accepted. Idempotent: a month that has any bulletin (draft or published) is left alone."""

import datetime as dt

from django.utils import timezone

from youse.core.tick import duty
from youse.portal.bulletin import services
from youse.portal.models import Bulletin
from youse.stats.models import MonthlyReport, ReportStatus
from youse.stats.overdue import required_enterprises
from youse.stats.warnings import last_due_month


def missing_acceptances(month: dt.date) -> int | None:
    """How many enterprises expected to report for `month` have no accepted report; None when no
    enterprise was expected (nothing to report on)."""
    required = {e.pk for e in required_enterprises(month)}
    if not required:
        return None
    reports = MonthlyReport.objects.filter(period=month, status=ReportStatus.ACCEPTED, enterprise_id__in=required)
    accepted = set(reports.values_list("enterprise_id", flat=True))
    return len(required - accepted)


@duty("bulletin.draft", "Draft the latest due month's bulletin once all its expected reports are accepted")
def draft_due(now: dt.datetime) -> str:
    month = last_due_month(timezone.localdate(now)).start
    label = month.strftime("%Y-%m")
    if Bulletin.objects.filter(month=month).exists():
        return f"bulletin {label} already drafted"
    missing = missing_acceptances(month)
    if missing is None:
        return f"bulletin {label}: no enterprise was expected to report"
    if missing:
        return f"bulletin {label}: waiting for {missing} reports to be accepted"
    drafted = services.draft_for_tick(month)
    return f"bulletin {label} drafted" if drafted else f"bulletin {label} not drafted"
