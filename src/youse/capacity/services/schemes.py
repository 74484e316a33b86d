"""Replacement schemes: drafting, the rule check, submission (the claim), notice, approval, rejection,
withdrawal and announcement."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.capacity import ledger, rules
from youse.capacity.models import (
    CapacityIndicator,
    ExitLine,
    Objection,
    ReplacementScheme,
)
from youse.capacity.rules import BasisKind, Movement, SchemeState
from youse.capacity.services.common import (
    CheckFailed,
    H,
    _conflict,
    _enterprise,
    _event,
    _int_tonnes,
    _moment,
    _next_code,
    _release,
    _require_applicant,
    _today,
    _transition,
    calendar_exceptions,
    check_scheme,
    notice_working_days,
)
from youse.core import audit, scopes
from youse.core.models import AuditEvent, Division
from youse.core.roles import Role
from youse.registry import services as registry
from youse.registry.models import Plant
from youse.registry.rules import UnitStatus

# --- Schemes: drafting ------------------------------------------------------------------------------

SCHEME_FIELDS = (
    "title",
    "applicant",
    "plant",
    "site",
    "division",
    "main_equipment",
    "capacity_t",
    "energy_kwh_per_t",
    "planned_start",
    "planned_production",
    "route",
    "contact",
)
LINE_FIELDS = ("indicator", "tonnes", "equipment", "acquisition_document", "dismantling_start", "dismantling_due")


def _apply_scheme(actor, scheme: ReplacementScheme, data: dict) -> dict[str, list[str]]:
    unknown = sorted(set(data) - set(SCHEME_FIELDS))
    errors: dict[str, list[str]] = {k: [_("This field cannot be set here.")] for k in unknown}
    for field, value in data.items():
        if field in unknown:
            continue
        try:
            if field == "applicant":
                value = _enterprise(value, "applicant")
            elif field == "plant":
                value = Plant.objects.filter(pk=int(value)).first() if str(value or "").isdigit() else value or None
                if value is not None and not isinstance(value, Plant):
                    raise ValidationError({"plant": [_("Unknown plant.")]})
            elif field == "division":
                if not isinstance(value, Division):
                    code = str(value or "").strip()
                    # Zones without a GB/T 2260 code of their own are named by id.
                    lookup = Q(code=code) if len(code) == 6 else Q(pk=int(code)) if code.isdigit() else None
                    current = Division.objects.filter(valid_to__isnull=True)
                    value = current.filter(lookup).first() if lookup is not None else None
                    if value is None:
                        raise ValidationError({"division": [_("Unknown division: %(value)s") % {"value": code}]})
            elif field == "capacity_t":
                value = _int_tonnes(value, "capacity_t")
            elif field == "energy_kwh_per_t" and value not in (None, ""):
                try:
                    value = Decimal(str(value))
                except InvalidOperation:
                    raise ValidationError({field: [_("Enter a number.")]}) from None
            elif field == "energy_kwh_per_t":
                value = None
            elif isinstance(value, str):
                value = value.strip()
            setattr(scheme, field, value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if (
        getattr(actor, "role", None) == Role.ENTERPRISE
        and scheme.applicant_id
        and scheme.applicant_id != actor.enterprise_id
    ):
        errors["applicant"] = [_("An enterprise applies for itself only.")]
    if scheme.plant_id and scheme.applicant_id and scheme.plant.enterprise_id != scheme.applicant_id:
        errors["plant"] = [_("The plant must belong to the applicant.")]
    if scheme.planned_start and scheme.planned_production and scheme.planned_production < scheme.planned_start:
        errors["planned_production"] = [_("Production cannot start before construction.")]
    if not errors:
        try:
            scheme.full_clean(exclude=["code", "state"])
        except ValidationError as exc:
            errors.update(exc.message_dict)
    return errors


def _indicator(value: object) -> CapacityIndicator:
    if isinstance(value, CapacityIndicator):
        return value
    found = CapacityIndicator.objects.filter(code=str(value).strip()).first()
    if found is None and str(value).isdigit():
        found = CapacityIndicator.objects.filter(pk=int(value)).first()
    if found is None:
        raise ValidationError({"indicator": [_("Unknown capacity indicator: %(value)s") % {"value": value}]})
    return found


def _build_lines(scheme: ReplacementScheme, lines: Sequence[dict]) -> tuple[list[ExitLine], dict[str, list[str]]]:
    built, errors, seen = [], {}, set()
    for i, data in enumerate(lines, start=1):
        key = f"exit_lines[{i}]"
        unknown = sorted(set(data) - set(LINE_FIELDS))
        if unknown:
            errors[key] = [_("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)}]
            continue
        try:
            ind = _indicator(data.get("indicator", ""))
            tonnes = _int_tonnes(data.get("tonnes", ""), key)
        except ValidationError as exc:
            errors[key] = [m for ms in exc.message_dict.values() for m in ms]
            continue
        if ind.pk in seen:
            errors[key] = [_("%(code)s is listed twice; put its tonnes on one line.") % {"code": ind.code}]
            continue
        seen.add(ind.pk)
        line = ExitLine(
            scheme=scheme,
            indicator=ind,
            tonnes=tonnes,
            equipment=str(
                data.get("equipment") or ind.origin_equipment or (ind.unit.main_equipment if ind.unit_id else "")
            ),
            acquisition_document=str(data.get("acquisition_document") or "").strip(),
            dismantling_start=data.get("dismantling_start") or None,
            dismantling_due=data.get("dismantling_due") or None,
        )
        try:
            line.full_clean(exclude=["scheme"], validate_constraints=False)
        except ValidationError as exc:
            errors[key] = [f"{f}: {m}" for f, ms in exc.message_dict.items() for m in ms]
            continue
        if line.dismantling_start and line.dismantling_due and line.dismantling_due < line.dismantling_start:
            errors[key] = [_("Dismantling cannot be completed before it starts.")]
            continue
        built.append(line)
    return built, errors


def create_scheme(
    actor, data: dict, lines: Sequence[dict] = (), reason: str = "", *, on: dt.date | None = None
) -> ReplacementScheme:
    """A draft scheme with its exit lines. An enterprise drafts for itself; the department for anyone.
    `on`: the day it was drafted, when recorded afterwards (its number carries that year)."""
    scopes.require(actor, "capacity.apply")
    data = dict(data)
    if getattr(actor, "role", None) == Role.ENTERPRISE:
        data.setdefault("applicant", actor.enterprise_id)
    scheme = ReplacementScheme(state=SchemeState.DRAFT, created_by=actor if getattr(actor, "pk", None) else None)
    errors = _apply_scheme(actor, scheme, data)
    if scheme.applicant_id and "applicant" not in errors and not scopes.is_visible(actor, scheme.applicant):
        errors["applicant"] = [_("Unknown enterprise: %(value)s") % {"value": data.get("applicant")}]
    built, line_errors = _build_lines(scheme, lines)
    errors.update(line_errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        scheme.code = _next_code("ZH", ReplacementScheme, year=on.year if on else None)
        scheme.save()
        for line in built:
            line.scheme = scheme
            line.save()
        audit.record(
            actor,
            AuditEvent.Action.CREATE,
            scheme,
            after={**audit.snapshot(scheme), "exit_lines": [_line_snapshot(line) for line in built]},
            reason=reason,
        )
    return scheme


def _line_snapshot(line: ExitLine) -> dict:
    return {
        "indicator": line.indicator.code,
        "tonnes": line.tonnes,
        "dismantling_start": line.dismantling_start.isoformat() if line.dismantling_start else None,
        "dismantling_due": line.dismantling_due.isoformat() if line.dismantling_due else None,
    }


def update_scheme(
    actor, scheme: ReplacementScheme, data: dict, lines: Sequence[dict] | None = None, reason: str = ""
) -> ReplacementScheme:
    """Edit a draft; `lines`, when given, replaces the exit side whole."""
    _require_applicant(actor, "capacity.apply", scheme)
    with transaction.atomic():
        obj = ReplacementScheme.objects.select_for_update().get(pk=scheme.pk)
        if obj.state not in rules.EDITABLE:
            raise ValidationError(
                {"state": [_("Only a draft can be edited; this scheme is %(state)s.") % {"state": obj.state_label}]}
            )
        before = {
            **audit.snapshot(obj),
            "exit_lines": [_line_snapshot(x) for x in obj.exit_lines.select_related("indicator")],
        }
        errors = _apply_scheme(actor, obj, data)
        built: list[ExitLine] = []
        if lines is not None:
            built, line_errors = _build_lines(obj, lines)
            errors.update(line_errors)
        if errors:
            raise ValidationError(errors)
        obj.check_report = None
        obj.save()
        if lines is not None:
            # Lines that ever held tonnes keep their journal references: a draft's lines hold none now.
            old = obj.exit_lines.all()
            if old.filter(ledger_entries__isnull=False).exists():
                keep = {x.indicator_id: x for x in old}
                for line in built:
                    if line.indicator_id in keep:
                        cur = keep.pop(line.indicator_id)
                        for f in (
                            "tonnes",
                            "equipment",
                            "acquisition_document",
                            "dismantling_start",
                            "dismantling_due",
                        ):
                            setattr(cur, f, getattr(line, f))
                        cur.status = ExitLine.Status.PLANNED
                        cur.save()
                    else:
                        line.save()
                for cur in keep.values():
                    if cur.ledger_entries.exists():
                        raise ValidationError(
                            {
                                "exit_lines": [
                                    _("%(code)s held tonnes for this scheme and stays on it; set its tonnes instead.")
                                    % {"code": cur.indicator.code}
                                ]
                            }
                        )
                    cur.delete()
            else:
                old.delete()
                for line in built:
                    line.save()
        after = {
            **audit.snapshot(obj),
            "exit_lines": [_line_snapshot(x) for x in obj.exit_lines.select_related("indicator")],
        }
        if after != before:
            audit.record(actor, AuditEvent.Action.UPDATE, obj, before=before, after=after, reason=reason)
    scheme.refresh_from_db()
    return scheme


def submit_scheme(
    actor, scheme: ReplacementScheme, reason: str = "", *, on: dt.date | None = None
) -> ReplacementScheme:
    """Run the rules and, when all pass, reserve every exit tonne for this scheme alone. `on`: the day it
    was submitted, when recorded afterwards (default today)."""
    _require_applicant(actor, "capacity.apply", scheme)
    try:
        _submit(actor, scheme, reason, on)
    except CheckFailed as exc:
        # The refused submission's report stays on the draft: it is what the applicant must fix.
        ReplacementScheme.objects.filter(pk=scheme.pk).update(check_report=exc.report.as_dict())
        raise
    scheme.refresh_from_db()
    return scheme


def _submit(actor, scheme: ReplacementScheme, reason: str, on: dt.date | None = None) -> None:
    with transaction.atomic():
        obj = ReplacementScheme.objects.select_for_update().get(pk=scheme.pk)
        _transition(obj, SchemeState.SUBMITTED)
        report = check_scheme(obj)
        if not report.passed:
            raise CheckFailed(report)
        try:
            # A fixed order (by indicator) so that two schemes claiming the same indicators cannot deadlock.
            for line in obj.exit_lines.select_related("indicator").order_by("indicator_id"):
                ledger.move(
                    line.indicator, Movement.RESERVE, H.AVAILABLE, H.RESERVED, line.tonnes,
                    actor=actor, scheme=obj, exit_line=line, note=obj.code, effective_on=on,
                )  # fmt: skip
                line.reserved_t, line.status = line.tonnes, ExitLine.Status.RESERVED
                line.save(update_fields=["reserved_t", "status"])
        except ledger.LedgerConflict as exc:
            raise _conflict(exc) from None
        before = {"state": obj.state}
        obj.state, obj.submitted_at, obj.check_report = SchemeState.SUBMITTED, _moment(on), report.as_dict()
        obj.returned_reason = ""
        obj.save(update_fields=["state", "submitted_at", "check_report", "returned_reason", "updated_at"])
        _event(
            actor,
            obj,
            "submit",
            before=before,
            after={"state": obj.state, "reserved_t": obj.exit_tonnes},
            reason=reason,
        )


def record_check(actor, scheme: ReplacementScheme) -> rules.Report:
    """Check a scheme and keep the report on it (what the applicant saw), without submitting."""
    scopes.require(actor, "capacity.view", scheme)
    report = check_scheme(scheme)
    ReplacementScheme.objects.filter(pk=scheme.pk).update(check_report=report.as_dict())
    scheme.check_report = report.as_dict()
    return report


def publish_scheme(
    actor,
    scheme: ReplacementScheme,
    *,
    published_on: dt.date | None = None,
    contact: str = "",
    reason: str = "",
    on: dt.date | None = None,
) -> ReplacementScheme:
    """公示: open the public notice for notice_working_days() working days (holidays from the calendar).
    `on`: the day it was published, when recorded afterwards (also the notice's day unless given)."""
    scopes.require(actor, "capacity.decide", scheme)
    published_on = published_on or on or _today()
    with transaction.atomic():
        obj = ReplacementScheme.objects.select_for_update().get(pk=scheme.pk)
        _transition(obj, SchemeState.NOTICE)
        report = check_scheme(obj)
        if not report.passed:
            raise CheckFailed(report)
        if contact.strip():
            obj.contact = contact.strip()
        if not obj.contact:
            raise ValidationError({"contact": [_("The notice must give an address and telephone for objections.")]})
        days = notice_working_days()
        calendar = calendar_exceptions(published_on, published_on + dt.timedelta(days=days * 3 + 30))
        obj.notice_start, obj.notice_end = rules.notice_window(published_on, days, calendar)
        obj.state, obj.published_at, obj.notice_round = SchemeState.NOTICE, _moment(on), obj.notice_round + 1
        obj.check_report = report.as_dict()
        obj.save()
        _event(
            actor,
            obj,
            "publish",
            before={"state": SchemeState.SUBMITTED.value},
            after={
                "state": obj.state,
                "notice_start": obj.notice_start.isoformat(),
                "notice_end": obj.notice_end.isoformat(),
                "round": obj.notice_round,
            },
            reason=reason,
        )
    scheme.refresh_from_db()
    return scheme


def end_notices(today: dt.date | None = None) -> int:
    """Tick duty: notices whose last day has passed move to review. Idempotent."""
    today = today or _today()
    count = 0
    for pk in ReplacementScheme.objects.filter(state=SchemeState.NOTICE, notice_end__lt=today).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            obj = ReplacementScheme.objects.select_for_update().get(pk=pk)
            if obj.state != SchemeState.NOTICE:
                continue
            obj.state = SchemeState.REVIEW
            obj.save(update_fields=["state", "updated_at"])
            _event(None, obj, "notice_ended", before={"state": "notice"}, after={"state": obj.state})
            count += 1
    return count


def approve_scheme(
    actor,
    scheme: ReplacementScheme,
    *,
    document: str,
    unit_name: str = "",
    reason: str = "",
    on: dt.date | None = None,
) -> ReplacementScheme:
    """Approve after the notice: exit tonnes are consumed for good; the new line is registered with its
    capacity active in the ledger, under the scheme as its compliance basis. `on`: the day of the
    decision, when recorded afterwards (default today)."""
    scopes.require(actor, "capacity.decide", scheme)
    if not document.strip():
        raise ValidationError({"document": [_("Cite the approval document (文号).")]})
    with transaction.atomic():
        # of=self: PostgreSQL cannot lock the nullable side of an outer join (a scheme without a plant).
        obj = (
            ReplacementScheme.objects.select_for_update(of=("self",))
            .select_related("applicant", "plant")
            .get(pk=scheme.pk)
        )
        _transition(obj, SchemeState.APPROVED)
        if obj.objections.filter(status=Objection.Status.PENDING).exists():
            raise ValidationError({"objections": [_("Decide every objection before approving.")]})
        report = check_scheme(obj)
        if not report.passed:
            raise CheckFailed(report)
        for line in obj.exit_lines.select_related("indicator").order_by("indicator_id"):
            if line.reserved_t != line.tonnes:
                raise ValidationError(
                    {"exit_lines": [_("%(code)s is not fully reserved.") % {"code": line.indicator.code}]}
                )
            ledger.move(
                line.indicator, Movement.CONSUME, H.RESERVED, H.CONSUMED, line.tonnes,
                actor=actor, scheme=obj, exit_line=line, document=document, effective_on=on,
            )  # fmt: skip
            line.reserved_t, line.status = 0, ExitLine.Status.CONSUMED
            line.save(update_fields=["reserved_t", "status"])
        plant = obj.plant or registry.create_plant(
            actor, obj.applicant, {"name": obj.site[:120], "division": obj.division}, reason=obj.code
        )
        unit = registry.create_unit(
            actor,
            plant,
            {
                "name": (unit_name or f"{obj.main_equipment} {obj.code}")[:120],
                "metal": "Al",
                "stage": "smelting",
                "product": "电解铝液",
                "process": "预焙阳极电解",
                "main_equipment": obj.main_equipment,
                "design_capacity": Decimal(obj.capacity_t),
                "capacity_unit": "t/a",
                "approval_document": document.strip(),
            },
            status=UnitStatus.APPROVED,
            status_since=on,
            document=document.strip(),
            reason=obj.code,
        )
        indicator = CapacityIndicator.objects.create(
            code=_next_code("CN", CapacityIndicator),
            tonnes=obj.capacity_t,
            owner=obj.applicant,
            unit=unit,
            origin_equipment=obj.main_equipment,
            origin_document=document.strip(),
            basis=BasisKind.REPLACEMENT,
            basis_reference=obj.code,
            scheme=obj,
        )
        ledger.move(
            indicator, Movement.REGISTER, None, H.ACTIVE, obj.capacity_t,
            actor=actor, scheme=obj, document=document, effective_on=on,
        )  # fmt: skip
        audit.record(actor, AuditEvent.Action.CREATE, indicator, after=audit.snapshot(indicator), reason=obj.code)
        before = {"state": obj.state}
        obj.state, obj.decided_at, obj.decision_document = SchemeState.APPROVED, _moment(on), document.strip()
        obj.decision_reason, obj.new_unit, obj.plant, obj.check_report = reason, unit, plant, report.as_dict()
        obj.save()
        _event(
            actor, obj, "approve", before=before,
            after={"state": obj.state, "consumed_t": obj.exit_tonnes, "new_indicator": indicator.code, "unit": unit.pk},
            reason=reason,
        )  # fmt: skip
    scheme.refresh_from_db()
    return scheme


def reject_scheme(actor, scheme: ReplacementScheme, *, reason: str, document: str = "") -> ReplacementScheme:
    scopes.require(actor, "capacity.decide", scheme)
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for the rejection.")]})
    with transaction.atomic():
        obj = ReplacementScheme.objects.select_for_update().get(pk=scheme.pk)
        _transition(obj, SchemeState.REJECTED)
        before = {"state": obj.state}
        obj.state = SchemeState.REJECTED
        released = _release(actor, obj, _("scheme rejected"))
        obj.decided_at, obj.decision_reason, obj.decision_document = timezone.now(), reason.strip(), document.strip()
        obj.save()
        _event(actor, obj, "reject", before=before, after={"state": obj.state, "released_t": released}, reason=reason)
    scheme.refresh_from_db()
    return scheme


def withdraw_scheme(actor, scheme: ReplacementScheme, *, reason: str = "") -> ReplacementScheme:
    """The applicant (or the department) withdraws; reserved tonnes return to available."""
    _require_applicant(actor, "capacity.apply", scheme)
    with transaction.atomic():
        obj = ReplacementScheme.objects.select_for_update().get(pk=scheme.pk)
        _transition(obj, SchemeState.WITHDRAWN)
        before = {"state": obj.state}
        obj.state = SchemeState.WITHDRAWN
        released = _release(actor, obj, _("scheme withdrawn"))
        obj.save(update_fields=["state", "updated_at"])
        _event(actor, obj, "withdraw", before=before, after={"state": obj.state, "released_t": released}, reason=reason)
    scheme.refresh_from_db()
    return scheme


def announce_scheme(
    actor, scheme: ReplacementScheme, *, document: str, reason: str = "", on: dt.date | None = None
) -> ReplacementScheme:
    """公告: publish the approved result. `on`: the day of the announcement, when recorded afterwards."""
    scopes.require(actor, "capacity.decide", scheme)
    if not document.strip():
        raise ValidationError({"document": [_("Cite the announcement (公告文号).")]})
    with transaction.atomic():
        obj = ReplacementScheme.objects.select_for_update().get(pk=scheme.pk)
        _transition(obj, SchemeState.ANNOUNCED)
        obj.state, obj.announced_at, obj.announcement_document = SchemeState.ANNOUNCED, _moment(on), document.strip()
        obj.save()
        _event(actor, obj, "announce", before={"state": "approved"}, after={"state": obj.state, "document": document})
    scheme.refresh_from_db()
    return scheme
