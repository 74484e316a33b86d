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
from youse.registry.models import STATUS_LABELS, UnitStatusChange
from youse.registry.rules import CAPACITY_STATUSES, UnitStatus

STATUSES = frozenset(str(s) for s in CAPACITY_STATUSES)
COMMISSIONED, RESTARTED, IDLED, EXITED, ABANDONED = "commissioned", "restarted", "idled", "exited", "abandoned"
CHANGE_LABELS = {
    COMMISSIONED: _("Started production"),
    RESTARTED: _("Restarted"),
    IDLED: _("Idled"),
    EXITED: _("Exited"),
    ABANDONED: _("Project abandoned"),
}


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
    qs = UnitStatusChange.objects.filter(effective_on__gte=start, effective_on__lte=end).order_by("effective_on", "id")
    rows = []
    for c in qs.values(
        "effective_on",
        "from_status",
        "to_status",
        "document",
        "unit__name",
        "unit__plant__enterprise__name",
        "unit__plant__division__prefecture__name",
        "unit__metal__code",
        "unit__metal__name",
        "unit__design_capacity",
        "unit__capacity_unit",
    ):
        change = classify(c["from_status"], c["to_status"])
        if change is None:
            continue
        rows.append(
            {
                "effective_on": c["effective_on"].isoformat(),
                "city": c["unit__plant__division__prefecture__name"] or "",
                "enterprise": c["unit__plant__enterprise__name"],
                "unit": c["unit__name"],
                "metal_code": c["unit__metal__code"],
                "metal": c["unit__metal__name"],
                "change_code": change,
                "change": str(CHANGE_LABELS[change]),
                "to_status": str(STATUS_LABELS[UnitStatus(c["to_status"])]),
                "capacity": f.plain(c["unit__design_capacity"]),
                "capacity_unit": c["unit__capacity_unit"],
                "document": c["document"],
            }
        )
    return rows


def by_metal(changes: list[dict], metals: list[tuple[str, str]]) -> list[dict]:
    """Counts and t/yr of the changes by metal, in the metals' order; metals without changes left out."""
    counts: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for c in changes:
        cell = counts[c["metal_code"]]
        cell[c["change_code"]] += 1
        if c["capacity_unit"] == "t/a" and c["capacity"] is not None:
            cell[c["change_code"] + "_t"] += Decimal(c["capacity"])
    rows = []
    for code, label in metals:
        cell = counts.get(code)
        if not cell:
            continue
        rows.append(
            {
                "metal_code": code,
                "metal": label,
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
    metals = [(s.code, str(s.label)) for s, _k in figures.scopes["metal"]]
    summary = by_metal(changes, metals)
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
        f.table(
            "unit_changes_by_metal",
            _("Production units started, idled and exited, by metal"),
            [
                f.column("metal_code", _("Code")),
                f.column("metal", _("Metal")),
                f.column("commissioned_units", _("Started production"), "个"),
                f.column("commissioned_t", _("Capacity started"), "吨/年"),
                f.column("restarted_units", _("Restarted"), "个"),
                f.column("idled_units", _("Idled"), "个"),
                f.column("exited_units", _("Exited"), "个"),
                f.column("exited_t", _("Capacity exited"), "吨/年"),
                f.column("abandoned_units", _("Projects abandoned"), "个"),
            ],
            summary,
            _("From the registry's dated status history; capacity in t/yr (mines rated in t ore/day count as units)."),
        ),
        f.table(
            "unit_changes",
            _("Status changes of production units"),
            [
                f.column("effective_on", _("Effective date")),
                f.column("city", _("City")),
                f.column("enterprise", _("Enterprise")),
                f.column("unit", _("Production unit")),
                f.column("metal_code", _("Metal code")),
                f.column("metal", _("Metal")),
                f.column("change_code", _("Change code")),
                f.column("change", _("Change")),
                f.column("capacity", _("Design capacity")),
                f.column("capacity_unit", _("Capacity unit")),
                f.column("document", _("Document")),
            ],
            changes,
        ),
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
            [r["metal"] for r in summary],
            [
                (_("Capacity started"), [r["commissioned_t"] for r in summary]),
                (_("Capacity exited"), [r["exited_t"] for r in summary]),
            ],
        ),
    ]
    commissioned = [c for c in changes if c["change_code"] == COMMISSIONED]
    exited = [c for c in changes if c["change_code"] == EXITED]
    paragraphs = text.capacity_changes(
        len(schemes),
        _sum_t(schemes, "capacity_t"),
        len(commissioned),
        _sum_t(summary, "commissioned_t"),
        len(exited),
        _sum_t(summary, "exited_t"),
        len(closures),
        len(dismantled),
        _sum_t(dismantled, "tonnes_t"),
        f.month_text(figures.month),
    )
    return f.section("capacity_changes", _("3. Capacity changes"), paragraphs, blocks)
