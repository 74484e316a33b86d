"""Cases: the filtered list, opening a case (a complaint, a repeated exceedance, a capacity violation),
the case page with its one timeline and action panels, recording an inspection against the applicable
checklist, proposing closure, and the evidence files (served only to those who may see the case)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youse.capacity.models import CapacityViolation
from youse.core import scopes
from youse.core.history import history_events
from youse.core.pages import serve_evidence
from youse.core.roles import Role
from youse.enforcement import services
from youse.enforcement.forms import (
    CaseFilterForm,
    ComplaintCaseForm,
    FindingFormSet,
    InspectionForm,
    ProposeClosureForm,
    add_service_errors,
    findings_of,
    mark_invalid,
)
from youse.enforcement.models import DIMENSION_CHOICES, Case, ChecklistItem, Evidence, Finding, RectificationOrder
from youse.enforcement.rules import CaseStatus, Dimension, Source
from youse.enforcement.views.common import FINISHED, messages_of, overdue_q, page_of, render_page, viewer
from youse.enforcement.views.timeline import action_panels, timeline
from youse.monitoring.models import RepeatedExceedance
from youse.registry.models import ProductionUnit
from youse.registry.rules import UnitStatus


def cases_of(user):
    return scopes.visible(user, Case).select_related("enterprise", "city", "campaign")


def filter_cases(qs, filters: CaseFilterForm, today):
    if campaign := filters.value("campaign"):
        qs = qs.filter(campaign=campaign)
    if city := filters.value("city"):
        qs = qs.filter(city=city)
    status = filters.value("status")
    if status == "inspected":
        qs = qs.exclude(status=CaseStatus.PLANNED)
    elif status:
        qs = qs.filter(status=status)
    if source := filters.value("source"):
        qs = qs.filter(source=source)
    if dimension := filters.value("dimension"):
        failed = Finding.objects.filter(failed=True, dimension=dimension).values("inspection__case")
        qs = qs.filter(pk__in=failed)
    if filters.value("overdue"):
        qs = qs.filter(pk__in=RectificationOrder.objects.filter(overdue_q(today)).values("case"))
    return qs


@viewer()
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    filters = CaseFilterForm(request.GET or None, user=user)
    qs = filter_cases(cases_of(user), filters, today).order_by("city__code", "enterprise__name", "pk")
    page = page_of(request, qs)
    cases = list(page.object_list)
    pending = {}
    for o in RectificationOrder.objects.filter(case__in=cases, state__in=["issued", "in_progress", "submitted"]):
        if o.case_id not in pending or o.deadline < pending[o.case_id].deadline:
            pending[o.case_id] = o
    for c in cases:
        c.pending_order = pending.get(c.pk)
        order = c.pending_order
        c.is_overdue = bool(order and order.state != "submitted" and order.deadline < today)
    return render_page(
        request, "enforcement/case_list.html", {"filters": filters, "page": page, "cases": cases, "today": today}
    )


# --- Opening cases -----------------------------------------------------------------------------------


def _sources(user) -> dict:
    """Items waiting for a case: open repeated exceedances and open capacity violations in the user's view."""
    exceedances = scopes.visible(user, RepeatedExceedance).filter(status=RepeatedExceedance.Status.OPEN)
    violations = scopes.visible(user, CapacityViolation).filter(status="open")
    opened = Case.objects.filter(violation__isnull=False).values("violation")
    return {
        "exceedances": exceedances.select_related("point__plant__enterprise")[:50],
        "violations": violations.exclude(pk__in=opened).select_related("enterprise", "unit")[:50],
    }


