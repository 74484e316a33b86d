"""What the portal reads of the monthly bulletins and the credit support lists: published rows only.

A bulletin's figures are public once a service function published the bulletin (principle 7): the
portal's headline indicators, trend and open data come from the published bulletins' frozen data, never
from the live engine, so the public never sees a figure the department has not released."""

from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from youse.portal.models import Bulletin
from youse.stats import rules


def current_bulletins() -> list[Bulletin]:
    """Per month, the newest published version (a correction replaces the version it corrects), newest
    month first."""
    return list(Bulletin.objects.current_published())


def latest_bulletin() -> Bulletin | None:
    return Bulletin.objects.current_published().first()


def bulletin_summary(b: Bulletin) -> str:
    """One line for lists and the feed: the headline figures of the month."""
    parts = []
    for h in (b.data or {}).get("headline", [])[:4]:
        if h.get("value") is None:
            continue
        parts.append(f"{h.get('label', h.get('code'))} {h['value']}{h.get('unit', '')}")
    return " · ".join(parts)


def _decimal(text) -> Decimal | None:
    try:
        return None if text is None else Decimal(str(text))
    except InvalidOperation:
        return None


# Comparators as the engine names them (gte, ...) and as the bulletin writes them (>=, ...).
SIGNS = {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<", "rank_lte": "≤", ">=": "≥", "<=": "≤"}
STATUS = {
    rules.MET: (pgettext_lazy("target status", "met"), "success"),
    rules.ON_TRACK: (pgettext_lazy("target status", "on track"), "success"),
    rules.OFF_TRACK: (pgettext_lazy("target status", "off track"), "danger"),
    rules.MISSED: (pgettext_lazy("target status", "missed"), "danger"),
    rules.UNKNOWN: (pgettext_lazy("target status", "no data"), "secondary"),
}


def headline(b: Bulletin | None) -> list[dict]:
    """The latest bulletin's headline indicators with their targets, ready for cards."""
    if b is None:
        return []
    cards = []
    for h in b.data.get("headline", []):
        value, target = _decimal(h.get("value")), _decimal(h.get("target"))
        label, colour = STATUS.get(h.get("status") or rules.UNKNOWN, STATUS[rules.UNKNOWN])
        cards.append(
            {
                **h,
                "value_num": value,
                "target_num": target,
                "sign": SIGNS.get(h.get("comparator") or "", h.get("comparator") or ""),
                "status_label": label,
                "status_colour": colour,
            }
        )
    return cards


def by_city(b: Bulletin | None, code: str, period_kind: str = "ytd") -> list[dict]:
    """One indicator for every city in a bulletin (the year to date by default), largest first."""
    if b is None:
        return []
    rows = [
        {**r, "value_num": _decimal(r.get("value"))}
        for r in b.data.get("indicators", [])
        if r.get("indicator") == code
        and str(r.get("scope", "")).startswith("city:")
        and str(r.get("period", "")).endswith("-ytd") == (period_kind == "ytd")
    ]
    return sorted(rows, key=lambda r: (r["value_num"] is None, -(r["value_num"] or 0)))


def credit_items() -> list:
    """Published credit support lists (clause 三(五)) as portal items."""
    from django.db.models import Count, Q
    from django.urls import reverse

    from youse.credit.queries import public_editions
    from youse.portal.listing import CREDIT_LIST, PublicItem

    editions = public_editions().annotate(n_in=Count("entries", filter=Q(entries__included=True)))
    return [
        PublicItem(
            kind=CREDIT_LIST,
            title=e.title,
            url=reverse("credit_public:detail", args=[e.pk]),
            published=timezone.localtime(e.published_at).date(),
            summary=_("%(n)s enterprises included; document %(doc)s") % {"n": e.n_in, "doc": e.document or "—"},
            updated=e.published_at,
            uid=f"credit-{e.pk}",
        )
        for e in editions
    ]
