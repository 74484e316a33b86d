"""Monthly report pages: lists, entry form, review, Excel template and upload.

Every queryset goes through core.scopes and every change through stats/services.py (the import through
stats/importer.py, which calls services.file_reports); these views translate between HTTP and them."""

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from youse.core import audit, scopes
from youse.core.history import history_events
from youse.core.middleware import client_addr
from youse.core.models import AuditEvent
from youse.core.roles import Role
from youse.registry.forms import mark_invalid
from youse.registry.models import Enterprise, ProductionUnit
from youse.stats import facts, importer, overdue, services
from youse.stats.forms import (
    FIGURE_LABELS,
    ImportForm,
    PickReportForm,
    ReasonForm,
    ReportFiguresForm,
    ReportFilterForm,
    ReportLineForm,
    figure_unit,
    parse_month,
)
from youse.stats.models import REPORT_STATUS_COLOURS, MonthlyReport, ReportRevision, ReportStatus

S = ReportStatus
PAGE_SIZE = 50
NOT_FILED_SHOWN = 30
SESSION_KEY = "stats:last-import"
SESSION_ERRORS = 2000  # errors kept for a later visit; the page that answers the upload shows them all


def _viewer(view: Callable) -> Callable:
    """Signed in, and a role that may see reports (a public account may not)."""

    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        scopes.require(request.user, "stats.view")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _reviewable(user) -> frozenset[str]:
    """The statuses of reports this user may accept or return (services.accept_report/return_report)."""
    role = getattr(user, "role", None)
    if role == Role.CITY:
        return frozenset({S.SUBMITTED})
    if scopes.can(user, "stats.accept"):
        return frozenset({S.SUBMITTED, S.CITY_ACCEPTED})
    return frozenset()


def _correcting(report: MonthlyReport) -> bool:
    return report.status == S.ACCEPTED and report.current_id != report.accepted_id


def _editable(report: MonthlyReport) -> bool:
    return report.status in services.EDITABLE or _correcting(report)


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _errors_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(m for messages_ in exc.message_dict.values() for m in messages_)
    return " ".join(exc.messages)


# --- List ----------------------------------------------------------------------------------------


