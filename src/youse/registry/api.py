"""The registry API under /api/v1/registry/: enterprises, plants and production units.

Reads go through scopes.visible() / get_visible_or_404(); writes through registry/services.py, which
check the caller's capability and scope and write the audit event (channel "api", set by the audit
middleware). This module only translates between HTTP and those functions."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from youse.core import scopes
from youse.core.api_base import ERRORS
from youse.core.models import AuditEvent, Division, IndustrialBase, Metal, ValueChainStage
from youse.registry import services
from youse.registry.models import CapacityUnit, Enterprise, Ownership, Plant, ProductionUnit
from youse.registry.rules import UnitStatus
from youse.registry.schemas import (
    MAX_ID,
    AuditEventList,
    EnterpriseDetail,
    EnterpriseFilters,
    EnterpriseIn,
    EnterpriseList,
    EnterprisePatch,
    HistoryParams,
    PageParams,
    PlantFilters,
    PlantIn,
    PlantList,
    PlantOut,
    PlantPatch,
    StatusChangeIn,
    UnitDetail,
    UnitFilters,
    UnitIn,
    UnitList,
    UnitPatch,
)

router = Router(tags=["registry"])

ObjectId = Path(..., ge=1, le=MAX_ID)

# Events that say who tried what: the department's business (audit.search), not the object's readers.
PRIVATE_ACTIONS = (AuditEvent.Action.REFUSED, AuditEvent.Action.SIGN_IN, AuditEvent.Action.SIGN_IN_FAILED)


def _actor(request: HttpRequest):
    return request.auth


def _can_read(user) -> None:
    scopes.require(user, "registry.view")


def _known_params(request: HttpRequest, schema: type[PageParams]) -> None:
    """A misspelt filter (?metals=Mg) would silently list everything: refuse it instead."""
    unknown = sorted(set(request.GET) - set(schema.model_fields))
    if unknown:
        raise ValidationError({name: [_("Unknown query parameter.")] for name in unknown})


def paginate(queryset: models.QuerySet, params: PageParams) -> dict:
    """One page of `queryset` as {count, page, page_size, results}; a page past the end is empty."""
    count = queryset.count()
    start = (params.page - 1) * params.page_size
    results = list(queryset[start : start + params.page_size]) if start < count else []
    return {"count": count, "page": params.page, "page_size": params.page_size, "results": results}


# --- Filter values: an unknown code is a 400 naming the filter, never an empty or failing query. --


def _unknown(field: str, value: object) -> ValidationError:
    return ValidationError({field: [_("Unknown %(field)s: %(value)s") % {"field": field, "value": value}]})


def _current_divisions() -> models.QuerySet:
    return Division.objects.filter(valid_to__isnull=True)


def _city(value: str) -> Division:
    cities = _current_divisions().filter(level__in=[Division.Level.CITY, Division.Level.ZONE])
    found = cities.filter(code=value).first()
    # Zones without a GB/T 2260 code of their own are named by id.
    if found is None and value.isdigit() and len(value) < 6:
        found = cities.filter(pk=int(value)).first()
    if found is None:
        raise _unknown("city", value)
    return found


def _division(value: str) -> Division:
    found = _current_divisions().filter(code=value).first()
    if found is None:
        raise _unknown("division", value)
    return found


def _by_code(model: type[models.Model], field: str, value: str) -> models.Model:
    found = model.objects.filter(code=value).first()
    if found is None:
        raise _unknown(field, value)
    return found


def _choice(field: str, value: str, choices: list[str]) -> str:
    if value not in choices:
        raise ValidationError(
            {
                field: [
                    _("Unknown %(field)s: %(value)s (one of %(choices)s)")
                    % {"field": field, "value": value, "choices": ", ".join(choices)}
                ]
            }
        )
    return value


def _division_q(path: str, division: Division) -> Q:
    """Rows whose division (at `path`) lies in `division`: the whole province, a city, or one county."""
    if division.level == Division.Level.PROVINCE:
        return Q()
    if division.is_city_scope:
        return Q(**{f"{path}__prefecture": division})
    return Q(**{path: division})


def _changes(payload, model: type[models.Model]) -> dict:
    """The fields a PATCH sets. An explicit null for a required field is refused here, by name, before
    the service dereferences it."""
    changes = payload.model_dump(exclude_unset=True, exclude={"reason"})
    nulls = [f for f, v in changes.items() if v is None and not model._meta.get_field(f).null]
    if nulls:
        raise ValidationError({f: [_("This field cannot be null.")] for f in nulls})
    return changes


def _search(q: str | None) -> str:
    return (q or "").strip()


# --- Enterprises ---------------------------------------------------------------------------------


def _enterprises(user) -> models.QuerySet:
    return scopes.visible(user, _enterprises_all())


def _enterprises_all() -> models.QuerySet:
    # Unscoped, for get_visible_or_404(), which must see another scope's row to audit the attempt.
    return Enterprise.objects.select_related("division__prefecture", "base")


@router.get("/enterprises", response={200: EnterpriseList, **ERRORS}, summary="List enterprises")
def list_enterprises(request: HttpRequest, filters: Query[EnterpriseFilters]) -> dict:
    user = _actor(request)
    _can_read(user)
    _known_params(request, EnterpriseFilters)
    qs = _enterprises(user)
    units = ProductionUnit.objects.all()
    unit_filtered = False
    if filters.city:
        qs = qs.filter(division__prefecture=_city(filters.city))
    if filters.division:
        qs = qs.filter(_division_q("division", _division(filters.division)))
    if filters.base:
        base = _by_code(IndustrialBase, "base", filters.base)
        qs = qs.filter(Q(base=base) | Q(pk__in=Plant.objects.filter(base=base).values("enterprise")))
    if filters.status:
        qs = qs.filter(status=_choice("status", filters.status, Enterprise.Status.values))
    if filters.ownership:
        qs = qs.filter(ownership=_choice("ownership", filters.ownership, Ownership.values))
    if filters.metal:
        units, unit_filtered = units.filter(metal=_by_code(Metal, "metal", filters.metal)), True
    if filters.stage:
        units, unit_filtered = units.filter(stage=_by_code(ValueChainStage, "stage", filters.stage)), True
    if filters.unit_status:
        status = _choice("unit_status", filters.unit_status, [s.value for s in UnitStatus])
        units, unit_filtered = units.filter(status=status), True
    if unit_filtered:
        qs = qs.filter(pk__in=units.values("plant__enterprise"))
    if q := _search(filters.q):
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(credit_code__icontains=q))
    return paginate(qs, filters)


def _enterprise_detail(user, pk: int) -> Enterprise:
    return scopes.get_visible_or_404(user, _enterprises_all().prefetch_related("plants"), pk=pk)


@router.get(
    "/enterprises/{enterprise_id}", response={200: EnterpriseDetail, **ERRORS}, summary="One enterprise with its plants"
)
def get_enterprise(request: HttpRequest, enterprise_id: int = ObjectId) -> Enterprise:
    user = _actor(request)
    _can_read(user)
    return _enterprise_detail(user, enterprise_id)


@router.post("/enterprises", response={201: EnterpriseDetail, **ERRORS}, summary="Register an enterprise")
def create_enterprise(request: HttpRequest, payload: EnterpriseIn) -> tuple[int, Enterprise]:
    user = _actor(request)
    data = payload.model_dump(exclude={"reason"})
    ent = services.create_enterprise(user, data, reason=payload.reason)
    return 201, _enterprise_detail(user, ent.pk)


@router.patch(
    "/enterprises/{enterprise_id}", response={200: EnterpriseDetail, **ERRORS}, summary="Change an enterprise"
)
def update_enterprise(request: HttpRequest, payload: EnterprisePatch, enterprise_id: int = ObjectId) -> Enterprise:
    user = _actor(request)
    ent = scopes.get_visible_or_404(user, Enterprise, pk=enterprise_id)
    changes = _changes(payload, Enterprise)
    services.update_enterprise(user, ent, changes, reason=payload.reason)
    return _enterprise_detail(user, ent.pk)


@router.get(
    "/enterprises/{enterprise_id}/history",
    response={200: AuditEventList, **ERRORS},
    summary="Audit trail of an enterprise",
)
def enterprise_history(request: HttpRequest, params: Query[HistoryParams], enterprise_id: int = ObjectId) -> dict:
    """The enterprise's own events and those of its plants and production units, newest first."""
    user = _actor(request)
    _can_read(user)
    _known_params(request, HistoryParams)
    ent = scopes.get_visible_or_404(user, Enterprise, pk=enterprise_id)
    plants = Plant.objects.filter(enterprise=ent)
    units = ProductionUnit.objects.filter(plant__enterprise=ent)
    return paginate(_events(user, ent, plants, units), params)


