"""The applications list and the holdings list as workbooks: a title, the filters applied, the rows
(numbers as numbers), the totals; the applications' workbook has a second sheet of totals by category
and city. The rows are the ones on the page, in the reader's scope."""

import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)
FILL = PatternFill("solid", fgColor="DCE6F2")


def _head(sheet, title: str, filters: dict, synthetic: bool) -> None:
    sheet.append([title])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=12)
    sheet.append([_("Exported"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    shown = "; ".join(f"{k}={v}" for k, v in filters.items() if v not in (None, "")) or _("none")
    sheet.append([_("Filters"), shown])
    if synthetic:
        sheet.append([_("Synthetic demo data (示例数据): every enterprise, figure and person is invented.")])
        sheet.cell(row=sheet.max_row, column=1).font = Font(italic=True, color="9C5700")
    sheet.append([])


def _table(sheet, columns: list[str], rows: list[list], total: list | None = None) -> None:
    sheet.append(columns)
    header = sheet.max_row
    for i in range(1, len(columns) + 1):
        cell = sheet.cell(row=header, column=i)
        cell.font, cell.fill, cell.alignment = BOLD, FILL, Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    if total:
        sheet.append(total)
        for i in range(1, len(columns) + 1):
            sheet.cell(row=sheet.max_row, column=i).font = BOLD
    for row in sheet.iter_rows(min_row=header + 1, max_row=sheet.max_row):
        for cell in row:
            if isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.00#"
    for i, title in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(title) * 1.3))
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)


def _response(book: Workbook, name: str) -> HttpResponse:
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def applications_book(apps: list, totals: dict, filters: dict, *, synthetic: bool) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Applications")[:31]
    _head(sheet, _("Support fund projects (专项资金项目)"), filters, synthetic)
    columns = [
        _("Number"), _("Year"), _("Call"), _("Enterprise"), _("Unified social credit code"), _("City"),
        _("Category"), _("Project"), _("Total investment (万元)"), _("Requested (万元)"), _("Approved (万元)"),
        _("Paid (万元)"), _("State"), pgettext("support funds", "Submitted"), pgettext("support funds", "Decided"),
        _("Acceptance date"), _("Outcomes"),
    ]  # fmt: skip
    rows = []
    for a in apps:
        outcomes = "; ".join(
            f"{o.indicator} {o.expected}{o.unit}" + (f" → {o.achieved}{o.unit}" if o.achieved is not None else "")
            for o in a.outcomes.all()
        )
        rows.append([
            a.code, a.call.year, a.call.title, a.enterprise.name, a.enterprise.credit_code,
            a.enterprise.division.prefecture.name if a.enterprise.division.prefecture_id else "",
            str(a.get_category_display()), a.project_name, a.total_investment, a.requested, a.approved,
            getattr(a, "paid", None), str(a.state_label), a.submitted_on, a.decided_on, a.accepted_on, outcomes,
        ])  # fmt: skip
    total = [_("Total"), None, None, None, None, None, None, None, None, totals["requested"], totals["approved"],
             totals["disbursed"]]  # fmt: skip
    _table(sheet, columns, rows, total)
    summary = book.create_sheet(_("Totals")[:31])
    for title, key in ((_("By category"), "by_category"), (_("By city"), "by_city")):
        summary.append([title])
        summary.cell(row=summary.max_row, column=1).font = BOLD
        cols = [title, _("Applications"), _("Requested (万元)"), _("Approved (万元)"), _("Paid (万元)")]
        _table(summary, cols, [[r["label"], r["count"], r["requested"], r["approved"], r["disbursed"]]
                               for r in totals[key]])  # fmt: skip
        summary.append([])
    summary.freeze_panes = None
    return book


def applications_response(apps: list, totals: dict, filters: dict, *, synthetic: bool) -> HttpResponse:
    return _response(applications_book(apps, totals, filters, synthetic=synthetic), "support-projects.xlsx")


def holdings_book(holdings: list, filters: dict, *, synthetic: bool) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Reserve holdings")[:31]
    _head(sheet, _("Metal reserves (有色金属储备)"), filters, synthetic)
    columns = [
        _("Metal"), _("Product"), _("Kind"), _("Holder"), _("Unified social credit code"), _("Warehouse"),
        _("City"), _("Location"), _("Quantity (t)"), _("Last movement"),
    ]  # fmt: skip
    rows = [
        [h.metal.name, h.product, str(h.get_kind_display()), h.holder, h.enterprise.credit_code if h.enterprise_id
         else "", h.warehouse, h.division.prefecture.name if h.division.prefecture_id else "", h.division.name,
         h.quantity_t, h.last_moved_on]
        for h in holdings
    ]  # fmt: skip
    total = [_("Total")] + [None] * 7 + [sum((h.quantity_t for h in holdings), Decimal(0))]
    _table(sheet, columns, rows, total if len({h.metal_id for h in holdings}) == 1 else None)
    return book


def holdings_response(holdings: list, filters: dict, *, synthetic: bool) -> HttpResponse:
    return _response(holdings_book(holdings, filters, synthetic=synthetic), "reserve-holdings.xlsx")
