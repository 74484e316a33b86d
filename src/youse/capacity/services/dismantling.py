"""Dismantling of exit lines: confirmation with evidence by the city, and the overdue mark."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from youse.capacity.models import (
    DismantlingEvidence,
    ExitLine,
)
from youse.capacity.rules import SchemeState
from youse.capacity.services.common import (
    _event,
    _today,
)
from youse.core import scopes, uploads
from youse.core.roles import Role
from youse.registry import services as registry
from youse.registry.rules import UnitStatus

# --- Dismantling -------------------------------------------------------------------------------------


def evidence_max_bytes() -> int:
    """The largest evidence file accepted (setting YOUSE_EVIDENCE_MAX_BYTES, read when used). Files are
    judged by content, not by the name the uploader gave them (core/uploads.py)."""
    return uploads.max_bytes()


def _line_city(line: ExitLine) -> int | None:
    ind = line.indicator
    division = ind.unit.plant.division if ind.unit_id else ind.owner.division
    return division.prefecture_id


def confirm_dismantling(actor, line: ExitLine, *, dismantled_on: dt.date, files: Iterable, note: str = "") -> ExitLine:
    """A city inspector confirms an exit line dismantled, with photos or documents (JPEG, PNG, PDF).
    The origin unit, when registered, becomes exited."""
    scopes.require(actor, "capacity.dismantling", line)
    if getattr(actor, "role", None) == Role.CITY and _line_city(line) != actor.division_id:
        # The city where the old line stands inspects it, not the city where the new one is built.
        scopes.refuse(actor, "capacity.dismantling", line, "exit line in another city")
        raise PermissionDenied(_("Dismantling is confirmed by the city where the exit line stands."))
    files = list(files)
    limit = evidence_max_bytes()
    errors: dict[str, list[str]] = {}
    if dismantled_on > _today():
        errors["dismantled_on"] = [_("Dismantling cannot be confirmed for a future date.")]
    if not files:
        errors["files"] = [_("Attach at least one photo or document.")]
    accepted = []
    try:
        accepted = uploads.check_files(files, limit)
    except ValidationError as exc:
        errors.setdefault("files", []).extend(exc.message_dict["files"])
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # of=self: PostgreSQL cannot lock the nullable side of an outer join (an indicator without a unit).
        obj = (
            ExitLine.objects.select_for_update(of=("self",)).select_related("scheme", "indicator__unit").get(pk=line.pk)
        )
        if obj.scheme.state not in (SchemeState.APPROVED, SchemeState.ANNOUNCED):
            raise ValidationError({"scheme": [_("Dismantling is confirmed for lines of approved schemes.")]})
        if obj.dismantled_on:
            raise ValidationError(
                {
                    "dismantled_on": [
                        _("This line was already confirmed dismantled on %(d)s.") % {"d": obj.dismantled_on}
                    ]
                }
            )
        uploads.store(
            DismantlingEvidence,
            accepted,
            exit_line=obj,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        obj.dismantled_on, obj.dismantling_note, obj.overdue_since = dismantled_on, note.strip(), None
        obj.dismantling_confirmed_by = actor if getattr(actor, "pk", None) else None
        obj.save()
        _event(
            actor, obj, "dismantled",
            after={"dismantled_on": dismantled_on.isoformat(), "files": [a[0] for a in accepted]}, reason=note,
        )  # fmt: skip
        unit = obj.indicator.unit
        if unit is not None and unit.status != UnitStatus.EXITED:
            # The registry follows: a dismantled line has exited for good (its own service, its own audit).
            registry.change_unit_status(
                actor,
                unit,
                UnitStatus.EXITED,
                effective_on=max(dismantled_on, unit.status_since),
                document=obj.scheme.decision_document or obj.scheme.code,
                reason=_("Dismantling confirmed for replacement scheme %(code)s") % {"code": obj.scheme.code},
            )
    line.refresh_from_db()
    return line


def mark_overdue_dismantling(today: dt.date | None = None) -> int:
    """Tick duty: exit lines of approved schemes past their dismantling date and not confirmed."""
    today = today or _today()
    count = 0
    due = ExitLine.objects.filter(
        scheme__state__in=[SchemeState.APPROVED, SchemeState.ANNOUNCED],
        dismantled_on__isnull=True,
        dismantling_due__lt=today,
        overdue_since__isnull=True,
    )
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            line = ExitLine.objects.select_for_update().get(pk=pk)
            if line.overdue_since or line.dismantled_on:
                continue
            line.overdue_since = line.dismantling_due + dt.timedelta(days=1)
            line.save(update_fields=["overdue_since"])
            _event(None, line, "dismantling_overdue", after={"due": line.dismantling_due.isoformat()})
            count += 1
    return count
