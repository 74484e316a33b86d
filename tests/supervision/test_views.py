"""The supervision pages per persona: the board, a task, a plan with its timeline and review, progress
from the owner's page, and the report as a page and as a Word document."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from youse.supervision.models import CityPlan, ProgressReport

pytestmark = pytest.mark.django_db


def test_the_board_colours_each_unit_under_each_task(sup):
    sup.subtask(starts_on=dt.date(2019, 1, 1), deadline=dt.date(2020, 1, 1))  # long overdue
    html = sup.p.client("department").get(reverse("supervision:board")).content.decode()
    assert 'data-clause="二(一)"' in html
    assert 'data-unit="fgw" data-status="overdue"' in html
    assert 'data-unit="gxt" data-status="none"' in html


def test_the_department_adds_a_sub_task_from_the_task_page(sup):
    client = sup.p.client("department")
    url = reverse("supervision:task-detail", args=[sup.innovation.pk])
    response = client.post(
        url,
        {"title": "组建创新联盟", "unit": sup.fgw.unit_id, "starts_on": "2026-01-01", "deadline": "2026-12-31"},
    )
    assert response.status_code == 302
    assert "组建创新联盟" in client.get(url).content.decode()
    assert sup.p.client("city").post(url, {"title": "x"}).status_code == 403


def test_a_city_creates_fills_and_submits_its_plan_and_the_department_accepts(sup):
    city = sup.p.client("city")
    response = city.post(
        reverse("supervision:plan-list"),
        {"division": sup.yulin.pk, "start_year": 2026, "end_year": 2030, "title": "榆林市方案"},
    )
    plan = CityPlan.objects.get()
    assert response.status_code == 302 and plan.division == sup.yulin
    url = reverse("supervision:plan-detail", args=[plan.pk])
    assert (
        city.post(url, {"form": "target", "indicator": "al_utilisation", "value": "85", "year": 2030}).status_code
        == 302
    )
    assert city.post(url, {"form": "task", "title": "镁产业延链"}).status_code == 302
    task = plan.tasks.get()
    response = city.post(
        url,
        {
            "form": "milestone",
            "task": task.pk,
            "title": "项目开工",
            "starts_on": "2026-03-01",
            "deadline": "2027-06-30",
        },
    )
    assert response.status_code == 302
    html = city.get(url).content.decode()
    assert 'id="ys-gantt"' in html and "项目开工" in html and "data-milestone=" in html
    city.post(reverse("supervision:plan-action", args=[plan.pk, "submit"]))
    plan.refresh_from_db()
    assert plan.state == "submitted"
    assert city.post(reverse("supervision:plan-action", args=[plan.pk, "accept"])).status_code == 403
    sup.p.client("department").post(reverse("supervision:plan-action", args=[plan.pk, "accept"]), {"comment": "同意"})
    plan.refresh_from_db()
    assert plan.state == "accepted"


def test_the_owner_reports_progress_with_evidence_from_its_page(sup, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    st = sup.subtask("yulin", clause=sup.exit)
    url = reverse("supervision:subtask-detail", args=[st.pk])
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%test\n")
    response = sup.p.client("city").post(
        url, {"form": "progress", "percent": 60, "text": "已完成主体工程", "files": [pdf]}
    )
    assert response.status_code == 302
    ev = ProgressReport.objects.get().evidence.get()
    file_url = reverse("supervision:evidence-file", args=[ev.pk])
    assert sup.p.client("city").get(file_url).status_code == 200
    assert sup.p.client("environment").get(file_url).status_code == 200
    assert sup.p.client("ent_a").get(file_url).status_code == 403
    # Not its own: the environment department sees the page but has no form and is refused on posting.
    assert "Report progress" not in sup.p.client("environment").get(url).content.decode()
    assert sup.p.client("environment").post(url, {"form": "progress", "percent": 1, "text": "x"}).status_code == 403


def test_the_report_page_and_its_word_document(sup):
    sup.subtask()
    sup.plan()
    client = sup.p.client("department")
    html = client.get(reverse("supervision:report") + "?period=2026-2030").content.decode()
    assert "督查报告" in html and 'data-city="榆林市"' in html and 'data-clause="三(八)"' in html
    response = client.get(reverse("supervision:report-docx") + "?period=2026-2030")
    assert response["Content-Type"].endswith("wordprocessingml.document")
    doc = Document(io.BytesIO(response.content))
    assert doc.paragraphs[0].text.endswith("督查报告")
    assert sup.p.client("city").get(reverse("supervision:report")).status_code == 403


@pytest.mark.parametrize("persona", ["ent_a", "ent_b"])
def test_enterprises_have_no_supervision_pages(sup, persona):
    assert sup.p.client(persona).get(reverse("supervision:board")).status_code == 403
    assert sup.p.client(persona).get(reverse("supervision:plan-list")).status_code == 403
