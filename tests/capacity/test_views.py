"""The capacity pages as each persona sees them: who may open what, and the workflow through the forms."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from youse.capacity import services
from youse.capacity.models import CapacityIndicator, CapacityViolation, DismantlingEvidence, ReplacementScheme
from youse.core import services as core_services
from youse.core.roles import Role

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde" + b"\x00" * 16
)
PERSONAS = ("department", "environment", "city", "ent_a", "ent_b")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def approved(al, personas) -> ReplacementScheme:
    """A scheme of enterprise A claiming its own closed Yulin line, taken through to approval."""
    scheme = al.draft()
    services.submit_scheme(personas.ent_a, scheme)
    services.publish_scheme(personas.department, scheme)
    services.end_notices(timezone.localdate() + dt.timedelta(days=60))
    scheme.refresh_from_db()
    return services.approve_scheme(personas.department, scheme, document="陕工信发〔2026〕7号")


def violation(personas) -> CapacityViolation:
    now = timezone.now()
    return CapacityViolation.objects.create(
        key="uncovered_unit:test",
        kind="uncovered_unit",
        enterprise=personas.enterprise_a,
        tonnes=50000,
        detail="设计产能高于台账覆盖产能",
        first_detected_at=now,
        last_detected_at=now,
    )


def expect(personas, url: str, allowed: dict[str, int]) -> None:
    for name in PERSONAS:
        response = personas.client(name).get(url)
        assert response.status_code == allowed.get(name, 200), (name, url, response.status_code)
    anonymous = personas.client("anonymous").get(url)
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]


# --- Who may open what -------------------------------------------------------------------------------


def test_lists_open_for_every_signed_in_role_and_send_anonymous_visitors_to_sign_in(al, personas):
    for name in ("capacity:overview", "capacity:indicator-list", "capacity:scheme-list", "capacity:dismantling-list"):
        expect(personas, reverse(name), {})


def test_the_overview_shows_totals_chart_data_and_the_national_ceiling(al, personas):
    violation(personas)
    page = personas.client("department").get(reverse("capacity:overview")).content.decode()
    assert 'data-holding="available"' in page and "250,000" in page  # CN-A-OLD + CN-B-SALE
    assert "ys-capacity-data" in page and "Yulin" in page
    assert "National ceiling" in page and "data-violations>1<" in page
    # The environment department reads the ledger but not the violations.
    page = personas.client("environment").get(reverse("capacity:overview")).content.decode()
    assert "data-violations" not in page and "Register capacity" not in page


def test_an_indicator_is_seen_only_within_scope(al, personas):
    url = reverse("capacity:indicator-detail", args=[al.for_sale.pk])  # enterprise B's, in Baoji
    expect(personas, url, {"city": 404, "ent_a": 404})
    page = personas.client("ent_b").get(url).content.decode()
    assert "CN-B-SALE" in page and "Registered" in page and "Ledger actions" not in page


def test_lists_are_scoped(al, personas):
    page = personas.client("ent_b").get(reverse("capacity:indicator-list")).content.decode()
    assert "CN-B-SALE" in page and "CN-A-OLD" not in page
    page = personas.client("city").get(reverse("capacity:indicator-list") + "?holding=available").content.decode()
    assert "CN-A-OLD" in page and "CN-A-RUN" not in page and "CN-B-SALE" not in page


def test_a_scheme_is_seen_by_its_applicant_its_city_and_the_province(al, personas):
    scheme = al.draft()
    expect(personas, reverse("capacity:scheme-detail", args=[scheme.pk]), {"ent_b": 404})
    expect(personas, reverse("capacity:scheme-check", args=[scheme.pk]), {"ent_b": 404})


def test_only_applicants_draft_and_only_the_department_registers_capacity(al, personas):
    expect(personas, reverse("capacity:scheme-create"), {"environment": 403, "city": 403})
    expect(
        personas, reverse("capacity:indicator-register"), {"environment": 403, "city": 403, "ent_a": 403, "ent_b": 403}
    )


def test_violations_are_for_the_department_and_cities(al, personas):
    violation(personas)
    url = reverse("capacity:violation-list")
    expect(personas, url, {"environment": 403, "ent_a": 403, "ent_b": 403})
    assert "设计产能高于台账覆盖产能" in personas.client("city").get(url).content.decode()
    assert "Electrolysis capacity not covered" in personas.client("department").get(url).content.decode()


def test_the_module_is_reachable_from_the_navigation(personas):
    page = personas.client("ent_a").get(reverse("home")).content.decode()
    assert f'href="{reverse("capacity:overview")}"' in page


# --- Schemes through the pages -----------------------------------------------------------------------


def scheme_post(**extra) -> dict:
    data = {
        "title": "示范镁业置换项目",
        "plant": "",
        "site": "府谷县新民镇",
        "main_equipment": "500kA×256",
        "capacity_t": "150000",
        "energy_kwh_per_t": "12900",
        "planned_start": "2027-03-01",
        "planned_production": "2028-06-01",
        "route": "own",
        "contact": "原材料处，029-00000000",
        "reason": "",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-indicator": "CN-A-OLD",
        "lines-0-tonnes": "150000",
        "lines-0-dismantling_start": "2027-01-01",
        "lines-0-dismantling_due": "2027-12-31",
    }
    data.update(extra)
    return data


def test_an_enterprise_drafts_checks_and_submits_through_the_pages(al, personas):
    client = personas.client("ent_a")
    division = personas.division["610822"].pk
    response = client.post(reverse("capacity:scheme-create"), scheme_post(division=division))
    assert response.status_code == 302, response.content.decode()[:3000]
    scheme = ReplacementScheme.objects.get(title="示范镁业置换项目")
    assert scheme.applicant == personas.enterprise_a and scheme.state == "draft"
    assert scheme.exit_lines.get().indicator.code == "CN-A-OLD"
    page = client.get(response["Location"]).content.decode()
    # The live check report is shown before submission, with the submit button under it.
    assert 'data-report="passed"' in page and 'data-rule="ratio"' in page
    assert page.index('id="ys-check-report"') < page.index('data-action="submit"')
    partial = client.get(reverse("capacity:scheme-check", args=[scheme.pk]), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and b"<html" not in partial.content and b'data-rule="energy"' in partial.content
    response = client.post(reverse("capacity:scheme-action", args=[scheme.pk, "submit"]))
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.state == "submitted"
    assert CapacityIndicator.objects.get(code="CN-A-OLD").reserved_t == 150000


def test_the_draft_form_puts_errors_next_to_fields_and_lines(al, personas):
    client = personas.client("ent_a")
    data = scheme_post(division=personas.division["610822"].pk, capacity_t="", **{"lines-1-indicator": "CN-NOPE"})
    data["lines-1-tonnes"] = "5"
    page = client.post(reverse("capacity:scheme-create"), data).content.decode()
    assert 'id="id_capacity_t_error"' in page
    assert not ReplacementScheme.objects.exists()
    data["capacity_t"] = "150000"
    page = client.post(reverse("capacity:scheme-create"), data).content.decode()
    assert "data-line-error" in page and "Unknown capacity indicator: CN-NOPE" in page
    assert not ReplacementScheme.objects.exists()


def test_an_enterprise_edits_its_draft(al, personas):
    scheme = al.draft()
    client = personas.client("ent_a")
    url = reverse("capacity:scheme-edit", args=[scheme.pk])
    assert 'value="CN-A-OLD"' in client.get(url).content.decode()
    data = scheme_post(division=personas.division["610822"].pk, capacity_t="140000", title="改后的标题")
    assert client.post(url, data).status_code == 302
    scheme.refresh_from_db()
    assert (scheme.title, scheme.capacity_t) == ("改后的标题", 140000)
    assert personas.client("ent_b").get(url).status_code == 404


def test_a_submission_refused_by_the_rules_shows_the_failing_rule(al, personas):
    scheme = al.draft(capacity=300000)  # 150,000 t exited for 300,000 t new
    response = personas.client("ent_a").post(reverse("capacity:scheme-action", args=[scheme.pk, "submit"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-rule="ratio" data-passed="false"' in page and "150,000 t more exit capacity needed" in page
    scheme.refresh_from_db()
    assert scheme.state == "draft"


def test_an_enterprise_sees_no_decision_buttons_and_cannot_decide(al, personas):
    scheme = al.draft()
    services.submit_scheme(personas.ent_a, scheme)
    url = reverse("capacity:scheme-detail", args=[scheme.pk])
    page = personas.client("ent_a").get(url).content.decode()
    assert 'data-action="withdraw"' in page
    for action in ("publish", "approve", "reject", "announce"):
        assert f'data-action="{action}"' not in page
    assert (
        personas.client("ent_a").post(reverse("capacity:scheme-action", args=[scheme.pk, "publish"])).status_code == 403
    )
    page = personas.client("department").get(url).content.decode()
    assert 'data-action="publish"' in page and 'data-action="reject"' in page
    for name in ("environment", "city"):
        page = personas.client(name).get(url).content.decode()
        assert "data-action=" not in page


def test_the_department_publishes_with_errors_shown_by_the_field(al, personas):
    scheme = al.draft(contact="")
    services.submit_scheme(personas.ent_a, scheme)
    client = personas.client("department")
    url = reverse("capacity:scheme-action", args=[scheme.pk, "publish"])
    page = client.post(url, {"contact": ""}).content.decode()
    assert 'id="id_publish_contact_error"' in page and "address and telephone" in page
    assert client.post(url, {"contact": "原材料处，029-1"}).status_code == 302
    scheme.refresh_from_db()
    assert scheme.state == "notice" and scheme.notice_end


def test_the_department_upholds_an_objection_and_cuts_tonnes(al, personas):
    scheme = al.draft()
    services.submit_scheme(personas.ent_a, scheme)
    services.publish_scheme(personas.department, scheme)
    objection = services.file_objection(None, scheme, {"name": "张三", "contact": "138", "text": "不合规"})
    url = reverse("capacity:scheme-detail", args=[scheme.pk])
    assert "data-decide" not in personas.client("ent_a").get(url).content.decode()
    assert "data-decide" in personas.client("department").get(url).content.decode()
    decide = reverse("capacity:objection-decide", args=[objection.pk])
    assert personas.client("ent_a").post(decide, {"outcome": "upheld", "finding": "x"}).status_code == 403
    line = scheme.exit_lines.get()
    response = personas.client("department").post(
        decide, {"outcome": "upheld", "finding": "2万吨未列入名单", "cut_line": line.pk, "cut_tonnes": "20000"}
    )
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.state == "draft"
    assert CapacityIndicator.objects.get(code="CN-A-OLD").ineligible_t == 20000


# --- The ledger through the pages --------------------------------------------------------------------


def test_the_department_records_a_closure_and_others_cannot(al, personas):
    url = reverse("capacity:indicator-action", args=[al.running.pk, "close"])
    data = {"closed_on": "2026-01-05", "document": "榆工信发〔2026〕1号", "tonnes": "", "reason": ""}
    assert personas.client("ent_a").post(url, data).status_code == 403
    page = personas.client("department").post(url, {**data, "document": ""}).content.decode()
    assert 'id="id_document_error"' in page
    assert personas.client("department").post(url, data).status_code == 302
    al.running.refresh_from_db()
    assert (al.running.active_t, al.running.available_t) == (0, 200000)
    page = personas.client("department").get(reverse("capacity:indicator-detail", args=[al.running.pk])).content
    assert "榆工信发〔2026〕1号" in page.decode()


def test_the_department_registers_an_indicator(al, personas):
    response = personas.client("department").post(
        reverse("capacity:indicator-register"),
        {
            "code": "CN-B-NEW",
            "tonnes": "30000",
            "owner": personas.enterprise_b.pk,
            "origin_document": "宝发改〔2010〕3号",
            "basis": "cleanup_2017",
            "holding": "available",
        },
    )
    assert response.status_code == 302
    assert CapacityIndicator.objects.get(code="CN-B-NEW").available_t == 30000


# --- Dismantling ------------------------------------------------------------------------------------


def test_the_city_confirms_dismantling_with_a_photo_and_a_text_file_is_refused(al, personas, media):
    scheme = approved(al, personas)
    line = scheme.exit_lines.get()
    url = reverse("capacity:exit-line", args=[line.pk])
    listing = personas.client("city").get(reverse("capacity:dismantling-list")).content.decode()
    assert f'data-line="{line.pk}"' in listing
    assert "data-confirm" in personas.client("city").get(url).content.decode()
    assert "data-confirm" not in personas.client("ent_a").get(url).content.decode()
    client = personas.client("city")
    text = SimpleUploadedFile("report.png", b"just some text", content_type="image/png")
    page = client.post(url, {"dismantled_on": "2026-01-10", "note": "", "files": [text]}).content.decode()
    assert "report.png is not a JPEG, PNG or PDF file." in page and 'id="id_files_error"' in page
    line.refresh_from_db()
    assert line.dismantled_on is None
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    response = client.post(url, {"dismantled_on": "2026-01-10", "note": "已拆除", "files": [photo]})
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.dismantled_on == dt.date(2026, 1, 10)
    assert "现场.png" in client.get(url).content.decode()


def test_another_city_cannot_confirm(al, personas):
    scheme = approved(al, personas)
    line = scheme.exit_lines.get()
    baoji = core_services.create_user(None, "baoji", Role.CITY, password="x", division=personas.division["610300"])
    client = Client()
    client.force_login(baoji)
    assert client.get(reverse("capacity:exit-line", args=[line.pk])).status_code == 404


def test_evidence_is_served_only_to_those_who_may_see_the_line(al, personas, media):
    scheme = approved(al, personas)
    line = scheme.exit_lines.get()
    photo = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    services.confirm_dismantling(personas.city, line, dismantled_on=dt.date(2026, 1, 10), files=[photo])
    evidence = DismantlingEvidence.objects.get()
    url = reverse("capacity:evidence-file", args=[evidence.pk])
    expect(personas, url, {"ent_b": 404})
    response = personas.client("city").get(url + "?download=1")
    assert response["Content-Type"] == "image/png" and b"".join(response.streaming_content) == PNG
    assert "attachment" in response["Content-Disposition"]
    # No URL serves the stored file itself: only the scoped view above.
    for prefix in ("/", "/media/"):
        assert personas.client("department").get(prefix + evidence.file.name).status_code == 404
    page = personas.client("department").get(reverse("capacity:scheme-detail", args=[scheme.pk])).content.decode()
    assert url in page


def test_overdue_lines_come_first_and_are_marked(al, personas):
    scheme = approved(al, personas)
    line = scheme.exit_lines.get()
    services.mark_overdue_dismantling(dt.date(2028, 1, 5))
    page = personas.client("department").get(reverse("capacity:dismantling-list")).content.decode()
    assert f'data-line="{line.pk}" class="table-danger"' in page
    overview = personas.client("department").get(reverse("capacity:overview")).content.decode()
    assert "data-overdue>1<" in overview


def test_the_applicant_reads_objections_without_the_objectors_identity(al, personas):
    from youse.capacity import services

    scheme = al.draft()
    services.submit_scheme(personas.ent_a, scheme)
    services.publish_scheme(personas.department, scheme)
    services.file_objection(
        None, scheme, {"name": "李四", "organisation": "某厂", "contact": "13911112222", "text": "异议内容"}
    )
    url = f"/capacity/schemes/{scheme.pk}/"
    applicant = personas.client("ent_a").get(url).content.decode()
    assert "异议内容" in applicant
    assert "李四" not in applicant and "13911112222" not in applicant and "某厂" not in applicant
    for regulator in ("department", "city"):
        page = personas.client(regulator).get(url).content.decode()
        assert "李四" in page and "13911112222" in page
