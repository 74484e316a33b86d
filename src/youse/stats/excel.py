"""Tables of the statistics pages as Excel workbooks.

A page builds each table once as a `Table`; the template renders it as HTML and `xlsx_response()` writes
it as a workbook, so the file holds exactly the numbers on the page. Layout of a sheet: a title row
naming the table, the period and the scope; the synthetic-data note when the demo data set is loaded;
the header row with units in the headers; the rows, numbers as numbers (Decimal stays Decimal, so
Excel shows 123.45, not the text "123.45")."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Column:
    header: str
    unit: str = ""
    numeric: bool = True

    @property
    def title(self) -> str:
        """The header with its unit, as the sheet and the HTML table both show it."""
        return f"{self.header} ({self.unit})" if self.unit else self.header


@dataclass
class Table:
    """One table of a page: the same object feeds the HTML table and its Excel export."""

    name: str  # the `table=` parameter of the export link
    title: str
    columns: list[Column]
    rows: list[list[object]] = field(default_factory=list)
    # Per-row link for the first cell (drill-down), not exported.
    links: list[str | None] = field(default_factory=list)
    total: list[object] | None = None
    note: str = ""
    export_url: str = ""  # set by the page: the link that downloads this table

    def link(self, i: int) -> str | None:
        return self.links[i] if i < len(self.links) else None

    @property
    def html_rows(self) -> list[tuple[str | None, list[tuple[object, bool]]]]:
        """(link, [(value, numeric), ...]) per row, for the HTML table."""
        flags = [c.numeric for c in self.columns]
        return [(self.link(i), list(zip(row, flags, strict=False))) for i, row in enumerate(self.rows)]

    @property
    def html_total(self) -> list[tuple[object, bool]] | None:
        if self.total is None:
            return None
        return list(zip(self.total, [c.numeric for c in self.columns], strict=False))


def _cell(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, Decimal | int | float):
        return value
    return str(value)


def workbook(tables: list[Table], *, period: str, scope: str, synthetic: bool) -> Workbook:
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DCE6F2")
    for table in tables:
        # Sheet names: at most 31 characters, none of []:*?/\
        sheet = book.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", table.title)[:31] or table.name[:31])
        sheet.append([f"{table.title} · {period} · {scope}"])
        sheet.cell(row=1, column=1).font = Font(bold=True, size=12)
        if synthetic:
            sheet.append([_("Synthetic demo data (示例数据): every enterprise, figure and person is invented.")])
            sheet.cell(row=sheet.max_row, column=1).font = Font(italic=True, color="9C5700")
        sheet.append([c.title for c in table.columns])
        header_row = sheet.max_row
        for i in range(1, len(table.columns) + 1):
            cell = sheet.cell(row=header_row, column=i)
            cell.font = bold
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            sheet.append([_cell(v) for v in row])
        if table.total is not None:
            sheet.append([_cell(v) for v in table.total])
            for i in range(1, len(table.columns) + 1):
                sheet.cell(row=sheet.max_row, column=i).font = bold
        if table.note:
            sheet.append([])
            sheet.append([table.note])
        for i, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(column.title) * 1.6))
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    return book


def xlsx_response(tables: list[Table], *, period: str, scope: str, synthetic: bool, filename: str) -> HttpResponse:
    """A download of the tables, one sheet each."""
    buffer = io.BytesIO()
    workbook(tables, period=period, scope=scope, synthetic=synthetic).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    safe = re.sub(r"[^A-Za-z0-9._-]", "-", filename)
    response["Content-Disposition"] = f'attachment; filename="{safe}.xlsx"'
    return response
