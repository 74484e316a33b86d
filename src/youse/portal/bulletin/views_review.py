"""The department's bulletin pages: the months with their bulletin's state, and the review page where a
draft's commentary is written inline, its figures refreshed, and it is published (a few clicks)."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youse.core import scopes
from youse.core.pages import messages_of, page_of, requires
from youse.portal.bulletin import render as rendering
from youse.portal.bulletin import services
from youse.portal.bulletin.forms import CorrectionForm, DraftForm
from youse.portal.models import Bulletin
from youse.stats.models import MonthlyReport, ReportStatus
from youse.stats.warnings import last_due_month

MONTHS_PER_PAGE = 24


def _months(user) -> list[dict]:
    """Every month with accepted reports or a bulletin, newest first, with its bulletins' state."""
    accepted = dict(
        MonthlyReport.objects.filter(status=ReportStatus.ACCEPTED)
        .values("period")
        .annotate(n=Count("pk"))
        .values_list("period", "n")
    )
    bulletins: dict[dt.date, list[Bulletin]] = {}
    for b in scopes.visible(user, Bulletin).defer("data").order_by("-month", "-version"):
        bulletins.setdefault(b.month, []).append(b)
    rows = []
    for month in sorted(set(accepted) | set(bulletins), reverse=True):
        versions = bulletins.get(month, [])
        rows.append(
            {
                "month": month,
                "key": month.strftime("%Y-%m"),
                "accepted": accepted.get(month, 0),
                "draft": next((b for b in versions if b.is_draft), None),
                "published": next((b for b in versions if b.is_published), None),
            }
        )
    return rows


@requires("bulletin.view")
def month_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    due = last_due_month(timezone.localdate()).start
    return render(
        request,
        "portal/bulletin/review_list.html",
        {
            "page": page_of(request, _months(user), MONTHS_PER_PAGE),
            "due_month": due,
            "due_bulletin": scopes.visible(user, Bulletin).filter(month=due).order_by("-version").first(),
            "can_manage": scopes.can(user, "bulletin.manage"),
            "form": DraftForm(),
        },
    )


@requires("bulletin.manage")
@require_POST
def draft(request: HttpRequest) -> HttpResponse:
    form = DraftForm(request.POST)
    if not form.is_valid():
        for message in messages_of(ValidationError(form.errors)):
            messages.error(request, message)
        return redirect("bulletins:list")
    try:
        bulletin = services.draft_bulletin(request.user, form.cleaned_data["month"])
    except (ValidationError, ValueError) as exc:
        for message in messages_of(exc) if isinstance(exc, ValidationError) else [str(exc)]:
            messages.error(request, message)
        return redirect("bulletins:list")
    messages.success(request, _("Drafted. Write the overview and publish when ready."))
    return redirect("bulletins:review", pk=bulletin.pk)


def _get(request: HttpRequest, pk: int) -> Bulletin:
    return scopes.get_visible_or_404(request.user, Bulletin, pk=pk)


@requires("bulletin.view")
def review(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _get(request, pk)
    return _review(request, bulletin)


def _review(request: HttpRequest, bulletin: Bulletin, *, correction_form=None, status: int = 200) -> HttpResponse:
    user = request.user
    can_manage = scopes.can(user, "bulletin.manage")
    versions = list(scopes.visible(user, Bulletin).filter(month=bulletin.month).defer("data").order_by("-version"))
    newest_published = next((v for v in versions if v.is_published), None)
    return render(
        request,
        "portal/bulletin/review.html",
        {
            "bulletin": bulletin,
            "doc": rendering.document(bulletin),
            "editable": bulletin.is_draft and can_manage,
            "can_manage": can_manage,
            "versions": versions,
            "can_correct": can_manage
            and bulletin.is_published
            and bulletin == newest_published
            and not any(v.is_draft for v in versions),
            "correction_form": correction_form or CorrectionForm(),
            "public_url": bulletin.get_absolute_url() if bulletin.is_published else None,
        },
        status=status,
    )


@requires("bulletin.manage")
@require_POST
def commentary(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _get(request, pk)
    key = request.POST.get("key", "")
    text = request.POST.get("text", "")
    error = ""
    try:
        bulletin = services.edit_commentary(request.user, bulletin, {key: text})
    except ValidationError as exc:
        error = " ".join(messages_of(exc))
    if request.headers.get("HX-Request"):
        limit = services.MAX_OVERVIEW if key == services.OVERVIEW else services.MAX_SECTION
        return render(
            request,
            "portal/bulletin/_commentary.html",
            {
                "key": key,
                "text": text if error else (bulletin.commentary or {}).get(key, ""),
                "bulletin": bulletin,
                "editable": True,
                "limit": limit,
                "error": error,
                "saved": not error,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Text saved."))
    return redirect(f"{bulletin.get_absolute_url()}#commentary-{key}")


def _act(request: HttpRequest, pk: int, action, success: str) -> HttpResponse:
    bulletin = _get(request, pk)
    try:
        result = action(request.user, bulletin)
    except ValidationError as exc:
        for message in messages_of(exc):
            messages.error(request, message)
        return redirect("bulletins:review", pk=bulletin.pk)
    messages.success(request, success)
    return redirect("bulletins:review", pk=(result or bulletin).pk)


@requires("bulletin.manage")
@require_POST
def refresh(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.refresh_draft, _("Figures recomputed from the reports as they stand."))


@requires("bulletin.manage")
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.publish_bulletin, _("Published. The public page shows it now."))


@requires("bulletin.manage")
@require_POST
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _get(request, pk)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            correction = services.start_correction(request.user, bulletin, form.cleaned_data["note"])
        except ValidationError as exc:
            for message in messages_of(exc):
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Correction drafted as version %(n)s: the published version stays until you publish it.")
                % {"n": correction.version},
            )
            return redirect("bulletins:review", pk=correction.pk)
    return _review(request, bulletin, correction_form=form, status=400)


@requires("bulletin.manage")
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _get(request, pk)
    try:
        services.discard_draft(request.user, bulletin)
    except ValidationError as exc:
        for message in messages_of(exc):
            messages.error(request, message)
        return redirect("bulletins:review", pk=bulletin.pk)
    messages.success(request, _("Draft discarded."))
    return redirect("bulletins:list")


def download(content: bytes, content_type: str, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(attachment, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@requires("bulletin.view")
def preview_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _get(request, pk)
    response = download(
        rendering.pdf(bulletin), "application/pdf", rendering.filename(bulletin, "pdf"), attachment=False
    )
    response["Cache-Control"] = "private, no-store"
    return response


@requires("bulletin.view")
def preview_docx(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _get(request, pk)
    response = download(rendering.docx(bulletin), DOCX_TYPE, rendering.filename(bulletin, "docx"), attachment=True)
    response["Cache-Control"] = "private, no-store"
    return response
