"""The monthly bulletin's state changes: draft, refresh the figures, write the commentary, publish, start
a correction, discard a draft. Each checks `bulletin.manage`, changes its rows in one transaction and
writes its audit event in the same one. The ticker drafts through `draft_for_tick` as the system actor."""

import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.core import audit, scopes
from youse.core.models import AuditEvent
from youse.portal.models import Bulletin, month_of
from youse.stats.models import MonthlyReport, ReportStatus
from youse.stats.rules import Period

SECTION_KEYS = ("production", "utilisation", "capacity_changes", "monitoring", "enforcement", "warnings")
OVERVIEW = "overview"
COMMENTARY_KEYS = (OVERVIEW, *SECTION_KEYS)
# Characters: the overview opens the document, a section's commentary is a paragraph or two.
MAX_OVERVIEW = 2000
MAX_SECTION = 1200
MAX_NOTE = 1000


def as_month(month: dt.date | str | Period) -> dt.date:
    """The first day of the month meant by a date, 'YYYY-MM' or a month Period."""
    if isinstance(month, Period):
        if month.kind != "month":
            raise ValueError(f"a bulletin covers one month, not a {month.kind}")
        return month.start
    if isinstance(month, str):
        return month_of(month)
    return month.replace(day=1)


def build_content(month: dt.date) -> dict:
    """The document's figures for `month` (bulletin/content.py), as plain JSON data."""
    from youse.portal.bulletin import content

    data = content.build(Period("month", month.year, month.month))
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def has_accepted_reports(month: dt.date) -> bool:
    return MonthlyReport.objects.filter(period=month, status=ReportStatus.ACCEPTED).exists()


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _event(actor, bulletin: Bulletin, name: str, *, action=AuditEvent.Action.TRANSITION, before=None, after=None):
    audit.record(actor, action, bulletin, before=before, after={"event": name, **(after or {})})


def _month_label(month: dt.date) -> str:
    return month.strftime("%Y-%m")


def _draft(actor, month: dt.date, at: dt.datetime | None = None) -> Bulletin:
    if not has_accepted_reports(month):
        raise ValidationError(
            {
                "month": [
                    _("No report for %(month)s has been accepted yet: there is nothing to report on.")
                    % {"month": _month_label(month)}
                ]
            }
        )
    with transaction.atomic():
        existing = Bulletin.objects.select_for_update().filter(month=month)
        if existing.drafts().exists():
            raise ValidationError(
                {"month": [_("%(month)s already has a draft: review it instead.") % {"month": _month_label(month)}]}
            )
        if existing.published().exists():
            raise ValidationError(
                {
                    "month": [
                        _("The bulletin for %(month)s is published: start a correction to change it.")
                        % {"month": _month_label(month)}
                    ]
                }
            )
        data = build_content(month)
        try:
            with transaction.atomic():
                bulletin = Bulletin.objects.create(
                    month=month,
                    version=1,
                    data=data,
                    commentary={},
                    drafted_at=at or timezone.now(),
                    drafted_by=_user(actor),
                )
        except IntegrityError:
            raise ValidationError(
                {"month": [_("%(month)s already has a draft: review it instead.") % {"month": _month_label(month)}]}
            ) from None
        _event(actor, bulletin, "drafted", action=AuditEvent.Action.CREATE, after={"month": _month_label(month)})
    return bulletin


def draft_bulletin(actor, month: dt.date | str | Period, *, at: dt.datetime | None = None) -> Bulletin:
    """Draft the bulletin of `month` from the figures as they stand (version 1). `at` (default now) is
    for building history (the demo)."""
    scopes.require(actor, "bulletin.manage")
    return _draft(actor, as_month(month), at)


def draft_for_tick(month: dt.date) -> Bulletin | None:
    """The ticker's draft (system actor); None when the month already has a bulletin."""
    month = as_month(month)
    if Bulletin.objects.filter(month=month).exists():
        return None
    try:
        return _draft(None, month)
    except ValidationError:
        return None


def _locked_draft(bulletin: Bulletin) -> Bulletin:
    fresh = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if not fresh.is_draft:
        raise ValidationError(_("This bulletin is published: it never changes. Start a correction instead."))
    return fresh


def refresh_draft(actor, bulletin: Bulletin) -> Bulletin:
    """Recompute a draft's figures (after reports were accepted or corrected); the commentary stays."""
    scopes.require(actor, "bulletin.manage", bulletin)
    with transaction.atomic():
        fresh = _locked_draft(bulletin)
        before = fresh.data.get("generated_at")
        fresh.data = build_content(fresh.month)
        fresh.save(update_fields=["data"])
        _event(
            actor,
            fresh,
            "refreshed",
            action=AuditEvent.Action.UPDATE,
            before={"generated_at": before},
            after={"generated_at": fresh.data.get("generated_at")},
        )
    return fresh


