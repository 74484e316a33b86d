"""Finding capacity the ledger does not cover (issue 5, «Violations»): three kinds of case, each kept as one
CapacityViolation row under a stable key, so that `detect()` can run on every tick.

- uncovered_unit: an electrolysis unit building or operating with more design capacity than the active
  tonnes of the indicators linked to it.
- output_above_ledger: an enterprise's accepted monthly aluminium output, annualised, above the active
  tonnes it holds by more than settings.YOUSE_OUTPUT_TOLERANCE. Only the latest reported months are
  judged, which keeps the duty cheap and leaves older cases as they were last found.
- producing_after_dismantling: an exit line of an approved scheme past its dismantling date whose unit is
  still registered as operating, or reported output for a month that began after that date.

A case found again stays one row (its figures refreshed); a case no longer found is resolved with its
time and reason; a resolved case found again opens again. Each opening and each resolution is audited.
The judgements themselves are rules.uncovered_tonnes and rules.output_excess."""

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.capacity import rules
from youse.capacity.models import CapacityIndicator, CapacityViolation, ExitLine, LedgerEntry
from youse.capacity.rules import Holding, Movement, SchemeState
from youse.core import audit
from youse.core.models import AuditEvent
from youse.registry.models import ProductionUnit
from youse.registry.rules import UnitStatus
from youse.stats import facts
from youse.stats.models import ReportLine

Kind = CapacityViolation.Kind
# How many of the latest reported months the output check judges on each run.
OUTPUT_MONTHS = 3
RESOLVED_BECAUSE = "condition no longer detected"
LINE_ELECTROLYSIS = Q(**{f"unit__{lookup}": value for lookup, value in facts.ELECTROLYSIS.children})
ACCEPTED_LINE = Q(revision__report__accepted=F("revision"))
# Aluminium output of an electrolysis line: the liquid aluminium figure, else the line's output.
AL_OUTPUT = Coalesce("al_liquid_t", "output_t")


@dataclass(frozen=True)
class Finding:
    key: str
    kind: str
    enterprise_id: int
    detail: str
    tonnes: Decimal = Decimal(0)
    unit_id: int | None = None
    exit_line_id: int | None = None
    period: dt.date | None = None


@dataclass
class Summary:
    open: int = 0
    new: list[str] = field(default_factory=list)
    reopened: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.open} open capacity violations ({len(self.new)} new, {len(self.reopened)} reopened, "
            f"{len(self.resolved)} resolved)"
        )


def tolerance() -> Decimal:
    return Decimal(str(getattr(settings, "YOUSE_OUTPUT_TOLERANCE", "0.10")))


def _t(value: Decimal | int) -> str:
    return f"{Decimal(value):,.0f}"


# --- The three kinds ---------------------------------------------------------------------------------


def uncovered_units() -> list[Finding]:
    units = ProductionUnit.objects.filter(
        facts.ELECTROLYSIS, status__in=[UnitStatus.CONSTRUCTION, UnitStatus.OPERATING]
    ).select_related("plant")
    covered = dict(
        CapacityIndicator.objects.filter(unit__in=units)
        .values("unit_id")
        .annotate(t=Sum("active_t"))
        .values_list("unit_id", "t")
    )
    found = []
    for unit in units:
        design = int(unit.design_capacity or 0)
        active = covered.get(unit.pk) or 0
        missing = rules.uncovered_tonnes(design, active)
        if missing:
            found.append(
                Finding(
                    key=f"{Kind.UNCOVERED_UNIT.value}:unit-{unit.pk}",
                    kind=Kind.UNCOVERED_UNIT,
                    enterprise_id=unit.plant.enterprise_id,
                    unit_id=unit.pk,
                    tonnes=Decimal(missing),
                    detail=_(
                        "%(unit)s (%(status)s) has a design capacity of %(design)s t/yr; active ledger entries "
                        "cover %(covered)s t/yr, so %(missing)s t/yr run or are built without capacity."
                    )
                    % {
                        "unit": unit.name,
                        "status": unit.get_status_display(),
                        "design": _t(design),
                        "covered": _t(active),
                        "missing": _t(missing),
                    },
                )
            )
    return found


