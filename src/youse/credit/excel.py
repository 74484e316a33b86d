"""An edition of the credit support list as a workbook, for the banks and the financial regulators.

Sheet one: a header block (title, edition, facts as of, status and publication document), then one row
per entry the reader may see: the enterprise, its city and main metal, included or excluded, the override
and its reason, and one column per criterion with its result and reason. Sheet two: the criteria as they
were applied, with their basis."""

import io
import re

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from youse.credit.models import Edition, Entry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIXED = 7  # columns before the criteria


def _sheet_title(text: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", text)[:31]


def workbook(edition: Edition, entries: list[Entry], *, synthetic: bool) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(_("List %(y)s edition %(n)s") % {"y": edition.year, "n": edition.number})
    bold = Font(bold=True)
    sheet.append([edition.title])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=12)
    for label, value in (
        (_("Edition"), edition.number),
        (_("Facts as of"), edition.as_of),
        (_("Status"), edition.get_status_display()),
        (_("Publication document"), edition.document or _("not yet published (draft)")),
        (_("Published"), edition.published_at.date() if edition.published_at else None),
    ):
        sheet.append([label, value])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        if hasattr(value, "year"):
            sheet.cell(row=sheet.max_row, column=2).number_format = "yyyy-mm-dd"
    if synthetic:
        sheet.append([_("Synthetic demo data (示例数据): every enterprise, figure and person is invented.")])
        sheet.cell(row=sheet.max_row, column=1).font = Font(italic=True, color="9C5700")
    sheet.append([])
    criteria = edition.criteria or []
    columns = [
        _("No."),
        _("Enterprise"),
        _("Unified social credit code"),
        _("City"),
        _("Main metal"),
        _("Included"),
        _("Override and reason"),
        *[c["label"] for c in criteria],
    ]
    sheet.append(columns)
    header_row = sheet.max_row
    fill = PatternFill("solid", fgColor="DCE6F2")
    for i in range(1, len(columns) + 1):
        cell = sheet.cell(row=header_row, column=i)
        cell.font, cell.fill, cell.alignment = bold, fill, Alignment(wrap_text=True, vertical="top")
    for n, e in enumerate(entries, start=1):
        results = {r["code"]: r for r in e.results or []}
        override = ""
        if e.override_included is not None:
            verb = _("included by override") if e.override_included else _("excluded by override")
            override = f"{verb}: {e.override_reason}"
        cells = []
        for c in criteria:
            r = results.get(c["code"])
            cells.append(f"{_('pass') if r['passed'] else _('fail')}: {r['reason']}" if r else "")
        sheet.append(
            [n, e.name, e.credit_code, str(e.city or ""), str(e.metal or ""), _("yes") if e.included else _("no"),
             override, *cells]
        )  # fmt: skip
    widths = [6, 36, 22, 12, 10, 8, 30] + [40] * len(criteria)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)

    rules_sheet = book.create_sheet(_sheet_title(_("Criteria")))
    rules_sheet.append([_("Code"), _("Criterion"), _("Policy basis"), _("Parameters")])
    for i in range(1, 5):
        rules_sheet.cell(row=1, column=i).font = bold
    for c in criteria:
        params = ", ".join(f"{k}={v}" for k, v in (c.get("params") or {}).items())
        rules_sheet.append([c["code"], c["label"], c["basis"], params])
    for i, width in enumerate((22, 40, 60, 30), start=1):
        rules_sheet.column_dimensions[get_column_letter(i)].width = width
    return book


def response(edition: Edition, entries: list[Entry], *, synthetic: bool) -> HttpResponse:
    buffer = io.BytesIO()
    workbook(edition, entries, synthetic=synthetic).save(buffer)
    out = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"credit-list-{edition.year}-{edition.number}.xlsx"
    out["Content-Disposition"] = f'attachment; filename="{name}"'
    return out
