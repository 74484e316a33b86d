"""Direct power trading per enterprise and year, and the surcharge calculator."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.core import scopes
from youse.pricing import rules, services
from youse.pricing.forms import CalculatorForm, TradingForm, add_service_errors, mark_invalid
from youse.pricing.models import DirectTrading
from youse.pricing.views.common import render_page, smelters, steps_of, viewer
from youse.registry.models import Enterprise


@viewer(staff=True)
def trading(request: HttpRequest) -> HttpResponse:
    user = request.user
    visible = scopes.visible(user, DirectTrading).select_related("enterprise__division__prefecture")
    years = sorted(set(visible.values_list("year", flat=True)), reverse=True)
    try:
        year = int(request.GET.get("year") or (years[0] if years else timezone.localdate().year))
    except ValueError:
        year = years[0] if years else timezone.localdate().year
    form = None
    if scopes.can(user, "pricing.manage"):
        enterprises = (
            scopes.visible(user, Enterprise)
            .filter(Q(pk__in=smelters().values("pk")) | Q(pk__in=DirectTrading.objects.values("enterprise")))
            .order_by("name")
        )
        form = TradingForm(request.POST or None, enterprises=enterprises, initial={"year": year})
        if request.method == "POST":
            if form.is_valid():
                data = form.cleaned_data
                try:
                    row = services.record_trading(user, data["enterprise"], data["year"], data)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(
                        request, _("Recorded for %(e)s, %(y)s.") % {"e": row.enterprise.name, "y": row.year}
                    )
                    return redirect(f"{reverse('pricing:trading')}?year={row.year}")
            messages.error(request, _("Nothing was changed: see the form below."))
            mark_invalid(form)
    elif request.method == "POST":
        scopes.require(user, "pricing.manage")
    rows = list(visible.filter(year=year))
    by_year = list(
        visible.values("year")
        .annotate(direct=Count("pk", filter=Q(trades_directly=True)), integrated=Count("pk", filter=Q(integrated=True)))
        .order_by("year")
    )
    chart = {
        "categories": [str(r["year"]) for r in by_year],
        "integer": True,
        "series": [
            {"name": _("Trades power directly"), "data": [r["direct"] for r in by_year], "color": "#0d6efd"},
            {"name": _("Power-smelting integration"), "data": [r["integrated"] for r in by_year], "color": "#198754"},
        ],
    }
    return render_page(
        request,
        "pricing/trading.html",
        {
            "year": year,
            "years": sorted(set(years) | {year}, reverse=True),
            "rows": rows,
            "form": form,
            "chart": chart,
            "by_year": by_year,
        },
    )


@viewer(staff=True)
def calculator(request: HttpRequest) -> HttpResponse:
    """`youse pricing surcharge` in a form: nothing is written."""
    form = CalculatorForm(request.GET or None)
    steps, result = [], None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        inputs = rules.Inputs(
            year=d["year"],
            consumption=d["consumption"],
            renewable_share=d.get("renewable_share"),
            incentive_weight=d.get("incentive_weight"),
            electricity_kwh=d.get("electricity_kwh"),
            category=d["category"],
            months_operated=d["months"],
        )
        try:
            result = services.compute(inputs).as_dict()
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            steps = steps_of(result, category=d["category"])
    mark_invalid(form)
    return render_page(request, "pricing/calculator.html", {"form": form, "steps": steps, "result": result})
