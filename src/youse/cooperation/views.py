"""Pages of the cooperation module (二(六)): the list of overseas projects with filters, totals and the
charts by host country and by mode; its Excel export; registering and changing a draft; the project page
with its timeline (status history, reviews, audit) and the forms of the steps the visitor may take."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youse.cooperation import excel, queries, services
from youse.cooperation.forms import (
    FileForm,
    FilterForm,
    FlagForm,
    ProgressForm,
    ProjectForm,
    ReturnForm,
    ReviewForm,
    add_service_errors,
    mark_invalid,
    partner_formset,
    partners_of,
)
from youse.cooperation.models import OverseasProject, Review, StatusChange
from youse.cooperation.rules import EDITABLE, TRANSITIONS, Filing, Status
from youse.core import scopes
from youse.core.history import history_events
from youse.core.modules import synthetic_data_loaded
from youse.core.pages import messages_of, page_of, requires
from youse.core.roles import Role


def _filtered(request: HttpRequest):
    user = request.user
    filters = FilterForm(request.GET or None, user=user)
    qs = queries.projects_of(user)
    for problem in filters.problems():
        messages.error(request, problem)
    try:
        qs = queries.filter_projects(qs, filters.params())
    except ValidationError as exc:
        for m in messages_of(exc):
            messages.error(request, m)
    return filters, qs.order_by("country__order", "enterprise__name", "code")


@requires("cooperation.view")
def project_list(request: HttpRequest) -> HttpResponse:
    filters, qs = _filtered(request)
    page = page_of(request, qs)
    context = {
        "filters": filters,
        "page": page,
        "projects": page.object_list,
        "totals": queries.totals(qs),
        "chart": queries.chart_data(qs),
        "can_report": scopes.can(request.user, "cooperation.report"),
        "query": request.GET.urlencode(),
    }
    return render(request, "cooperation/list.html", context)


@requires("cooperation.view")
def project_export(request: HttpRequest) -> HttpResponse:
    _filters, qs = _filtered(request)
    user = request.user
    scope = str(user.division or "") if user.role == Role.CITY else str(getattr(user, "enterprise", "") or "")
    return excel.response(
        list(qs.prefetch_related("partners")),
        queries.totals(qs),
        scope=scope,
        filters=request.GET.urlencode(),
        synthetic=synthetic_data_loaded(),
    )


# --- Registering and changing a draft ------------------------------------------------------------


def _project(request: HttpRequest, pk: int) -> OverseasProject:
    return scopes.get_visible_or_404(request.user, queries.projects_of(request.user), pk=pk)


@requires("cooperation.report")
def project_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProjectForm(request.POST or None, user=user)
    partners = partner_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() and partners.is_valid():
        enterprise = user.enterprise if user.role == Role.ENTERPRISE else form.cleaned_data["enterprise"]
        try:
            project = services.create_project(user, enterprise, form.values(), partners_of(partners))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Project %(code)s saved as a draft.") % {"code": project.code})
            return redirect("cooperation:detail", pk=project.pk)
    return render(request, "cooperation/form.html", {"form": mark_invalid(form), "partners": partners, "project": None})


@requires("cooperation.report")
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    project = _project(request, pk)
    scopes.require(user, "cooperation.report", project)
    if project.filing not in EDITABLE:
        messages.info(request, _("Only a draft or a returned project can be changed."))
        return redirect("cooperation:detail", pk=project.pk)
    form = ProjectForm(request.POST or None, user=user, project=project)
    partners = partner_formset(request.POST or None, project)
    if request.method == "POST" and form.is_valid() and partners.is_valid():
        try:
            services.update_project(user, project, form.values(), partners_of(partners))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("cooperation:detail", pk=project.pk)
    return render(
        request, "cooperation/form.html", {"form": mark_invalid(form), "partners": partners, "project": project}
    )


# --- The project page ----------------------------------------------------------------------------


def _panels(user, project: OverseasProject, forms: dict) -> dict:
    """The steps `user` may take on `project` now, each with its form."""
    report = scopes.can(user, "cooperation.report")
    review = scopes.can(user, "cooperation.review")
    filing = project.filing
    panels = {
        "edit": report and filing in EDITABLE,
        "submit": report and filing in EDITABLE,
        "file": forms.get("file") or (FileForm() if review and filing == Filing.SUBMITTED else None),
        "return": forms.get("return") or (ReturnForm() if review and filing == Filing.SUBMITTED else None),
        "progress": None,
        "review": forms.get("review") or (ReviewForm() if review and filing == Filing.FILED else None),
        "flag": forms.get("flag") or (FlagForm() if review and filing == Filing.FILED else None),
    }
    if report and filing == Filing.FILED and project.status != Status.EXITED:
        form = forms.get("progress") or ProgressForm(initial={"status": project.status, "on": timezone.localdate()})
        allowed = {project.status, *(s.value for s in TRANSITIONS[Status(project.status)])}
        form.fields["status"].choices = [c for c in form.fields["status"].choices if c[0] in allowed]
        panels["progress"] = form
    panels["any"] = any(v for k, v in panels.items())
    return panels


def _timeline(user, project: OverseasProject) -> list[dict]:
    """Registration, status changes and reviews in date order."""
    entries = [{"on": timezone.localdate(project.created_at), "kind": "created", "obj": project}]
    if project.submitted_at:
        entries.append({"on": timezone.localdate(project.submitted_at), "kind": "submitted", "obj": project})
    if project.filing == Filing.RETURNED:
        entries.append({"on": timezone.localdate(project.updated_at), "kind": "returned", "obj": project})
    if project.filed_at:
        entries.append({"on": timezone.localdate(project.filed_at), "kind": "filed", "obj": project})
    for s in scopes.visible(user, StatusChange).filter(project=project):
        entries.append({"on": s.on, "kind": "status", "obj": s})
    for r in scopes.visible(user, Review).filter(project=project):
        entries.append({"on": r.reviewed_on, "kind": "review", "obj": r})
    order = {"created": 0, "submitted": 1, "returned": 2, "filed": 3, "status": 4, "review": 5}
    entries.sort(key=lambda e: (e["on"], order[e["kind"]]))
    return entries


def render_project(request: HttpRequest, project: OverseasProject, forms: dict | None = None, status: int = 200):
    user = request.user
    context = {
        "project": project,
        "partners": project.partners.all(),
        "timeline": _timeline(user, project),
        "reviews": scopes.visible(user, Review).filter(project=project).order_by("-year"),
        "panels": _panels(user, project, forms or {}),
        "history": history_events(user, project),
    }
    return render(request, "cooperation/detail.html", context, status=status)


@requires("cooperation.view")
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_project(request, _project(request, pk))


def _act(request: HttpRequest, pk: int, name: str, form_class, call, done: str) -> HttpResponse:
    """Run one step from a panel form; on a refusal, show the page again with the errors on the form."""
    project = _project(request, pk)
    form = form_class(request.POST) if form_class else None
    if form is None or form.is_valid():
        try:
            call(project, form.cleaned_data if form else {})
        except ValidationError as exc:
            if form is None:
                for m in messages_of(exc):
                    messages.error(request, m)
                return redirect("cooperation:detail", pk=project.pk)
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(reverse("cooperation:detail", args=[project.pk]) + f"#{name}")
    project.refresh_from_db()
    return render_project(request, project, {name: mark_invalid(form)}, status=400)


@requires("cooperation.view")
@require_POST
def project_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, "submit", None, lambda p, d: services.submit_project(request.user, p), _("Submitted for filing.")
    )


@requires("cooperation.view")
@require_POST
def project_file(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "file",
        FileForm,
        lambda p, d: services.file_project(request.user, p, note=d["note"]),
        _("The project is filed."),
    )


@requires("cooperation.view")
@require_POST
def project_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "return",
        ReturnForm,
        lambda p, d: services.return_project(request.user, p, d["reason"]),
        _("The project is returned to the enterprise."),
    )


@requires("cooperation.view")
@require_POST
def project_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "progress",
        ProgressForm,
        lambda p, d: services.report_progress(request.user, p, d),
        _("Progress recorded."),
    )


@requires("cooperation.view")
@require_POST
def project_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "review",
        ReviewForm,
        lambda p, d: services.record_review(request.user, p, d),
        _("Annual review recorded."),
    )


@requires("cooperation.view")
@require_POST
def project_flag(request: HttpRequest, pk: int) -> HttpResponse:
    flagged = request.POST.get("flagged") == "1"
    return _act(
        request,
        pk,
        "flag",
        FlagForm,
        lambda p, d: services.flag_project(request.user, p, flagged, d["reason"]),
        _("Flag set.") if flagged else _("Flag removed."),
    )
