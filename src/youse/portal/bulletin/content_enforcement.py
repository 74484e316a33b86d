"""Section 五: enforcement progress by inspecting city, in the month and cumulative to its end: cases,
inspections, rectification orders issued / rectified (a passing re-inspection) / overdue at the month's
end, closures decided and executed. Four grouped queries.

Dates are those of the acts (opened, inspected on, issued on, decided on, executed on), so a bulletin
for an earlier month counts what had happened by then, whatever happened since."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.enforcement.models import Case, Closure, Inspection, RectificationOrder
from youse.enforcement.rules import ClosureState, OrderState
from youse.portal.bulletin import content_format as f
from youse.portal.bulletin import content_text as text
from youse.portal.bulletin.content_indicators import Figures

MONTH_COLUMNS = [
    ("cases_opened", _("Cases opened"), "件"),
    ("inspections", _("Inspections"), "次"),
    ("inspections_failed", _("Inspections failed"), "次"),
    ("orders_issued", _("Rectification orders issued"), "份"),
    ("orders_rectified", _("Orders rectified"), "份"),
    ("closures_decided", _("Closures decided"), "家"),
    ("closures_executed", _("Closures executed"), "家"),
]
TOTAL_COLUMNS = [
    ("cases_total", _("Cases opened"), "件"),
    ("cases_open", _("Cases open"), "件"),
    ("inspections_total", _("Inspections"), "次"),
    ("orders_issued_total", _("Rectification orders issued"), "份"),
    ("orders_rectified_total", _("Orders rectified"), "份"),
    ("orders_overdue", _("Orders overdue"), "份"),
    ("closures_executed_total", _("Closures executed"), "家"),
]


def _counts(start: dt.date, end: dt.date) -> dict[object, dict[str, int]]:
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time(0), tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    out: dict[object, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(qs, path: str, **aggregates) -> None:
        for row in qs.order_by().values(path).annotate(**aggregates):
            for name in aggregates:
                out[row[path]][name] += row[name]

    add(
        Case.objects.filter(opened_at__lt=hi),
        "city_id",
        cases_opened=Count("id", filter=Q(opened_at__gte=lo)),
        cases_total=Count("id"),
        cases_open=Count("id", filter=Q(closed_at__isnull=True) | Q(closed_at__gte=hi)),
    )
    add(
        Inspection.objects.filter(inspected_on__lte=end),
        "case__city_id",
        inspections=Count("id", filter=Q(inspected_on__gte=start)),
        inspections_failed=Count("id", filter=Q(inspected_on__gte=start, verdict=Inspection.Verdict.FAIL)),
        inspections_total=Count("id"),
        orders_rectified=Count(
            "id", filter=Q(order__isnull=False, verdict=Inspection.Verdict.PASS, inspected_on__gte=start)
        ),
        orders_rectified_total=Count("id", filter=Q(order__isnull=False, verdict=Inspection.Verdict.PASS)),
    )
    rectified = Inspection.objects.filter(order=OuterRef("pk"), verdict=Inspection.Verdict.PASS, inspected_on__lte=end)
    add(
        RectificationOrder.objects.filter(issued_on__lte=end).annotate(done=Exists(rectified)),
        "case__city_id",
        orders_issued=Count("id", filter=Q(issued_on__gte=start)),
        orders_issued_total=Count("id"),
        orders_overdue=Count("id", filter=Q(overdue_since__lte=end, done=False) & ~Q(state=OrderState.FAILED)),
    )
    add(
        Closure.objects.filter(decided_on__lte=end).exclude(state=ClosureState.PROPOSED),
        "case__city_id",
        closures_decided=Count("id", filter=Q(decided_on__range=(start, end))),
        closures_executed=Count("id", filter=Q(state=ClosureState.EXECUTED, executed_on__range=(start, end))),
        closures_executed_total=Count("id", filter=Q(state=ClosureState.EXECUTED, executed_on__lte=end)),
    )
    return out


def _rows(figures: Figures, counts: dict, columns: list) -> list[dict]:
    rows = []
    for scope, key in figures.scopes["city"]:
        cell = counts.get(key)
        if not cell or not any(cell[c] for c, _l, _u in columns):
            continue
        rows.append({"city_code": scope.code, "city": str(scope.label), **{c: cell[c] for c, _l, _u in columns}})
    return rows


def enforcement_section(figures: Figures) -> dict:
    counts = _counts(figures.month.start, figures.month.end)
    head = [f.column("city_code", _("Code")), f.column("city", _("City"))]
    month_rows = _rows(figures, counts, MONTH_COLUMNS)
    total_rows = _rows(figures, counts, TOTAL_COLUMNS)
    note = _("By inspecting city (the enterprise's city). Orders overdue: past their deadline and not rectified.")
    blocks = [
        f.table(
            "enforcement_month_by_city",
            _("Enforcement in the month by city"),
            head + [f.column(c, label, unit) for c, label, unit in MONTH_COLUMNS],
            month_rows,
            note,
        ),
        f.table(
            "enforcement_cumulative_by_city",
            _("Enforcement to the end of the month by city (cumulative)"),
            head + [f.column(c, label, unit) for c, label, unit in TOTAL_COLUMNS],
            total_rows,
            note,
        ),
        f.chart(
            "rectification_by_city",
            _("Rectification orders by city (cumulative)"),
            "bar",
            "份",
            [r["city"] for r in total_rows],
            [
                (_("Rectification orders issued"), [str(r["orders_issued_total"]) for r in total_rows]),
                (_("Orders rectified"), [str(r["orders_rectified_total"]) for r in total_rows]),
                (_("Orders overdue"), [str(r["orders_overdue"]) for r in total_rows]),
            ],
        ),
    ]
    # Province totals: every city's counts, including a case whose city is outside the city list.
    month_total = {c: sum(cell[c] for cell in counts.values()) for c, _l, _u in MONTH_COLUMNS}
    total = {c: sum(cell[c] for cell in counts.values()) for c, _l, _u in TOTAL_COLUMNS}
    paragraphs = text.enforcement(month_total, total)
    return f.section("enforcement", _("5. Enforcement"), paragraphs, blocks)
