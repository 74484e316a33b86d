"""The content of the monthly capacity monitoring and early-warning bulletin (产能监测预警月报, clause
三(八)): a pure-data document for one month, gathered from the modules that hold the figures.

`build(Period("month", 2020, 6))` returns a JSON-serialisable dict (str, int, None, lists, dicts;
decimals as strings). The published bulletin freezes it as its snapshot and the open-data downloads read
its `indicators` and the tables of `sections[].blocks`, so its shape is a contract:

- `indicators`: every indicator of the engine (youse.stats.indicators) for the month and the year to
  date at the province and every city, base and metal (never an enterprise), each as the engine's
  IndicatorValue.as_json(): equal to what `compute(period, scope)` returns.
- `headline`: the province's key indicators with their targets.
- `sections`: production, utilisation, capacity_changes, monitoring, enforcement, warnings, each with
  generated paragraphs and blocks (tables and charts) whose keys, and whose columns' keys, never change.
- `warnings`: the early warnings that fired on the month's figures, then those raised earlier and still
  open, each with its evidence.

Text is written in Chinese, the publication's language, whatever language the caller speaks. The number
of queries is fixed per section, whatever the number of enterprises."""

import datetime as dt

from django.conf import settings
from django.utils import timezone, translation

from youse.portal.bulletin import content_format as f
from youse.portal.bulletin.content_capacity import capacity_section
from youse.portal.bulletin.content_enforcement import enforcement_section
from youse.portal.bulletin.content_indicators import Figures, gather
from youse.portal.bulletin.content_monitoring import monitoring_section
from youse.portal.bulletin.content_production import capacity_at, production_section, utilisation_section
from youse.portal.bulletin.content_warnings import gather as gather_warnings
from youse.portal.bulletin.content_warnings import warnings_section
from youse.stats.models import Indicator
from youse.stats.rules import Period

SCHEMA = 1
LANGUAGE = "zh-hans"
SECTION_KEYS = ("production", "utilisation", "capacity_changes", "monitoring", "enforcement", "warnings")
# The province's key figures: (indicator, "month" or "ytd").
HEADLINE = (
    (Indicator.VALUE_ADDED, "ytd"),
    (Indicator.VALUE_ADDED_GROWTH, "ytd"),
    (Indicator.REVENUE, "ytd"),
    (Indicator.PRODUCTION_GROWTH, "ytd"),
    (Indicator.DEEP_PROCESSING_SHARE, "ytd"),
    (Indicator.AL_UTILISATION, "month"),
    (Indicator.AL_UTILISATION, "ytd"),
)


def headline(figures: Figures) -> list[dict]:
    province = figures.scopes["province"][0][0]
    out = []
    for code, which in HEADLINE:
        v = figures.get(code, figures.month if which == "month" else figures.ytd, province)
        out.append(
            {
                "code": v.code,
                "label": str(v.label),
                "value": f.engine(v.value),
                "unit": v.unit,
                "period": str(v.period),
                "target": f.plain(v.target_value),
                "comparator": f.comparator(v.comparator) if v.comparator else None,
                "status": v.check.status if v.check else None,
            }
        )
    return out


def build(month: Period) -> dict:
    """The bulletin's content for a month."""
    if month.kind != "month":
        raise ValueError(f"a bulletin is for a month, not a {month.kind} ({month})")
    with translation.override(LANGUAGE):
        figures = gather(month, f.trend(month))
        cap = capacity_at(month.end)
        fired, still_open = gather_warnings(month)
        sections = [
            production_section(figures, cap),
            utilisation_section(figures, cap),
            capacity_section(figures),
            monitoring_section(figures),
            enforcement_section(figures),
            warnings_section(month, fired, still_open),
        ]
        return {
            "schema": SCHEMA,
            "month": str(month),
            "title": f.title(settings.YOUSE_PROVINCE_NAME, month),
            "generated_at": timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds"),
            "headline": headline(figures),
            "indicators": [v.as_json() for v in figures.published()],
            "sections": sections,
            "warnings": fired + still_open,
        }
