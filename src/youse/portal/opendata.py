"""Open data (clause 三(八)): the published figures as datasets with stable column names, a data
dictionary and a version per release, downloadable as CSV and Excel and readable as JSON through the
public API.

Sources, all published: the indicators frozen in the published monthly bulletins, the tables of those
bulletins, the capacity ledger totals by city shown on the public capacity page, the closures whose
decision was announced, and the published credit support lists. A dataset's version is the date of its
newest publication and a digest of its rows: the same rows always carry the same version, and any change
gives a new one, so a re-user can tell whether to download again."""

import csv
import datetime as dt
import hashlib
import io
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TEXT, INTEGER, DECIMAL, DATE = "text", "integer", "decimal", "date"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    type: str = TEXT
    unit: str = ""
    description: str = ""


@dataclass
class Dataset:
    key: str
    title: str
    description: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    as_of: dt.date | None = None  # the newest publication the rows include

    @cached_property  # a digest of every row: computed once per dataset, not for each header that shows it
    def version(self) -> str:
        """ "2020.06.30-1a2b3c4d": the newest publication's date and a digest of the rows."""
        canonical = json.dumps(
            [[row.get(c.key) for c in self.columns] for row in self.rows], ensure_ascii=False, default=str
        )
        digest = hashlib.sha256(canonical.encode()).hexdigest()[:8]
        return f"{self.as_of:%Y.%m.%d}-{digest}" if self.as_of else f"0-{digest}"

    def filename(self, extension: str) -> str:
        return f"youse-{self.key}-{self.version}.{extension}"

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "description": self.description,
            "version": self.version,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "columns": [c.__dict__ for c in self.columns],
            "rows": [{c.key: row.get(c.key) for c in self.columns} for row in self.rows],
        }


# --- Builders ---------------------------------------------------------------------------------------


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment else None


def _newest(dates) -> dt.date | None:
    found = [d for d in dates if d is not None]
    return max(found) if found else None


INDICATOR_COLUMNS = [
    Column("bulletin", gettext_lazy("Bulletin"), TEXT, "", gettext_lazy("The bulletin and version, e.g. 2020-06 v1")),
    Column("period", gettext_lazy("Period"), TEXT, "", gettext_lazy("2020-06 a month; 2020-06-ytd January–June")),
    Column("scope", gettext_lazy("Scope"), TEXT, "", gettext_lazy("province, city:610800, base:CODE or metal:CODE")),
    Column("scope_label", gettext_lazy("Scope name"), TEXT),
    Column("indicator", gettext_lazy("Indicator code"), TEXT, "", gettext_lazy("Definitions: docs/indicators.md")),
    Column("label", gettext_lazy("Indicator"), TEXT),
    Column("value", gettext_lazy("Value"), DECIMAL, gettext_lazy("see unit"), gettext_lazy("Empty: no data")),
    Column("unit", gettext_lazy("Unit"), TEXT),
    Column("target", gettext_lazy("Target"), DECIMAL, gettext_lazy("see unit"), gettext_lazy("The policy's target")),
    Column("comparator", gettext_lazy("Comparator"), TEXT, "", gettext_lazy(">= at least, <= at most")),
    Column("status", gettext_lazy("Status against the target"), TEXT),
]


def indicators(month: dt.date | None = None) -> Dataset:
    """The indicators of clause 一(二) frozen in the published bulletins (the current version of each
    month); `month`: one bulletin only."""
    from youse.portal.published import current_bulletins

    bulletins = [b for b in current_bulletins() if month is None or b.month == month]
    rows = []
    for b in reversed(bulletins):
        name = f"{b.month:%Y-%m} v{b.version}"
        for r in b.data.get("indicators", []):
            target = r.get("target") or {}
            rows.append(
                {
                    "bulletin": name,
                    "period": r.get("period"),
                    "scope": r.get("scope"),
                    "scope_label": r.get("scope_label"),
                    "indicator": r.get("indicator"),
                    "label": r.get("label"),
                    "value": r.get("value"),
                    "unit": r.get("unit"),
                    "target": target.get("value"),
                    "comparator": target.get("comparator"),
                    "status": r.get("status"),
                }
            )
    return Dataset(
        "indicators",
        _("Indicators of the policy by month and scope"),
        _(
            "Value added, revenue and its national rank, deep-processing share, aluminium capacity utilisation "
            "and growth, for each month and the year to date, for the province, each city, each industrial base "
            "and each metal, as published in the monthly bulletins."
        ),
        INDICATOR_COLUMNS,
        rows,
        _newest(_local_date(b.published_at) for b in bulletins),
    )


