"""Shared by the enforcement service modules: dates, audit events, numbering, evidence, case status."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.core import audit, uploads
from youse.core.models import AuditEvent
from youse.enforcement import rules
from youse.enforcement.models import Case, Evidence


def today() -> dt.date:
    return timezone.localdate()


def event(actor, obj: models.Model, name: str, *, before: dict | None = None, after: dict | None = None, reason=""):
    """A step's audit event; the verb travels in `after["event"]` so the case timeline reads as a story."""
    audit.record(
        actor, AuditEvent.Action.TRANSITION, obj, before=before, after={"event": name, **(after or {})}, reason=reason
    )


def next_code(prefix: str, model: type[models.Model], year: int | None = None) -> str:
    stem = f"{prefix}-{year or today().year}-"
    last = model.objects.filter(code__startswith=stem).order_by("-code").values_list("code", flat=True).first()
    n = int(last.rsplit("-", 1)[1]) + 1 if last and last.rsplit("-", 1)[1].isdigit() else 1
    return f"{stem}{n:04d}"


def user_or_none(actor):
    return actor if getattr(actor, "pk", None) else None


def check_dates(**dates) -> None:
    problems = rules.date_problems(today=today(), **dates)
    if problems:
        raise ValidationError({k: [v] for k, v in problems.items()})


def dimensions(values: Iterable[str] | None, field: str = "dimensions") -> list[str]:
    values = [str(v) for v in (values or [])]
    bad = sorted(set(values) - {d.value for d in rules.Dimension})
    if bad:
        raise ValidationError({field: [_("Unknown dimension: %(v)s") % {"v": ", ".join(bad)}]})
    if not values:
        raise ValidationError({field: [_("Choose at least one dimension.")]})
    return [d.value for d in rules.Dimension if d.value in values]


def checked_files(files: Iterable, field: str = "files") -> list[uploads.Accepted]:
    """Validate uploads before any write, so a refused file leaves nothing half-done."""
    return uploads.check_files(list(files or []), uploads.max_bytes(), field)


def attach(actor, case: Case, purpose: str, accepted: list[uploads.Accepted], **links) -> list[Evidence]:
    return uploads.store(Evidence, accepted, case=case, purpose=purpose, uploaded_by=user_or_none(actor), **links)


def set_case_status(actor, case: Case, status: rules.CaseStatus, reason: str = "") -> None:
    if case.status == status:
        return
    before = case.status
    case.status = status
    case.closed_at = timezone.now() if status == rules.CaseStatus.CLOSED else None
    case.save(update_fields=["status", "closed_at"])
    event(actor, case, "status", before={"status": before}, after={"status": status.value}, reason=reason)
