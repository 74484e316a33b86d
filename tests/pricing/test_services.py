"""The yearly surcharge list drafted from accepted statistics, adjusted with reasons, approved; direct
power trading. Figures of tests/pricing/conftest.py."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.pricing.conftest import A_ELECTRICITY, A_WEIGHTED, Smelters
from youse.core.models import AuditEvent
from youse.pricing import services
from youse.pricing.models import Assessment, DirectTrading, SurchargeList
from youse.stats.models import MonthlyReport

pytestmark = pytest.mark.django_db


def assessment(lst: SurchargeList, enterprise) -> Assessment:
    return lst.assessments.get(enterprise=enterprise)


def test_it_drafts_the_list_from_the_weighted_consumption_of_the_year_before(smelters):
    p = smelters.p
    lst = services.draft_list(p.department, 2022)
    assert lst.status == SurchargeList.Status.DRAFT and lst.assessments.count() == 2
    a = assessment(lst, p.enterprise_a)
    # Weighted by aluminium liquid: (13600 × 54000 + 13700 × 66000) ÷ 120000, not the plain mean 13650.
    assert a.reported_consumption == A_WEIGHTED and a.audited_consumption is None
    assert a.al_liquid_t == Decimal(120000) and a.months_operated == 12
    assert a.electricity_kwh == A_ELECTRICITY
    c = a.computation
    assert (c["rule_set"], c["threshold"], c["excess_kwh"], c["steps"]) == ("1239-2022", "13650.0", "5.0", 1)
    assert a.surcharge_per_kwh == Decimal("0.0100")
    assert a.amount_yuan == (A_ELECTRICITY * Decimal("0.01")).quantize(Decimal("0.01"))
    assert AuditEvent.objects.filter(object_id=str(lst.pk), content_type__model="surchargelist").exists()


def test_a_smelter_that_ran_under_six_months_is_listed_and_excluded(smelters):
    p = smelters.p
    b = assessment(services.draft_list(p.department, 2022), p.enterprise_b)
    assert b.months_operated == 5 and b.computation["excluded"] is True
    assert "5 months" in b.computation["excluded_reason"]
    assert b.surcharge_per_kwh == 0 and b.amount_yuan == 0


def test_the_2530_years_use_the_electrolysis_measure_in_tiers(personas):
    p = Smelters(personas, year=2020).p
    a = assessment(services.draft_list(p.department, 2021, reason="补录"), p.enterprise_a)
    # 2530号 reads 铝液电解交流电耗: 400 kWh/t below the comprehensive figure, under the first tier.
    assert a.reported_consumption == A_WEIGHTED - 400
    assert a.computation["rule_set"] == "2530" and a.surcharge_per_kwh == 0


def test_only_accepted_reports_count(smelters):
    p = smelters.p
    MonthlyReport.objects.filter(enterprise=p.enterprise_a).update(accepted=None)
    lst = services.draft_list(p.department, 2022)
    assert list(lst.assessments.values_list("enterprise", flat=True)) == [p.enterprise_b.pk]


def test_there_is_no_list_without_reports_or_rule_set(smelters):
    dep = smelters.p.department
    with pytest.raises(ValidationError) as exc:
        services.draft_list(dep, 2024)
    assert "year" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.draft_list(dep, 2010)  # before 2530号
    assert not SurchargeList.objects.exists()


def test_adjusting_needs_a_reason_and_recomputes(smelters):
    p = smelters.p
    a = assessment(services.draft_list(p.department, 2022), p.enterprise_a)
    with pytest.raises(ValidationError) as exc:
        services.adjust_assessment(p.department, a, {"audited_consumption": "13671"}, reason=" ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.adjust_assessment(p.department, a, {"renewable_share": "101"}, reason="审计")
    assert "renewable_share" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.adjust_assessment(p.department, a, {"electricity_kwh": "1"}, reason="审计")
    assert "electricity_kwh" in exc.value.message_dict
    changes = {"audited_consumption": "13671", "category": "restricted"}
    a = services.adjust_assessment(p.department, a, changes, reason="省节能监察中心审计报告第3号")
    # 21 kWh/t above 13650: two steps started, 0.02, plus the restricted category's 0.10 (unverified).
    assert a.consumption == Decimal("13671") and a.computation["steps"] == 2
    assert a.surcharge_per_kwh == Decimal("0.1200") and a.computation["unverified"] is True
    event = AuditEvent.objects.filter(content_type__model="assessment", object_id=str(a.pk)).latest("pk")
    assert event.reason == "省节能监察中心审计报告第3号"


def test_the_renewable_share_cuts_the_surcharge(smelters):
    p = smelters.p
    a = assessment(services.draft_list(p.department, 2022), p.enterprise_a)
    a = services.adjust_assessment(
        p.department, a, {"audited_consumption": "13700", "renewable_share": "20", "incentive_weight": "16"}, reason="x"
    )
    assert Decimal(a.computation["reduction_percent"]) == 4 and a.surcharge_per_kwh == Decimal("0.0288")


def test_a_redraft_keeps_the_adjustments_and_an_approved_list_is_final(smelters):
    p = smelters.p
    lst = services.draft_list(p.department, 2022)
    a = services.adjust_assessment(
        p.department, assessment(lst, p.enterprise_a), {"audited_consumption": "13690"}, reason="审计"
    )
    lst = services.draft_list(p.department, 2022)
    again = assessment(lst, p.enterprise_a)
    assert again.pk == a.pk and again.audited_consumption == Decimal("13690") and again.computation["steps"] == 2
    assert again.adjustment_reason == "审计"
    with pytest.raises(ValidationError):
        services.approve_list(p.department, lst, document=" ")
    services.approve_list(p.department, lst, document="陕工信发〔2022〕10号")
    lst.refresh_from_db()
    assert lst.status == SurchargeList.Status.APPROVED and lst.approved_by == p.department
    with pytest.raises(ValidationError):
        services.draft_list(p.department, 2022)
    with pytest.raises(ValidationError):
        services.adjust_assessment(p.department, again, {"audited_consumption": "13000"}, reason="x")
    with pytest.raises(ValidationError):
        services.approve_list(p.department, lst, document="again")
    assert assessment(lst, p.enterprise_a).audited_consumption == Decimal("13690")


def test_only_the_department_drafts_adjusts_and_approves(smelters):
    p = smelters.p
    lst = services.draft_list(p.department, 2022)
    a = assessment(lst, p.enterprise_a)
    for who in (p.environment, p.city, p.ent_a):
        with pytest.raises(PermissionDenied):
            services.draft_list(who, 2022)
        with pytest.raises(PermissionDenied):
            services.approve_list(who, lst, document="x")
    with pytest.raises(PermissionDenied):
        services.adjust_assessment(p.city, a, {"audited_consumption": "1"}, reason="x")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REFUSED, actor=p.city).exists()


def test_it_records_direct_trading_and_checks_the_share(personas):
    p = personas
    row = services.record_trading(
        p.department, p.enterprise_a, 2023, {"trades_directly": True, "direct_share": "35.5", "integrated": True}
    )
    assert (row.trades_directly, row.direct_share, row.integrated) == (True, Decimal("35.5"), True)
    row = services.record_trading(p.department, p.enterprise_a, 2023, {"trades_directly": False})
    assert DirectTrading.objects.count() == 1 and row.direct_share is None and not row.trades_directly
    for data, field in (
        ({"trades_directly": True, "direct_share": "101"}, "direct_share"),
        ({"trades_directly": True, "direct_share": "-1"}, "direct_share"),
        ({"trades_directly": True, "direct_share": "abc"}, "direct_share"),
        ({"trades_directly": False, "direct_share": "20"}, "direct_share"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.record_trading(p.department, p.enterprise_a, 2023, data)
        assert field in exc.value.message_dict, data
    with pytest.raises(ValidationError) as exc:
        services.record_trading(p.department, p.enterprise_a, 1990, {})
    assert "year" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.record_trading(p.city, p.enterprise_a, 2023, {})
