"""Escalation by the ticker (`youse tick --only enforcement.overdue`) on frozen time: a running order past
its deadline is marked overdue once and its case handed to the department with a closure proposal; orders
already reported done, rectified or failed are left alone; a withdrawn proposal is proposed again by a
later overdue order; a closure already decided is not disturbed."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from youse.core.models import AuditEvent
from youse.core.tick import DUTIES
from youse.enforcement import services
from youse.enforcement.models import Case, Closure, RectificationOrder

BEIJING = ZoneInfo("Asia/Shanghai")
ISSUED, DEADLINE = dt.date(2026, 4, 2), dt.date(2026, 6, 30)


class Clock:
    """timezone.now frozen at 09:00 Beijing time on a chosen day: the services' "today" and the tick's
    "now" both read it."""

    def __init__(self, monkeypatch) -> None:
        self.now = None
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, day: dt.date) -> None:
        self.now = dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=BEIJING).astimezone(dt.UTC)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    c = Clock(monkeypatch)
    c.set(dt.date(2026, 4, 20))
    return c


def tick() -> str:
    out = StringIO()
    call_command("tick", only=["enforcement.overdue"], stdout=out)
    return out.getvalue().strip()


class Orders:
    """Complaint cases of enterprise A, each walked by the department to an order in the state asked for."""

    def __init__(self, personas) -> None:
        self.p = personas
        self.dept = personas.department

    def case(self, summary: str = "群众举报") -> Case:
        return services.open_case(
            self.dept,
            {"source": "complaint", "enterprise": self.p.enterprise_a, "dimensions": ["safety"], "summary": summary},
        )

    def inspect(self, case: Case, on: dt.date, *, passed: bool = False, order=None):
        data = {"inspecting_unit": "省工信厅", "inspectors": "王五、赵六", "inspected_on": on}
        results = [{"item": "SAF-GEN-1", "met": passed}]
        if order is not None:
            return services.reinspect(self.dept, order, data, results)
        return services.record_inspection(self.dept, case, data, results)

    def issue(self, case: Case, *, issued_on=ISSUED, deadline=DEADLINE) -> RectificationOrder:
        inspection = self.inspect(case, issued_on - dt.timedelta(days=1))
        return services.issue_order(
            self.dept,
            inspection,
            {"issued_on": issued_on, "deadline": deadline, "responsible_person": "李总经理"},
            [{"text": "补办安全生产许可证", "basis": "《安全生产法》第二十条"}],
        )

    def in_state(self, state: str, **dates) -> RectificationOrder:
        order = self.issue(self.case(f"{state} 的案件"), **dates)
        if state == "issued":
            return order
        services.start_order(self.p.ent_a, order)
        if state == "in_progress":
            return order
        services.report_done(self.p.ent_a, order, report="已补办", reported_on=dt.date(2026, 4, 10))
        if state in ("closed", "failed"):
            self.inspect(order.case, dt.date(2026, 4, 15), passed=state == "closed", order=order)
        order.refresh_from_db()
        assert order.state == state
        return order


@pytest.fixture
def orders(personas, clock) -> Orders:
    return Orders(personas)


def _overdue_events(order: RectificationOrder):
    return AuditEvent.objects.filter(
        content_type__model="rectificationorder", object_id=str(order.pk), after__event="overdue"
    )


def test_the_duty_is_registered_under_its_name():
    assert "enforcement.overdue" in DUTIES


def test_an_order_escalates_the_day_after_its_deadline_and_only_once(orders, clock):
    order = orders.in_state("in_progress")
    clock.set(DEADLINE)  # the deadline day itself is still within the deadline
    assert tick() == "enforcement.overdue: 0 orders newly overdue and escalated"
    order.refresh_from_db()
    assert order.overdue_since is None and order.case.status == "rectifying"
    assert not Closure.objects.filter(case=order.case).exists()

    clock.set(DEADLINE + dt.timedelta(days=1))
    assert tick() == "enforcement.overdue: 1 orders newly overdue and escalated"
    order.refresh_from_db()
    assert order.overdue_since == DEADLINE + dt.timedelta(days=1)
    assert order.state == "in_progress"  # overdue is a mark, not a state: the enterprise may still report
    case = Case.objects.get(pk=order.case_id)
    assert case.status == "escalated"
    closure = Closure.objects.get(case=case)
    assert closure.state == "proposed" and order.code in closure.reason and "2026-06-30" in closure.reason
    event = _overdue_events(order).get()
    assert event.actor is None and event.channel == AuditEvent.Channel.SYSTEM

    # Idempotent: the same day again, and days later, change nothing.
    for day in (DEADLINE + dt.timedelta(days=1), DEADLINE + dt.timedelta(days=9)):
        clock.set(day)
        assert tick() == "enforcement.overdue: 0 orders newly overdue and escalated"
    order.refresh_from_db()
    assert order.overdue_since == DEADLINE + dt.timedelta(days=1)
    assert _overdue_events(order).count() == 1
    assert Closure.objects.filter(case=case).count() == 1
    proposed = AuditEvent.objects.filter(content_type__model="closure", object_id=str(closure.pk))
    assert proposed.count() == 1


def test_a_missed_day_is_caught_up_with_the_overdue_date_of_the_deadline(orders, clock):
    order = orders.in_state("issued")
    clock.set(DEADLINE + dt.timedelta(days=30))  # the ticker did not run for a month
    assert tick().endswith("1 orders newly overdue and escalated")
    order.refresh_from_db()
    assert order.overdue_since == DEADLINE + dt.timedelta(days=1)


def test_only_issued_and_in_progress_orders_escalate(orders, clock):
    by_state = {state: orders.in_state(state) for state in ("issued", "in_progress", "submitted", "closed", "failed")}
    status_before = {s: Case.objects.get(pk=o.case_id).status for s, o in by_state.items()}
    assert status_before == {
        "issued": "rectifying",
        "in_progress": "rectifying",
        "submitted": "rectifying",
        "closed": "closed",
        "failed": "escalated",  # the failed re-inspection escalated it already
    }
    clock.set(DEADLINE + dt.timedelta(days=1))
    assert tick().endswith("2 orders newly overdue and escalated")
    for state, order in by_state.items():
        order.refresh_from_db()
        running = state in ("issued", "in_progress")
        assert (order.overdue_since is not None) == running, state
        assert order.state == state
        assert _overdue_events(order).count() == (1 if running else 0)
    statuses = {s: Case.objects.get(pk=o.case_id).status for s, o in by_state.items()}
    assert statuses == {**status_before, "issued": "escalated", "in_progress": "escalated"}
    # One proposal per escalated case: the failed order's, and the two overdue ones.
    assert Closure.objects.filter(state="proposed").count() == 3
    clock.set(DEADLINE + dt.timedelta(days=2))
    assert tick().endswith("0 orders newly overdue and escalated")


def test_a_withdrawn_closure_is_proposed_again_by_a_later_overdue_order(orders, clock, personas):
    first = orders.in_state("failed", deadline=dt.date(2026, 4, 30))
    case = Case.objects.get(pk=first.case_id)
    closure = Closure.objects.get(case=case)
    assert closure.state == "proposed" and first.code in closure.reason
    services.withdraw_closure(personas.department, closure, reason="企业承诺限期整改")
    case.refresh_from_db()
    closure.refresh_from_db()
    assert (closure.state, case.status) == ("withdrawn", "open")

    second = orders.issue(case, issued_on=dt.date(2026, 4, 18), deadline=dt.date(2026, 5, 31))
    clock.set(dt.date(2026, 5, 31))
    assert tick().endswith("0 orders newly overdue and escalated")
    clock.set(dt.date(2026, 6, 1))
    assert tick().endswith("1 orders newly overdue and escalated")
    closure.refresh_from_db()
    case.refresh_from_db()
    assert closure.state == "proposed" and second.code in closure.reason
    assert case.status == "escalated"
    assert Closure.objects.filter(case=case).count() == 1  # the same row, proposed again
    proposals = AuditEvent.objects.filter(
        content_type__model="closure", object_id=str(closure.pk), after__event="proposed"
    )
    assert proposals.count() == 2
    clock.set(dt.date(2026, 6, 2))
    assert tick().endswith("0 orders newly overdue and escalated")
    assert proposals.count() == 2


def test_an_overdue_order_leaves_a_decided_closure_and_its_closing_case_alone(orders, clock, personas):
    case = orders.case()
    late = orders.issue(case, deadline=dt.date(2026, 5, 15))
    failing = orders.issue(case)
    services.report_done(personas.ent_a, failing, report="已补办", reported_on=dt.date(2026, 4, 10))
    orders.inspect(case, dt.date(2026, 4, 15), order=failing)
    closure = Closure.objects.get(case=case)
    services.decide_closure(
        personas.department,
        closure,
        {
            "units": [personas.unit_a.pk],
            "basis": "二(八)",
            "document": "陕工信发〔2026〕9号",
            "decided_on": dt.date(2026, 4, 18),
            "effective_on": dt.date(2026, 9, 30),
        },
    )
    clock.set(dt.date(2026, 5, 16))
    assert tick().endswith("1 orders newly overdue and escalated")
    late.refresh_from_db()
    closure.refresh_from_db()
    case.refresh_from_db()
    assert late.overdue_since == dt.date(2026, 5, 16)
    assert closure.state == "decided" and case.status == "closing"


def test_the_duty_reads_the_day_from_the_now_it_is_given(orders, clock):
    # Late in the evening UTC is the next morning in Beijing: the order is overdue by Beijing's calendar.
    order = orders.in_state("issued")
    clock.set(DEADLINE)
    now = dt.datetime(DEADLINE.year, DEADLINE.month, DEADLINE.day, 17, 0, tzinfo=dt.UTC)  # 01:00 next day, Beijing
    assert DUTIES["enforcement.overdue"].run(now) == "1 orders newly overdue and escalated"
    order.refresh_from_db()
    assert order.overdue_since == DEADLINE + dt.timedelta(days=1)
