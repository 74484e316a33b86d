"""The demo's supervision (youse.demo.supervision), built once at scale 1 without the monthly reports and
rolled back after the module: sub-tasks for every task clause, every city's plan in the states the story
needs, milestones done and overdue, progress reports, a major problem, and a report that names them all."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from youse.core.models import AuditEvent, Division
from youse.supervision import document, report
from youse.supervision.models import CityPlan, Milestone, ProgressReport, Remark, SubTask
from youse.supervision.report import task_clauses

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_every_task_clause_has_sub_tasks_with_owners_and_deadlines():
    for clause in task_clauses():
        subtasks = SubTask.objects.filter(clause=clause)
        assert subtasks.exists(), clause.number
        assert all(st.unit_id or st.division_id for st in subtasks)
    statuses = {st.status_on(timezone.localdate(), st.starts_on) for st in SubTask.objects.all()}
    assert statuses == {"done", "on_track", "at_risk", "overdue"}
    assert SubTask.objects.filter(overdue_since__isnull=False).exists()
    assert SubTask.objects.filter(silent_since__isnull=False).exists()


def test_every_city_has_a_plan_for_2026_2030_in_the_states_of_the_story():
    cities = Division.objects.filter(level=Division.Level.CITY, valid_to__isnull=True)
    plans = CityPlan.objects.filter(start_year=2026, end_year=2030)
    assert set(plans.values_list("division", flat=True)) == set(cities.values_list("pk", flat=True))
    states = list(plans.values_list("state", flat=True))
    assert states.count("submitted") == 1 and states.count("returned") == 1
    assert states.count("accepted") == len(states) - 2
    assert plans.get(state="returned").review_comment


def test_milestones_are_done_and_overdue_and_owners_reported():
    assert Milestone.objects.filter(done_on__isnull=False).exists()
    assert Milestone.objects.filter(overdue_since__isnull=False, done_on__isnull=True).exists()
    assert ProgressReport.objects.filter(author__username="fgw").exists()
    assert ProgressReport.objects.filter(author__username="yulin", milestone__isnull=False).exists()
    assert ProgressReport.objects.filter(evidence__isnull=False).exists()
    assert Remark.objects.filter(major=True).count() == 1


def test_everything_went_through_the_services_with_audit_events():
    assert AuditEvent.objects.filter(content_type__model="subtask", action="create").count() == SubTask.objects.count()
    assert AuditEvent.objects.filter(content_type__model="cityplan", after__event="accepted").exists()


def test_the_department_produces_the_report_from_the_demo(demo):
    rep = report.build(2026, 2030, timezone.localdate())
    text = "\n".join(
        [p.text for p in Document(io.BytesIO(document.render(rep))).paragraphs]
        + [c.text for t in Document(io.BytesIO(document.render(rep))).tables for r in t.rows for c in r.cells]
    )
    for clause in task_clauses():
        assert f"{clause.number} {clause.title}" in text
    for plan in CityPlan.objects.select_related("division"):
        assert plan.division.name in text
    assert "需省政府协调" in text
    assert demo.counts["city_plans"] == CityPlan.objects.count()


@pytest.mark.parametrize("persona", ["gxt", "fgw", "yulin"])
def test_the_supervision_pages_open_for_the_demo_personas(client, settings, persona):
    from youse.core.models import User

    settings.DEBUG = True  # demo personas' sessions hold only while DEBUG is on
    client.force_login(User.objects.get(username=persona))
    for name in ("supervision:board", "supervision:plan-list"):
        assert client.get(reverse(name)).status_code == 200
    plan = CityPlan.objects.get(division__code="610800")
    assert client.get(reverse("supervision:plan-detail", args=[plan.pk])).status_code == 200