@_viewer
def report_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    wide = getattr(user, "role", None) in (Role.DEPARTMENT, Role.PROVINCIAL_UNIT)
    filters = ReportFilterForm(request.GET or None, show_city=wide)
    month = filters.value("month") or importer.default_month()
    reports = scopes.visible(user, MonthlyReport).filter(period=month)
    enterprises = scopes.visible(user, Enterprise).filter(status=Enterprise.Status.ACTIVE)
    if wide and (city := filters.value("city")):
        reports = reports.filter(enterprise__division__prefecture=city)
        enterprises = enterprises.filter(division__prefecture=city)
    if text := (filters.value("q") or "").strip():
        match = Q(name__icontains=text) | Q(short_name__icontains=text) | Q(credit_code__icontains=text.upper())
        enterprises = enterprises.filter(match)
        reports = reports.filter(enterprise__in=scopes.visible(user, Enterprise).filter(match))
    counts = dict(reports.order_by().values_list("status").annotate(n=Count("pk")))
    status_counts = [(value, label, counts.get(value, 0), REPORT_STATUS_COLOURS[value]) for value, label in S.choices]
    if status := filters.value("status"):
        reports = reports.filter(status=status)
    page = Paginator(
        reports.select_related("enterprise__division__prefecture", "current").order_by("enterprise__name", "pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    filed = MonthlyReport.objects.filter(enterprise=OuterRef("pk"), period=month)
    # Only enterprises that had a unit operating in the month owe a report (stats/overdue.py).
    owing = overdue.required_enterprise_ids(month, within=enterprises)
    not_filed = (
        enterprises.filter(pk__in=owing)
        .filter(~Exists(filed.exclude(status=S.DRAFT)))
        .annotate(has_draft=Exists(filed))
        .select_related("division__prefecture")
        .order_by("division__prefecture__order", "name", "pk")
    )
    not_filed_count = not_filed.count()
    return render(
        request,
        "stats/report_list.html",
        {
            "filters": filters,
            "month": month,
            "page": page,
            "status_counts": status_counts,
            "total": sum(counts.values()),
            "not_filed": list(not_filed[:NOT_FILED_SHOWN]),
            "not_filed_count": not_filed_count,
            "reviewable": _reviewable(user),
            "can_file": scopes.can(user, "stats.file"),
        },
    )


# --- One report ----------------------------------------------------------------------------------


def _line_rows(revision: ReportRevision | None) -> list:
    if revision is None:
        return []
    return list(revision.lines.select_related("unit", "metal", "stage").order_by("unit__name", "unit_id"))


@_viewer
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    report = scopes.get_visible_or_404(
        user,
        MonthlyReport.objects.select_related("enterprise__division__prefecture", "current", "accepted"),
        pk=pk,
    )
    revisions = list(
        report.revisions.select_related("created_by", "main_metal").prefetch_related("lines__unit").order_by("-number")
    )
    current = report.current
    lines = _line_rows(current)
    figures = [
        (name, label, getattr(current, name) if current else None, figure_unit(name))
        for name, label in FIGURE_LABELS.items()
    ]
    can_file = scopes.can(user, "stats.file")
    reviewable = report.status in _reviewable(user) and not _correcting(report)
    return render(
        request,
        "stats/report_detail.html",
        {
            "report": report,
            "current": current,
            "lines": lines,
            "electrolysis": any(ln.al_liquid_t is not None or ln.ac_total_kwh_per_t is not None for ln in lines),
            "total_output_value": sum((ln.output_value for ln in lines), start=0),
            "figures": figures,
            "figure_names": list(FIGURE_LABELS.items()),
            "revisions": [(rev, [getattr(rev, f) for f in FIGURE_LABELS]) for rev in revisions],
            "correcting": _correcting(report),
            "can_edit": can_file and _editable(report),
            "can_submit": can_file and _editable(report) and report.current_id is not None,
            "can_review": reviewable,
            "can_correct": can_file and report.status == S.ACCEPTED and not _correcting(report),
            "reason_form": ReasonForm(),
            "history": history_events(user, report),
        },
    )


def _transition_view(do: Callable[[object, MonthlyReport, str], object], done: str) -> Callable:
    @_viewer
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        user = request.user
        report = scopes.get_visible_or_404(user, MonthlyReport, pk=pk)
        reason = (request.POST.get("reason") or "").strip()
        default = reverse("stats:report-detail", args=[report.pk])
        try:
            do(user, report, reason)
        except ValidationError as exc:
            messages.error(request, _errors_text(exc))
            return redirect(_back(request, default))
        messages.success(request, done % {"report": report})
        return redirect(_back(request, default))

    return view


report_submit = _transition_view(
    lambda user, report, reason: services.submit_report(user, report),
    gettext_lazy("%(report)s submitted for review."),
)
report_accept = _transition_view(
    lambda user, report, reason: services.accept_report(user, report, reason),
    gettext_lazy("%(report)s accepted."),
)
report_return = _transition_view(
    lambda user, report, reason: services.return_report(user, report, reason),
    gettext_lazy("%(report)s returned to the enterprise."),
)
report_correction = _transition_view(
    lambda user, report, reason: services.start_correction(user, report, reason),
    gettext_lazy("A correction of %(report)s is open: change the figures and submit it."),
)
for _view, _name in (
    (report_submit, "report_submit"),
    (report_accept, "report_accept"),
    (report_return, "report_return"),
    (report_correction, "report_correction"),
):
    _view.__name__ = _name


# --- Entry form ----------------------------------------------------------------------------------


def _units(user, enterprise: Enterprise) -> list[ProductionUnit]:
    return list(
        scopes.visible(user, ProductionUnit)
        .filter(plant__enterprise=enterprise)
        .select_related("plant", "metal", "stage")
        .order_by("plant__name", "name", "pk")
    )


def _line_forms(request: HttpRequest, units: list[ProductionUnit], revision: ReportRevision | None, period):
    existing = {ln.unit_id: ln for ln in revision.lines.all()} if revision else {}
    active = facts.unit_facts([units[0].plant.enterprise_id], [period])[period] if units else {}
    forms_ = []
    for unit in units:
        line = existing.get(unit.pk)
        initial = {}
        if line is not None:
            initial = {
                f: getattr(line, f)
                for f in ("output_t", "output_value", "al_liquid_t", "ac_kwh_per_t", "ac_total_kwh_per_t")
            }
        form = ReportLineForm(
            request.POST if request.method == "POST" else None,
            prefix=f"unit-{unit.pk}",
            unit=unit,
            electrolysis=facts.is_electrolysis(unit),
            initial=initial,
        )
        fact = active.get(unit.pk)
        form.operating = fact.operating_or_idle if fact else False
        forms_.append(form)
    return forms_


def _map_errors(exc: ValidationError, figures_form: ReportFiguresForm, used: list[ReportLineForm]) -> None:
    """ "lines[0].output_t" -> that row's field; figure names -> the figure; anything else on top."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            figures_form.add_error(None, message)
        return
    for key, messages_ in exc.message_dict.items():
        for message in messages_:
            if key.startswith("lines["):
                index_text, _dot, field = key[len("lines[") :].partition("].")
                form = used[int(index_text)] if index_text.isdigit() and int(index_text) < len(used) else None
                if form is not None:
                    form.add_error(field if field in form.fields else None, message)
                    continue
            if key in figures_form.fields:
                figures_form.add_error(key, message)
            else:
                figures_form.add_error(None, message if key == "__all__" else f"{key}: {message}")


def _entry(request: HttpRequest, enterprise: Enterprise, period: dt.date, report: MonthlyReport | None):
    user = request.user
    scopes.require(user, "stats.file", enterprise)
    if report is not None and not _editable(report):
        messages.info(
            request,
            _("The report is %(status)s and cannot be changed; open a correction to change it.")
            % {"status": report.get_status_display()},
        )
        return redirect("stats:report-detail", pk=report.pk)
    revision = report.current if report else None
    initial = {f: getattr(revision, f) for f in FIGURE_LABELS} if revision else {}
    figures_form = ReportFiguresForm(request.POST if request.method == "POST" else None, initial=initial)
    units = _units(user, enterprise)
    line_forms = _line_forms(request, units, revision, period)
    if request.method == "POST":
        valid = figures_form.is_valid() & all([f.is_valid() for f in line_forms])
        if valid:
            used = [f for f in line_forms if not f.is_empty()]
            try:
                saved = services.save_report(
                    user,
                    enterprise,
                    period,
                    figures_form.figures(),
                    [f.line() for f in used],
                    reason=figures_form.cleaned_data["reason"],
                )
                if "submit" in request.POST:
                    services.submit_report(user, saved)
            except ValidationError as exc:
                _map_errors(exc, figures_form, used)
            else:
                if "submit" in request.POST:
                    messages.success(request, _("Report saved and submitted for review."))
                else:
                    messages.success(request, _("Report saved as a draft. Submit it when it is complete."))
                return redirect("stats:report-detail", pk=saved.pk)
        messages.error(request, _("The report was not saved: see the marked fields."))
    for form in line_forms:
        mark_invalid(form)
    return render(
        request,
        "stats/report_form.html",
        {
            "enterprise": enterprise,
            "period": period,
            "report": report,
            "form": mark_invalid(figures_form),
            "line_forms": line_forms,
            "correcting": report is not None and _correcting(report),
        },
        status=200,
    )


@_viewer
def report_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    scopes.require(user, "stats.file")
    enterprise_id = request.GET.get("enterprise") or (user.enterprise_id if user.role == Role.ENTERPRISE else None)
    month_text = request.GET.get("month")
    period = parse_month(month_text) if month_text else importer.default_month()
    if not enterprise_id or period is None or not str(enterprise_id).isdigit():
        pick = PickReportForm(
            request.GET or None,
            enterprises=scopes.visible(user, Enterprise).filter(status=Enterprise.Status.ACTIVE).order_by("name"),
            initial={"month": importer.default_month()},
        )
        if request.GET:
            pick.is_valid()
        return render(request, "stats/report_pick.html", {"form": mark_invalid(pick)})
    enterprise = scopes.get_visible_or_404(user, Enterprise, pk=int(enterprise_id))
    report = MonthlyReport.objects.filter(enterprise=enterprise, period=period).first()
    if report is not None:
        return redirect("stats:report-edit", pk=report.pk)
    return _entry(request, enterprise, period, None)


@_viewer
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = scopes.get_visible_or_404(
        request.user, MonthlyReport.objects.select_related("enterprise", "current"), pk=pk
    )
    return _entry(request, report.enterprise, report.period, report)


# --- Template and import -------------------------------------------------------------------------


@_viewer
def report_template(request: HttpRequest) -> HttpResponse:
    user = request.user
    scopes.require(user, "stats.file")
    month_text = request.GET.get("month")
    period = parse_month(month_text) if month_text else importer.default_month()
    if period is None:
        return HttpResponse(_("Give the month as YYYY-MM."), status=400, content_type="text/plain; charset=utf-8")
    content = importer.template_workbook(user, period)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, f"月报模板-{period:%Y-%m}.xlsx")
    return response


@_viewer
def report_import(request: HttpRequest) -> HttpResponse:
    user = request.user
    scopes.require(user, "stats.file")
    may_accept = scopes.can(user, "stats.accept")
    result = None
    refused = ""
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, may_accept=may_accept)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                with audit.channel(AuditEvent.Channel.IMPORT, client_addr(request)):
                    result = importer.import_file(
                        user,
                        upload.read(),
                        upload.name,
                        status=form.cleaned_data["status"],
                        dry_run=form.cleaned_data["dry_run"],
                    )
            except importer.FileRefused as exc:
                form.add_error("file", str(exc))
            else:
                stored = result.as_dict()
                stored["errors"] = stored["errors"][:SESSION_ERRORS]
                request.session[SESSION_KEY] = stored
        if result is None:
            refused = _("Nothing was imported.")
    else:
        form = ImportForm(may_accept=may_accept)
        stored = request.session.get(SESSION_KEY)
        if stored:
            result = importer.ImportResult.from_dict(stored)
    return render(
        request,
        "stats/import.html",
        {
            "form": mark_invalid(form),
            "result": result,
            "refused": refused,
            "limit_mb": importer.max_upload_bytes() // (1024 * 1024),
            "month": importer.default_month(),
            "columns": importer.COLUMNS,
        },
        status=400 if request.method == "POST" and (result is None or result.errors) else 200,
    )


urlpatterns = [
    path("reports/", report_list, name="report-list"),
    path("reports/new/", report_new, name="report-new"),
    path("reports/template.xlsx", report_template, name="report-template"),
    path("reports/import/", report_import, name="report-import"),
    path("reports/<int:pk>/", report_detail, name="report-detail"),
    path("reports/<int:pk>/edit/", report_edit, name="report-edit"),
    path("reports/<int:pk>/submit/", report_submit, name="report-submit"),
    path("reports/<int:pk>/accept/", report_accept, name="report-accept"),
    path("reports/<int:pk>/return/", report_return, name="report-return"),
    path("reports/<int:pk>/correction/", report_correction, name="report-correction"),
]
