"""Reserve plans, holdings and movements in the API (/api/v1/support/plans, /reserves, /holdings)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from youse.core import scopes
from youse.core.api_base import ERRORS
from youse.core.roles import Role
from youse.registry.api import _known_params, paginate
from youse.registry.models import Enterprise
from youse.registry.schemas import MAX_ID
from youse.support import queries, services
from youse.support.models import Holding, ReservePlan
from youse.support.schemas import (
    HoldingDetail,
    HoldingFilters,
    HoldingIn,
    HoldingList,
    MovementIn,
    PlanIn,
    PlanOut,
    SummaryOut,
)

router = Router(tags=["support"])
ObjectId = Path(..., ge=1, le=MAX_ID)


def _plan_out(p: ReservePlan) -> dict:
    fields = ("id", "kind", "product", "target_t", "starts_on", "ends_on", "document")
    return {**{f: getattr(p, f) for f in fields}, "metal": p.metal.code, "kind_label": str(p.get_kind_display())}


@router.get("/plans", response={200: list[PlanOut], **ERRORS}, summary="Reserve plans: target by metal and kind")
def list_plans(request: HttpRequest) -> list[dict]:
    scopes.require(request.auth, "support.view")
    return [_plan_out(p) for p in ReservePlan.objects.select_related("metal")]


@router.post("/plans", response={201: PlanOut, **ERRORS}, summary="Set a reserve plan (department)")
def create_plan(request: HttpRequest, payload: PlanIn) -> tuple[int, dict]:
    return 201, _plan_out(services.set_plan(request.auth, payload.model_dump()))


@router.get("/reserves", response={200: list[SummaryOut], **ERRORS}, summary="Stock by metal and kind against the plan")
def reserves(request: HttpRequest) -> list[dict]:
    """Held: the holdings in the caller's scope; target: the plan in force today."""
    return queries.summary(request.auth, timezone.localdate())


def _holding_out(h: Holding) -> dict:
    fields = ("id", "kind", "product", "enterprise", "warehouse", "division", "quantity_t", "last_moved_on")
    return {
        **{f: getattr(h, f) for f in fields},
        "kind_label": str(h.get_kind_display()),
        "metal": h.metal.code,
        "holder": h.holder,
        "city": h.division.prefecture,
    }


def _holding_detail(user, pk: int) -> dict:
    h = scopes.get_visible_or_404(user, queries.holdings(user), pk=pk)
    movements = [
        {**{f: getattr(m, f) for f in ("id", "kind", "moved_on", "quantity_t", "balance_t", "document", "note")},
         "kind_label": str(m.get_kind_display())}
        for m in h.movements.all()
    ]  # fmt: skip
    return {**_holding_out(h), "movements": movements}


@router.get("/holdings", response={200: HoldingList, **ERRORS}, summary="List reserve holdings")
def list_holdings(request: HttpRequest, filters: Query[HoldingFilters]) -> dict:
    _known_params(request, HoldingFilters)
    f = filters.model_dump(exclude={"page", "page_size"})
    page = paginate(queries.filter_holdings(queries.holdings(request.auth), **f), filters)
    page["results"] = [_holding_out(h) for h in page["results"]]
    return page


@router.get("/holdings/{holding_id}", response={200: HoldingDetail, **ERRORS}, summary="One holding with its ledger")
def get_holding(request: HttpRequest, holding_id: int = ObjectId) -> dict:
    return _holding_detail(request.auth, holding_id)


@router.post("/holdings", response={201: HoldingDetail, **ERRORS}, summary="Register a holding")
def create_holding(request: HttpRequest, payload: HoldingIn) -> tuple[int, dict]:
    """Government: the department, with the reserve body. Commercial: the department naming the enterprise,
    or the enterprise itself."""
    user = request.auth
    scopes.require(user, "support.view")
    data = payload.model_dump()
    if payload.kind == "commercial":
        if user.role == Role.ENTERPRISE:
            data["enterprise"] = user.enterprise
        elif payload.enterprise is None:
            raise ValidationError({"enterprise": [_("Name the enterprise that holds the commercial reserve.")]})
        else:
            data["enterprise"] = scopes.get_visible_or_404(user, Enterprise, pk=payload.enterprise)
    else:
        data["enterprise"] = None
    holding = services.create_holding(user, data)
    return 201, _holding_detail(user, holding.pk)


@router.post("/holdings/{holding_id}/movements", response={200: HoldingDetail, **ERRORS}, summary="Record a movement")
def record_movement(request: HttpRequest, payload: MovementIn, holding_id: int = ObjectId) -> dict:
    """in, out or rotation; an out-movement beyond the stock is refused (400) with the figures."""
    holding = scopes.get_visible_or_404(request.auth, Holding, pk=holding_id)
    services.record_movement(request.auth, holding, payload.model_dump())
    return _holding_detail(request.auth, holding_id)