def edit_commentary(actor, bulletin: Bulletin, texts: dict[str, str]) -> Bulletin:
    """Set the commentary of some sections (`overview` opens the document); empty text removes it."""
    scopes.require(actor, "bulletin.manage", bulletin)
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for key, text in (texts or {}).items():
        if key not in COMMENTARY_KEYS:
            errors[key] = [_("There is no section %(key)s in the bulletin.") % {"key": key}]
            continue
        value = "\n".join(line.rstrip() for line in str(text or "").strip().splitlines())
        limit = MAX_OVERVIEW if key == OVERVIEW else MAX_SECTION
        if len(value) > limit:
            errors[key] = [_("At most %(n)s characters (this text has %(m)s).") % {"n": limit, "m": len(value)}]
        cleaned[key] = value
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        fresh = _locked_draft(bulletin)
        commentary = dict(fresh.commentary or {})
        before, after = {}, {}
        for key, value in cleaned.items():
            if commentary.get(key, "") == value:
                continue
            before[key], after[key] = commentary.get(key, ""), value
            if value:
                commentary[key] = value
            else:
                commentary.pop(key, None)
        if after:
            fresh.commentary = commentary
            fresh.save(update_fields=["commentary"])
            _event(actor, fresh, "commentary", action=AuditEvent.Action.UPDATE, before=before, after=after)
    return fresh


def publish_bulletin(actor, bulletin: Bulletin, *, at: dt.datetime | None = None) -> Bulletin:
    """Publish a draft: from now on it is the public's and never changes."""
    scopes.require(actor, "bulletin.manage", bulletin)
    with transaction.atomic():
        fresh = _locked_draft(bulletin)
        if not str((fresh.commentary or {}).get(OVERVIEW, "")).strip():
            raise ValidationError({OVERVIEW: [_("Write the overview (综述) before publishing.")]})
        if fresh.version > 1 and not fresh.correction_note.strip():
            raise ValidationError({"correction_note": [_("Say what the correction changes.")]})
        fresh.status = Bulletin.Status.PUBLISHED
        fresh.published_at = at or timezone.now()
        fresh.published_by = _user(actor)
        fresh.save(update_fields=["status", "published_at", "published_by"])
        _event(
            actor,
            fresh,
            "published",
            before={"status": Bulletin.Status.DRAFT},
            after={"status": Bulletin.Status.PUBLISHED, "version": fresh.version},
        )
    return fresh


def start_correction(actor, bulletin: Bulletin, note: str, *, at: dt.datetime | None = None) -> Bulletin:
    """Draft the next version of a published bulletin, with its data and commentary and the note saying
    what it corrects. The published version stays the month's current one until the correction is
    published."""
    scopes.require(actor, "bulletin.manage", bulletin)
    note = str(note or "").strip()
    if not note:
        raise ValidationError({"correction_note": [_("Say what the correction changes.")]})
    if len(note) > MAX_NOTE:
        raise ValidationError({"correction_note": [_("At most %(n)s characters.") % {"n": MAX_NOTE}]})
    with transaction.atomic():
        month_rows = Bulletin.objects.select_for_update().filter(month=bulletin.month)
        if not bulletin.is_published:
            raise ValidationError(_("Only a published bulletin is corrected; edit the draft instead."))
        if month_rows.drafts().exists():
            raise ValidationError(_("This month already has a draft: publish or discard it first."))
        newest = month_rows.aggregate(n=Max("version"))["n"]
        if bulletin.version != newest:
            raise ValidationError(_("Correct the newest version of the month (v%(n)s).") % {"n": newest})
        correction = Bulletin.objects.create(
            month=bulletin.month,
            version=newest + 1,
            data=bulletin.data,
            commentary=dict(bulletin.commentary or {}),
            drafted_at=at or timezone.now(),
            drafted_by=_user(actor),
            correction_note=note,
            corrects=bulletin,
        )
        _event(
            actor,
            correction,
            "correction",
            action=AuditEvent.Action.CREATE,
            after={"corrects": bulletin.pk, "version": correction.version, "note": note},
        )
    return correction


def discard_draft(actor, bulletin: Bulletin) -> None:
    """Throw a draft away (a correction's draft too: the published version stays as it was)."""
    scopes.require(actor, "bulletin.manage", bulletin)
    with transaction.atomic():
        fresh = _locked_draft(bulletin)
        audit.record(
            actor,
            AuditEvent.Action.DELETE,
            fresh,
            before={"month": fresh.month_key, "version": fresh.version, "commentary": fresh.commentary},
        )
        fresh.delete()


def current(month: dt.date) -> Bulletin | None:
    """The month's newest published version."""
    return Bulletin.objects.published().filter(month=month).order_by("-version").first()