def capacity_ledger() -> Dataset:
    from youse.capacity.models import LedgerEntry
    from youse.capacity.views_public import HOLDING_COLUMNS, ledger_by_city

    ledger = ledger_by_city()
    keys = [f for f, _label, _colour in HOLDING_COLUMNS]
    columns = [Column("city_code", _("City code"), TEXT, "", _("GB/T 2260")), Column("city", _("City"))]
    columns += [Column(k, label, INTEGER, "t/a") for k, label, _colour in HOLDING_COLUMNS]
    rows = [
        {"city_code": r["code"], "city": str(r["city"]), **dict(zip(keys, r["values"], strict=True))}
        for r in ledger["rows"]
    ]
    last = LedgerEntry.objects.order_by("-recorded_at").values_list("recorded_at", flat=True).first()
    return Dataset(
        "capacity-ledger",
        _("Electrolytic aluminium capacity ledger by city"),
        _("Capacity indicators held in the province, by city and by holding (clause 二(七))."),
        columns,
        rows,
        _local_date(last),
    )


CLOSURE_COLUMNS = [
    Column("enterprise", gettext_lazy("Enterprise")),
    Column("city_code", gettext_lazy("City code"), TEXT, "", gettext_lazy("GB/T 2260")),
    Column("city", gettext_lazy("City")),
    Column("metals", gettext_lazy("Metals"), TEXT, "", gettext_lazy("Metal codes of the closed units, ';'-separated")),
    Column("units", gettext_lazy("Units closed"), TEXT, "", gettext_lazy("';'-separated")),
    Column("capacity", gettext_lazy("Design capacity closed"), TEXT, "", gettext_lazy("Per unit, with its unit")),
    Column("decision_document", gettext_lazy("Decision document")),
    Column("decided_on", gettext_lazy("Decided on"), DATE),
    Column("effective_on", gettext_lazy("Units close by"), DATE),
    Column("executed_on", gettext_lazy("Executed on"), DATE, "", gettext_lazy("Empty: not yet executed")),
    Column("announcement", gettext_lazy("Announcement"), TEXT, "", gettext_lazy("Path of the announcement")),
]


def closures() -> Dataset:
    """Closures whose decision has a published announcement (nothing else about closures is public)."""
    from django.urls import reverse

    from youse.enforcement.models import Closure
    from youse.enforcement.views_public import published

    announced = {a.closure_id: a for a in published().filter(closure__isnull=False) if a.published_versions}
    found = (
        Closure.objects.filter(pk__in=announced)
        .select_related("case__enterprise", "case__city__prefecture")
        .prefetch_related("units__metal")
        .order_by("decided_on", "pk")
    )
    rows = []
    for c in found:
        units = list(c.units.all())
        city = c.case.city.prefecture or c.case.city if c.case.city_id else None
        rows.append(
            {
                "enterprise": c.case.enterprise.name,
                "city_code": city.code if city else "",
                "city": city.display_name if city else "",
                "metals": ";".join(sorted({u.metal.code for u in units})),
                "units": ";".join(u.name for u in units),
                "capacity": ";".join(f"{u.design_capacity.normalize():f} {u.capacity_unit}" for u in units),
                "decision_document": c.document,
                "decided_on": c.decided_on,
                "effective_on": c.effective_on,
                "executed_on": c.executed_on,
                "announcement": reverse("enforcement_public:detail", kwargs={"pk": announced[c.pk].pk}),
            }
        )
    return Dataset(
        "closures",
        _("Closures and exits announced"),
        _("Enterprises' production units ordered to close and exit, with the decision, as announced (三(三))."),
        CLOSURE_COLUMNS,
        rows,
        _newest(_local_date(a.published_at) for a in announced.values()),
    )


