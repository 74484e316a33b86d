"""Shapes of the registry API: what comes in (checked before any service is called) and what goes out.

Input schemas forbid unknown fields and refuse text the databases cannot store (NUL characters), so a
bad request answers 400 naming the field instead of failing deep inside the ORM. References (division,
base, metal, stage) travel as codes, e.g. "division": "610822", "metal": "Mg"; the service functions
resolve them and name the field when a code is unknown."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ConfigDict, StringConstraints, field_validator

# Primary keys are 64-bit; a larger number cannot name a row and would overflow the database driver.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# A reference given by code (or, for reference rows, by id).
Ref = Annotated[int, Field(ge=1, le=MAX_ID)] | Annotated[str, StringConstraints(min_length=1, max_length=40)]
Text = Annotated[str, StringConstraints(max_length=300)]
LongText = Annotated[str, StringConstraints(max_length=4000)]


def reject_nul(value: Any) -> Any:
    """Neither SQLite's text affinity nor PostgreSQL's text type can hold U+0000."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("Text may not contain NUL characters.")
    return value


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return reject_nul(value)


# --- References --------------------------------------------------------------------------------


class DivisionRef(Schema):
    id: int
    code: str
    name: str
    name_en: str
    level: str


class CodeRef(Schema):
    code: str
    name: str
    name_en: str


class EnterpriseRef(Schema):
    id: int
    name: str
    short_name: str


class PlantRef(Schema):
    id: int
    name: str


# --- Pagination --------------------------------------------------------------------------------

# Bounds that keep OFFSET within every database's integer range and a page within reason.
MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 500


class PageParams(InputSchema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="1-based page number")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description=f"Rows per page (at most {MAX_PAGE_SIZE})")


class Page(Schema):
    count: int
    page: int
    page_size: int


# --- Filters -----------------------------------------------------------------------------------

FilterCode = Annotated[str, StringConstraints(min_length=1, max_length=40)] | None
Query = Annotated[str, StringConstraints(max_length=100)] | None


class EnterpriseFilters(PageParams):
    city: FilterCode = Field(None, description="City-level division: GB/T 2260 code (or id for a zone)")
    division: FilterCode = Field(None, description="Registered division, GB/T 2260 code (any level)")
    base: FilterCode = Field(None, description="Industrial base code")
    metal: FilterCode = Field(None, description="Metal code: enterprises with a unit of this metal")
    stage: FilterCode = Field(None, description="Value-chain stage code: enterprises with a unit in this stage")
    status: FilterCode = Field(None, description="Enterprise status (active, closed)")
    unit_status: FilterCode = Field(None, description="Enterprises with a production unit in this status")
    ownership: FilterCode = None
    q: Query = Field(None, description="Search in name, short name and credit code")


class PlantFilters(PageParams):
    enterprise: Id | None = None
    city: FilterCode = Field(None, description="City-level division of the site")
    base: FilterCode = None
    metal: FilterCode = Field(None, description="Plants with a unit of this metal")
    stage: FilterCode = None
    status: FilterCode = Field(None, description="Plants with a production unit in this status")
    q: Query = Field(None, description="Search in the plant's and its enterprise's names")


class UnitFilters(PageParams):
    enterprise: Id | None = None
    plant: Id | None = None
    city: FilterCode = Field(None, description="City-level division of the unit's plant")
    base: FilterCode = None
    metal: FilterCode = None
    stage: FilterCode = None
    status: FilterCode = Field(None, description="Life-cycle status: planned, approved, construction, ...")
    capacity_unit: FilterCode = None
    q: Query = Field(None, description="Search in unit name, product, equipment and enterprise name")


class HistoryParams(PageParams):
    pass


# --- Enterprises -------------------------------------------------------------------------------


class EnterpriseOut(Schema):
    id: int
    name: str
    short_name: str
    credit_code: str
    division: DivisionRef
    city: DivisionRef | None
    base: CodeRef | None
    ownership: str
    status: str
    legal_representative: str
    contact_person: str
    contact_phone: str
    contact_email: str
    address: str
    website: str
    established_on: dt.date | None
    employees: int | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_city(obj) -> Any:
        return obj.division.prefecture


class EnterpriseDetail(EnterpriseOut):
    plants: list[PlantRef]

    @staticmethod
    def resolve_plants(obj) -> list:
        return list(obj.plants.all())


class EnterpriseList(Page):
    results: list[EnterpriseOut]


class EnterpriseIn(InputSchema):
    name: Annotated[str, StringConstraints(max_length=120)]
    short_name: Annotated[str, StringConstraints(max_length=40)] = ""
    credit_code: Annotated[str, StringConstraints(max_length=40)]
    division: Ref
    base: Ref | None = None
    ownership: Annotated[str, StringConstraints(max_length=20)]
    status: Annotated[str, StringConstraints(max_length=10)] = "active"
    legal_representative: Annotated[str, StringConstraints(max_length=40)] = ""
    contact_person: Annotated[str, StringConstraints(max_length=40)] = ""
    contact_phone: Annotated[str, StringConstraints(max_length=30)] = ""
    contact_email: Annotated[str, StringConstraints(max_length=254)] = ""
    address: Annotated[str, StringConstraints(max_length=200)] = ""
    website: Annotated[str, StringConstraints(max_length=200)] = ""
    established_on: dt.date | None = None
    employees: Annotated[int, Field(ge=0, le=10_000_000)] | None = None
    reason: LongText = ""


