"""Shared by the capacity service modules: dates, audit events, lookups, the rule facts and tables."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.capacity import ledger, rules
from youse.capacity.models import (
    CalendarDay,
    EnergyThreshold,
    ExitLine,
    ReplacementRatio,
    ReplacementScheme,
)
from youse.capacity.rules import Holding, Movement, SchemeState
from youse.core import audit, scopes
from youse.core.models import AuditEvent, Division
from youse.registry.models import Enterprise, ProductionUnit

H = Holding


def notice_working_days() -> int:
    """The public notice's length in working days (setting YOUSE_NOTICE_WORKING_DAYS, read when used)."""
    return int(getattr(settings, "YOUSE_NOTICE_WORKING_DAYS", 10))


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


def _require_applicant(actor, capability: str, scheme: ReplacementScheme) -> None:
    scopes.require(actor, capability, scheme)


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