def bulletin_tables() -> dict[str, Dataset]:
    """Each table of the published bulletins as a dataset over the months ("bulletin-<table key>"); its
    columns are the month and the table's own (stable) columns, labelled as in the latest bulletin."""
    from youse.portal.published import current_bulletins

    found: dict[str, Dataset] = {}
    for b in current_bulletins():  # newest first: the newest labels win
        for section in b.data.get("sections", []):
            for block in section.get("blocks", []):
                if block.get("type") != "table" or not block.get("key"):
                    continue
                key = "bulletin-" + block["key"].replace("_", "-")
                ds = found.get(key)
                if ds is None:
                    columns = [Column("month", _("Month"), TEXT, "", _("The bulletin's month, YYYY-MM"))]
                    columns += [
                        Column(c["key"], c.get("label", c["key"]), TEXT, c.get("unit", "")) for c in block["columns"]
                    ]
                    ds = found[key] = Dataset(
                        key,
                        block.get("title", key),
                        _("From the monthly bulletins, section %(section)s.") % {"section": section.get("title", "")},
                        columns,
                        [],
                        _local_date(b.published_at),
                    )
                month = f"{b.month:%Y-%m}"
                ds.rows.extend({"month": month, **row} for row in block.get("rows", []))
    for ds in found.values():
        ds.rows.sort(key=lambda r: r["month"])
    return found


CREDIT_COLUMNS = [
    Column("year", gettext_lazy("Year"), INTEGER),
    Column("edition", gettext_lazy("Edition"), INTEGER),
    Column("enterprise", gettext_lazy("Enterprise")),
    Column("credit_code", gettext_lazy("Unified social credit code"), TEXT, "", gettext_lazy("GB 32100")),
    Column("city_code", gettext_lazy("City code"), TEXT, "", gettext_lazy("GB/T 2260")),
    Column("city", gettext_lazy("City")),
    Column("metal", gettext_lazy("Main metal"), TEXT, "", gettext_lazy("Metal code")),
    Column("document", gettext_lazy("Publication document")),
]


def credit_list() -> Dataset:
    """The enterprises included in the published credit support lists; exclusions are not public."""
    from youse.credit.models import Entry
    from youse.credit.queries import public_editions

    editions = list(public_editions())
    entries = (
        Entry.objects.filter(edition__in=editions, included=True)
        .select_related("edition", "city", "metal")
        .order_by("edition__year", "edition__number", "city__code", "name")
    )
    rows = [
        {
            "year": e.edition.year,
            "edition": e.edition.number,
            "enterprise": e.name,
            "credit_code": e.credit_code,
            "city_code": e.city.code if e.city else "",
            "city": e.city.display_name if e.city else "",
            "metal": e.metal.code if e.metal else "",
            "document": e.edition.document,
        }
        for e in entries
    ]
    return Dataset(
        "credit-list",
        _("Backbone enterprises eligible for credit support"),
        _("The enterprises on the published credit support lists, by year and edition (clause 三(五))."),
        CREDIT_COLUMNS,
        rows,
        _newest(_local_date(e.published_at) for e in editions),
    )


FIXED: dict[str, Callable[[], Dataset]] = {
    "indicators": indicators,
    "capacity-ledger": capacity_ledger,
    "closures": closures,
    "credit-list": credit_list,
}


CACHE_SECONDS = 3600


def _stamp() -> int:
    """The newest audit event that changed data: every publication is an audited act (principle 2), so the
    datasets can only have changed when this has. One indexed query instead of rebuilding every dataset per
    request."""
    from youse.stats.indicators import data_version

    return data_version()


