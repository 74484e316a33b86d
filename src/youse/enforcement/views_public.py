"""Public pages of enforcement announcements (公告): closure decisions, rectification lists and survey
results, as published by the department (principle 7).

Anyone may read these pages and they show the same to everyone: only announcements a service function
published, each with the text of its latest published version (never the working draft), the corrections
made since the first publication, and every earlier version at its own address."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from youse.enforcement.models import Announcement, AnnouncementVersion

PAGE_SIZE = 50


def published() -> QuerySet[Announcement]:
    """Published announcements with their versions, oldest first; the visitor's own scope never widens this."""
    return Announcement.objects.filter(published_at__isnull=False).prefetch_related(
        Prefetch("versions", queryset=AnnouncementVersion.objects.order_by("number"), to_attr="published_versions")
    )


def _with_latest(ann: Announcement) -> Announcement:
    if not ann.published_versions:  # published_at is set in the same transaction as version 1
        raise Http404("No published version.")
    ann.latest = ann.published_versions[-1]
    ann.corrections = [v for v in ann.published_versions if v.number > 1]
    return ann


def index(request: HttpRequest) -> HttpResponse:
    kinds = Announcement.Kind
    kind = request.GET.get("kind", "")
    qs = published().order_by("-published_at", "-pk")
    if kind in kinds.values:
        qs = qs.filter(kind=kind)
    else:
        kind = ""
    rows = [_with_latest(a) for a in qs[:PAGE_SIZE] if a.published_versions]
    context = {"rows": rows, "kind": kind, "kinds": [("", _("All"))] + list(kinds.choices)}
    return render(request, "enforcement/public/index.html", context)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    ann = _with_latest(get_object_or_404(published(), pk=pk))
    context = {"ann": ann, "version": ann.latest, "current": True, "versions": ann.published_versions}
    return render(request, "enforcement/public/announcement.html", context)


def version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    ann = _with_latest(get_object_or_404(published(), pk=pk))
    found = next((v for v in ann.published_versions if v.number == number), None)
    if found is None:
        raise Http404("No such version.")
    if found.number == ann.latest.number:
        return redirect("enforcement_public:detail", pk=ann.pk)
    context = {"ann": ann, "version": found, "current": False, "versions": ann.published_versions}
    return render(request, "enforcement/public/announcement.html", context)


class AnnouncementFeed(Feed):
    """Atom feed of published announcements, the latest version's text, newest first."""

    feed_type = Atom1Feed

    def title(self) -> str:
        return f"{settings.YOUSE_PROVINCE_NAME} " + _("Nonferrous metals enforcement: announcements")

    def subtitle(self) -> str:
        return _("Closure decisions, rectification lists and survey results (公告), with their corrections.")

    def link(self) -> str:
        return reverse("enforcement_public:index")

    def items(self):
        return [_with_latest(a) for a in published().order_by("-published_at", "-pk")[:50] if a.published_versions]

    def item_title(self, item: Announcement) -> str:
        title = f"[{item.get_kind_display()}] {item.latest.title}"
        if item.latest.number > 1:
            title += " " + _("(corrected, version %(n)s)") % {"n": item.latest.number}
        return title

    def item_description(self, item: Announcement) -> str:
        text = item.latest.body
        if item.latest.correction_note:
            text = _("Corrected: %(note)s") % {"note": item.latest.correction_note} + "\n\n" + text
        return text

    def item_link(self, item: Announcement) -> str:
        return reverse("enforcement_public:detail", kwargs={"pk": item.pk})

    def item_guid(self, item: Announcement) -> str:
        # A correction is a new entry for readers: the guid carries the version.
        return f"{self.item_link(item)}v{item.latest.number}/"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Announcement):
        return item.published_at

    def item_updateddate(self, item: Announcement):
        return item.latest.published_at
