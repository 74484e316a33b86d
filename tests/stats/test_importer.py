"""The Excel template and the import (page and `youse import_stats`): a round trip from the downloaded
template to accepted figures, and bad files that import nothing and name every bad cell."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from youse.core.models import AuditEvent
from youse.registry import services as registry_services
from youse.stats import importer
from youse.stats.models import MonthlyReport, ReportRevision

MAY = dt.date(2024, 5, 1)
CODES = [c.code for c in importer.COLUMNS]
LABELS = [importer.header_label(c) for c in importer.COLUMNS]


def letter(code: str) -> str:
    return chr(ord("A") + CODES.index(code))


def row(personas, enterprise, unit, month="2024-05", **values) -> list:
    data = {"credit_code": enterprise.credit_code, "month": month, "unit_id": unit.pk if unit else None}
    data.update(values)
    return [data.get(code) for code in CODES]


FIGURES_A = {"value_added": 1200, "revenue": 5200, "profit": -30, "energy_tce": 5400,
             "electricity_kwh": 3100000, "employees": 320}  # fmt: skip
FIGURES_B = {"value_added": 900, "revenue": 3000, "profit": 100, "energy_tce": 800,
             "electricity_kwh": 900000, "employees": 150}  # fmt: skip
SMALL = {"value_added": 1, "revenue": 1, "profit": 1, "energy_tce": 1, "electricity_kwh": 1, "employees": 1}


def good_rows(p) -> list[list]:
    return [
        row(p, p.enterprise_a, p.unit_a, output_t=3500, output_value=6300, **FIGURES_A),
        row(p, p.enterprise_b, p.unit_b, output_t=500, output_value=4000, fly_ash_used_t=12.5, **FIGURES_B),
    ]


def workbook(rows: list[list], labels: list | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = importer.SHEET
    ws.append(CODES)
    ws.append(labels or LABELS)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], bom: bool = True) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CODES)
    for r in rows:
        writer.writerow(["" if v is None else v for v in r])
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def upload(client, data: bytes, name: str, **extra):
    return client.post(
        reverse("stats:report-import"),
        {"file": SimpleUploadedFile(name, data), "status": "submitted", **extra},
    )


# --- Template round trip ---------------------------------------------------------------------------


def test_it_round_trips_the_template_from_download_to_reports(personas):
    p = personas
    client = p.client("department")
    response = client.get(reverse("stats:report-template"), {"month": "2024-05"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == [importer.SHEET, importer.NOTES_SHEET]
    ws = wb[importer.SHEET]
    assert [c.value for c in ws[1]] == CODES
    assert [c.value for c in ws[2]][CODES.index("output_value")] == "产值（现价） (万元)"
    rows = {r[CODES.index("unit_id")].value: r for r in ws.iter_rows(min_row=3)}
    assert set(rows) == {p.unit_a.pk, p.unit_b.pk}
    # Fill it in as an enterprise would.
    fill = {
        p.unit_a.pk: {"output_t": 3500, "output_value": 6300, **FIGURES_A},
        p.unit_b.pk: {"output_t": 500, "output_value": 4000, **FIGURES_B},
    }
    for unit_id, values in fill.items():
        for code, value in values.items():
            rows[unit_id][CODES.index(code)].value = value
    out = io.BytesIO()
    wb.save(out)
    response = upload(client, out.getvalue(), "月报.xlsx")
    assert response.status_code == 200, response.context["result"].errors
    result = response.context["result"]
    assert (result.created, result.replaced, result.lines, result.imported) == (2, 0, 2, True)
    report = MonthlyReport.objects.get(enterprise=p.enterprise_a, period=MAY)
    assert report.status == "submitted"
    assert report.current.value_added == Decimal("1200") and report.current.profit == Decimal("-30")
    assert report.current.lines.get().output_t == Decimal("3500")
    assert AuditEvent.objects.filter(object_id=str(report.pk), channel="import").exists()
    # The template for the same month now carries the filed figures.
    again = load_workbook(io.BytesIO(client.get(reverse("stats:report-template"), {"month": "2024-05"}).content))
    values = {r[CODES.index("unit_id")]: r for r in again[importer.SHEET].iter_rows(min_row=3, values_only=True)}
    assert values[p.unit_a.pk][CODES.index("output_value")] == 6300


def test_it_prefills_only_the_enterprises_a_user_files_for(personas):
    wb = load_workbook(io.BytesIO(personas.client("ent_b").get(reverse("stats:report-template")).content))
    codes = {r[0] for r in wb[importer.SHEET].iter_rows(min_row=3, values_only=True)}
    assert codes == {personas.enterprise_b.credit_code}


def test_it_imports_a_csv_with_or_without_bom(personas):
    p = personas
    for bom in (True, False):
        result = importer.import_file(p.department, csv_bytes(good_rows(p), bom=bom), "reports.csv", status="draft")
        assert result.errors == [] and result.reports == 2
    # The second import replaced the first one's drafts.
    assert result.replaced == 2 and MonthlyReport.objects.count() == 2
    b = MonthlyReport.objects.get(enterprise=p.enterprise_b)
    assert b.current.fly_ash_used_t == Decimal("12.5")


def test_it_takes_enterprise_figures_from_the_first_row_and_requires_repeats_to_agree(personas):
    p = personas
    unit_a2 = registry_services.create_unit(
        p.department, p.plant_a,
        {"name": "镁合金线", "metal": "Mg", "stage": "processing", "product": "镁合金锭",
         "design_capacity": "20000", "capacity_unit": "t/a"},
        status="operating", status_since=dt.date(2019, 5, 1),
    )  # fmt: skip
    first = good_rows(p)[0]
    same = row(p, p.enterprise_a, unit_a2, output_t=100, output_value=300, value_added=1200)
    result = importer.import_file(p.department, workbook([first, same]), "ok.xlsx")
    assert result.errors == [] and result.lines == 2
    # A row without a unit carries enterprise figures only; repeating the same value is fine.
    other = row(p, p.enterprise_a, None, "2024-06", value_added=1200)
    differs = row(p, p.enterprise_a, p.unit_a, "2024-06", output_t=100, output_value=3000, value_added=1200,
                  revenue=5200, profit=1, energy_tce=1, electricity_kwh=1, employees=3)  # fmt: skip
    conflict = row(p, p.enterprise_a, unit_a2, "2024-06", output_t=1, output_value=1, revenue=5100)
    result = importer.import_file(p.department, workbook([differs, other, conflict]), "bad.xlsx")
    assert [(e.row, e.letter, e.column) for e in result.errors] == [(5, letter("revenue"), "revenue")]
    assert "row 3" in result.errors[0].message
    assert not MonthlyReport.objects.filter(period=dt.date(2024, 6, 1)).exists()


# --- Bad files -------------------------------------------------------------------------------------


def bad_file_rows(p) -> list[list]:
    a, b = good_rows(p)
    return [
        a,  # row 3: fine
        # row 4: negative output
        row(p, p.enterprise_b, p.unit_b, output_t=-5, output_value=4000, **FIGURES_B),
        row(p, p.enterprise_b, p.unit_b, output_t=1, output_value=1),  # row 5: the same unit twice
        ["91610000MA00000000", "2024-05", p.unit_a.pk, None, None, 1, 1],  # row 6: unknown credit code
        row(p, p.enterprise_a, p.unit_a, month="2024-13", output_t=1, output_value=1),  # row 7: bad month
        # row 8: B's unit under A; not a number
        row(p, p.enterprise_a, p.unit_b, month="2024-04", output_t=1, output_value="abc", **SMALL),
        # row 9: above the unit's capacity for the month
        row(p, p.enterprise_a, p.unit_a, month="2024-03", output_t=9000, output_value=20000, **SMALL),
    ]  # fmt: skip


EXPECTED_BAD_CELLS = [
    (4, "output_t", "cannot be negative"),
    (5, "unit_id", "given twice"),
    (6, "credit_code", "no enterprise with credit code"),
    (7, "month", "is not a month"),
    (8, "unit_id", "belongs to another enterprise"),
    (8, "output_value", "is not a number"),
    (9, "output_t", "can make in the month"),
]


def assert_bad_cells(errors):
    found = [(e.row, e.column) for e in errors]
    assert found == [(r, c) for r, c, _m in EXPECTED_BAD_CELLS]
    for error, (_r, code, text) in zip(errors, EXPECTED_BAD_CELLS, strict=True):
        assert text in error.message and error.letter == letter(code) and error.sheet == importer.SHEET


def test_it_imports_nothing_from_a_bad_file_and_names_every_bad_cell(personas):
    p = personas
    before = AuditEvent.objects.count()
    result = importer.import_file(p.department, workbook(bad_file_rows(p)), "bad.xlsx")
    assert_bad_cells(result.errors)
    assert not result.imported
    assert not MonthlyReport.objects.exists() and not ReportRevision.objects.exists()
    assert AuditEvent.objects.count() == before


def test_it_shows_every_error_of_a_rejected_upload_on_the_page_and_keeps_it(personas):
    p = personas
    client = p.client("department")
    response = upload(client, workbook(bad_file_rows(p)), "bad.xlsx")
    assert response.status_code == 400
    html = response.content.decode()
    assert "7 errors — nothing was imported" in html
    assert html.count("<tr><td>月报</td>") == len(EXPECTED_BAD_CELLS)
    assert not MonthlyReport.objects.exists()
    # The result stays for a later visit to the page.
    again = client.get(reverse("stats:report-import")).content.decode()
    assert "7 errors — nothing was imported" in again and "is not a month" in again


def test_it_refuses_a_unit_column_in_another_unit(personas):
    p = personas
    labels = list(LABELS)
    labels[CODES.index("output_value")] = "产值 (元)"
    result = importer.import_file(p.department, workbook(good_rows(p), labels=labels), "yuan.xlsx")
    assert [(e.row, e.column, e.letter) for e in result.errors] == [(2, "output_value", letter("output_value"))]
    assert "万元" in result.errors[0].message and not MonthlyReport.objects.exists()


def test_it_names_unknown_and_missing_columns(personas):
    data = b"credit_code,month,unit_id,output_tt,output_value\n"
    result = importer.import_file(personas.department, data, "x.csv")
    assert {(e.row, e.column) for e in result.errors} == {(1, "output_tt"), (1, "output_t")}


def test_it_refuses_files_it_cannot_read_and_files_too_large(personas, settings):
    with pytest.raises(importer.FileRefused):
        importer.import_file(personas.department, b"not a workbook", "x.xlsx")
    with pytest.raises(importer.FileRefused):
        importer.import_file(personas.department, b"a,b", "x.txt")
    settings.YOUSE_IMPORT_MAX_BYTES = 100
    response = upload(personas.client("department"), csv_bytes(good_rows(personas)), "big.csv")
    html = response.content.decode()
    assert response.status_code == 400 and "at most 100\xa0bytes" in html
    assert "Nothing was imported" in html and not MonthlyReport.objects.exists()


def test_it_lets_an_enterprise_import_only_its_own_reports(personas):
    p = personas
    result = importer.import_file(p.ent_a, csv_bytes(good_rows(p)), "x.csv")
    assert [(e.row, e.column) for e in result.errors] == [(3, "credit_code")]
    assert not MonthlyReport.objects.exists()


def test_it_maps_service_problems_of_enterprise_figures_to_their_cells(personas):
    p = personas
    # Value added above the output value: the service's check, at the value_added cell of row 3.
    r = row(p, p.enterprise_a, p.unit_a, output_t=100, output_value=100, value_added=500, revenue=1, profit=1,
            energy_tce=1, electricity_kwh=1)  # fmt: skip
    result = importer.import_file(p.department, workbook([r]), "x.xlsx")
    assert [(e.row, e.column) for e in result.errors] == [(3, "value_added"), (3, "employees")]


def test_it_refuses_to_replace_a_submitted_report(personas):
    p = personas
    importer.import_file(p.department, csv_bytes(good_rows(p)), "x.csv", status="submitted")
    result = importer.import_file(p.department, csv_bytes(good_rows(p)), "x.csv")
    assert [(e.row, e.column) for e in result.errors] == [(2, "month"), (3, "month")]


# --- The command -----------------------------------------------------------------------------------


def test_it_imports_from_the_command_line(personas, tmp_path, capsys):
    p = personas
    path = tmp_path / "reports.xlsx"
    path.write_bytes(workbook(good_rows(p)))
    call_command("import_stats", str(path), "--as", "gxt", "--status", "accepted")
    out = capsys.readouterr().out
    assert "2 reports created, 0 replaced, 2 lines" in out
    assert set(MonthlyReport.objects.values_list("status", flat=True)) == {"accepted"}
    assert AuditEvent.objects.filter(channel="import", content_type__model="monthlyreport").count() == 2


def test_it_exits_with_status_1_and_one_line_per_error(personas, tmp_path, capsys):
    p = personas
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook(bad_file_rows(p)))
    with pytest.raises(CommandError) as caught:
        call_command("import_stats", str(path), "--as", "gxt")
    assert caught.value.returncode == 1 and "7 errors: nothing imported" in str(caught.value)
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == len(EXPECTED_BAD_CELLS)
    assert lines[0] == f"月报 row 4 column {letter('output_t')} output_t: cannot be negative (-5 t)"
    assert not MonthlyReport.objects.exists()


def test_it_checks_without_importing_on_a_dry_run_and_refuses_acceptance_to_a_city(personas, tmp_path, capsys):
    p = personas
    path = tmp_path / "reports.csv"
    path.write_bytes(csv_bytes(good_rows(p)))
    call_command("import_stats", str(path), "--as", "gxt", "--dry-run")
    assert "Would create 2" in capsys.readouterr().out and not MonthlyReport.objects.exists()
    with pytest.raises(CommandError):
        call_command("import_stats", str(path), "--as", "yulin", "--status", "accepted")
    assert not MonthlyReport.objects.exists()
