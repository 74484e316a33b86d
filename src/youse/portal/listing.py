"""Everything the public may read, as one list: capacity replacement notices (公示) and results (公告),
enforcement announcements, monthly bulletins and credit support lists.

Each source is read through its own module's published queryset (principle 7: public means published);
nothing here widens it by the visitor's identity, so a signed-in official sees what the public sees. Each
item links to its module's permanent page: the portal gathers, it does not keep copies."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Kinds of public item, in the order the filter offers them.
NOTICE = "notice"
CAPACITY_RESULT = "capacity_result"
ANNOUNCEMENT = "announcement"
BULLETIN = "bulletin"
CREDIT_LIST = "credit_list"
KINDS = (
    (NOTICE, _("Public notice (公示)")),
    (CAPACITY_RESULT, _("Capacity replacement result (公告)")),
    (ANNOUNCEMENT, _("Enforcement announcement (公告)")),
    (BULLETIN, _("Monthly bulletin")),
    (CREDIT_LIST, _("Credit support list")),
)
KIND_LABELS = dict(KINDS)


@dataclass
class PublicItem:
    kind: str
    title: str
    url: str
    published: dt.date
    summary: str = ""
    cities: dict[str, str] = field(default_factory=dict)  # GB/T 2260 code -> name
    metals: dict[str, str] = field(default_factory=dict)  # metal code -> name
    closes_on: dt.date | None = None  # a notice's last day
    open: bool = False  # a notice that takes objections today
    corrected: bool = False
    updated: dt.datetime | None = None
    uid: str = ""  # stable identity, for the feed

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    metal: str = ""
    city: str = ""
    since: dt.date | None = None
    until: dt.date | None = None

    def keep(self, item: PublicItem) -> bool:
        return (
            (not self.kind or item.kind == self.kind)
            and (not self.metal or self.metal in item.metals)
            and (not self.city or self.city in item.cities)
            and (self.since is None or item.published >= self.since)
            and (self.until is None or item.published <= self.until)
        )


def _local(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment else None


def _city(division) -> dict[str, str]:
    city = getattr(division, "prefecture", None) or division
    return {city.code: city.display_name} if city is not None and city.code else {}


def capacity_items(today: dt.date) -> list[PublicItem]:
    from youse.capacity.services import notice_open
    from youse.capacity.views_public import published
    from youse.core.models import Metal

    aluminium = Metal.objects.filter(code="Al").first()
    metals = {aluminium.code: aluminium.name} if aluminium else {}
    items = []
    for s in published():
        announced = s.announced_at is not None
        url = reverse("capacity_public:scheme", kwargs={"code": s.code})
        summary = f"{s.applicant.name} · {s.site} · {s.capacity_t:,} t/a"
        items.append(
            PublicItem(
                kind=NOTICE,
                title=f"{s.code} {s.title}",
                url=url,
                published=_local(s.published_at),
                summary=summary,
                cities=_city(s.division),
                metals=metals,
                closes_on=s.notice_end,
                open=notice_open(s, today),
                updated=s.published_at,
                uid=f"capacity-notice-{s.code}",
            )
        )
        if announced:
            items.append(
                PublicItem(
                    kind=CAPACITY_RESULT,
                    title=f"{s.code} {s.title}",
                    url=url,
                    published=_local(s.announced_at),
                    summary=f"{summary} · {s.announcement_document}",
                    cities=_city(s.division),
                    metals=metals,
                    updated=s.announced_at,
                    uid=f"capacity-result-{s.code}",
                )
            )
    return items


def enforcement_items() -> list[PublicItem]:
    from youse.enforcement.views_public import published

    anns = published().select_related("closure__case__city__prefecture", "closure__case__enterprise", "campaign")
    anns = anns.prefetch_related("closure__units__metal", "campaign__metals", "campaign__cities__prefecture")
    items = []
    for a in anns:
        versions = a.published_versions
        if not versions:
            continue
        latest = versions[-1]
        cities: dict[str, str] = {}
        metals: dict[str, str] = {}
        if a.closure_id:
            cities = _city(a.closure.case.city)
            metals = {u.metal.code: u.metal.name for u in a.closure.units.all()}
        elif a.campaign_id:
            metals = {m.code: m.name for m in a.campaign.metals.all()}
            for c in a.campaign.cities.all():
                cities.update(_city(c))
        items.append(
            PublicItem(
                kind=ANNOUNCEMENT,
                title=latest.title,
                url=reverse("enforcement_public:detail", kwargs={"pk": a.pk}),
                published=_local(a.published_at),
                summary=latest.body[:160],
                cities=cities,
                metals=metals,
                corrected=latest.number > 1,
                updated=latest.published_at,
                uid=f"enforcement-{a.pk}",
            )
        )
    return items


def bulletin_items() -> list[PublicItem]:
    from youse.portal import published

    items = []
    for b in published.current_bulletin_heads():
        items.append(
            PublicItem(
                kind=BULLETIN,
                title=b.data_title or str(b),
                url=b.get_absolute_url(),
                published=_local(b.published_at),
                summary=published.bulletin_summary(b.data_headline),
                corrected=b.version > 1,
                updated=b.published_at,
                uid=f"bulletin-{b.month:%Y-%m}",
            )
        )
    return items


def credit_items() -> list[PublicItem]:
    """Published credit support lists (clause 三(五))."""
    from django.db.models import Count, Q

    from youse.credit.queries import public_editions

    editions = public_editions().annotate(n_in=Count("entries", filter=Q(entries__included=True)))
    return [
        PublicItem(
            kind=CREDIT_LIST,
            title=e.title,
            url=reverse("credit_public:detail", args=[e.pk]),
            published=_local(e.published_at),
            summary=_("%(n)s enterprises included; document %(doc)s") % {"n": e.n_in, "doc": e.document or "—"},
            updated=e.published_at,
            uid=f"credit-{e.pk}",
        )
        for e in editions
    ]


def gather(filters: Filters = Filters(), today: dt.date | None = None) -> list[PublicItem]:
    """Every public item that passes the filters, newest first."""
    today = today or timezone.localdate()
    sources: Iterable[list[PublicItem]] = (
        capacity_items(today),
        enforcement_items(),
        bulletin_items(),
        credit_items(),
    )
    items = [item for source in sources for item in source if filters.keep(item)]
    items.sort(key=lambda i: (i.published, i.updated or timezone.now()), reverse=True)
    return items


def open_notices(items: list[PublicItem]) -> list[PublicItem]:
    """The notices among `items` that take objections today, closing soonest first."""
    found = [i for i in items if i.kind == NOTICE and i.open]
    return sorted(found, key=lambda i: (i.closes_on or i.published, i.title))
