"""Monthly reports from a spreadsheet: the Excel template (download), and the parsing of a filled-in
workbook or CSV file into `services.ReportInput`s for `services.file_reports` (upload, `youse import-stats`).

Layout (sheet "月报", the "说明" sheet says the same to the people who fill it in):
- row 1: stable column codes (credit_code, month, unit_id, ..., output_t, ...), in any order;
- row 2: Chinese labels with the unit in brackets, e.g. "产值（现价）(万元)": a unit that does not match the
  column's unit is an error, so figures in 元 or kg are never read as 万元 or t;
- from row 3: one row per production unit and month. Rows of one enterprise and month make one report.
  The enterprise's own figures (value added, revenue, ...) are given on its first row; its other rows
  leave them empty or repeat the same value — a different value is an error.
- A row whose unit figures are all empty is not a line (units that did not report); a row without a unit
  id carries only the enterprise's figures (an enterprise without production units).
CSV files (UTF-8, with or without BOM) have the same columns; the label row is optional there.

Every error names the sheet, the row, the column (code and Excel letter). A file with any error imports
nothing: `import_file` runs `file_reports` in a transaction it rolls back unless the whole file is clean,
so the service's own checks (capacity, electrolysis power, value added above output value, reports that
are no longer drafts) are reported cell by cell as well."""

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from youse.core import scopes
from youse.registry.models import Enterprise, ProductionUnit
from youse.stats import facts, services
from youse.stats.models import MonthlyReport, ReportStatus

SHEET = "月报"
NOTES_SHEET = "说明"
# Uploads larger than this are refused before they are read (settings.YOUSE_IMPORT_MAX_BYTES overrides).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
FIRST_DATA_ROW = 3
PROGRESS_EVERY = 2000


@dataclass(frozen=True)
class Column:
    code: str
    label: str  # Chinese label of the second header row (the unit is added in brackets)
    unit: str = ""
    kind: str = "number"  # "key" (credit code, month, unit id), "info" (ignored on import), "number"
    level: str = "line"  # "line" or "enterprise"


COLUMNS: tuple[Column, ...] = (
    Column("credit_code", "统一社会信用代码", kind="key", level="key"),
    Column("month", "月份 YYYY-MM", kind="key", level="key"),
    Column("unit_id", "生产单元编号", kind="key", level="key"),
    Column("unit_name", "生产单元名称（参考）", kind="info", level="info"),
    Column("product", "产品（参考）", kind="info", level="info"),
    Column("output_t", "产量", "t"),
    Column("output_value", "产值（现价）", "万元"),
    Column("al_liquid_t", "铝液产量", "t"),
    Column("ac_kwh_per_t", "铝液交流电耗", "kWh/t"),
    Column("ac_total_kwh_per_t", "铝液综合交流电耗", "kWh/t"),
    Column("value_added", "工业增加值", "万元", level="enterprise"),
    Column("revenue", "主营业务收入", "万元", level="enterprise"),
    Column("profit", "利润总额", "万元", level="enterprise"),
    Column("energy_tce", "综合能源消费量", "tce", level="enterprise"),
    Column("electricity_kwh", "用电量", "kWh", level="enterprise"),
    Column("employees", "从业人员", "人", level="enterprise"),
    Column("fly_ash_used_t", "粉煤灰利用量", "t", level="enterprise"),
    Column("slag_used_t", "冶炼渣利用量", "t", level="enterprise"),
    Column("tailings_used_t", "尾矿利用量", "t", level="enterprise"),
)
BY_CODE = {c.code: c for c in COLUMNS}
REQUIRED_COLUMNS = ("credit_code", "month", "unit_id", "output_t", "output_value")
LINE_FIELDS = tuple(c.code for c in COLUMNS if c.level == "line")
ENTERPRISE_FIELDS = tuple(c.code for c in COLUMNS if c.level == "enterprise")
# Service problem fields that are not column codes.
FIELD_COLUMNS = {"unit": "unit_id", "period": "month", "enterprise": "credit_code"}


def header_label(column: Column) -> str:
    return f"{column.label} ({column.unit})" if column.unit else column.label


