"""Public announcements (公告) of closures, rectification lists and survey results: generated from the
case or campaign, edited as a draft, published by an audited act. A published text never changes: a
correction is published as the next version, with what was corrected."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.core import audit, scopes
from youse.core.models import AuditEvent
from youse.enforcement import rules
from youse.enforcement.models import Announcement, AnnouncementVersion, Campaign, Case, Closure, RectificationOrder
from youse.enforcement.rules import CaseStatus, ClosureState, OrderState
from youse.enforcement.services.common import event, user_or_none


def _campaign_counts(campaign: Campaign) -> dict[str, int]:
    cases = Case.objects.filter(campaign=campaign)
    inspected = cases.exclude(status=CaseStatus.PLANNED).count()
    return {
        "inspected": inspected,
        "passed": cases.filter(status=CaseStatus.PASSED).count()
        + cases.filter(status=CaseStatus.CLOSED, closure__isnull=True).count(),
        "rectifying": cases.filter(orders__isnull=False).distinct().count(),
        "closing": cases.filter(closure__state__in=[ClosureState.DECIDED, ClosureState.EXECUTED]).count(),
    }


def draft_announcement(
    actor, kind: str, *, closure: Closure | None = None, campaign: Campaign | None = None
) -> Announcement:
    """A draft with its text generated from the data; the department edits it before publishing."""
    scopes.require(actor, "enforcement.publish")
    province = settings.YOUSE_PROVINCE_NAME
    if kind == Announcement.Kind.CLOSURE:
        if closure is None or closure.state not in (ClosureState.DECIDED, ClosureState.EXECUTED):
            raise ValidationError({"closure": [_("Only a decided closure is announced.")]})
        units = [str(u.name) for u in closure.units.all()]
        title, body = rules.closure_announcement(
            closure.case.enterprise.name, units, closure.basis, closure.document, closure.effective_on, province
        )
    elif kind == Announcement.Kind.RECTIFICATION_LIST:
        if campaign is None:
            raise ValidationError({"campaign": [_("Name the campaign.")]})
        orders = (
            # Orders still to be answered: a rectified order is done, a failed one has become a closure case.
            RectificationOrder.objects.filter(
                case__campaign=campaign, state__in=[OrderState.ISSUED, OrderState.IN_PROGRESS, OrderState.SUBMITTED]
            )
            .select_related("case__enterprise", "case__city")
            .order_by("case__city__code", "case__enterprise__name")
        )
        rows = [(o.case.enterprise.name, str(o.case.city), o.deadline) for o in orders]
        if not rows:
            raise ValidationError({"campaign": [_("No enterprise of this campaign is under a rectification order.")]})
        title, body = rules.rectification_list_announcement(campaign.name, rows)
    elif kind == Announcement.Kind.SURVEY_RESULT:
        if campaign is None:
            raise ValidationError({"campaign": [_("Name the campaign.")]})
        title, body = rules.survey_result_announcement(campaign.name, _campaign_counts(campaign))
    else:
        raise ValidationError({"kind": [_("Unknown kind of announcement.")]})
    with transaction.atomic():
        ann = Announcement.objects.create(
            kind=kind, closure=closure, campaign=campaign, title=title[:200], body=body, created_by=user_or_none(actor)
        )
        audit.record(actor, AuditEvent.Action.CREATE, ann, after={"kind": kind, "title": ann.title})
    return ann


def edit_announcement(actor, ann: Announcement, *, title: str, body: str) -> Announcement:
    """Edit the working text. Published versions are untouched; publish again to issue a correction."""
    scopes.require(actor, "enforcement.publish")
    if not title.strip() or not body.strip():
        raise ValidationError({"title" if not title.strip() else "body": [_("This field is required.")]})
    with transaction.atomic():
        obj = Announcement.objects.select_for_update().get(pk=ann.pk)
        before = {"title": obj.title, "body": obj.body}
        obj.title, obj.body = title.strip()[:200], body.strip()
        obj.save(update_fields=["title", "body"])
        audit.record(actor, AuditEvent.Action.UPDATE, obj, before=before, after={"title": obj.title, "body": obj.body})
    ann.refresh_from_db()
    return ann


def publish_announcement(actor, ann: Announcement, *, correction_note: str = "") -> AnnouncementVersion:
    """Publish the working text as the next version. The first publication needs no note; a correction
    must say what it corrects, and must change something."""
    scopes.require(actor, "enforcement.publish")
    with transaction.atomic():
        obj = Announcement.objects.select_for_update().get(pk=ann.pk)
        last = obj.versions.order_by("-number").first()
        if last is not None:
            if not correction_note.strip():
                raise ValidationError({"correction_note": [_("A correction must say what it corrects.")]})
            if (last.title, last.body) == (obj.title, obj.body):
                raise ValidationError({"body": [_("The text is the same as the published version.")]})
        number = (obj.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        now = timezone.now()
        version = AnnouncementVersion.objects.create(
            announcement=obj,
            number=number,
            title=obj.title,
            body=obj.body,
            correction_note=correction_note.strip(),
            published_at=now,
            published_by=user_or_none(actor),
        )
        if obj.published_at is None:
            obj.published_at = now
            obj.save(update_fields=["published_at"])
        event(actor, obj, "published", after={"version": number, "title": obj.title}, reason=correction_note)
    ann.refresh_from_db()
    return version
