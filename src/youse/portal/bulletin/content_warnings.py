"""Section 六: the early warnings (stats.EarlyWarning) that fired on the month's figures, that is for a
month, quarter or year ending with it, and those raised for an earlier period that are still open, each
with the values that fired it (the rule's run of periods, as stats/warnings.py stored them). One query."""

from django.db.models import Q
from django.utils.translation import gettext as _

from youse.portal.bulletin import content_format as f
from youse.portal.bulletin import content_text as text
from youse.stats.indicators import UNITS
from youse.stats.models import EarlyWarning, Indicator
from youse.stats.rules import Period, PeriodError, parse_period


def _ends_by(period: str, month: Period) -> bool:
    """Whether a warning's period had ended by the end of the month."""
    try:
        p = parse_period(period)
    except PeriodError:
        return False
    return p.end <= month.end


def item(w: EarlyWarning) -> dict:
    unit = UNITS.get(w.rule.indicator, "")
    return {
        "rule": w.rule.code,
        "scope": "province" if w.scope_kind == "province" else f"{w.scope_kind}:{w.scope_code}",
        "scope_label": w.scope_label,
        "indicator": w.rule.indicator,
        "period": w.period,
        "message": w.message,
        "fired_at": w.raised_at.isoformat(),
        "status": w.status,
        "evidence": [{"period": e.get("period"), "value": e.get("value"), "unit": unit} for e in (w.evidence or [])],
    }


def gather(month: Period) -> tuple[list[dict], list[dict]]:
    """(fired on the month's figures, raised earlier and still open)."""
    ending = [str(p) for p in f.ending_in(month)]
    qs = (
        EarlyWarning.objects.filter(Q(period__in=ending) | Q(status=EarlyWarning.Status.OPEN))
        .select_related("rule")
        .order_by("rule__code", "scope_kind", "scope_code", "period", "id")
    )
    fired, still_open = [], []
    for w in qs:
        if w.period in ending:
            fired.append(item(w))
        elif _ends_by(w.period, month):
            still_open.append(item(w))
    return fired, still_open


def warnings_section(month: Period, fired: list[dict], still_open: list[dict]) -> dict:
    statuses = dict(EarlyWarning.Status.choices)
    columns = [
        f.column("rule", _("Rule")),
        f.column("scope_label", _("Scope")),
        f.column("indicator", _("Indicator")),
        f.column("period", _("Period")),
        f.column("value", _("Value")),
        f.column("unit", _("Unit")),
        f.column("status", _("Status")),
        f.column("message", _("Warning")),
    ]

    def rows(items: list[dict]) -> list[dict]:
        return [
            {
                "rule": w["rule"],
                "scope_label": w["scope_label"],
                "indicator": str(Indicator(w["indicator"]).label),
                "period": w["period"],
                "value": w["evidence"][-1]["value"] if w["evidence"] else None,
                "unit": w["evidence"][-1]["unit"] if w["evidence"] else "",
                "status": str(statuses.get(w["status"], w["status"])),
                "message": w["message"],
            }
            for w in items
        ]

    note = _("Each warning's evidence (the values of the periods that fired it) is listed with the warning.")
    blocks = [
        f.table("warnings_fired", _("Early warnings fired on the month's figures"), columns, rows(fired), note),
        f.table("warnings_open", _("Early warnings raised earlier and still open"), columns, rows(still_open), note),
    ]
    return f.section("warnings", _("6. Early warnings"), text.warnings(len(fired), len(still_open)), blocks)
