"""Support fund calls and project applications (三(四)): the department opens a call, the enterprise
applies within its window, its city recommends or returns, the department approves an amount within the
category's budget or rejects, records the disbursements and the acceptance (验收), and a failed
acceptance's repayment."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from youse.core import scopes
from youse.registry.models import Enterprise
from youse.support import rules
from youse.support.models import Application, CallBudget, Disbursement, FundCall, Outcome
from youse.support.models.funds import APP_STATES, CATEGORY_CHOICES
from youse.support.rules import AppState, CallState
from youse.support.services.common import collect, date, decimal, event, text, today, user_or_none

CATEGORY_LABELS = dict(CATEGORY_CHOICES)
# Applications whose approved amount counts against the budget.
COMMITTED = (AppState.APPROVED, AppState.ACCEPTED, AppState.FAILED)


# --- Calls ------------------------------------------------------------------------------------------


def create_call(actor, data: dict, budgets: dict[str, object]) -> FundCall:
    """A draft call: year, title, document, window and the categories open with their budgets (万元;
    blank: no budget of the category's own)."""
    scopes.require(actor, "support.manage")
    year, title, document, opens_on, closes_on, budget = collect(
        lambda: _year(data.get("year")),
        lambda: text(data, "title"),
        lambda: text(data, "document", max_length=120),
        lambda: date(data.get("opens_on"), "opens_on"),
        lambda: date(data.get("closes_on"), "closes_on"),
        lambda: _positive(data.get("budget"), "budget", required=False),
    )
    problem = rules.window_dates_problem(opens_on, closes_on)
    if problem:
        raise ValidationError({"closes_on": [problem]})
    cleaned: dict[str, Decimal | None] = {}
    for category, value in (budgets or {}).items():
        if category not in CATEGORY_LABELS:
            raise ValidationError({"budgets": [_("Unknown category: %(c)s") % {"c": category}]})
        cleaned[category] = _positive(value, f"budget_{category}", required=False)
    if not cleaned:
        raise ValidationError({"budgets": [_("Open at least one category.")]})
    given = [b for b in cleaned.values() if b is not None]
    if budget is not None and sum(given, Decimal(0)) > budget:
        raise ValidationError(
            {"budget": [_("The categories' budgets (%(s)s 万元) exceed the overall budget.") % {"s": sum(given)}]}
        )
    with transaction.atomic():
        call = FundCall.objects.create(
            year=year, title=title, document=document, opens_on=opens_on, closes_on=closes_on, budget=budget,
            created_by=user_or_none(actor),
        )  # fmt: skip
        for category, value in cleaned.items():
            CallBudget.objects.create(call=call, category=category, budget=value)
        event(actor, call, "created", after={"budgets": {k: str(v) if v else None for k, v in cleaned.items()}})
    return call


def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"year": [_("Enter a year.")]}) from None
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": [_("Enter a year between 2000 and 2100.")]})
    return year


def _positive(value, field: str, *, required: bool = True) -> Decimal | None:
    number = decimal(value, field, required=required)
    if number is not None and number <= 0:
        raise ValidationError({field: [_("Enter an amount above zero.")]})
    return number


def _call_step(actor, call: FundCall, target: CallState, name: str, on: dt.date | None) -> FundCall:
    scopes.require(actor, "support.manage")
    with transaction.atomic():
        obj = FundCall.objects.select_for_update().get(pk=call.pk)
        try:
            rules.check_transition(rules.CALL_TRANSITIONS, obj.state, target)
        except rules.TransitionError:
            raise ValidationError(
                {
                    "state": [
                        _("A call that is %(s)s cannot become %(t)s.")
                        % {
                            "s": obj.get_state_display(),
                            "t": dict(FundCall._meta.get_field("state").flatchoices)[target.value],
                        }
                    ]
                }  # fmt: skip
            ) from None
        on = on or today()
        if on > today():
            raise ValidationError({"on": [_("A step cannot be dated in the future.")]})
        if target == CallState.OPEN and obj.closes_on < on:
            raise ValidationError({"state": [_("The window closed on %(d)s.") % {"d": obj.closes_on}]})
        before = obj.state
        obj.state = target.value
        obj.save(update_fields=["state"])
        event(actor, obj, name, before={"state": before}, after={"state": obj.state, "on": on.isoformat()})
    call.refresh_from_db()
    return call


