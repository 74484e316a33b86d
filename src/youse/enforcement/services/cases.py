"""Cases and inspections: opening a case from a complaint, a repeated exceedance or a capacity violation;
recording an inspection with its checklist results, findings and evidence."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.capacity.models import CapacityViolation
from youse.core import audit, scopes
from youse.core.models import AuditEvent
from youse.enforcement import rules
from youse.enforcement.models import Case, ChecklistItem, CheckResult, Finding, Inspection
from youse.enforcement.rules import CaseStatus, Source
from youse.enforcement.services.common import (
    attach,
    check_dates,
    checked_files,
    dimensions,
    event,
    next_code,
    set_case_status,
    user_or_none,
)
from youse.monitoring import services as monitoring
from youse.monitoring.models import RepeatedExceedance
from youse.registry.models import Enterprise, Plant, ProductionUnit


def open_case(actor, data: dict, reason: str = "") -> Case:
    """A case from a complaint (source "complaint"), a repeated exceedance ("monitoring", with
    `exceedance`) or a capacity violation ("capacity", with `violation`)."""
    scopes.require(actor, "enforcement.open_case")
    source = str(data.get("source") or Source.COMPLAINT)
    errors: dict[str, list[str]] = {}
    if source not in (Source.COMPLAINT, Source.MONITORING, Source.CAPACITY):
        raise ValidationError({"source": [_("A case opened by hand comes from a complaint, monitoring or capacity.")]})
    exceedance = violation = None
    plant = unit = None
    enterprise = data.get("enterprise")
    if source == Source.MONITORING:
        exceedance = (
            RepeatedExceedance.objects.select_related("point__plant__enterprise")
            .filter(pk=getattr(data.get("exceedance"), "pk", data.get("exceedance")))
            .first()
        )
        if exceedance is None:
            raise ValidationError({"exceedance": [_("Name the repeated exceedance this case answers.")]})
        plant = exceedance.point.plant
        enterprise = plant.enterprise
    elif source == Source.CAPACITY:
        violation = CapacityViolation.objects.filter(
            pk=getattr(data.get("violation"), "pk", data.get("violation"))
        ).first()
        if violation is None:
            raise ValidationError({"violation": [_("Name the capacity violation this case answers.")]})
        enterprise, unit = violation.enterprise, violation.unit
    if not isinstance(enterprise, Enterprise):
        enterprise = Enterprise.objects.filter(pk=int(enterprise)).first() if str(enterprise or "").isdigit() else None
    if enterprise is None:
        raise ValidationError({"enterprise": [_("Name the enterprise.")]})
    if data.get("plant"):
        plant = Plant.objects.filter(pk=int(data["plant"]), enterprise=enterprise).first()
        if plant is None:
            errors["plant"] = [_("The plant must belong to the enterprise.")]
    if data.get("unit"):
        unit = ProductionUnit.objects.filter(pk=int(data["unit"]), plant__enterprise=enterprise).first()
        if unit is None:
            errors["unit"] = [_("The unit must belong to the enterprise.")]
    try:
        dims = dimensions(data.get("dimensions") or (["environment"] if exceedance else []))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    summary = str(data.get("summary") or "").strip()
    if not summary:
        errors["summary"] = [_("Say what the case is about.")]
    if errors:
        raise ValidationError(errors)
    # The city opens cases in its own city only.
    scopes.require(actor, "enforcement.open_case", enterprise)
    with transaction.atomic():
        case = Case.objects.create(
            code=next_code("ZF", Case),
            enterprise=enterprise,
            plant=plant,
            unit=unit,
            source=source,
            exceedance=exceedance,
            violation=violation,
            city=enterprise.division.prefecture or enterprise.division,
            dimensions=dims,
            summary=summary,
            status=CaseStatus.OPEN,
            opened_at=timezone.now(),
            created_by=user_or_none(actor),
        )
        if exceedance is not None:
            monitoring.refer_exceedance(actor, exceedance, case.code)
        audit.record(actor, AuditEvent.Action.CREATE, case, after=audit.snapshot(case), reason=reason)
    return case


def _decimal(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field: [_("Enter a number.")]}) from None


def _results(results: list[dict]) -> list[tuple[ChecklistItem, bool | None, Decimal | None, bool | None, str]]:
    out, errors = [], {}
    for i, r in enumerate(results, start=1):
        key = f"results[{i}]"
        item = r.get("item")
        if not isinstance(item, ChecklistItem):
            item = ChecklistItem.objects.select_related("norm").filter(code=str(item)).first()
        if item is None:
            errors[key] = [_("Unknown checklist item: %(v)s") % {"v": r.get("item")}]
            continue
        try:
            measured = _decimal(r.get("measured"), key)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        met = r.get("met")
        met = (
            None
            if met in (None, "")
            else bool(met)
            if not isinstance(met, str)
            else met.lower() in ("1", "true", "yes")
        )
        passed = rules.item_passes(item.kind, item.threshold, met, measured)
        out.append((item, met, measured, passed, str(r.get("note") or "")[:300]))
    if errors:
        raise ValidationError(errors)
    return out


def _record(actor, case: Case, data: dict, results: list[dict], findings: list[dict], files, order=None) -> Inspection:
    """Validate everything first, then write the inspection, its results, findings and evidence."""
    errors: dict[str, list[str]] = {}
    try:
        dims = dimensions(data.get("dimensions") or case.dimensions)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    for field in ("inspecting_unit", "inspectors"):
        if not str(data.get(field) or "").strip():
            errors[field] = [_("This field is required.")]
    inspected_on = data.get("inspected_on")
    if not isinstance(inspected_on, dt.date):
        errors["inspected_on"] = [_("Enter a date.")]
    checked = []
    try:
        checked = _results(list(results or []))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    found = []
    for i, f in enumerate(findings or [], start=1):
        text = str(f.get("text") or "").strip()
        if not text:
            continue
        dim = str(f.get("dimension") or (dims[0] if dims else ""))
        if dim not in {d.value for d in rules.Dimension}:
            errors[f"findings[{i}]"] = [_("Unknown dimension: %(v)s") % {"v": dim}]
            continue
        found.append((dim, text, bool(f.get("failed", True))))
    try:
        accepted = checked_files(files)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    not_before = order.reported_on or order.issued_on if order is not None else None
    check_dates(inspected_on=inspected_on, not_before=not_before)
    verdict = rules.inspection_verdict([p for *_x, p, _n in checked], sum(1 for *_d, failed in found if failed))
    inspection = Inspection.objects.create(
        case=case,
        order=order,
        dimensions=dims,
        inspecting_unit=str(data["inspecting_unit"]).strip(),
        inspectors=str(data["inspectors"]).strip(),
        inspected_on=inspected_on,
        verdict=verdict,
        notes=str(data.get("notes") or "").strip(),
        recorded_by=user_or_none(actor),
    )
    for item, met, measured, passed, note in checked:
        CheckResult.objects.create(
            inspection=inspection, item=item, met=met, measured=measured, passed=passed, note=note
        )
        if passed is False:
            Finding.objects.create(
                inspection=inspection,
                dimension=item.norm.dimension,
                item=item,
                text=_("Not met: %(req)s") % {"req": item.text}
                + (f" ({measured} {item.unit})" if measured is not None else ""),
            )
    for dim, text, failed in found:
        Finding.objects.create(inspection=inspection, dimension=dim, text=text, failed=failed)
    attach(actor, case, "inspection", accepted, inspection=inspection)
    after = {"inspection": inspection.pk, "verdict": verdict, "inspected_on": inspected_on.isoformat()}
    event(actor, case, "reinspection" if order else "inspection", after=after)
    return inspection


def record_inspection(
    actor, case: Case, data: dict, results: list[dict] = (), findings: list[dict] = (), files=()
) -> Inspection:
    """An inspection by the case's city (or the department). Its verdict comes from the checklist and
    the findings: a pass closes a campaign case as passed; a fail leaves it open for a rectification order."""
    scopes.require(actor, "enforcement.inspect", case)
    with transaction.atomic():
        obj = Case.objects.select_for_update().get(pk=case.pk)
        if obj.status in (CaseStatus.CLOSING, CaseStatus.CLOSED):
            raise ValidationError({"case": [_("This case is %(s)s: no further inspection.") % {"s": obj.status_label}]})
        inspection = _record(actor, obj, data, results, findings, files)
        if obj.status in (CaseStatus.PLANNED, CaseStatus.OPEN, CaseStatus.PASSED):
            status = CaseStatus.PASSED if inspection.verdict == "pass" else CaseStatus.OPEN
            set_case_status(actor, obj, status)
    case.refresh_from_db()
    return inspection