def latest_output_months(limit: int = OUTPUT_MONTHS) -> list[dt.date]:
    """The latest months with accepted electrolytic aluminium output, newest first."""
    months = (
        ReportLine.objects.filter(ACCEPTED_LINE, LINE_ELECTROLYSIS)
        .values_list("revision__report__period", flat=True)
        .distinct()
        .order_by("-revision__report__period")
    )
    return list(months[:limit])


def _month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def annualised(month: dt.date, tonnes: Decimal) -> Decimal:
    """A month's output as a yearly rate: × days in the year ÷ days in the month."""
    year_days = 366 if calendar.isleap(month.year) else 365
    return Decimal(tonnes) * year_days / calendar.monthrange(month.year, month.month)[1]


def _active_by_owner(as_of: dt.date) -> dict[int, int]:
    """Active tonnes each enterprise held at the end of `as_of`: today's, plus what left the active
    holding after that day (a line closed since then still covered that month's output). Registrations
    are not dated back: they record capacity that already existed when the ledger was filled in."""
    held: dict[int, int] = defaultdict(int)
    for owner, t in (
        CapacityIndicator.objects.values("owner_id").annotate(t=Sum("active_t")).values_list("owner_id", "t")
    ):
        held[owner] += t or 0
    left = (
        LedgerEntry.objects.filter(effective_on__gt=as_of)
        .filter(Q(source=Holding.ACTIVE) | Q(kind=Movement.REOPEN))
        .values("indicator__owner_id", "source")
        .annotate(t=Sum("tonnes"))
    )
    for row in left:
        sign = 1 if row["source"] == Holding.ACTIVE else -1
        held[row["indicator__owner_id"]] += sign * row["t"]
    return held


def output_above_ledger(months: list[dt.date]) -> list[Finding]:
    allowed = tolerance()
    rows = (
        ReportLine.objects.filter(ACCEPTED_LINE, LINE_ELECTROLYSIS, revision__report__period__in=months)
        .values("revision__report__enterprise_id", "revision__report__period")
        .annotate(t=Sum(AL_OUTPUT))
    )
    covered_at = {m: _active_by_owner(_month_end(m)) for m in months}
    found = []
    for row in rows:
        month, enterprise = row["revision__report__period"], row["revision__report__enterprise_id"]
        output = row["t"] or Decimal(0)
        yearly = annualised(month, output)
        covered = covered_at[month].get(enterprise, 0)
        excess = rules.output_excess(yearly, covered, allowed)
        if excess > 0:
            found.append(
                Finding(
                    key=f"{Kind.OUTPUT_ABOVE_LEDGER.value}:enterprise-{enterprise}:{month:%Y-%m}",
                    kind=Kind.OUTPUT_ABOVE_LEDGER,
                    enterprise_id=enterprise,
                    period=month,
                    tonnes=excess.quantize(Decimal("0.1")),
                    detail=_(
                        "%(month)s: %(output)s t of aluminium, %(yearly)s t/yr annualised, against %(covered)s "
                        "t/yr of active capacity in the ledger (tolerance %(tol)s%%): %(excess)s t/yr beyond it."
                    )
                    % {
                        "month": f"{month:%Y-%m}",
                        "output": _t(output),
                        "yearly": _t(yearly),
                        "covered": _t(covered),
                        "tol": f"{allowed * 100:g}",
                        "excess": _t(excess),
                    },
                )
            )
    return found


