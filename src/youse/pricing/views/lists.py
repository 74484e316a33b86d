"""The year's surcharge list, its approval and export, and one smelter's assessment with the arithmetic."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youse.capacity.views.common import messages_of
from youse.core import scopes
from youse.core.history import history_events
from youse.core.modules import synthetic_data_loaded
from youse.core.roles import Role
from youse.pricing import excel, services
from youse.pricing.forms import AdjustForm, ApproveForm, add_service_errors, mark_invalid
from youse.pricing.models import Assessment, SurchargeList
from youse.pricing.views.common import render_page, row_of, steps_of, viewer


def _year(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year") or default)
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _rows(user, lst: SurchargeList | None) -> list[dict]:
    if lst is None:
        return []
    qs = scopes.visible(user, Assessment).filter(surcharge_list=lst)
    return [row_of(a) for a in qs.select_related("enterprise__division__prefecture")]


def _totals(rows: list[dict]) -> dict:
    charged = [r for r in rows if r["total"] and not r["excluded"]]
    return {
        "smelters": len(rows),
        "charged": len(charged),
        "excluded": sum(1 for r in rows if r["excluded"]),
        "electricity": sum((r["electricity"] or Decimal(0) for r in rows), Decimal(0)),
        "amount": sum((r["amount"] or Decimal(0) for r in rows), Decimal(0)),
    }


def _chart(rows: list[dict], threshold) -> dict:
    used = [r for r in rows if (r["audited"] or r["reported"]) is not None]
    return {
        "categories": [r["enterprise"].short_name or r["enterprise"].name for r in used],
        "unit": "kWh/t",
        "series": [
            {
                "name": _("Consumption used"),
                "data": [float(r["audited"] if r["audited"] is not None else r["reported"]) for r in used],
                "color": "#0d6efd",
            }
        ],
        "threshold": float(threshold) if threshold is not None else None,
        "threshold_label": _("Threshold"),
    }


@viewer()
def surcharge_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role == Role.ENTERPRISE:
        return redirect("pricing:mine")
    years = sorted(set(scopes.visible(user, SurchargeList).values_list("year", flat=True)), reverse=True)
    year = _year(request, years[0] if years else timezone.localdate().year)
    lst = scopes.visible(user, SurchargeList).filter(year=year).distinct().first()
    rows = _rows(user, lst)
    try:
        rule_set = services.rule_set_for(year)
    except ValidationError:
        rule_set = None
    threshold = rule_set.threshold if rule_set and rule_set.threshold is not None else None
    if rule_set and threshold is None and rule_set.tiers:
        threshold = min(t.above for t in rule_set.tiers)
    choices = sorted(set(years) | {year, timezone.localdate().year}, reverse=True)
    return render_page(
        request,
        "pricing/list.html",
        {
            "year": year,
            "years": choices,
            "lst": lst,
            "rows": rows,
            "totals": _totals(rows),
            "rule_set": rule_set,
            "threshold": threshold,
            "chart": _chart(rows, threshold),
            "approve_form": ApproveForm(auto_id="id_approve_%s"),
            "unverified": any(r["unverified"] for r in rows) or bool(rule_set and not rule_set.verified),
        },
    )


@viewer("pricing.manage")
@require_POST
def draft(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        raise Http404("No such year.") from None
    try:
        lst = services.draft_list(request.user, year)
    except ValidationError as exc:
        for message in messages_of(exc):
            messages.error(request, message)
    else:
        n = lst.assessments.count()
        text = _("The %(y)s list is drafted from the statistics: %(n)s smelters.")
        messages.success(request, text % {"y": year, "n": n})
    return redirect(f"{reverse('pricing:list')}?year={year}")


@viewer("pricing.manage")
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    lst = scopes.get_visible_or_404(request.user, SurchargeList.objects.distinct(), pk=pk)
    form = ApproveForm(request.POST, auto_id="id_approve_%s")
    if form.is_valid():
        try:
            services.approve_list(request.user, lst, document=form.cleaned_data["document"])
        except ValidationError as exc:
            for message in messages_of(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("The %(y)s list is approved.") % {"y": lst.year})
    else:
        messages.error(request, _("Cite the approval document (文号)."))
    return redirect(f"{reverse('pricing:list')}?year={lst.year}")


@viewer(staff=True)
def export(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    lst = scopes.get_visible_or_404(user, SurchargeList.objects.distinct(), pk=pk)
    rule_set = services.rule_set_for(lst.year)
    rows = _rows(user, lst)
    return excel.list_response(lst, rule_set, rows, _totals(rows), synthetic=synthetic_data_loaded())


@viewer()
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    qs = Assessment.objects.select_related("surcharge_list", "enterprise__division__prefecture")
    a = scopes.get_visible_or_404(user, qs, pk=pk)
    editable = a.surcharge_list.status == SurchargeList.Status.DRAFT and scopes.can(user, "pricing.manage")
    form = None
    if request.method == "POST":
        scopes.require(user, "pricing.manage", a)
        form = AdjustForm(request.POST)
        if form.is_valid():
            try:
                services.adjust_assessment(user, a, form.changes(), reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The assessment is recomputed with the adjusted figures."))
                return redirect("pricing:assessment", pk=a.pk)
        messages.error(request, _("Nothing was changed: see the form below."))
        mark_invalid(form)
    elif editable:
        form = AdjustForm(
            initial={
                "audited_consumption": a.audited_consumption,
                "renewable_share": a.renewable_share,
                "incentive_weight": a.incentive_weight,
                "category": a.category,
            }
        )
    return render_page(
        request,
        "pricing/assessment.html",
        {
            "a": a,
            "c": a.computation,
            "steps": steps_of(a.computation, audited=a.audited_consumption is not None, category=a.category),
            "form": form if editable or form is not None else None,
            "history": history_events(user, a),
        },
    )


@viewer()
def mine(request: HttpRequest) -> HttpResponse:
    """The enterprise's own surcharges, year by year, with the latest arithmetic in full."""
    user = request.user
    if user.role != Role.ENTERPRISE:
        return redirect("pricing:list")
    qs = scopes.visible(user, Assessment).select_related("surcharge_list", "enterprise__division__prefecture")
    rows = [row_of(a) for a in qs.order_by("-surcharge_list__year")]
    latest = rows[0]["assessment"] if rows else None
    return render_page(
        request,
        "pricing/mine.html",
        {
            "rows": rows,
            "latest": latest,
            "steps": steps_of(
                latest.computation, audited=latest.audited_consumption is not None, category=latest.category
            )
            if latest
            else [],  # fmt: skip
            "total_amount": qs.aggregate(s=Sum("amount_yuan"))["s"],
        },
    )