def open_call(actor, call: FundCall, on: dt.date | None = None) -> FundCall:
    """Open the call for applications (`on`: the day it opened; blank: today). Not once its window closed."""
    return _call_step(actor, call, CallState.OPEN, "opened", on)


def close_call(actor, call: FundCall, on: dt.date | None = None) -> FundCall:
    return _call_step(actor, call, CallState.CLOSED, "closed", on)


# --- Applications: the enterprise's part -----------------------------------------------------------


def _next_code(year: int) -> str:
    stem = f"ZX-{year}-"
    last = Application.objects.filter(code__startswith=stem).order_by("-code").values_list("code", flat=True).first()
    n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{stem}{n:04d}"


def _fields(call: FundCall, data: dict) -> dict:
    category, name, content, investment, requested = collect(
        lambda: text(data, "category", max_length=12),
        lambda: text(data, "project_name"),
        lambda: text(data, "content", required=False, max_length=8000),
        lambda: _positive(data.get("total_investment"), "total_investment"),
        lambda: _positive(data.get("requested"), "requested"),
    )
    if not call.budgets.filter(category=category).exists():
        label = CATEGORY_LABELS.get(category, category)
        raise ValidationError({"category": [_("The call does not fund %(c)s.") % {"c": label}]})
    if requested > investment:
        raise ValidationError({"requested": [_("The amount requested cannot exceed the project's total investment.")]})
    return {"category": category, "project_name": name, "content": content, "total_investment": investment,
            "requested": requested}  # fmt: skip


def _outcomes(outcomes: list[dict]) -> list[dict]:
    rows = []
    for i, o in enumerate(outcomes or [], start=1):
        if not any(str(o.get(k) or "").strip() for k in ("indicator", "unit", "expected")):
            continue
        field = f"outcomes[{i}]"
        indicator, unit = str(o.get("indicator") or "").strip(), str(o.get("unit") or "").strip()
        if not indicator or not unit or len(indicator) > 80 or len(unit) > 20:
            raise ValidationError({field: [_("Each outcome needs its indicator and unit.")]})
        expected = decimal(o.get("expected"), field)
        if expected <= 0:
            raise ValidationError({field: [_("The expected value must be above zero.")]})
        rows.append({"indicator": indicator, "unit": unit, "expected": expected})
    if not rows:
        raise ValidationError({"outcomes": [_("State at least one measurable outcome (e.g. energy saved, tce).")]})
    return rows


def create_application(actor, call: FundCall, enterprise: Enterprise, data: dict, outcomes: list[dict]) -> Application:
    """A draft application of `enterprise` to an open call, with its measurable outcomes."""
    scopes.require(actor, "support.apply", enterprise)
    if call.state != CallState.OPEN:
        raise ValidationError({"call": [_("The call is not open for applications.")]})
    fields, rows = collect(lambda: _fields(call, data), lambda: _outcomes(outcomes))
    with transaction.atomic():
        app = Application.objects.create(
            code=_next_code(call.year), call=call, enterprise=enterprise, created_by=user_or_none(actor), **fields
        )
        Outcome.objects.bulk_create(Outcome(application=app, **row) for row in rows)
        event(actor, app, "drafted", after={"requested": str(app.requested), "category": app.category})
    return app


