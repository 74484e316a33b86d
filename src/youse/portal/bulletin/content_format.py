"""Pure helpers of the bulletin's content: number formatting, periods, and the shapes of sections, tables
and charts (the paragraphs are in content_text.py). No ORM and no I/O (tests/portal/test_bulletin_content.py).

Numbers travel as plain strings ("85.3", "123456"): the published bulletin is a frozen JSON snapshot and
its tables become open-data files, so no float ever enters it."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from youse.stats.rules import Period

COMPARATORS = {"gte": ">=", "gt": ">", "lte": "<=", "lt": "<", "rank_lte": "<="}
TONNE = Decimal("1")
TENTH = Decimal("0.1")
CENT = Decimal("0.01")
WAN_PER_YI = Decimal(10000)


# --- Numbers -------------------------------------------------------------------------------------------


def num(value: Decimal | int | str | None, exp: Decimal | None = None) -> str | None:
    """A number as a plain string (no exponent, no grouping), rounded half up to `exp` when given."""
    if value is None:
        return None
    d = Decimal(value)
    if exp is not None:
        d = d.quantize(exp, rounding=ROUND_HALF_UP)
    if d == 0:
        d = abs(d)  # no "-0.0"
    return format(d, "f")


def engine(value: Decimal | None) -> str | None:
    """An indicator's value exactly as the engine's as_json() writes it (its rounding, even "-0.0")."""
    return None if value is None else str(value)


def tonnes(value: Decimal | int | None) -> str | None:
    """Whole tonnes."""
    return num(value, TONNE)


def yi(wan: Decimal | int | None) -> str | None:
    """万元 to 亿元, two decimals (as the indicator engine rounds money)."""
    return None if wan is None else num(Decimal(wan) / WAN_PER_YI, CENT)


def hours(value: Decimal | None) -> str | None:
    """Hours to a tenth."""
    return num(value, TENTH)


def plain(value: Decimal | None) -> str | None:
    """A target or threshold without trailing zeros: 80.00 → "80", 1000 → "1000", 7.5 → "7.5"."""
    if value is None:
        return None
    d = Decimal(value).normalize()
    return format(d.quantize(Decimal(1)) if d == d.to_integral() else d, "f")


def comparator(code: str) -> str:
    """The engine's comparator code as a sign: "gte" → ">="."""
    return COMPARATORS.get(code, code)


# --- Periods -----------------------------------------------------------------------------------------


def trend(month: Period, n: int = 13) -> list[Period]:
    """The n months ending with `month`, oldest first (13: the month and the same month a year earlier)."""
    out = [month]
    while len(out) < n:
        out.append(out[-1].previous())
    return list(reversed(out))


def ending_in(month: Period) -> list[Period]:
    """The month, quarter and year periods whose last month is `month` (the warnings fired on its data)."""
    out = [month]
    if month.number % 3 == 0:
        out.append(Period("quarter", month.year, month.number // 3))
    if month.number == 12:
        out.append(Period("year", month.year))
    return out


def month_text(month: Period) -> str:
    """ "5/2020" ("2020年5月")."""
    return _("%(month)s/%(year)s") % {"year": month.year, "month": month.number}


def ytd_text(month: Period) -> str:
    """January to the month: "1–5/2020" ("2020年1—5月"); January alone is the month."""
    if month.number == 1:
        return month_text(month)
    return _("1–%(month)s/%(year)s") % {"year": month.year, "month": month.number}


def overlap_hours(start: dt.datetime, end: dt.datetime | None, lo: dt.datetime, hi: dt.datetime) -> Decimal:
    """Hours of [start, end) inside [lo, hi); an alarm still open (`end` None) runs to `hi`."""
    a, b = max(start, lo), min(end or hi, hi)
    if b <= a:
        return Decimal(0)
    return Decimal((b - a).total_seconds()) / Decimal(3600)


def title(province: str, month: Period) -> str:
    return _(
        "%(province)s nonferrous metals industry capacity monitoring and early-warning bulletin (%(year)s, No. %(n)s)"
    ) % {
        "province": province,
        "year": month.year,
        "n": month.number,
    }


# --- Blocks ------------------------------------------------------------------------------------------


def column(key: str, label: str, unit: str = "") -> dict[str, str]:
    return {"key": key, "label": str(label), "unit": unit}


def table(key: str, title_: str, columns: list[dict], rows: list[dict], note: str = "") -> dict[str, Any]:
    keys = [c["key"] for c in columns]
    return {
        "type": "table",
        "key": key,
        "title": str(title_),
        "columns": columns,
        "rows": [{k: row.get(k) for k in keys} for row in rows],
        "note": str(note),
    }


def chart(
    key: str,
    title_: str,
    kind: str,
    unit: str,
    categories: list[str],
    series: list[tuple[str, list[str | None]]],
    target: str | None = None,
) -> dict[str, Any]:
    return {
        "type": "chart",
        "key": key,
        "title": str(title_),
        "kind": kind,
        "unit": unit,
        "categories": list(categories),
        "series": [{"name": str(name), "values": list(values)} for name, values in series],
        "target": target,
    }


def section(key: str, title_: str, paragraphs: list[str], blocks: list[dict]) -> dict[str, Any]:
    return {"key": key, "title": str(title_), "paragraphs": [str(p) for p in paragraphs], "blocks": blocks}
