"""The year's surcharge list as a workbook for the grid company, which bills the surcharge.

One sheet: a header block (the year the price applies, the rule set and its document, the approval
document or "draft"), the list with one row per smelter (numbers as numbers), the totals, then the
documents applied. The rows are the ones on the page, from the stored computations."""

import io
import re
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from youse.pricing import rules
from youse.pricing.models import SurchargeList

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _columns() -> list[str]:
    return [
        _("Smelter"),
        _("Unified social credit code"),
        _("City"),
        _("Reported consumption (kWh/t)"),
        _("Audited consumption (kWh/t)"),
        _("Months operated"),
        _("Excluded"),
        _("Steps"),
        _("Surcharge before reduction (元/kWh)"),
        _("Renewable reduction (%)"),
        _("Surcharge (元/kWh)"),
        _("Differential price (元/kWh)"),
        _("Total (元/kWh)"),
        _("Aluminium liquid electricity (kWh)"),
        _("Amount (元)"),
    ]


def _row(r: dict) -> list[object]:
    e = r["enterprise"]
    return [
        e.name,
        e.credit_code,
        str(r["city"] or ""),
        r["reported"],
        r["audited"],
        r["months"],
        _("yes") if r["excluded"] else _("no"),
        r["steps"],
        r["tier_surcharge"],
        r["reduction"],
        r["surcharge"],
        r["differential"],
        r["total"],
        r["electricity"],
        r["amount"],
    ]


def workbook(lst: SurchargeList, rule_set: rules.RuleSet, rows: list[dict], totals: dict, *, synthetic: bool):
    book = Workbook()
    sheet = book.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", _("Surcharge list %(y)s") % {"y": lst.year})[:31]
    bold = Font(bold=True)
    sheet.append([_("Electrolytic aluminium electricity surcharge list (阶梯电价执行名单) %(y)s") % {"y": lst.year}])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=12)
    header = [
        (_("Year the price applies"), lst.year),
        (_("Rule set"), f"{rule_set.code} {rule_set.document}"),
        (_("Status"), lst.get_status_display()),
        (_("Approval document"), lst.document or _("not yet approved (draft)")),
        (pgettext("surcharge list", "Approved"), lst.approved_at.date() if lst.approved_at else None),
    ]
    for label, value in header:
        sheet.append([label, value])
        sheet.cell(row=sheet.max_row, column=1).font = bold
    if synthetic:
        sheet.append([_("Synthetic demo data (示例数据): every enterprise, figure and person is invented.")])
        sheet.cell(row=sheet.max_row, column=1).font = Font(italic=True, color="9C5700")
    sheet.append([])
    columns = _columns()
    sheet.append(columns)
    header_row = sheet.max_row
    fill = PatternFill("solid", fgColor="DCE6F2")
    for i in range(1, len(columns) + 1):
        cell = sheet.cell(row=header_row, column=i)
        cell.font, cell.fill, cell.alignment = bold, fill, Alignment(wrap_text=True, vertical="top")
    documents: list[str] = []
    for r in rows:
        sheet.append(_row(r))
        for doc in r["assessment"].computation.get("documents", []):
            if doc not in documents:
                documents.append(doc)
    total = [_("Total")] + [None] * (len(columns) - 3) + [totals["electricity"], totals["amount"]]
    sheet.append(total)
    for i in range(1, len(columns) + 1):
        sheet.cell(row=sheet.max_row, column=i).font = bold
    for row in sheet.iter_rows(min_row=header_row + 1, max_row=sheet.max_row):
        for cell in row:
            if isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.0000" if abs(cell.value) < 1 and cell.value else "#,##0.##"
    sheet.append([])
    sheet.append([_("Documents applied")])
    sheet.cell(row=sheet.max_row, column=1).font = bold
    for doc in documents or [rule_set.document]:
        sheet.append([doc])
    for i, title in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(12, min(36, len(title) * 1.2))
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    return book


def list_response(lst: SurchargeList, rule_set, rows, totals, *, synthetic: bool) -> HttpResponse:
    buffer = io.BytesIO()
    workbook(lst, rule_set, rows, totals, synthetic=synthetic).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="surcharge-list-{lst.year}.xlsx"'
    return response