def update_application(actor, app: Application, data: dict, outcomes: list[dict]) -> Application:
    scopes.require(actor, "support.apply", app)
    _editable(app)
    fields, rows = collect(lambda: _fields(app.call, data), lambda: _outcomes(outcomes))
    with transaction.atomic():
        obj = Application.objects.select_for_update().get(pk=app.pk)
        _editable(obj)
        before = {k: str(getattr(obj, k)) for k in fields}
        for key, value in fields.items():
            setattr(obj, key, value)
        obj.save()
        obj.outcomes.all().delete()
        Outcome.objects.bulk_create(Outcome(application=obj, **row) for row in rows)
        event(actor, obj, "edited", before=before, after={k: str(v) for k, v in fields.items()})
    app.refresh_from_db()
    return app


def _editable(app: Application) -> None:
    if app.state not in rules.EDITABLE:
        raise ValidationError(
            {"state": [_("An application that is %(s)s cannot be changed.") % {"s": app.state_label}]}
        )


def _step(actor, app: Application, capability: str, target: AppState):
    """Lock the row and check the transition; the caller has checked the capability (outside the
    transaction, so that a refusal's audit event stays) and changes fields and saves."""
    obj = Application.objects.select_for_update().select_related("call").get(pk=app.pk)
    try:
        rules.check_transition(rules.APP_TRANSITIONS, obj.state, target)
    except rules.TransitionError:
        raise ValidationError(
            {
                "state": [
                    _("An application that is %(s)s cannot become %(t)s.")
                    % {"s": obj.state_label, "t": dict(APP_STATES)[target.value]}
                ]
            }  # fmt: skip
        ) from None
    return obj, obj.state


def submit(actor, app: Application, on: dt.date | None = None) -> Application:
    """The enterprise submits within the call's window; the application goes to its city."""
    on = on or today()
    if on > today():
        raise ValidationError({"submitted_on": [_("A submission cannot be dated in the future.")]})
    scopes.require(actor, "support.apply", app)
    with transaction.atomic():
        obj, before = _step(actor, app, "support.apply", AppState.SUBMITTED)
        call = obj.call
        problem = rules.window_problem(call.state, call.opens_on, call.closes_on, on)
        if problem:
            raise ValidationError({"call": [problem]})
        obj.state, obj.submitted_on = AppState.SUBMITTED.value, on
        obj.save(update_fields=["state", "submitted_on"])
        event(actor, obj, "submitted", before={"state": before}, after={"state": obj.state, "on": on.isoformat()})
    app.refresh_from_db()
    return app


def recommend(actor, app: Application, opinion: str = "", on: dt.date | None = None) -> Application:
    """The city recommends the project to the department, with its opinion."""
    scopes.require(actor, "support.recommend", app)
    with transaction.atomic():
        obj, before = _step(actor, app, "support.recommend", AppState.RECOMMENDED)
        obj.state, obj.city_opinion, obj.recommended_on = AppState.RECOMMENDED.value, opinion.strip(), on or today()
        obj.save(update_fields=["state", "city_opinion", "recommended_on"])
        event(actor, obj, "recommended", before={"state": before}, after={"state": obj.state,
              "on": obj.recommended_on.isoformat()}, reason=opinion)  # fmt: skip
    app.refresh_from_db()
    return app


def return_application(actor, app: Application, reason: str) -> Application:
    """The city sends the application back to the enterprise, saying why."""
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the application is returned.")]})
    scopes.require(actor, "support.recommend", app)
    with transaction.atomic():
        obj, before = _step(actor, app, "support.recommend", AppState.RETURNED)
        obj.state, obj.city_opinion = AppState.RETURNED.value, reason.strip()
        obj.save(update_fields=["state", "city_opinion"])
        event(actor, obj, "returned", before={"state": before}, after={"state": obj.state}, reason=reason.strip())
    app.refresh_from_db()
    return app


# --- Applications: the department's decision, payments and acceptance -----------------------------


