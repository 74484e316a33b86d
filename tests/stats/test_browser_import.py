"""An enterprise files its monthly report from the Excel template in a real browser: enterprise A signs in,
downloads the template from its reports page, fills it in with openpyxl as its accountant would in Excel,
uploads it through the import form as a draft, finds the report in its list, checks the figures and submits
it for review."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.browser import browser_page, shot, sign_in  # noqa: F401  (the fixture)
from tests.conftest import Personas
from youse.stats import importer
from youse.stats.models import MonthlyReport

CODES = [c.code for c in importer.COLUMNS]
FIGURES = {"output_t": 3500, "output_value": 6300, "value_added": 1200, "revenue": 5200, "profit": -30,
           "energy_tce": 5400, "electricity_kwh": 3100000, "employees": 320}  # fmt: skip


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_enterprise_files_its_monthly_report_from_the_excel_template(browser_page, live_server, tmp_path):  # noqa: F811
    base = live_server.url
    personas = Personas()
    month = importer.default_month()
    page = browser_page
    reports = reverse("stats:report-list")
    sign_in(page, base, personas.ent_a.username, reports)
    assert f"{month:%Y-%m}" in page.locator("h1").inner_text()
    shot(page, "1-reports")

    # The template from the reports page: prefilled with A's own unit for last month, and nothing else.
    with page.expect_download() as info:
        page.locator(f"a[href$='{reverse('stats:report-template')}?month={month:%Y-%m}']").click()
    download = info.value
    assert download.suggested_filename == f"月报模板-{month:%Y-%m}.xlsx"
    template = tmp_path / download.suggested_filename
    download.save_as(template)
    book = load_workbook(template)
    sheet = book[importer.SHEET]
    assert [c.value for c in sheet[1]] == CODES
    rows = list(sheet.iter_rows(min_row=3))
    assert [(r[CODES.index("credit_code")].value, r[CODES.index("unit_id")].value) for r in rows] == [
        (personas.enterprise_a.credit_code, personas.unit_a.pk)
    ]

    # Filled in as in Excel, and uploaded through the import form as a draft.
    for code, value in FIGURES.items():
        rows[0][CODES.index(code)].value = value
    filled = tmp_path / "示范镁业月报.xlsx"
    out = io.BytesIO()
    book.save(out)
    filled.write_bytes(out.getvalue())
    page.goto(f"{base}{reverse('stats:report-import')}")
    page.set_input_files("#id_file", str(filled))
    page.select_option("#id_status", "draft")
    shot(page, "2-import-form")
    with page.expect_navigation():
        page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    result = page.locator("#result-title")
    assert "示范镁业月报.xlsx" in result.inner_text()
    assert result.locator(".bi-check-circle.text-success").count() == 1
    assert page.locator("#import-errors").count() == 0
    shot(page, "3-imported")
    report = MonthlyReport.objects.get(enterprise=personas.enterprise_a, period=month)
    assert report.status == "draft"

    # The draft is in A's list for the month, with its value added; B's enterprise is not.
    page.goto(f"{base}{reports}")
    row = page.locator("tbody tr").filter(
        has=page.locator(f"a[href='{reverse('stats:report-detail', args=[report.pk])}']")
    )
    assert row.count() == 1
    assert "1200" in row.inner_text()
    assert personas.enterprise_b.name not in page.locator("main").inner_text()
    shot(page, "4-listed")

    # A opens it and submits it for review.
    row.locator("a").first.click()
    page.wait_for_url(re.compile(rf"/stats/reports/{report.pk}/$"))
    submit = page.locator(f"form[action='{reverse('stats:report-submit', args=[report.pk])}'] button")
    with page.expect_navigation():
        submit.click()
    assert submit.count() == 0
    assert page.locator(".alert").filter(has_text=personas.enterprise_a.name).count() >= 1
    shot(page, "5-submitted")
    report.refresh_from_db()
    assert report.status == "submitted" and report.submitted_at is not None
    assert report.current.value_added == Decimal("1200") and report.current.lines.get().output_t == Decimal("3500")
