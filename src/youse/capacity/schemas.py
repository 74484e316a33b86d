"""Shapes of the capacity API (/api/v1/capacity/): indicators with their journal, replacement schemes with
their exit lines and rule report, objections, dismantling evidence and the ledger's totals.

Tonnes are whole tonnes per year (t/yr). Indicators are named by code ("CN-A-OLD") or id wherever a body
refers to one; enterprises by id or credit code; divisions by GB/T 2260 code. Input schemas forbid unknown
fields and NUL characters, as in the registry API."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from youse.core.api_base import ErrorDict
from youse.registry.schemas import (
    MAX_ID,
    DivisionRef,
    EnterpriseRef,
    FilterCode,
    Id,
    InputSchema,
    Page,
    PageParams,
    PlantRef,
    Ref,
)

# Larger than any line the world has built, small enough for every database's bigint.
MAX_TONNES = 10**9
Tonnes = Annotated[int, Field(gt=0, le=MAX_TONNES)]
Reason = Annotated[str, StringConstraints(max_length=4000)]
Document = Annotated[str, StringConstraints(max_length=200)]
Word = Annotated[str, StringConstraints(max_length=40)]
IndicatorRef = Annotated[int, Field(ge=1, le=MAX_ID)] | Annotated[str, StringConstraints(min_length=1, max_length=40)]
Energy = Annotated[Decimal, Field(gt=0, max_digits=7, decimal_places=1, allow_inf_nan=False)]


# --- Filters ---------------------------------------------------------------------------------------


class IndicatorFilters(PageParams):
    owner: Id | None = Field(None, description="Owning enterprise id")
    holding: FilterCode = Field(None, description="Indicators holding tonnes here: active, available, reserved, ...")
    basis: FilterCode = Field(None, description="Compliance basis: cleanup_2017, built_compliant, elimination, ...")
    city: FilterCode = Field(None, description="City of the indicator's unit or owner (GB/T 2260 code)")


class SchemeFilters(PageParams):
    state: FilterCode = Field(None, description="draft, submitted, notice, review, approved, announced, ...")
    applicant: Id | None = Field(None, description="Applicant enterprise id")
    city: FilterCode = Field(None, description="City of the new line or of the applicant (GB/T 2260 code)")


class ObjectionFilters(PageParams):
    scheme: Id | None = Field(None, description="Replacement scheme id")
    status: FilterCode = Field(None, description="pending, upheld or dismissed")


# --- Indicators ------------------------------------------------------------------------------------


class Holdings(Schema):
    active: int
    available: int
    reserved: int
    consumed: int
    lapsed: int
    ineligible: int
    transferred_out: int


class UnitRef(Schema):
    id: int
    name: str


class SchemeRef(Schema):
    id: int
    code: str


class IndicatorOut(Schema):
    id: int
    code: str
    tonnes: int
    owner: EnterpriseRef
    unit: UnitRef | None
    city: DivisionRef | None
    state: str = Field(description="The holding of all its tonnes, or 'mixed'")
    holdings: Holdings
    origin_province: str
    origin_enterprise: str
    origin_equipment: str
    origin_document: str
    basis: str
    basis_reference: str
    built_on: dt.date | None
    closed_on: dt.date | None
    announced: bool
    use_by: dt.date | None
    elimination_deadline: dt.date | None
    transfer_reference: str
    scheme: SchemeRef | None = Field(description="The approved scheme that created this capacity")
    note: str
    created_at: dt.datetime
    updated_at: dt.datetime


class LedgerEntryOut(Schema):
    seq: int
    kind: str
    source: str
    target: str
    tonnes: int
    scheme: SchemeRef | None
    exit_line: int | None
    effective_on: dt.date
    document: str
    note: str
    actor: str
    recorded_at: dt.datetime


class IndicatorDetail(IndicatorOut):
    entries: list[LedgerEntryOut]


class IndicatorList(Page):
    results: list[IndicatorOut]


class IndicatorIn(InputSchema):
    code: Word = Field("", description="Blank: the next CN-<year>-nnn")
    tonnes: Tonnes
    owner: Ref = Field(description="Enterprise id or credit code")
    unit: Id | None = None
    origin_province: Word = ""
    origin_enterprise: Annotated[str, StringConstraints(max_length=120)] = ""
    origin_equipment: Annotated[str, StringConstraints(max_length=120)] = ""
    origin_document: Document
    basis: Word
    basis_reference: Document = ""
    built_on: dt.date | None = None
    closed_on: dt.date | None = None
    announced: bool = False
    use_by: dt.date | None = None
    elimination_deadline: dt.date | None = None
    transfer_reference: Document = ""
    note: Reason = ""
    holding: Word | None = Field(None, description="active, available or ineligible; blank: from the unit and basis")
    effective_on: dt.date | None = None
    reason: Reason = ""


class CloseIn(InputSchema):
    closed_on: dt.date
    document: Document
    tonnes: Tonnes | None = Field(None, description="Blank: every active tonne")
    reason: Reason = ""


class DisqualifyIn(InputSchema):
    tonnes: Tonnes | None = Field(None, description="Blank: every tonne of the holding")
    holding: Word = Field("available", description="available or active")
    reason: Reason


class TransferOutIn(InputSchema):
    tonnes: Tonnes
    province: Word
    reference: Document = Field(description="The other province's announcement")
    reason: Reason = ""


# --- Schemes ---------------------------------------------------------------------------------------


class RuleResultOut(Schema):
    code: str
    title: str
    citation: str
    passed: bool
    why: str
    unverified: bool = False


class RuleReportOut(Schema):
    passed: bool
    results: list[RuleResultOut]


class RefusedOut(Schema):
    """A submission (or publication, or approval) the rules refused: the errors and the whole report."""

    detail: str
    errors: ErrorDict = Field(default_factory=dict)
    report: RuleReportOut | None = None


class EvidenceOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class ExitLineOut(Schema):
    id: int
    indicator: str = Field(description="Indicator code")
    indicator_id: int
    region: str
    enterprise: str
    tonnes: int
    equipment: str
    acquisition_document: str
    dismantling_start: dt.date | None
    dismantling_due: dt.date | None
    status: str
    reserved_t: int
    dismantled_on: dt.date | None
    dismantling_note: str
    overdue_since: dt.date | None
    evidence: list[EvidenceOut]


class ObjectionOut(Schema):
    id: int
    scheme: SchemeRef
    notice_round: int
    name: str
    organisation: str
    contact: str
    text: str
    filed_at: dt.datetime
    status: str
    finding: str
    cut_line: int | None
    cut_tonnes: int
    decided_at: dt.datetime | None


class ObjectionList(Page):
    results: list[ObjectionOut]


class SchemeOut(Schema):
    id: int
    code: str
    title: str
    applicant: EnterpriseRef
    plant: PlantRef | None
    site: str
    division: DivisionRef
    main_equipment: str
    capacity_t: int
    exit_tonnes: int
    energy_kwh_per_t: float | None
    planned_start: dt.date | None
    planned_production: dt.date | None
    route: str
    state: str
    state_label: str
    contact: str
    submitted_at: dt.datetime | None
    published_at: dt.datetime | None
    notice_start: dt.date | None
    notice_end: dt.date | None
    notice_round: int
    notice_open: bool
    decided_at: dt.datetime | None
    decision_document: str
    decision_reason: str
    announced_at: dt.datetime | None
    announcement_document: str
    returned_reason: str
    created_at: dt.datetime
    updated_at: dt.datetime


class SchemeDetail(SchemeOut):
    exit_lines: list[ExitLineOut]
    check_report: RuleReportOut | None = Field(description="The last rule check; hidden from readers outside its scope")
    objections: list[ObjectionOut] = Field(description="The objections the caller may see (with objectors' names)")


class SchemeList(Page):
    results: list[SchemeOut]


class ExitLineIn(InputSchema):
    indicator: IndicatorRef = Field(description="Indicator code or id")
    tonnes: Tonnes
    equipment: Annotated[str, StringConstraints(max_length=120)] = ""
    acquisition_document: Document = ""
    dismantling_start: dt.date | None = None
    dismantling_due: dt.date | None = None


class SchemeIn(InputSchema):
    title: Document
    applicant: Ref | None = Field(None, description="Enterprise id or credit code; an enterprise applies for itself")
    plant: Id | None = None
    site: Document
    division: Ref = Field(description="Destination division, GB/T 2260 code")
    main_equipment: Annotated[str, StringConstraints(max_length=120)]
    capacity_t: Tonnes
    energy_kwh_per_t: Energy | None = None
    planned_start: dt.date | None = None
    planned_production: dt.date | None = None
    route: Word = "own"
    contact: Document = ""
    exit_lines: list[ExitLineIn] = Field(default_factory=list, max_length=100)
    reason: Reason = ""


class SchemePatch(InputSchema):
    title: Document | None = None
    applicant: Ref | None = None
    plant: Id | None = None
    site: Document | None = None
    division: Ref | None = None
    main_equipment: Annotated[str, StringConstraints(max_length=120)] | None = None
    capacity_t: Tonnes | None = None
    energy_kwh_per_t: Energy | None = None
    planned_start: dt.date | None = None
    planned_production: dt.date | None = None
    route: Word | None = None
    contact: Document | None = None
    exit_lines: list[ExitLineIn] | None = Field(None, max_length=100, description="Given: replaces the exit side")
    reason: Reason = ""


class SchemeReasonIn(InputSchema):
    reason: Reason = ""


class SchemePublishIn(InputSchema):
    published_on: dt.date | None = Field(None, description="Blank: today")
    contact: Document = Field("", description="Address and telephone for objections, if not on the scheme")
    reason: Reason = ""


class SchemeApproveIn(InputSchema):
    document: Document
    unit_name: Annotated[str, StringConstraints(max_length=120)] = ""
    reason: Reason = ""


class RejectIn(InputSchema):
    reason: Reason
    document: Document = ""


class AnnounceIn(InputSchema):
    document: Document
    reason: Reason = ""


# --- Objections ------------------------------------------------------------------------------------


class ObjectionIn(InputSchema):
    name: Annotated[str, StringConstraints(max_length=60)]
    organisation: Annotated[str, StringConstraints(max_length=120)] = ""
    contact: Annotated[str, StringConstraints(max_length=120)]
    text: Annotated[str, StringConstraints(max_length=5000)]


class ObjectionFiled(Schema):
    """What an objector gets back: a receipt, not the department's file."""

    id: int
    scheme: SchemeRef
    filed_at: dt.datetime
    status: str


class DecideIn(InputSchema):
    upheld: bool
    finding: Reason
    cut_line: Id | None = Field(None, description="Exit line of this scheme whose tonnes are found ineligible")
    cut_tonnes: Annotated[int, Field(ge=0, le=MAX_TONNES)] = 0


# --- Dismantling ----------------------------------------------------------------------------------


class DismantlingIn(InputSchema):
    """The form fields of a dismantling confirmation; the files travel beside them as `files`."""

    dismantled_on: dt.date
    note: Reason = ""


# --- Ledger totals ---------------------------------------------------------------------------------


class CityTotals(Holdings):
    city: DivisionRef | None
    tonnes: int
    indicators: int


class NationalFigureOut(Schema):
    as_of: dt.date
    ceiling_t: int
    built_t: int | None
    running_t: int | None
    source: str
    verified: bool


class LedgerSummary(Schema):
    indicators: int
    tonnes: int
    totals: Holdings
    by_city: list[CityTotals]
    national: NationalFigureOut | None = Field(description="The latest national figure, for reference")