def _events(user, obj: models.Model, *children: models.QuerySet) -> models.QuerySet:
    q = Q(content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk))
    for qs in children:
        ids = [str(pk) for pk in qs.values_list("pk", flat=True)]
        if ids:
            q |= Q(content_type=ContentType.objects.get_for_model(qs.model), object_id__in=ids)
    events = AuditEvent.objects.filter(q).select_related("content_type")
    if not scopes.can(user, "audit.search"):
        events = events.exclude(action__in=PRIVATE_ACTIONS)
    return events


# --- Plants --------------------------------------------------------------------------------------


def _plants(user) -> models.QuerySet:
    return scopes.visible(user, _plants_all())


def _plants_all() -> models.QuerySet:
    # Unscoped, for get_visible_or_404(), which must see another scope's row to audit the attempt.
    return Plant.objects.select_related("enterprise", "division__prefecture", "base")


def _in_scope(user, model: type[models.Model], pk: int, field: str) -> models.Model:
    """A row named in a request body: one outside the caller's scope reads as unknown (and is audited)."""
    try:
        return scopes.get_visible_or_404(user, model, pk=pk)
    except Http404:
        raise _unknown(field, pk) from None


@router.get("/plants", response={200: PlantList, **ERRORS}, summary="List plants")
def list_plants(request: HttpRequest, filters: Query[PlantFilters]) -> dict:
    user = _actor(request)
    _can_read(user)
    _known_params(request, PlantFilters)
    qs = _plants(user)
    units = ProductionUnit.objects.all()
    unit_filtered = False
    if filters.enterprise:
        qs = qs.filter(enterprise_id=filters.enterprise)
    if filters.city:
        qs = qs.filter(division__prefecture=_city(filters.city))
    if filters.base:
        qs = qs.filter(base=_by_code(IndustrialBase, "base", filters.base))
    if filters.metal:
        units, unit_filtered = units.filter(metal=_by_code(Metal, "metal", filters.metal)), True
    if filters.stage:
        units, unit_filtered = units.filter(stage=_by_code(ValueChainStage, "stage", filters.stage)), True
    if filters.status:
        status = _choice("status", filters.status, [s.value for s in UnitStatus])
        units, unit_filtered = units.filter(status=status), True
    if unit_filtered:
        qs = qs.filter(pk__in=units.values("plant"))
    if q := _search(filters.q):
        qs = qs.filter(Q(name__icontains=q) | Q(enterprise__name__icontains=q) | Q(address__icontains=q))
    return paginate(qs, filters)