def producing_after_dismantling(today: dt.date) -> list[Finding]:
    lines = ExitLine.objects.filter(
        scheme__state__in=[SchemeState.APPROVED, SchemeState.ANNOUNCED],
        dismantling_due__lt=today,
        indicator__unit__isnull=False,
    ).select_related("indicator__unit__plant", "scheme")
    found = []
    for line in lines:
        unit = line.indicator.unit
        output = (
            ReportLine.objects.filter(ACCEPTED_LINE, unit=unit, revision__report__period__gt=line.dismantling_due)
            .annotate(al=AL_OUTPUT)
            .filter(al__gt=0)
            .order_by("-revision__report__period")
            .values_list("revision__report__period", "al")
            .first()
        )
        operating = unit.status == UnitStatus.OPERATING
        if not operating and output is None:
            continue
        if output is not None:
            why = _("reported %(t)s t of aluminium for %(month)s") % {"t": _t(output[1]), "month": f"{output[0]:%Y-%m}"}
        else:
            why = _("is still registered as operating")
        found.append(
            Finding(
                key=f"{Kind.PRODUCING_AFTER_DISMANTLING.value}:exit-line-{line.pk}",
                kind=Kind.PRODUCING_AFTER_DISMANTLING,
                enterprise_id=unit.plant.enterprise_id,
                unit_id=unit.pk,
                exit_line_id=line.pk,
                period=output[0] if output else line.dismantling_due,
                tonnes=Decimal(line.tonnes),
                detail=_(
                    "%(unit)s exits %(tonnes)s t/yr under scheme %(scheme)s and had to be dismantled by %(due)s, "
                    "but %(why)s."
                )
                % {
                    "unit": unit.name,
                    "tonnes": _t(line.tonnes),
                    "scheme": line.scheme.code,
                    "due": line.dismantling_due,
                    "why": why,
                },
            )
        )
    return found


# --- Keeping the cases ---------------------------------------------------------------------------------


def _upsert(finding: Finding, now: dt.datetime, summary: Summary) -> None:
    values = {
        "kind": finding.kind,
        "enterprise_id": finding.enterprise_id,
        "unit_id": finding.unit_id,
        "exit_line_id": finding.exit_line_id,
        "period": finding.period,
        "tonnes": finding.tonnes,
        "detail": finding.detail,
    }
    case = CapacityViolation.objects.select_for_update().filter(key=finding.key).first()
    if case is None:
        case = CapacityViolation.objects.create(key=finding.key, first_detected_at=now, last_detected_at=now, **values)
        audit.record(None, AuditEvent.Action.CREATE, case, after={"event": "detected", **_facts(case)})
        summary.new.append(case.key)
        return
    reopened = case.status == CapacityViolation.Status.RESOLVED
    for name, value in values.items():
        setattr(case, name, value)
    case.last_detected_at = now
    if reopened:
        case.status, case.resolved_at, case.resolution = CapacityViolation.Status.OPEN, None, ""
    case.save()
    if reopened:
        audit.record(
            None,
            AuditEvent.Action.TRANSITION,
            case,
            before={"status": CapacityViolation.Status.RESOLVED.value},
            after={"event": "reopened", "status": case.status, **_facts(case)},
        )
        summary.reopened.append(case.key)


def _facts(case: CapacityViolation) -> dict:
    return {"kind": case.kind, "tonnes": str(case.tonnes), "detail": case.detail}


def _resolve(case: CapacityViolation, now: dt.datetime, summary: Summary) -> None:
    case.status, case.resolved_at, case.resolution = CapacityViolation.Status.RESOLVED, now, RESOLVED_BECAUSE
    case.save(update_fields=["status", "resolved_at", "resolution"])
    audit.record(
        None,
        AuditEvent.Action.TRANSITION,
        case,
        before={"status": CapacityViolation.Status.OPEN.value},
        after={"event": "resolved", "status": case.status},
        reason=RESOLVED_BECAUSE,
    )
    summary.resolved.append(case.key)


def detect(now: dt.datetime | None = None) -> Summary:
    """Find every case, open the new ones, resolve those no longer found. Idempotent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    months = latest_output_months()
    findings = [*uncovered_units(), *output_above_ledger(months), *producing_after_dismantling(today)]
    summary = Summary()
    with transaction.atomic():
        for finding in findings:
            _upsert(finding, now, summary)
        found = {f.key for f in findings}
        # What was judged this run: every case of the first and last kinds; output only for its months.
        judged = Q(kind__in=[Kind.UNCOVERED_UNIT, Kind.PRODUCING_AFTER_DISMANTLING]) | Q(
            kind=Kind.OUTPUT_ABOVE_LEDGER, period__in=months
        )
        stale = (
            CapacityViolation.objects.select_for_update()
            .filter(judged, status=CapacityViolation.Status.OPEN)
            .exclude(key__in=found)
        )
        for case in stale:
            _resolve(case, now, summary)
        summary.open = CapacityViolation.objects.filter(status=CapacityViolation.Status.OPEN).count()
    return summary
