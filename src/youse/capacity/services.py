"""Every change to the capacity ledger and its schemes (DESIGN.md, principle 2).

Each function checks the actor's capability and scope, validates the whole change (naming what is wrong),
moves tonnes only through capacity.ledger.move(), and writes its audit event in the same transaction.
Pages, the API, the CLI, the tick and the demo all call these functions and nothing else.

Tonnes are claimed when a scheme is submitted: submission runs the rules, then reserves each exit
line's tonnes with the ledger's conditional UPDATE. Of many concurrent submissions claiming the same
tonnes, exactly one commits; the others roll back whole and are told which indicator ran out."""

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.capacity import ledger, rules
from youse.capacity.models import (
    CalendarDay,
    CapacityIndicator,
    DismantlingEvidence,
    EnergyThreshold,
    ExitLine,
    Objection,
    ReplacementRatio,
    ReplacementScheme,
)
from youse.capacity.rules import BasisKind, Holding, Movement, SchemeState
from youse.core import audit, scopes
from youse.core.models import AuditEvent, Division
from youse.core.roles import Role
from youse.registry import services as registry
from youse.registry.models import Enterprise, Plant, ProductionUnit
from youse.registry.rules import UnitStatus

H = Holding
NOTICE_WORKING_DAYS = getattr(settings, "YOUSE_NOTICE_WORKING_DAYS", 10)


def _today() -> dt.date:
    return timezone.localdate()


def _moment(on: dt.date | None) -> dt.datetime:
    """When a step is recorded: now, or for history entered afterwards (the demo), that day's office hours."""
    if on is None:
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(on, dt.time(10)))


def _event(actor, obj: models.Model, event: str, *, before: dict | None = None, after: dict | None = None, reason=""):
    """A state change's audit event: the verb travels in `after["event"]` so the trail reads as a story."""
    audit.record(
        actor, AuditEvent.Action.TRANSITION, obj, before=before, after={"event": event, **(after or {})}, reason=reason
    )


def _conflict(exc: ledger.LedgerConflict) -> ValidationError:
    return ValidationError({"exit_lines": [str(exc)]})


def _int_tonnes(value: object, field: str) -> int:
    try:
        d = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: [_("Enter a whole number of tonnes.")]}) from None
    if d != d.to_integral_value() or d <= 0:
        raise ValidationError({field: [_("Enter a positive whole number of tonnes.")]})
    return int(d)


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


def _enterprise(value: object, field: str) -> Enterprise:
    if isinstance(value, Enterprise):
        return value
    found = None
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        found = Enterprise.objects.filter(pk=int(value)).first()
    if found is None and isinstance(value, str):
        found = Enterprise.objects.filter(Q(credit_code=value.strip().upper()) | Q(name=value.strip())).first()
    if found is None:
        raise ValidationError({field: [_("Unknown enterprise: %(value)s") % {"value": value}]})
    return found


def _unit(value: object) -> ProductionUnit | None:
    if value in (None, ""):
        return None
    if isinstance(value, ProductionUnit):
        return value
    found = ProductionUnit.objects.filter(pk=int(value)).first() if str(value).isdigit() else None
    if found is None:
        raise ValidationError({"unit": [_("Unknown production unit: %(value)s") % {"value": value}]})
    return found


def _next_code(prefix: str, model: type[models.Model], year: int | None = None) -> str:
    year = year or _today().year
    stem = f"{prefix}-{year}-"
    last = model.objects.filter(code__startswith=stem).order_by("-code").values_list("code", flat=True).first()
    n = int(last.rsplit("-", 1)[1]) + 1 if last and last.rsplit("-", 1)[1].isdigit() else 1
    return f"{stem}{n:03d}"


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


# --- Reference tables as the rules see them ---------------------------------------------------------


def calendar_exceptions(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    return dict(CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "working"))


def rule_tables() -> rules.Tables:
    ratios = []
    for row in ReplacementRatio.objects.prefetch_related("divisions"):
        ratios.append(
            rules.RatioRow(
                region_ids=frozenset(d.pk for d in row.divisions.all()),
                region_name=row.region_name,
                valid_from=row.valid_from,
                valid_to=row.valid_to,
                min_ratio=row.min_ratio,
                no_new_capacity=row.no_new_capacity,
                source=row.source,
                verified=row.verified,
            )
        )
    energy = [
        rules.EnergyRow(r.valid_from, r.valid_to, r.max_kwh_per_t, r.measure, r.source, r.verified)
        for r in EnergyThreshold.objects.all()
    ]
    return rules.Tables(tuple(ratios), tuple(energy))


def _region_ids(division: Division) -> frozenset[int]:
    ids, d = set(), division
    while d is not None:
        ids.add(d.pk)
        d = d.parent
    if division.prefecture_id:
        ids.add(division.prefecture_id)
    return frozenset(ids)