@router.get("/plants/{plant_id}", response={200: PlantOut, **ERRORS}, summary="One plant")
def get_plant(request: HttpRequest, plant_id: int = ObjectId) -> Plant:
    user = _actor(request)
    _can_read(user)
    return scopes.get_visible_or_404(user, _plants_all(), pk=plant_id)


@router.post("/plants", response={201: PlantOut, **ERRORS}, summary="Register a plant of an enterprise")
def create_plant(request: HttpRequest, payload: PlantIn) -> tuple[int, Plant]:
    user = _actor(request)
    enterprise = _in_scope(user, Enterprise, payload.enterprise, "enterprise")
    data = payload.model_dump(exclude={"reason", "enterprise"})
    plant = services.create_plant(user, enterprise, data, reason=payload.reason)
    return 201, _plants(user).get(pk=plant.pk)


@router.patch("/plants/{plant_id}", response={200: PlantOut, **ERRORS}, summary="Change a plant")
def update_plant(request: HttpRequest, payload: PlantPatch, plant_id: int = ObjectId) -> Plant:
    user = _actor(request)
    plant = scopes.get_visible_or_404(user, Plant, pk=plant_id)
    changes = _changes(payload, Plant)
    services.update_plant(user, plant, changes, reason=payload.reason)
    return _plants(user).get(pk=plant.pk)


@router.get("/plants/{plant_id}/history", response={200: AuditEventList, **ERRORS}, summary="Audit trail of a plant")
def plant_history(request: HttpRequest, params: Query[HistoryParams], plant_id: int = ObjectId) -> dict:
    user = _actor(request)
    _can_read(user)
    _known_params(request, HistoryParams)
    plant = scopes.get_visible_or_404(user, Plant, pk=plant_id)
    return paginate(_events(user, plant, ProductionUnit.objects.filter(plant=plant)), params)


# --- Production units ----------------------------------------------------------------------------


def _units(user) -> models.QuerySet:
    return scopes.visible(user, _units_all())


