"""The demo's electricity surcharges (clause 三(一)), written through pricing.services as the department.

The monthly reports cover 2015–2020 and the current year so far; a list is drafted for the year in which
the price applies from the accepted reports of the year before, so the demo drafts the lists of the last
two years whose previous year the reports cover in full (2020 and 2021, both under 发改价格〔2013〕2530号 on
铝液电解交流电耗). The earlier list is approved; in the later one, still a draft, the provincial energy
conservation inspectorate's audit puts Tongchuan's smelter above the first tier, and the department
records the audited figure with its reason. Every aluminium smelter's direct power trading and
power-smelting integration is recorded for both years."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q

from youse.core.models import User
from youse.pricing import services
from youse.pricing.models import Assessment, DirectTrading, SurchargeList
from youse.registry.models import Enterprise, ProductionUnit
from youse.stats.facts import ELECTROLYSIS
from youse.stats.models import MonthlyReport

TONGCHUAN, YULIN = "tongchuan-al", "yulin-almg"
APPROVAL = "陕工信发〔{year}〕{n}号（示例）"
AUDIT = "省节能监察中心{year}年度电解铝企业能耗专项监察报告（示例）：铝液电解交流电耗核定值高于企业报送值"
# The audit finds the smelter's figure this far above what it reported.
AUDIT_ABOVE = Decimal("180")


def _smelters() -> list[Enterprise]:
    owners = ProductionUnit.objects.filter(ELECTROLYSIS).values("plant__enterprise")
    return list(Enterprise.objects.filter(pk__in=owners).order_by("name"))


def price_years(today: dt.date) -> list[int]:
    """The years in which the price applies whose previous year the accepted reports cover in full."""
    full = set()
    for year in range(2000, today.year):
        months = MonthlyReport.objects.filter(period__year=year, accepted__isnull=False).dates("period", "month")
        if len(months) == 12:
            full.add(year)
    return sorted(y + 1 for y in full)[-2:]


def build(department: User, by_key: dict[str, Enterprise], today: dt.date) -> None:
    years = price_years(today)
    lists = []
    for year in years:
        try:
            lists.append(services.draft_list(department, year, reason="示例数据"))
        except ValidationError:
            continue  # no electrolysis output that year (a small scale without smelters)
    if lists:
        latest = lists[-1]
        target = by_key.get(TONGCHUAN)
        a = latest.assessments.filter(enterprise=target).first() if target else None
        a = a or latest.assessments.filter(reported_consumption__isnull=False).order_by("-reported_consumption").first()
        if a is not None and a.reported_consumption is not None:
            services.adjust_assessment(
                department,
                a,
                {"audited_consumption": a.reported_consumption + AUDIT_ABOVE},
                reason=AUDIT.format(year=latest.year - 1),
            )
        for n, lst in enumerate(lists[:-1], start=1):
            services.approve_list(department, lst, document=APPROVAL.format(year=lst.year - 1, n=40 + n))
    trading_years = years or [today.year - 1]
    for i, ent in enumerate(_smelters()):
        integrated = ent == by_key.get(YULIN)  # the Yulin leader runs its own coal-fired plant (铝电一体化)
        for k, year in enumerate(trading_years):
            trades = integrated or i % 3 != 2
            share = Decimal(25 + (i * 7) % 30 + 4 * k) if trades else None
            services.record_trading(
                department,
                ent,
                year,
                {"trades_directly": trades, "direct_share": share, "integrated": integrated, "note": "示例数据"},
            )


def counts() -> dict[str, int]:
    return {
        "surcharge_lists": SurchargeList.objects.count(),
        "surcharge_assessments": Assessment.objects.count(),
        "surcharge_adjusted": Assessment.objects.filter(~Q(adjustment_reason="")).count(),
        "direct_trading": DirectTrading.objects.count(),
    }
