"""The enforcement workflow through the service functions."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from youse.enforcement import services
from youse.enforcement.models import Case
from youse.registry.models import ProductionUnit


def test_a_campaign_lists_every_enterprise_for_its_city(enf, personas):
    campaign = enf.campaign()
    cases = Case.objects.filter(campaign=campaign)
    assert {c.enterprise_id for c in cases} == {personas.enterprise_a.pk, personas.enterprise_b.pk}
    assert cases.get(enterprise=personas.enterprise_a).city.code == "610800"
    assert set(cases.values_list("status", flat=True)) == {"planned"}


def test_a_city_inspects_only_in_its_city(enf, personas):
    campaign = enf.campaign()
    b = Case.objects.get(campaign=campaign, enterprise=personas.enterprise_b)
    with pytest.raises(Http404):
        enf.inspect(b, passed=True)
    with pytest.raises(PermissionDenied):
        enf.inspect(enf.case_a(campaign), personas.ent_a, passed=True)


def test_a_failed_order_escalates_and_the_closure_waits_for_the_resettlement_gate(enf, personas):
    case = enf.case_a()
    inspection = enf.inspect(case, passed=False)
    assert inspection.verdict == "fail" and inspection.findings.count() == 2
    order = enf.order(inspection)
    services.start_order(personas.ent_a, order)
    services.report_done(personas.ent_a, order, report="已补办", reported_on=dt.date(2026, 5, 1))
    enf.inspect(case, passed=False, on=dt.date(2026, 5, 10), order=order)
    case.refresh_from_db()
    assert case.status == "escalated"
    closure = case.closure
    services.decide_closure(
        personas.department,
        closure,
        {
            "units": [personas.unit_a.pk],
            "basis": "二(八)",
            "document": "陕工信发〔2026〕9号",
            "decided_on": dt.date(2026, 5, 20),
            "effective_on": dt.date(2026, 6, 30),
        },
    )
    with pytest.raises(ValidationError) as refused:
        services.execute_closure(personas.department, closure, executed_on=dt.date(2026, 7, 1))
    assert len(refused.value.message_dict["resettlement"]) == 3
    services.save_resettlement_plan(
        personas.ent_a,
        closure,
        {
            "headcount": {"contract": 120, "near_retirement": 15},
            "measures": "内部转岗、协议保留劳动关系",
            "cost": "800",
            "schedule": "2026年6月底前完成",
            "funding_amount": "850",
            "funding_source": "企业自筹及省级专项奖补资金",
            "congress_date": dt.date(2026, 6, 1),
            "votes_for": 101,
            "votes_total": 130,
        },
    )
    with pytest.raises(ValidationError) as refused:
        services.execute_closure(personas.department, closure, executed_on=dt.date(2026, 7, 1))
    assert refused.value.message_dict["resettlement"] == ["The minutes of the vote are not uploaded."]
    from django.core.files.uploadedfile import SimpleUploadedFile

    minutes = SimpleUploadedFile("纪要.pdf", b"%PDF-1.4\n%minutes\n")
    services.save_resettlement_plan(personas.ent_a, closure, {}, minutes=[minutes])
    services.execute_closure(personas.department, closure, executed_on=dt.date(2026, 7, 1))
    assert ProductionUnit.objects.get(pk=personas.unit_a.pk).status == "exited"
    personas.enterprise_a.refresh_from_db()
    assert personas.enterprise_a.status == "closed"  # its only unit closed
    case.refresh_from_db()
    assert case.status == "closed"
    land = services.record_land(
        personas.city,
        closure,
        {
            "route": "conversion",
            "decided_on": dt.date(2026, 7, 10),
            "converted_on": dt.date(2026, 8, 1),
            "new_use": "物流园区",
        },
    )
    assert land.transition_until == dt.date(2031, 8, 1)


def test_the_ticker_escalates_an_overdue_order_once(enf):
    case = enf.case_a()
    order = enf.order(enf.inspect(case, passed=False))
    assert services.mark_overdue_orders(dt.date(2026, 6, 30)) == 0
    assert services.mark_overdue_orders(dt.date(2026, 7, 1)) == 1
    assert services.mark_overdue_orders(dt.date(2026, 7, 2)) == 0
    order.refresh_from_db()
    case.refresh_from_db()
    assert order.overdue_since == dt.date(2026, 7, 1) and case.status == "escalated"
    assert case.closure.state == "proposed"


def test_dates_that_contradict_are_refused(enf):
    case = enf.case_a()
    inspection = enf.inspect(case, passed=False)
    with pytest.raises(ValidationError) as err:
        enf.order(inspection, deadline=dt.date(2026, 4, 1))
    assert "deadline" in err.value.message_dict


def test_announcements_are_versioned_never_changed(enf, personas):
    campaign = enf.campaign()
    enf.order(enf.inspect(enf.case_a(campaign), passed=False))
    ann = services.draft_announcement(personas.department, "rectification_list", campaign=campaign)
    v1 = services.publish_announcement(personas.department, ann)
    with pytest.raises(ValidationError):
        services.publish_announcement(personas.department, ann, correction_note="更正")  # nothing changed
    services.edit_announcement(personas.department, ann, title=ann.title, body=ann.body + "\n（更正：整改期限）")
    v2 = services.publish_announcement(personas.department, ann, correction_note="更正整改期限")
    assert (v1.number, v2.number) == (1, 2)
    v1.refresh_from_db()
    assert "更正" not in v1.body
    v1.body = "x"
    with pytest.raises(TypeError):
        v1.save()
