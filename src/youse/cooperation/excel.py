"""The filtered list of overseas projects as a workbook: a header block (title, the caller's scope, the
filters, when it was made), one row per project with numbers as numbers and the currency in the column
titles, then the totals over the filed projects."""

import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from youse.cooperation.models import OverseasProject

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def columns() -> list[str]:
    return [
        _("Number"),
        _("Register number (备案登记号)"),
        _("Project name"),
        _("Enterprise"),
        _("City"),
        _("Host country"),
        _("ISO 3166 code"),
        _("Metal"),
        _("Value-chain stage"),
        _("Investment mode"),
        _("Equity share (%)"),
        _("Total investment (万美元)"),
        _("Chinese-side investment (万美元)"),
        _("Invested to date (万美元)"),
        _("Capacity (t/a)"),
        _("Foreign partners"),
        _("Domestic partners"),
        _("Agreement signed"),
        _("Construction started"),
        _("Operation started"),
        _("Status"),
        pgettext("overseas project", "Registration"),
        _("Risk level"),
        _("NDRC filing number (发改委备案)"),
        _("MOFCOM certificate number (商务厅)"),
        _("Flagged for attention"),
    ]


def _partners(p: OverseasProject, side: str) -> str:
    return "; ".join(f"{x.name}（{x.role}）" if x.role else x.name for x in p.partners.all() if x.side == side)


def row(p: OverseasProject) -> list[object]:
    return [
        p.code,
        p.register_no,
        p.name,
        p.enterprise.name,
        str(p.enterprise.division.prefecture or p.enterprise.division),
        p.country.name,
        p.country.code,
        p.metal.name,
        p.stage.name,
        p.mode_label,
        p.equity_share,
        p.total_investment,
        p.chinese_investment,
        p.invested,
        p.capacity,
        _partners(p, "foreign"),
        _partners(p, "domestic"),
        p.signed_on,
        p.construction_started_on,
        p.operation_started_on,
        p.status_label,
        p.filing_label,
        p.get_risk_level_display(),
        p.ndrc_filing_no,
        p.mofcom_certificate_no,
        p.flag_reason if p.flagged else "",
    ]


def workbook(projects: list[OverseasProject], totals: dict, *, scope: str, filters: str, synthetic: bool) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Overseas projects")[:31]
    bold = Font(bold=True)
    sheet.append([_("Overseas projects of the province's nonferrous enterprises (境外投资项目)")])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=12)
    for label, value in (
        (_("Scope"), scope or _("Whole province")),
        (_("Filters"), filters or _("none")),
        (_("Made"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
        (_("Currency"), _("US dollars, in units of 10,000 (万美元)")),
    ):
        sheet.append([label, value])
        sheet.cell(row=sheet.max_row, column=1).font = bold
    if synthetic:
        sheet.append([_("Synthetic demo data (示例数据): every enterprise, figure and person is invented.")])
        sheet.cell(row=sheet.max_row, column=1).font = Font(italic=True, color="9C5700")
    sheet.append([])
    titles = columns()
    sheet.append(titles)
    header_row = sheet.max_row
    fill = PatternFill("solid", fgColor="DCE6F2")
    for i in range(1, len(titles) + 1):
        cell = sheet.cell(row=header_row, column=i)
        cell.font, cell.fill, cell.alignment = bold, fill, Alignment(wrap_text=True, vertical="top")
    for p in projects:
        sheet.append(row(p))
    for r in sheet.iter_rows(min_row=header_row + 1, max_row=sheet.max_row):
        for cell in r:
            if isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.00"
            elif hasattr(cell.value, "isoformat"):
                cell.number_format = "yyyy-mm-dd"
    sheet.append([])
    summary = [
        (_("Projects listed"), totals["projects"]),
        (pgettext("overseas project", "Filed"), totals["filed"]),
        (_("Total investment of the filed projects (万美元)"), totals["total_investment"]),
        (_("Chinese-side investment of the filed projects (万美元)"), totals["chinese_investment"]),
        (_("Invested to date (万美元)"), totals["invested"]),
    ]
    for label, value in summary:
        sheet.append([label, value])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        if isinstance(value, Decimal):
            sheet.cell(row=sheet.max_row, column=2).number_format = "#,##0.00"
    for i, title in enumerate(titles, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(12, min(36, len(title) * 1.3))
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=4)
    return book


def response(projects, totals: dict, *, scope: str, filters: str, synthetic: bool) -> HttpResponse:
    buffer = io.BytesIO()
    workbook(projects, totals, scope=scope, filters=filters, synthetic=synthetic).save(buffer)
    out = HttpResponse(buffer.getvalue(), content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    out["Content-Disposition"] = f'attachment; filename="overseas-projects-{stamp}.xlsx"'
    return out
