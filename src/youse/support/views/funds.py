"""Fund calls and project applications: the lists with their filters, totals and chart, the application
page with its timeline and the steps the reader may take, the forms, and the Excel export."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from youse.core import scopes
from youse.core.history import history_events
from youse.core.modules import synthetic_data_loaded
from youse.core.pages import page_of, requires
from youse.core.roles import Role
from youse.registry.models import Enterprise
from youse.support import excel, queries, rules, services
from youse.support.forms import ApplicationFilterForm, ApplicationForm, CallForm, add_service_errors, mark_invalid
from youse.support.models import Application
from youse.support.models.funds import CATEGORY_SHORT
from youse.support.rules import AppState, CallState
from youse.support.services.funds import disbursed
from youse.support.views.common import chart_number, refused, render_page


def _filters(request: HttpRequest) -> tuple[ApplicationFilterForm, dict]:
    staff = request.user.role in (Role.DEPARTMENT, Role.PROVINCIAL_UNIT)
    form = ApplicationFilterForm(request.GET or None, show_city=staff)
    values = form.cleaned_data if form.is_valid() else {}
    return form, {k: v for k, v in values.items() if v not in (None, "")}


def _filtered(request: HttpRequest):
    form, f = _filters(request)
    qs = queries.applications(request.user)
    if request.GET.get("call", "").isdigit():
        f["call"] = int(request.GET["call"])
    try:
        qs = queries.filter_applications(qs, **f)
    except ValidationError:
        qs = qs.none()
    return form, f, qs.order_by("-call__year", "code")


def _chart(t: dict) -> dict:
    rows = t["by_category"]

    def series(name: str, key: str, color: str) -> dict:
        return {"name": name, "data": [chart_number(r[key]) for r in rows], "color": color}

    return {
        "categories": [str(CATEGORY_SHORT[r["key"]]) for r in rows],
        "unit": _("万元"),
        "horizontal": True,
        "series": [
            series(_("Requested"), "requested", "#9ec1e8"),
            series(pgettext("support funds", "Approved"), "approved", "#0f3c78"),
            series(_("Paid"), "disbursed", "#3fa66b"),
        ],
    }


@requires("support.view")
def applications(request: HttpRequest) -> HttpResponse:
    form, f, qs = _filtered(request)
    t = queries.totals(qs)
    query = request.GET.copy()
    query.pop("page", None)
    open_calls = queries.calls(request.user).filter(state=CallState.OPEN)
    return render_page(
        request,
        "support/applications.html",
        {"form": form, "page": page_of(request, qs), "totals": t, "chart": _chart(t), "query": query.urlencode(),
         "open_calls": open_calls, "call_filter": f.get("call")},
    )  # fmt: skip


@requires("support.view")
def applications_export(request: HttpRequest) -> HttpResponse:
    _form, f, qs = _filtered(request)
    return excel.applications_response(list(qs), queries.totals(qs), f, synthetic=synthetic_data_loaded())


def _enterprises(user):
    if user.role == Role.ENTERPRISE:
        return None
    return scopes.visible(user, Enterprise).filter(status=Enterprise.Status.ACTIVE).order_by("name")


@requires("support.apply")
def application_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    calls = queries.calls(user).filter(state=CallState.OPEN)
    call = calls.filter(pk=request.GET.get("call") or request.POST.get("call") or 0).first() or calls.first()
    if call is None:
        messages.error(request, _("No call is open for applications."))
        return redirect("support:applications")
    form = ApplicationForm(request.POST or None, call=call, enterprises=_enterprises(user))
    if request.method == "POST" and form.is_valid():
        enterprise = form.cleaned_data.get("enterprise") or user.enterprise
        data, outcomes = form.data_and_outcomes()
        try:
            app = services.create_application(user, call, enterprise, data, outcomes)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Application %(c)s is saved as a draft: submit it when it is complete.") % {
                "c": app.code})  # fmt: skip
            return redirect("support:application-detail", pk=app.pk)
    mark_invalid(form)
    return render_page(request, "support/application_form.html", {"form": form, "call": call, "calls": calls})


@requires("support.apply")
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    app = scopes.get_visible_or_404(user, Application.objects.select_related("call", "enterprise"), pk=pk)
    if app.state not in rules.EDITABLE:
        messages.error(request, _("An application that is %(s)s cannot be changed.") % {"s": app.state_label})
        return redirect("support:application-detail", pk=app.pk)
    initial = {f: getattr(app, f) for f in ("category", "project_name", "content", "total_investment", "requested")}
    for i, o in enumerate(app.outcomes.all(), start=1):
        initial |= {f"indicator_{i}": o.indicator, f"unit_{i}": o.unit, f"expected_{i}": o.expected}
    form = ApplicationForm(request.POST or None, call=app.call, initial=initial)
    if request.method == "POST" and form.is_valid():
        data, outcomes = form.data_and_outcomes()
        try:
            services.update_application(user, app, data, outcomes)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The application is saved."))
            return redirect("support:application-detail", pk=app.pk)
    mark_invalid(form)
    return render_page(request, "support/application_form.html", {"form": form, "call": app.call, "app": app})


def _actions(user, app: Application) -> set[str]:
    """The steps the reader may take on the application now."""
    can = {c: scopes.can(user, c) for c in ("support.apply", "support.recommend", "support.manage")}
    out = set()
    if can["support.apply"] and app.state in rules.EDITABLE:
        out |= {"edit", "submit"}
    if can["support.recommend"] and app.state == AppState.SUBMITTED:
        out |= {"recommend", "return"}
    if can["support.manage"]:
        if app.state == AppState.RECOMMENDED:
            out |= {"approve", "reject"}
        if app.state in rules.PAYABLE and (app.approved or 0) > disbursed(app):
            out.add("disburse")
        if app.state == AppState.APPROVED:
            out.add("accept")
        if app.state == AppState.FAILED and app.repayment_required and (app.repaid or 0) < app.repayment_required:
            out.add("repay")
    return out


@requires("support.view")
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    app = scopes.get_visible_or_404(user, queries.applications(user), pk=pk)
    outcomes = [{"o": o, "share": rules.achievement(o.expected, o.achieved)} for o in app.outcomes.all()]
    budget = next((b for b in queries.budgets_of(app.call) if b["category"] == app.category), None)
    return render_page(
        request,
        "support/application_detail.html",
        {"app": app, "outcomes": outcomes, "payments": app.disbursements.all(), "paid": disbursed(app),
         "timeline": queries.timeline(app), "actions": _actions(user, app), "budget": budget,
         "history": history_events(user, app)},
    )  # fmt: skip


STEPS = {
    "submit": lambda u, a, p: services.submit(u, a),
    "recommend": lambda u, a, p: services.recommend(u, a, p.get("opinion", "")),
    "return": lambda u, a, p: services.return_application(u, a, p.get("reason", "")),
    "approve": lambda u, a, p: services.approve(u, a, p.get("amount"), p.get("document", ""), p.get("reason", "")),
    "reject": lambda u, a, p: services.reject(u, a, p.get("reason", "")),
    "disburse": lambda u, a, p: services.disburse(
        u, a, p.get("amount"), p.get("paid_on") or None, p.get("document", "")
    ),
    "accept": lambda u, a, p: services.accept(
        u, a, passed=p.get("passed") == "1", report=p.get("report", ""), accepted_on=p.get("accepted_on") or None,
        achieved={o.pk: p.get(f"achieved_{o.pk}") for o in a.outcomes.all()}, repayment=p.get("repayment") or None,
    ),
    "repay": lambda u, a, p: services.record_repayment(u, a, p.get("amount"), p.get("repaid_on") or None),
}  # fmt: skip
DONE = {
    "submit": _("The application is submitted to the city."),
    "recommend": _("The application is recommended to the department."),
    "return": _("The application is returned to the enterprise."),
    "approve": _("The amount is approved."),
    "reject": _("The application is rejected."),
    "disburse": _("The payment is recorded."),
    "accept": _("The acceptance is recorded."),
    "repay": _("The repayment is recorded."),
}


@requires("support.view")
@require_POST
def application_action(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    app = scopes.get_visible_or_404(user, Application, pk=pk)
    step = STEPS.get(request.POST.get("action", ""))
    if step is None:
        raise Http404("No such step.")
    try:
        step(user, app, request.POST)
    except ValidationError as exc:
        refused(request, exc)
    else:
        messages.success(request, str(DONE[request.POST["action"]]))
    return redirect("support:application-detail", pk=app.pk)


# --- Calls ------------------------------------------------------------------------------------------


@requires("support.view")
def calls(request: HttpRequest) -> HttpResponse:
    rows = [
        {"call": c, "budgets": queries.budgets_of(c)} for c in queries.calls(request.user).prefetch_related("budgets")
    ]
    for r in rows:
        r["approved"] = sum((b["approved"] for b in r["budgets"]), 0)
        r["requested"] = sum((b["requested"] for b in r["budgets"]), 0)
    return render_page(request, "support/calls.html", {"rows": rows})


@requires("support.manage")
def call_create(request: HttpRequest) -> HttpResponse:
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.create_call(request.user, form.cleaned_data, form.budgets())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The call is drafted: open it when the window starts."))
            return redirect("support:call-detail", pk=call.pk)
    mark_invalid(form)
    return render_page(request, "support/call_form.html", {"form": form})


@requires("support.view")
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = queries.calls(request.user).filter(pk=pk).first()
    if call is None:
        raise Http404("No support fund call matches the given query.")
    apps = queries.applications(request.user).filter(call=call)
    return render_page(
        request,
        "support/call_detail.html",
        {"call": call, "budgets": queries.budgets_of(call), "count": apps.count(),
         "reopenable": call.state != CallState.OPEN and call.closes_on >= timezone.localdate(),
         "apps_url": f"{reverse('support:applications')}?call={call.pk}", "timeline": queries.timeline(call)},
    )  # fmt: skip


@requires("support.manage")
@require_POST
def call_action(request: HttpRequest, pk: int) -> HttpResponse:
    call = queries.calls(request.user).filter(pk=pk).first()
    if call is None:
        raise Http404("No support fund call matches the given query.")
    step = {"open": services.open_call, "close": services.close_call}.get(request.POST.get("action", ""))
    if step is None:
        raise Http404("No such step.")
    try:
        step(request.user, call)
    except ValidationError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("The call is %(s)s.") % {"s": queries.call_state_label(call.state)})
    return redirect("support:call-detail", pk=call.pk)
