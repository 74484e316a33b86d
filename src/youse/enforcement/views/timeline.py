"""The case page's one timeline (source, inspections with their checklist and findings, orders and the
enterprise's reports, evidence, the closure and its announcements, read-only here) and its action panels,
each shown only to those who may take the step (core.roles through scopes.can)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from youse.core import scopes
from youse.enforcement.forms import ProposeClosureForm, ReportDoneForm, StartOrderForm
from youse.enforcement.models import Announcement, Case, Closure, Evidence, Inspection, RectificationOrder
from youse.enforcement.rules import CaseStatus, ClosureState, OrderState
from youse.enforcement.views.common import FINISHED

BEIJING = ZoneInfo("Asia/Shanghai")


def _day(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value, BEIJING).date()
    return value


def timeline(user, case: Case) -> list[dict]:
    """Entries {kind, on, obj, ...}, oldest first; a step on the same day follows the one it answers."""
    today = timezone.localdate()
    entries = [{"kind": "source", "on": _day(case.opened_at), "rank": 0, "obj": case}]
    inspections = (
        scopes.visible(user, Inspection)
        .filter(case=case)
        .select_related("order")
        .prefetch_related("results__item__norm", "findings__item", "evidence", "orders")
    )
    for i in inspections:
        # A re-inspection answers the enterprise's report, which may bear the same date.
        entries.append({"kind": "inspection", "on": i.inspected_on, "rank": 3.5 if i.order_id else 1, "obj": i})
    orders = (
        scopes.visible(user, RectificationOrder)
        .filter(case=case)
        .select_related("inspection")
        .prefetch_related("requirements", "evidence", "reinspections")
    )
    for o in orders:
        o.days_left = (o.deadline - today).days
        o.is_overdue = o.state in (OrderState.ISSUED, OrderState.IN_PROGRESS) and (
            o.overdue_since is not None or o.deadline < today
        )
        entries.append({"kind": "order", "on": o.issued_on, "rank": 2, "obj": o})
        if o.reported_on:
            entries.append({"kind": "report", "on": o.reported_on, "rank": 3, "obj": o})
        if o.overdue_since:
            entries.append({"kind": "overdue", "on": o.overdue_since, "rank": 4, "obj": o})
    loose = scopes.visible(user, Evidence).filter(case=case, inspection__isnull=True, order__isnull=True)
    for ev in loose:
        entries.append({"kind": "evidence", "on": _day(ev.uploaded_at), "rank": 5, "obj": ev})
    closure = scopes.visible(user, Closure).filter(case=case).prefetch_related("units").first()
    if closure is not None:
        entries.append({"kind": "closure", "on": _day(closure.created_at), "rank": 6, "obj": closure})
        if closure.decided_on:
            entries.append({"kind": "decision", "on": closure.decided_on, "rank": 7, "obj": closure})
        if closure.executed_on:
            entries.append({"kind": "executed", "on": closure.executed_on, "rank": 8, "obj": closure})
        for a in scopes.visible(user, Announcement).filter(closure=closure).prefetch_related("versions"):
            on = _day(a.published_at or a.created_at)
            entries.append({"kind": "announcement", "on": on, "rank": 9, "obj": a})
    # The source opens the story even when the case was registered after its first step (a campaign list
    # drawn up after an inspection, a complaint recorded late).
    entries.sort(key=lambda e: (e["kind"] != "source", e["on"], e["rank"], e["obj"].pk))
    return entries


def action_panels(user, case: Case, forms: dict) -> dict:
    """What the user may do on this case now, with the forms (bound ones when a step was refused)."""
    running = case.status not in FINISHED
    can_inspect = scopes.can(user, "enforcement.inspect") and running
    can_order = scopes.can(user, "enforcement.order") and running
    can_respond = scopes.can(user, "enforcement.respond")
    closure = Closure.objects.filter(case=case).first()
    orders = {}
    for o in RectificationOrder.objects.filter(case=case):
        acts = {}
        if can_respond and o.state == OrderState.ISSUED:
            acts["start"] = forms.get(f"start-{o.pk}") or StartOrderForm(prefix=f"start-{o.pk}")
        if can_respond and o.state in (OrderState.ISSUED, OrderState.IN_PROGRESS):
            acts["report"] = forms.get(f"report-{o.pk}") or ReportDoneForm(
                prefix=f"report-{o.pk}", initial={"reported_on": timezone.localdate()}
            )
        acts["reinspect"] = scopes.can(user, "enforcement.inspect") and o.state == OrderState.SUBMITTED
        orders[o.pk] = acts
    failed = set()
    if can_order:
        failed = set(
            # A failed re-inspection escalates the case to the closure decision instead of a new order.
            Inspection.objects.filter(case=case, verdict="fail", order__isnull=True, orders__isnull=True).values_list(
                "pk", flat=True
            )
        )
    may_propose = (
        can_order
        and case.status != CaseStatus.ESCALATED
        and (closure is None or closure.state == ClosureState.WITHDRAWN)
    )
    return {
        "inspect": can_inspect,
        "orderable": failed,
        "orders": orders,
        "propose": (forms.get("propose") or ProposeClosureForm()) if may_propose else None,
        "any": can_inspect or may_propose,
    }
