"""Gathering every candidate enterprise's facts as of a date, in a fixed number of grouped queries.

Candidates are the enterprises with a production unit of a metal the policy names, registered (founded)
by the date. Each source is read once for all of them: the registry, the accepted monthly reports of the
last full year of statistics, inspections with a verdict, rectification orders with their passing
re-inspections, closures, exceedance alarms and capacity violations. What happened after the date is left
out, so an edition derived again for the same date judges the same facts (states without a date of their
own, e.g. an order still running, are read as they stand)."""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from youse.capacity.models import CapacityViolation
from youse.credit import rules
from youse.enforcement.models import Closure, Inspection, RectificationOrder
from youse.monitoring.models import Alarm, AlarmKind, Limit
from youse.registry.models import Enterprise, ProductionUnit
from youse.stats.models import MonthlyReport


@dataclass(frozen=True)
class Candidate:
    enterprise_id: int
    name: str
    credit_code: str
    city_id: int | None
    metal_id: int | None
    facts: rules.Facts


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


def _day_bounds(day: dt.date) -> dt.datetime:
    """The first instant after `day` in the platform's time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def revenue_year(as_of: dt.date) -> int | None:
    """The last full year whose statistics are in: the latest year up to rules.last_full_year(as_of) with
    an accepted December report. One query."""
    latest = MonthlyReport.objects.filter(
        accepted__isnull=False, period__month=12, period__year__lte=rules.last_full_year(as_of)
    ).aggregate(latest=Max("period"))["latest"]
    return latest.year if latest else None


def gather(as_of: dt.date, criteria: list[rules.Rule]) -> tuple[list[Candidate], int | None]:
    """The candidates with their facts, and the statistics year revenue was judged by."""
    end = _day_bounds(as_of)
    enterprises = list(
        Enterprise.objects.filter(plants__units__metal__policy_metal=True)
        .filter(Q(established_on__isnull=True) | Q(established_on__lte=as_of))
        .distinct()
        .order_by("name")
        .values("id", "name", "credit_code", "status", "group_name", "division__prefecture_id")
    )
    metals: dict[int, Counter] = defaultdict(Counter)
    order_of: dict[int, int] = {}
    for ent, metal, order in ProductionUnit.objects.filter(metal__policy_metal=True).values_list(
        "plant__enterprise_id", "metal_id", "metal__order"
    ):
        metals[ent][metal] += 1
        order_of[metal] = order

    year = revenue_year(as_of)
    revenue: dict[int, tuple[Decimal, int]] = {}
    if year is not None:
        for row in (
            MonthlyReport.objects.filter(period__year=year, accepted__isnull=False)
            .values("enterprise_id")
            .annotate(total=Sum("accepted__revenue"), months=Count("pk"))
        ):
            revenue[row["enterprise_id"]] = (row["total"] or Decimal(0), row["months"])

    latest: dict[int, rules.InspectionFact] = {}
    for ent, case, on, verdict in (
        Inspection.objects.filter(inspected_on__lte=as_of, verdict__in=["pass", "fail"])
        .order_by("inspected_on", "id")
        .values_list("case__enterprise_id", "case__code", "inspected_on", "verdict")
    ):
        latest[ent] = rules.InspectionFact(case, on, verdict)

    closed_on = dict(
        Inspection.objects.filter(order__isnull=False, verdict="pass")
        .values("order_id")
        .annotate(on=Max("inspected_on"))
        .values_list("order_id", "on")
    )
    orders: dict[int, list[rules.OrderFact]] = defaultdict(list)
    for pk, ent, code, issued, deadline, state in RectificationOrder.objects.filter(issued_on__lte=as_of).values_list(
        "pk", "case__enterprise_id", "code", "issued_on", "deadline", "state"
    ):
        orders[ent].append(rules.OrderFact(code, issued, deadline, state, closed_on.get(pk)))

    closures: dict[int, list[rules.ClosureFact]] = defaultdict(list)
    for ent, case, state, decided, executed, document in Closure.objects.filter(
        state__in=["decided", "executed"], decided_on__lte=as_of
    ).values_list("case__enterprise_id", "case__code", "state", "decided_on", "executed_on", "document"):
        closures[ent].append(rules.ClosureFact(case, state, decided, executed, document))

    alarms: dict[int, list[rules.AlarmFact]] = defaultdict(list)
    months = rules.alarm_window_months(criteria)
    if months:
        # Alarms carry the HJ 212 code; the reason names the pollutant as the limits call it.
        names = dict(Limit.objects.values_list("factor", "pollutant"))
        start = _day_bounds(rules.months_before(as_of, months))
        for ent, started, factor in Alarm.objects.filter(
            kind=AlarmKind.EXCEEDANCE, started_at__gte=start, started_at__lt=end
        ).values_list("point__plant__enterprise_id", "started_at", "factor"):
            alarms[ent].append(rules.AlarmFact(_local_date(started), names.get(factor, factor)))

    labels = dict(CapacityViolation.Kind.choices)
    violations: dict[int, list[rules.ViolationFact]] = defaultdict(list)
    for ent, kind, first, resolved in CapacityViolation.objects.filter(first_detected_at__lt=end).values_list(
        "enterprise_id", "kind", "first_detected_at", "resolved_at"
    ):
        violations[ent].append(
            rules.ViolationFact(str(labels.get(kind, kind)), _local_date(first), resolved and _local_date(resolved))
        )

    out = []
    for e in enterprises:
        pk = e["id"]
        counts = metals.get(pk)
        metal = min(counts, key=lambda m: (-counts[m], order_of[m], m)) if counts else None
        total, n = revenue.get(pk, (None, 0))
        facts = rules.Facts(
            status=e["status"],
            group_name=e["group_name"],
            revenue_year=year,
            revenue_wan=total,
            revenue_months=n,
            latest_inspection=latest.get(pk),
            orders=tuple(orders.get(pk, ())),
            closures=tuple(closures.get(pk, ())),
            alarms=tuple(alarms.get(pk, ())),
            violations=tuple(violations.get(pk, ())),
        )
        out.append(Candidate(pk, e["name"], e["credit_code"], e["division__prefecture_id"], metal, facts))
    return out, year


def as_json(facts: rules.Facts, as_of: dt.date) -> dict:
    """The facts an entry was judged on, frozen on the entry (dates as ISO strings)."""
    i = facts.latest_inspection
    return {
        "status": facts.status,
        "group_name": facts.group_name,
        "revenue_year": facts.revenue_year,
        "revenue_yi": None if facts.revenue_wan is None else rules.yi(facts.revenue_wan),
        "revenue_months": facts.revenue_months,
        "latest_inspection": i and {"case": i.case, "on": i.inspected_on.isoformat(), "verdict": i.verdict},
        "open_orders": [
            {"code": o.code, "issued_on": o.issued_on.isoformat(), "deadline": o.deadline.isoformat(), "state": o.state}
            for o in rules.open_orders(facts, as_of)
        ],
        "closures": [
            {
                "case": c.case,
                "state": c.state,
                "decided_on": c.decided_on and c.decided_on.isoformat(),
                "executed_on": c.executed_on and c.executed_on.isoformat(),
                "document": c.document,
            }
            for c in facts.closures
        ],
        "exceedance_alarms": [{"on": a.started_on.isoformat(), "factor": a.factor} for a in facts.alarms],
        "capacity_violations": [
            {
                "kind": v.kind,
                "since": v.first_detected_on.isoformat(),
                "resolved_on": v.resolved_on and v.resolved_on.isoformat(),
            }
            for v in facts.violations
        ],
    }
