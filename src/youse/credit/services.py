"""Every change to the credit support list (DESIGN.md, principle 2): derive an edition, override an entry,
publish. Each checks `credit.manage`, runs in one transaction and writes its audit event there.

An edition is derived as of a date for a year. While it is a draft it may be derived again (the
department's overrides are kept) and its entries overridden with a written reason. Publishing makes it
final and supersedes the year's previously published edition; an enterprise leaves a published list only
through a new edition of the year, which starts from the previous edition's overrides."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.core import audit, scopes
from youse.core.models import AuditEvent
from youse.credit import facts as credit_facts
from youse.credit import rules
from youse.credit.models import Criterion, Edition, Entry


def default_title(year: int) -> str:
    return f"{year}年度有色金属行业信贷支持骨干企业名单"


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def active_criteria() -> list[Criterion]:
    return list(Criterion.objects.filter(active=True).order_by("order", "code"))


def _check(year: object, as_of: object) -> tuple[int, dt.date]:
    errors: dict[str, list[str]] = {}
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = None
    if year is None or not 2000 <= year <= 2100:
        errors["year"] = [_("Enter a year.")]
    if not isinstance(as_of, dt.date):
        errors["as_of"] = [_("Enter a date.")]
    elif as_of > timezone.localdate():
        errors["as_of"] = [_("The facts cannot be judged as of a day still to come.")]
    elif year is not None and as_of.year not in (year - 1, year):
        errors["as_of"] = [_("The facts' date falls in the list's year or the year before.")]
    if errors:
        raise ValidationError(errors)
    return year, as_of


def _entries(edition: Edition, criteria: list[Criterion], as_of: dt.date, overrides: dict) -> list[Entry]:
    candidates, _year = credit_facts.gather(as_of, [c.as_rule() for c in criteria])
    out = []
    for cand in candidates:
        results, failed = [], []
        for c in criteria:
            outcome = rules.evaluate(c.as_rule(), cand.facts, as_of)
            results.append(
                {"code": c.code, "label": c.label, "basis": c.basis, "passed": outcome.passed, "reason": outcome.reason}
            )
            if not outcome.passed:
                failed.append(c.code)
        derived = not failed
        entry = Entry(
            edition=edition,
            enterprise_id=cand.enterprise_id,
            name=cand.name,
            credit_code=cand.credit_code,
            city_id=cand.city_id,
            metal_id=cand.metal_id,
            derived_included=derived,
            included=derived,
            results=results,
            facts=credit_facts.as_json(cand.facts, as_of),
            failed="," + ",".join(failed) + "," if failed else "",
        )
        kept = overrides.get(cand.enterprise_id)
        if kept is not None:
            entry.override_included, entry.override_reason, entry.overridden_by_id, entry.overridden_at = kept
            entry.included = entry.override_included
        out.append(entry)
    return out


def derive_edition(actor, *, year: int, as_of: dt.date, title: str = "", note: str = "", reason: str = "") -> Edition:
    """Derive the year's list as of `as_of`: a new draft edition, or the year's draft derived again.

    A new edition after a published one carries its overrides (with their reasons), so that withdrawing
    one enterprise does not silently undo the department's other decisions."""
    scopes.require(actor, "credit.manage")
    year, as_of = _check(year, as_of)
    criteria = active_criteria()
    if not criteria:
        raise ValidationError({"criteria": [_("No active criterion: add the criteria in the admin first.")]})
    broken = [f"{c.code}: {p}" for c in criteria for p in rules.check_params(c.kind, c.params)]
    if broken:
        raise ValidationError({"criteria": broken})
    title = (title or "").strip()[:160] or default_title(year)
    with transaction.atomic():
        draft = Edition.objects.select_for_update().filter(year=year, status=Edition.Status.DRAFT).first()
        if draft is not None:
            source = draft
            edition, created = draft, False
        else:
            source = Edition.objects.filter(year=year).order_by("-number").first()
            number = (Edition.objects.filter(year=year).aggregate(n=Max("number"))["n"] or 0) + 1
            edition, created = Edition(year=year, number=number), True
        overrides = {}
        if source is not None:
            for e in source.entries.filter(override_included__isnull=False):
                kept = (e.override_included, e.override_reason, e.overridden_by_id, e.overridden_at)
                overrides[e.enterprise_id] = kept
        before = None if created else {"as_of": edition.as_of.isoformat(), "entries": edition.entries.count()}
        edition.title, edition.as_of, edition.note = title, as_of, (note or "").strip()
        edition.derived_at, edition.derived_by = timezone.now(), _user(actor)
        edition.criteria = [
            {"code": c.code, "kind": c.kind, "params": c.params, "label": c.label, "basis": c.basis} for c in criteria
        ]
        edition.save()
        if not created:
            edition.entries.all().delete()
        entries = Entry.objects.bulk_create(_entries(edition, criteria, as_of, overrides))
        audit.record(
            actor,
            AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            edition,
            before=before,
            after={
                "event": "derived" if created else "rederived",
                "as_of": as_of.isoformat(),
                "entries": len(entries),
                "included_count": sum(1 for e in entries if e.included),
                "criteria": [c.code for c in criteria],
            },
            reason=reason,
        )
    return edition


