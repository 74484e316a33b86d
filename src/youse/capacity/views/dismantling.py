"""Dismantling of exit lines (deadlines, the city's confirmation with evidence, the evidence itself) and
the violations found against the ledger."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.capacity import services
from youse.capacity.forms import DismantlingForm, add_service_errors, mark_invalid
from youse.capacity.models import CapacityViolation, DismantlingEvidence, ExitLine
from youse.capacity.views.common import DISMANTLING_STATES, may_confirm, page_of, render_page, viewer
from youse.core import scopes
from youse.core.pages import serve_evidence

SHOW = ("pending", "done", "all")


def _lines(user):
    return (
        scopes.visible(user, ExitLine)
        .filter(scheme__state__in=DISMANTLING_STATES)
        .select_related(
            "scheme__applicant",
            "indicator__owner__division__prefecture",
            "indicator__unit__plant__division__prefecture",
        )
    )


def _mark_overdue(lines, today) -> None:
    for line in lines:
        line.is_overdue = not line.dismantled_on and bool(
            line.overdue_since or (line.dismantling_due and line.dismantling_due < today)
        )


@viewer()
def dismantling_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    show = request.GET.get("show") if request.GET.get("show") in SHOW else "pending"
    qs = _lines(user)
    if show == "pending":
        qs = qs.filter(dismantled_on__isnull=True)
    elif show == "done":
        qs = qs.filter(dismantled_on__isnull=False)
    overdue = Q(dismantled_on__isnull=True) & (Q(overdue_since__isnull=False) | Q(dismantling_due__lt=today))
    qs = qs.annotate(late=Case(When(overdue, then=Value(0)), default=Value(1), output_field=IntegerField())).order_by(
        "late", "dismantled_on", "dismantling_due", "pk"
    )
    page = page_of(request, qs)
    _mark_overdue(page.object_list, today)
    return render_page(
        request,
        "capacity/dismantling_list.html",
        {
            "page": page,
            "show": show,
            "shows": [("pending", _("To dismantle")), ("done", _("Dismantled")), ("all", _("All"))],
        },
    )


def _render_line(request: HttpRequest, line: ExitLine, form: DismantlingForm | None = None) -> HttpResponse:
    user = request.user
    _mark_overdue([line], timezone.localdate())
    can_confirm = may_confirm(user, line)
    if can_confirm and form is None:
        form = DismantlingForm(initial={"dismantled_on": timezone.localdate()})
    return render_page(
        request,
        "capacity/exit_line.html",
        {
            "line": line,
            "scheme_visible": scopes.is_visible(user, line.scheme),
            "evidence": scopes.visible(user, DismantlingEvidence).filter(exit_line=line),
            "form": mark_invalid(form) if can_confirm else None,
        },
    )


@viewer()
def exit_line(request: HttpRequest, pk: int) -> HttpResponse:
    line = scopes.get_visible_or_404(request.user, _lines(request.user), pk=pk)
    if request.method != "POST":
        return _render_line(request, line)
    user = request.user
    scopes.require(user, "capacity.dismantling", line)
    form = DismantlingForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.confirm_dismantling(
                user, line, dismantled_on=data["dismantled_on"], files=data["files"], note=data["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Dismantling confirmed with %(n)s file(s).") % {"n": len(data["files"])})
            return redirect("capacity:exit-line", pk=line.pk)
    messages.error(request, _("The dismantling was not confirmed: see the form below."))
    return _render_line(request, line, form)


@viewer()
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence is served only through this view, to those who may see its exit line: MEDIA is not public."""
    ev = scopes.get_visible_or_404(request.user, DismantlingEvidence, pk=pk)
    return serve_evidence(request, ev)


@viewer("capacity.violations")
def violation_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    status = request.GET.get("status") if request.GET.get("status") in ("open", "resolved", "all") else "open"
    qs = scopes.visible(user, CapacityViolation).select_related(
        "enterprise__division__prefecture", "unit__plant", "exit_line__scheme"
    )
    if status != "all":
        qs = qs.filter(status=status)
    page = page_of(request, qs.order_by("status", "-last_detected_at", "pk"))
    return render_page(
        request,
        "capacity/violation_list.html",
        {
            "page": page,
            "status": status,
            "statuses": [("open", _("Open")), ("resolved", _("Resolved")), ("all", _("All"))],
            "registry_url": reverse("registry:enterprise-list"),
        },
    )
