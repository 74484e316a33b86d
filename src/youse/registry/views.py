"""The registry's pages: enterprises, plants, production units and the map of plants.

Every queryset goes through core.scopes (visible / get_visible_or_404) and every change through the
service functions of registry/services.py; these views only translate between HTTP and those two."""

from collections import defaultdict
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youse.core import scopes
from youse.core.history import history_events
from youse.core.models import Division, Metal
from youse.registry import rules, services
from youse.registry.forms import (
    EnterpriseContactForm,
    EnterpriseForm,
    PlantForm,
    RegistryFilterForm,
    UnitCreateForm,
    UnitForm,
    UnitTransitionForm,
    add_service_errors,
    mark_invalid,
)
from youse.registry.models import Enterprise, Plant, ProductionUnit, UnitStatusChange

PAGE_SIZE = 50
ENTERPRISE_FILTERS = ("q", "city", "base", "metal", "stage", "status", "ownership")
UNIT_FILTERS = ("q", "city", "base", "metal", "stage", "status")
MAP_FILTERS = ("metal", "base")


def _viewer(view: Callable) -> Callable:
    """Signed in, and a role that may see the registry (a public account may not)."""

    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        scopes.require(request.user, "registry.view")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _page(request: HttpRequest, qs) -> Page:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


# --- Filters -------------------------------------------------------------------------------------


def _unit_conditions(filters: RegistryFilterForm, prefix: str = "") -> Q:
    """Conditions on a production unit (metal, stage, status), as a Q on `prefix` + field."""
    q = Q()
    if metal := filters.value("metal"):
        q &= Q(**{f"{prefix}metal": metal})
    if stage := filters.value("stage"):
        q &= Q(**{f"{prefix}stage": stage})
    if status := filters.value("status"):
        q &= Q(**{f"{prefix}status": status})
    return q


def filter_enterprises(user, qs: models.QuerySet, filters: RegistryFilterForm) -> models.QuerySet:
    if text := filters.value("q"):
        text = text.strip()
        qs = qs.filter(Q(name__icontains=text) | Q(short_name__icontains=text) | Q(credit_code__icontains=text.upper()))
    if city := filters.value("city"):
        qs = qs.filter(division__prefecture=city)
    if base := filters.value("base"):
        qs = qs.filter(base=base)
    if ownership := filters.value("ownership"):
        qs = qs.filter(ownership=ownership)
    unit_q = _unit_conditions(filters)
    if unit_q:
        # "Has such a unit": one Exists per enterprise, so an enterprise with three matching units
        # appears once and the page still counts correctly.
        units = scopes.visible(user, ProductionUnit).filter(unit_q, plant__enterprise=OuterRef("pk"))
        qs = qs.filter(Exists(units))
    return qs


def filter_units(qs: models.QuerySet, filters: RegistryFilterForm) -> models.QuerySet:
    if text := filters.value("q"):
        text = text.strip()
        qs = qs.filter(
            Q(name__icontains=text)
            | Q(product__icontains=text)
            | Q(plant__enterprise__name__icontains=text)
            | Q(plant__enterprise__short_name__icontains=text)
            | Q(plant__enterprise__credit_code__icontains=text.upper())
        )
    if city := filters.value("city"):
        qs = qs.filter(plant__division__prefecture=city)
    if base := filters.value("base"):
        qs = qs.filter(Q(plant__base=base) | Q(plant__base__isnull=True, plant__enterprise__base=base))
    return qs.filter(_unit_conditions(filters))


def _count_of(qs: models.QuerySet) -> Coalesce:
    """A correlated COUNT subquery: no joins multiplying the outer rows, no GROUP BY on the outer query.
    (COUNT as a plain Func, so that Django does not add a GROUP BY inside the subquery either.)"""
    counted = qs.order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0, output_field=IntegerField())


# --- History -------------------------------------------------------------------------------------

