"""Who may take each step of the enforcement workflow (DESIGN.md: "only the authority of a step may take
it"), persona by persona: the department everywhere; a city in its own city (Yulin on enterprise A's case,
not on enterprise B's in Baoji); an enterprise answers its own orders and keeps its own resettlement plan;
the environment department and the public take no step. A step outside the actor's scope answers 404 (its
existence is itself information); a step in scope that the role may not take answers 403. Every refusal
writes a REFUSED audit event and nothing else."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from youse.core import scopes
from youse.core.models import AuditEvent
from youse.enforcement import services
from youse.enforcement.models import Announcement, Case, Closure, Inspection, RectificationOrder


def _ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


class World:
    """Builds, as the department, whatever a step needs on enterprise A's side ("a") or B's ("b")."""

    def __init__(self, personas) -> None:
        self.p = personas
        self.dept = personas.department
        self._campaign = None

    def enterprise(self, t: str):
        return self.p.enterprise_a if t == "a" else self.p.enterprise_b

    def unit(self, t: str):
        return self.p.unit_a if t == "a" else self.p.unit_b

    def campaign(self):
        if self._campaign is None:
            self._campaign = services.create_campaign(self.dept, campaign_data("2017年有色金属行业专项检查"))
        return self._campaign

    def case(self, t: str) -> Case:
        return Case.objects.get(campaign=self.campaign(), enterprise=self.enterprise(t))

    def inspection(self, t: str) -> Inspection:
        return services.record_inspection(self.dept, self.case(t), inspection_data(_ago(60)), FAILING)

    def order(self, t: str) -> RectificationOrder:
        return services.issue_order(self.dept, self.inspection(t), order_data(), REQUIREMENTS)

    def submitted(self, t: str) -> RectificationOrder:
        order = self.order(t)
        services.report_done(self.dept, order, report="已整改", reported_on=_ago(20))
        return order

    def closure(self, t: str) -> Closure:
        return services.propose_closure(self.dept, self.case(t), reason="拒不整改")

    def decided(self, t: str) -> Closure:
        closure = self.closure(t)
        return services.decide_closure(self.dept, closure, decision_data(self.unit(t)))

    def ready(self, t: str) -> Closure:
        closure = self.decided(t)
        minutes = SimpleUploadedFile("纪要.pdf", b"%PDF-1.4\n%minutes\n")
        services.save_resettlement_plan(self.dept, closure, PLAN, minutes=[minutes])
        return closure

    def executed(self, t: str) -> Closure:
        closure = self.ready(t)
        return services.execute_closure(self.dept, closure, executed_on=_ago(5))

    def draft(self) -> Announcement:
        return services.draft_announcement(self.dept, "survey_result", campaign=self.campaign())


def campaign_data(name: str) -> dict:
    return {
        "name": name,
        "dimensions": ["environment", "safety"],
        "metals": [],
        "cities": [],
        "starts_on": _ago(100),
        "due_on": _ago(10),
    }


def inspection_data(on: dt.date) -> dict:
    return {"inspecting_unit": "省工信厅", "inspectors": "王五、赵六", "inspected_on": on}


FAILING = [{"item": "SAF-GEN-1", "met": False}]
PASSING = [{"item": "SAF-GEN-1", "met": True}]
REQUIREMENTS = [{"text": "补办安全生产许可证", "basis": "《安全生产法》第二十条"}]
PLAN = {
    "headcount": {"contract": 40, "near_retirement": 5},
    "measures": "内部转岗",
    "cost": "300",
    "schedule": "三个月内完成",
    "funding_amount": "300",
    "funding_source": "企业自筹",
    "congress_date": _ago(15),
    "votes_for": 40,
    "votes_total": 45,
}


def order_data() -> dict:
    return {"issued_on": _ago(55), "deadline": _ago(55) + dt.timedelta(days=90), "responsible_person": "李总经理"}


def decision_data(unit) -> dict:
    return {
        "units": [unit.pk],
        "basis": "二(八)",
        "document": "陕工信发〔2026〕9号",
        "decided_on": _ago(30),
        "effective_on": _ago(1),
    }


# action -> (capability, what the step needs, built by the department on side t, the step taken by `who`)
ACTIONS = {
    "create_campaign": (
        "enforcement.campaign",
        lambda w, t: None,
        lambda who, obj, w, t: services.create_campaign(who, campaign_data("另一次专项检查")),
    ),
    "open_case": (
        "enforcement.open_case",
        lambda w, t: w.enterprise(t),
        lambda who, obj, w, t: services.open_case(
            who, {"source": "complaint", "enterprise": obj, "dimensions": ["environment"], "summary": "举报"}
        ),
    ),
    "record_inspection": (
        "enforcement.inspect",
        World.case,
        lambda who, obj, w, t: services.record_inspection(who, obj, inspection_data(_ago(60)), FAILING),
    ),
    "issue_order": (
        "enforcement.order",
        World.inspection,
        lambda who, obj, w, t: services.issue_order(who, obj, order_data(), REQUIREMENTS),
    ),
    "start_order": ("enforcement.respond", World.order, lambda who, obj, w, t: services.start_order(who, obj)),
    "report_done": (
        "enforcement.respond",
        World.order,
        lambda who, obj, w, t: services.report_done(who, obj, report="已整改", reported_on=_ago(20)),
    ),
    "reinspect": (
        "enforcement.inspect",
        World.submitted,
        lambda who, obj, w, t: services.reinspect(who, obj, inspection_data(_ago(10)), PASSING),
    ),
    "propose_closure": (
        "enforcement.order",
        World.case,
        lambda who, obj, w, t: services.propose_closure(who, obj, reason="拒不整改"),
    ),
    "decide_closure": (
        "enforcement.decide",
        World.closure,
        lambda who, obj, w, t: services.decide_closure(who, obj, decision_data(w.unit(t))),
    ),
    "withdraw_closure": (
        "enforcement.decide",
        World.decided,
        lambda who, obj, w, t: services.withdraw_closure(who, obj, reason="企业已整改"),
    ),
    "execute_closure": (
        "enforcement.decide",
        World.ready,
        lambda who, obj, w, t: services.execute_closure(who, obj, executed_on=_ago(5)),
    ),
    "save_resettlement_plan": (
        "enforcement.resettlement",
        World.decided,
        lambda who, obj, w, t: services.save_resettlement_plan(who, obj, PLAN),
    ),
    "record_outcome": (
        "enforcement.resettlement",
        World.ready,
        lambda who, obj, w, t: services.record_outcome(who, obj, {"as_of": _ago(2), "reemployed": 30}),
    ),
    "record_land": (
        "enforcement.land",
        World.executed,
        lambda who, obj, w, t: services.record_land(
            who, obj, {"route": "conversion", "decided_on": _ago(3), "converted_on": _ago(2)}
        ),
    ),
    "draft_announcement": (
        "enforcement.publish",
        lambda w, t: w.campaign(),
        lambda who, obj, w, t: services.draft_announcement(who, "survey_result", campaign=obj),
    ),
    "edit_announcement": (
        "enforcement.publish",
        lambda w, t: w.draft(),
        lambda who, obj, w, t: services.edit_announcement(who, obj, title="调查结果", body="全部合格"),
    ),
    "publish_announcement": (
        "enforcement.publish",
        lambda w, t: w.draft(),
        lambda who, obj, w, t: services.publish_announcement(who, obj),
    ),
}

# Who acts on which side: the department on B's side (the whole province), the city on both sides, each
# enterprise on A's side (its own, or another's).
COLUMNS = [
    ("department", "b"),
    ("environment", "a"),
    ("city", "a"),
    ("city", "b"),
    ("ent_a", "a"),
    ("ent_b", "a"),
    ("anonymous", "a"),
]
OK, NO, HIDDEN = "ok", 403, 404
EXPECTED = {
    #                          dept  env  city(A) city(B) ent_a   ent_b(A) anonymous
    "create_campaign":        (OK,   NO,  NO,     NO,     NO,     NO,      NO),
    "open_case":              (OK,   NO,  OK,     HIDDEN, NO,     NO,      NO),
    "record_inspection":      (OK,   NO,  OK,     HIDDEN, NO,     HIDDEN,  HIDDEN),
    "issue_order":            (OK,   NO,  OK,     HIDDEN, NO,     HIDDEN,  HIDDEN),
    "start_order":            (OK,   NO,  OK,     HIDDEN, OK,     HIDDEN,  HIDDEN),
    "report_done":            (OK,   NO,  OK,     HIDDEN, OK,     HIDDEN,  HIDDEN),
    "reinspect":              (OK,   NO,  OK,     HIDDEN, NO,     HIDDEN,  HIDDEN),
    "propose_closure":        (OK,   NO,  OK,     HIDDEN, NO,     HIDDEN,  HIDDEN),
    "decide_closure":         (OK,   NO,  NO,     HIDDEN, NO,     HIDDEN,  HIDDEN),
    "withdraw_closure":       (OK,   NO,  NO,     HIDDEN, NO,     HIDDEN,  HIDDEN),
    "execute_closure":        (OK,   NO,  NO,     HIDDEN, NO,     HIDDEN,  HIDDEN),
    "save_resettlement_plan": (OK,   NO,  OK,     HIDDEN, OK,     HIDDEN,  HIDDEN),
    "record_outcome":         (OK,   NO,  OK,     HIDDEN, OK,     HIDDEN,  HIDDEN),
    "record_land":            (OK,   NO,  OK,     HIDDEN, NO,     HIDDEN,  HIDDEN),
    # Publishing is the department's alone, whatever the announcement: refused before any scope question.
    "draft_announcement":     (OK,   NO,  NO,     NO,     NO,     NO,      NO),
    "edit_announcement":      (OK,   NO,  NO,     NO,     NO,     NO,      NO),
    "publish_announcement":   (OK,   NO,  NO,     NO,     NO,     NO,      NO),
}  # fmt: skip
CASES = [
    pytest.param(action, persona, side, expected, id=f"{action}-{persona}-{side}")
    for action, row in EXPECTED.items()
    for (persona, side), expected in zip(COLUMNS, row, strict=True)
]


def test_the_table_covers_every_service_that_takes_an_actor():
    takes_actor = set(services.__all__) - {"campaign_enterprises", "mark_overdue_orders", "plan_facts"}
    takes_actor -= {"resettlement_checks"}  # reads only
    # escalate is the inner step of reinspect and the ticker, covered through them.
    assert set(ACTIONS) == takes_actor - {"escalate"}


@pytest.mark.parametrize(("action", "persona", "side", "expected"), CASES)
def test_authority(personas, action, persona, side, expected):
    world = World(personas)
    capability, build, step = ACTIONS[action]
    who = personas.users[persona] or AnonymousUser()
    # What the step needs is built first (by the department), so that only the step itself is counted.
    obj = build(world, side)
    refused_before = AuditEvent.objects.filter(action=AuditEvent.Action.REFUSED).count()
    others_before = AuditEvent.objects.exclude(action=AuditEvent.Action.REFUSED).count()
    if expected == OK:
        step(who, obj, world, side)
        assert AuditEvent.objects.filter(action=AuditEvent.Action.REFUSED).count() == refused_before
        assert AuditEvent.objects.exclude(action=AuditEvent.Action.REFUSED).count() > others_before
        return
    with pytest.raises(PermissionDenied if expected == NO else Http404):
        step(who, obj, world, side)
    refused = AuditEvent.objects.filter(action=AuditEvent.Action.REFUSED)
    assert refused.count() == refused_before + 1
    event = refused.latest("pk")
    assert event.reason.startswith(f"{capability}: ")
    assert ("outside the user's scope" if expected == HIDDEN else "lacks") in event.reason
    assert event.actor == (personas.users[persona] if persona != "anonymous" else None)
    # The refused step wrote nothing else.
    assert AuditEvent.objects.exclude(action=AuditEvent.Action.REFUSED).count() == others_before


def test_a_city_cannot_learn_of_another_citys_case_even_to_read_it(personas):
    world = World(personas)
    case_b = world.case("b")
    assert not scopes.is_visible(personas.city, case_b)
    assert scopes.is_visible(personas.city, world.case("a"))
    assert not scopes.is_visible(personas.ent_b, world.case("a"))
    assert scopes.is_visible(personas.environment, case_b)  # reads the whole province, takes no step
    with pytest.raises(Http404):
        scopes.get_visible_or_404(personas.city, Case, pk=case_b.pk)


def test_an_enterprise_answers_its_own_order_but_cannot_close_or_reinspect_it(personas):
    world = World(personas)
    order = world.order("a")
    services.start_order(personas.ent_a, order)
    services.report_done(personas.ent_a, order, report="已补办", reported_on=_ago(20))
    with pytest.raises(PermissionDenied):
        services.reinspect(personas.ent_a, order, inspection_data(_ago(10)), PASSING)
    order.refresh_from_db()
    assert order.state == "submitted"
    services.reinspect(personas.city, order, inspection_data(_ago(10)), PASSING)
    order.refresh_from_db()
    assert order.state == "closed"