def committed(call: FundCall, category: str | None = None, exclude: int | None = None) -> Decimal:
    qs = Application.objects.filter(call=call, state__in=[s.value for s in COMMITTED])
    if category:
        qs = qs.filter(category=category)
    if exclude:
        qs = qs.exclude(pk=exclude)
    return qs.aggregate(s=Sum("approved"))["s"] or Decimal(0)


def approve(actor, app: Application, amount, document: str = "", reason: str = "", on=None) -> Application:
    """The department approves an amount: not above the request, and the category's (and the call's)
    approved total within its budget. The budget rows are locked so two approvals cannot both pass."""
    amount = _positive(amount, "amount")
    on = date(on, "decided_on", required=False) or today()
    if on > today():
        raise ValidationError({"decided_on": [_("A decision cannot be dated in the future.")]})
    scopes.require(actor, "support.manage", app)
    with transaction.atomic():
        obj, before = _step(actor, app, "support.manage", AppState.APPROVED)
        problem = rules.amount_problem(amount, obj.requested)
        if problem:
            raise ValidationError({"amount": [problem]})
        call = FundCall.objects.select_for_update().get(pk=obj.call_id)
        budget = CallBudget.objects.select_for_update().get(call=call, category=obj.category)
        label = CATEGORY_LABELS[obj.category]
        problem = rules.budget_problem(budget.budget, committed(call, obj.category), amount, str(label))
        problem = problem or rules.budget_problem(call.budget, committed(call), amount, str(_("the call")))
        if problem:
            raise ValidationError({"amount": [problem]})
        obj.state, obj.approved, obj.decided_on = AppState.APPROVED.value, amount, on
        obj.decision_document, obj.decision_reason = document.strip()[:120], reason.strip()
        obj.save(update_fields=["state", "approved", "decided_on", "decision_document", "decision_reason"])
        after = {"state": obj.state, "amount": str(amount), "on": on.isoformat()}
        event(actor, obj, "approved", before={"state": before}, after=after, reason=reason)
    app.refresh_from_db()
    return app


def reject(actor, app: Application, reason: str, on=None) -> Application:
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the application is rejected.")]})
    scopes.require(actor, "support.manage", app)
    with transaction.atomic():
        obj, before = _step(actor, app, "support.manage", AppState.REJECTED)
        obj.state, obj.decision_reason, obj.decided_on = AppState.REJECTED.value, reason.strip(), on or today()
        obj.save(update_fields=["state", "decision_reason", "decided_on"])
        event(actor, obj, "rejected", before={"state": before}, after={"state": obj.state,
              "on": obj.decided_on.isoformat()}, reason=reason.strip())  # fmt: skip
    app.refresh_from_db()
    return app


def disbursed(app: Application) -> Decimal:
    return app.disbursements.aggregate(s=Sum("amount"))["s"] or Decimal(0)


def disburse(actor, app: Application, amount, paid_on=None, document: str = "") -> Disbursement:
    """A payment on an approved project; the payments together never exceed the approved amount."""
    scopes.require(actor, "support.manage", app)
    amount, paid_on = collect(lambda: decimal(amount, "amount"), lambda: date(paid_on, "paid_on", required=False))
    paid_on = paid_on or today()
    with transaction.atomic():
        obj = Application.objects.select_for_update().get(pk=app.pk)
        if obj.state not in rules.PAYABLE:
            raise ValidationError({"state": [_("An application that is %(s)s receives no payment.") % {
                "s": obj.state_label}]})  # fmt: skip
        if paid_on > today() or (obj.decided_on and paid_on < obj.decided_on):
            raise ValidationError({"paid_on": [_("A payment is dated between the decision and today.")]})
        problem = rules.disbursement_problem(obj.approved, disbursed(obj), amount)
        if problem:
            raise ValidationError({"amount": [problem]})
        payment = Disbursement.objects.create(
            application=obj, paid_on=paid_on, amount=amount, document=document.strip()[:120],
            recorded_by=user_or_none(actor),
        )  # fmt: skip
        event(actor, obj, "disbursed", after={"amount": str(amount), "on": paid_on.isoformat(),
              "document": payment.document})  # fmt: skip
    return payment


