"""The demo's enforcement cases (youse.demo.enforcement), built once at scale 1 without the monthly reports
(they do not change the cases), and rolled back after the module."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from youse.capacity import ledger
from youse.capacity.models import CapacityViolation
from youse.core.models import AuditEvent
from youse.demo import enforcement as demo_enforcement
from youse.demo.models import DemoDataset
from youse.enforcement import rules, services
from youse.enforcement.models import (
    Announcement,
    Campaign,
    Case,
    Closure,
    Evidence,
    Inspection,
    RectificationOrder,
)
from youse.registry.models import ProductionUnit
from youse.stats import facts

# Marked as database tests so that they run with the others, before any transactional test empties the
# database (pytest-django runs those last).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


@pytest.fixture
def campaign(db) -> Campaign:
    return Campaign.objects.get(name=demo_enforcement.CAMPAIGN)


def test_the_campaign_covers_every_enterprise_in_business_on_five_dimensions(campaign):
    assert campaign.year == 2017 and campaign.dimensions == [d.value for d in rules.Dimension]
    assert not campaign.metals.exists() and not campaign.cities.exists()  # all of them
    listed = set(Case.objects.filter(campaign=campaign).values_list("enterprise_id", flat=True))
    in_business = set(services.campaign_enterprises([], []).values_list("pk", flat=True))
    assert in_business and in_business <= listed
    # Every case was inspected; most enterprises passed.
    assert not Case.objects.filter(campaign=campaign, status="planned").exists()
    assert not Case.objects.filter(campaign=campaign, inspections=None).exists()
    assert Case.objects.filter(campaign=campaign, status="passed").count() > 0.8 * len(listed)


def test_inspections_respect_the_dates_and_record_measured_failures(campaign):
    today = timezone.localdate()
    assert not Inspection.objects.filter(inspected_on__gt=today).exists()
    assert Inspection.objects.filter(case__campaign=campaign, inspected_on__year=2017).count() > 100
    failed = {r.item.code: r for i in Inspection.objects.filter(verdict="fail") for r in i.results.filter(passed=False)}
    assert failed["ENE-AL-1"].measured > 13700
    assert failed["TEC-MG-1"].measured < 15000
    assert failed["ENV-PBZN-1"].measured > failed["ENV-PBZN-1"].item.threshold
    assert failed["ENV-MON-1"].met is False and failed["SAF-GEN-1"].met is False
    for order in RectificationOrder.objects.all():
        assert order.issued_on <= today and order.deadline > order.issued_on
        assert order.requirements.exists() and all(r.basis for r in order.requirements.all())


def test_orders_exist_in_every_state_and_the_overdue_ones_are_escalated():
    orders = RectificationOrder.objects.all()
    assert 10 <= orders.count() <= 16
    assert set(orders.values_list("state", flat=True)) == {s.value for s in rules.OrderState}
    overdue = orders.filter(overdue_since__isnull=False)
    assert overdue.count() >= 1
    today = timezone.localdate()
    for order in overdue:
        assert order.state in rules.RUNNING_ORDERS and order.deadline < today
        assert order.case.status == "escalated" and order.case.closure.state == "proposed"
    # Nothing running is past its deadline without being marked: the ticker has nothing left to do.
    assert services.mark_overdue_orders(today) == 0
    assert orders.filter(state__in=rules.RUNNING_ORDERS, deadline__gte=today).exists()


def test_the_blocked_closure_is_decided_and_its_gate_fails_with_reasons():
    closure = Closure.objects.get(state="decided")
    with translation.override("en"):
        checks = {c.code: c for c in services.resettlement_checks(closure)}
    assert not rules.gate_passes(list(checks.values()))
    assert checks["complete"].passed
    assert not checks["funding"].passed and "1450" in checks["funding"].why
    assert not checks["approved"].passed and "minutes" in checks["approved"].why
    with pytest.raises(ValidationError) as refused:
        services.execute_closure(closure.decided_by, closure)
    assert len(refused.value.message_dict["resettlement"]) == 2
    closure.refresh_from_db()
    assert closure.state == "decided"
    assert all(u.status != "exited" for u in closure.units.all())


def test_the_executed_closure_exited_its_units_and_converted_its_land():
    closure = Closure.objects.get(state="executed")
    assert rules.gate_passes(services.resettlement_checks(closure))
    units = list(closure.units.all())
    assert units and all(u.status == "exited" for u in units)
    assert all(u.status_since == closure.executed_on for u in units)
    minutes = Evidence.objects.get(case=closure.case, purpose="minutes")
    assert minutes.content_type == "application/pdf"
    land = closure.land
    assert land.route == "conversion" and land.converted_on >= closure.executed_on
    assert land.transition_until == land.converted_on.replace(year=land.converted_on.year + 5)
    outcome = closure.resettlement.outcomes.get()
    assert outcome.reemployed + outcome.retrained + outcome.retired + outcome.supported > 0
    assert closure.case.status == "closed"


def test_no_closure_touches_electrolytic_aluminium_and_the_ledger_balances():
    closing = ProductionUnit.objects.filter(pk__in=Closure.objects.values_list("units", flat=True))
    assert closing.exists() and not closing.filter(facts.ELECTROLYSIS).exists()
    assert ledger.discrepancies() == []


def test_announcements_are_published_with_a_correction_and_a_draft_left(campaign):
    published = Announcement.objects.filter(published_at__isnull=False)
    assert set(published.values_list("kind", flat=True)) == {"closure", "rectification_list", "survey_result"}
    listing = published.get(kind="rectification_list")
    v1, v2 = listing.versions.order_by("number")
    assert (v1.number, v2.number) == (1, 2) and v2.correction_note and not v1.correction_note
    assert v1.body != v2.body and v2.body == listing.body
    # The list names the enterprises whose orders still run, not those rectified or closing.
    running = RectificationOrder.objects.filter(
        case__campaign=campaign, state__in=["issued", "in_progress", "submitted"]
    )
    assert running.exists() and all(o.case.enterprise.name in v1.body for o in running)
    assert Closure.objects.get(state="executed").case.enterprise.name not in v1.body
    assert published.get(kind="closure").closure.state == "executed"
    draft = Announcement.objects.get(published_at=None)
    assert draft.kind == "closure" and draft.closure.state == "decided" and not draft.versions.exists()


def test_cases_come_from_monitoring_capacity_and_a_complaint():
    assert Case.objects.filter(source="complaint").exists()
    violation = CapacityViolation.objects.get(status="open")
    assert Case.objects.get(source="capacity").violation == violation
    monitoring = Case.objects.get(source="monitoring")
    assert monitoring.exceedance.status == "referred"
    assert monitoring.orders.get().state == "in_progress"


def test_the_counts_and_the_audit_trail_include_enforcement():
    counts = DemoDataset.objects.get().counts
    assert counts["enforcement_cases"] == Case.objects.count()
    assert counts["enforcement_orders"] == RectificationOrder.objects.count()
    assert counts["enforcement_orders_overdue"] >= 1
    assert counts["enforcement_closures"] == Closure.objects.count()
    assert counts["enforcement_announcements"] == 3
    assert not AuditEvent.objects.exclude(channel=AuditEvent.Channel.DEMO).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.REFUSED).exists()


def test_the_minutes_stand_in_is_a_pdf():
    assert demo_enforcement.pdf("x").startswith(b"%PDF-1.4")
    assert dt.date(2017, 1, 1) < demo_enforcement.CAMPAIGN_STARTS < demo_enforcement.CAMPAIGN_DUE
