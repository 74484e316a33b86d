"""Overdue monthly reports: which month is due on a given day, who must report, and the tick duty."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from youse.core import scopes
from youse.core.models import AuditEvent
from youse.registry import services as registry
from youse.registry.models import Enterprise
from youse.stats import overdue, services
from youse.stats.models import MonthlyReport

MAY = dt.date(2024, 5, 1)
AFTER_MAY_DEADLINE = dt.date(2024, 6, 11)


def _file(personas, enterprise, unit, period=MAY, status="draft"):
    user = personas.ent_a if enterprise == personas.enterprise_a else personas.ent_b
    figures = {
        "value_added": "1200",
        "revenue": "5200",
        "profit": "30",
        "energy_tce": "5400",
        "electricity_kwh": "3100000",
        "employees": 320,
    }
    report = services.save_report(
        user, enterprise, period, figures, [{"unit": unit.pk, "output_t": "350", "output_value": "6300"}]
    )
    if status in ("submitted", "returned", "accepted"):
        services.submit_report(user, report)
    if status == "returned":
        services.return_report(personas.department, report, "请核实产值")
    if status == "accepted":
        services.accept_report(personas.department, report)
    return report


@pytest.mark.parametrize(
    ("on", "deadline_day", "month"),
    [
        (dt.date(2024, 6, 1), 10, dt.date(2024, 4, 1)),
        (dt.date(2024, 6, 10), 10, dt.date(2024, 4, 1)),  # the deadline day itself is still on time
        (dt.date(2024, 6, 11), 10, dt.date(2024, 5, 1)),
        (dt.date(2024, 1, 5), 10, dt.date(2023, 11, 1)),
        (dt.date(2024, 1, 11), 10, dt.date(2023, 12, 1)),
        (dt.date(2024, 6, 12), 15, dt.date(2024, 4, 1)),
        (dt.date(2024, 3, 1), 31, dt.date(2024, 1, 1)),  # February's deadline falls on 29 February
    ],
)
def test_it_names_the_latest_month_whose_deadline_has_passed(settings, on, deadline_day, month):
    settings.YOUSE_REPORT_DEADLINE_DAY = deadline_day
    assert overdue.latest_due_month(on) == month


def test_it_reads_the_deadline_day_from_the_settings(settings):
    settings.YOUSE_REPORT_DEADLINE_DAY = 15
    assert overdue.deadline(MAY) == dt.date(2024, 6, 15)
    del settings.YOUSE_REPORT_DEADLINE_DAY
    assert overdue.deadline(MAY) == dt.date(2024, 6, 10)


def test_it_lists_missing_reports_only_after_the_deadline(personas):
    p = personas
    _file(p, p.enterprise_a, p.unit_a, status="submitted")
    listed = overdue.overdue(AFTER_MAY_DEADLINE)
    assert [(o.enterprise, o.status, o.period, o.deadline) for o in listed] == [
        (p.enterprise_b, "missing", MAY, dt.date(2024, 6, 10))
    ]
    # On the 10th May is not yet due: the list concerns April, which neither enterprise filed.
    before = overdue.overdue(dt.date(2024, 6, 10))
    assert {o.period for o in before} == {dt.date(2024, 4, 1)}
    assert {o.enterprise for o in before} == {p.enterprise_a, p.enterprise_b}


@pytest.mark.parametrize(
    ("status", "listed"),
    [("draft", True), ("returned", True), ("submitted", False), ("accepted", False)],
)
def test_it_counts_drafts_and_returned_reports_as_outstanding(personas, status, listed):
    p = personas
    report = _file(p, p.enterprise_a, p.unit_a, status=status)
    _file(p, p.enterprise_b, p.unit_b, status="submitted")
    found = overdue.overdue(AFTER_MAY_DEADLINE)
    assert [(o.enterprise, o.status, o.report_id) for o in found] == (
        [(p.enterprise_a, status, report.pk)] if listed else []
    )


def test_it_asks_only_enterprises_with_a_unit_operating_in_the_month(personas):
    p = personas
    # Baoji's unit started operating in March 2020: nothing was due from it for January.
    assert [o.enterprise for o in overdue.overdue(period=dt.date(2020, 1, 1))] == [p.enterprise_a]
    assert {o.enterprise for o in overdue.overdue(period=dt.date(2020, 3, 1))} == {p.enterprise_a, p.enterprise_b}
    # A unit idle for the whole month, or an enterprise closed, owes no report.
    registry.change_unit_status(p.department, p.unit_a, "idle", effective_on=dt.date(2024, 4, 20), reason="检修")
    assert [o.enterprise for o in overdue.overdue(AFTER_MAY_DEADLINE)] == [p.enterprise_b]
    assert {o.enterprise for o in overdue.overdue(dt.date(2024, 5, 11))} == {p.enterprise_a, p.enterprise_b}
    registry.update_enterprise(p.department, p.enterprise_b, {"status": Enterprise.Status.CLOSED}, reason="关停")
    assert overdue.overdue(AFTER_MAY_DEADLINE) == []


def test_it_lists_only_what_the_viewer_may_see(personas):
    p = personas
    within = scopes.visible(p.city, Enterprise)
    assert [o.enterprise for o in overdue.overdue(AFTER_MAY_DEADLINE, within)] == [p.enterprise_a]
    within = scopes.visible(p.ent_b, Enterprise)
    assert [o.enterprise for o in overdue.overdue(AFTER_MAY_DEADLINE, within)] == [p.enterprise_b]


def test_it_needs_a_fixed_number_of_queries(personas, django_assert_max_num_queries):
    _file(personas, personas.enterprise_a, personas.unit_a, status="draft")
    with django_assert_max_num_queries(4):
        assert len(overdue.overdue(AFTER_MAY_DEADLINE)) == 2


def test_the_duty_summarises_and_stores_nothing(personas):
    p = personas
    _file(p, p.enterprise_a, p.unit_a, status="draft")
    events, reports = AuditEvent.objects.count(), MonthlyReport.objects.count()
    now = timezone.make_aware(dt.datetime(2024, 6, 11, 9, 0))
    summary = overdue.overdue_duty(now)
    assert summary == "2 enterprises overdue for 2024-05 (due 2024-06-10): 1 draft, 1 missing"
    assert overdue.overdue_duty(now) == summary  # idempotent
    assert (AuditEvent.objects.count(), MonthlyReport.objects.count()) == (events, reports)
    # Just before midnight of the 10th in Beijing the May reports are still on time.
    assert "for 2024-04" in overdue.overdue_duty(timezone.make_aware(dt.datetime(2024, 6, 10, 23, 30)))


def test_the_tick_runs_the_duty(personas):
    out = io.StringIO()
    call_command("tick", "--only", "stats.overdue", stdout=out)
    month = overdue.latest_due_month(timezone.localdate())
    assert f"stats.overdue: 2 enterprises overdue for {month:%Y-%m}" in out.getvalue()
