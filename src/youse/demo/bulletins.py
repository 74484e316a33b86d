"""The demo's monthly bulletins (产能监测预警月报, 三(八)), written through the bulletin's services.

Every month of 2020 and of the current year before the latest due month is published, around the 20th
of the month after, with a short commentary drawn from its own figures; June 2020 is corrected (version
2: the Baoji titanium leader's June report was revised, see reports.py). The latest due month is left
as a draft for the department to review. Last in the build: the bulletin reads every module.

No chart is drawn here: charts are rendered (and cached) when a page, a PDF or a Word document is asked
for."""

import datetime as dt
from zoneinfo import ZoneInfo

from youse.portal.bulletin import services
from youse.portal.models import Bulletin
from youse.stats.warnings import last_due_month

SHANGHAI = ZoneInfo("Asia/Shanghai")
HISTORY_YEAR = 2020
CORRECTED = dt.date(2020, 6, 1)
CORRECTION_NOTE = "宝鸡市钛材龙头企业6月统计报表经核定更正，本期工业增加值、产量等相关数据随之更新。"


def _publication_time(month: dt.date) -> dt.datetime:
    """The 20th of the following month, 10:00 Beijing time."""
    following = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 20)
    return dt.datetime.combine(following, dt.time(10, 0), SHANGHAI)


def _value(data: dict, code: str) -> dict | None:
    """The first headline item of an indicator (the month's before the year to date's)."""
    for item in data.get("headline") or []:
        if item.get("code") == code and item.get("value") not in (None, ""):
            return item
    return None


def _number(text) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def commentary(month: dt.date, data: dict) -> dict[str, str]:
    """A short overview and section remarks in the department's voice, from the month's own figures."""
    lines = [f"{month.month}月，全省有色金属行业运行总体平稳，主要指标如下。"]
    va = _value(data, "value_added")
    growth = _value(data, "value_added_growth")
    if va:
        sentence = f"1—{month.month}月全省有色金属工业增加值{va['value']}{va.get('unit', '')}"
        g = _number(growth and growth.get("value"))
        if g is not None:
            sentence += f"，同比{'增长' if g >= 0 else '下降'}{abs(g):g}%"
        lines.append(sentence + "。")
    util = _value(data, "al_utilisation")
    u = _number(util and util.get("value"))
    if u is not None:
        target = _number(util.get("target"))
        if target is None:
            lines.append(f"电解铝产能利用率{u:g}%。")
        elif u >= target:
            lines.append(f"电解铝产能利用率{u:g}%，高于{target:g}%的目标，产能保持高效利用。")
        else:
            lines.append(f"电解铝产能利用率{u:g}%，低于{target:g}%的目标，需重点关注。")
    warnings = data.get("warnings") or []
    if warnings:
        cities = sorted({w.get("scope_label") or "" for w in warnings if w.get("scope_label")})
        where = "、".join(cities[:3]) + ("等" if len(cities) > 3 else "")
        lines.append(f"本期共有{len(warnings)}条预警处于提示状态（{where}），请相关市督促企业落实整改。")
    else:
        lines.append("本期未触发产能预警。")
    lines.append("下一步，各市要继续严控新增产能，推进电解铝产能置换和能效提升，确保完成年度目标。")
    out = {"overview": "\n".join(lines)}
    if u is not None:
        out["utilisation"] = "电解铝企业总体满负荷运行，个别企业受电力供应影响负荷有所波动。"
    out["warnings"] = (
        "对连续下滑的指标，相关市已提交情况说明，省厅将跟踪督办。" if warnings else "各项监测指标均在正常区间。"
    )
    return out


def _months(today: dt.date) -> tuple[list[dt.date], dt.date]:
    due = last_due_month(today).start
    published = [dt.date(HISTORY_YEAR, m, 1) for m in range(1, 13)]
    published += [dt.date(due.year, m, 1) for m in range(1, due.month) if due.year > HISTORY_YEAR]
    return [m for m in published if m < due and services.has_accepted_reports(m)], due


def build(department, today: dt.date) -> dict[str, int]:
    months, due = _months(today)
    for month in months:
        at = _publication_time(month)
        drafted_at = at - dt.timedelta(days=2)
        bulletin = services.draft_bulletin(department, month, at=drafted_at)
        services.edit_commentary(department, bulletin, commentary(month, bulletin.data))
        bulletin = services.publish_bulletin(department, bulletin, at=at)
        if month == CORRECTED:
            later = at + dt.timedelta(days=9)
            correction = services.start_correction(department, bulletin, CORRECTION_NOTE, at=later)
            services.publish_bulletin(department, correction, at=later + dt.timedelta(hours=3))
    if services.has_accepted_reports(due) and not Bulletin.objects.filter(month=due).exists():
        draft = services.draft_bulletin(department, due)
        overview = commentary(due, draft.data)["overview"]
        services.edit_commentary(department, draft, {"overview": overview})
    return counts()


def counts() -> dict[str, int]:
    return {
        "bulletins_published": Bulletin.objects.published().count(),
        "bulletin_drafts": Bulletin.objects.drafts().count(),
    }
