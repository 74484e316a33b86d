"""Closure and exit (关停退出), decided by the department; the staff resettlement gate of clause 三(七); the
land left behind (三(三)). Executing a closure changes the registry and, for electrolytic aluminium, the
capacity ledger, through their own service functions."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from youse.capacity import services as capacity
from youse.capacity.models import CapacityIndicator
from youse.core import audit, scopes
from youse.core.models import AuditEvent
from youse.enforcement import rules
from youse.enforcement.models import Case, Closure, Evidence, LandDisposal, ResettlementOutcome, ResettlementPlan
from youse.enforcement.rules import CaseStatus, ClosureState, LandRoute
from youse.enforcement.services.common import (
    attach,
    check_dates,
    checked_files,
    event,
    set_case_status,
    today,
    user_or_none,
)
from youse.enforcement.services.orders import escalate
from youse.registry import services as registry
from youse.registry.models import ProductionUnit
from youse.registry.rules import UnitStatus
from youse.stats.facts import is_electrolysis


def _transition(closure: Closure, target: ClosureState) -> None:
    try:
        rules.check_transition(rules.CLOSURE_TRANSITIONS, closure.state, target)
    except rules.TransitionError:
        raise ValidationError(
            {
                "state": [
                    _("A closure that is %(s)s cannot become %(t)s.")
                    % {"s": closure.state_label, "t": Closure.STATE_LABELS[target]}
                ]
            }
        ) from None


def propose_closure(actor, case: Case, *, reason: str) -> Closure:
    """The department (or a city) proposes closure directly, e.g. for an enterprise that refuses inspection."""
    scopes.require(actor, "enforcement.order", case)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why closure is proposed.")]})
    with transaction.atomic():
        obj = Case.objects.select_for_update().get(pk=case.pk)
        return escalate(actor, obj, reason.strip())


def decide_closure(actor, closure: Closure, data: dict) -> Closure:
    """关停退出 decided: which units close, by when, on what basis, with the decision's document number."""
    scopes.require(actor, "enforcement.decide", closure)
    errors: dict[str, list[str]] = {}
    units = list(
        ProductionUnit.objects.filter(
            pk__in=[getattr(u, "pk", u) for u in data.get("units") or []], plant__enterprise=closure.case.enterprise
        ).exclude(status=UnitStatus.EXITED)
    )
    if not units or len(units) != len(set(data.get("units") or [])):
        errors["units"] = [_("Choose the enterprise's units to close (units already exited cannot be chosen).")]
    for field in ("basis", "document"):
        if not str(data.get(field) or "").strip():
            errors[field] = [_("This field is required.")]
    decided_on, effective_on = data.get("decided_on"), data.get("effective_on")
    for field, value in (("decided_on", decided_on), ("effective_on", effective_on)):
        if not isinstance(value, dt.date):
            errors[field] = [_("Enter a date.")]
    if errors:
        raise ValidationError(errors)
    check_dates(decided_on=decided_on, effective_on=effective_on)
    with transaction.atomic():
        obj = Closure.objects.select_for_update().get(pk=closure.pk)
        _transition(obj, ClosureState.DECIDED)
        obj.state = ClosureState.DECIDED
        obj.basis, obj.document = str(data["basis"]).strip(), str(data["document"]).strip()
        obj.decided_on, obj.effective_on = decided_on, effective_on
        obj.capacity_ineligible = bool(data.get("capacity_ineligible"))
        obj.decided_by = user_or_none(actor)
        obj.save()
        obj.units.set(units)
        event(
            actor, obj, "decided", before={"state": "proposed"},
            after={"state": obj.state, "units": [u.pk for u in units], "document": obj.document,
                   "effective_on": effective_on.isoformat()},
        )  # fmt: skip
        case = Case.objects.select_for_update().get(pk=obj.case_id)
        set_case_status(actor, case, CaseStatus.CLOSING)
    closure.refresh_from_db()
    return closure


def withdraw_closure(actor, closure: Closure, *, reason: str) -> Closure:
    scopes.require(actor, "enforcement.decide", closure)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the closure is withdrawn.")]})
    with transaction.atomic():
        obj = Closure.objects.select_for_update().get(pk=closure.pk)
        _transition(obj, ClosureState.WITHDRAWN)
        before = obj.state
        obj.state = ClosureState.WITHDRAWN
        obj.save(update_fields=["state"])
        event(actor, obj, "withdrawn", before={"state": before}, after={"state": obj.state}, reason=reason)
        case = Case.objects.select_for_update().get(pk=obj.case_id)
        set_case_status(actor, case, CaseStatus.OPEN, reason=reason)
    closure.refresh_from_db()
    return closure


PLAN_FIELDS = (
    "headcount", "measures", "cost", "schedule", "funding_amount", "funding_source", "congress_date",
    "votes_for", "votes_total",
)  # fmt: skip


