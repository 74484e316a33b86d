"""The enforcement API under /api/v1/enforcement/ (clauses 二(八), 三(三), 三(七)): survey campaigns with
their progress by city, cases with inspections, orders and the closure, rectification orders and the
enterprise's answers to them, closures with the resettlement gate, and announcements with their versions.

Reads go through scopes.visible() / get_visible_or_404(): a city sees the cases it inspects, an enterprise
its own. Writes go through youse.enforcement.services, which checks capability and scope and writes the
audit event. The public reads published announcements at /public/enforcement/, not here."""

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router

from youse.core import scopes
from youse.core.api_base import ERRORS
from youse.core.models import Division
from youse.enforcement import rules, services
from youse.enforcement.models import (
    Announcement,
    AnnouncementVersion,
    Campaign,
    Case,
    CheckResult,
    Closure,
    Finding,
    Inspection,
    RectificationOrder,
)
from youse.enforcement.rules import CaseStatus, ClosureState, OrderState, Source
from youse.enforcement.schemas import (
    AnnouncementFilters,
    AnnouncementList,
    CampaignDetail,
    CampaignFilters,
    CampaignList,
    CaseDetail,
    CaseFilters,
    CaseList,
    ClosureDetail,
    ClosureFilters,
    ClosureList,
    OrderFilters,
    OrderList,
    OrderOut,
    ReportDoneIn,
    StartIn,
)
from youse.registry.api import _choice, _city, _known_params, paginate
from youse.registry.schemas import MAX_ID

router = Router(tags=["enforcement"])

ObjectId = Path(..., ge=1, le=MAX_ID)


def _can_read(user) -> None:
    scopes.require(user, "enforcement.view")


def _today() -> dt.date:
    return timezone.localdate()


def _ref(obj, *fields: str) -> dict | None:
    return {f: getattr(obj, f) for f in ("id", *fields)} if obj is not None else None


# --- Campaigns -------------------------------------------------------------------------------------


def _campaigns(user) -> QuerySet:
    # A city or an enterprise reaches a campaign through its cases: distinct, or one row per case.
    return (
        scopes.visible(user, Campaign)
        .distinct()
        .prefetch_related("metals", "cities")
        .order_by("-year", "-created_at", "-id")
    )


def _campaign_out(c: Campaign) -> dict:
    return {
        **{f: getattr(c, f) for f in ("id", "name", "year", "dimensions", "starts_on", "due_on", "created_at")},
        "metals": [m.code for m in c.metals.all()],
        "cities": list(c.cities.all()),
    }


def _city_counts(user, campaign: Campaign) -> list[dict]:
    """Where the campaign's cases stand, by inspecting city, over the cases the caller may see."""
    running_late = Q(orders__state__in=[s.value for s in rules.RUNNING_ORDERS], orders__deadline__lt=_today())
    by_status = {
        s: Count("pk", filter=Q(status=s), distinct=True)
        for s in (CaseStatus.PASSED, CaseStatus.RECTIFYING, CaseStatus.ESCALATED, CaseStatus.CLOSING, CaseStatus.CLOSED)
    }
    rows = list(
        scopes.visible(user, Case.objects.filter(campaign=campaign))
        .values("city")
        .annotate(
            listed=Count("pk", distinct=True),
            inspected=Count("pk", filter=Q(inspections__isnull=False), distinct=True),
            overdue=Count("pk", filter=running_late, distinct=True),
            **{s.value: n for s, n in by_status.items()},
        )
        .order_by("city")
    )
    cities = Division.objects.in_bulk([r["city"] for r in rows])
    out = [{**r, "city": cities[r["city"]]} for r in rows]
    out.sort(key=lambda r: r["city"].code)
    return out


@router.get("/campaigns", response={200: CampaignList, **ERRORS}, summary="List survey campaigns (专项检查)")
def list_campaigns(request: HttpRequest, filters: Query[CampaignFilters]) -> dict:
    user = request.auth
    _can_read(user)
    _known_params(request, CampaignFilters)
    qs = _campaigns(user)
    if filters.year:
        qs = qs.filter(year=filters.year)
    page = paginate(qs, filters)
    page["results"] = [_campaign_out(c) for c in page["results"]]
    return page


@router.get(
    "/campaigns/{campaign_id}",
    response={200: CampaignDetail, **ERRORS},
    summary="One campaign with its cases counted by city",
)
def get_campaign(request: HttpRequest, campaign_id: int = ObjectId) -> dict:
    """`by_city` counts the cases the caller may see: a city its own, an enterprise its own case."""
    user = request.auth
    _can_read(user)
    campaign = scopes.get_visible_or_404(
        user, Campaign.objects.distinct().prefetch_related("metals", "cities"), pk=campaign_id
    )
    return {**_campaign_out(campaign), "by_city": _city_counts(user, campaign)}


# --- Cases -----------------------------------------------------------------------------------------


