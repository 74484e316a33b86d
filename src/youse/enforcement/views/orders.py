"""Rectification orders: the list with its deadline countdown (overdue first), issuing an order from a
failed inspection, the enterprise's start and report, and the re-inspection."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case as CaseWhen
from django.db.models import IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youse.core import scopes
from youse.enforcement import services
from youse.enforcement.forms import (
    OrderForm,
    ReportDoneForm,
    RequirementFormSet,
    StartOrderForm,
    add_service_errors,
    mark_invalid,
    requirement_initial,
    requirements_of,
)
from youse.enforcement.models import Inspection, RectificationOrder
from youse.enforcement.rules import OrderState
from youse.enforcement.views.cases import inspection_page, render_case
from youse.enforcement.views.common import overdue_q, page_of, render_page, viewer

SHOW = ("running", "done", "all")


@viewer()
def order_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    show = request.GET.get("show") if request.GET.get("show") in SHOW else "running"
    qs = scopes.visible(user, RectificationOrder).select_related("case__enterprise", "case__city")
    if show == "running":
        qs = qs.filter(state__in=[OrderState.ISSUED, OrderState.IN_PROGRESS, OrderState.SUBMITTED])
    elif show == "done":
        qs = qs.filter(state__in=[OrderState.CLOSED, OrderState.FAILED])
    qs = qs.annotate(
        late=CaseWhen(When(overdue_q(today), then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("late", "deadline", "pk")
    page = page_of(request, qs)
    for o in page.object_list:
        o.is_overdue = o.late == 0
        o.days_left = (o.deadline - today).days
        o.days_overdue = max(0, -o.days_left)
    return render_page(
        request,
        "enforcement/order_list.html",
        {
            "page": page,
            "show": show,
            "shows": [("running", _("Running")), ("done", _("Closed or failed")), ("all", _("All"))],
            "today": today,
        },
    )


@viewer("enforcement.order")
def order_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """An order from a failed inspection, its requirements prefilled from the failed findings."""
    user = request.user
    inspection = scopes.get_visible_or_404(
        user, Inspection.objects.select_related("case__enterprise", "case__city"), pk=pk
    )
    scopes.require(user, "enforcement.order", inspection.case)
    findings = list(inspection.findings.filter(failed=True).select_related("item__norm"))
    post = request.POST if request.method == "POST" else None
    today = timezone.localdate()
    form = OrderForm(post, initial={"issued_on": today})
    requirements = RequirementFormSet(post, prefix="req", initial=requirement_initial(findings))
    if post is not None and form.is_valid() and requirements.is_valid():
        data = form.cleaned_data
        try:
            order = services.issue_order(
                user,
                inspection,
                {k: data[k] for k in ("issued_on", "deadline", "responsible_person")},
                requirements_of(requirements),
                reason=data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Order %(code)s issued: rectify by %(d)s.") % {"code": order.code, "d": order.deadline.isoformat()},
            )
            return redirect("enforcement:case-detail", pk=inspection.case_id)
    if post is not None:
        messages.error(request, _("The order was not issued: see the form below."))
    return render_page(
        request,
        "enforcement/order_form.html",
        {"inspection": inspection, "case": inspection.case, "form": mark_invalid(form), "requirements": requirements},
    )


def _order(request: HttpRequest, pk: int) -> RectificationOrder:
    return scopes.get_visible_or_404(
        request.user, RectificationOrder.objects.select_related("case", "inspection"), pk=pk
    )


@viewer()
@require_POST
def order_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The enterprise's answers to its order: it starts the work, then reports it done with evidence."""
    user = request.user
    order = _order(request, pk)
    scopes.require(user, "enforcement.respond", order)
    if action == "start":
        form = StartOrderForm(request.POST, prefix=f"start-{order.pk}")
    elif action == "report":
        form = ReportDoneForm(request.POST, request.FILES, prefix=f"report-{order.pk}")
    else:
        return redirect("enforcement:case-detail", pk=order.case_id)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "start":
                services.start_order(user, order, note=data["note"])
                done = _("Work on %(code)s started.")
            else:
                services.report_done(
                    user, order, report=data["report"], reported_on=data["reported_on"], files=data["files"]
                )
                done = _("%(code)s reported done: the city re-inspects.")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done % {"code": order.code})
            return redirect("enforcement:case-detail", pk=order.case_id)
    messages.error(request, _("Nothing was changed: see the form below."))
    key = f"{action}-{order.pk}"
    return render_case(request, order.case, {key: mark_invalid(form)}, open_action=key)


@viewer("enforcement.inspect")
def order_reinspect(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    scopes.require(request.user, "enforcement.inspect", order)
    if order.state != OrderState.SUBMITTED:
        messages.error(request, _("Re-inspect an order once the enterprise has reported it done."))
        return redirect("enforcement:case-detail", pk=order.case_id)
    return inspection_page(request, order.case, order=order)
