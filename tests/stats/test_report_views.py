"""The report pages: who sees which reports, the entry form and its errors, and the life cycle through
the buttons (submit, accept, return, correction)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from youse.core.models import AuditEvent
from youse.stats import services
from youse.stats.models import MonthlyReport

MAY = dt.date(2024, 5, 1)
MONTH = "2024-05"


def figures(**overrides):
    data = {
        "value_added": "1200",
        "revenue": "5200",
        "profit": "-30",
        "energy_tce": "5400",
        "electricity_kwh": "3100000",
        "employees": 320,
    }
    data.update(overrides)
    return data


def file_report(p, enterprise, unit, user, **overrides) -> MonthlyReport:
    # 500 t fits both units' monthly capacity (50,000 t/a magnesium, 8,000 t/a titanium sheet).
    line = {"unit": unit.pk, "output_t": "500", "output_value": "6300"}
    return services.save_report(user, enterprise, MAY, figures(**overrides), [line])


def form_data(unit, **overrides) -> dict:
    data = {
        "value_added": "1200",
        "revenue": "5200",
        "profit": "-30",
        "energy_tce": "5400",
        "electricity_kwh": "3100000",
        "employees": "320",
        "fly_ash_used_t": "",
        "slag_used_t": "",
        "tailings_used_t": "",
        "reason": "",
        f"unit-{unit.pk}-output_t": "3500",
        f"unit-{unit.pk}-output_value": "6300",
    }
    data.update(overrides)
    return data


@pytest.fixture
def reports(personas):
    p = personas
    a = file_report(p, p.enterprise_a, p.unit_a, p.ent_a)
    b = file_report(p, p.enterprise_b, p.unit_b, p.ent_b)
    return {"a": a, "b": b}


# --- Who sees what ---------------------------------------------------------------------------------

DETAIL = {
    # persona: (status for A's report, status for B's report)
    "department": (200, 200),
    "environment": (200, 200),
    "city": (200, 404),
    "ent_a": (200, 404),
    "ent_b": (404, 200),
    "anonymous": (302, 302),
}
EDIT = {
    "department": (200, 200),
    "environment": (403, 403),
    "city": (200, 404),
    "ent_a": (200, 404),
    "ent_b": (404, 200),
    "anonymous": (302, 302),
}


@pytest.mark.parametrize("persona", list(DETAIL))
def test_it_shows_each_persona_only_the_reports_in_its_scope(personas, reports, persona):
    client = personas.client(persona)
    for key, expected in zip(("a", "b"), DETAIL[persona], strict=True):
        response = client.get(reverse("stats:report-detail", args=[reports[key].pk]))
        assert response.status_code == expected, (persona, key)
    for key, expected in zip(("a", "b"), EDIT[persona], strict=True):
        response = client.get(reverse("stats:report-edit", args=[reports[key].pk]))
        assert response.status_code == expected, (persona, key, "edit")


@pytest.mark.parametrize(
    ("persona", "seen"),
    [
        ("department", {"a", "b"}),
        ("environment", {"a", "b"}),
        ("city", {"a"}),
        ("ent_a", {"a"}),
        ("ent_b", {"b"}),
    ],
)
def test_it_lists_only_the_reports_in_scope(personas, reports, persona, seen):
    html = personas.client(persona).get(reverse("stats:report-list"), {"month": MONTH}).content.decode()
    names = {"a": personas.enterprise_a.name, "b": personas.enterprise_b.name}
    assert {k for k, name in names.items() if f">{name}</a>" in html} == seen


def test_it_lists_last_month_by_default_and_names_the_enterprises_not_yet_filed(personas, reports):
    html = personas.client("department").get(reverse("stats:report-list")).content.decode()
    today = dt.date.today().replace(day=1)
    last = (today - dt.timedelta(days=1)).strftime("%Y-%m")
    assert f"Monthly reports for {last}" in html
    # Nobody filed last month: both enterprises are listed as not yet filed.
    assert "No report" in html and personas.enterprise_a.name in html and personas.enterprise_b.name in html
    # For May, both have drafts: still not filed, as drafts.
    html = personas.client("department").get(reverse("stats:report-list"), {"month": MONTH}).content.decode()
    assert html.count("Draft not submitted") == 2
    services.submit_report(personas.ent_a, reports["a"])
    html = personas.client("department").get(reverse("stats:report-list"), {"month": MONTH}).content.decode()
    assert html.count("Draft not submitted") == 1


def test_it_filters_the_list_by_status_and_search(personas, reports):
    services.submit_report(personas.ent_a, reports["a"])
    client = personas.client("department")
    html = client.get(reverse("stats:report-list"), {"month": MONTH, "status": "submitted"}).content.decode()
    assert f">{personas.enterprise_a.name}</a>" in html and f">{personas.enterprise_b.name}</a>" not in html
    html = client.get(reverse("stats:report-list"), {"month": MONTH, "q": "钛业"}).content.decode()
    assert f">{personas.enterprise_b.name}</a>" in html and f">{personas.enterprise_a.name}</a>" not in html


def test_it_refuses_the_entry_pages_to_read_only_roles(personas):
    client = personas.client("environment")
    assert client.get(reverse("stats:report-new")).status_code == 403
    assert client.get(reverse("stats:report-import")).status_code == 403
    assert client.get(reverse("stats:report-template")).status_code == 403


# --- The form --------------------------------------------------------------------------------------


def test_it_saves_an_enterprises_own_report_from_the_form(personas):
    p = personas
    client = p.client("ent_a")
    url = reverse("stats:report-new") + f"?month={MONTH}"
    page = client.get(url)
    assert page.status_code == 200 and p.unit_a.name in page.content.decode()
    response = client.post(url, form_data(p.unit_a))
    report = MonthlyReport.objects.get(enterprise=p.enterprise_a, period=MAY)
    assert response.status_code == 302 and response["Location"] == reverse("stats:report-detail", args=[report.pk])
    assert report.status == "draft" and report.current.value_added == Decimal("1200")
    assert report.current.lines.get().output_t == Decimal("3500")
    # Opening the new page again goes to the existing report's edit page, prefilled.
    again = client.get(url)
    assert again.status_code == 302 and again["Location"] == reverse("stats:report-edit", args=[report.pk])
    assert 'value="1200.00"' in client.get(again["Location"]).content.decode()


def test_it_maps_service_errors_onto_the_fields_of_the_form(personas):
    p = personas
    client = p.client("ent_a")
    url = reverse("stats:report-new") + f"?month={MONTH}"
    # 9000 t is above the unit's monthly capacity; value added above the lines' output value.
    response = client.post(url, form_data(p.unit_a, **{f"unit-{p.unit_a.pk}-output_t": "9000", "value_added": "7000"}))
    assert response.status_code == 200
    line_form = response.context["line_forms"][0]
    assert "can make in the month" in " ".join(line_form.errors["output_t"])
    assert "exceeds the output value" in " ".join(response.context["form"].errors["value_added"])
    assert not MonthlyReport.objects.exists()


def test_it_saves_and_submits_with_one_button(personas):
    p = personas
    url = reverse("stats:report-new") + f"?enterprise={p.enterprise_a.pk}&month={MONTH}"
    response = p.client("city").post(url, {**form_data(p.unit_a), "submit": "1"})
    assert response.status_code == 302
    assert MonthlyReport.objects.get(enterprise=p.enterprise_a).status == "submitted"


def test_it_does_not_let_an_enterprise_file_for_another(personas):
    p = personas
    url = reverse("stats:report-new") + f"?enterprise={p.enterprise_b.pk}&month={MONTH}"
    assert p.client("ent_a").get(url).status_code == 404
    assert p.client("ent_a").post(url, form_data(p.unit_b)).status_code == 404
    assert not MonthlyReport.objects.exists()


# --- Life cycle through the pages ------------------------------------------------------------------


def test_it_walks_a_report_through_submit_accept_and_correction_on_the_pages(personas, reports):
    p = personas
    report = reports["a"]
    detail = reverse("stats:report-detail", args=[report.pk])
    assert p.client("ent_a").post(reverse("stats:report-submit", args=[report.pk])).status_code == 302
    # An enterprise cannot accept its own report.
    assert p.client("ent_a").post(reverse("stats:report-accept", args=[report.pk])).status_code == 403
    html = p.client("city").get(detail).content.decode()
    assert "Accept and pass to the department" in html
    p.client("city").post(reverse("stats:report-accept", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == "city_accepted"
    p.client("department").post(reverse("stats:report-accept", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == "accepted"
    # A correction needs its reason.
    p.client("ent_a").post(reverse("stats:report-correction", args=[report.pk]), {"reason": ""})
    report.refresh_from_db()
    assert report.current_id == report.accepted_id
    p.client("ent_a").post(reverse("stats:report-correction", args=[report.pk]), {"reason": "增加值口径调整"})
    report.refresh_from_db()
    assert report.current_id != report.accepted_id
    edit = reverse("stats:report-edit", args=[report.pk])
    p.client("ent_a").post(edit, {**form_data(p.unit_a, value_added="999"), "submit": "1"})
    p.client("department").post(reverse("stats:report-accept", args=[report.pk]))
    report.refresh_from_db()
    assert report.accepted.value_added == Decimal("999") and report.accepted.number == 2
    html = p.client("ent_a").get(detail).content.decode()
    assert "Superseded" in html and "增加值口径调整" in html and "Accepted: counts" in html
    # The audit history is on the page: submit, city and department acceptance, resubmission, acceptance.
    assert html.count("Status changed") == 5


def test_it_returns_a_report_only_with_a_reason(personas, reports):
    p = personas
    report = reports["a"]
    services.submit_report(p.ent_a, report)
    url = reverse("stats:report-return", args=[report.pk])
    response = p.client("city").post(url, {"reason": " "}, follow=True)
    report.refresh_from_db()
    assert report.status == "submitted" and "Say why the report is returned" in response.content.decode()
    next_url = reverse("stats:report-list") + f"?month={MONTH}"
    response = p.client("city").post(url, {"reason": "产值偏高，请核实", "next": next_url})
    assert response["Location"] == next_url
    report.refresh_from_db()
    assert report.status == "returned"
    event = AuditEvent.objects.filter(object_id=str(report.pk), action="transition").latest("time")
    assert event.reason == "产值偏高，请核实"


def test_it_offers_review_buttons_only_to_reviewers(personas, reports):
    p = personas
    services.submit_report(p.ent_a, reports["a"])
    url = reverse("stats:report-list") + f"?month={MONTH}"
    assert "Reason for returning" in p.client("city").get(url).content.decode()
    assert "Reason for returning" in p.client("department").get(url).content.decode()
    assert "Reason for returning" not in p.client("environment").get(url).content.decode()
    assert "Reason for returning" not in p.client("ent_a").get(url).content.decode()
    # hbt reads but may not act.
    assert p.client("environment").post(reverse("stats:report-accept", args=[reports["a"].pk])).status_code == 403