def _build_catalogue() -> list[Dataset]:
    fixed = [build() for build in FIXED.values()]
    tables = bulletin_tables()
    return fixed + [tables[k] for k in sorted(tables)]


# The catalogue this process last read from the shared cache, per language: {language: (token, datasets)}.
# The shared (database) cache holds it as one value of megabytes at scale 10; fetching and unpickling that
# on every request cost more than the page itself under load. A small token stored beside it in the shared
# cache says whether the copy held here is still the cached one (a cleared cache or a new stamp: it is not).
_memo: dict[str, tuple[str, list[Dataset]]] = {}


def catalogue() -> list[Dataset]:
    """Every dataset, the fixed ones first, then the bulletins' tables by key (cached until the next audited
    change, per language: the labels are translated)."""
    language = translation.get_language()
    key = f"youse:opendata:{language}:{_stamp()}"
    token = cache.get(key + ":token")
    held = _memo.get(language)
    if token is not None and held is not None and held[0] == token:
        return held[1]
    found = cache.get(key) if token is not None else None
    if found is None:
        found = _build_catalogue()
        token = secrets.token_hex(8)
        cache.set_many({key: found, key + ":token": token}, CACHE_SECONDS)
    _memo[language] = (token, found)
    return found


def get(key: str, *, bulletin: dt.date | None = None) -> Dataset | None:
    """One dataset; `bulletin` (a month): the indicators of that bulletin alone."""
    if bulletin is not None and key == "indicators":
        return indicators(bulletin)
    return next((ds for ds in catalogue() if ds.key == key), None)


# --- Formats ----------------------------------------------------------------------------------------


def _cell(value) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


# The files downloaded, by dataset, version (a digest of the rows), format and language: the same rows
# always give the same bytes, so each process writes a dataset's CSV or workbook once per version.
_files: dict[tuple[str, str, str, str], bytes] = {}
FILES_HELD = 32


def file(ds: Dataset, extension: str) -> bytes:
    """The dataset as a CSV ("csv") or Excel ("xlsx") file."""
    key = (ds.key, ds.version, extension, translation.get_language())  # the workbook's labels are translated
    body = _files.get(key)
    if body is None:
        if len(_files) >= FILES_HELD:
            _files.clear()
        body = _files[key] = to_csv(ds) if extension == "csv" else to_xlsx(ds)
    return body


def to_csv(ds: Dataset) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese names correctly; the header is the
    stable column keys."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.key for c in ds.columns])
    for row in ds.rows:
        writer.writerow([_cell(row.get(c.key)) for c in ds.columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(ds: Dataset) -> bytes:
    """A "data" sheet (column keys as the header row, then labels as a second header) and a
    "dictionary" sheet with each column's type, unit and description, and the version."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    sheet = wb.active
    sheet.title = "data"
    sheet.append([c.key for c in ds.columns])
    sheet.append([str(c.label) for c in ds.columns])
    for cell in sheet[1] + sheet[2]:
        cell.font = Font(bold=True)
    for row in ds.rows:
        sheet.append([_typed(c, row.get(c.key)) for c in ds.columns])
    sheet.freeze_panes = "A3"
    meta = wb.create_sheet("dictionary")
    meta.append([_("Dataset"), ds.key])
    meta.append([_("Title"), str(ds.title)])
    meta.append([_("Version"), ds.version])
    meta.append([_("As of"), ds.as_of.isoformat() if ds.as_of else ""])
    meta.append([])
    meta.append([_("Column"), _("Name"), _("Type"), _("Unit"), _("Description")])
    for c in ds.columns:
        meta.append([c.key, str(c.label), c.type, str(c.unit), str(c.description)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _typed(column: Column, value) -> object:
    """Numbers as numbers in Excel, so that they add up; text stays text."""
    if value in (None, ""):
        return None
    if column.type == INTEGER:
        try:
            return int(value)
        except (TypeError, ValueError):
            return value
    if column.type == DECIMAL:
        try:
            return float(value)
        except (TypeError, ValueError):
            return value
    return _cell(value)