def _units_all() -> models.QuerySet:
    # Unscoped, for get_visible_or_404(), which must see another scope's row to audit the attempt.
    return ProductionUnit.objects.select_related("plant__enterprise", "metal", "stage")


@router.get("/units", response={200: UnitList, **ERRORS}, summary="List production units")
def list_units(request: HttpRequest, filters: Query[UnitFilters]) -> dict:
    user = _actor(request)
    _can_read(user)
    _known_params(request, UnitFilters)
    qs = _units(user)
    if filters.enterprise:
        qs = qs.filter(plant__enterprise_id=filters.enterprise)
    if filters.plant:
        qs = qs.filter(plant_id=filters.plant)
    if filters.city:
        qs = qs.filter(plant__division__prefecture=_city(filters.city))
    if filters.base:
        qs = qs.filter(plant__base=_by_code(IndustrialBase, "base", filters.base))
    if filters.metal:
        qs = qs.filter(metal=_by_code(Metal, "metal", filters.metal))
    if filters.stage:
        qs = qs.filter(stage=_by_code(ValueChainStage, "stage", filters.stage))
    if filters.status:
        qs = qs.filter(status=_choice("status", filters.status, [s.value for s in UnitStatus]))
    if filters.capacity_unit:
        qs = qs.filter(capacity_unit=_choice("capacity_unit", filters.capacity_unit, CapacityUnit.values))
    if q := _search(filters.q):
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(product__icontains=q)
            | Q(main_equipment__icontains=q)
            | Q(plant__enterprise__name__icontains=q)
        )
    return paginate(qs, filters)


def _unit_detail(user, pk: int) -> ProductionUnit:
    return scopes.get_visible_or_404(user, _units_all(), pk=pk)


@router.get(
    "/units/{unit_id}", response={200: UnitDetail, **ERRORS}, summary="One production unit with its status history"
)
def get_unit(request: HttpRequest, unit_id: int = ObjectId) -> ProductionUnit:
    user = _actor(request)
    _can_read(user)
    return _unit_detail(user, unit_id)


@router.post("/units", response={201: UnitDetail, **ERRORS}, summary="Register a production unit")
def create_unit(request: HttpRequest, payload: UnitIn) -> tuple[int, ProductionUnit]:
    user = _actor(request)
    plant = _in_scope(user, Plant, payload.plant, "plant")
    data = payload.model_dump(exclude={"reason", "plant", "status", "status_since", "document"})
    unit = services.create_unit(
        user,
        plant,
        data,
        status=payload.status,
        status_since=payload.status_since,
        document=payload.document,
        reason=payload.reason,
    )
    return 201, _unit_detail(user, unit.pk)


@router.patch(
    "/units/{unit_id}", response={200: UnitDetail, **ERRORS}, summary="Change a production unit (not its status)"
)
def update_unit(request: HttpRequest, payload: UnitPatch, unit_id: int = ObjectId) -> ProductionUnit:
    user = _actor(request)
    unit = scopes.get_visible_or_404(user, ProductionUnit, pk=unit_id)
    changes = _changes(payload, ProductionUnit)
    services.update_unit(user, unit, changes, reason=payload.reason)
    return _unit_detail(user, unit.pk)


@router.post(
    "/units/{unit_id}/status", response={200: UnitDetail, **ERRORS}, summary="Move a unit along its life cycle"
)
def change_unit_status(request: HttpRequest, payload: StatusChangeIn, unit_id: int = ObjectId) -> ProductionUnit:
    """planned → approved → construction → operating → idle → exited, with the deciding document."""
    user = _actor(request)
    unit = scopes.get_visible_or_404(user, ProductionUnit, pk=unit_id)
    try:
        services.change_unit_status(
            user,
            unit,
            payload.to_status,
            effective_on=payload.effective_on,
            document=payload.document,
            reason=payload.reason,
        )
    except ValidationError as exc:
        # The service speaks of the unit's "status"; in this request the field is "to_status".
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        if "status" in errors:
            errors["to_status"] = errors.pop("status")
        raise ValidationError(errors) from None
    return _unit_detail(user, unit.pk)


@router.get(
    "/units/{unit_id}/history", response={200: AuditEventList, **ERRORS}, summary="Audit trail of a production unit"
)
def unit_history(request: HttpRequest, params: Query[HistoryParams], unit_id: int = ObjectId) -> dict:
    user = _actor(request)
    _can_read(user)
    _known_params(request, HistoryParams)
    unit = scopes.get_visible_or_404(user, ProductionUnit, pk=unit_id)
    return paginate(_events(user, unit), params)
