"""Every change to monthly reports goes through these functions (DESIGN.md principle 2).

Life cycle: draft → submitted → (accepted by the city →) accepted, or returned with reasons to the
enterprise, which corrects the draft and submits again. A correction after acceptance opens a new
revision with its reason; the accepted revision stays the one counted until the correction is accepted.

`file_reports()` is the batch door used by the import and the demo: the same checks, one transaction,
one audit event per report."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.core import audit, scopes
from youse.core.models import AuditEvent
from youse.core.roles import Role
from youse.registry.models import Enterprise, ProductionUnit
from youse.stats import checks, facts
from youse.stats.models import MonthlyReport, ReportLine, ReportRevision, ReportStatus

S = ReportStatus
EDITABLE = frozenset({S.DRAFT, S.RETURNED})
FIGURE_FIELDS = tuple(checks.ENTERPRISE_FIGURES)


def _problems_to_error(problems: list[checks.Problem]) -> ValidationError:
    errors: dict[str, list[str]] = {}
    for p in problems:
        key = p.field if p.line is None else f"lines[{p.line}].{p.field}"
        errors.setdefault(key, []).append(p.message)
    return ValidationError(errors)


def _snapshot(report: MonthlyReport, revision: ReportRevision | None) -> dict:
    data = {"status": report.status, "period": report.period.isoformat()}
    if revision is not None:
        data["revision"] = revision.number
        data.update({f: audit._plain(getattr(revision, f)) for f in FIGURE_FIELDS})
        data["lines"] = [
            {"unit": line.unit_id, "output_t": str(line.output_t), "output_value": str(line.output_value)}
            for line in revision.lines.all()
        ]
    return data


def _write_revision(
    revision: ReportRevision, figures: dict, lines: list[dict], units: dict[int, ProductionUnit]
) -> None:
    for name in FIGURE_FIELDS:
        value = figures.get(name)
        setattr(revision, name, value if value is not None else Decimal(0))
    revision.employees = int(figures.get("employees") or 0)
    best = max(lines, key=lambda ln: ln["output_value"], default=None)
    revision.main_metal_id = units[best["unit"]].metal_id if best else None
    revision.save()
    revision.lines.all().delete()
    ReportLine.objects.bulk_create(
        ReportLine(
            revision=revision,
            unit_id=ln["unit"],
            metal_id=units[ln["unit"]].metal_id,
            stage_id=units[ln["unit"]].stage_id,
            product=units[ln["unit"]].product,
            output_t=ln["output_t"],
            output_value=ln["output_value"],
            al_liquid_t=ln.get("al_liquid_t"),
            ac_kwh_per_t=ln.get("ac_kwh_per_t"),
            ac_total_kwh_per_t=ln.get("ac_total_kwh_per_t"),
        )
        for ln in lines
    )


def _check(enterprise: Enterprise, period: dt.date, figures: dict, lines: list[dict]):
    unit_facts = facts.unit_facts([enterprise.pk], [period])[period] if period.day == 1 else {}
    parsed, parsed_lines, problems = checks.check_report(
        period, figures, lines, unit_facts, enterprise.pk, timezone.localdate()
    )
    if problems:
        raise _problems_to_error(problems)
    return parsed, parsed_lines


def save_report(
    actor, enterprise: Enterprise, period: dt.date, figures: dict, lines: list[dict], reason: str = ""
) -> MonthlyReport:
    """Create or change the draft of an enterprise's report for a month."""
    scopes.require(actor, "stats.file", enterprise)
    parsed, parsed_lines = _check(enterprise, period, figures, lines)
    units = {u.pk: u for u in ProductionUnit.objects.filter(pk__in=[ln["unit"] for ln in parsed_lines])}
    with transaction.atomic():
        report, created = MonthlyReport.objects.select_for_update().get_or_create(enterprise=enterprise, period=period)
        if (
            not created
            and report.status not in EDITABLE
            and not (report.status == S.ACCEPTED and report.current_id != report.accepted_id)
        ):
            raise ValidationError(
                {
                    "status": _("A %(status)s report cannot be edited; open a correction instead.")
                    % {"status": report.get_status_display()}
                }
            )
        before = None if created else _snapshot(report, report.current)
        revision = report.current
        if revision is None:
            revision = ReportRevision(report=report, number=1, created_by=_user(actor), reason=reason)
        _write_revision(revision, parsed, parsed_lines, units)
        report.current = revision
        if created:
            report.status = S.DRAFT
        report.save()
        audit.record(
            actor,
            AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            report,
            before=before,
            after=_snapshot(report, revision),
            reason=reason,
        )
    return report


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _transition(
    actor, report: MonthlyReport, capability: str, allowed: frozenset, to: str, reason: str = ""
) -> MonthlyReport:
    scopes.require(actor, capability, report)
    with transaction.atomic():
        obj = MonthlyReport.objects.select_for_update().get(pk=report.pk)
        correcting = obj.status == S.ACCEPTED and obj.current_id != obj.accepted_id
        current = S.DRAFT if correcting else obj.status
        if current not in allowed:
            raise ValidationError(
                {
                    "status": _("The report is %(status)s: it cannot become %(target)s.")
                    % {"status": obj.get_status_display(), "target": ReportStatus(to).label}
                }
            )
        before = {"status": obj.status, "revision": obj.current.number if obj.current else None}
        obj.status = to
        now = timezone.now()
        if to == S.SUBMITTED:
            obj.submitted_at = now
        if to == S.ACCEPTED:
            if obj.accepted_id and obj.accepted_id != obj.current_id:
                ReportRevision.objects.filter(pk=obj.accepted_id).update(superseded=True)
            obj.accepted = obj.current
            obj.accepted_at = now
        obj.save()
        audit.record(
            actor,
            AuditEvent.Action.TRANSITION,
            obj,
            before=before,
            after={"status": to, "revision": obj.current.number if obj.current else None},
            reason=reason,
        )
    report.refresh_from_db()
    return report


