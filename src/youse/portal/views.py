"""The public portal (mounted at /public/; the home page is also what "/" shows a visitor who is not
signed in): the policy in brief with its published headline figures, the latest bulletin, notices open
for objections, every announcement with filters and a feed, and open data.

Every page here shows the same to everyone: published rows only (principle 7), read through
portal/listing.py, portal/published.py and portal/opendata.py."""

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from youse.core.models import Division, IndustrialBase, Metal, PolicyClause, PolicyTarget
from youse.core.pages import page_of
from youse.portal import listing, opendata, published
from youse.stats.models import Indicator

HOME_ITEMS = 8


def home(request: HttpRequest) -> HttpResponse:
    latest = published.latest_bulletin()
    by_city = published.by_city(latest, Indicator.VALUE_ADDED)
    items = listing.gather()  # one pass over every source: the notices open now are among them
    context = {
        "latest": latest,
        "headline": published.headline(latest),
        "notices": listing.open_notices(items),
        "recent": items[:HOME_ITEMS],
        "by_city": by_city,
        "map": {
            "regions": [
                {"code": r["scope"].removeprefix("city:"), "name": r["scope_label"], "value": r["value"]}
                for r in by_city
                if r["value"] is not None
            ]
        },
        "targets": PolicyTarget.objects.select_related("clause"),
        "bases": IndustrialBase.objects.prefetch_related("metals", "divisions"),
        "clauses": PolicyClause.objects.all(),
    }
    return render(request, "portal/home.html", context)


class FilterForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    metal = forms.ChoiceField(label=gettext_lazy("Metal"), required=False)
    city = forms.ChoiceField(label=gettext_lazy("City"), required=False)
    since = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["kind"].choices = every + [(k, str(label)) for k, label in listing.KINDS]
        self.fields["metal"].choices = every + [(m.code, m.name) for m in Metal.objects.filter(policy_metal=True)]
        cities = Division.objects.filter(level=Division.Level.CITY).exclude(code="").order_by("order", "code")
        self.fields["city"].choices = every + [(d.code, d.display_name) for d in cities]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def filters(self) -> listing.Filters:
        data = self.cleaned_data if self.is_valid() else {}
        return listing.Filters(
            kind=data.get("kind", ""),
            metal=data.get("metal", ""),
            city=data.get("city", ""),
            since=data.get("since"),
            until=data.get("until"),
        )


def announcements(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    items = listing.gather(form.filters())
    context = {"form": form, "page": page_of(request, items), "count": len(items)}
    return render(request, "portal/announcements.html", context)


class PortalFeed(Feed):
    """Atom feed of everything published: notices, results, announcements, bulletins and credit lists.
    The same filters as the list apply (?kind=notice&city=610800...)."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args, **kwargs) -> listing.Filters:
        return FilterForm(request.GET or None).filters()

    def title(self) -> str:
        return f"{settings.YOUSE_PROVINCE_NAME} " + _("Nonferrous metals: notices and announcements")

    def subtitle(self) -> str:
        return _("Public notices, announcements, monthly bulletins and lists published by the department.")

    def link(self) -> str:
        return reverse("portal:announcements")

    def items(self, filters: listing.Filters) -> list[listing.PublicItem]:
        return listing.gather(filters)[:100]

    def item_title(self, item: listing.PublicItem) -> str:
        title = f"[{item.kind_label}] {item.title}"
        if item.corrected:
            title += " " + _("(corrected)")
        return title

    def item_description(self, item: listing.PublicItem) -> str:
        parts = [item.summary]
        if item.closes_on:
            parts.append(_("Notice until %(day)s") % {"day": item.closes_on.isoformat()})
        return " · ".join(p for p in parts if p)

    def item_link(self, item: listing.PublicItem) -> str:
        return item.url

    def item_guid(self, item: listing.PublicItem) -> str:
        return f"tag:youse,{item.published:%Y}:{item.uid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: listing.PublicItem) -> dt.datetime:
        return item.updated or timezone.make_aware(dt.datetime.combine(item.published, dt.time()))

    def item_updateddate(self, item: listing.PublicItem) -> dt.datetime:
        return self.item_pubdate(item)


def open_data(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/open_data.html", {"datasets": opendata.catalogue()})


def dictionary(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/dictionary.html", {"datasets": opendata.catalogue()})


def _month(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise Http404(_("Not a month: %(text)s (use YYYY-MM)") % {"text": text}) from None


@require_GET
def download(request: HttpRequest, key: str, extension: str) -> HttpResponse:
    ds = opendata.get(key, bulletin=_month(request.GET.get("bulletin")))
    if ds is None:
        raise Http404(_("No such dataset."))
    if extension == "csv":
        content_type = "text/csv; charset=utf-8"
    else:
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(opendata.file(ds, extension), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{ds.filename(extension)}"'
    response["X-Dataset-Version"] = ds.version
    return response
