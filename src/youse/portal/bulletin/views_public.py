"""The public bulletin pages: no sign-in, published versions only (a draft, or a month without a
published bulletin, is 404). The document is semantic HTML with inline SVG charts: it reads without
JavaScript and on a phone."""

from itertools import groupby

from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from youse.core import scopes
from youse.portal.bulletin import render as rendering
from youse.portal.bulletin.views_review import DOCX_TYPE, download
from youse.portal.models import Bulletin, month_of


def _month(text: str):
    try:
        return month_of(text)
    except ValueError:
        raise Http404("not a month") from None


def _published(request: HttpRequest):
    # Drafts never appear here, whoever reads: staff review drafts on their own pages.
    return scopes.visible(request.user, Bulletin).published()


@require_GET
def bulletin_list(request: HttpRequest) -> HttpResponse:
    # The title is read out of the frozen data by the database (one query, whatever the number of months).
    heads = Bulletin.objects.current_published().defer("data").annotate(data_title=F("data__title"))
    current = list(heads.filter(pk__in=_published(request).values("pk")))
    years = [(year, list(items)) for year, items in groupby(current, key=lambda b: b.month.year)]
    return render(
        request, "portal/bulletin/public_list.html", {"years": years, "latest": current[0] if current else None}
    )


def _show(request: HttpRequest, bulletin: Bulletin) -> HttpResponse:
    versions = list(_published(request).filter(month=bulletin.month).defer("data").order_by("-version"))
    return render(
        request,
        "portal/bulletin/public_detail.html",
        {
            "bulletin": bulletin,
            "doc": rendering.document(bulletin),
            "versions": versions,
            "is_current": bool(versions) and versions[0].pk == bulletin.pk,
            "current": versions[0] if versions else bulletin,
        },
    )


@require_GET
def bulletin(request: HttpRequest, month: str) -> HttpResponse:
    found = _published(request).filter(month=_month(month)).order_by("-version").first()
    if found is None:
        raise Http404("no published bulletin for this month")
    return _show(request, found)


def _version(request: HttpRequest, month: str, version: int) -> Bulletin:
    found = _published(request).filter(month=_month(month), version=version).first()
    if found is None:
        raise Http404("no such published bulletin")
    return found


@require_GET
def bulletin_version(request: HttpRequest, month: str, version: int) -> HttpResponse:
    return _show(request, _version(request, month, version))


@require_GET
def bulletin_pdf(request: HttpRequest, month: str, version: int) -> HttpResponse:
    found = _version(request, month, version)
    response = download(rendering.pdf(found), "application/pdf", rendering.filename(found, "pdf"), attachment=True)
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def bulletin_docx(request: HttpRequest, month: str, version: int) -> HttpResponse:
    found = _version(request, month, version)
    response = download(rendering.docx(found), DOCX_TYPE, rendering.filename(found, "docx"), attachment=True)
    response["Cache-Control"] = "public, max-age=86400"
    return response