# --- Enterprises ---------------------------------------------------------------------------------


@_viewer
def enterprise_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    filters = RegistryFilterForm(request.GET or None, fields=ENTERPRISE_FILTERS)
    plants = scopes.visible(user, Plant).filter(enterprise=OuterRef("pk"))
    units = scopes.visible(user, ProductionUnit).filter(plant__enterprise=OuterRef("pk"))
    qs = (
        filter_enterprises(user, scopes.visible(user, Enterprise), filters)
        .select_related("division__prefecture", "base")
        .annotate(plant_count=_count_of(plants), unit_count=_count_of(units))
        .order_by("name", "pk")
    )
    page = _page(request, qs)
    enterprises = list(page.object_list)
    # The metals of each enterprise on the page, from its units: one query for the whole page.
    metals = {m.pk: m for m in Metal.objects.all()}
    by_enterprise: dict[int, set[int]] = defaultdict(set)
    pairs = (
        scopes.visible(user, ProductionUnit)
        .filter(plant__enterprise__in=[e.pk for e in enterprises])
        .values_list("plant__enterprise", "metal")
        .distinct()
    )
    for enterprise_id, metal_id in pairs:
        by_enterprise[enterprise_id].add(metal_id)
    for ent in enterprises:
        ent.metal_list = sorted((metals[m] for m in by_enterprise[ent.pk]), key=lambda m: m.order)
    return render(
        request,
        "registry/enterprise_list.html",
        {
            "filters": filters,
            "page": page,
            "enterprises": enterprises,
            "can_create": scopes.can(user, "registry.create_enterprise"),
        },
    )


def _can_edit_enterprise(user) -> bool:
    return scopes.can(user, "registry.edit") or scopes.can(user, "registry.edit_contact")


def _map_point(plant: Plant, metal: Metal | None, unit_count: int) -> dict | None:
    if plant.latitude is None or plant.longitude is None:
        return None
    # Plain text: charts.js escapes every line before the tooltip renders it.
    detail = [plant.enterprise.name, f"{metal or ''} · {unit_count} {_('units')}"]
    return {
        "name": plant.name,
        "lng": float(plant.longitude),
        "lat": float(plant.latitude),
        "value": unit_count,
        "color": metal.color if metal else "#607d8b",
        "url": reverse("registry:plant-detail", args=[plant.pk]),
        "detail": detail,
    }


def _largest_unit_metals(units) -> dict[int, Metal]:
    """plant id -> the metal of its largest unit (by design capacity), from already loaded units."""
    largest: dict[int, ProductionUnit] = {}
    for unit in units:
        current = largest.get(unit.plant_id)
        if current is None or unit.design_capacity > current.design_capacity:
            largest[unit.plant_id] = unit
    return {pid: unit.metal for pid, unit in largest.items()}


@_viewer
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    ent = scopes.get_visible_or_404(user, Enterprise.objects.select_related("division__prefecture", "base"), pk=pk)
    plants = list(
        scopes.visible(user, Plant).filter(enterprise=ent).select_related("division__prefecture", "base", "enterprise")
    )
    units = list(
        scopes.visible(user, ProductionUnit)
        .filter(plant__enterprise=ent)
        .select_related("plant", "metal", "stage")
        .prefetch_related(models.Prefetch("status_changes", queryset=UnitStatusChange.objects.select_related("actor")))
    )
    counts: dict[int, int] = defaultdict(int)
    for unit in units:
        counts[unit.plant_id] += 1
    largest = _largest_unit_metals(units)
    points = [p for p in (_map_point(pl, largest.get(pl.pk), counts[pl.pk]) for pl in plants) if p]
    for plant in plants:
        plant.unit_count = counts[plant.pk]
    return render(
        request,
        "registry/enterprise_detail.html",
        {
            "enterprise": ent,
            "plants": plants,
            "units": units,
            "map_data": {"points": points},
            "history": history_events(user, ent),
            "can_edit": _can_edit_enterprise(user),
            "can_add": scopes.can(user, "registry.edit"),
        },
    )


