"""Rectification orders (整改): issued from a failed inspection, answered by the enterprise, closed or
failed by re-inspection; orders past their deadline are escalated by the ticker."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from youse.core import scopes
from youse.enforcement import rules
from youse.enforcement.models import Case, Closure, Finding, Inspection, RectificationOrder, Requirement
from youse.enforcement.rules import CaseStatus, ClosureState, OrderState
from youse.enforcement.services.cases import _record
from youse.enforcement.services.common import (
    attach,
    check_dates,
    checked_files,
    event,
    next_code,
    set_case_status,
    today,
    user_or_none,
)


def _transition(order: RectificationOrder, target: OrderState) -> None:
    try:
        rules.check_transition(rules.ORDER_TRANSITIONS, order.state, target)
    except rules.TransitionError:
        raise ValidationError(
            {
                "state": [
                    _("An order that is %(s)s cannot become %(t)s.")
                    % {"s": order.state_label, "t": RectificationOrder.STATE_LABELS[target]}
                ]
            }
        ) from None


def issue_order(
    actor, inspection: Inspection, data: dict, requirements: list[dict], reason: str = ""
) -> RectificationOrder:
    """An order from a failed inspection: each requirement with its basis, a deadline, a person responsible."""
    case = inspection.case
    scopes.require(actor, "enforcement.order", case)
    errors: dict[str, list[str]] = {}
    if inspection.verdict != "fail":
        errors["inspection"] = [_("Only a failed inspection leads to a rectification order.")]
    issued_on, deadline = data.get("issued_on") or today(), data.get("deadline")
    if not isinstance(deadline, dt.date):
        errors["deadline"] = [_("Enter a date.")]
    person = str(data.get("responsible_person") or "").strip()
    if not person:
        errors["responsible_person"] = [_("Name the person responsible.")]
    reqs = []
    for i, r in enumerate(requirements or [], start=1):
        text, basis = str(r.get("text") or "").strip(), str(r.get("basis") or "").strip()
        if not text and not basis:
            continue
        if not text or not basis:
            errors[f"requirements[{i}]"] = [_("Each requirement needs its text and its legal or policy basis.")]
            continue
        finding = r.get("finding")
        if finding is not None and not isinstance(finding, Finding):
            finding = Finding.objects.filter(pk=finding, inspection=inspection).first()
        reqs.append((text, basis, finding))
    if not reqs:
        errors.setdefault("requirements", [_("List at least one requirement.")])
    if errors:
        raise ValidationError(errors)
    check_dates(issued_on=issued_on, deadline=deadline)
    with transaction.atomic():
        obj = Case.objects.select_for_update().get(pk=case.pk)
        if obj.status in (CaseStatus.CLOSING, CaseStatus.CLOSED):
            raise ValidationError({"case": [_("This case is %(s)s: no new order.") % {"s": obj.status_label}]})
        order = RectificationOrder.objects.create(
            code=next_code("ZG", RectificationOrder, issued_on.year),
            case=obj,
            inspection=inspection,
            issued_on=issued_on,
            deadline=deadline,
            responsible_person=person,
            issued_by=user_or_none(actor),
        )
        for text, basis, finding in reqs:
            Requirement.objects.create(order=order, text=text, basis=basis, finding=finding)
        event(
            actor, order, "issued",
            after={"deadline": deadline.isoformat(), "requirements": [t for t, _b, _f in reqs]}, reason=reason,
        )  # fmt: skip
        event(actor, obj, "order_issued", after={"order": order.code, "deadline": deadline.isoformat()})
        set_case_status(actor, obj, CaseStatus.RECTIFYING)
    return order


def start_order(actor, order: RectificationOrder, note: str = "") -> RectificationOrder:
    """The enterprise acknowledges the order and starts work."""
    scopes.require(actor, "enforcement.respond", order)
    with transaction.atomic():
        obj = RectificationOrder.objects.select_for_update().get(pk=order.pk)
        _transition(obj, OrderState.IN_PROGRESS)
        before = obj.state
        obj.state = OrderState.IN_PROGRESS
        obj.save(update_fields=["state"])
        event(actor, obj, "started", before={"state": before}, after={"state": obj.state}, reason=note)
    order.refresh_from_db()
    return order


def report_done(
    actor, order: RectificationOrder, *, report: str, reported_on: dt.date | None = None, files=()
) -> RectificationOrder:
    """The enterprise reports the rectification done, with its report and evidence; a re-inspection follows."""
    scopes.require(actor, "enforcement.respond", order)
    reported_on = reported_on or today()
    errors = {}
    if not report.strip():
        errors["report"] = [_("Describe what was done.")]
    try:
        accepted = checked_files(files)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if reported_on > today():
        raise ValidationError({"reported_on": [_("A report cannot be dated in the future.")]})
    if reported_on < order.issued_on:
        raise ValidationError({"reported_on": [_("The work cannot be done before the order was issued.")]})
    with transaction.atomic():
        obj = RectificationOrder.objects.select_for_update().get(pk=order.pk)
        _transition(obj, OrderState.SUBMITTED)
        before = obj.state
        obj.state, obj.report, obj.reported_on = OrderState.SUBMITTED, report.strip(), reported_on
        obj.save(update_fields=["state", "report", "reported_on"])
        attach(actor, obj.case, "rectification", accepted, order=obj)
        event(
            actor,
            obj,
            "reported_done",
            before={"state": before},
            after={"state": obj.state, "on": reported_on.isoformat()},
        )
    order.refresh_from_db()
    return order


def reinspect(actor, order: RectificationOrder, data: dict, results=(), findings=(), files=()) -> Inspection:
    """The re-inspection: a pass closes the order (and the case, when nothing else runs); a fail fails it
    and escalates the case to the department with a closure proposal."""
    scopes.require(actor, "enforcement.inspect", order)
    with transaction.atomic():
        obj = RectificationOrder.objects.select_for_update().select_related("case").get(pk=order.pk)
        if obj.state != OrderState.SUBMITTED:
            raise ValidationError({"state": [_("Re-inspect an order once the enterprise has reported it done.")]})
        inspection = _record(actor, obj.case, data, results, findings, files, order=obj)
        if inspection.verdict == "pending":
            raise ValidationError(
                {"results": [_("A re-inspection must assess the requirements: record results or findings.")]}
            )
        target = OrderState.CLOSED if inspection.verdict == "pass" else OrderState.FAILED
        _transition(obj, target)
        obj.state = target
        obj.save(update_fields=["state"])
        event(
            actor,
            obj,
            "reinspected",
            before={"state": "submitted"},
            after={"state": target, "inspection": inspection.pk},
        )
        case = Case.objects.select_for_update().get(pk=obj.case_id)
        if target == OrderState.FAILED:
            escalate(
                actor,
                case,
                _("Re-inspection of %(o)s failed on %(d)s.") % {"o": obj.code, "d": inspection.inspected_on},
            )
        elif not case.orders.filter(
            state__in=[OrderState.ISSUED, OrderState.IN_PROGRESS, OrderState.SUBMITTED]
        ).exists():
            set_case_status(actor, case, CaseStatus.CLOSED, reason=_("Rectified"))
    order.refresh_from_db()
    return inspection


def escalate(actor, case: Case, why: str) -> Closure:
    """Hand the case to the department with a closure proposal (关停退出), unless one is already open."""
    closure = Closure.objects.filter(case=case).first()
    if closure is None:
        closure = Closure.objects.create(case=case, reason=why)
        if case.unit_id:
            closure.units.set([case.unit_id])
        event(actor, closure, "proposed", after={"reason": why})
    elif closure.state == ClosureState.WITHDRAWN:
        # A new failure after a withdrawn proposal: the same row is proposed again, with the new reason.
        closure.state, closure.reason = ClosureState.PROPOSED, why
        closure.save(update_fields=["state", "reason"])
        event(actor, closure, "proposed", after={"reason": why})
    if case.status not in (CaseStatus.CLOSING, CaseStatus.CLOSED):
        set_case_status(actor, case, CaseStatus.ESCALATED, reason=why)
    return closure


def mark_overdue_orders(on: dt.date | None = None) -> int:
    """Tick duty: running orders past their deadline are marked overdue and their cases escalated.
    Idempotent: an order is marked once."""
    on = on or today()
    count = 0
    due = RectificationOrder.objects.filter(
        state__in=[OrderState.ISSUED, OrderState.IN_PROGRESS], deadline__lt=on, overdue_since__isnull=True
    )
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            order = RectificationOrder.objects.select_for_update().get(pk=pk)
            if order.overdue_since or order.state not in rules.RUNNING_ORDERS:
                continue
            order.overdue_since = order.deadline + dt.timedelta(days=1)
            order.save(update_fields=["overdue_since"])
            event(None, order, "overdue", after={"deadline": order.deadline.isoformat()})
            case = Case.objects.select_for_update().get(pk=order.case_id)
            escalate(
                None, case, _("%(o)s is overdue: its deadline was %(d)s.") % {"o": order.code, "d": order.deadline}
            )
            count += 1
    return count
