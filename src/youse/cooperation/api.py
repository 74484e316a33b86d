"""The cooperation API under /api/v1/cooperation/: overseas projects of the province's enterprises
(二(六)) with their filters and totals, one project with its partners, status history and reviews, and
the actions: create and change a draft, submit, file (备案登记), return, report progress, record an annual
review, flag.

Reads go through scopes.visible() / get_visible_or_404(): a city sees its enterprises' projects, an
enterprise its own. Every write is a cooperation.services function, which checks the capability and the
scope and writes the audit event."""

from django.http import HttpRequest
from ninja import Path, Query, Router

from youse.cooperation import queries, services
from youse.cooperation.models import Country, OverseasProject, Partner, Review, StatusChange
from youse.cooperation.schemas import (
    CountryOut,
    FileIn,
    FlagIn,
    ProgressIn,
    ProjectDetail,
    ProjectFields,
    ProjectFilters,
    ProjectIn,
    ProjectListWithTotals,
    ProjectReasonIn,
    ReviewIn,
    ReviewOut,
)
from youse.core import scopes
from youse.core.api_base import ERRORS
from youse.registry.api import _known_params, paginate
from youse.registry.schemas import MAX_ID

router = Router(tags=["cooperation"])

ObjectId = Path(..., ge=1, le=MAX_ID)
# API field names that carry their unit → the model's field.
RENAMED = {
    "total_investment_10k_usd": "total_investment",
    "chinese_investment_10k_usd": "chinese_investment",
    "capacity_t_per_year": "capacity",
}


def _can_read(user) -> None:
    scopes.require(user, "cooperation.view")


def _code_ref(obj) -> dict:
    return {"code": obj.code, "name": obj.name, "name_en": obj.name_en}


def _country(c: Country) -> dict:
    return {f: getattr(c, f) for f in ("code", "name", "name_en", "region", "belt_and_road")}


def _out(p: OverseasProject) -> dict:
    plain = [
        "id",
        "code",
        "register_no",
        "name",
        "enterprise",
        "location",
        "mode",
        "equity_share",
        "currency",
        "product",
        "signed_on",
        "construction_started_on",
        "operation_started_on",
        "status",
        "status_since",
        "ndrc_filing_no",
        "mofcom_certificate_no",
        "filing",
        "risk_level",
        "flagged",
        "flag_reason",
    ]
    return {
        **{f: getattr(p, f) for f in plain},
        "city": p.enterprise.division.prefecture,
        "country": _country(p.country),
        "metal": _code_ref(p.metal),
        "stage": _code_ref(p.stage),
        "mode_label": p.mode_label,
        "status_label": p.status_label,
        "filing_label": p.filing_label,
        "total_investment_10k_usd": p.total_investment,
        "chinese_investment_10k_usd": p.chinese_investment,
        "invested_10k_usd": p.invested,
        "capacity_t_per_year": p.capacity,
    }


def _review(r: Review) -> dict:
    fields = ("id", "year", "reviewed_on", "reviewer", "risk_level", "findings", "recommendations")
    return {f: getattr(r, f) for f in fields}


def _detail(user, pk: int) -> dict:
    p = scopes.get_visible_or_404(user, queries.projects_of(user), pk=pk)
    return {
        **_out(p),
        "description": p.description,
        "risks": {k: getattr(p, f"risk_{k}") for k in ("political", "fx", "legal", "environmental", "market")},
        "return_reason": p.return_reason,
        "submitted_at": p.submitted_at,
        "filed_at": p.filed_at,
        "partners": [
            {"side": x.side, "name": x.name, "role": x.role} for x in scopes.visible(user, Partner).filter(project=p)
        ],
        "status_history": [
            {
                "status_from": s.status_from,
                "status_to": s.status_to,
                "on": s.on,
                "note": s.note,
                "invested_10k_usd": s.invested,
            }
            for s in scopes.visible(user, StatusChange).filter(project=p).order_by("on", "id")
        ],
        "reviews": [_review(r) for r in scopes.visible(user, Review).filter(project=p).order_by("-year")],
    }


def _fields(payload: ProjectFields) -> tuple[dict, list[dict] | None]:
    data = payload.model_dump(exclude_unset=True, exclude={"enterprise", "partners"})
    data = {RENAMED.get(k, k): v for k, v in data.items()}
    partners = payload.partners
    return data, None if partners is None else [p.model_dump() for p in partners]


def _project(user, pk: int) -> OverseasProject:
    return scopes.get_visible_or_404(user, OverseasProject, pk=pk)


@router.get("/countries", response={200: list[CountryOut], **ERRORS}, summary="Host countries (reference list)")
def list_countries(request: HttpRequest) -> list:
    _can_read(request.auth)
    return [_country(c) for c in Country.objects.all()]