def accept(
    actor, app: Application, *, passed: bool, report: str, achieved: dict, accepted_on=None, repayment=None
) -> Application:
    """Acceptance (验收): each outcome's achieved value against the expected one, the findings, pass or
    fail; a failed acceptance may require repayment of what was paid (recorded later)."""
    report = (report or "").strip()
    accepted_on = date(accepted_on, "accepted_on", required=False) or today()
    errors: dict[str, list[str]] = {}
    if not report:
        errors["report"] = [_("Record the acceptance findings.")]
    values: dict[int, Decimal] = {}
    for outcome in app.outcomes.all():
        try:
            value = decimal(achieved.get(outcome.pk, achieved.get(str(outcome.pk))), f"achieved_{outcome.pk}")
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        if value < 0:
            errors[f"achieved_{outcome.pk}"] = [_("Enter a value of zero or more.")]
        values[outcome.pk] = value
    try:
        repayment = decimal(repayment, "repayment", required=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if repayment is not None and passed:
        errors["repayment"] = [_("Only a failed acceptance requires repayment.")]
    if accepted_on > today():
        errors["accepted_on"] = [_("An acceptance cannot be dated in the future.")]
    if errors:
        raise ValidationError(errors)
    target = AppState.ACCEPTED if passed else AppState.FAILED
    scopes.require(actor, "support.manage", app)
    with transaction.atomic():
        obj, before = _step(actor, app, "support.manage", target)
        if obj.decided_on and accepted_on < obj.decided_on:
            raise ValidationError({"accepted_on": [_("The acceptance cannot precede the approval.")]})
        if repayment is not None:
            problem = rules.repayment_problem(disbursed(obj), repayment)
            if problem:
                raise ValidationError({"repayment": [problem]})
        for outcome in obj.outcomes.all():
            outcome.achieved = values[outcome.pk]
            outcome.save(update_fields=["achieved"])
        obj.state, obj.accepted_on, obj.acceptance_report = target.value, accepted_on, report
        obj.repayment_required = repayment
        obj.save(update_fields=["state", "accepted_on", "acceptance_report", "repayment_required"])
        event(actor, obj, "accepted" if passed else "failed", before={"state": before},
              after={"state": obj.state, "on": accepted_on.isoformat(),
                     "achieved": {str(k): str(v) for k, v in values.items()},
                     **({"repayment": str(repayment)} if repayment is not None else {})}, reason=report)  # fmt: skip
    app.refresh_from_db()
    return app


def record_repayment(actor, app: Application, amount, repaid_on=None) -> Application:
    """The money returned after a failed acceptance, up to the amount required."""
    scopes.require(actor, "support.manage", app)
    amount, repaid_on = collect(lambda: decimal(amount, "amount"), lambda: date(repaid_on, "repaid_on", required=False))
    repaid_on = repaid_on or today()
    with transaction.atomic():
        obj = Application.objects.select_for_update().get(pk=app.pk)
        if obj.state != AppState.FAILED or obj.repayment_required is None:
            raise ValidationError({"state": [_("No repayment is required of this project.")]})
        if repaid_on > today() or (obj.accepted_on and repaid_on < obj.accepted_on):
            raise ValidationError({"repaid_on": [_("A repayment is dated between the acceptance and today.")]})
        problem = rules.repayment_problem(obj.repayment_required - (obj.repaid or 0), amount)
        if problem:
            raise ValidationError({"amount": [problem]})
        obj.repaid, obj.repaid_on = (obj.repaid or Decimal(0)) + amount, repaid_on
        obj.save(update_fields=["repaid", "repaid_on"])
        event(actor, obj, "repaid", after={"amount": str(amount), "on": repaid_on.isoformat()})
    app.refresh_from_db()
    return app
