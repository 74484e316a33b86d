"""Support fund calls and applications in the API (/api/v1/support/calls, /applications)."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from youse.core import scopes
from youse.core.api_base import ERRORS
from youse.core.roles import Role
from youse.registry.api import _known_params, paginate
from youse.registry.models import Enterprise
from youse.registry.schemas import MAX_ID
from youse.support import queries, rules, services
from youse.support.models import Application, FundCall
from youse.support.schemas import (
    AcceptIn,
    ApplicationDetail,
    ApplicationEdit,
    ApplicationFilters,
    ApplicationIn,
    ApplicationList,
    ApproveIn,
    CallDetail,
    CallFilters,
    CallIn,
    CallList,
    DisburseIn,
    OpinionIn,
    RepayIn,
    RequiredReasonIn,
    Totals,
)
from youse.support.services.funds import disbursed

router = Router(tags=["support"])
ObjectId = Path(..., ge=1, le=MAX_ID)
DETAIL = {200: ApplicationDetail, **ERRORS}


def _call_out(c: FundCall) -> dict:
    fields = ("id", "year", "title", "document", "opens_on", "closes_on", "budget", "state")
    return {**{f: getattr(c, f) for f in fields}, "state_label": queries.call_state_label(c.state)}


@router.get("/calls", response={200: CallList, **ERRORS}, summary="List support fund calls (专项资金申报)")
def list_calls(request: HttpRequest, filters: Query[CallFilters]) -> dict:
    _known_params(request, CallFilters)
    qs = queries.calls(request.auth)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.state:
        qs = qs.filter(state=queries._choice("state", filters.state, [(s.value, "") for s in rules.CallState]))
    page = paginate(qs, filters)
    page["results"] = [_call_out(c) for c in page["results"]]
    return page


def _call(user, pk: int) -> FundCall:
    call = queries.calls(user).filter(pk=pk).first()
    if call is None:
        raise Http404("No support fund call matches the given query.")
    return call


def _call_detail(user, pk: int) -> dict:
    call = _call(user, pk)
    return {**_call_out(call), "budgets": queries.budgets_of(call)}


@router.get("/calls/{call_id}", response={200: CallDetail, **ERRORS}, summary="One call with its category budgets")
def get_call(request: HttpRequest, call_id: int = ObjectId) -> dict:
    return _call_detail(request.auth, call_id)


@router.post("/calls", response={201: CallDetail, **ERRORS}, summary="Draft a call (department)")
def create_call(request: HttpRequest, payload: CallIn) -> tuple[int, dict]:
    data = payload.model_dump(exclude={"budgets"})
    budgets = {b.category: b.budget for b in payload.budgets}
    call = services.create_call(request.auth, data, budgets)
    return 201, _call_detail(request.auth, call.pk)


@router.post("/calls/{call_id}/open", response={200: CallDetail, **ERRORS}, summary="Open the call")
def open_call(request: HttpRequest, call_id: int = ObjectId) -> dict:
    services.open_call(request.auth, _call(request.auth, call_id))
    return _call_detail(request.auth, call_id)


@router.post("/calls/{call_id}/close", response={200: CallDetail, **ERRORS}, summary="Close the call")
def close_call(request: HttpRequest, call_id: int = ObjectId) -> dict:
    services.close_call(request.auth, _call(request.auth, call_id))
    return _call_detail(request.auth, call_id)


# --- Applications ----------------------------------------------------------------------------------


def _app_out(a: Application) -> dict:
    fields = ("id", "code", "enterprise", "category", "project_name", "total_investment", "requested", "approved")
    return {
        **{f: getattr(a, f) for f in fields + ("state", "submitted_on", "decided_on", "accepted_on")},
        "call": a.call_id,
        "year": a.call.year,
        "city": a.enterprise.division.prefecture,
        "category_label": str(a.get_category_display()),
        "state_label": str(a.state_label),
        "disbursed": queries.money(a.paid if getattr(a, "paid", None) is not None else disbursed(a)),
    }


def _app_detail(user, pk: int) -> dict:
    a = scopes.get_visible_or_404(user, queries.applications(user), pk=pk)
    extra = ("content", "city_opinion", "decision_document", "decision_reason", "acceptance_report")
    return {
        **_app_out(a),
        **{f: getattr(a, f) for f in extra + ("repayment_required", "repaid", "repaid_on")},
        "outcomes": [
            {
                **{f: getattr(o, f) for f in ("id", "indicator", "unit", "expected", "achieved")},
                "share": rules.achievement(o.expected, o.achieved),
            }
            for o in a.outcomes.all()
        ],  # fmt: skip
        "disbursements": list(a.disbursements.values("id", "paid_on", "amount", "document")),
        "timeline": [
            {"time": s["time"], "event": s["event"], "actor": s["actor"] or "", "reason": s["reason"]}
            for s in queries.timeline(a)
        ],
    }


def _filtered(request: HttpRequest, filters) -> object:
    _known_params(request, ApplicationFilters)
    f = filters.model_dump(exclude={"page", "page_size"})
    return queries.filter_applications(queries.applications(request.auth), **f)


@router.get("/applications", response={200: ApplicationList, **ERRORS}, summary="List project applications")
def list_applications(request: HttpRequest, filters: Query[ApplicationFilters]) -> dict:
    page = paginate(_filtered(request, filters), filters)
    page["results"] = [_app_out(a) for a in page["results"]]
    return page


@router.get(
    "/applications/totals",
    response={200: Totals, **ERRORS},
    summary="Applications counted and summed by category and city",
)
def application_totals(request: HttpRequest, filters: Query[ApplicationFilters]) -> dict:
    t = queries.totals(_filtered(request, filters))
    return {"by_category": t["by_category"], "by_city": t["by_city"]}


@router.get("/applications/{app_id}", response=DETAIL, summary="One application")
def get_application(request: HttpRequest, app_id: int = ObjectId) -> dict:
    return _app_detail(request.auth, app_id)


@router.post("/applications", response={201: ApplicationDetail, **ERRORS}, summary="Draft an application")
def create_application(request: HttpRequest, payload: ApplicationIn) -> tuple[int, dict]:
    """An enterprise user applies for itself; a city or the department names the enterprise."""
    user = request.auth
    scopes.require(user, "support.apply")
    call = _call(user, payload.call)
    if user.role == Role.ENTERPRISE:
        enterprise = user.enterprise
    else:
        if payload.enterprise is None:
            raise ValidationError({"enterprise": [_("Name the enterprise.")]})
        enterprise = scopes.get_visible_or_404(user, Enterprise, pk=payload.enterprise)
    data = payload.model_dump(exclude={"call", "enterprise", "outcomes"})
    outcomes = [o.model_dump() for o in payload.outcomes]
    app = services.create_application(user, call, enterprise, data, outcomes)
    return 201, _app_detail(user, app.pk)


def _app(request: HttpRequest, pk: int) -> Application:
    return scopes.get_visible_or_404(request.auth, Application, pk=pk)


@router.put(
    "/applications/{app_id}",
    response=DETAIL,
    summary="Change a draft or returned application",
)
def update_application(request: HttpRequest, payload: ApplicationEdit, app_id: int = ObjectId) -> dict:
    data = payload.model_dump(exclude={"outcomes"})
    services.update_application(request.auth, _app(request, app_id), data, [o.model_dump() for o in payload.outcomes])
    return _app_detail(request.auth, app_id)


@router.post("/applications/{app_id}/submit", response=DETAIL, summary="Submit to the city")
def submit(request: HttpRequest, app_id: int = ObjectId) -> dict:
    services.submit(request.auth, _app(request, app_id))
    return _app_detail(request.auth, app_id)


@router.post("/applications/{app_id}/recommend", response=DETAIL, summary="The city recommends")
def recommend(request: HttpRequest, payload: OpinionIn, app_id: int = ObjectId) -> dict:
    services.recommend(request.auth, _app(request, app_id), payload.opinion)
    return _app_detail(request.auth, app_id)


@router.post("/applications/{app_id}/return", response=DETAIL, summary="The city returns it")
def return_application(request: HttpRequest, payload: RequiredReasonIn, app_id: int = ObjectId) -> dict:
    services.return_application(request.auth, _app(request, app_id), payload.reason)
    return _app_detail(request.auth, app_id)


@router.post("/applications/{app_id}/approve", response=DETAIL, summary="Approve an amount")
def approve(request: HttpRequest, payload: ApproveIn, app_id: int = ObjectId) -> dict:
    """Refused (400) above the amount requested or beyond the category's budget, with the figures."""
    services.approve(request.auth, _app(request, app_id), payload.amount, payload.document, payload.reason)
    return _app_detail(request.auth, app_id)


