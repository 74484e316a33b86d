"""Every change to the registry goes through these functions (DESIGN.md, principle 2).

Each one checks the actor's capability and scope, validates the whole change (naming the field that is
wrong), writes the change and its audit event in one transaction, and returns the saved object. Pages,
the API, imports, the CLI and the demo all call them."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from youse.core import audit, scopes
from youse.core.models import AuditEvent, Division, IndustrialBase, Metal, ValueChainStage
from youse.core.roles import ENTERPRISE_CONTACT_FIELDS, Role
from youse.registry import rules
from youse.registry.models import Enterprise, Plant, ProductionUnit, UnitStatusChange

ENTERPRISE_FIELDS = (
    "name",
    "short_name",
    "credit_code",
    "division",
    "base",
    "ownership",
    "group_name",
    "status",
    "legal_representative",
    "contact_person",
    "contact_phone",
    "contact_email",
    "address",
    "website",
    "established_on",
    "employees",
)
PLANT_FIELDS = ("name", "address", "division", "base", "latitude", "longitude")
UNIT_FIELDS = (
    "name",
    "metal",
    "stage",
    "product",
    "process",
    "main_equipment",
    "design_capacity",
    "capacity_unit",
    "approval_document",
)

# Foreign keys that callers may give as an instance, a primary key or a code.
_REFERENCES: dict[str, tuple[type[models.Model], str]] = {
    "division": (Division, "code"),
    "base": (IndustrialBase, "code"),
    "metal": (Metal, "code"),
    "stage": (ValueChainStage, "code"),
}


def _resolve(field: str, value: object) -> models.Model | None:
    model, code_field = _REFERENCES[field]
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value
    qs = model.objects.all()
    if model is Division:
        qs = qs.filter(valid_to__isnull=True)
    found = None
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit() and model is not Division):
        found = qs.filter(pk=int(value)).first()
    if found is None and isinstance(value, str | int):
        found = qs.filter(**{code_field: str(value)}).first()
    if found is None:
        raise ValidationError({field: _("Unknown %(field)s: %(value)s") % {"field": field, "value": value}})
    return found


def _apply(obj: models.Model, data: dict, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError({k: _("This field cannot be set here.") for k in unknown})
    errors: dict[str, list[str]] = {}
    for field, value in data.items():
        try:
            if field in _REFERENCES:
                value = _resolve(field, value)
            elif isinstance(value, str):
                value = value.strip()
            setattr(obj, field, value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)


def _validate(obj: models.Model, extra: dict[str, list[str]] | None = None) -> None:
    errors: dict[str, list[str]] = dict(extra or {})
    try:
        # Once a field is known to be wrong, a table constraint on it would only repeat the news vaguely.
        obj.full_clean(validate_constraints=not errors)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _enterprise_errors(ent: Enterprise) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if ent.credit_code:
        try:
            ent.credit_code = rules.validate_credit_code(ent.credit_code)
        except rules.CreditCodeError as exc:
            errors["credit_code"] = [_("Invalid unified social credit code: %(why)s") % {"why": exc}]
    if ent.division_id and ent.division.valid_to is not None:
        errors["division"] = [_("This division code is no longer valid.")]
    return errors


def _require_division_in_scope(actor, division: Division | None, capability: str, field: str = "division") -> None:
    """A city user may register rows only on its own ground."""
    if (
        getattr(actor, "role", None) == Role.CITY
        and division is not None
        and division.prefecture_id != actor.division_id
    ):
        scopes.refuse(actor, capability, None, f"division {division.code or division.name} outside the user's city")
        raise ValidationError({field: _("You may only register rows in your own city.")})


def _check_unit_capacity(unit: ProductionUnit) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if unit.design_capacity in (None, ""):
        errors["design_capacity"] = [_("A design capacity is required.")]
    else:
        try:
            unit.design_capacity = Decimal(str(unit.design_capacity))
        except (InvalidOperation, ValueError):
            errors["design_capacity"] = [_("Not a number: %(value)s") % {"value": unit.design_capacity}]
        else:
            if not unit.design_capacity.is_finite() or unit.design_capacity <= 0:
                errors["design_capacity"] = [_("The design capacity must be a positive number.")]
    if not unit.capacity_unit:
        errors["capacity_unit"] = [_("A capacity needs its unit (t/a or t ore/d).")]
    return errors


# --- Enterprises ---------------------------------------------------------------------------------


def create_enterprise(actor, data: dict, reason: str = "") -> Enterprise:
    scopes.require(actor, "registry.create_enterprise")
    ent = Enterprise()
    _apply(ent, data, ENTERPRISE_FIELDS)
    _require_division_in_scope(actor, ent.division if ent.division_id else None, "registry.create_enterprise")
    _validate(ent, _enterprise_errors(ent))
    with transaction.atomic():
        ent.save()
        audit.record(actor, AuditEvent.Action.CREATE, ent, after=audit.snapshot(ent), reason=reason)
    return ent


def update_enterprise(actor, enterprise: Enterprise, changes: dict, reason: str = "") -> Enterprise:
    contact_only = set(changes) <= set(ENTERPRISE_CONTACT_FIELDS)
    scopes.require(actor, "registry.edit_contact" if contact_only else "registry.edit", enterprise)
    with transaction.atomic():
        ent = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        before = audit.snapshot(ent)
        _apply(ent, changes, ENTERPRISE_FIELDS)
        if "division" in changes and ent.division_id:
            _require_division_in_scope(actor, ent.division, "registry.edit")
        _validate(ent, _enterprise_errors(ent))
        after = audit.snapshot(ent)
        if after == before:
            return ent
        ent.save()
        audit.record(actor, AuditEvent.Action.UPDATE, ent, before=before, after=after, reason=reason)
    return ent


# --- Plants --------------------------------------------------------------------------------------


def create_plant(actor, enterprise: Enterprise, data: dict, reason: str = "") -> Plant:
    scopes.require(actor, "registry.edit", enterprise)
    plant = Plant(enterprise=enterprise)
    _apply(plant, data, PLANT_FIELDS)
    _require_division_in_scope(actor, plant.division if plant.division_id else None, "registry.edit")
    _validate(plant, _coordinate_errors(plant))
    with transaction.atomic():
        plant.save()
        audit.record(actor, AuditEvent.Action.CREATE, plant, after=audit.snapshot(plant), reason=reason)
    return plant


def _coordinate_errors(plant: Plant) -> dict[str, list[str]]:
    if (plant.latitude in (None, "")) != (plant.longitude in (None, "")):
        return {"longitude" if plant.longitude in (None, "") else "latitude": [_("Give both coordinates or neither.")]}
    errors: dict[str, list[str]] = {}
    for field, limit in (("latitude", 90), ("longitude", 180)):
        value = getattr(plant, field)
        if value in (None, ""):
            continue
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError):
            errors[field] = [_("Not a number: %(value)s") % {"value": value}]
            continue
        if not -limit <= number <= limit:
            errors[field] = [_("Must lie between -%(limit)s and %(limit)s degrees.") % {"limit": limit}]
        else:
            setattr(plant, field, number)
    return errors


def update_plant(actor, plant: Plant, changes: dict, reason: str = "") -> Plant:
    scopes.require(actor, "registry.edit", plant)
    with transaction.atomic():
        obj = Plant.objects.select_for_update().get(pk=plant.pk)
        before = audit.snapshot(obj)
        _apply(obj, changes, PLANT_FIELDS)
        if "division" in changes and obj.division_id:
            _require_division_in_scope(actor, obj.division, "registry.edit")
        _validate(obj, _coordinate_errors(obj))
        after = audit.snapshot(obj)
        if after == before:
            return obj
        obj.save()
        audit.record(actor, AuditEvent.Action.UPDATE, obj, before=before, after=after, reason=reason)
    return obj


# --- Production units ----------------------------------------------------------------------------


def create_unit(
    actor,
    plant: Plant,
    data: dict,
    *,
    status: str = rules.UnitStatus.PLANNED,
    status_since: dt.date | None = None,
    document: str = "",
    reason: str = "",
) -> ProductionUnit:
    """Register a production unit. Units that already exist when first registered may start in any
    status; the first history entry records that status with its document."""
    scopes.require(actor, "registry.edit", plant)
    try:
        status = rules.UnitStatus(status)
    except ValueError:
        raise ValidationError({"status": _("Unknown status: %(value)s") % {"value": status}}) from None
    unit = ProductionUnit(plant=plant, status=status, status_since=status_since or timezone.localdate())
    _apply(unit, data, UNIT_FIELDS)
    _validate(unit, _check_unit_capacity(unit))
    with transaction.atomic():
        unit.save()
        UnitStatusChange.objects.create(
            unit=unit,
            from_status="",
            to_status=status,
            effective_on=unit.status_since,
            document=document or unit.approval_document,
            reason=reason,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(actor, AuditEvent.Action.CREATE, unit, after=audit.snapshot(unit), reason=reason)
    return unit


def update_unit(actor, unit: ProductionUnit, changes: dict, reason: str = "") -> ProductionUnit:
    if "status" in changes or "status_since" in changes:
        raise ValidationError({"status": _("Change the status with a status transition, not an edit.")})
    scopes.require(actor, "registry.edit", unit)
    with transaction.atomic():
        obj = ProductionUnit.objects.select_for_update().get(pk=unit.pk)
        before = audit.snapshot(obj)
        _apply(obj, changes, UNIT_FIELDS)
        _validate(obj, _check_unit_capacity(obj))
        after = audit.snapshot(obj)
        if after == before:
            return obj
        obj.save()
        audit.record(actor, AuditEvent.Action.UPDATE, obj, before=before, after=after, reason=reason)
    return obj


# Statuses that only a formal decision can give a unit: the decision's document number is required.
DOCUMENT_REQUIRED = frozenset({rules.UnitStatus.APPROVED, rules.UnitStatus.EXITED})


def _transition_message(current: str, target: str) -> str:
    labels = ProductionUnit.STATUS_LABELS
    try:
        cur, tgt = rules.UnitStatus(current), rules.UnitStatus(target)
    except ValueError:
        return _("Unknown status: %(value)s") % {"value": target}
    if cur == tgt:
        return _("The unit is already %(status)s.") % {"status": labels[cur]}
    allowed = [str(labels[s]) for s in rules.UnitStatus if s in rules.ALLOWED_TRANSITIONS[cur]]
    if not allowed:
        return _("%(status)s is final: no further status change is possible.") % {"status": labels[cur]}
    return _("%(current)s → %(target)s is not allowed; from %(current)s the unit may become: %(allowed)s.") % {
        "current": labels[cur],
        "target": labels[tgt],
        "allowed": ("、" if (translation.get_language() or "").startswith("zh") else ", ").join(allowed),
    }


def change_unit_status(
    actor,
    unit: ProductionUnit,
    to_status: str,
    *,
    effective_on: dt.date | None = None,
    document: str = "",
    reason: str = "",
) -> UnitStatusChange:
    """Move a unit along its life cycle (registry/rules.py), with the document that decided it."""
    scopes.require(actor, "registry.change_status", unit)
    effective_on = effective_on or timezone.localdate()
    with transaction.atomic():
        obj = ProductionUnit.objects.select_for_update().get(pk=unit.pk)
        try:
            rules.check_transition(obj.status, to_status)
        except rules.TransitionError:
            raise ValidationError({"status": _transition_message(obj.status, to_status)}) from None
        if to_status in DOCUMENT_REQUIRED and not document.strip():
            raise ValidationError({"document": _("Approval and exit must cite the document that decided them (文号).")})
        if effective_on < obj.status_since:
            raise ValidationError(
                {
                    "effective_on": _("The change cannot predate the current status (since %(date)s).")
                    % {"date": obj.status_since}
                }
            )
        if effective_on > timezone.localdate():
            raise ValidationError({"effective_on": _("A status change cannot be dated in the future.")})
        before = {"status": obj.status, "status_since": obj.status_since.isoformat()}
        change = UnitStatusChange.objects.create(
            unit=obj,
            from_status=obj.status,
            to_status=to_status,
            effective_on=effective_on,
            document=document,
            reason=reason,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        obj.status, obj.status_since = to_status, effective_on
        obj.save(update_fields=["status", "status_since", "updated_at"])
        after = {"status": obj.status, "status_since": effective_on.isoformat(), "document": document}
        audit.record(actor, AuditEvent.Action.TRANSITION, obj, before=before, after=after, reason=reason)
    unit.status, unit.status_since = obj.status, obj.status_since
    return change