def _money(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field: [_("Enter a number.")]}) from None
    if d < 0:
        raise ValidationError({field: [_("Enter a number that is not negative.")]})
    return d


def save_resettlement_plan(actor, closure: Closure, data: dict, minutes=()) -> ResettlementPlan:
    """Record or revise the staff resettlement plan (the enterprise, its city or the department), with the
    minutes of the workers' congress. The gate is judged when the closure executes, and shown meanwhile."""
    scopes.require(actor, "enforcement.resettlement", closure)
    unknown = sorted(set(data) - set(PLAN_FIELDS))
    if unknown:
        raise ValidationError({k: [_("This field cannot be set here.")] for k in unknown})
    errors: dict[str, list[str]] = {}
    values: dict = {}
    for field in ("cost", "funding_amount"):
        if field in data:
            try:
                values[field] = _money(data[field], field)
            except ValidationError as exc:
                errors.update(exc.message_dict)
    if "headcount" in data:
        head = {}
        for cat in ResettlementPlan.HEADCOUNT_CATEGORIES:
            raw = (data["headcount"] or {}).get(cat)
            if raw in (None, ""):
                continue
            if not str(raw).isdigit():
                errors.setdefault("headcount", []).append(_("%(c)s: enter a whole number.") % {"c": cat})
                continue
            head[cat] = int(raw)
        values["headcount"] = head
    for field in ("votes_for", "votes_total"):
        if field in data:
            raw = data[field]
            if raw in (None, ""):
                values[field] = None
            elif str(raw).isdigit():
                values[field] = int(raw)
            else:
                errors[field] = [_("Enter a whole number.")]
    for field in ("measures", "schedule", "funding_source"):
        if field in data:
            values[field] = str(data[field] or "").strip()
    if "congress_date" in data:
        values["congress_date"] = data["congress_date"] or None
        if values["congress_date"] and values["congress_date"] > today():
            errors["congress_date"] = [_("The vote cannot be dated in the future.")]
    votes = values.get("votes_for"), values.get("votes_total")
    if None not in votes and votes[0] > votes[1]:
        errors["votes_for"] = [_("More votes in favour than votes cast.")]
    try:
        accepted = checked_files(minutes, "minutes")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        obj = Closure.objects.select_for_update().get(pk=closure.pk)
        if obj.state in (ClosureState.EXECUTED, ClosureState.WITHDRAWN):
            raise ValidationError({"state": [_("The closure is %(s)s: its plan is final.") % {"s": obj.state_label}]})
        plan, created = ResettlementPlan.objects.get_or_create(closure=obj)
        before = None if created else audit.snapshot(plan)
        for field, value in values.items():
            setattr(plan, field, value)
        plan.save()
        attach(actor, obj.case, Evidence.Purpose.MINUTES, accepted)
        audit.record(
            actor, AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE, plan,
            before=before, after=audit.snapshot(plan),
        )  # fmt: skip
    return plan


def plan_facts(closure: Closure) -> rules.PlanFacts | None:
    plan = ResettlementPlan.objects.filter(closure=closure).first()
    if plan is None:
        return None
    return rules.PlanFacts(
        cost=plan.cost,
        funding_amount=plan.funding_amount,
        funding_source=plan.funding_source,
        headcount=plan.headcount or {},
        measures=plan.measures,
        schedule=plan.schedule,
        congress_date=plan.congress_date,
        votes_for=plan.votes_for,
        votes_total=plan.votes_total,
        minutes_uploaded=Evidence.objects.filter(case_id=closure.case_id, purpose=Evidence.Purpose.MINUTES).exists(),
    )


def resettlement_checks(closure: Closure) -> list[rules.GateCheck]:
    return rules.resettlement_gate(plan_facts(closure))


