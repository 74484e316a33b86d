"""The demo's electricity surcharges (youse.demo.pricing), built once at scale 1 with the monthly reports
(the lists are drafted from them), and rolled back after the module."""

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from youse.core.models import User
from youse.demo import pricing as demo_pricing
from youse.pricing import rules
from youse.pricing.models import Assessment, DirectTrading, SurchargeList
from youse.registry.models import Enterprise
from youse.stats.facts import ELECTROLYSIS
from youse.stats.models import MonthlyReport, ReportLine

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def smelters_with_output(year: int) -> set[int]:
    accepted = MonthlyReport.objects.filter(period__year=year, accepted__isnull=False).values("accepted_id")
    lines = ReportLine.objects.filter(revision_id__in=accepted, al_liquid_t__gt=0, unit__in=_electrolysis())
    return set(lines.values_list("revision__report__enterprise_id", flat=True))


def _electrolysis():
    from youse.registry.models import ProductionUnit

    return ProductionUnit.objects.filter(ELECTROLYSIS)


def test_it_drafts_the_last_two_years_the_reports_cover_and_approves_the_earlier():
    assert demo_pricing.price_years(timezone.localdate()) == [2020, 2021]
    lists = {lst.year: lst for lst in SurchargeList.objects.all()}
    assert set(lists) == {2020, 2021}
    assert lists[2020].status == "approved" and lists[2020].document.startswith("陕工信发〔2019〕")
    assert lists[2021].status == "draft" and not lists[2021].document


def test_every_smelter_with_output_the_year_before_is_listed_under_2530():
    for year in (2020, 2021):
        lst = SurchargeList.objects.get(year=year)
        assert set(lst.assessments.values_list("enterprise", flat=True)) == smelters_with_output(year - 1)
        assert len(smelters_with_output(year - 1)) >= 2
        for a in lst.assessments.all():
            assert a.computation["rule_set"] == "2530" and a.computation["measure"] == "electrolysis_ac"


def test_the_reported_consumption_is_weighted_by_aluminium_liquid_over_the_accepted_reports():
    a = SurchargeList.objects.get(year=2021).assessments.exclude(reported_consumption=None).first()
    accepted = MonthlyReport.objects.filter(period__year=2020, accepted__isnull=False).values("accepted_id")
    lines = ReportLine.objects.filter(
        revision_id__in=accepted, revision__report__enterprise=a.enterprise, unit__in=_electrolysis(), al_liquid_t__gt=0
    )
    pairs = list(lines.values_list("ac_kwh_per_t", "al_liquid_t"))
    assert a.reported_consumption == rules.weighted_consumption(pairs)
    assert 12900 < a.reported_consumption < 13800  # a realistic electrolysis AC consumption
    assert a.electricity_kwh == sum((k * t for k, t in pairs), Decimal(0)).quantize(Decimal(1))


def test_the_inspectorate_audit_puts_tongchuan_above_the_first_tier():
    tongchuan = Enterprise.objects.get(name="铜川示范铝业有限公司（示例）")
    a = Assessment.objects.get(surcharge_list__year=2021, enterprise=tongchuan)
    assert a.audited_consumption == a.reported_consumption + demo_pricing.AUDIT_ABOVE
    assert "监察" in a.adjustment_reason
    assert a.audited_consumption > 13700 and a.surcharge_per_kwh >= Decimal("0.02") and a.amount_yuan > 0
    assert Assessment.objects.exclude(adjustment_reason="").count() == 1


def test_direct_trading_is_recorded_for_every_aluminium_smelter_in_both_years():
    smelters = set(_electrolysis().values_list("plant__enterprise", flat=True))
    for year in (2020, 2021):
        assert set(DirectTrading.objects.filter(year=year).values_list("enterprise", flat=True)) == smelters
    yulin = Enterprise.objects.get(name="榆林示范铝镁合金有限公司（示例）")
    assert DirectTrading.objects.filter(enterprise=yulin, integrated=True, trades_directly=True).count() == 2
    assert DirectTrading.objects.filter(trades_directly=False, direct_share__isnull=False).count() == 0


def test_the_dataset_counts_the_surcharges(demo):
    counts = demo.dataset.counts
    assert counts["surcharge_lists"] == 2 and counts["surcharge_adjusted"] == 1
    assert counts["surcharge_assessments"] == Assessment.objects.count() > 0
    assert counts["direct_trading"] == DirectTrading.objects.count()


def test_the_pages_show_the_demo_lists(settings):
    settings.DEBUG = True  # demo personas' sessions hold only while DEBUG is on
    dep = Client()
    dep.force_login(User.objects.get(username="gxt"))
    html = dep.get("/pricing/?year=2021").content.decode()
    assert "铜川示范铝业有限公司（示例）" in html and 'data-status="draft"' in html
    assert dep.get(f"/pricing/lists/{SurchargeList.objects.get(year=2020).pk}/export/").status_code == 200
    assert dep.get("/pricing/trading/?year=2021").status_code == 200
    ent = Client()
    ent.force_login(User.objects.get(username="ent-a"))
    mine = ent.get("/pricing/mine/").content.decode()
    assert "榆林示范铝镁合金有限公司（示例）" in mine or "2021" in mine
    own = Assessment.objects.get(surcharge_list__year=2021, enterprise__name="榆林示范铝镁合金有限公司（示例）")
    assert ent.get(f"/pricing/assessments/{own.pk}/").status_code == 200
    other = Assessment.objects.exclude(enterprise=own.enterprise).first()
    assert ent.get(f"/pricing/assessments/{other.pk}/").status_code == 404
