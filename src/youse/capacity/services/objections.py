"""Objections during the public notice (公示), filed by anyone and decided by the department."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from youse.capacity import ledger
from youse.capacity.models import (
    ExitLine,
    Objection,
    ReplacementScheme,
)
from youse.capacity.rules import Movement, SchemeState
from youse.capacity.services.common import (
    H,
    _event,
    _int_tonnes,
    _moment,
    _release,
    _today,
    _transition,
)
from youse.core import audit, scopes
from youse.core.models import AuditEvent


def notice_open(scheme: ReplacementScheme, today: dt.date | None = None) -> bool:
    # From publication (a notice published on a Saturday is already readable) to its last working day.
    today = today or _today()
    return scheme.state == SchemeState.NOTICE and scheme.notice_end is not None and today <= scheme.notice_end


def file_objection(
    actor, scheme: ReplacementScheme, data: dict, *, remote_addr: str | None = None, on: dt.date | None = None
) -> Objection:
    """Anyone, signed in or not, may object while the notice is open, giving a name and a contact.
    `on`: the day it was filed, when recorded afterwards; the notice must have been open that day."""
    if not notice_open(scheme, on):
        raise ValidationError({"scheme": [_("Objections are accepted only while the scheme is in public notice.")]})
    fields = ("name", "organisation", "contact", "text")
    unknown = sorted(set(data) - set(fields))
    errors: dict[str, list[str]] = {k: [_("This field cannot be set here.")] for k in unknown}
    values = {f: str(data.get(f) or "").strip() for f in fields}
    for f in ("name", "contact", "text"):
        if not values[f]:
            errors[f] = [_("This field is required.")]
    if len(values["text"]) > 5000:
        errors["text"] = [_("At most 5000 characters.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        objection = Objection(scheme=scheme, notice_round=scheme.notice_round, remote_addr=remote_addr, **values)
        objection.full_clean()
        objection.save()
        if on is not None:
            # filed_at is set on insert; history recorded afterwards keeps the day it happened.
            objection.filed_at = _moment(on)
            Objection.objects.filter(pk=objection.pk).update(filed_at=objection.filed_at)
        audit.record(actor, AuditEvent.Action.CREATE, objection, after={"scheme": scheme.code, "name": values["name"]})
    return objection


def decide_objection(
    actor,
    objection: Objection,
    *,
    upheld: bool,
    finding: str,
    cut_line: ExitLine | None = None,
    cut_tonnes: int = 0,
    on: dt.date | None = None,
) -> Objection:
    """Record the department's finding. An upheld objection sends the scheme back to its applicant: its
    reservations are released, and tonnes found ineligible (`cut_tonnes` of `cut_line`) leave the ledger
    as ineligible, so that the revised scheme cannot claim them again."""
    scopes.require(actor, "capacity.decide", objection.scheme)
    if not finding.strip():
        raise ValidationError({"finding": [_("Record the finding.")]})
    with transaction.atomic():
        obj = Objection.objects.select_for_update().get(pk=objection.pk)
        scheme = ReplacementScheme.objects.select_for_update().get(pk=obj.scheme_id)
        if obj.status != Objection.Status.PENDING:
            raise ValidationError({"status": [_("This objection has already been decided.")]})
        if cut_tonnes and not upheld:
            raise ValidationError({"cut_tonnes": [_("Only an upheld objection can cut tonnes.")]})
        if upheld:
            _transition(scheme, SchemeState.DRAFT)
        if cut_tonnes:
            cut_tonnes = _int_tonnes(cut_tonnes, "cut_tonnes")
            if cut_line is None or cut_line.scheme_id != scheme.pk:
                raise ValidationError({"cut_line": [_("Name the exit line of this scheme whose tonnes are cut.")]})
            line = ExitLine.objects.select_related("indicator").get(pk=cut_line.pk)
            if cut_tonnes > line.reserved_t:
                raise ValidationError(
                    {"cut_tonnes": [_("The line holds %(t)s t; no more can be cut.") % {"t": f"{line.reserved_t:,}"}]}
                )
            ledger.move(
                line.indicator, Movement.CUT, H.RESERVED, H.INELIGIBLE, cut_tonnes,
                actor=actor, scheme=scheme, exit_line=line, note=finding, effective_on=on,
            )  # fmt: skip
            line.reserved_t -= cut_tonnes
            line.save(update_fields=["reserved_t"])
        obj.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
        obj.finding, obj.cut_line, obj.cut_tonnes = finding.strip(), cut_line if cut_tonnes else None, cut_tonnes
        obj.decided_by, obj.decided_at = (actor if getattr(actor, "pk", None) else None), _moment(on)
        obj.save()
        _event(actor, obj, "upheld" if upheld else "dismissed", after={"cut_tonnes": cut_tonnes}, reason=finding)
        if upheld:
            before = {"state": scheme.state}
            scheme.state = SchemeState.DRAFT
            released = _release(actor, scheme, _("sent back by an upheld objection"), on=on)
            scheme.returned_reason = finding.strip()
            scheme.save(update_fields=["state", "returned_reason", "updated_at"])
            _event(
                actor, scheme, "sent_back", before=before,
                after={"state": scheme.state, "released_t": released, "cut_t": cut_tonnes}, reason=finding,
            )  # fmt: skip
    objection.refresh_from_db()
    return objection
