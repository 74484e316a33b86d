"""Every change to an overseas project (clause 二(六)) is one of these functions: each checks the
capability and the scope, validates everything before writing, writes in one transaction and records
the audit event in it.

The enterprise (or its city) registers a project as a draft and submits it; the department files it
(备案登记, with a register number) or returns it with a reason. Once filed, the enterprise reports
progress: status changes with a date and a note, and the amount invested to date. The department records
annual reviews (年度评估) and may flag a project for attention."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.cooperation import rules
from youse.cooperation.models import Country, OverseasProject, Partner, Review, StatusChange
from youse.cooperation.rules import Filing, Mode, Risk, Status
from youse.core import audit, scopes
from youse.core.models import AuditEvent, Metal, ValueChainStage
from youse.registry.models import Enterprise

TEXT_FIELDS = {
    "name": 160,
    "location": 160,
    "product": 80,
    "ndrc_filing_no": 80,
    "mofcom_certificate_no": 80,
}
LONG_TEXT_FIELDS = ("risk_political", "risk_fx", "risk_legal", "risk_environmental", "risk_market", "description")
DATE_FIELDS = ("signed_on", "construction_started_on", "operation_started_on")
AMOUNT_FIELDS = ("total_investment", "chinese_investment")
# The fields a draft may set (the rest belong to the workflow).
PROJECT_FIELDS = (
    *TEXT_FIELDS,
    *LONG_TEXT_FIELDS,
    *DATE_FIELDS,
    *AMOUNT_FIELDS,
    "country",
    "metal",
    "stage",
    "mode",
    "equity_share",
    "capacity",
    "status",
    "risk_level",
)
# Before the department has filed it, a project is planned or already approved abroad.
INITIAL_STATUSES = (Status.PLANNED, Status.APPROVED, Status.CONSTRUCTION, Status.OPERATING)


def today() -> dt.date:
    return timezone.localdate()


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _event(actor, project: OverseasProject, name: str, *, before=None, after=None, reason: str = "") -> None:
    audit.record(
        actor,
        AuditEvent.Action.TRANSITION,
        project,
        before=before,
        after={"event": name, **(after or {})},
        reason=reason,
    )


def _next(prefix: str, field: str, year: int) -> str:
    stem = f"{prefix}-{year}-"
    last = (
        OverseasProject.objects.filter(**{f"{field}__startswith": stem})
        .order_by(f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    n = int(last.rsplit("-", 1)[1]) + 1 if last and last.rsplit("-", 1)[1].isdigit() else 1
    return f"{stem}{n:04d}"


# --- Reading the input ---------------------------------------------------------------------------


def _decimal(value, field: str, errors: dict, places: int = 2) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        errors[field] = [_("Enter a number.")]
        return None
    if not number.is_finite():
        errors[field] = [_("Enter a number.")]
        return None
    if number.as_tuple().exponent < -places:  # type: ignore[operator]
        errors[field] = [_("At most %(n)s decimal places.") % {"n": places}]
        return None
    if abs(number) >= Decimal(10) ** 12:
        errors[field] = [_("The number is too large.")]
        return None
    return number


def _date(value, field: str, errors: dict) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors[field] = [_("Enter a date (YYYY-MM-DD).")]
        return None


def _ref(model, value, field: str, errors: dict, key: str = "code"):
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value
    found = model.objects.filter(**{key: str(value)}).first()
    if found is None and str(value).isdigit():
        found = model.objects.filter(pk=int(value)).first()
    if found is None:
        errors[field] = [_("Unknown %(field)s: %(value)s") % {"field": field, "value": value}]
    return found


def _choice(value, field: str, choices: Iterable[str], errors: dict) -> str | None:
    if value in (None, ""):
        return None
    if str(value) not in set(choices):
        errors[field] = [_("Unknown %(field)s: %(value)s") % {"field": field, "value": value}]
        return None
    return str(value)


def _clean(data: dict, current: dict | None = None) -> dict:
    """Typed values of the project fields given in `data`, checked together with `current` (the stored
    values of an existing draft). Raises one ValidationError naming every bad field."""
    errors: dict[str, list[str]] = {}
    out: dict[str, object] = {}
    for field, size in TEXT_FIELDS.items():
        if field in data:
            text = str(data[field] or "").strip()
            if len(text) > size:
                errors[field] = [_("At most %(n)s characters.") % {"n": size}]
            out[field] = text
    for field in LONG_TEXT_FIELDS:
        if field in data:
            out[field] = str(data[field] or "").strip()[:4000]
    for field in DATE_FIELDS:
        if field in data:
            out[field] = _date(data[field], field, errors)
    for field in AMOUNT_FIELDS:
        if field in data:
            out[field] = _decimal(data[field], field, errors)
    if "equity_share" in data:
        out["equity_share"] = _decimal(data["equity_share"], "equity_share", errors)
    if "capacity" in data:
        capacity = _decimal(data["capacity"], "capacity", errors, places=0)
        if capacity is not None and capacity < 0:
            errors["capacity"] = [_("Capacity cannot be negative.")]
        out["capacity"] = capacity
    if "country" in data:
        out["country"] = _ref(Country, data["country"], "country", errors)
    if "metal" in data:
        out["metal"] = _ref(Metal, data["metal"], "metal", errors)
    if "stage" in data:
        out["stage"] = _ref(ValueChainStage, data["stage"], "stage", errors)
    if "mode" in data:
        out["mode"] = _choice(data["mode"], "mode", [m.value for m in Mode], errors)
    if "status" in data:
        status = _choice(data["status"] or Status.PLANNED, "status", [s.value for s in INITIAL_STATUSES], errors)
        out["status"] = status
    if "risk_level" in data:
        out["risk_level"] = _choice(data["risk_level"] or Risk.MEDIUM, "risk_level", [r.value for r in Risk], errors)
    merged = {**(current or {}), **{k: v for k, v in out.items() if k not in errors}}
    if "name" in merged and not merged.get("name"):
        errors.setdefault("name", [_("Name the project.")])
    if merged.get("mode") and "equity_share" not in errors and "mode" not in errors:
        problem = rules.mode_share_problem(str(merged["mode"]), merged.get("equity_share"))
        if problem:
            errors.setdefault("equity_share", [problem])
    for field, message in rules.money_problems(
        merged.get("total_investment"), merged.get("chinese_investment")
    ).items():
        errors.setdefault(field, [message])
    for field, message in rules.date_problems(
        merged.get("signed_on"), merged.get("construction_started_on"), merged.get("operation_started_on")
    ).items():
        errors.setdefault(field, [message])
    if merged.get("status"):
        problem = rules.approval_problem(
            str(merged["status"]),
            str(merged.get("ndrc_filing_no") or ""),
            str(merged.get("mofcom_certificate_no") or ""),
        )
        if problem:
            errors.setdefault("ndrc_filing_no", [problem])
    if errors:
        raise ValidationError(errors)
    return out


def _partners(rows: Iterable[dict] | None) -> list[dict] | None:
    if rows is None:
        return None
    out, errors = [], {}
    for i, row in enumerate(rows, start=1):
        name = str(row.get("name") or "").strip()
        role = str(row.get("role") or "").strip()
        side = str(row.get("side") or "").strip()
        if not name and not role:
            continue
        key = f"partners[{i}]"
        if not name:
            errors[key] = [_("Name the partner.")]
        elif side not in Partner.Side.values:
            errors[key] = [_("Say whether the partner is foreign or domestic.")]
        elif len(name) > 160 or len(role) > 120:
            errors[key] = [_("The name or role is too long.")]
        else:
            out.append({"side": side, "name": name, "role": role})
    if errors:
        raise ValidationError(errors)
    return out


def _set_partners(project: OverseasProject, rows: list[dict]) -> None:
    project.partners.all().delete()
    for order, row in enumerate(rows, start=1):
        Partner.objects.create(project=project, order=order, **row)


def _partner_snapshot(project: OverseasProject) -> list[dict]:
    return [{"side": p.side, "name": p.name, "role": p.role} for p in project.partners.all()]


def _enterprise(value) -> Enterprise:
    if isinstance(value, Enterprise):
        return value
    found = Enterprise.objects.filter(pk=int(value)).first() if str(value or "").isdigit() else None
    if found is None:
        raise ValidationError({"enterprise": [_("Name the enterprise.")]})
    return found


def _stored(project: OverseasProject) -> dict:
    return {f: getattr(project, f) for f in PROJECT_FIELDS}


# --- The registration ----------------------------------------------------------------------------


def create_project(actor, enterprise, data: dict, partners: Iterable[dict] = (), reason: str = "") -> OverseasProject:
    """A draft project of `enterprise`: by the enterprise itself, its city or the department."""
    scopes.require(actor, "cooperation.report")
    enterprise = _enterprise(enterprise)
    scopes.require(actor, "cooperation.report", enterprise)
    values = _clean({"status": Status.PLANNED, "risk_level": Risk.MEDIUM, **data})
    errors = {}
    for field in ("name", "country", "metal", "stage", "mode"):
        if not values.get(field):
            errors[field] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)
    rows = _partners(partners) or []
    with transaction.atomic():
        project = OverseasProject.objects.create(
            code=_next("JW", "code", today().year),
            enterprise=enterprise,
            created_by=_user(actor),
            status_since=values.get("signed_on"),
            **values,
        )
        _set_partners(project, rows)
        after = {**audit.snapshot(project), "partners": _partner_snapshot(project)}
        audit.record(actor, AuditEvent.Action.CREATE, project, after=after, reason=reason)
    return project


def update_project(
    actor, project: OverseasProject, data: dict, partners: Iterable[dict] | None = None, reason: str = ""
) -> OverseasProject:
    """Change a draft or a returned project (the fields given, and the partners when given)."""
    scopes.require(actor, "cooperation.report", project)
    with transaction.atomic():
        obj = OverseasProject.objects.select_for_update().get(pk=project.pk)
        if obj.filing not in rules.EDITABLE:
            raise ValidationError({"filing": [_("Only a draft or a returned project can be changed.")]})
        values = _clean({k: v for k, v in data.items() if k in PROJECT_FIELDS}, _stored(obj))
        rows = _partners(partners)
        before = {**audit.snapshot(obj), "partners": _partner_snapshot(obj)}
        for field, value in values.items():
            setattr(obj, field, value)
        obj.save()
        if rows is not None:
            _set_partners(obj, rows)
        after = {**audit.snapshot(obj), "partners": _partner_snapshot(obj)}
        changed = {k for k in after if before.get(k) != after.get(k)} - {"updated_at"}
        if changed:
            audit.record(
                actor,
                AuditEvent.Action.UPDATE,
                obj,
                before={k: before.get(k) for k in changed},
                after={k: after[k] for k in changed},
                reason=reason,
            )
    return obj


def submit_project(actor, project: OverseasProject, reason: str = "") -> OverseasProject:
    """Send a draft (or a returned project, corrected) to the department for filing."""
    scopes.require(actor, "cooperation.report", project)
    with transaction.atomic():
        obj = OverseasProject.objects.select_for_update().get(pk=project.pk)
        problem = rules.filing_problem("submit", obj.filing)
        if problem:
            raise ValidationError({"filing": [problem]})
        missing = rules.missing_for_submission(_stored(obj))
        if missing:
            raise ValidationError({f: [_("Required before the project is submitted.")] for f in missing})
        # Every rule again, on the stored values together.
        _clean({}, _stored(obj))
        before = obj.filing
        obj.filing = Filing.SUBMITTED
        obj.submitted_at = timezone.now()
        obj.save(update_fields=["filing", "submitted_at", "updated_at"])
        _event(actor, obj, "submitted", before={"filing": before}, after={"filing": obj.filing}, reason=reason)
    return obj


def file_project(actor, project: OverseasProject, note: str = "") -> OverseasProject:
    """The department files (备案登记) a submitted project: it gets a register number and its life cycle
    starts with the status it was submitted in."""
    scopes.require(actor, "cooperation.review", project)
    with transaction.atomic():
        obj = OverseasProject.objects.select_for_update().get(pk=project.pk)
        problem = rules.filing_problem("file", obj.filing)
        if problem:
            raise ValidationError({"filing": [problem]})
        now = timezone.now()
        obj.filing = Filing.FILED
        obj.filed_at = now
        obj.register_no = _next("SXJW", "register_no", timezone.localdate(now).year)
        obj.return_reason = ""
        since = obj.status_since or obj.signed_on or timezone.localdate(now)
        obj.status_since = since
        obj.save(update_fields=["filing", "filed_at", "register_no", "return_reason", "status_since", "updated_at"])
        StatusChange.objects.create(
            project=obj,
            status_from="",
            status_to=obj.status,
            on=since,
            note=note or _("Status at filing"),
            invested=obj.invested,
            recorded_by=_user(actor),
        )
        _event(
            actor,
            obj,
            "filed",
            before={"filing": Filing.SUBMITTED},
            after={"filing": obj.filing, "register_no": obj.register_no},
            reason=note,
        )
    return obj


def return_project(actor, project: OverseasProject, reason: str) -> OverseasProject:
    """The department sends a submitted project back, saying why."""
    scopes.require(actor, "cooperation.review", project)
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the project is returned.")]})
    with transaction.atomic():
        obj = OverseasProject.objects.select_for_update().get(pk=project.pk)
        problem = rules.filing_problem("return", obj.filing)
        if problem:
            raise ValidationError({"filing": [problem]})
        obj.filing = Filing.RETURNED
        obj.return_reason = reason[:4000]
        obj.save(update_fields=["filing", "return_reason", "updated_at"])
        _event(actor, obj, "returned", before={"filing": Filing.SUBMITTED}, after={"filing": obj.filing}, reason=reason)
    return obj


# --- Progress, reviews, flags --------------------------------------------------------------------


def report_progress(actor, project: OverseasProject, data: dict) -> StatusChange:
    """A progress report on a filed project: the status (the same one for a progress note), its date, a
    note, and the amount invested to date. Construction and operation set their start dates."""
    scopes.require(actor, "cooperation.report", project)
    errors: dict[str, list[str]] = {}
    on = _date(data.get("on"), "on", errors)
    invested = _decimal(data.get("invested"), "invested", errors)
    note = str(data.get("note") or "").strip()
    with transaction.atomic():
        obj = OverseasProject.objects.select_for_update().get(pk=project.pk)
        if obj.filing != Filing.FILED:
            raise ValidationError({"filing": [_("Progress is reported on filed projects only.")]})
        status = str(data.get("status") or obj.status)
        problem = rules.transition_problem(obj.status, status)
        if problem:
            errors["status"] = [problem]
        last = obj.status_changes.order_by("-on", "-id").values_list("on", flat=True).first()
        if "on" not in errors:
            problem = rules.report_date_problem(on, last, today())
            if problem:
                errors["on"] = [problem]
        for field, message in rules.money_problems(None, None, invested).items():
            errors[field] = [message]
        if "status" not in errors:
            problem = rules.approval_problem(status, obj.ndrc_filing_no, obj.mofcom_certificate_no)
            if problem:
                errors["status"] = [problem]
        if status == obj.status and invested is None and not note and not errors:
            errors["note"] = [_("Report a new status, the amount invested or a note.")]
        if errors:
            raise ValidationError(errors)
        before = {"status": obj.status, "invested": str(obj.invested)}
        fields = ["updated_at"]
        if status != obj.status:
            obj.status, obj.status_since = status, on
            fields += ["status", "status_since"]
            if status == Status.CONSTRUCTION and obj.construction_started_on is None:
                obj.construction_started_on = on
                fields.append("construction_started_on")
            if status == Status.OPERATING and obj.operation_started_on is None:
                obj.operation_started_on = on
                fields.append("operation_started_on")
        if invested is not None:
            obj.invested = invested
            fields.append("invested")
        obj.save(update_fields=fields)
        change = StatusChange.objects.create(
            project=obj,
            status_from=before["status"],
            status_to=status,
            on=on,
            note=note[:4000],
            invested=invested,
            recorded_by=_user(actor),
        )
        after = {"status": obj.status, "invested": str(obj.invested), "on": on.isoformat(), "note": note[:300]}
        _event(actor, obj, "progress", before=before, after=after)
    project.refresh_from_db()
    return change


def record_review(actor, project: OverseasProject, data: dict) -> Review:
    """The department's annual review (年度评估): its risk level becomes the project's."""
    scopes.require(actor, "cooperation.review", project)
    errors: dict[str, list[str]] = {}
    reviewed_on = _date(data.get("reviewed_on"), "reviewed_on", errors)
    if reviewed_on is None and "reviewed_on" not in errors:
        errors["reviewed_on"] = [_("Enter a date.")]
    elif reviewed_on is not None and reviewed_on > today():
        errors["reviewed_on"] = [_("The date cannot be in the future.")]
    try:
        year = int(data.get("year") or (reviewed_on.year if reviewed_on else 0))
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        errors["year"] = [_("Give the year under review.")]
    risk = _choice(data.get("risk_level"), "risk_level", [r.value for r in Risk], errors)
    if risk is None and "risk_level" not in errors:
        errors["risk_level"] = [_("This field is required.")]
    reviewer = str(data.get("reviewer") or "").strip()
    findings = str(data.get("findings") or "").strip()
    if not reviewer:
        errors["reviewer"] = [_("This field is required.")]
    if not findings:
        errors["findings"] = [_("This field is required.")]
    with transaction.atomic():
        obj = OverseasProject.objects.select_for_update().get(pk=project.pk)
        if obj.filing != Filing.FILED:
            errors["filing"] = [_("Only a filed project is reviewed.")]
        if year and obj.reviews.filter(year=year).exists():
            errors["year"] = [_("This project already has a review for %(y)s.") % {"y": year}]
        if errors:
            raise ValidationError(errors)
        review = Review.objects.create(
            project=obj,
            year=year,
            reviewed_on=reviewed_on,
            reviewer=reviewer[:120],
            risk_level=risk,
            findings=findings[:4000],
            recommendations=str(data.get("recommendations") or "").strip()[:4000],
            recorded_by=_user(actor),
        )
        before = {"risk_level": obj.risk_level}
        latest = obj.reviews.order_by("-year").first()
        if latest == review:
            obj.risk_level = risk
            obj.save(update_fields=["risk_level", "updated_at"])
        _event(actor, obj, "reviewed", before=before, after={"year": year, "risk_level": obj.risk_level})
    project.refresh_from_db()
    return review


def flag_project(actor, project: OverseasProject, flagged: bool, reason: str = "") -> OverseasProject:
    """The department marks a project for attention (with the reason) or clears the mark."""
    scopes.require(actor, "cooperation.review", project)
    reason = str(reason or "").strip()
    if flagged and not reason:
        raise ValidationError({"reason": [_("Say why the project needs attention.")]})
    with transaction.atomic():
        obj = OverseasProject.objects.select_for_update().get(pk=project.pk)
        if obj.flagged == flagged:
            raise ValidationError(
                {"flagged": [_("The project is already flagged.") if flagged else _("The project is not flagged.")]}
            )
        obj.flagged, obj.flag_reason = flagged, reason[:300] if flagged else ""
        obj.save(update_fields=["flagged", "flag_reason", "updated_at"])
        _event(
            actor,
            obj,
            "flagged" if flagged else "unflagged",
            before={"flagged": not flagged},
            after={"flagged": flagged},
            reason=reason,
        )
    project.refresh_from_db()
    return obj
