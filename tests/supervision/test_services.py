"""The supervision workflow through the services, persona by persona: who may do what, what is refused
(with its REFUSED audit event), and what each step leaves behind."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.http import Http404

from youse.core import scopes
from youse.core.models import AuditEvent
from youse.supervision import services
from youse.supervision.models import CityPlan, ProgressReport, Remark, SubTask

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def refused(user) -> int:
    return AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.REFUSED).count()


def test_the_department_breaks_a_clause_into_sub_tasks_with_one_owner(sup):
    st = sup.subtask(indicator="deep_processing_share")
    assert st.unit.code == "fgw" and st.clause.number == "二(一)" and st.indicator == "deep_processing_share"
    assert AuditEvent.objects.filter(object_id=str(st.pk), action=AuditEvent.Action.CREATE).exists()
    with pytest.raises(ValidationError) as exc:
        services.create_subtask(
            sup.dept,
            sup.innovation,
            {"title": "x", "starts_on": dt.date(2026, 1, 1), "deadline": dt.date(2026, 2, 1)},
        )
    assert "unit" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        sup.subtask(starts_on=dt.date(2026, 5, 1), deadline=dt.date(2026, 4, 1))
    assert "deadline" in exc.value.message_dict


@pytest.mark.parametrize("persona", ["environment", "city", "ent_a"])
def test_only_the_department_manages_sub_tasks(sup, persona):
    user = sup.p.users[persona]
    with pytest.raises(PermissionDenied):
        services.create_subtask(
            user, sup.innovation, {"title": "x", "starts_on": dt.date(2026, 1, 1), "deadline": dt.date(2026, 2, 1)}
        )
    assert refused(user) == 1
    assert not SubTask.objects.exists()


def test_a_database_constraint_keeps_one_owner_per_sub_task(sup):
    st = sup.subtask()
    with pytest.raises(IntegrityError), transaction.atomic():
        SubTask.objects.filter(pk=st.pk).update(division=sup.yulin)


def test_owners_report_on_their_own_sub_tasks_only(sup, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    unit_task, city_task = sup.subtask("fgw"), sup.subtask("yulin", clause=sup.exit)
    report = services.report_progress(
        sup.fgw,
        unit_task,
        {"text": "完成可行性研究", "percent": 40, "reported_on": dt.date(2026, 3, 1)},
        [SimpleUploadedFile("photo.png", PNG)],
    )
    unit_task.refresh_from_db()
    assert unit_task.percent == 40 and unit_task.last_report_on == dt.date(2026, 3, 1)
    assert report.evidence.get().content_type == "image/png"
    services.report_progress(
        sup.p.city, city_task, {"text": "已完成", "percent": 100, "reported_on": dt.date(2026, 3, 2)}
    )
    city_task.refresh_from_db()
    assert city_task.done_on == dt.date(2026, 3, 2)
    # The environment department does not own these; Yulin does not own fgw's; an enterprise has no role here.
    for user, item, error in [
        (sup.p.environment, unit_task, PermissionDenied),
        (sup.p.city, unit_task, Http404),  # a city does not see a provincial unit's sub-task
        (sup.fgw, city_task, PermissionDenied),
        (sup.p.ent_a, city_task, Http404),
    ]:
        with pytest.raises(error):
            services.report_progress(user, item, {"text": "x", "percent": 10})
    assert ProgressReport.objects.count() == 2


def test_a_report_refuses_a_bad_percent_and_a_file_that_is_not_evidence(sup):
    st = sup.subtask()
    with pytest.raises(ValidationError) as exc:
        services.report_progress(sup.fgw, st, {"text": "x", "percent": 120})
    assert "percent" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.report_progress(
            sup.fgw, st, {"text": "x", "percent": 10}, [SimpleUploadedFile("a.exe", b"MZ\x90\x00")]
        )
    assert "files" in exc.value.message_dict
    assert not ProgressReport.objects.exists()


def test_a_city_writes_submits_and_the_department_returns_then_accepts(sup):
    city, dept = sup.p.city, sup.dept
    plan = sup.plan()
    assert plan.state == "draft" and plan.targets.count() == 1
    services.submit_plan(city, plan)
    assert plan.state == "submitted"
    with pytest.raises(ValidationError):  # a submitted plan is the department's to judge
        services.add_target(city, plan, {"indicator": "value_added", "value": "10", "year": 2030})
    with pytest.raises(PermissionDenied):
        services.accept_plan(city, plan)
    with pytest.raises(ValidationError):  # returning needs the comments
        services.return_plan(dept, plan, "")
    services.return_plan(dept, plan, "请补充年度节点")
    assert plan.state == "returned" and plan.review_comment == "请补充年度节点"
    services.add_target(city, plan, {"indicator": "value_added", "value": "120", "year": 2028})
    services.submit_plan(city, plan)
    services.accept_plan(dept, plan, "同意")
    assert plan.state == "accepted"
    with pytest.raises(ValidationError):
        services.return_plan(dept, plan, "再改")
    events = AuditEvent.objects.filter(object_id=str(plan.pk), content_type__model="cityplan")
    assert [e.after["event"] for e in events.filter(action="transition").order_by("pk") if "state" in e.after] == [
        "submitted",
        "returned",
        "submitted",
        "accepted",
    ]


def test_a_city_cannot_write_or_see_another_citys_plan(sup):
    with pytest.raises(PermissionDenied):
        services.create_plan(sup.p.city, sup.baoji, {"start_year": 2026, "end_year": 2030, "title": "宝鸡"})
    baoji = sup.plan(actor=sup.dept, division=sup.baoji)
    assert not scopes.visible(sup.p.city, CityPlan).filter(pk=baoji.pk).exists()
    with pytest.raises(Http404):
        services.submit_plan(sup.p.city, baoji)
    with pytest.raises(PermissionDenied):
        services.create_plan(sup.p.ent_a, sup.yulin, {"start_year": 2026, "end_year": 2030, "title": "x"})


def test_one_plan_per_city_and_period(sup):
    sup.plan()
    with pytest.raises(ValidationError) as exc:
        services.create_plan(sup.p.city, sup.yulin, {"start_year": 2026, "end_year": 2030, "title": "again"})
    assert "start_year" in exc.value.message_dict
    other = services.create_plan(sup.p.city, sup.yulin, {"start_year": 2017, "end_year": 2020, "title": "十三五"})
    assert other.period == "2017–2020"


def test_a_plan_needs_targets_and_milestones_within_its_period(sup):
    plan = services.create_plan(sup.p.city, sup.yulin, {"start_year": 2026, "end_year": 2030, "title": "x"})
    with pytest.raises(ValidationError) as exc:
        services.submit_plan(sup.p.city, plan)
    assert {"targets", "milestones"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        services.add_target(sup.p.city, plan, {"indicator": "value_added", "value": "1", "year": 2035})
    assert "year" in exc.value.message_dict
    task = services.add_plan_task(sup.p.city, plan, {"title": "t"})
    with pytest.raises(ValidationError) as exc:
        services.add_milestone(
            sup.p.city, task, {"title": "m", "starts_on": dt.date(2031, 1, 1), "deadline": dt.date(2031, 6, 1)}
        )
    assert "deadline" in exc.value.message_dict


def test_the_city_reports_on_its_milestone_and_the_department_marks_a_major_problem(sup):
    sup.plan()
    ms = sup.milestone
    services.report_progress(sup.p.city, ms, {"text": "备案材料已报送", "percent": 50})
    with pytest.raises(PermissionDenied):  # a provincial unit does not own a city's milestone
        services.report_progress(sup.fgw, ms, {"text": "x", "percent": 10})
    with pytest.raises(Http404):  # an enterprise does not even see it
        services.comment(sup.p.ent_a, ms, "x")
    for user in (sup.p.city, sup.fgw, sup.p.environment):
        with pytest.raises(PermissionDenied):
            services.comment(user, ms, "x", major=True)
    remark = services.comment(sup.dept, ms, "项目用地未落实，需省政府协调", major=True)
    assert remark.major and Remark.objects.filter(major=True).count() == 1
    assert AuditEvent.objects.filter(object_id=str(ms.pk), after__event="major_problem").exists()