def _cases_all() -> QuerySet:
    return Case.objects.select_related("enterprise", "plant", "unit", "campaign", "city")


def _case_out(c: Case) -> dict:
    return {
        **{
            f: getattr(c, f)
            for f in ("id", "code", "enterprise", "source", "city", "dimensions", "summary", "status")
            + ("opened_at", "closed_at")
        },
        "plant": _ref(c.plant, "name"),
        "unit": _ref(c.unit, "name"),
        "campaign": _ref(c.campaign, "name"),
        "status_label": str(c.status_label),
    }


def _orders_all() -> QuerySet:
    return RectificationOrder.objects.select_related("case__enterprise", "case__city").prefetch_related("requirements")


def _order_out(o: RectificationOrder) -> dict:
    return {
        **{
            f: getattr(o, f)
            for f in ("id", "code", "issued_on", "deadline", "responsible_person", "state", "report")
            + ("reported_on", "overdue_since")
        },
        "case": o.case_id,
        "case_code": o.case.code,
        "enterprise": o.case.enterprise,
        "city": o.case.city,
        "inspection": o.inspection_id,
        "state_label": str(o.state_label),
        "requirements": [{"text": r.text, "basis": r.basis, "finding": r.finding_id} for r in o.requirements.all()],
    }


def _inspection_out(i: Inspection) -> dict:
    return {
        **{
            f: getattr(i, f)
            for f in ("id", "dimensions", "inspecting_unit", "inspectors", "inspected_on", "verdict", "notes")
        },
        "order": i.order_id,
        "results": [
            {
                "item": r.item.code,
                "text": r.item.text,
                "met": r.met,
                "measured": r.measured,
                "passed": r.passed,
                "note": r.note,
            }
            for r in i.results.all()
        ],
        "findings": [
            {
                "id": f.pk,
                "dimension": f.dimension,
                "item": f.item.code if f.item_id else None,
                "text": f.text,
                "failed": f.failed,
            }
            for f in i.findings.all()
        ],
    }


def _closure_summary(c: Closure) -> dict:
    return {
        **{f: getattr(c, f) for f in ("id", "state", "decided_on", "effective_on", "executed_on")},
        "state_label": str(c.state_label),
    }


@router.get("/cases", response={200: CaseList, **ERRORS}, summary="List enforcement cases (执法案件)")
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> dict:
    user = request.auth
    _can_read(user)
    _known_params(request, CaseFilters)
    qs = scopes.visible(user, _cases_all())
    if filters.campaign:
        qs = qs.filter(campaign_id=filters.campaign)
    if filters.city:
        qs = qs.filter(city=_city(filters.city))
    if filters.status:
        qs = qs.filter(status=_choice("status", filters.status, [s.value for s in CaseStatus]))
    if filters.source:
        qs = qs.filter(source=_choice("source", filters.source, [s.value for s in Source]))
    page = paginate(qs.order_by("-opened_at", "-id"), filters)
    page["results"] = [_case_out(c) for c in page["results"]]
    return page


@router.get(
    "/cases/{case_id}",
    response={200: CaseDetail, **ERRORS},
    summary="One case with its inspections, orders and closure",
)
def get_case(request: HttpRequest, case_id: int = ObjectId) -> dict:
    user = request.auth
    _can_read(user)
    case = scopes.get_visible_or_404(user, _cases_all(), pk=case_id)
    inspections = scopes.visible(user, Inspection.objects.filter(case=case)).prefetch_related(
        Prefetch("results", CheckResult.objects.select_related("item").order_by("id")),
        Prefetch("findings", Finding.objects.select_related("item").order_by("id")),
    )
    orders = scopes.visible(user, _orders_all().filter(case=case))
    closure = scopes.visible(user, Closure.objects.filter(case=case)).first()
    return {
        **_case_out(case),
        "inspections": [_inspection_out(i) for i in inspections],
        "orders": [_order_out(o) for o in orders],
        "closure": _closure_summary(closure) if closure is not None else None,
    }


# --- Orders ----------------------------------------------------------------------------------------


@router.get("/orders", response={200: OrderList, **ERRORS}, summary="List rectification orders (整改通知)")
def list_orders(request: HttpRequest, filters: Query[OrderFilters]) -> dict:
    """`overdue=true`: orders still running (issued or in progress) past their deadline."""
    user = request.auth
    _can_read(user)
    _known_params(request, OrderFilters)
    qs = scopes.visible(user, _orders_all())
    if filters.state:
        qs = qs.filter(state=_choice("state", filters.state, [s.value for s in OrderState]))
    if filters.overdue is not None:
        late = Q(state__in=[s.value for s in rules.RUNNING_ORDERS], deadline__lt=_today())
        qs = qs.filter(late if filters.overdue else ~late)
    if filters.city:
        qs = qs.filter(case__city=_city(filters.city))
    page = paginate(qs.order_by("deadline", "id"), filters)
    page["results"] = [_order_out(o) for o in page["results"]]
    return page


