"""Monthly reports through the API, for enterprises' own systems (/api/v1/stats/).

Reads go through scopes.visible() / get_visible_or_404(); every change through stats/services.py, which
checks capability and scope and writes the audit event (channel "api"). Errors answer like the registry
API: {"detail", "errors": {field: [...]}}, line errors keyed "lines[0].output_t"."""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from youse.core import scopes
from youse.core.api_base import ERRORS
from youse.registry.api import _known_params, paginate
from youse.registry.models import Enterprise
from youse.registry.schemas import MAX_ID
from youse.stats import checks, services
from youse.stats.forms import parse_month
from youse.stats.models import MonthlyReport, ReportStatus
from youse.stats.schemas import ReasonIn, ReportFilters, ReportIn, ReportList, ReportOut

router = Router(tags=["stats"])

ReportId = Path(..., ge=1, le=MAX_ID)
UNITS = {name: unit for name, (unit, _signed) in {**checks.ENTERPRISE_FIGURES, **checks.LINE_FIGURES}.items()}


def _reports_all() -> models.QuerySet:
    return MonthlyReport.objects.select_related("enterprise", "current")


def _month(value: str, field: str = "month"):
    period = parse_month(value)
    if period is None:
        raise ValidationError({field: [_("Give the month as YYYY-MM.")]})
    return period


def _out(report: MonthlyReport) -> dict:
    current = report.current
    revision = None
    if current is not None:
        lines = [
            {
                "unit_id": ln.unit_id,
                "unit_name": ln.unit.name,
                "metal": ln.metal.code,
                "stage": ln.stage.code,
                "product": ln.product,
                **{f: getattr(ln, f) for f in checks.LINE_FIGURES},
            }
            for ln in current.lines.select_related("unit", "metal", "stage").order_by("unit_id")
        ]
        revision = {
            "number": current.number,
            "reason": current.reason,
            "created_at": current.created_at,
            "superseded": current.superseded,
            **{f: getattr(current, f) for f in checks.ENTERPRISE_FIGURES},
            "lines": lines,
        }
    accepted_number = None
    if report.accepted_id:
        accepted_number = (
            report.current.number
            if report.accepted_id == report.current_id
            else report.revisions.get(pk=report.accepted_id).number
        )
    return {
        **_summary(report),
        "status_label": str(report.get_status_display()),
        "current": revision,
        "accepted_revision": accepted_number,
        "units": UNITS,
    }


def _summary(report: MonthlyReport) -> dict:
    return {
        "id": report.pk,
        "enterprise": report.enterprise,
        "month": f"{report.period:%Y-%m}",
        "status": report.status,
        "submitted_at": report.submitted_at,
        "accepted_at": report.accepted_at,
    }


def _report(user, pk: int) -> MonthlyReport:
    return scopes.get_visible_or_404(user, _reports_all(), pk=pk)


@router.get("/reports", response={200: ReportList, **ERRORS}, summary="List monthly reports")
def list_reports(request: HttpRequest, filters: Query[ReportFilters]) -> dict:
    user = request.auth
    scopes.require(user, "stats.view")
    _known_params(request, ReportFilters)
    qs = scopes.visible(user, _reports_all()).order_by("-period", "enterprise__name", "pk")
    if filters.month:
        qs = qs.filter(period=_month(filters.month))
    if filters.enterprise:
        qs = qs.filter(enterprise_id=filters.enterprise)
    if filters.status:
        if filters.status not in ReportStatus.values:
            raise ValidationError({"status": [_("Unknown status: %(value)s") % {"value": filters.status}]})
        qs = qs.filter(status=filters.status)
    page = paginate(qs, filters)
    page["results"] = [_summary(r) for r in page["results"]]
    return page


@router.get("/reports/{report_id}", response={200: ReportOut, **ERRORS}, summary="One monthly report")
def get_report(request: HttpRequest, report_id: int = ReportId) -> dict:
    user = request.auth
    scopes.require(user, "stats.view")
    return _out(_report(user, report_id))


@router.put("/reports", response={200: ReportOut, **ERRORS}, summary="Create or change the draft of a report")
def put_report(request: HttpRequest, payload: ReportIn) -> dict:
    """The enterprise (id or credit code) and month name the report; the figures and lines replace the
    draft's. Submit it with POST /reports/{id}/submit."""
    user = request.auth
    scopes.require(user, "stats.file")
    enterprise = None
    if payload.enterprise is not None:
        enterprise = scopes.visible(user, Enterprise).filter(pk=payload.enterprise).first()
        field, value = "enterprise", payload.enterprise
    elif payload.credit_code:
        enterprise = scopes.visible(user, Enterprise).filter(credit_code=payload.credit_code.upper()).first()
        field, value = "credit_code", payload.credit_code
    else:
        raise ValidationError({"enterprise": [_("Give the enterprise's id or its credit code.")]})
    if enterprise is None:
        raise ValidationError({field: [_("Unknown %(field)s: %(value)s") % {"field": field, "value": value}]})
    period = _month(payload.month)
    figures = payload.figures.model_dump()
    lines = [line.model_dump() for line in payload.lines]
    report = services.save_report(user, enterprise, period, figures, lines, reason=payload.reason)
    return _out(_report(user, report.pk))


@router.post("/reports/{report_id}/submit", response={200: ReportOut, **ERRORS}, summary="Submit for review")
def submit(request: HttpRequest, report_id: int = ReportId) -> dict:
    user = request.auth
    report = _report(user, report_id)
    services.submit_report(user, report)
    return _out(_report(user, report_id))


@router.post(
    "/reports/{report_id}/accept",
    response={200: ReportOut, **ERRORS},
    summary="Accept (the city passes it to the department; the department's acceptance counts)",
)
def accept(request: HttpRequest, payload: ReasonIn | None = None, report_id: int = ReportId) -> dict:
    user = request.auth
    report = _report(user, report_id)
    services.accept_report(user, report, payload.reason if payload else "")
    return _out(_report(user, report_id))


@router.post("/reports/{report_id}/return", response={200: ReportOut, **ERRORS}, summary="Return with a reason")
def return_(request: HttpRequest, payload: ReasonIn, report_id: int = ReportId) -> dict:
    user = request.auth
    report = _report(user, report_id)
    # The capability before the reason: a caller who may not return reports is told so (403).
    scopes.require(user, "stats.review", report)
    services.return_report(user, report, payload.reason)
    return _out(_report(user, report_id))


@router.post(
    "/reports/{report_id}/correction",
    response={200: ReportOut, **ERRORS},
    summary="Open a correction of an accepted report (with a reason)",
)
def correction(request: HttpRequest, payload: ReasonIn, report_id: int = ReportId) -> dict:
    user = request.auth
    report = _report(user, report_id)
    # The capability before the reason: a caller who may not correct reports is told so (403).
    scopes.require(user, "stats.file", report)
    services.start_correction(user, report, payload.reason)
    return _out(_report(user, report_id))
