"""The ledger at a glance, the indicators, and the department's ledger actions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youse.capacity import services
from youse.capacity.forms import (
    CloseForm,
    DisqualifyForm,
    IndicatorFilterForm,
    IndicatorForm,
    TransferOutForm,
    add_service_errors,
    mark_invalid,
)
from youse.capacity.models import (
    HOLDING_COLOURS,
    HOLDING_LABELS,
    CapacityIndicator,
    CapacityViolation,
    ExitLine,
    LedgerEntry,
    NationalCapacityFigure,
    ReplacementScheme,
)
from youse.capacity.rules import HELD, Holding
from youse.capacity.views.common import indicator_city_q, overdue_lines, page_of, render_page, viewer
from youse.core import scopes
from youse.core.history import history_events
from youse.core.models import Division
from youse.core.roles import Role

# Chart colours follow the holding badges (Bootstrap's success / primary / warning).
CHART_COLOURS = {Holding.ACTIVE: "#198754", Holding.AVAILABLE: "#0d6efd", Holding.RESERVED: "#ffc107"}


def _totals(qs) -> dict[Holding, int]:
    sums = qs.aggregate(**{h.value: Coalesce(Sum(f"{h.value}_t"), 0) for h in Holding})
    return {h: sums[h.value] for h in Holding}


def _by_city(qs) -> dict:
    """Active, available and reserved tonnes per city: the unit's city, else the owner's."""
    rows = (
        qs.annotate(city=Coalesce("unit__plant__division__prefecture", "owner__division__prefecture"))
        .values("city")
        .annotate(**{h.value: Coalesce(Sum(f"{h.value}_t"), 0) for h in HELD})
        .order_by()
    )
    rows = [r for r in rows if any(r[h.value] for h in HELD)]
    names = {d.pk: d for d in Division.objects.filter(pk__in=[r["city"] for r in rows if r["city"]])}
    rows.sort(key=lambda r: (-sum(r[h.value] for h in HELD), r["city"] or 0))
    cities = [str(names.get(r["city"], "—")) for r in rows]
    return {
        "categories": cities,
        "unit": _("t/yr"),
        "series": [
            {
                "name": str(HOLDING_LABELS[h]),
                "data": [r[h.value] for r in rows],
                "stack": "held",
                "color": CHART_COLOURS[h],
            }
            for h in HELD
        ],
        "rows": [(c, [r[h.value] for h in HELD]) for c, r in zip(cities, rows, strict=True)],
    }


@viewer()
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    indicators = scopes.visible(user, CapacityIndicator)
    totals = _totals(indicators)
    held = sum(totals[h] for h in HELD)
    chart = _by_city(indicators)
    schemes = scopes.visible(user, ReplacementScheme)
    by_state = dict(schemes.values_list("state").annotate(n=Count("pk")).order_by())
    states = [
        {"code": s.value, "label": label, "colour": ReplacementScheme.STATE_COLOURS[s], "count": by_state.get(s, 0)}
        for s, label in ReplacementScheme.STATE_LABELS.items()
    ]
    can_violations = scopes.can(user, "capacity.violations")
    return render_page(
        request,
        "capacity/overview.html",
        {
            "cards": [
                {"code": h.value, "label": HOLDING_LABELS[h], "colour": HOLDING_COLOURS[h], "tonnes": totals[h]}
                for h in Holding
            ],
            "held": held,
            "indicator_count": indicators.count(),
            "national": NationalCapacityFigure.objects.order_by("-as_of").first(),
            "chart": {k: chart[k] for k in ("categories", "unit", "series")},
            "city_rows": chart["rows"],
            "held_labels": [HOLDING_LABELS[h] for h in HELD],
            "states": states,
            "overdue": overdue_lines(scopes.visible(user, ExitLine)).count(),
            "open_violations": scopes.visible(user, CapacityViolation).filter(status="open").count()
            if can_violations
            else None,
            "can_ledger": scopes.can(user, "capacity.ledger"),
            "can_apply": scopes.can(user, "capacity.apply"),
            # A city or an enterprise sees its part of the ledger: no share of the national ceiling then.
            "province_wide": getattr(user, "role", None) in (Role.DEPARTMENT, Role.PROVINCIAL_UNIT),
        },
    )


def filter_indicators(qs, filters: IndicatorFilterForm):
    if holding := filters.value("holding"):
        qs = qs.filter(**{f"{holding}_t__gt": 0})
    if basis := filters.value("basis"):
        qs = qs.filter(basis=basis)
    if owner := filters.value("owner"):
        qs = qs.filter(owner=owner)
    if city := filters.value("city"):
        qs = qs.filter(indicator_city_q(city))
    return qs


@viewer()
def indicator_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    filters = IndicatorFilterForm(request.GET or None, user=user)
    qs = filter_indicators(scopes.visible(user, CapacityIndicator), filters)
    totals = _totals(qs)
    page = page_of(
        request,
        qs.select_related("owner__division__prefecture", "unit__plant__division__prefecture").order_by("code"),
    )
    return render_page(
        request,
        "capacity/indicator_list.html",
        {
            "filters": filters,
            "page": page,
            "totals": [(HOLDING_LABELS[h], HOLDING_COLOURS[h], totals[h]) for h in Holding if totals[h]],
            "total": sum(totals.values()),
            "can_ledger": scopes.can(user, "capacity.ledger"),
        },
    )


INDICATOR_ACTIONS = {"close": CloseForm, "disqualify": DisqualifyForm, "transfer": TransferOutForm}


def _render_indicator(request: HttpRequest, ind: CapacityIndicator, forms: dict | None = None, open_action: str = ""):
    user = request.user
    can_ledger = scopes.can(user, "capacity.ledger")
    action_forms = {}
    if can_ledger:
        forms = forms or {}
        if ind.active_t:
            action_forms["close"] = forms.get("close") or CloseForm(initial={"tonnes": None})
        if ind.active_t or ind.available_t:
            action_forms["disqualify"] = forms.get("disqualify") or DisqualifyForm(
                initial={"holding": "available" if ind.available_t else "active"}
            )
        if ind.available_t:
            action_forms["transfer"] = forms.get("transfer") or TransferOutForm()
        action_forms = {k: mark_invalid(f) for k, f in action_forms.items()}
    entries = scopes.visible(user, LedgerEntry).filter(indicator=ind).select_related("scheme", "actor").order_by("seq")
    lines = scopes.visible(user, ExitLine).filter(indicator=ind).select_related("scheme__applicant")
    return render_page(
        request,
        "capacity/indicator_detail.html",
        {
            "indicator": ind,
            "entries": entries,
            "lines": lines,
            "visible_schemes": set(
                scopes.visible(user, ReplacementScheme)
                .filter(Q(pk__in=entries.values("scheme")) | Q(pk__in=lines.values("scheme")))
                .values_list("pk", flat=True)
            ),
            "action_forms": action_forms,
            "open_action": open_action,
            "history": history_events(user, ind),
            "city": (ind.unit.plant.division if ind.unit_id else ind.owner.division),
        },
    )


def _indicator(request: HttpRequest, pk: int) -> CapacityIndicator:
    return scopes.get_visible_or_404(
        request.user,
        CapacityIndicator.objects.select_related("owner__division__prefecture", "unit__plant__division__prefecture"),
        pk=pk,
    )


@viewer()
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_indicator(request, _indicator(request, pk))


@viewer()
@require_POST
def indicator_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    ind = _indicator(request, pk)
    scopes.require(user, "capacity.ledger", ind)
    form_class = INDICATOR_ACTIONS.get(action)
    if form_class is None:
        return redirect("capacity:indicator-detail", pk=ind.pk)
    form = form_class(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "close":
                services.close_capacity(
                    user, ind, closed_on=data["closed_on"], document=data["document"],
                    tonnes=data["tonnes"], reason=data["reason"],
                )  # fmt: skip
                done = _("Closure recorded: the tonnes are available for replacement.")
            elif action == "disqualify":
                services.disqualify(user, ind, tonnes=data["tonnes"], holding=data["holding"], reason=data["reason"])
                done = _("The tonnes were found ineligible.")
            else:
                services.transfer_out(
                    user, ind, tonnes=data["tonnes"], province=data["province"],
                    reference=data["reference"], reason=data["reason"],
                )  # fmt: skip
                done = _("Transfer out recorded.")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("capacity:indicator-detail", pk=ind.pk)
    messages.error(request, _("Nothing was changed: see the form below."))
    return _render_indicator(request, ind, {action: form}, open_action=action)


@viewer("capacity.ledger")
def indicator_register(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = IndicatorForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            ind = services.register_indicator(
                user, form.values(), holding=form.cleaned_data["holding"] or None, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Indicator %(code)s registered.") % {"code": ind.code})
            return redirect("capacity:indicator-detail", pk=ind.pk)
    return render_page(
        request,
        "capacity/form.html",
        {
            "form": mark_invalid(form),
            "title": _("Register capacity"),
            "crumbs": [(_("Indicators"), reverse("capacity:indicator-list"))],
            "note": _("Every tonne enters the ledger through this form or an approved scheme, with its document."),
        },
    )
