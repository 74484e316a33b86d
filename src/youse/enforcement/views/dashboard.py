"""The numbers that matter for a survey campaign (the issue's "done when"): per city, who was listed and
inspected, who passed, who must rectify by when, who is overdue, who is escalated and who is closing;
and, per city and dimension, the enterprises with failed findings."""

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Min, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy

from youse.core.models import Division
from youse.enforcement.models import CASE_STATUS_LABELS, DIMENSION_LABELS, Finding
from youse.enforcement.rules import RUNNING_ORDERS, CaseStatus, OrderState
from youse.enforcement.views.common import overdue_q

# Chart colours follow the status badges (Bootstrap's palette).
STATUS_CHART_COLOURS = {
    CaseStatus.PLANNED: "#adb5bd",
    CaseStatus.OPEN: "#0dcaf0",
    CaseStatus.PASSED: "#198754",
    CaseStatus.RECTIFYING: "#ffc107",
    CaseStatus.ESCALATED: "#dc3545",
    CaseStatus.CLOSING: "#212529",
    CaseStatus.CLOSED: "#6c757d",
}
# Matrix columns: (key, label, case-list filter). "inspected" is every case past its planned visit.
COLUMNS = (
    ("listed", gettext_lazy("Listed"), {}),
    ("inspected", gettext_lazy("Inspected"), {"status": "inspected"}),
    ("passed", CASE_STATUS_LABELS[CaseStatus.PASSED], {"status": "passed"}),
    ("open", gettext_lazy("Failed, no order yet"), {"status": "open"}),
    ("rectifying", CASE_STATUS_LABELS[CaseStatus.RECTIFYING], {"status": "rectifying"}),
    ("overdue", gettext_lazy("Overdue"), {"overdue": "1"}),
    ("escalated", CASE_STATUS_LABELS[CaseStatus.ESCALATED], {"status": "escalated"}),
    ("closing", CASE_STATUS_LABELS[CaseStatus.CLOSING], {"status": "closing"}),
    ("closed", CASE_STATUS_LABELS[CaseStatus.CLOSED], {"status": "closed"}),
)
# Orders whose deadline still counts for the enterprise: not yet re-inspected.
PENDING_ORDERS = [s.value for s in RUNNING_ORDERS] + [OrderState.SUBMITTED.value]


def case_list_url(**params) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse("enforcement:case-list") + ("?" + urlencode(params) if params else "")


def matrix(cases: QuerySet, today: dt.date, campaign=None) -> dict:
    """Per city: the counts of COLUMNS (each with a link to the filtered case list), the earliest running
    deadline, a stacked-bar chart by status, and the per-dimension failures."""

    def by_status(*statuses) -> Count:
        return Count("pk", distinct=True, filter=Q(status__in=[s.value for s in statuses]))

    rows = list(
        cases.values("city")
        .annotate(
            listed=Count("pk", distinct=True),
            inspected=Count("pk", distinct=True, filter=~Q(status=CaseStatus.PLANNED)),
            passed=by_status(CaseStatus.PASSED),
            open=by_status(CaseStatus.OPEN),
            rectifying=by_status(CaseStatus.RECTIFYING),
            escalated=by_status(CaseStatus.ESCALATED),
            closing=by_status(CaseStatus.CLOSING),
            closed=by_status(CaseStatus.CLOSED),
            planned=by_status(CaseStatus.PLANNED),
            overdue=Count("pk", distinct=True, filter=overdue_q(today, "orders__")),
            earliest=Min(
                "orders__deadline",
                filter=Q(status=CaseStatus.RECTIFYING) & Q(orders__state__in=PENDING_ORDERS),
            ),
        )
        .order_by("city__code")
    )
    names = {d.pk: d for d in Division.objects.filter(pk__in=[r["city"] for r in rows])}
    campaign_id = getattr(campaign, "pk", None)
    table = []
    for r in rows:
        city = names[r["city"]]
        cells = [
            {"key": key, "value": r[key], "url": case_list_url(campaign=campaign_id, city=city.pk, **flt)}
            for key, _label, flt in COLUMNS
        ]
        table.append({"city": city, "cells": cells, "earliest": r["earliest"]})
    totals = [
        {
            "key": key,
            "value": sum(r[key] for r in rows),
            "url": case_list_url(campaign=campaign_id, **flt),
        }
        for key, _label, flt in COLUMNS
    ]
    earliest = min((r["earliest"] for r in rows if r["earliest"]), default=None)
    chart = {
        "categories": [str(names[r["city"]]) for r in rows],
        # No axis name: it would sit under the legend; the card's title says what is counted.
        "unit": "",
        "series": [
            {"name": str(label), "data": [r[s.value] for r in rows], "stack": "cases", "color": STATUS_CHART_COLOURS[s]}
            for s, label in CASE_STATUS_LABELS.items()
        ],
    }
    return {
        "columns": [label for _key, label, _f in COLUMNS],
        "rows": table,
        "totals": totals,
        "earliest": earliest,
        "chart": chart,
        "dimensions": by_dimension(cases, names, campaign_id),
    }


def by_dimension(cases: QuerySet, names: dict, campaign_id) -> dict:
    """Enterprises with failed findings, per city and dimension of clause 二(八)."""
    counts = {
        (r["inspection__case__city"], r["dimension"]): r["n"]
        for r in Finding.objects.filter(failed=True, inspection__case__in=cases)
        .values("inspection__case__city", "dimension")
        .annotate(n=Count("inspection__case", distinct=True))
        .order_by()
    }
    dims = list(DIMENSION_LABELS.items())
    rows = []
    for pk, city in names.items():
        cells = [
            {"value": counts.get((pk, d.value), 0), "url": case_list_url(campaign=campaign_id, city=pk, dimension=d)}
            for d, _label in dims
        ]
        rows.append({"city": city, "cells": cells})
    rows.sort(key=lambda r: r["city"].code)
    return {"labels": [label for _d, label in dims], "rows": rows, "any": bool(counts)}
