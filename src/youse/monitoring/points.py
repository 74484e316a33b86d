"""State changes of monitoring points and of the quarantine (DESIGN.md principle 2: one door for every
change). Each function checks the actor's capability and scope and writes the audit event in the same
transaction as the change."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.core import audit, scopes
from youse.core.models import AuditEvent
from youse.monitoring.models import CrcVariant, MonitoringPoint, QuarantinedPacket
from youse.registry.models import Plant

POINT_FIELDS = (
    "mn",
    "pw",
    "name",
    "outlet",
    "medium",
    "standard",
    "plant_type",
    "special_limits",
    "accepted_crc",
    "expected_interval_s",
    "active",
)


def _validate(point: MonitoringPoint) -> None:
    errors: dict[str, list[str]] = {}
    unknown = [v for v in point.accepted_crc or [] if v not in CrcVariant.values]
    if unknown:
        errors["accepted_crc"] = [_("Unknown CRC variant: %(value)s") % {"value": ", ".join(unknown)}]
    try:
        point.full_clean(exclude=["plant"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def create_point(actor, plant: Plant, data: dict, reason: str = "") -> MonitoringPoint:
    """Register a data logger at an outlet of `plant` (the environment department or the department)."""
    scopes.require(actor, "monitoring.manage", plant)
    unknown = set(data) - set(POINT_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    point = MonitoringPoint(plant=plant, **data)
    _validate(point)
    with transaction.atomic():
        point.save()
        audit.record(actor, AuditEvent.Action.CREATE, point, after=audit.snapshot(point), reason=reason)
    return point


def _open_packet(actor, packet: QuarantinedPacket) -> QuarantinedPacket:
    scopes.require(actor, "monitoring.manage")
    locked = QuarantinedPacket.objects.select_for_update().get(pk=packet.pk)
    if locked.status != QuarantinedPacket.Status.OPEN:
        raise ValidationError({"status": [_("This packet has already been reviewed.")]})
    return locked


def assign_packet(actor, packet: QuarantinedPacket, point: MonitoringPoint, reason: str = "") -> QuarantinedPacket:
    """Attribute a quarantined packet to a registered point (for example a logger whose MN was mistyped)."""
    scopes.require(actor, "monitoring.manage", point)
    with transaction.atomic():
        locked = _open_packet(actor, packet)
        before = audit.snapshot(locked)
        locked.status = QuarantinedPacket.Status.ASSIGNED
        locked.point = point
        locked.reviewed_by = actor
        locked.reviewed_at = timezone.now()
        locked.save()
        audit.record(
            actor, AuditEvent.Action.UPDATE, locked, before=before, after=audit.snapshot(locked), reason=reason
        )
    return locked


def dismiss_packet(actor, packet: QuarantinedPacket, reason: str = "") -> QuarantinedPacket:
    """Close a quarantined packet that belongs to no point (garbage, a test device, a stranger)."""
    with transaction.atomic():
        locked = _open_packet(actor, packet)
        before = audit.snapshot(locked)
        locked.status = QuarantinedPacket.Status.DISMISSED
        locked.reviewed_by = actor
        locked.reviewed_at = timezone.now()
        locked.save()
        audit.record(
            actor, AuditEvent.Action.UPDATE, locked, before=before, after=audit.snapshot(locked), reason=reason
        )
    return locked
