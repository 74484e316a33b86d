"""State changes of early warnings: the department acknowledges a warning (it has seen it and follows it
up) or clears it (the cause is gone or it was a false alarm). Each change is audited with its reason.

open → acknowledged → cleared, or open → cleared directly. A cleared warning stays cleared: if the
condition holds again, the rule raises a new warning for the new period."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from youse.core import audit, scopes
from youse.core.models import AuditEvent
from youse.stats.models import EarlyWarning

Status = EarlyWarning.Status
# Who handles warnings: the department, which also keeps the rules that raise them (core.roles).
CAPABILITY = "stats.manage_rules"
ALLOWED = {
    Status.ACKNOWLEDGED: frozenset({Status.OPEN}),
    Status.CLEARED: frozenset({Status.OPEN, Status.ACKNOWLEDGED}),
}


def _change(actor, warning: EarlyWarning, to: str, reason: str) -> EarlyWarning:
    scopes.require(actor, CAPABILITY, warning)
    reason = (reason or "").strip()
    if to == Status.CLEARED and not reason:
        raise ValidationError({"reason": _("Say why the warning is cleared.")})
    with transaction.atomic():
        obj = EarlyWarning.objects.select_for_update().get(pk=warning.pk)
        if obj.status not in ALLOWED[to]:
            raise ValidationError(
                {
                    "status": _("The warning is %(status)s: it cannot become %(target)s.")
                    % {"status": obj.get_status_display(), "target": Status(to).label}
                }
            )
        before = obj.status
        obj.status = to
        obj.save(update_fields=["status"])
        audit.record(
            actor, AuditEvent.Action.TRANSITION, obj, before={"status": before}, after={"status": to}, reason=reason
        )
    warning.status = to
    return warning


def acknowledge_warning(actor, warning: EarlyWarning, reason: str = "") -> EarlyWarning:
    """The department has seen the warning and follows it up."""
    return _change(actor, warning, Status.ACKNOWLEDGED, reason)


def clear_warning(actor, warning: EarlyWarning, reason: str) -> EarlyWarning:
    """The warning no longer needs attention; the reason is required and kept in the audit trail."""
    return _change(actor, warning, Status.CLEARED, reason)
