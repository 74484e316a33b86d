"""The ledger's own changes: registering capacity, closing it, finding it ineligible, transfers out, lapses."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from youse.capacity import ledger
from youse.capacity.models import (
    CapacityIndicator,
)
from youse.capacity.rules import BasisKind, Holding, Movement
from youse.capacity.services.common import (
    H,
    _enterprise,
    _event,
    _int_tonnes,
    _next_code,
    _today,
    _unit,
)
from youse.core import audit, scopes
from youse.core.models import AuditEvent
from youse.registry.models import ProductionUnit
from youse.registry.rules import UnitStatus

# --- Ledger: indicators ----------------------------------------------------------------------------

INDICATOR_FIELDS = (
    "code",
    "tonnes",
    "owner",
    "unit",
    "origin_province",
    "origin_enterprise",
    "origin_equipment",
    "origin_document",
    "basis",
    "basis_reference",
    "built_on",
    "closed_on",
    "announced",
    "use_by",
    "elimination_deadline",
    "transfer_reference",
    "note",
)


def register_indicator(
    actor, data: dict, *, holding: str | None = None, effective_on: dt.date | None = None, reason: str = ""
) -> CapacityIndicator:
    """Enter capacity into the ledger. Its tonnes start active (the unit runs), available (closed and
    eligible) or ineligible (no basis); without `holding`, the unit's status and the basis decide."""
    scopes.require(actor, "capacity.ledger")
    unknown = sorted(set(data) - set(INDICATOR_FIELDS))
    if unknown:
        raise ValidationError({k: [_("This field cannot be set here.")] for k in unknown})
    data = dict(data)
    errors: dict[str, list[str]] = {}
    ind = CapacityIndicator()
    for field, value in data.items():
        try:
            if field == "owner":
                value = _enterprise(value, "owner")
            elif field == "unit":
                value = _unit(value)
            elif field == "tonnes":
                value = _int_tonnes(value, "tonnes")
            elif isinstance(value, str):
                value = value.strip()
            setattr(ind, field, value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if not ind.code and "code" not in errors:
        ind.code = _next_code("CN", CapacityIndicator)
    if ind.unit_id and ind.owner_id and ind.unit.plant.enterprise_id != ind.owner_id and not ind.origin_enterprise:
        # Capacity bought from another enterprise keeps its unit as origin; the seller is named.
        ind.origin_enterprise = ind.unit.plant.enterprise.name
    if ind.basis == BasisKind.TRANSFER_IN and not ind.transfer_reference:
        errors.setdefault("transfer_reference", []).append(
            _("Capacity from another province needs that province's transfer announcement.")
        )
    if holding is None:
        if ind.basis == BasisKind.NONE:
            holding = H.INELIGIBLE
        elif ind.unit_id and ind.unit.status in (UnitStatus.OPERATING, UnitStatus.IDLE, UnitStatus.CONSTRUCTION):
            holding = H.ACTIVE
        else:
            holding = H.AVAILABLE
    try:
        holding = Holding(holding)
    except ValueError:
        errors.setdefault("holding", []).append(_("Unknown holding: %(value)s") % {"value": holding})
    try:
        ind.full_clean(exclude=[f for f in errors], validate_constraints=not errors)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        ind.save()
        kind = Movement.TRANSFER_IN if ind.basis == BasisKind.TRANSFER_IN else Movement.REGISTER
        ledger.move(
            ind,
            kind,
            None,
            holding,
            ind.tonnes,
            actor=actor,
            effective_on=effective_on,
            document=ind.transfer_reference or ind.origin_document,
            note=reason,
        )
        audit.record(actor, AuditEvent.Action.CREATE, ind, after=audit.snapshot(ind), reason=reason)
    return ind


def _locked(indicator: CapacityIndicator) -> CapacityIndicator:
    return CapacityIndicator.objects.select_for_update().get(pk=indicator.pk)


def _move_with_audit(
    actor,
    indicator: CapacityIndicator,
    kind: Movement,
    source: Holding,
    target: Holding,
    tonnes: int | None,
    *,
    effective_on: dt.date | None,
    document: str,
    reason: str,
    extra: dict | None = None,
) -> CapacityIndicator:
    with transaction.atomic():
        ind = _locked(indicator)
        amount = ind.held(source) if tonnes is None else _int_tonnes(tonnes, "tonnes")
        if amount <= 0 or amount > ind.held(source):
            raise ValidationError(
                {
                    "tonnes": [
                        _("%(code)s holds %(held)s t %(holding)s; %(wanted)s t cannot be moved.")
                        % {
                            "code": ind.code,
                            "held": f"{ind.held(source):,}",
                            "holding": source.value,
                            "wanted": f"{amount:,}",
                        }
                    ]
                }
            )
        before = {h.value: ind.held(h) for h in Holding}
        ledger.move(
            ind, kind, source, target, amount, actor=actor, effective_on=effective_on, document=document, note=reason
        )
        for field, value in (extra or {}).items():
            setattr(ind, field, value)
        if extra:
            ind.save(update_fields=[*extra, "updated_at"])
        _event(actor, ind, kind.value, before=before, after={h.value: ind.held(h) for h in Holding}, reason=reason)
    indicator.refresh_from_db()
    return indicator


def close_capacity(
    actor,
    indicator: CapacityIndicator,
    *,
    closed_on: dt.date,
    document: str,
    tonnes: int | None = None,
    reason: str = "",
) -> CapacityIndicator:
    """The unit running on this capacity closed: its active tonnes become available for replacement."""
    scopes.require(actor, "capacity.ledger", indicator)
    if not document.strip():
        raise ValidationError({"document": [_("Cite the closure document (文号).")]})
    if closed_on > _today():
        raise ValidationError({"closed_on": [_("A closure cannot be dated in the future.")]})
    return _move_with_audit(
        actor,
        indicator,
        Movement.CLOSE,
        H.ACTIVE,
        H.AVAILABLE,
        tonnes,
        effective_on=closed_on,
        document=document,
        reason=reason,
        extra={"closed_on": closed_on},
    )


def close_unit_capacity(actor, unit: ProductionUnit, *, closed_on: dt.date, document: str, reason: str = "") -> int:
    """Close every active tonne a unit runs on (enforcement's closure decisions call this). Returns tonnes."""
    total = 0
    with transaction.atomic():
        for ind in CapacityIndicator.objects.filter(unit=unit, active_t__gt=0):
            total += ind.active_t
            close_capacity(actor, ind, closed_on=closed_on, document=document, reason=reason)
    return total


def disqualify(
    actor, indicator: CapacityIndicator, *, tonnes: int | None = None, holding: str = "available", reason: str
) -> CapacityIndicator:
    """Find tonnes ineligible (no compliance basis after all, past the elimination deadline...)."""
    scopes.require(actor, "capacity.ledger", indicator)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the capacity is ineligible.")]})
    source = Holding(holding)
    if source not in (H.AVAILABLE, H.ACTIVE):
        raise ValidationError({"holding": [_("Only available or active tonnes can be found ineligible.")]})
    return _move_with_audit(
        actor,
        indicator,
        Movement.DISQUALIFY,
        source,
        H.INELIGIBLE,
        tonnes,
        effective_on=None,
        document="",
        reason=reason,
    )


def transfer_out(
    actor, indicator: CapacityIndicator, *, tonnes: int, province: str, reference: str, reason: str = ""
) -> CapacityIndicator:
    """Available tonnes sold to another province's scheme, with that province's announcement."""
    scopes.require(actor, "capacity.ledger", indicator)
    errors = {}
    if not province.strip():
        errors["province"] = [_("Name the province the capacity goes to.")]
    if not reference.strip():
        errors["reference"] = [_("Cite the other province's announcement.")]
    if errors:
        raise ValidationError(errors)
    note = f"→ {province.strip()}" + (f"; {reason}" if reason else "")
    return _move_with_audit(
        actor,
        indicator,
        Movement.TRANSFER_OUT,
        H.AVAILABLE,
        H.TRANSFERRED_OUT,
        tonnes,
        effective_on=None,
        document=reference.strip(),
        reason=note,
    )


def lapse_due(today: dt.date | None = None) -> int:
    """Tick duty: available tonnes past their use-by date lapse. Idempotent: lapsed tonnes are gone."""
    today = today or _today()
    count = 0
    for ind in CapacityIndicator.objects.filter(use_by__lt=today, available_t__gt=0):
        with transaction.atomic():
            ind = _locked(ind)
            if ind.available_t <= 0:
                continue
            before = {h.value: ind.held(h) for h in Holding}
            ledger.move(
                ind,
                Movement.LAPSE,
                H.AVAILABLE,
                H.LAPSED,
                ind.available_t,
                effective_on=today,
                note=f"use by {ind.use_by}",
            )
            _event(None, ind, "lapse", before=before, after={h.value: ind.held(h) for h in Holding})
            count += 1
    return count