def execute_closure(actor, closure: Closure, *, executed_on: dt.date | None = None) -> Closure:
    """Carry out a decided closure: refused, with the reasons, until the resettlement plan passes all three
    checks of 三(七). Each unit exits in the registry; electrolytic aluminium leaves the ledger's active
    holding (available for replacement, or found ineligible when the decision says so)."""
    scopes.require(actor, "enforcement.decide", closure)
    executed_on = executed_on or today()
    if executed_on > today():
        raise ValidationError({"executed_on": [_("A closure cannot be executed in the future.")]})
    with transaction.atomic():
        obj = Closure.objects.select_for_update().get(pk=closure.pk)
        _transition(obj, ClosureState.EXECUTED)
        checks = resettlement_checks(obj)
        if not rules.gate_passes(checks):
            raise ValidationError({"resettlement": [c.why for c in checks if not c.passed]})
        if obj.decided_on and executed_on < obj.decided_on:
            raise ValidationError(
                {"executed_on": [_("Execution cannot predate the decision (%(d)s).") % {"d": obj.decided_on}]}
            )
        for unit in obj.units.select_related("metal", "stage"):
            if unit.status != UnitStatus.EXITED:
                registry.change_unit_status(
                    actor, unit, UnitStatus.EXITED, effective_on=max(executed_on, unit.status_since),
                    document=obj.document, reason=_("Closure and exit, case %(c)s") % {"c": obj.case.code},
                )  # fmt: skip
            if is_electrolysis(unit):
                capacity.close_unit_capacity(actor, unit, closed_on=executed_on, document=obj.document)
                if obj.capacity_ineligible:
                    for ind in CapacityIndicator.objects.filter(unit=unit, available_t__gt=0):
                        capacity.disqualify(actor, ind, reason=_("Closed by decision %(d)s") % {"d": obj.document})
        enterprise = obj.case.enterprise
        if not ProductionUnit.objects.filter(plant__enterprise=enterprise).exclude(status=UnitStatus.EXITED).exists():
            # Its last unit closed: the enterprise itself has exited the industry.
            registry.update_enterprise(
                actor, enterprise, {"status": "closed"}, reason=_("Closure and exit, case %(c)s") % {"c": obj.case.code}
            )
        before = obj.state
        obj.state, obj.executed_on = ClosureState.EXECUTED, executed_on
        obj.save(update_fields=["state", "executed_on"])
        event(
            actor, obj, "executed", before={"state": before}, after={"state": obj.state, "on": executed_on.isoformat()}
        )
        case = Case.objects.select_for_update().get(pk=obj.case_id)
        set_case_status(actor, case, CaseStatus.CLOSED, reason=_("Closed and exited"))
    closure.refresh_from_db()
    return closure


def record_outcome(actor, closure: Closure, data: dict) -> ResettlementOutcome:
    """Resettlement outcomes by date: re-employed, retrained, retired, supported (headcounts)."""
    scopes.require(actor, "enforcement.resettlement", closure)
    plan = ResettlementPlan.objects.filter(closure=closure).first()
    if plan is None:
        raise ValidationError({"plan": [_("Record the resettlement plan first.")]})
    as_of = data.get("as_of")
    if not isinstance(as_of, dt.date):
        raise ValidationError({"as_of": [_("Enter a date.")]})
    if as_of > today():
        raise ValidationError({"as_of": [_("Outcomes cannot be dated in the future.")]})
    counts = {}
    for field in ("reemployed", "retrained", "retired", "supported"):
        raw = data.get(field) or 0
        if not str(raw).isdigit():
            raise ValidationError({field: [_("Enter a whole number.")]})
        counts[field] = int(raw)
    total = sum(int(v or 0) for v in (plan.headcount or {}).values())
    if total and sum(counts.values()) > total:
        raise ValidationError({"reemployed": [_("More people than the plan's headcount (%(n)s).") % {"n": total}]})
    with transaction.atomic():
        outcome, created = ResettlementOutcome.objects.update_or_create(plan=plan, as_of=as_of, defaults=counts)
        audit.record(actor, AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE, outcome, after=counts)
    return outcome


def record_land(actor, closure: Closure, data: dict) -> LandDisposal:
    """The disposal of the closed site's land; a conversion keeps the original use and rights five years."""
    scopes.require(actor, "enforcement.land", closure)
    if closure.state != ClosureState.EXECUTED:
        raise ValidationError({"state": [_("Land is disposed of once the closure is executed.")]})
    route = str(data.get("route") or "")
    if route not in {r.value for r in LandRoute}:
        raise ValidationError({"route": [_("Choose transfer, recovery or conversion.")]})
    decided_on, converted_on = data.get("decided_on"), data.get("converted_on") or None
    if not isinstance(decided_on, dt.date):
        raise ValidationError({"decided_on": [_("Enter a date.")]})
    if route == LandRoute.CONVERSION and not isinstance(converted_on, dt.date):
        raise ValidationError({"converted_on": [_("A conversion needs its date.")]})
    if route != LandRoute.CONVERSION:
        converted_on = None
    check_dates(decided_on=decided_on, converted_on=converted_on, closed_on=closure.executed_on)
    with transaction.atomic():
        land, created = LandDisposal.objects.update_or_create(
            closure=closure,
            defaults={
                "route": route,
                "decided_on": decided_on,
                "converted_on": converted_on,
                "transition_until": rules.transition_until(converted_on) if converted_on else None,
                "new_use": str(data.get("new_use") or "").strip(),
                "area_m2": _money(data.get("area_m2"), "area_m2"),
                "notes": str(data.get("notes") or "").strip(),
            },
        )
        audit.record(
            actor, AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE, land, after=audit.snapshot(land)
        )
    return land