@viewer("enforcement.open_case")
def case_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ComplaintCaseForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.open_case(user, form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Case %(code)s opened.") % {"code": case.code})
            return redirect("enforcement:case-detail", pk=case.pk)
    return render_page(request, "enforcement/case_form.html", {"form": mark_invalid(form), **_sources(user)})


@viewer()
@require_POST
def case_from_source(request: HttpRequest, source: str, pk: int) -> HttpResponse:
    """One button per waiting item: the case takes the item's enterprise (and plant or unit)."""
    user = request.user
    scopes.require(user, "enforcement.open_case")
    if source == Source.MONITORING:
        item = scopes.get_visible_or_404(user, RepeatedExceedance, pk=pk)
        data = {
            "source": Source.MONITORING,
            "exceedance": item,
            "dimensions": ["environment"],
            "summary": _("Repeated exceedances: %(item)s") % {"item": item},
        }
    elif source == Source.CAPACITY:
        item = scopes.get_visible_or_404(user, CapacityViolation, pk=pk)
        data = {
            "source": Source.CAPACITY,
            "violation": item,
            "dimensions": ["technology"],
            "summary": f"{item.get_kind_display()}: {item.detail}",
        }
    else:
        return redirect("enforcement:case-create")
    try:
        case = services.open_case(user, data)
    except ValidationError as exc:
        for m in messages_of(exc):
            messages.error(request, m)
        return redirect("enforcement:case-create")
    messages.success(request, _("Case %(code)s opened.") % {"code": case.code})
    return redirect("enforcement:case-detail", pk=case.pk)


# --- The case page -----------------------------------------------------------------------------------


def get_case(request: HttpRequest, pk: int) -> Case:
    return scopes.get_visible_or_404(
        request.user,
        Case.objects.select_related(
            "enterprise__division__prefecture", "city", "campaign", "plant", "unit", "exceedance__point", "violation"
        ),
        pk=pk,
    )


def render_case(request: HttpRequest, case: Case, forms: dict | None = None, open_action: str = "") -> HttpResponse:
    user = request.user
    panels = action_panels(user, case, forms or {})
    entries = timeline(user, case)
    for e in entries:
        if e["kind"] == "order":
            e["acts"] = panels["orders"].get(e["obj"].pk, {})
            e["open"] = open_action == f"report-{e['obj'].pk}"
    return render_page(
        request,
        "enforcement/case_detail.html",
        {
            "case": case,
            "timeline": entries,
            "panels": panels,
            "dimension_choices": DIMENSION_CHOICES,
            "open_action": open_action,
            "history": history_events(user, case),
        },
    )


@viewer()
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_case(request, get_case(request, pk))


@viewer()
@require_POST
def propose_closure(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = get_case(request, pk)
    scopes.require(user, "enforcement.order", case)
    form = ProposeClosureForm(request.POST)
    if form.is_valid():
        try:
            services.propose_closure(user, case, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Closure proposed: the department decides."))
            return redirect("enforcement:case-detail", pk=case.pk)
    messages.error(request, _("Nothing was changed: see the form below."))
    return render_case(request, case, {"propose": mark_invalid(form)}, open_action="propose")


# --- Inspections -------------------------------------------------------------------------------------


def applicable_items(case: Case, dimensions: list[str]) -> list[ChecklistItem]:
    """The checklist items of the case's dimensions for the metals the enterprise produces (a norm without
    a metal applies to every metal)."""
    metals = (
        ProductionUnit.objects.filter(plant__enterprise=case.enterprise)
        .exclude(status=UnitStatus.EXITED)
        .values("metal")
    )
    items = (
        ChecklistItem.objects.filter(norm__dimension__in=dimensions)
        .filter(Q(norm__metal__isnull=True) | Q(norm__metal__in=metals))
        .select_related("norm__metal")
        .order_by("norm__code", "order", "code")
    )
    # The dimensions in the order of clause 二(八), not alphabetically.
    rank = {d.value: i for i, d in enumerate(Dimension)}
    return sorted(items, key=lambda item: rank[item.norm.dimension])


def inspector_initial(user) -> dict:
    unit = str(user.division) if getattr(user, "role", None) == Role.CITY and user.division_id else user.label
    return {"inspecting_unit": unit, "inspected_on": timezone.localdate()}


def inspection_page(request: HttpRequest, case: Case, *, order: RectificationOrder | None = None) -> HttpResponse:
    """The checklist form for a first inspection or (with `order`) a re-inspection; both record through
    the services, which judge each item and derive the verdict."""
    user = request.user
    dims = case.dimensions
    if order is not None:
        dims = order.inspection.dimensions or dims
    items = applicable_items(case, dims)
    post = request.POST if request.method == "POST" else None
    form = InspectionForm(
        post, request.FILES or None, items=items, initial={**inspector_initial(user), "dimensions": dims}
    )
    findings = FindingFormSet(post, prefix="finding")
    if post is not None and form.is_valid() and findings.is_valid():
        try:
            args = (form.data_values(), form.results(), findings_of(findings), form.cleaned_data["files"])
            if order is None:
                inspection = services.record_inspection(user, case, *args)
            else:
                inspection = services.reinspect(user, order, *args)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            verdict = inspection.get_verdict_display()
            messages.success(request, _("Inspection recorded: %(verdict)s.") % {"verdict": verdict})
            return redirect("enforcement:case-detail", pk=case.pk)
    if post is not None:
        messages.error(request, _("The inspection was not recorded: see the form below."))
    return render_page(
        request,
        "enforcement/inspection_form.html",
        {"case": case, "order": order, "form": mark_invalid(form), "findings": findings, "items": items},
    )


@viewer("enforcement.inspect")
def case_inspect(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case(request, pk)
    scopes.require(request.user, "enforcement.inspect", case)
    if case.status in FINISHED:
        messages.error(request, _("This case is %(s)s: no further inspection.") % {"s": case.status_label})
        return redirect("enforcement:case-detail", pk=case.pk)
    return inspection_page(request, case)


@viewer()
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence is served only through this view, to those who may see its case: MEDIA is not public."""
    ev = scopes.get_visible_or_404(request.user, Evidence, pk=pk)
    return serve_evidence(request, ev)


def case_url(case: Case) -> str:
    return reverse("enforcement:case-detail", args=[case.pk])