@router.post("/applications/{app_id}/reject", response=DETAIL, summary="Reject")
def reject(request: HttpRequest, payload: RequiredReasonIn, app_id: int = ObjectId) -> dict:
    services.reject(request.auth, _app(request, app_id), payload.reason)
    return _app_detail(request.auth, app_id)


@router.post("/applications/{app_id}/disbursements", response=DETAIL, summary="Record a payment")
def disburse(request: HttpRequest, payload: DisburseIn, app_id: int = ObjectId) -> dict:
    services.disburse(request.auth, _app(request, app_id), payload.amount, payload.paid_on, payload.document)
    return _app_detail(request.auth, app_id)


@router.post("/applications/{app_id}/acceptance", response=DETAIL, summary="Record the acceptance")
def accept(request: HttpRequest, payload: AcceptIn, app_id: int = ObjectId) -> dict:
    app = _app(request, app_id)
    # The capability before the figures: a caller who may not record the acceptance is told so (403), not
    # which outcome it left out.
    scopes.require(request.auth, "support.manage", app)
    achieved = {a.outcome: a.achieved for a in payload.achieved}
    services.accept(
        request.auth, app, passed=payload.passed, report=payload.report, achieved=achieved,
        accepted_on=payload.accepted_on, repayment=payload.repayment,
    )  # fmt: skip
    return _app_detail(request.auth, app_id)


@router.post("/applications/{app_id}/repayment", response=DETAIL, summary="Record a repayment")
def repay(request: HttpRequest, payload: RepayIn, app_id: int = ObjectId) -> dict:
    services.record_repayment(request.auth, _app(request, app_id), payload.amount, payload.repaid_on)
    return _app_detail(request.auth, app_id)
