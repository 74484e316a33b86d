"""Section 三: capacity changes in the month. Replacement schemes approved (capacity, by the day of their
decision), production units that entered or left a capacity status (registry status history, by the
effective date), closures executed (enforcement) and exit lines whose dismantling was confirmed (capacity
ledger, by the dismantling date). Five queries."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.capacity.models import ExitLine, ReplacementScheme
from youse.capacity.rules import SchemeState
from youse.enforcement.models import Closure
from youse.enforcement.rules import ClosureState
from youse.portal.bulletin import content_format as f
from youse.portal.bulletin import content_text as text
from youse.portal.bulletin.content_indicators import Figures
from youse.registry.models import UnitStatusChange
from youse.registry.rules import CAPACITY_STATUSES, UnitStatus

STATUSES = frozenset(str(s) for s in CAPACITY_STATUSES)
COMMISSIONED, RESTARTED, IDLED, EXITED, ABANDONED = "commissioned", "restarted", "idled", "exited", "abandoned"


def classify(from_status: str, to_status: str) -> str | None:
    """What a status change means for capacity: a unit enters it (commissioned), leaves it (exited), or
    moves inside it (restarted, idled); a project that never produced may be abandoned. Other steps
    (approval, construction) change no capacity: None."""
    before, after = from_status in STATUSES, to_status in STATUSES
    if after and not before:
        return COMMISSIONED
    if before and to_status == UnitStatus.EXITED:
        return EXITED
    if not before and to_status == UnitStatus.EXITED:
        return ABANDONED
    if from_status == UnitStatus.IDLE and to_status == UnitStatus.OPERATING:
        return RESTARTED
    if from_status == UnitStatus.OPERATING and to_status == UnitStatus.IDLE:
        return IDLED
    return None


def _bounds(figures: Figures) -> tuple[dt.date, dt.date, dt.datetime, dt.datetime]:
    start, end = figures.month.start, figures.month.end
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time(0), tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return start, end, lo, hi


def _schemes(lo: dt.datetime, hi: dt.datetime) -> list[dict]:
    qs = (
        ReplacementScheme.objects.filter(
            state__in=[SchemeState.APPROVED, SchemeState.ANNOUNCED], decided_at__gte=lo, decided_at__lt=hi
        )
        .annotate(exit_t=Sum("exit_lines__tonnes"))
        .order_by("decided_at", "code")
    )
    rows = []
    for s in qs.values("code", "title", "division__name", "capacity_t", "exit_t", "decision_document", "decided_at"):
        rows.append(
            {
                "code": s["code"],
                "title": s["title"],
                "division": s["division__name"],
                "capacity_t": f.tonnes(s["capacity_t"]),
                "exit_t": f.tonnes(s["exit_t"] or 0),
                "decision_document": s["decision_document"],
                "decided_on": timezone.localtime(s["decided_at"]).date().isoformat(),
            }
        )
    return rows


def _unit_changes(start: dt.date, end: dt.date) -> list[dict]:
    """The month's status changes that change capacity: (effective date, change, metal and city keys,
    t/yr where the unit is rated so)."""
    qs = UnitStatusChange.objects.filter(effective_on__gte=start, effective_on__lte=end).order_by("effective_on", "id")
    rows = []
    for c in qs.values(
        "effective_on",
        "from_status",
        "to_status",
        "unit__metal_id",
        "unit__plant__division__prefecture_id",
        "unit__design_capacity",
        "unit__capacity_unit",
    ):
        change = classify(c["from_status"], c["to_status"])
        if change is None:
            continue
        rows.append(
            {
                "change": change,
                "metal": c["unit__metal_id"],
                "city": c["unit__plant__division__prefecture_id"],
                "tonnes": c["unit__design_capacity"] if c["unit__capacity_unit"] == "t/a" else Decimal(0),
            }
        )
    return rows


SUMMARY_COLUMNS = [
    ("commissioned_units", _("Started production"), "个"),
    ("commissioned_t", _("Capacity started"), "吨/年"),
    ("restarted_units", _("Restarted"), "个"),
    ("idled_units", _("Idled"), "个"),
    ("exited_units", _("Exited"), "个"),
    ("exited_t", _("Capacity exited"), "吨/年"),
    ("abandoned_units", _("Projects abandoned"), "个"),
]


def summarise(changes: list[dict], kind: str, scoped: list[tuple[str, str, object]]) -> list[dict]:
    """Counts and t/yr of the changes by scope (`scoped`: code, label, row key), in the scopes' order;
    scopes without changes left out."""
    cells: dict[object, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for c in changes:
        cell = cells[c[kind]]
        cell[c["change"]] += 1
        cell[c["change"] + "_t"] += Decimal(c["tonnes"])
    rows = []
    for code, label, key in scoped:
        cell = cells.get(key)
        if not cell:
            continue
        rows.append(
            {
                f"{kind}_code": code,
                kind: label,
                "commissioned_units": int(cell[COMMISSIONED]),
                "commissioned_t": f.tonnes(cell[COMMISSIONED + "_t"]),
                "restarted_units": int(cell[RESTARTED]),
                "idled_units": int(cell[IDLED]),
                "exited_units": int(cell[EXITED]),
                "exited_t": f.tonnes(cell[EXITED + "_t"]),
                "abandoned_units": int(cell[ABANDONED]),
            }
        )
    return rows


def _closures(start: dt.date, end: dt.date) -> list[dict]:
    qs = (
        Closure.objects.filter(state=ClosureState.EXECUTED, executed_on__gte=start, executed_on__lte=end)
        .annotate(
            n_units=Count("units", distinct=True),
            tonnes=Sum("units__design_capacity", filter=Q(units__capacity_unit="t/a")),
        )
        .order_by("executed_on", "case__code")
    )
    rows = []
    for c in qs.values(
        "case__code", "case__enterprise__name", "case__city__name", "n_units", "tonnes", "document", "executed_on"
    ):
        rows.append(
            {
                "case": c["case__code"],
                "enterprise": c["case__enterprise__name"],
                "city": c["case__city__name"],
                "units": c["n_units"],
                "capacity_t": f.tonnes(c["tonnes"] or 0),
                "document": c["document"],
                "executed_on": c["executed_on"].isoformat(),
            }
        )
    return rows


def _dismantled(start: dt.date, end: dt.date) -> list[dict]:
    qs = ExitLine.objects.filter(dismantled_on__gte=start, dismantled_on__lte=end).order_by("dismantled_on", "id")
    rows = []
    for line in qs.values(
        "scheme__code", "indicator__code", "indicator__origin_enterprise", "equipment", "tonnes", "dismantled_on"
    ):
        rows.append(
            {
                "scheme": line["scheme__code"],
                "indicator": line["indicator__code"],
                "origin_enterprise": line["indicator__origin_enterprise"],
                "equipment": line["equipment"],
                "tonnes_t": f.tonnes(line["tonnes"]),
                "dismantled_on": line["dismantled_on"].isoformat(),
            }
        )
    return rows


def _sum_t(rows: list[dict], key: str) -> str:
    return f.tonnes(sum((Decimal(r[key]) for r in rows if r[key] is not None), Decimal(0)))


def capacity_section(figures: Figures) -> dict:
    start, end, lo, hi = _bounds(figures)
    schemes = _schemes(lo, hi)
    changes = _unit_changes(start, end)
    summaries = {
        kind: summarise(changes, kind, [(sc.code, str(sc.label), key) for sc, key in figures.scopes[kind]])
        for kind in ("metal", "city")
    }
    closures = _closures(start, end)
    dismantled = _dismantled(start, end)
    blocks = [
        f.table(
            "schemes_approved",
            _("Capacity replacement schemes approved"),
            [
                f.column("code", _("Number")),
                f.column("title", _("Title")),
                f.column("division", _("Destination")),
                f.column("capacity_t", _("New capacity"), "吨/年"),
                f.column("exit_t", _("Capacity exited in replacement"), "吨/年"),
                f.column("decision_document", _("Decision document")),
                f.column("decided_on", _("Decided on")),
            ],
            schemes,
        ),
        *[
            f.table(
                f"unit_changes_by_{kind}",
                title,
                [f.column(f"{kind}_code", _("Code")), f.column(kind, label)]
                + [f.column(c, col_label, unit) for c, col_label, unit in SUMMARY_COLUMNS],
                summaries[kind],
                _(
                    "From the registry's dated status history: units entering operation or idleness (started), "
                    "leaving them (exited), or abandoned before producing; capacity in t/yr (mines rated in t "
                    "ore/day count as units only)."
                ),
            )
            for kind, title, label in (
                ("metal", _("Production units started, idled and exited, by metal"), _("Metal")),
                ("city", _("Production units started, idled and exited, by city"), _("City")),
            )
        ],
        f.table(
            "closures_executed",
            _("Closures executed"),
            [
                f.column("case", _("Case")),
                f.column("enterprise", _("Enterprise")),
                f.column("city", _("City")),
                f.column("units", _("Units closed"), "个"),
                f.column("capacity_t", _("Capacity closed"), "吨/年"),
                f.column("document", _("Decision document")),
                f.column("executed_on", _("Executed on")),
            ],
            closures,
        ),
        f.table(
            "dismantling_confirmed",
            _("Dismantling of exit lines confirmed"),
            [
                f.column("scheme", _("Scheme")),
                f.column("indicator", _("Capacity indicator")),
                f.column("origin_enterprise", _("Origin enterprise")),
                f.column("equipment", _("Main equipment")),
                f.column("tonnes_t", _("Capacity"), "吨/年"),
                f.column("dismantled_on", _("Dismantled on")),
            ],
            dismantled,
        ),
        f.chart(
            "capacity_changes_by_metal",
            _("Capacity started and exited by metal"),
            "bar",
            "吨/年",
            [r["metal"] for r in summaries["metal"]],
            [
                (_("Capacity started"), [r["commissioned_t"] for r in summaries["metal"]]),
                (_("Capacity exited"), [r["exited_t"] for r in summaries["metal"]]),
            ],
        ),
    ]
    commissioned = [c for c in changes if c["change"] == COMMISSIONED]
    exited = [c for c in changes if c["change"] == EXITED]
    paragraphs = text.capacity_changes(
        len(schemes),
        _sum_t(schemes, "capacity_t"),
        len(commissioned),
        _sum_t(summaries["metal"], "commissioned_t"),
        len(exited),
        _sum_t(summaries["metal"], "exited_t"),
        len(closures),
        len(dismantled),
        _sum_t(dismantled, "tonnes_t"),
        f.month_text(figures.month),
    )
    return f.section("capacity_changes", _("3. Capacity changes"), paragraphs, blocks)
