"""Fund calls and applications through the services: capability, scope, audit, refusals, atomicity."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from tests.support.conftest import OUTCOMES, bring, draft, open_call
from youse.core import audit
from youse.core.models import AuditEvent
from youse.support import services
from youse.support.models import Application, Disbursement, FundCall


def steps(obj) -> list[str]:
    return [e.after.get("event") for e in audit.history(obj).order_by("time", "pk") if e.after]


def test_it_takes_an_application_from_draft_to_acceptance(personas, call):
    app = bring(personas, draft(personas, call), "accepted")
    assert app.state == "accepted" and app.approved == Decimal(400)
    assert steps(app) == ["drafted", "submitted", "recommended", "approved", "disbursed", "accepted"]
    assert [o.achieved for o in app.outcomes.all()] == [Decimal(1300), Decimal(1300)]
    # The final instalment may be paid after a passed acceptance.
    services.disburse(personas.department, app, "200")
    with pytest.raises(ValidationError, match="at most 0"):
        services.disburse(personas.department, app, "0.01")


def test_it_only_lets_a_department_open_calls(personas):
    with pytest.raises(PermissionDenied):
        open_call(personas.city)
    assert not FundCall.objects.exists()
    assert AuditEvent.objects.filter(action="refused").exists()


def test_it_refuses_a_window_that_closes_before_it_opens(personas):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.create_call(
            personas.department,
            {"year": 2020, "title": "t", "document": "d", "opens_on": today, "closes_on": today - dt.timedelta(1)},
            {"green": "10"},
        )
    assert "closes_on" in exc.value.message_dict


def test_it_refuses_a_submission_outside_the_window(personas, call):
    app = draft(personas, call)
    with pytest.raises(ValidationError, match="opens on"):
        services.submit(personas.ent_a, app, on=call.opens_on - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="future"):
        services.submit(personas.ent_a, app, on=call.closes_on + dt.timedelta(days=1))
    services.close_call(personas.department, call)
    with pytest.raises(ValidationError, match="not open"):
        services.submit(personas.ent_a, app)
    app.refresh_from_db()
    assert app.state == "draft"


def test_it_refuses_a_category_the_call_does_not_fund(personas, call):
    with pytest.raises(ValidationError) as exc:
        draft(personas, call, category="platform")
    assert "category" in exc.value.message_dict
    assert not Application.objects.exists()


def test_it_refuses_a_request_above_the_investment_and_missing_outcomes(personas, call):
    with pytest.raises(ValidationError) as exc:
        services.create_application(
            personas.ent_a, call, personas.enterprise_a,
            {"category": "green", "project_name": "x", "total_investment": "100", "requested": "200"}, [],
        )  # fmt: skip
    assert {"requested", "outcomes"} <= set(exc.value.message_dict)


def test_it_keeps_an_enterprise_to_its_own_applications(personas, call):
    with pytest.raises(Http404):
        services.create_application(personas.ent_a, call, personas.enterprise_b, {}, OUTCOMES)
    app = draft(personas, call, "b")
    with pytest.raises(Http404):
        services.submit(personas.ent_a, app)


def test_it_keeps_a_city_to_its_own_enterprises(personas, call):
    app_b = draft(personas, call, "b")
    services.submit(personas.ent_b, app_b)
    with pytest.raises(Http404):
        services.recommend(personas.city, app_b, "同意")
    app_a = draft(personas, call)
    services.submit(personas.ent_a, app_a)
    with pytest.raises(PermissionDenied):
        services.recommend(personas.ent_a, app_a, "自荐")
    services.recommend(personas.city, app_a, "同意")


def test_it_needs_a_reason_to_return_and_lets_the_enterprise_resubmit(personas, call):
    app = draft(personas, call)
    services.submit(personas.ent_a, app)
    with pytest.raises(ValidationError):
        services.return_application(personas.city, app, " ")
    services.return_application(personas.city, app, "缺少可研报告")
    services.update_application(
        personas.ent_a, app, {"category": "intelligent", "project_name": "智能工厂", "total_investment": "900",
                              "requested": "300"}, OUTCOMES[:1],
    )  # fmt: skip
    services.submit(personas.ent_a, app)
    app.refresh_from_db()
    assert (app.state, app.category, app.outcomes.count()) == ("submitted", "intelligent", 1)
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.update_application(personas.ent_a, app, {"category": "green"}, OUTCOMES)


def test_it_refuses_approval_beyond_the_category_budget_with_the_figures(personas, call):
    first = bring(personas, draft(personas, call, requested="700"), "approved", amount="700")
    second = bring(personas, draft(personas, call, requested="500"), "recommended")
    with pytest.raises(ValidationError) as exc:
        services.approve(personas.department, second, "400")
    message = exc.value.message_dict["amount"][0]
    assert "1000" in message and "700" in message and "300" in message
    second.refresh_from_db()
    assert second.state == "recommended" and second.approved is None
    services.approve(personas.department, second, "300")
    assert first.approved + Application.objects.get(pk=second.pk).approved == Decimal(1000)


def test_it_refuses_approval_beyond_the_call_budget(personas):
    call = open_call(personas.department, budgets={"green": None, "brand": None}, budget="500")
    bring(personas, draft(personas, call), "approved", amount="450")
    other = bring(personas, draft(personas, call, category="brand", requested="100"), "recommended")
    with pytest.raises(ValidationError, match="at most 50"):
        services.approve(personas.department, other, "100")


def test_it_approves_no_more_than_requested(personas, call):
    app = bring(personas, draft(personas, call), "recommended")
    with pytest.raises(ValidationError, match="more than"):
        services.approve(personas.department, app, "501")


def test_it_lets_only_the_department_decide(personas, call):
    app = bring(personas, draft(personas, call), "recommended")
    for user in (personas.city, personas.ent_a, personas.environment):
        with pytest.raises(PermissionDenied):
            services.approve(user, app, "100")
    assert AuditEvent.objects.filter(action="refused", object_id=str(app.pk)).count() == 3


def test_it_needs_a_reason_to_reject(personas, call):
    app = bring(personas, draft(personas, call), "recommended")
    with pytest.raises(ValidationError):
        services.reject(personas.department, app, "")
    bring(personas, app, "rejected") if False else services.reject(personas.department, app, "不符合方向")
    app.refresh_from_db()
    assert app.state == "rejected"
    with pytest.raises(ValidationError):
        services.disburse(personas.department, app, "1")


def test_it_pays_no_more_than_approved_and_nothing_half(personas, call):
    app = bring(personas, draft(personas, call), "approved", amount="400")
    services.disburse(personas.department, app, "300")
    with pytest.raises(ValidationError, match="at most 100"):
        services.disburse(personas.department, app, "150")
    with pytest.raises(ValidationError):
        services.disburse(personas.department, app, "10", paid_on=timezone.localdate() + dt.timedelta(days=1))
    assert Disbursement.objects.filter(application=app).count() == 1
    assert steps(app).count("disbursed") == 1


def test_it_records_a_failed_acceptance_and_its_repayment(personas, call):
    app = bring(personas, draft(personas, call), "failed", amount="400")
    assert app.state == "failed" and app.repayment_required == Decimal(100)
    with pytest.raises(ValidationError):
        services.disburse(personas.department, app, "1")
    with pytest.raises(ValidationError):
        services.record_repayment(personas.department, app, "150")
    services.record_repayment(personas.department, app, "100")
    app.refresh_from_db()
    assert app.repaid == Decimal(100) and steps(app)[-1] == "repaid"


def test_it_refuses_a_repayment_above_what_was_paid(personas, call):
    app = bring(personas, draft(personas, call), "paid", amount="400")  # 200 paid
    ids = list(app.outcomes.values_list("pk", flat=True))
    with pytest.raises(ValidationError) as exc:
        services.accept(personas.department, app, passed=False, report="未达标", achieved={i: "0" for i in ids},
                        repayment="250")  # fmt: skip
    assert "repayment" in exc.value.message_dict
    app.refresh_from_db()
    assert app.state == "approved" and all(o.achieved is None for o in app.outcomes.all())


def test_it_needs_every_achieved_value_at_acceptance(personas, call):
    app = bring(personas, draft(personas, call), "approved")
    first = app.outcomes.first()
    with pytest.raises(ValidationError) as exc:
        services.accept(personas.department, app, passed=True, report="好", achieved={first.pk: "5"})
    assert len(exc.value.message_dict) == 1


def test_it_refuses_a_submission_after_the_window_closed(personas):
    today = timezone.localdate()
    call = services.create_call(
        personas.department,
        {"year": 2020, "title": "t", "document": "d", "opens_on": today - dt.timedelta(30),
         "closes_on": today - dt.timedelta(10)},
        {"green": "10"},
    )  # fmt: skip
    with pytest.raises(ValidationError, match="closed on"):
        services.open_call(personas.department, call)
    services.open_call(personas.department, call, on=today - dt.timedelta(20))
    app = draft(personas, call, requested="5")
    with pytest.raises(ValidationError, match="closed on"):
        services.submit(personas.ent_a, app)
    services.submit(personas.ent_a, app, on=today - dt.timedelta(15))