class EnterprisePatch(InputSchema):
    name: Annotated[str, StringConstraints(max_length=120)] | None = None
    short_name: Annotated[str, StringConstraints(max_length=40)] | None = None
    credit_code: Annotated[str, StringConstraints(max_length=40)] | None = None
    division: Ref | None = None
    base: Ref | None = None
    ownership: Annotated[str, StringConstraints(max_length=20)] | None = None
    status: Annotated[str, StringConstraints(max_length=10)] | None = None
    legal_representative: Annotated[str, StringConstraints(max_length=40)] | None = None
    contact_person: Annotated[str, StringConstraints(max_length=40)] | None = None
    contact_phone: Annotated[str, StringConstraints(max_length=30)] | None = None
    contact_email: Annotated[str, StringConstraints(max_length=254)] | None = None
    address: Annotated[str, StringConstraints(max_length=200)] | None = None
    website: Annotated[str, StringConstraints(max_length=200)] | None = None
    established_on: dt.date | None = None
    employees: Annotated[int, Field(ge=0, le=10_000_000)] | None = None
    reason: LongText = ""


# --- Plants ------------------------------------------------------------------------------------

Latitude = Annotated[Decimal, Field(ge=-90, le=90, max_digits=9, decimal_places=6, allow_inf_nan=False)]
Longitude = Annotated[Decimal, Field(ge=-180, le=180, max_digits=9, decimal_places=6, allow_inf_nan=False)]


class PlantOut(Schema):
    id: int
    enterprise: EnterpriseRef
    name: str
    address: str
    division: DivisionRef
    city: DivisionRef | None
    base: CodeRef | None
    latitude: float | None
    longitude: float | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_city(obj) -> Any:
        return obj.division.prefecture


class PlantList(Page):
    results: list[PlantOut]


class PlantIn(InputSchema):
    enterprise: Id
    name: Annotated[str, StringConstraints(max_length=120)]
    address: Annotated[str, StringConstraints(max_length=200)] = ""
    division: Ref
    base: Ref | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    reason: LongText = ""


class PlantPatch(InputSchema):
    name: Annotated[str, StringConstraints(max_length=120)] | None = None
    address: Annotated[str, StringConstraints(max_length=200)] | None = None
    division: Ref | None = None
    base: Ref | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    reason: LongText = ""


# --- Production units --------------------------------------------------------------------------

Capacity = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2, allow_inf_nan=False)]


class StatusChangeOut(Schema):
    id: int
    from_status: str
    to_status: str
    effective_on: dt.date
    document: str
    reason: str
    actor: str
    recorded_at: dt.datetime

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor.username if obj.actor_id else ""


class UnitOut(Schema):
    id: int
    plant: PlantRef
    enterprise: EnterpriseRef
    name: str
    metal: CodeRef
    stage: CodeRef
    product: str
    process: str
    main_equipment: str
    design_capacity: float
    capacity_unit: str
    status: str
    status_since: dt.date
    approval_document: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_enterprise(obj) -> Any:
        return obj.plant.enterprise


class UnitDetail(UnitOut):
    status_changes: list[StatusChangeOut]

    @staticmethod
    def resolve_status_changes(obj) -> list:
        return list(obj.status_changes.select_related("actor"))


class UnitList(Page):
    results: list[UnitOut]


class UnitIn(InputSchema):
    plant: Id
    name: Annotated[str, StringConstraints(max_length=120)]
    metal: Ref
    stage: Ref
    product: Annotated[str, StringConstraints(max_length=80)]
    process: Annotated[str, StringConstraints(max_length=120)] = ""
    main_equipment: Annotated[str, StringConstraints(max_length=120)] = ""
    # Optional here so that the service names the missing half of "capacity with its unit".
    design_capacity: Capacity | None = None
    capacity_unit: Annotated[str, StringConstraints(max_length=10)] = ""
    approval_document: Annotated[str, StringConstraints(max_length=120)] = ""
    status: Annotated[str, StringConstraints(max_length=15)] = "planned"
    status_since: dt.date | None = None
    document: Annotated[str, StringConstraints(max_length=120)] = ""
    reason: LongText = ""


class UnitPatch(InputSchema):
    name: Annotated[str, StringConstraints(max_length=120)] | None = None
    metal: Ref | None = None
    stage: Ref | None = None
    product: Annotated[str, StringConstraints(max_length=80)] | None = None
    process: Annotated[str, StringConstraints(max_length=120)] | None = None
    main_equipment: Annotated[str, StringConstraints(max_length=120)] | None = None
    design_capacity: Capacity | None = None
    capacity_unit: Annotated[str, StringConstraints(max_length=10)] | None = None
    approval_document: Annotated[str, StringConstraints(max_length=120)] | None = None
    reason: LongText = ""


class StatusChangeIn(InputSchema):
    to_status: Annotated[str, StringConstraints(min_length=1, max_length=15)]
    effective_on: dt.date | None = None
    document: Annotated[str, StringConstraints(max_length=120)] = ""
    reason: LongText = ""


# --- Audit history -----------------------------------------------------------------------------


class AuditEventOut(Schema):
    id: int
    time: dt.datetime
    actor: str
    actor_role: str
    channel: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: dict | None
    after: dict | None
    reason: str

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor_username

    @staticmethod
    def resolve_object_type(obj) -> str:
        return obj.content_type.model if obj.content_type_id else ""


class AuditEventList(Page):
    results: list[AuditEventOut]