def submit_report(actor, report: MonthlyReport) -> MonthlyReport:
    return _transition(actor, report, "stats.file", frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED)


def accept_report(actor, report: MonthlyReport, reason: str = "") -> MonthlyReport:
    """The city's acceptance passes the report to the department; the department's makes it count."""
    role = getattr(actor, "role", None)
    if role == Role.CITY:
        return _transition(actor, report, "stats.review", frozenset({S.SUBMITTED}), S.CITY_ACCEPTED, reason)
    return _transition(actor, report, "stats.accept", frozenset({S.SUBMITTED, S.CITY_ACCEPTED}), S.ACCEPTED, reason)


def return_report(actor, report: MonthlyReport, reason: str) -> MonthlyReport:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the report is returned: the enterprise corrects it from this.")})
    allowed = (
        frozenset({S.SUBMITTED})
        if getattr(actor, "role", None) == Role.CITY
        else frozenset({S.SUBMITTED, S.CITY_ACCEPTED})
    )
    return _transition(actor, report, "stats.review", allowed, S.RETURNED, reason)


def start_correction(actor, report: MonthlyReport, reason: str) -> MonthlyReport:
    """Open a new revision of an accepted report (a copy to correct); the accepted one still counts."""
    if not reason.strip():
        raise ValidationError({"reason": _("A correction of an accepted report needs its reason.")})
    scopes.require(actor, "stats.file", report)
    with transaction.atomic():
        obj = MonthlyReport.objects.select_for_update().get(pk=report.pk)
        if obj.status != S.ACCEPTED or obj.current_id != obj.accepted_id:
            raise ValidationError({"status": _("Only an accepted report without an open correction can be corrected.")})
        source = obj.accepted
        number = (obj.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
        revision = ReportRevision.objects.create(
            report=obj,
            number=number,
            reason=reason,
            created_by=_user(actor),
            main_metal_id=source.main_metal_id,
            **{f: getattr(source, f) for f in FIGURE_FIELDS},
        )
        ReportLine.objects.bulk_create(
            ReportLine(
                revision=revision,
                **{
                    f.attname: getattr(line, f.attname)
                    for f in ReportLine._meta.concrete_fields
                    if f.name not in ("id", "revision")
                },
            )
            for line in source.lines.all()
        )
        obj.current = revision
        obj.save(update_fields=["current", "updated_at"])
        audit.record(
            actor,
            AuditEvent.Action.UPDATE,
            obj,
            before={"revision": source.number},
            after={"revision": number},
            reason=reason,
        )
    report.refresh_from_db()
    return report


# --- Batch filing (imports, the demo) ---------------------------------------------------------------


@dataclass
class ReportInput:
    """One report of a batch, as an import row group or the demo gives it."""

    enterprise_id: int
    period: dt.date
    figures: dict
    lines: list[dict]
    source: str = ""  # where it came from, e.g. "rows 2-4" of a file: named in errors


@dataclass
class BatchResult:
    created: int = 0
    replaced: int = 0
    problems: list[tuple[ReportInput, checks.Problem]] = field(default_factory=list)


def file_reports(actor, inputs: list[ReportInput], *, status: str = S.SUBMITTED, reason: str = "") -> BatchResult:
    """File many reports at once, all or nothing.

    Every report is checked as `save_report` checks one; if any has a problem nothing is written and the
    result lists every problem. Reports may be filed as draft, submitted, or — by the department only —
    accepted (figures it received from the statistics bureau). Existing reports may only be replaced
    while they are drafts or returned."""
    if status not in (S.DRAFT, S.SUBMITTED, S.ACCEPTED):
        raise ValueError(f"cannot file reports as {status}")
    scopes.require(actor, "stats.file")
    if status == S.ACCEPTED:
        scopes.require(actor, "stats.accept")
    result = BatchResult()
    enterprise_ids = {i.enterprise_id for i in inputs}
    visible = set(scopes.visible(actor, Enterprise).filter(pk__in=enterprise_ids).values_list("pk", flat=True))
    periods = {i.period for i in inputs if i.period.day == 1}
    unit_facts = facts.unit_facts(visible, periods)
    existing = {
        (r.enterprise_id, r.period): r
        for r in MonthlyReport.objects.filter(enterprise_id__in=visible, period__in=periods)
    }
    today = timezone.localdate()
    seen: set[tuple[int, dt.date]] = set()
    parsed_all = []
    for item in inputs:
        key = (item.enterprise_id, item.period)
        if item.enterprise_id not in visible:
            result.problems.append(
                (
                    item,
                    checks.Problem("enterprise", _("no enterprise %(id)s in your scope") % {"id": item.enterprise_id}),
                )
            )
            continue
        if key in seen:
            result.problems.append(
                (
                    item,
                    checks.Problem(
                        "period", _("%(month)s is given twice for this enterprise") % {"month": f"{item.period:%Y-%m}"}
                    ),
                )
            )
            continue
        seen.add(key)
        old = existing.get(key)
        if old is not None and old.status not in EDITABLE:
            result.problems.append(
                (
                    item,
                    checks.Problem(
                        "period",
                        _("the report for %(month)s is %(status)s: correct it instead")
                        % {"month": f"{item.period:%Y-%m}", "status": old.get_status_display()},
                    ),
                )
            )
            continue
        parsed, lines, problems = checks.check_report(
            item.period, item.figures, item.lines, unit_facts.get(item.period, {}), item.enterprise_id, today
        )
        result.problems.extend((item, p) for p in problems)
        parsed_all.append((item, parsed, lines, old))
    if result.problems:
        return result
    units = {
        u["id"]: u
        for u in ProductionUnit.objects.filter(plant__enterprise_id__in=visible).values(
            "id", "metal_id", "stage_id", "product"
        )
    }
    now = timezone.now()
    with transaction.atomic():
        replaced = [old for _i, _p, _l, old in parsed_all if old is not None]
        if replaced:
            # Drafts and returned reports are replaced whole: their unsubmitted revisions go.
            ids = [r.pk for r in replaced]
            MonthlyReport.objects.filter(pk__in=ids).update(current=None, accepted=None)
            ReportLine.objects.filter(revision__report_id__in=ids).delete()
            ReportRevision.objects.filter(report_id__in=ids).delete()
            MonthlyReport.objects.filter(pk__in=ids).delete()
        reports = MonthlyReport.objects.bulk_create(
            MonthlyReport(
                enterprise_id=item.enterprise_id,
                period=item.period,
                status=status,
                submitted_at=now if status != S.DRAFT else None,
                accepted_at=now if status == S.ACCEPTED else None,
            )
            for item, _p, _l, _old in parsed_all
        )
        if not all(r.pk for r in reports):  # backends without RETURNING ids on bulk insert
            keys = [(r.enterprise_id, r.period) for r in reports]
            found = {
                (r.enterprise_id, r.period): r
                for r in MonthlyReport.objects.filter(enterprise_id__in=visible, period__in=periods)
            }
            reports = [found[k] for k in keys]
        revisions = ReportRevision.objects.bulk_create(
            _revision(report, parsed, lines, units, actor, reason)
            for report, (_item, parsed, lines, _old) in zip(reports, parsed_all, strict=True)
        )
        ReportLine.objects.bulk_create(
            ReportLine(
                revision=revision,
                unit_id=ln["unit"],
                metal_id=units[ln["unit"]]["metal_id"],
                stage_id=units[ln["unit"]]["stage_id"],
                product=units[ln["unit"]]["product"],
                output_t=ln["output_t"],
                output_value=ln["output_value"],
                al_liquid_t=ln.get("al_liquid_t"),
                ac_kwh_per_t=ln.get("ac_kwh_per_t"),
                ac_total_kwh_per_t=ln.get("ac_total_kwh_per_t"),
            )
            for revision, (_item, _parsed, lines, _old) in zip(revisions, parsed_all, strict=True)
            for ln in lines
        )
        for report, revision in zip(reports, revisions, strict=True):
            report.current = revision
            if status == S.ACCEPTED:
                report.accepted = revision
        MonthlyReport.objects.bulk_update(reports, ["current", "accepted"], batch_size=2000)
        content_type = ContentType.objects.get_for_model(MonthlyReport)
        user = _user(actor)
        AuditEvent.objects.bulk_create(
            AuditEvent(
                actor=user,
                actor_username=user.username if user else "",
                actor_role=getattr(user, "role", "") if user else "",
                channel=audit.current_channel(),
                action=AuditEvent.Action.CREATE,
                content_type=content_type,
                object_id=str(report.pk),
                object_repr=f"{report.enterprise_id} · {report.period:%Y-%m}",
                after={
                    "status": status,
                    "period": report.period.isoformat(),
                    "lines": len(lines),
                    "source": item.source,
                },
                reason=reason,
            )
            for report, (item, _parsed, lines, _old) in zip(reports, parsed_all, strict=True)
        )
    result.created = len(reports) - len(replaced)
    result.replaced = len(replaced)
    return result


def _revision(report, parsed, lines, units, actor, reason) -> ReportRevision:
    best = max(lines, key=lambda ln: ln["output_value"], default=None)
    return ReportRevision(
        report=report,
        number=1,
        reason=reason,
        created_by=_user(actor),
        main_metal_id=units[best["unit"]]["metal_id"] if best else None,
        employees=int(parsed.get("employees") or 0),
        **{f: (parsed.get(f) if parsed.get(f) is not None else Decimal(0)) for f in FIGURE_FIELDS if f != "employees"},
    )