@router.get(
    "/projects",
    response={200: ProjectListWithTotals, **ERRORS},
    summary="List overseas projects (境外项目) with totals",
)
def list_projects(request: HttpRequest, filters: Query[ProjectFilters]) -> dict:
    """ProjectTotals are over every row that matches the filters (money over the filed ones), not one page."""
    user = request.auth
    _can_read(user)
    _known_params(request, ProjectFilters)
    params = filters.model_dump(exclude={"page", "page_size"})
    params["flagged"] = "1" if filters.flagged else ""
    qs = queries.filter_projects(queries.projects_of(user), params).order_by("-created_at", "-id")
    t = queries.totals(qs)
    page = paginate(qs, filters)
    page["results"] = [_out(p) for p in page["results"]]
    page["totals"] = {
        **{k: t[k] for k in ("projects", "filed", "waiting", "high_risk", "flagged", "countries")},
        "total_investment_10k_usd": t["total_investment"],
        "chinese_investment_10k_usd": t["chinese_investment"],
        "invested_10k_usd": t["invested"],
    }
    return page


@router.get("/projects/{project_id}", response={200: ProjectDetail, **ERRORS}, summary="One overseas project")
def get_project(request: HttpRequest, project_id: int = ObjectId) -> dict:
    _can_read(request.auth)
    return _detail(request.auth, project_id)


@router.post("/projects", response={201: ProjectDetail, **ERRORS}, summary="Register a project as a draft")
def create_project(request: HttpRequest, payload: ProjectIn) -> tuple[int, dict]:
    user = request.auth
    data, partners = _fields(payload)
    project = services.create_project(user, payload.enterprise, data, partners or [])
    return 201, _detail(user, project.pk)


@router.patch(
    "/projects/{project_id}", response={200: ProjectDetail, **ERRORS}, summary="Change a draft or returned project"
)
def update_project(request: HttpRequest, payload: ProjectFields, project_id: int = ObjectId) -> dict:
    user = request.auth
    data, partners = _fields(payload)
    services.update_project(user, _project(user, project_id), data, partners)
    return _detail(user, project_id)


@router.post("/projects/{project_id}/submit", response={200: ProjectDetail, **ERRORS}, summary="Submit for filing")
def submit_project(request: HttpRequest, payload: ProjectReasonIn, project_id: int = ObjectId) -> dict:
    user = request.auth
    services.submit_project(user, _project(user, project_id), reason=payload.reason)
    return _detail(user, project_id)


@router.post(
    "/projects/{project_id}/file",
    response={200: ProjectDetail, **ERRORS},
    summary="The department files the project (备案登记)",
)
def file_project(request: HttpRequest, payload: FileIn, project_id: int = ObjectId) -> dict:
    user = request.auth
    services.file_project(user, _project(user, project_id), note=payload.note)
    return _detail(user, project_id)


@router.post(
    "/projects/{project_id}/return",
    response={200: ProjectDetail, **ERRORS},
    summary="The department returns the project with a reason",
)
def return_project(request: HttpRequest, payload: ProjectReasonIn, project_id: int = ObjectId) -> dict:
    user = request.auth
    services.return_project(user, _project(user, project_id), reason=payload.reason)
    return _detail(user, project_id)


@router.post(
    "/projects/{project_id}/status",
    response={200: ProjectDetail, **ERRORS},
    summary="Report progress: a status change, the amount invested, a note",
)
def report_progress(request: HttpRequest, payload: ProgressIn, project_id: int = ObjectId) -> dict:
    user = request.auth
    data = {"status": payload.status, "on": payload.on, "note": payload.note, "invested": payload.invested_10k_usd}
    services.report_progress(user, _project(user, project_id), data)
    return _detail(user, project_id)


@router.post(
    "/projects/{project_id}/reviews",
    response={201: ReviewOut, **ERRORS},
    summary="Record the department's annual review (年度评估)",
)
def record_review(request: HttpRequest, payload: ReviewIn, project_id: int = ObjectId) -> tuple[int, dict]:
    user = request.auth
    review = services.record_review(user, _project(user, project_id), payload.model_dump())
    return 201, _review(review)


@router.post(
    "/projects/{project_id}/flag",
    response={200: ProjectDetail, **ERRORS},
    summary="Flag a project for attention, or clear the flag",
)
def flag_project(request: HttpRequest, payload: FlagIn, project_id: int = ObjectId) -> dict:
    user = request.auth
    services.flag_project(user, _project(user, project_id), payload.flagged, payload.reason)
    return _detail(user, project_id)