def scheme_facts(scheme: ReplacementScheme, today: dt.date | None = None) -> rules.SchemeFacts:
    lines = list(scheme.exit_lines.select_related("indicator__owner", "indicator__unit__plant__enterprise"))
    exits = []
    for line in lines:
        ind = line.indicator
        # The scheme's own reservation counts as available to it: re-checking a submitted scheme must not
        # find its own claim in the way.
        exits.append(
            rules.ExitFacts(
                label=f"{ind.code} {line.enterprise_name}",
                tonnes=line.tonnes,
                indicator=rules.IndicatorFacts(
                    code=ind.code,
                    basis=ind.basis,
                    tonnes_available=ind.available_t + line.reserved_t,
                    owner_id=ind.owner_id,
                    owner_name=ind.owner.name,
                    owner_group=ind.owner.group_name,
                    closed_on=ind.closed_on,
                    built_on=ind.built_on,
                    announced=ind.announced,
                    use_by=ind.use_by,
                    elimination_deadline=ind.elimination_deadline,
                    transfer_reference=ind.transfer_reference,
                ),
                dismantling_due=line.dismantling_due,
                acquisition_document=line.acquisition_document,
            )
        )
    return rules.SchemeFacts(
        capacity_t=scheme.capacity_t,
        region_ids=_region_ids(scheme.division),
        planned_start=scheme.planned_start,
        planned_production=scheme.planned_production,
        energy_kwh_per_t=scheme.energy_kwh_per_t,
        route=scheme.route,
        applicant_id=scheme.applicant_id,
        applicant_group=scheme.applicant.group_name,
        exits=tuple(exits),
        today=today or _today(),
    )


def check_scheme(scheme: ReplacementScheme, today: dt.date | None = None) -> rules.Report:
    """The rule report, without changing anything: shown to the applicant before submission."""
    return rules.check(scheme_facts(scheme, today), rule_tables())


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


def _require_applicant(actor, capability: str, scheme: ReplacementScheme) -> None:
    scopes.require(actor, capability, scheme)


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


def _transition(obj: ReplacementScheme, target: SchemeState) -> None:
    try:
        rules.check_scheme_transition(obj.state, target)
    except rules.SchemeTransitionError:
        raise ValidationError(
            {
                "state": [
                    _("A scheme that is %(state)s cannot become %(target)s.")
                    % {"state": obj.state_label, "target": ReplacementScheme.STATE_LABELS[target]}
                ]
            }
        ) from None


def _release(actor, obj: ReplacementScheme, note: str, *, on: dt.date | None = None) -> int:
    released = 0
    for line in obj.exit_lines.select_related("indicator").order_by("indicator_id"):
        if line.reserved_t:
            ledger.move(
                line.indicator, Movement.RELEASE, H.RESERVED, H.AVAILABLE, line.reserved_t,
                actor=actor, scheme=obj, exit_line=line, note=note, effective_on=on,
            )  # fmt: skip
            released += line.reserved_t
            line.reserved_t = 0
        line.status = ExitLine.Status.RELEASED if obj.state != SchemeState.DRAFT else ExitLine.Status.PLANNED
        line.save(update_fields=["reserved_t", "status"])
    return released


class CheckFailed(ValidationError):
    """Submission refused by the rules; `report` says which and why."""

    def __init__(self, report: rules.Report):
        self.report = report
        super().__init__({"rules": [f"{r.title}: {r.why}" for r in report.failures]})


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
    """公示: open the public notice for NOTICE_WORKING_DAYS working days (holidays from the calendar).
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
        days = int(NOTICE_WORKING_DAYS)
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


# --- Dismantling -------------------------------------------------------------------------------------

# Accepted evidence: by content, not by the name the uploader gave it.
EVIDENCE_TYPES = {
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"%PDF-": ("application/pdf", ".pdf"),
}
EVIDENCE_MAX_BYTES = getattr(settings, "YOUSE_EVIDENCE_MAX_BYTES", 10 << 20)


def _evidence_kind(head: bytes) -> tuple[str, str] | None:
    for magic, kind in EVIDENCE_TYPES.items():
        if head.startswith(magic):
            return kind
    return None


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
    errors: dict[str, list[str]] = {}
    if dismantled_on > _today():
        errors["dismantled_on"] = [_("Dismantling cannot be confirmed for a future date.")]
    if not files:
        errors["files"] = [_("Attach at least one photo or document.")]
    accepted = []
    for f in files:
        name = getattr(f, "name", "file")
        size = getattr(f, "size", None)
        if size is not None and size > EVIDENCE_MAX_BYTES:
            errors.setdefault("files", []).append(
                _("%(name)s is %(size)s MB; the limit is %(max)s MB.")
                % {"name": name, "size": f"{size / 1048576:.1f}", "max": f"{EVIDENCE_MAX_BYTES / 1048576:.0f}"}
            )
            continue
        content = f.read(EVIDENCE_MAX_BYTES + 1)
        if len(content) > EVIDENCE_MAX_BYTES:
            errors.setdefault("files", []).append(_("%(name)s is over the size limit.") % {"name": name})
            continue
        kind = _evidence_kind(content[:16])
        if kind is None:
            errors.setdefault("files", []).append(_("%(name)s is not a JPEG, PNG or PDF file.") % {"name": name})
            continue
        accepted.append((name, content, kind))
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
        for name, content, (ctype, ext) in accepted:
            digest = hashlib.sha256(content).hexdigest()
            ev = DismantlingEvidence(
                exit_line=obj,
                original_name=name[:200],
                content_type=ctype,
                extension=ext,
                size=len(content),
                sha256=digest,
                uploaded_by=actor if getattr(actor, "pk", None) else None,
            )
            ev.file.save(f"{digest}{ext}", ContentFile(content), save=False)
            ev.save()
        obj.dismantled_on, obj.dismantling_note, obj.overdue_since = dismantled_on, note.strip(), None
        obj.dismantling_confirmed_by = actor if getattr(actor, "pk", None) else None
        obj.save()
        _event(
            actor, obj, "dismantled",
            after={"dismantled_on": dismantled_on.isoformat(), "files": [n for n, _c, _k in accepted]}, reason=note,
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