def _order_detail(user, pk: int) -> dict:
    return _order_out(scopes.get_visible_or_404(user, _orders_all(), pk=pk))


@router.get("/orders/{order_id}", response={200: OrderOut, **ERRORS}, summary="One rectification order")
def get_order(request: HttpRequest, order_id: int = ObjectId) -> dict:
    user = request.auth
    _can_read(user)
    return _order_detail(user, order_id)


@router.post(
    "/orders/{order_id}/start",
    response={200: OrderOut, **ERRORS},
    summary="The enterprise acknowledges the order and starts work",
)
def start_order(request: HttpRequest, payload: StartIn, order_id: int = ObjectId) -> dict:
    user = request.auth
    order = scopes.get_visible_or_404(user, RectificationOrder, pk=order_id)
    services.start_order(user, order, note=payload.note)
    return _order_detail(user, order.pk)


@router.post(
    "/orders/{order_id}/report-done",
    response={200: OrderOut, **ERRORS},
    summary="The enterprise reports the rectification done",
)
def report_done(request: HttpRequest, payload: ReportDoneIn, order_id: int = ObjectId) -> dict:
    """JSON: `report` and `reported_on` (blank: today). Evidence files (photos, documents) are uploaded on
    the order's page; a re-inspection follows the report."""
    user = request.auth
    order = scopes.get_visible_or_404(user, RectificationOrder, pk=order_id)
    services.report_done(user, order, report=payload.report, reported_on=payload.reported_on)
    return _order_detail(user, order.pk)


# --- Closures --------------------------------------------------------------------------------------


def _closures_all() -> QuerySet:
    return Closure.objects.select_related("case__enterprise", "case__city").prefetch_related("units")


def _closure_out(c: Closure) -> dict:
    return {
        **_closure_summary(c),
        **{f: getattr(c, f) for f in ("reason", "basis", "document", "capacity_ineligible", "created_at")},
        "case": c.case_id,
        "case_code": c.case.code,
        "enterprise": c.case.enterprise,
        "city": c.case.city,
        "units": [{"id": u.pk, "name": u.name} for u in c.units.all()],
    }


@router.get("/closures", response={200: ClosureList, **ERRORS}, summary="List closure decisions (关停退出)")
def list_closures(request: HttpRequest, filters: Query[ClosureFilters]) -> dict:
    user = request.auth
    _can_read(user)
    _known_params(request, ClosureFilters)
    qs = scopes.visible(user, _closures_all())
    if filters.state:
        qs = qs.filter(state=_choice("state", filters.state, [s.value for s in ClosureState]))
    if filters.city:
        qs = qs.filter(case__city=_city(filters.city))
    page = paginate(qs.order_by("-created_at", "-id"), filters)
    page["results"] = [_closure_out(c) for c in page["results"]]
    return page


@router.get(
    "/closures/{closure_id}",
    response={200: ClosureDetail, **ERRORS},
    summary="One closure with its resettlement gate (三(七))",
)
def get_closure(request: HttpRequest, closure_id: int = ObjectId) -> dict:
    """`resettlement_gate`: the three checks (funding secured, plan complete, approved by the workers'
    congress with its minutes) that must all pass before the closure can be executed."""
    user = request.auth
    _can_read(user)
    closure = scopes.get_visible_or_404(user, _closures_all(), pk=closure_id)
    checks = services.resettlement_checks(closure)
    return {
        **_closure_out(closure),
        "resettlement_gate": [{"code": c.code, "passed": c.passed, "why": str(c.why)} for c in checks],
        "gate_passed": all(c.passed for c in checks),
    }


# --- Announcements ---------------------------------------------------------------------------------


def _announcements_all() -> QuerySet:
    return Announcement.objects.prefetch_related(Prefetch("versions", AnnouncementVersion.objects.order_by("number")))


def _readable_announcements(user) -> QuerySet:
    """Drafts in the caller's scope and every published announcement: once out, it is public."""
    return scopes.visible(user, _announcements_all()) | scopes.visible(AnonymousUser(), _announcements_all())


@router.get("/announcements", response={200: AnnouncementList, **ERRORS}, summary="List announcements (公告)")
def list_announcements(request: HttpRequest, filters: Query[AnnouncementFilters]) -> dict:
    user = request.auth
    _can_read(user)
    _known_params(request, AnnouncementFilters)
    qs = _readable_announcements(user)
    if filters.kind:
        qs = qs.filter(kind=_choice("kind", filters.kind, list(Announcement.Kind.values)))
    if filters.published is not None:
        qs = qs.filter(published_at__isnull=not filters.published)
    page = paginate(qs.order_by("-published_at", "-created_at", "-id"), filters)
    page["results"] = [
        {
            **{f: getattr(a, f) for f in ("id", "kind", "title", "body", "published_at")},
            "closure": a.closure_id,
            "campaign": a.campaign_id,
            "versions": list(a.versions.all()),
        }
        for a in page["results"]
    ]
    return page
