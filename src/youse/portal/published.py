"""What the portal reads of the monthly bulletins and the credit support lists: published rows only.

A bulletin's figures are public once a service function published the bulletin (principle 7): the
portal's headline indicators, trend and open data come from the published bulletins' frozen data, never
from the live engine, so the public never sees a figure the department has not released."""

from decimal import Decimal, InvalidOperation

from django.db.models import F
from django.utils.translation import pgettext_lazy

from youse.portal.bulletin.render import SIGNS
from youse.portal.models import Bulletin
from youse.stats import rules


def current_bulletins() -> list[Bulletin]:
    """Per month, the newest published version (a correction replaces the version it corrects), newest
    month first."""
    return list(Bulletin.objects.current_published())


def current_bulletin_heads() -> list[Bulletin]:
    """The current bulletins for lists and feeds: each with its `data_title` and `data_headline` read out of
    the frozen data by the database, and the data itself left there (hundreds of KB per month at scale 10:
    every list used to read and parse all of it)."""
    return list(
        Bulletin.objects.current_published()
        .defer("data")
        .annotate(data_title=F("data__title"), data_headline=F("data__headline"))
    )


def latest_bulletin() -> Bulletin | None:
    return Bulletin.objects.current_published().first()


def bulletin_summary(headline: list[dict] | None) -> str:
    """One line for lists and the feed: the headline figures of the month (a bulletin's data["headline"])."""
    parts = []
    for h in (headline or [])[:4]:
        if h.get("value") is None:
            continue
        parts.append(f"{h.get('label', h.get('code'))} {h['value']}{h.get('unit', '')}")
    return " · ".join(parts)


def _decimal(text) -> Decimal | None:
    try:
        return None if text is None else Decimal(str(text))
    except InvalidOperation:
        return None


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
        label, colour = STATUS.get(h.get("status") or rules.UNKNOWN, STATUS[rules.UNKNOWN])
        cards.append(
            {
                **h,
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
