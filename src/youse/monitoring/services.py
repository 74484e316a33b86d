"""Every change to monitoring made by a person goes through these functions (DESIGN.md, principle 2):
acknowledging alarms, reviewing the quarantine, registering and changing monitoring points. Each checks
the actor's capability and scope, changes and audits in one transaction, and returns the saved object.

Who may do what (core/roles.py): an enterprise acknowledges (explains) its own alarms; the department
and the environment department (unit hbt, UNIT_CAPABILITIES) acknowledge as the authority and manage
points and the quarantine."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.core import audit, scopes
from youse.core.models import AuditEvent
from youse.core.roles import Role
from youse.monitoring.models import Alarm, CrcVariant, MonitoringPoint, QuarantinedPacket, RepeatedExceedance
from youse.registry.models import Plant

POINT_FIELDS = (
    "mn",
    "pw",
    "name",
    "plant",
    "outlet",
    "medium",
    "standard",
    "plant_type",
    "special_limits",
    "accepted_crc",
    "expected_interval_s",
    "active",
)


def acknowledge_alarm(actor, alarm: Alarm, note: str = "") -> Alarm:
    """The enterprise acknowledges its own alarm with its explanation; the department or the
    environment department acknowledges as the authority. Each side acknowledges once."""
    scopes.require(actor, "monitoring.acknowledge", alarm)
    note = (note or "").strip()
    as_enterprise = actor.role == Role.ENTERPRISE
    if as_enterprise and not note:
        raise ValidationError({"note": _("Explain the alarm: what happened and what was done.")})
    prefix = "enterprise" if as_enterprise else "authority"
    with transaction.atomic():
        obj = Alarm.objects.select_for_update().get(pk=alarm.pk)
        if getattr(obj, f"{prefix}_ack_at") is not None:
            raise ValidationError(_("This alarm has already been acknowledged."))
        before = audit.snapshot(obj)
        setattr(obj, f"{prefix}_ack_at", timezone.now())
        setattr(obj, f"{prefix}_ack_by", actor)
        setattr(obj, f"{prefix}_note", note)
        obj.save(update_fields=[f"{prefix}_ack_at", f"{prefix}_ack_by", f"{prefix}_note"])
        audit.record(actor, AuditEvent.Action.UPDATE, obj, before=before, after=audit.snapshot(obj), reason=note)
    return obj


def _review(actor, packet: QuarantinedPacket) -> tuple[QuarantinedPacket, dict]:
    scopes.require(actor, "monitoring.manage")
    obj = QuarantinedPacket.objects.select_for_update().get(pk=packet.pk)
    if obj.status != QuarantinedPacket.Status.OPEN:
        raise ValidationError(_("This packet has already been reviewed."))
    return obj, audit.snapshot(obj)


def assign_packet(actor, packet: QuarantinedPacket, point: MonitoringPoint, reason: str = "") -> QuarantinedPacket:
    """Assign a quarantined packet to a point and store its readings under that point through the
    gateway's own store path (same rows, same idempotence), in the same transaction."""
    with transaction.atomic():
        obj, before = _review(actor, packet)
        obj.status = QuarantinedPacket.Status.ASSIGNED
        obj.point = point
        obj.reviewed_by = actor
        obj.reviewed_at = timezone.now()
        obj.save()
        stored = reingest_packet(obj, point)
        audit.record(
            actor,
            AuditEvent.Action.TRANSITION,
            obj,
            before=before,
            after={**audit.snapshot(obj), "readings_offered": stored},
            reason=reason,
        )
    return obj


def dismiss_packet(actor, packet: QuarantinedPacket, reason: str = "") -> QuarantinedPacket:
    with transaction.atomic():
        obj, before = _review(actor, packet)
        obj.status = QuarantinedPacket.Status.DISMISSED
        obj.reviewed_by = actor
        obj.reviewed_at = timezone.now()
        obj.save()
        audit.record(actor, AuditEvent.Action.TRANSITION, obj, before=before, after=audit.snapshot(obj), reason=reason)
    return obj