def _enterprise_form_class(user) -> type[EnterpriseForm] | type[EnterpriseContactForm]:
    # An enterprise keeps its contact details current; a regulator edits the whole record.
    if scopes.can(user, "registry.edit"):
        return EnterpriseForm
    return EnterpriseContactForm


@_viewer
def enterprise_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    scopes.require(user, "registry.create_enterprise")
    form = EnterpriseForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            ent = services.create_enterprise(user, form.values(), reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Enterprise %(name)s registered.") % {"name": ent.name})
            return redirect("registry:enterprise-detail", pk=ent.pk)
    return render(request, "registry/form.html", _form_context(form, _("New enterprise"), crumbs=[]))


@_viewer
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    ent = scopes.get_visible_or_404(user, Enterprise, pk=pk)
    form_class = _enterprise_form_class(user)
    scopes.require(user, "registry.edit" if form_class is EnterpriseForm else "registry.edit_contact", ent)
    form = form_class(request.POST or None, instance=ent, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_enterprise(user, ent, form.changes(), reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("registry:enterprise-detail", pk=ent.pk)
    crumbs = [(ent.name, reverse("registry:enterprise-detail", args=[ent.pk]))]
    note = _("You may change your enterprise's contact details; other fields are kept by the regulators.")
    return render(
        request,
        "registry/form.html",
        _form_context(
            form, _("Edit enterprise"), crumbs=crumbs, note=note if form_class is EnterpriseContactForm else ""
        ),
    )


def _form_context(form, title: str, crumbs: list[tuple[str, str]], note: str = "", subtitle: str = "") -> dict:
    return {"form": mark_invalid(form), "title": title, "crumbs": crumbs, "note": note, "subtitle": subtitle}


# --- Plants --------------------------------------------------------------------------------------


@_viewer
def plant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    plant = scopes.get_visible_or_404(
        user, Plant.objects.select_related("enterprise", "division__prefecture", "base"), pk=pk
    )
    units = list(scopes.visible(user, ProductionUnit).filter(plant=plant).select_related("metal", "stage", "plant"))
    largest = _largest_unit_metals(units)
    point = _map_point(plant, largest.get(plant.pk), len(units))
    return render(
        request,
        "registry/plant_detail.html",
        {
            "plant": plant,
            "units": units,
            "enterprise_visible": scopes.is_visible(user, plant.enterprise),
            "map_data": {"points": [point]} if point else None,
            "history": history_events(user, plant),
            "can_edit": scopes.can(user, "registry.edit"),
        },
    )


@_viewer
def plant_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    ent = scopes.get_visible_or_404(user, Enterprise, pk=pk)
    scopes.require(user, "registry.edit", ent)
    form = PlantForm(request.POST or None, user=user, initial={"division": ent.division_id, "base": ent.base_id})
    if request.method == "POST" and form.is_valid():
        try:
            plant = services.create_plant(user, ent, form.values(), reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Plant %(name)s registered.") % {"name": plant.name})
            return redirect("registry:plant-detail", pk=plant.pk)
    crumbs = [(ent.name, reverse("registry:enterprise-detail", args=[ent.pk]))]
    return render(request, "registry/form.html", _form_context(form, _("New plant"), crumbs, subtitle=ent.name))


@_viewer
def plant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    plant = scopes.get_visible_or_404(user, Plant.objects.select_related("enterprise"), pk=pk)
    scopes.require(user, "registry.edit", plant)
    form = PlantForm(request.POST or None, instance=plant, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plant(user, plant, form.changes(), reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("registry:plant-detail", pk=plant.pk)
    crumbs = _plant_crumbs(user, plant)
    return render(request, "registry/form.html", _form_context(form, _("Edit plant"), crumbs, subtitle=str(plant)))


def _plant_crumbs(user, plant: Plant) -> list[tuple[str, str]]:
    crumbs = []
    if scopes.is_visible(user, plant.enterprise):
        crumbs.append((plant.enterprise.name, reverse("registry:enterprise-detail", args=[plant.enterprise_id])))
    crumbs.append((plant.name, reverse("registry:plant-detail", args=[plant.pk])))
    return crumbs


# --- Production units ----------------------------------------------------------------------------


@_viewer
def unit_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    filters = RegistryFilterForm(request.GET or None, fields=UNIT_FILTERS)
    qs = filter_units(scopes.visible(user, ProductionUnit), filters)
    # Capacities add up only within one metal, stage and unit of measure (t/a and t ore/d never mix).
    summary = list(
        qs.order_by()
        .values(
            "metal__code",
            "metal__name",
            "metal__name_en",
            "metal__color",
            "metal__order",
            "stage__code",
            "stage__name",
            "stage__name_en",
            "stage__order",
            "capacity_unit",
        )
        .annotate(
            units=Count("pk"),
            total=Sum("design_capacity"),
            existing=Sum("design_capacity", filter=Q(status__in=rules.CAPACITY_STATUSES)),
        )
        .order_by("metal__order", "stage__order", "capacity_unit")
    )
    english = translation.get_language() == "en"
    for row in summary:
        row["metal"] = (english and row["metal__name_en"]) or row["metal__name"]
        row["stage"] = (english and row["stage__name_en"]) or row["stage__name"]
        row["unit_label"] = dict(ProductionUnit._meta.get_field("capacity_unit").flatchoices)[row["capacity_unit"]]
    page = _page(
        request,
        qs.select_related("plant__enterprise", "plant__division__prefecture", "metal", "stage").order_by(
            "plant__enterprise__name", "plant__name", "name", "pk"
        ),
    )
    return render(request, "registry/unit_list.html", {"filters": filters, "page": page, "summary": summary})


@_viewer
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = scopes.get_visible_or_404(
        request.user, ProductionUnit.objects.select_related("plant__enterprise", "metal", "stage"), pk=pk
    )
    return _render_unit(request, unit, UnitTransitionForm(unit=unit, initial={"effective_on": timezone.localdate()}))


def _render_unit(request: HttpRequest, unit: ProductionUnit, form: UnitTransitionForm, status: int = 200):
    user = request.user
    changes = scopes.visible(user, UnitStatusChange).filter(unit=unit).select_related("actor")
    return render(
        request,
        "registry/unit_detail.html",
        {
            "unit": unit,
            "changes": changes,
            "form": mark_invalid(form)
            if scopes.can(user, "registry.change_status") and form.fields["to_status"].choices
            else None,
            "crumbs": _plant_crumbs(user, unit.plant),
            "history": history_events(user, unit),
            "can_edit": scopes.can(user, "registry.edit"),
        },
        status=status,
    )


@_viewer
@require_POST
def unit_transition(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    unit = scopes.get_visible_or_404(
        user, ProductionUnit.objects.select_related("plant__enterprise", "metal", "stage"), pk=pk
    )
    scopes.require(user, "registry.change_status", unit)
    form = UnitTransitionForm(request.POST, unit=unit)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.change_unit_status(
                user,
                unit,
                data["to_status"],
                effective_on=data["effective_on"],
                document=data["document"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, aliases={"status": "to_status"})
        else:
            messages.success(request, _("Status changed to %(status)s.") % {"status": unit.get_status_display()})
            return redirect("registry:unit-detail", pk=unit.pk)
    messages.error(request, _("The status was not changed: see the form below."))
    return _render_unit(request, unit, form)


@_viewer
def unit_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    plant = scopes.get_visible_or_404(user, Plant.objects.select_related("enterprise"), pk=pk)
    scopes.require(user, "registry.edit", plant)
    form = UnitCreateForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = services.create_unit(
                user,
                plant,
                form.values(),
                status=data["status"],
                status_since=data["status_since"],
                document=data["document"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Production unit %(name)s registered.") % {"name": unit.name})
            return redirect("registry:unit-detail", pk=unit.pk)
    crumbs = _plant_crumbs(user, plant)
    return render(
        request, "registry/form.html", _form_context(form, _("New production unit"), crumbs, subtitle=str(plant))
    )


@_viewer
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    unit = scopes.get_visible_or_404(user, ProductionUnit.objects.select_related("plant__enterprise"), pk=pk)
    scopes.require(user, "registry.edit", unit)
    form = UnitForm(request.POST or None, instance=unit, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_unit(user, unit, form.changes(), reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("registry:unit-detail", pk=unit.pk)
    crumbs = [*_plant_crumbs(user, unit.plant), (unit.name, reverse("registry:unit-detail", args=[unit.pk]))]
    note = _("The status is changed with a status transition on the unit's page, not here.")
    return render(
        request,
        "registry/form.html",
        _form_context(form, _("Edit production unit"), crumbs, note=note, subtitle=str(unit)),
    )


# --- Map -----------------------------------------------------------------------------------------


@_viewer
def plant_map(request: HttpRequest) -> HttpResponse:
    user = request.user
    filters = RegistryFilterForm(request.GET or None, fields=MAP_FILTERS)
    metal, base = filters.value("metal"), filters.value("base")
    plants = scopes.visible(user, Plant).select_related("enterprise", "division__prefecture")
    enterprises = scopes.visible(user, Enterprise)
    if metal:
        plants = plants.filter(Exists(scopes.visible(user, ProductionUnit).filter(plant=OuterRef("pk"), metal=metal)))
        enterprises = enterprises.filter(
            Exists(scopes.visible(user, ProductionUnit).filter(plant__enterprise=OuterRef("pk"), metal=metal))
        )
    if base:
        plants = plants.filter(Q(base=base) | Q(base__isnull=True, enterprise__base=base))
        enterprises = enterprises.filter(base=base)
    # The colour of a plant is the metal of its largest unit (by design capacity).
    largest = scopes.visible(user, ProductionUnit).filter(plant=OuterRef("pk")).order_by("-design_capacity", "pk")
    plants = plants.annotate(
        lead_metal_id=Subquery(largest.values("metal")[:1]),
        unit_count=_count_of(scopes.visible(user, ProductionUnit).filter(plant=OuterRef("pk"))),
    ).order_by("division__prefecture__order", "enterprise__name", "name")
    metals = {m.pk: m for m in Metal.objects.all()}
    rows, points = [], []
    for plant in plants:
        plant.lead_metal = metals.get(plant.lead_metal_id)
        rows.append(plant)
        if point := _map_point(plant, plant.lead_metal, plant.unit_count):
            points.append(point)
    regions = []
    for row in (
        enterprises.exclude(division__prefecture__code="")
        .values("division__prefecture__code", "division__prefecture__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("division__prefecture__code")
    ):
        regions.append(
            {"code": row["division__prefecture__code"], "name": row["division__prefecture__name"], "value": row["n"]}
        )
    city_names = {d.code: d for d in Division.objects.filter(code__in=[r["code"] for r in regions])}
    region_rows = [(city_names.get(r["code"]), r["value"]) for r in regions]
    legend = sorted({p.lead_metal for p in rows if p.lead_metal}, key=lambda m: m.order)
    return render(
        request,
        "registry/plant_map.html",
        {
            "filters": filters,
            # The map shows every plant; the table under it (the same data, readable without JS) pages.
            "plants": rows,
            "page": _page(request, rows),
            "located": len(points),
            "legend": legend,
            "region_rows": region_rows,
            "map_data": {"points": points, "regions": regions, "valueLabel": _("Enterprises")},
        },
    )