def override_entry(actor, entry: Entry, *, included: bool | None, reason: str) -> Entry:
    """Include or exclude an entry against its derived result, with the reason (None: back to the rules)."""
    scopes.require(actor, "credit.manage", entry)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the derived result is overridden.")]})
    if included is not None and not isinstance(included, bool):
        raise ValidationError({"included": [_("Choose include or exclude.")]})
    with transaction.atomic():
        obj = Entry.objects.select_for_update().select_related("edition").get(pk=entry.pk)
        if obj.edition.is_final:
            raise ValidationError(
                {"edition": [_("This edition is published and final: derive a new edition to change it.")]}
            )
        if included is None and obj.override_included is None:
            raise ValidationError({"included": [_("This entry has no override to remove.")]})
        if included is not None and included == obj.derived_included and obj.override_included is None:
            raise ValidationError({"included": [_("The rules already give this result: nothing to override.")]})
        before = {"included": obj.included, "override_included": obj.override_included}
        obj.override_included = included
        obj.override_reason = reason if included is not None else ""
        obj.overridden_by = _user(actor) if included is not None else None
        obj.overridden_at = timezone.now() if included is not None else None
        obj.included = obj.derived_included if included is None else included
        obj.save()
        audit.record(
            actor,
            AuditEvent.Action.UPDATE,
            obj,
            before=before,
            after={
                "event": "overridden" if included is not None else "override_cleared",
                "included": obj.included,
                "override_included": obj.override_included,
            },
            reason=reason,
        )
    entry.refresh_from_db()
    return entry


def publish_edition(actor, edition: Edition, *, document: str, reason: str = "") -> Edition:
    """Publish a draft edition under its document number; the year's published edition is superseded."""
    scopes.require(actor, "credit.manage")
    document = (document or "").strip()
    if not document:
        raise ValidationError({"document": [_("Cite the publication document (文号).")]})
    if len(document) > 120:
        raise ValidationError({"document": [_("At most 120 characters.")]})
    with transaction.atomic():
        obj = Edition.objects.select_for_update().get(pk=edition.pk)
        if obj.status != Edition.Status.DRAFT:
            raise ValidationError({"status": [_("This edition is already published.")]})
        if not obj.entries.exists():
            raise ValidationError({"status": [_("An empty edition cannot be published.")]})
        previous = Edition.objects.select_for_update().filter(year=obj.year, status=Edition.Status.PUBLISHED).first()
        if previous is not None:
            previous.status = Edition.Status.SUPERSEDED
            previous.save(update_fields=["status"])
            audit.record(
                actor,
                AuditEvent.Action.TRANSITION,
                previous,
                before={"status": "published"},
                after={"event": "superseded", "status": "superseded", "superseded_by": str(obj)},
                reason=reason,
            )
            obj.supersedes = previous
        obj.status, obj.document = Edition.Status.PUBLISHED, document
        obj.published_at, obj.published_by = timezone.now(), _user(actor)
        obj.save()
        audit.record(
            actor,
            AuditEvent.Action.TRANSITION,
            obj,
            before={"status": "draft"},
            after={
                "event": "published",
                "status": obj.status,
                "document": document,
                "included_count": obj.entries.filter(included=True).count(),
            },
            reason=reason,
        )
    edition.refresh_from_db()
    return edition
