"""The campaign, case, inspection and order pages as each persona sees them: who may open what, and the
whole workflow through the forms (campaign, failing inspection, order, the enterprise's report with a
photo, a failing re-inspection that escalates the case)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from youse.capacity.models import CapacityViolation
from youse.enforcement import services
from youse.enforcement.models import Campaign, Case, Closure, Evidence, Finding, Inspection, RectificationOrder

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde" + b"\x00" * 16
)
PERSONAS = ("department", "environment", "city", "ent_a", "ent_b")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def expect(personas, url: str, allowed: dict[str, int]) -> None:
    for name in PERSONAS:
        response = personas.client(name).get(url)
        assert response.status_code == allowed.get(name, 200), (name, url, response.status_code)
    anonymous = personas.client("anonymous").get(url)
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]


def today() -> dt.date:
    return timezone.localdate()


def inspection_post(case: Case, *, failing: bool, inspected_on: dt.date | None = None, **extra) -> dict:
    """The checklist form filled in: the safety licence item met or not, the magnesium scale item measured."""
    from youse.enforcement.models import ChecklistItem

    saf = ChecklistItem.objects.get(code="SAF-GEN-1")
    mg = ChecklistItem.objects.get(code="TEC-MG-1")
    data = {
        "inspecting_unit": "榆林市工业和信息化局",
        "inspectors": "王五、赵六",
        "inspected_on": (inspected_on or today()).isoformat(),
        "dimensions": case.dimensions,
        f"item_{saf.pk}": "no" if failing else "yes",
        f"item_{mg.pk}": "9000" if failing else "20000",
        "finding-TOTAL_FORMS": "3",
        "finding-INITIAL_FORMS": "0",
        **extra,
    }
    return data


# --- Who may open what -------------------------------------------------------------------------------


def test_the_lists_open_for_every_signed_in_role_and_send_anonymous_visitors_to_sign_in(enf, personas):
    enf.campaign()
    for name in (
        "enforcement:overview",
        "enforcement:campaign-list",
        "enforcement:case-list",
        "enforcement:order-list",
    ):
        expect(personas, reverse(name), {})


def test_only_the_department_starts_a_campaign_and_only_department_and_city_open_cases(personas):
    only_department = {"environment": 403, "city": 403, "ent_a": 403, "ent_b": 403}
    expect(personas, reverse("enforcement:campaign-create"), only_department)
    expect(personas, reverse("enforcement:campaign-preview"), only_department)
    expect(personas, reverse("enforcement:case-create"), {"environment": 403, "ent_a": 403, "ent_b": 403})


def test_a_case_page_is_seen_only_within_scope(enf, personas):
    campaign = enf.campaign()
    case_a = enf.case_a(campaign)
    case_b = Case.objects.get(campaign=campaign, enterprise=personas.enterprise_b)
    expect(personas, reverse("enforcement:case-detail", args=[case_a.pk]), {"ent_b": 404})
    expect(personas, reverse("enforcement:case-detail", args=[case_b.pk]), {"city": 404, "ent_a": 404})
    expect(personas, reverse("enforcement:campaign-detail", args=[campaign.pk]), {})
    inspect = reverse("enforcement:case-inspect", args=[case_a.pk])
    expect(personas, inspect, {"environment": 403, "ent_a": 403, "ent_b": 403})


def test_an_enterprise_sees_only_its_own_cases_and_orders(enf, personas):
    campaign = enf.campaign()
    enf.order(enf.inspect(enf.case_a(campaign), passed=False))
    page = personas.client("ent_b").get(reverse("enforcement:case-list")).content.decode()
    assert personas.enterprise_b.name in page and personas.enterprise_a.name not in page
    orders = personas.client("ent_b").get(reverse("enforcement:order-list") + "?show=all").content.decode()
    assert "No order here." in orders
    orders = personas.client("ent_a").get(reverse("enforcement:order-list")).content.decode()
    assert personas.enterprise_a.name in orders


def test_the_environment_department_reads_but_sees_no_action(enf, personas):
    case = enf.case_a()
    page = personas.client("environment").get(reverse("enforcement:case-detail", args=[case.pk])).content.decode()
    assert "Record an inspection" not in page and "Propose closure" not in page
    page = personas.client("environment").get(reverse("enforcement:overview")).content.decode()
    assert "New survey campaign" not in page and "Open a case" not in page


# --- Campaign and dashboard --------------------------------------------------------------------------


def test_the_department_creates_a_campaign_from_the_form(personas):
    client = personas.client("department")
    preview = client.get(reverse("enforcement:campaign-preview"), {"metals": ["Mg"]}).content.decode()
    assert 'data-count="1"' in preview and "Yulin" in preview
    response = client.post(
        reverse("enforcement:campaign-create"),
        {
            "name": "2026年镁行业专项检查",
            "year": "2026",
            "dimensions": ["safety", "technology"],
            "metals": ["Mg"],
            "starts_on": "2026-03-01",
            "due_on": "2026-06-30",
        },
    )
    campaign = Campaign.objects.get(name="2026年镁行业专项检查")
    assert response.status_code == 302 and response["Location"] == reverse(
        "enforcement:campaign-detail", args=[campaign.pk]
    )
    assert campaign.dimensions == ["safety", "technology"]
    assert list(campaign.cases.values_list("enterprise", "status")) == [(personas.enterprise_a.pk, "planned")]


def test_the_campaign_form_shows_the_services_refusal(personas):
    response = personas.client("department").post(
        reverse("enforcement:campaign-create"),
        {"name": "x", "year": "2026", "dimensions": ["safety"], "starts_on": "2026-06-01", "due_on": "2026-03-01"},
    )
    assert response.status_code == 200 and "Inspections cannot be due before the campaign starts." in (
        response.content.decode()
    )
    assert not Campaign.objects.exists()


def test_the_dashboard_counts_per_city_with_the_rectification_deadline(enf, personas):
    campaign = enf.campaign()
    deadline = today() + dt.timedelta(days=30)
    enf.order(enf.inspect(enf.case_a(campaign), passed=False), deadline=deadline)
    page = personas.client("department").get(reverse("enforcement:overview")).content.decode()
    assert campaign.name in page and "ys-enforcement-data" in page
    yulin = page[page.index('data-city="610800"') :]
    yulin = yulin[: yulin.index("</tr>")]
    assert 'data-col="listed"><a' in yulin and 'data-col="rectifying"><a' in yulin
    assert deadline.isoformat() in yulin
    assert f"?campaign={campaign.pk}&amp;city={personas.city.division_id}&amp;status=rectifying" in yulin
    # The safety item failed: Yulin has one enterprise failing the safety dimension.
    dims = page[page.index('id="ys-dimensions"') :]
    assert "dimension=safety" in dims
    # Baoji was listed but not inspected.
    baoji = page[page.index('data-city="610300"') :]
    assert 'data-col="inspected"><span class="text-muted">0' in baoji[: baoji.index("</tr>")]


def test_the_city_sees_only_its_own_row_of_the_matrix(enf, personas):
    enf.campaign()
    page = personas.client("city").get(reverse("enforcement:overview")).content.decode()
    assert 'data-city="610800"' in page and 'data-city="610300"' not in page


def test_overdue_orders_and_escalated_cases_are_listed_on_the_overview(enf, personas):
    order = enf.order(enf.inspect(enf.case_a(), passed=False))  # deadline 2026-06-30: past
    page = personas.client("department").get(reverse("enforcement:overview")).content.decode()
    overdue = page[page.index('data-list="overdue"') :]
    assert order.code in overdue[: overdue.index("</ul>")]
    services.mark_overdue_orders()
    page = personas.client("department").get(reverse("enforcement:overview")).content.decode()
    escalated = page[page.index('data-list="escalated"') :]
    assert order.case.code in escalated[: escalated.index("</ul>")]
    orders = personas.client("city").get(reverse("enforcement:order-list")).content.decode()
    assert 'class="table-danger"' in orders and "days overdue" in orders


# --- Case list filters -------------------------------------------------------------------------------


def test_the_case_list_filters_by_status_city_dimension_and_overdue(enf, personas):
    campaign = enf.campaign()
    case_a = enf.case_a(campaign)
    enf.order(enf.inspect(case_a, passed=False))
    client = personas.client("department")
    url = reverse("enforcement:case-list")

    def codes(**params) -> set[str]:
        page = client.get(url, params).content.decode()
        return {c.code for c in Case.objects.all() if f'data-case="{c.code}"' in page}

    case_b = Case.objects.get(campaign=campaign, enterprise=personas.enterprise_b)
    assert codes() == {case_a.code, case_b.code}
    assert codes(status="rectifying") == {case_a.code}
    assert codes(status="inspected") == {case_a.code}
    assert codes(city=personas.division["610300"].pk) == {case_b.code}
    assert codes(dimension="safety") == {case_a.code}
    assert codes(dimension="quality") == set()
    assert codes(overdue="1") == {case_a.code}
    assert codes(source="complaint") == set()


# --- The workflow through the forms ------------------------------------------------------------------


def test_the_workflow_from_inspection_to_escalation_through_the_forms(enf, personas, media):
    case = enf.case_a()
    city = personas.client("city")
    case_url = reverse("enforcement:case-detail", args=[case.pk])

    # The city records a failing inspection through the checklist form, with a photo.
    form = city.get(reverse("enforcement:case-inspect", args=[case.pk])).content.decode()
    assert 'data-item="SAF-GEN-1"' in form and 'data-item="TEC-MG-1"' in form
    assert 'data-item="ENE-AL-1"' not in form  # an aluminium norm: enterprise A makes magnesium
    assert "15,000" in form or "15000" in form  # the threshold shown beside the measured item
    data = inspection_post(
        case,
        failing=True,
        **{"finding-0-dimension": "environment", "finding-0-text": "厂区扬尘无组织排放"},
    )
    data["files"] = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    response = city.post(reverse("enforcement:case-inspect", args=[case.pk]), data)
    assert response.status_code == 302 and response["Location"] == case_url
    inspection = Inspection.objects.get(case=case)
    assert inspection.verdict == "fail"
    findings = {(f.dimension, f.item.code if f.item else None) for f in inspection.findings.all()}
    assert findings == {("safety", "SAF-GEN-1"), ("technology", "TEC-MG-1"), ("environment", None)}
    assert inspection.evidence.count() == 1

    # The order form is prefilled from the failed findings; the city issues it.
    order_url = reverse("enforcement:order-issue", args=[inspection.pk])
    form = city.get(order_url).content.decode()
    assert "厂区扬尘无组织排放" in form and "《安全生产法》" in form
    failed = list(Finding.objects.filter(inspection=inspection).order_by("pk"))
    deadline = today() + dt.timedelta(days=60)
    post = {
        "issued_on": today().isoformat(),
        "deadline": deadline.isoformat(),
        "responsible_person": "李总经理",
        "req-TOTAL_FORMS": str(len(failed)),
        "req-INITIAL_FORMS": str(len(failed)),
    }
    for i, f in enumerate(failed):
        post |= {f"req-{i}-finding": f.pk, f"req-{i}-text": f"整改：{f.text}", f"req-{i}-basis": "依据"}
    response = city.post(order_url, post)
    assert response.status_code == 302
    order = RectificationOrder.objects.get(case=case)
    assert (order.deadline, order.requirements.count(), order.state) == (deadline, 3, "issued")
    case.refresh_from_db()
    assert case.status == "rectifying"

    # Enterprise A reads its order, starts and reports the work done with a PNG.
    ent = personas.client("ent_a")
    page = ent.get(case_url).content.decode()
    assert order.code in page and "Report the rectification done" in page and "Re-inspect" not in page
    assert ent.post(reverse("enforcement:order-action", args=[order.pk, "start"])).status_code == 302
    report = {
        f"report-{order.pk}-report": "已补办安全生产许可证，扩建至两万吨",
        f"report-{order.pk}-files": SimpleUploadedFile("整改.png", PNG, content_type="image/png"),
    }
    response = ent.post(reverse("enforcement:order-action", args=[order.pk, "report"]), report)
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state == "submitted" and order.evidence.get().original_name == "整改.png"

    # The photo is served to those who see the case, and to no one else.
    ev = order.evidence.get()
    assert ent.get(reverse("enforcement:evidence-file", args=[ev.pk])).status_code == 200
    assert personas.client("ent_b").get(reverse("enforcement:evidence-file", args=[ev.pk])).status_code == 404

    # The city re-inspects: still failing, so the order fails and the case is escalated to the department.
    page = city.get(case_url).content.decode()
    assert reverse("enforcement:order-reinspect", args=[order.pk]) in page
    response = city.post(reverse("enforcement:order-reinspect", args=[order.pk]), inspection_post(case, failing=True))
    assert response.status_code == 302
    order.refresh_from_db()
    case.refresh_from_db()
    assert order.state == "failed" and case.status == "escalated"
    assert Closure.objects.get(case=case).state == "proposed"

    # The timeline tells the whole story in order.
    page = personas.client("department").get(case_url).content.decode()
    kinds = [k.split('"')[0] for k in page.split('data-entry="')[1:]]
    assert kinds == ["source", "inspection", "order", "report", "inspection", "closure"]
    assert page.count("data-evidence") == 2


def test_a_refused_report_stays_on_the_case_page_with_the_reason(enf, personas, media):
    order = enf.order(enf.inspect(enf.case_a(), passed=False), deadline=today() + dt.timedelta(days=10))
    bad = SimpleUploadedFile("fake.png", b"not an image", content_type="image/png")
    response = personas.client("ent_a").post(
        reverse("enforcement:order-action", args=[order.pk, "report"]),
        {f"report-{order.pk}-report": "done", f"report-{order.pk}-files": bad},
    )
    assert response.status_code == 200 and "Nothing was changed" in response.content.decode()
    order.refresh_from_db()
    assert order.state == "issued" and not Evidence.objects.exists()


def test_a_city_cannot_act_on_a_baoji_case(enf, personas, media):
    campaign = enf.campaign()
    case_b = Case.objects.get(campaign=campaign, enterprise=personas.enterprise_b)
    city = personas.client("city")
    assert city.get(reverse("enforcement:case-inspect", args=[case_b.pk])).status_code == 404
    response = city.post(reverse("enforcement:case-inspect", args=[case_b.pk]), inspection_post(case_b, failing=True))
    assert response.status_code == 404
    response = city.post(reverse("enforcement:case-propose-closure", args=[case_b.pk]), {"reason": "拒绝检查"})
    assert response.status_code == 404
    inspection = enf.inspect(case_b, personas.department, passed=False)
    assert city.get(reverse("enforcement:order-issue", args=[inspection.pk])).status_code == 404
    case_b.refresh_from_db()
    assert case_b.status == "open" and not RectificationOrder.objects.exists()


def test_an_enterprise_cannot_answer_another_enterprises_order(enf, personas):
    order = enf.order(enf.inspect(enf.case_a(), passed=False))
    response = personas.client("ent_b").post(reverse("enforcement:order-action", args=[order.pk, "start"]))
    assert response.status_code == 404
    order.refresh_from_db()
    assert order.state == "issued"


# --- Opening cases -----------------------------------------------------------------------------------


def test_a_complaint_case_is_opened_from_the_form(personas):
    response = personas.client("city").post(
        reverse("enforcement:case-create"),
        {"enterprise": personas.enterprise_a.pk, "dimensions": ["environment"], "summary": "群众举报夜间偷排"},
    )
    case = Case.objects.get()
    assert response.status_code == 302 and (case.source, case.status, case.city.code) == ("complaint", "open", "610800")
    # The city is not offered Baoji's enterprise, and the service refuses it anyway.
    form = personas.client("city").get(reverse("enforcement:case-create")).content.decode()
    assert personas.enterprise_b.name not in form


def test_a_case_is_opened_from_an_open_capacity_violation(personas):
    now = timezone.now()
    violation = CapacityViolation.objects.create(
        key="uncovered_unit:test",
        kind="uncovered_unit",
        enterprise=personas.enterprise_a,
        tonnes=50000,
        detail="设计产能高于台账覆盖产能",
        first_detected_at=now,
        last_detected_at=now,
    )
    page = personas.client("city").get(reverse("enforcement:case-create")).content.decode()
    assert f'data-violation="{violation.pk}"' in page
    response = personas.client("city").post(reverse("enforcement:case-from-source", args=["capacity", violation.pk]))
    case = Case.objects.get()
    assert response.status_code == 302 and (case.source, case.violation) == ("capacity", violation)
    page = personas.client("city").get(reverse("enforcement:case-create")).content.decode()
    assert f'data-violation="{violation.pk}"' not in page  # answered by a case now
    page = personas.client("department").get(reverse("enforcement:case-detail", args=[case.pk])).content.decode()
    assert "Capacity violation" in page and "设计产能高于台账覆盖产能" in page


def test_the_overview_counts_cases_by_source(enf, personas):
    enf.campaign()
    services.open_case(
        personas.city, {"enterprise": personas.enterprise_a, "dimensions": ["safety"], "summary": "举报"}
    )
    page = personas.client("department").get(reverse("enforcement:overview")).content.decode()
    assert 'data-source="campaign">2<' in page and 'data-source="complaint">1<' in page


def test_the_department_proposes_closure_from_the_case_page(enf, personas):
    case = enf.case_a()
    response = personas.client("department").post(
        reverse("enforcement:case-propose-closure", args=[case.pk]), {"reason": "拒不接受检查"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "escalated" and Closure.objects.get(case=case).reason == "拒不接受检查"


def test_the_pages_speak_chinese_by_default(enf, personas):
    enf.campaign()
    page = personas.client("department", language="zh-hans").get(reverse("enforcement:overview")).content.decode()
    assert 'lang="zh-hans"' in page


def test_the_post_only_steps_refuse_a_get_and_a_role_without_the_capability(enf, personas):
    case = enf.case_a()
    order = enf.order(enf.inspect(case, passed=False))
    for url in (
        reverse("enforcement:case-propose-closure", args=[case.pk]),
        reverse("enforcement:order-action", args=[order.pk, "start"]),
        reverse("enforcement:case-from-source", args=["capacity", 1]),
    ):
        assert personas.client("city").get(url).status_code == 405
    env = personas.client("environment")
    assert env.post(reverse("enforcement:case-propose-closure", args=[case.pk]), {"reason": "x"}).status_code == 403
    assert env.post(reverse("enforcement:order-action", args=[order.pk, "start"])).status_code == 403
    case.refresh_from_db()
    order.refresh_from_db()
    assert case.status == "rectifying" and order.state == "issued"