def max_upload_bytes() -> int:
    return int(getattr(settings, "YOUSE_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


# --- Errors ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    """One problem of a file, at a row and column (both may be absent for the file as a whole)."""

    sheet: str
    row: int | None
    column: str  # column code, "" when the problem concerns the row or file
    letter: str  # Excel column letter, "" when unknown
    message: str

    def __str__(self) -> str:
        where = []
        if self.row:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.letter:
            where.append(_("column %(letter)s") % {"letter": self.letter})
        place = " ".join(where)
        label = f"{place} {self.column}".strip()
        return f"{self.sheet} {label}: {self.message}" if label else f"{self.sheet}: {self.message}"

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "letter": self.letter,
            "message": self.message,
        }


class FileRefused(ValueError):
    """The file cannot be read at all (wrong type, too large, no header row)."""


# --- Reading rows ----------------------------------------------------------------------------------


@dataclass
class Table:
    sheet: str
    rows: Iterator[tuple[int, list]]  # (1-based row number, cell values)
    total: int | None  # rows in the file, when known (for the progress bar)


def _is_csv(name: str) -> bool:
    return name.lower().endswith(".csv")


def read_table(data: bytes, name: str) -> Table:
    if _is_csv(name):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FileRefused(_("The CSV file is not UTF-8 text: save it as “CSV UTF-8”.")) from None
        lines = text.splitlines()
        reader = csv.reader(lines)
        return Table(sheet="CSV", rows=((i, row) for i, row in enumerate(reader, start=1)), total=len(lines))
    if not name.lower().endswith((".xlsx", ".xlsm")):
        raise FileRefused(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise FileRefused(_("The file is not a readable Excel workbook (.xlsx).")) from None
    sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
    if sheet.title == NOTES_SHEET:
        raise FileRefused(_("The workbook has no sheet “%(sheet)s”.") % {"sheet": SHEET})
    rows = ((i, list(row)) for i, row in enumerate(sheet.iter_rows(values_only=True), start=1))
    return Table(sheet=sheet.title, rows=rows, total=sheet.max_row)


# --- Parsing ---------------------------------------------------------------------------------------


@dataclass
class Group:
    """The rows of one enterprise and month: one report."""

    enterprise_id: int
    period: dt.date
    rows: list[int] = field(default_factory=list)
    line_rows: list[int] = field(default_factory=list)  # row of each line, by line index
    figures: dict = field(default_factory=dict)
    figure_rows: dict = field(default_factory=dict)  # field -> row where the value was given
    lines: list[dict] = field(default_factory=list)
    units: dict = field(default_factory=dict)  # unit id -> first row

    def source(self) -> str:
        return _("rows %(rows)s") % {"rows": row_ranges(self.rows)}


@dataclass
class Parsed:
    sheet: str = ""
    rows: int = 0  # data rows read (blank rows not counted)
    groups: list[Group] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    letters: dict = field(default_factory=dict)  # column code -> Excel letter

    def inputs(self) -> list[services.ReportInput]:
        return [
            services.ReportInput(
                enterprise_id=g.enterprise_id,
                period=g.period,
                figures=g.figures,
                lines=g.lines,
                source=g.source(),
            )
            for g in self.groups
        ]


def row_ranges(rows: Iterable[int]) -> str:
    """[3, 4, 5, 9] -> "3-5, 9"."""
    out: list[str] = []
    ordered = sorted(set(rows))
    start = prev = None
    for r in ordered:
        if start is None:
            start = prev = r
        elif r == prev + 1:
            prev = r
        else:
            out.append(f"{start}-{prev}" if prev != start else str(start))
            start = prev = r
    if start is not None:
        out.append(f"{start}-{prev}" if prev != start else str(start))
    return ", ".join(out)


_UNIT_IN_LABEL = re.compile(r"[（(]\s*([^（）()]*?)\s*[)）]\s*$")
_MONTH = re.compile(r"^\s*(\d{4})\s*[-/.年]?\s*(\d{1,2})\s*月?\s*(?:[-/.]\s*0?1)?\s*$")


def parse_month(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.replace(day=1)
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(int(value)) if float(value).is_integer() else str(value)
    if not isinstance(value, str):
        return None
    m = _MONTH.match(value)
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not (1 <= month <= 12 and 1900 <= year <= 2999):
        return None
    return dt.date(year, month, 1)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(value: object) -> Decimal | None:
    """A cell's number; raises ValueError for text that is not one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        result = Decimal(str(value).replace(",", "").replace("，", "").strip())
    except InvalidOperation:
        raise ValueError from None
    if not result.is_finite():
        raise ValueError
    return result


class _Parser:
    def __init__(self, user, sheet: str) -> None:
        self.sheet = sheet
        self.result = Parsed(sheet=sheet)
        visible = scopes.visible(user, Enterprise).values_list("credit_code", "pk")
        self.enterprises = {code.upper(): pk for code, pk in visible}
        self.units = {
            pk: enterprise_id
            for pk, enterprise_id in ProductionUnit.objects.filter(
                plant__enterprise_id__in=list(self.enterprises.values())
            ).values_list("pk", "plant__enterprise_id")
        }
        self.positions: dict[str, int] = {}
        self.groups: dict[tuple[int, dt.date], Group] = {}
        self.bad_groups: set[tuple[str, str]] = set()

    def error(self, row: int | None, code: str, message: str) -> None:
        letter = get_column_letter(self.positions[code] + 1) if code in self.positions else ""
        self.result.errors.append(CellError(self.sheet, row, code, letter, message))

    def header(self, row: list) -> bool:
        for index, cell in enumerate(row):
            code = _text(cell)
            if not code:
                continue
            letter = get_column_letter(index + 1)
            if code not in BY_CODE:
                self.result.errors.append(
                    CellError(self.sheet, 1, code, letter, _("unknown column code “%(code)s”") % {"code": code})
                )
            elif code in self.positions:
                self.result.errors.append(CellError(self.sheet, 1, code, letter, _("column given twice")))
            else:
                self.positions[code] = index
        missing = [c for c in REQUIRED_COLUMNS if c not in self.positions]
        for code in missing:
            self.result.errors.append(
                CellError(self.sheet, 1, code, "", _("required column “%(code)s” is missing") % {"code": code})
            )
        self.result.letters = {c: get_column_letter(i + 1) for c, i in self.positions.items()}
        return not missing

    def is_label_row(self, row: list) -> bool:
        # The label row is Chinese text; a data row starts with a credit code (ASCII) and a month.
        cell = _text(self._cell(row, "credit_code"))
        return bool(cell) and not cell.isascii() and parse_month(self._cell(row, "month")) is None

    def labels(self, row: list, number: int) -> None:
        for code, index in self.positions.items():
            column = BY_CODE[code]
            if not column.unit:
                continue
            text = _text(row[index] if index < len(row) else None)
            m = _UNIT_IN_LABEL.search(text)
            if m and m.group(1) != column.unit:
                self.error(
                    number,
                    code,
                    _("the column is in %(expected)s, the file says %(found)s: convert to %(expected)s")
                    % {"expected": column.unit, "found": m.group(1) or "—"},
                )

    def _cell(self, row: list, code: str) -> object:
        index = self.positions.get(code)
        return row[index] if index is not None and index < len(row) else None

    def data(self, row: list, number: int) -> None:
        values = {code: self._cell(row, code) for code in self.positions}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
            return
        self.result.rows += 1
        # Every number is read first, so that a bad cell is named even in a row with other errors.
        numbers = {code: self._value(v, number, code) for code, v in values.items() if BY_CODE[code].kind == "number"}
        code_text = _text(values.get("credit_code")).upper()
        month_value = values.get("month")
        enterprise_id = self.enterprises.get(code_text)
        period = parse_month(month_value)
        if not code_text:
            self.error(number, "credit_code", _("required"))
        elif enterprise_id is None:
            self.error(
                number,
                "credit_code",
                _("no enterprise with credit code %(code)s in your scope") % {"code": code_text},
            )
        if period is None:
            if _text(month_value):
                self.error(
                    number,
                    "month",
                    _("“%(value)s” is not a month: write it as YYYY-MM") % {"value": _text(month_value)},
                )
            else:
                self.error(number, "month", _("required"))
        if enterprise_id is None or period is None:
            return
        group = self.groups.get((enterprise_id, period))
        if group is None:
            group = self.groups[(enterprise_id, period)] = Group(enterprise_id, period)
        group.rows.append(number)
        # The enterprise's figures: first given value counts; a later different one is an error.
        for code in ENTERPRISE_FIELDS:
            if code not in values:
                continue
            value = numbers[code]
            if value is _BAD:
                group.figure_rows.setdefault(code, number)
                group.figures.setdefault(code, values[code])
                continue
            if value is None:
                continue
            if code in group.figure_rows:
                if group.figures[code] != value:
                    self.error(
                        number,
                        code,
                        _("%(value)s differs from %(first)s given for this report in row %(row)s")
                        % {"value": value, "first": group.figures[code], "row": group.figure_rows[code]},
                    )
            else:
                group.figures[code] = value
                group.figure_rows[code] = number
        # The unit's line.
        line_values = {code: values[code] for code in LINE_FIELDS if code in values}
        unit_text = _text(values.get("unit_id"))
        has_figures = any(_text(v) for v in line_values.values())
        if not unit_text:
            if has_figures:
                self.error(number, "unit_id", _("required: the production unit of these figures"))
            return
        if not has_figures:
            return  # a unit that did not report this month
        try:
            unit_id = int(Decimal(unit_text)) if Decimal(unit_text) == int(Decimal(unit_text)) else None
        except (InvalidOperation, ValueError):
            unit_id = None
        if unit_id is None:
            self.error(number, "unit_id", _("“%(value)s” is not a unit id") % {"value": unit_text})
            return
        owner = self.units.get(unit_id)
        if owner is None:
            self.error(number, "unit_id", _("no production unit %(id)s in your scope") % {"id": unit_id})
            return
        if owner != enterprise_id:
            self.error(
                number,
                "unit_id",
                _("production unit %(id)s belongs to another enterprise, not %(code)s")
                % {"id": unit_id, "code": code_text},
            )
            return
        if unit_id in group.units:
            self.error(
                number,
                "unit_id",
                _("unit %(id)s is given twice for %(month)s (first in row %(row)s)")
                % {"id": unit_id, "month": f"{period:%Y-%m}", "row": group.units[unit_id]},
            )
            return
        group.units[unit_id] = number
        line: dict = {"unit": unit_id}
        for code, raw in line_values.items():
            value = numbers[code]
            # A bad cell travels as text: the service's own "not a number" is then dropped as a repeat.
            line[code] = raw if value is _BAD else value
        group.lines.append(line)
        group.line_rows.append(number)

    def _value(self, raw: object, number: int, code: str):
        try:
            return _number(raw)
        except ValueError:
            self.error(
                number,
                code,
                _("“%(value)s” is not a number (%(unit)s)") % {"value": _text(raw), "unit": BY_CODE[code].unit},
            )
            return _BAD


_BAD = object()


def parse(user, data: bytes, name: str, progress: Callable[[int, int | None], None] | None = None) -> Parsed:
    """Read a workbook or CSV into report groups and the errors found while reading (not yet the
    service's checks: see `import_file`). Raises FileRefused for a file that cannot be read at all."""
    if len(data) > max_upload_bytes():
        raise FileRefused(too_large_message(len(data)))
    table = read_table(data, name)
    parser = _Parser(user, table.sheet)
    header_done = False
    for number, row in table.rows:
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number, table.total)
        if not header_done:
            if not any(_text(c) for c in row):
                continue
            if not parser.header(row):
                return parser.result
            header_done = True
            continue
        if number == 2 and parser.is_label_row(row):
            parser.labels(row, number)
            continue
        parser.data(row, number)
    if progress is not None:
        progress(table.total or 0, table.total)
    if not header_done:
        raise FileRefused(_("The file has no header row of column codes."))
    parser.result.groups = list(parser.groups.values())
    return parser.result


def too_large_message(size: int) -> str:
    message = _("The file has %(size)s; at most %(limit)s can be imported at once: split it.")
    return message % {"size": filesizeformat(size), "limit": filesizeformat(max_upload_bytes())}


# --- Importing -------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    name: str = ""
    sheet: str = ""
    rows: int = 0
    reports: int = 0
    lines: int = 0
    created: int = 0
    replaced: int = 0
    errors: list[CellError] = field(default_factory=list)
    imported: bool = False
    dry_run: bool = False

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "sheet": self.sheet,
            "rows": self.rows,
            "reports": self.reports,
            "lines": self.lines,
            "created": self.created,
            "replaced": self.replaced,
            "imported": self.imported,
            "dry_run": self.dry_run,
            "errors": [e.as_dict() for e in self.errors],
        }

    @classmethod
    def from_dict(cls, data: dict) -> "ImportResult":
        errors = [CellError(**e) for e in data.get("errors", [])]
        return cls(**{**data, "errors": errors})


def service_errors(parsed: Parsed, inputs: list[services.ReportInput], batch: services.BatchResult) -> list[CellError]:
    """The service's problems, at the row and column of the file they concern."""
    by_input = {id(item): group for item, group in zip(inputs, parsed.groups, strict=True)}
    out = []
    for item, problem in batch.problems:
        group = by_input[id(item)]
        code = FIELD_COLUMNS.get(problem.field, problem.field)
        if problem.line is not None:
            row = group.line_rows[problem.line]
        else:
            row = group.figure_rows.get(problem.field, group.rows[0])
        letter = parsed.letters.get(code, "")
        out.append(CellError(parsed.sheet, row, code if code in BY_CODE else problem.field, letter, problem.message))
    return out


def _dedupe(errors: list[CellError]) -> list[CellError]:
    """One message per cell: the reader's, when the service says the same cell is bad again."""
    seen: set[tuple] = set()
    out = []
    for e in errors:
        key = (e.row, e.column) if e.column else (e.row, e.message)
        if key in seen:
            continue
        seen.add(key)
        out.append(e)
    order = {c.code: i for i, c in enumerate(COLUMNS)}
    return sorted(out, key=lambda e: (e.row or 0, order.get(e.column, 99)))


class _Rollback(Exception):
    pass


def import_file(
    user,
    data: bytes,
    name: str,
    *,
    status: str = ReportStatus.SUBMITTED,
    dry_run: bool = False,
    progress: Callable[[int, int | None], None] | None = None,
) -> ImportResult:
    """Parse, check and file a whole file, all or nothing. Raises FileRefused for an unreadable file;
    everything else (every bad cell) is in the result's errors."""
    parsed = parse(user, data, name, progress=progress)
    result = ImportResult(name=name, sheet=parsed.sheet, rows=parsed.rows, dry_run=dry_run)
    inputs = parsed.inputs()
    result.reports = len(inputs)
    result.lines = sum(len(i.lines) for i in inputs)
    if parsed.errors and not inputs:
        result.errors = _dedupe(parsed.errors)
        return result
    # The service checks and writes in one go; the writes are rolled back unless the whole file is
    # clean (or when only checking), so every error of the file is found in one pass.
    try:
        with transaction.atomic():
            batch = services.file_reports(user, inputs, status=status, reason=_("import of %(name)s") % {"name": name})
            errors = _dedupe(parsed.errors + service_errors(parsed, inputs, batch))
            if errors or dry_run:
                raise _Rollback
    except _Rollback:
        result.errors = errors
        if not errors:
            result.created, result.replaced = batch.created, batch.replaced
        return result
    result.created, result.replaced = batch.created, batch.replaced
    result.imported = True
    return result


# --- The template ----------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
LABEL_FILL = PatternFill("solid", fgColor="DCE6F1")
INFO_FILL = PatternFill("solid", fgColor="F2F2F2")


def template_rows(user, period: dt.date) -> Iterator[list]:
    """One row per production unit of each visible enterprise that operated (or idled) in the month,
    filled with the figures of an existing report; the enterprise's figures on its first row."""
    enterprises = list(
        scopes.visible(user, Enterprise)
        .filter(status=Enterprise.Status.ACTIVE)
        .order_by("division__code", "name", "pk")
    )
    ids = [e.pk for e in enterprises]
    unit_facts = facts.unit_facts(ids, [period])[period]
    units_by_enterprise: dict[int, list] = {}
    for unit in (
        ProductionUnit.objects.filter(plant__enterprise_id__in=ids)
        .order_by("plant__name", "name", "pk")
        .values("pk", "name", "product", "plant__enterprise_id")
    ):
        fact = unit_facts.get(unit["pk"])
        if fact is not None and fact.operating_or_idle:
            units_by_enterprise.setdefault(unit["plant__enterprise_id"], []).append(unit)
    reports = {
        r.enterprise_id: r
        for r in MonthlyReport.objects.filter(enterprise_id__in=ids, period=period)
        .select_related("current")
        .prefetch_related("current__lines")
    }
    month = f"{period:%Y-%m}"
    for ent in enterprises:
        report = reports.get(ent.pk)
        revision = report.current if report else None
        lines = {ln.unit_id: ln for ln in revision.lines.all()} if revision else {}
        figures = {f: getattr(revision, f) for f in ENTERPRISE_FIELDS} if revision else {}
        units = units_by_enterprise.get(ent.pk) or [None]
        for i, unit in enumerate(units):
            line = lines.get(unit["pk"]) if unit else None
            row = []
            for column in COLUMNS:
                code = column.code
                if code == "credit_code":
                    row.append(ent.credit_code)
                elif code == "month":
                    row.append(month)
                elif code == "unit_id":
                    row.append(unit["pk"] if unit else None)
                elif code == "unit_name":
                    row.append(unit["name"] if unit else ent.name)
                elif code == "product":
                    row.append(unit["product"] if unit else None)
                elif column.level == "line":
                    value = getattr(line, code) if line else None
                    row.append(float(value) if value is not None else None)
                else:
                    value = figures.get(code) if i == 0 else None
                    row.append(float(value) if value is not None else None)
            yield row


def notes() -> list[tuple[str, str]]:
    # The 说明 sheet is for the people who fill the workbook in: Chinese, whatever the page language.
    rows = [
        ("月报导入模板", ""),
        ("第 1 行", "列代码（请勿修改）：导入按代码识别各列，列的顺序可以调整，参考列可以删除。"),
        ("第 2 行", "中文名称及计量单位（括号内）。单位与列代码的单位不一致时整个文件不予导入，请先换算。"),
        ("第 3 行起", "每行为一个生产单元一个月的数据；同一企业同一月份的各行组成一份月报。"),
        (
            "企业指标",
            "工业增加值、主营业务收入、利润总额、能耗、用电量、从业人员及资源综合利用量填在该企业该月的第一行；"
            "其余行留空或填写相同数值，数值不同视为错误。没有生产单元的企业填一行，生产单元编号留空。",
        ),
        (
            "生产单元",
            "生产单元编号为平台登记的编号；名称和产品两列仅供参考，导入时不读取。"
            "产量、产值均为空的行视为该单元本月未填报。",
        ),
        (
            "电解铝",
            "铝液产量、铝液交流电耗、综合交流电耗仅电解铝生产单元填写；有铝液产量时综合交流电耗必填。",
        ),
        ("金额", "金额单位为万元，产量单位为吨（t），能耗为吨标准煤（tce），用电量为千瓦时（kWh）。"),
        ("校验", "文件中任一行有错误时，整个文件不导入，并列出每个错误所在的行和列；全部正确时一次性导入。"),
        ("CSV", "也可上传相同列的 CSV 文件（UTF-8 编码，可带 BOM），第 2 行中文名称行可省略。"),
    ]
    return [(a, b) for a, b in rows]


def template_workbook(user, period: dt.date) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([c.code for c in COLUMNS])
    ws.append([header_label(c) for c in COLUMNS])
    bold_white = Font(bold=True, color="FFFFFF")
    for index, column in enumerate(COLUMNS, start=1):
        code_cell = ws.cell(row=1, column=index)
        code_cell.font, code_cell.fill = bold_white, HEADER_FILL
        label_cell = ws.cell(row=2, column=index)
        label_cell.font = Font(bold=True)
        label_cell.fill = INFO_FILL if column.kind == "info" else LABEL_FILL
        label_cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(index)].width = 22 if column.kind != "number" else 16
    ws.row_dimensions[2].height = 32
    for row in template_rows(user, period):
        ws.append(row)
    ws.freeze_panes = "D3"
    notes_ws = wb.create_sheet(NOTES_SHEET)
    for a, b in notes():
        notes_ws.append([a, b])
    notes_ws["A1"].font = Font(bold=True, size=14)
    notes_ws.column_dimensions["A"].width = 14
    notes_ws.column_dimensions["B"].width = 110
    for row in notes_ws.iter_rows(min_row=2):
        row[0].font = Font(bold=True)
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    notes_ws.append([])
    notes_ws.append(["列代码", "中文名称 (单位)"])
    for column in COLUMNS:
        notes_ws.append([column.code, header_label(column)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def default_month(today: dt.date | None = None) -> dt.date:
    """Last month: the one being reported now (reports are due by the 10th of the next)."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)
