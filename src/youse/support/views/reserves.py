"""Reserves: the overview by metal and kind against the plans (with the plan form), the holdings list
with its filters and export, a holding's page with its movement ledger, and the forms."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.http import require_POST

from youse.core import scopes
from youse.core.history import history_events
from youse.core.modules import synthetic_data_loaded
from youse.core.pages import page_of, requires
from youse.core.roles import Role
from youse.registry.models import Enterprise
from youse.support import excel, queries, services
from youse.support.forms import HoldingFilterForm, HoldingForm, MovementForm, PlanForm, add_service_errors, mark_invalid
from youse.support.models import Holding, ReservePlan
from youse.support.services.reserves import can_move
from youse.support.views.common import chart_number, refused, render_page

SHORT_KINDS = {
    "government": pgettext_lazy("reserve kind", "government"),
    "commercial": pgettext_lazy("reserve kind", "commercial"),
}


def _chart(rows: list[dict]) -> dict:
    return {
        "categories": [f"{r['metal_name']} · {SHORT_KINDS[r['kind']]!s}" for r in rows],
        "unit": "t",
        "horizontal": True,
        "series": [
            {
                "name": pgettext("reserves", "Target"),
                "data": [chart_number(r["target_t"]) for r in rows],
                "color": "#9ec1e8",
            },
            {"name": _("Held"), "data": [chart_number(r["held_t"]) for r in rows], "color": "#0f3c78"},
        ],
    }


def _overview(request: HttpRequest, plan_form: PlanForm | None = None, status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    rows = queries.summary(request.user, today)
    return render_page(
        request,
        "support/reserves.html",
        {"rows": rows, "chart": _chart(rows), "today": today,
         "plans": ReservePlan.objects.select_related("metal").order_by("-starts_on", "metal__order", "kind"),
         "plan_form": plan_form or (PlanForm() if scopes.can(request.user, "support.manage") else None)},
        status=status,
    )  # fmt: skip


@requires("support.view")
def reserves(request: HttpRequest) -> HttpResponse:
    return _overview(request)


@requires("support.manage")
@require_POST
def plan_create(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            services.set_plan(request.user, {**form.cleaned_data, "metal": form.cleaned_data["metal"]})
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The reserve plan is set."))
            return redirect("support:reserves")
    mark_invalid(form)
    messages.error(request, _("Nothing was changed: see the form below."))
    return _overview(request, form, status=400)


def _holdings(request: HttpRequest):
    form = HoldingFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    qs = queries.holdings(request.user)
    try:
        qs = queries.filter_holdings(qs, metal=f.get("metal"), kind=f.get("kind"), city=f.get("city"))
    except ValidationError:
        qs = qs.none()
    if f.get("holder"):
        qs = qs.filter(Q(enterprise__name__icontains=f["holder"]) | Q(holder_body__icontains=f["holder"]))
    return form, f, qs


@requires("support.view")
def holdings(request: HttpRequest) -> HttpResponse:
    form, _f, qs = _holdings(request)
    query = request.GET.copy()
    query.pop("page", None)
    can_register = scopes.can(request.user, "support.manage") or scopes.can(request.user, "support.reserves")
    return render_page(
        request,
        "support/holdings.html",
        {"form": form, "page": page_of(request, qs), "query": query.urlencode(), "can_register": can_register,
         "total": sum((h.quantity_t for h in qs), 0) if form.is_valid() and form.cleaned_data.get("metal") else None},
    )  # fmt: skip


@requires("support.view")
def holdings_export(request: HttpRequest) -> HttpResponse:
    _form, f, qs = _holdings(request)
    return excel.holdings_response(list(qs), f, synthetic=synthetic_data_loaded())


@requires("support.view")
def holding_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role == Role.ENTERPRISE:
        scopes.require(user, "support.reserves")
        form = HoldingForm(request.POST or None, kinds={"commercial"})
    else:
        scopes.require(user, "support.manage")
        enterprises = scopes.visible(user, Enterprise).filter(status=Enterprise.Status.ACTIVE).order_by("name")
        form = HoldingForm(request.POST or None, enterprises=enterprises)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["enterprise"] = user.enterprise if user.role == Role.ENTERPRISE else data.get("enterprise")
        try:
            holding = services.create_holding(user, data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The holding is registered; its stock follows from the movements."))
            return redirect("support:holding-detail", pk=holding.pk)
    mark_invalid(form)
    return render_page(request, "support/holding_form.html", {"form": form})


def _detail(request: HttpRequest, holding: Holding, form: MovementForm | None = None, status=200) -> HttpResponse:
    user = request.user
    movable = can_move(user, holding)
    return render_page(
        request,
        "support/holding_detail.html",
        {"h": holding, "movements": holding.movements.select_related("recorded_by"),
         "form": form or (MovementForm(initial={"moved_on": timezone.localdate()}) if movable else None),
         "history": history_events(user, holding)},
        status=status,
    )  # fmt: skip


@requires("support.view")
def holding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, scopes.get_visible_or_404(request.user, queries.holdings(request.user), pk=pk))


@requires("support.view")
@require_POST
def holding_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    holding = scopes.get_visible_or_404(user, queries.holdings(user), pk=pk)
    form = MovementForm(request.POST)
    if form.is_valid():
        try:
            services.record_movement(user, holding, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            refused(request, exc)
        else:
            messages.success(request, _("The movement is recorded."))
            return redirect("support:holding-detail", pk=holding.pk)
    mark_invalid(form)
    return _detail(request, holding, form, status=400)
