"""Every change in supervision (DESIGN.md principle 2): sub-tasks, city plans and their review, progress
reports with evidence, the department's comments and major problems, and the ticker's flags. Each
function checks the actor, runs in one transaction and writes its audit event there."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.core import audit, scopes, uploads
from youse.core.models import AuditEvent, Division, PolicyClause, ResponsibleUnit
from youse.core.roles import Role
from youse.stats.models import Indicator
from youse.supervision import rules
from youse.supervision.models import (
    CityPlan,
    Milestone,
    PlanTarget,
    PlanTask,
    ProgressEvidence,
    ProgressReport,
    Remark,
    SubTask,
)
from youse.supervision.rules import PlanState


def today() -> dt.date:
    return timezone.localdate()


def silent_days() -> int:
    return int(getattr(settings, "YOUSE_SILENT_DAYS", 90))


def _event(actor, obj: models.Model, name: str, *, before=None, after=None, reason: str = "", create=False) -> None:
    action = AuditEvent.Action.CREATE if create else AuditEvent.Action.TRANSITION
    audit.record(actor, action, obj, before=before, after={"event": name, **(after or {})}, reason=reason)


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _text(data: dict, field: str, errors: dict, message: str, max_length: int | None = None) -> str:
    value = str(data.get(field) or "").strip()
    if not value:
        errors[field] = [message]
    elif max_length and len(value) > max_length:
        errors[field] = [_("At most %(n)s characters.") % {"n": max_length}]
    return value


def _date(data: dict, field: str, errors: dict) -> dt.date | None:
    value = data.get(field)
    if not isinstance(value, dt.date):
        errors[field] = [_("Enter a date.")]
        return None
    return value


def _indicator(data: dict, errors: dict, required: bool = False) -> str:
    code = str(data.get("indicator") or "").strip()
    if code and code not in Indicator.values:
        errors["indicator"] = [_("Unknown indicator: %(c)s") % {"c": code}]
    elif required and not code:
        errors["indicator"] = [_("Choose an indicator.")]
    return code


# --- Sub-tasks ----------------------------------------------------------------------------------------


def _subtask_fields(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    title = _text(data, "title", errors, _("Say what is to be done."), 200)
    starts_on, deadline = _date(data, "starts_on", errors), _date(data, "deadline", errors)
    if starts_on and deadline and deadline < starts_on:
        errors["deadline"] = [_("The deadline is before the start.")]
    unit, division = data.get("unit"), data.get("division")
    if isinstance(unit, str):
        unit = ResponsibleUnit.objects.filter(code=unit).first()
    if isinstance(division, str):
        division = Division.objects.filter(code=division, valid_to__isnull=True).first()
    if bool(unit) == bool(division):
        errors["unit"] = [_("Name one owner: a responsible unit or a city.")]
    if division is not None and not division.is_city_scope:
        errors["division"] = [_("Choose a city-level division.")]
    indicator = _indicator(data, errors)
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "starts_on": starts_on,
        "deadline": deadline,
        "unit": unit or None,
        "division": division or None,
        "indicator": indicator,
        "measure": str(data.get("measure") or "").strip()[:200],
    }


def create_subtask(actor, clause: PolicyClause, data: dict, reason: str = "") -> SubTask:
    """A measurable part of a clause with one owner (a responsible unit or a city), a start, a deadline
    and, where one measures it, the statistics indicator."""
    scopes.require(actor, "supervision.manage")
    fields = _subtask_fields(data)
    with transaction.atomic():
        st = SubTask.objects.create(clause=clause, **fields)
        audit.record(actor, AuditEvent.Action.CREATE, st, after=audit.snapshot(st), reason=reason)
    return st


def update_subtask(actor, subtask: SubTask, data: dict, reason: str = "") -> SubTask:
    scopes.require(actor, "supervision.manage", subtask)
    fields = _subtask_fields(data)
    with transaction.atomic():
        st = SubTask.objects.select_for_update().get(pk=subtask.pk)
        before = audit.snapshot(st)
        for k, v in fields.items():
            setattr(st, k, v)
        # A new deadline is judged afresh by the ticker.
        if st.overdue_since and not rules.is_overdue(deadline=st.deadline, today=today(), done=st.done_on is not None):
            st.overdue_since = None
        st.save()
        audit.record(actor, AuditEvent.Action.UPDATE, st, before=before, after=audit.snapshot(st), reason=reason)
    return st


# --- City plans ---------------------------------------------------------------------------------------


def _own_city(actor, plan: CityPlan) -> None:
    scopes.require(actor, "supervision.plan", plan)
    if not plan.editable:
        raise ValidationError({"state": [_("A %(s)s plan cannot be changed.") % {"s": plan.state_label}]})


def create_plan(actor, division: Division, data: dict, reason: str = "") -> CityPlan:
    """A city's plan for a period (e.g. 2026–2030), as a draft; one per city and period."""
    errors: dict[str, list[str]] = {}
    if getattr(actor, "role", None) == Role.CITY and actor.division_id != division.pk:
        scopes.refuse(actor, "supervision.plan", division, "another city's plan")
        raise PermissionDenied(_("A city writes its own plan."))
    scopes.require(actor, "supervision.plan")
    if not division.is_city_scope:
        errors["division"] = [_("Choose a city-level division.")]
    try:
        start, end = int(data.get("start_year")), int(data.get("end_year"))
    except (TypeError, ValueError):
        raise ValidationError({"start_year": [_("Enter the years of the plan.")]}) from None
    if rules.period_problem(start, end):
        errors["end_year"] = [_("The plan runs from one year to a later one, at most ten years.")]
    title = _text(data, "title", errors, _("Give the plan its title."), 200)
    if CityPlan.objects.filter(division=division, start_year=start, end_year=end).exists():
        errors["start_year"] = [_("This city already has a plan for %(p)s.") % {"p": f"{start}–{end}"}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        plan = CityPlan.objects.create(
            division=division,
            start_year=start,
            end_year=end,
            title=title,
            summary=str(data.get("summary") or "").strip(),
            state=PlanState.DRAFT,
        )
        audit.record(actor, AuditEvent.Action.CREATE, plan, after=audit.snapshot(plan), reason=reason)
    return plan


def update_plan(actor, plan: CityPlan, data: dict) -> CityPlan:
    _own_city(actor, plan)
    errors: dict[str, list[str]] = {}
    title = _text(data, "title", errors, _("Give the plan its title."), 200)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = audit.snapshot(plan)
        plan.title, plan.summary = title, str(data.get("summary") or "").strip()
        plan.save(update_fields=["title", "summary"])
        audit.record(actor, AuditEvent.Action.UPDATE, plan, before=before, after=audit.snapshot(plan))
    return plan


def add_target(actor, plan: CityPlan, data: dict) -> PlanTarget:
    _own_city(actor, plan)
    errors: dict[str, list[str]] = {}
    code = _indicator(data, errors, required=True)
    try:
        value = Decimal(str(data.get("value")))
    except (InvalidOperation, TypeError):
        errors["value"] = [_("Enter a number.")]
        value = None
    try:
        year = int(data.get("year"))
    except (TypeError, ValueError):
        errors["year"] = [_("Enter a year.")]
        year = None
    if year is not None and not plan.start_year <= year <= plan.end_year:
        errors["year"] = [_("The year is outside the plan's period %(p)s.") % {"p": plan.period}]
    if not errors and plan.targets.filter(indicator=code, year=year).exists():
        errors["indicator"] = [_("This indicator already has a target for that year.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        target = PlanTarget.objects.create(plan=plan, indicator=code, value=value, year=year)
        _event(actor, plan, "target_added", after={"indicator": code, "value": str(value), "year": year})
    return target


def add_plan_task(actor, plan: CityPlan, data: dict) -> PlanTask:
    _own_city(actor, plan)
    errors: dict[str, list[str]] = {}
    title = _text(data, "title", errors, _("Say what is to be done."), 200)
    if errors:
        raise ValidationError(errors)
    clause = data.get("clause") or None
    with transaction.atomic():
        task = PlanTask.objects.create(plan=plan, title=title, clause=clause, order=plan.tasks.count() + 1)
        _event(actor, plan, "task_added", after={"task": title})
    return task


def add_milestone(actor, task: PlanTask, data: dict) -> Milestone:
    plan = task.plan
    _own_city(actor, plan)
    errors: dict[str, list[str]] = {}
    title = _text(data, "title", errors, _("Say what is reached at this milestone."), 200)
    starts_on, deadline = _date(data, "starts_on", errors), _date(data, "deadline", errors)
    if starts_on and deadline and deadline < starts_on:
        errors["deadline"] = [_("The deadline is before the start.")]
    if deadline and not plan.start_year <= deadline.year <= plan.end_year:
        errors["deadline"] = [_("The deadline is outside the plan's period %(p)s.") % {"p": plan.period}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        ms = Milestone.objects.create(task=task, title=title, starts_on=starts_on, deadline=deadline)
        _event(actor, plan, "milestone_added", after={"milestone": title, "deadline": deadline.isoformat()})
    return ms


def _move(actor, plan: CityPlan, target: PlanState, capability: str, comment: str = "") -> CityPlan:
    scopes.require(actor, capability, plan)
    with transaction.atomic():
        obj = CityPlan.objects.select_for_update().get(pk=plan.pk)
        if not rules.can_move(obj.state, target):
            raise ValidationError(
                {"state": [_("A %(s)s plan cannot be %(t)s.") % {"s": obj.state_label, "t": target.value}]}
            )
        before = obj.state
        obj.state = target
        if target == PlanState.SUBMITTED:
            obj.submitted_at = timezone.now()
        else:
            obj.reviewed_at, obj.review_comment = timezone.now(), comment
        obj.save()
        _event(actor, obj, target.value, before={"state": before}, after={"state": target.value}, reason=comment)
    plan.refresh_from_db()
    return plan


def submit_plan(actor, plan: CityPlan) -> CityPlan:
    """The city hands its plan to the department; a plan with no target or no milestone is not a plan."""
    errors = {}
    if not plan.targets.exists():
        errors["targets"] = [_("Set at least one target.")]
    if not Milestone.objects.filter(task__plan=plan).exists():
        errors["milestones"] = [_("Set at least one task with a milestone.")]
    scopes.require(actor, "supervision.plan", plan)
    if errors:
        raise ValidationError(errors)
    return _move(actor, plan, PlanState.SUBMITTED, "supervision.plan")


def accept_plan(actor, plan: CityPlan, comment: str = "") -> CityPlan:
    return _move(actor, plan, PlanState.ACCEPTED, "supervision.review", comment.strip())


def return_plan(actor, plan: CityPlan, comment: str) -> CityPlan:
    """Back to the city with the department's comments, which it must give."""
    scopes.require(actor, "supervision.review", plan)
    if not (comment or "").strip():
        raise ValidationError({"comment": [_("Say what the city is to change.")]})
    return _move(actor, plan, PlanState.RETURNED, "supervision.review", comment.strip())


# --- Progress -----------------------------------------------------------------------------------------


def may_report(actor, item: SubTask | Milestone) -> bool:
    """The owner reports: the unit of a sub-task, the city of its sub-task or milestone; the department
    may record a report for anyone (e.g. one sent on paper)."""
    role = getattr(actor, "role", None)
    if not scopes.can(actor, "supervision.progress"):
        return False
    if role == Role.DEPARTMENT:
        return True
    if isinstance(item, SubTask):
        if role == Role.PROVINCIAL_UNIT:
            return item.unit_id is not None and item.unit_id == actor.unit_id
        return role == Role.CITY and item.division_id is not None and item.division_id == actor.division_id
    return role == Role.CITY and item.task.plan.division_id == actor.division_id


def _refuse_unless_owner(actor, item) -> None:
    if scopes.visible(actor, type(item)).filter(pk=item.pk).exists() is False:
        scopes.require(actor, "supervision.progress", item)  # raises 404 and audits
    if not may_report(actor, item):
        scopes.refuse(actor, "supervision.progress", item, "not the owner")
        raise PermissionDenied(_("Only the owner reports progress on this."))


def report_progress(actor, item: SubTask | Milestone, data: dict, files: Iterable = ()) -> ProgressReport:
    """A periodic report: what was done, the percent reached (0–100) and evidence files (JPEG/PNG/PDF).
    Reaching 100 % completes the item on the report's day; the item's overdue and silence flags clear."""
    _refuse_unless_owner(actor, item)
    errors: dict[str, list[str]] = {}
    text = _text(data, "text", errors, _("Say what was done."))
    try:
        percent = int(data.get("percent"))
        if not 0 <= percent <= 100:
            raise ValueError
    except (TypeError, ValueError):
        errors["percent"] = [_("Enter a percentage from 0 to 100.")]
        percent = 0
    reported_on = data.get("reported_on") or today()
    if reported_on > today():
        errors["reported_on"] = [_("A report is not dated in the future.")]
    if errors:
        raise ValidationError(errors)
    accepted = uploads.check_files(list(files or []), uploads.max_bytes(), "files")
    link = {"subtask": item} if isinstance(item, SubTask) else {"milestone": item}
    with transaction.atomic():
        obj = type(item).objects.select_for_update().get(pk=item.pk)
        report = ProgressReport.objects.create(
            reported_on=reported_on, percent=percent, text=text, author=_user(actor), **link
        )
        uploads.store(ProgressEvidence, accepted, report=report)
        before = {"percent": obj.percent, "done_on": audit._plain(obj.done_on)}
        if obj.last_report_on is None or reported_on >= obj.last_report_on:
            obj.percent, obj.last_report_on = percent, reported_on
            obj.done_on = reported_on if percent >= 100 else None
        obj.silent_since = None
        if obj.done_on is not None:
            obj.overdue_since = None
        obj.save()
        _event(
            actor,
            obj,
            "progress",
            before=before,
            after={"percent": percent, "reported_on": reported_on.isoformat(), "files": len(accepted)},
        )
    return report


def comment(actor, item: SubTask | Milestone, text: str, major: bool = False) -> Remark:
    """The department's comment; `major` puts it among the problems reported to the provincial government."""
    scopes.require(actor, "supervision.review", item)
    if not (text or "").strip():
        raise ValidationError({"text": [_("Write the comment.")]})
    link = {"subtask": item} if isinstance(item, SubTask) else {"milestone": item}
    with transaction.atomic():
        remark = Remark.objects.create(text=text.strip(), major=bool(major), author=_user(actor), **link)
        _event(actor, item, "major_problem" if major else "comment", after={"text": text.strip(), "major": bool(major)})
    return remark


# --- The ticker ---------------------------------------------------------------------------------------


def _flag(model, field: str, pks: list[int], day: dt.date, name: str) -> int:
    for obj in model.objects.filter(pk__in=pks):
        setattr(obj, field, day)
        obj.save(update_fields=[field])
        _event(None, obj, name, after={field: day.isoformat()})
    return len(pks)


def mark_overdue(on: dt.date | None = None) -> int:
    """Flag open sub-tasks and milestones past their deadline, once each; returns how many were new."""
    day = on or today()
    n = 0
    with transaction.atomic():
        for model in (SubTask, Milestone):
            pks = list(
                model.objects.filter(done_on__isnull=True, overdue_since__isnull=True, deadline__lt=day).values_list(
                    "pk", flat=True
                )
            )
            n += _flag(model, "overdue_since", pks, day, "overdue")
    return n


def mark_silent(on: dt.date | None = None, days: int | None = None) -> int:
    """Flag open items whose owner reported nothing for `days` days (YOUSE_SILENT_DAYS), once each; a
    report clears the flag (report_progress)."""
    day, days = on or today(), days or silent_days()
    cutoff = day - dt.timedelta(days=days)
    n = 0
    with transaction.atomic():
        for model in (SubTask, Milestone):
            quiet = Q(last_report_on__lte=cutoff) | Q(last_report_on__isnull=True, starts_on__lte=cutoff)
            pks = list(
                model.objects.filter(quiet, done_on__isnull=True, silent_since__isnull=True).values_list(
                    "pk", flat=True
                )
            )
            n += _flag(model, "silent_since", pks, day, "silent")
    return n