def reingest_packet(packet: QuarantinedPacket, point: MonitoringPoint) -> int:
    """Decode a quarantined packet and write its readings for `point` through the gateway's store
    (youse.monitoring.hj212.store): the packet's own MN and PW are what put it in quarantine, so the
    reviewer's assignment stands in for them. Returns the number of reading rows offered (duplicates
    are ignored by the store); 0 for packets that carry no data upload."""
    from youse.monitoring.hj212.codec import decode_one
    from youse.monitoring.hj212.store import Store

    frame = decode_one(packet.raw.encode("utf-8") + (b"" if packet.raw.endswith("\r\n") else b"\r\n"))
    if not frame.ok:
        raise ValidationError(_("The packet cannot be decoded: %(error)s") % {"error": frame.error or frame.crc or "?"})
    return Store().write_frame(frame, point.pk, packet.received_at.timestamp())


def _resolve_plant(value: object) -> Plant | None:
    if value in (None, ""):
        return None
    if isinstance(value, Plant):
        return value
    try:
        return Plant.objects.get(pk=int(value))
    except (Plant.DoesNotExist, TypeError, ValueError):
        raise ValidationError({"plant": _("Unknown plant: %(value)s") % {"value": value}}) from None


def _apply(point: MonitoringPoint, data: dict) -> None:
    unknown = sorted(set(data) - set(POINT_FIELDS))
    if unknown:
        raise ValidationError({k: _("This field cannot be set here.") for k in unknown})
    for name, value in data.items():
        if name == "plant":
            value = _resolve_plant(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(point, name, value)
    errors: dict[str, list[str]] = {}
    variants = point.accepted_crc or []
    if not isinstance(variants, list) or any(v not in CrcVariant.values for v in variants):
        errors["accepted_crc"] = [_("Unknown CRC variant.")]
    if point.expected_interval_s is not None and not 1 <= int(point.expected_interval_s) <= 86400:
        errors["expected_interval_s"] = [_("Must lie between 1 second and one day.")]
    try:
        point.full_clean(exclude=list(errors))
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def create_point(actor, data: dict, reason: str = "") -> MonitoringPoint:
    """Register a data logger (monitoring point) at a plant's outlet."""
    scopes.require(actor, "monitoring.manage")
    point = MonitoringPoint()
    _apply(point, data)
    scopes.require(actor, "monitoring.manage", point.plant)
    with transaction.atomic():
        point.save()
        audit.record(actor, AuditEvent.Action.CREATE, point, after=audit.snapshot(point), reason=reason)
    return point


def update_point(actor, point: MonitoringPoint, changes: dict, reason: str = "") -> MonitoringPoint:
    scopes.require(actor, "monitoring.manage", point)
    with transaction.atomic():
        obj = MonitoringPoint.objects.select_for_update().get(pk=point.pk)
        before = audit.snapshot(obj)
        _apply(obj, changes)
        obj.save()
        audit.record(actor, AuditEvent.Action.UPDATE, obj, before=before, after=audit.snapshot(obj), reason=reason)
    return obj


def refer_exceedance(actor, item: RepeatedExceedance, case_code: str) -> RepeatedExceedance:
    """Hand a repeated exceedance to the enforcement workflow: it becomes the source of a case."""
    scopes.require(actor, "monitoring.view", item)
    with transaction.atomic():
        obj = RepeatedExceedance.objects.select_for_update().get(pk=item.pk)
        if obj.status != RepeatedExceedance.Status.OPEN:
            raise ValidationError({"exceedance": [_("This item has already been referred or closed.")]})
        obj.status = RepeatedExceedance.Status.REFERRED
        obj.save(update_fields=["status"])
        audit.record(
            actor, AuditEvent.Action.TRANSITION, obj, before={"status": "open"},
            after={"status": obj.status, "case": case_code},
        )  # fmt: skip
    item.status = obj.status
    return item
