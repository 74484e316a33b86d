"""Shapes of the enforcement API (/api/v1/enforcement/): survey campaigns with their counts by city, cases
with inspections, orders and the closure, rectification orders and the enterprise's answers to them,
closures with the resettlement gate of 三(七), and announcements with their published versions.

Input schemas forbid unknown fields and NUL characters, as in the registry API; filters name cities by
GB/T 2260 code."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from youse.registry.schemas import DivisionRef, EnterpriseRef, FilterCode, Id, InputSchema, Page, PageParams, PlantRef

# --- Filters ---------------------------------------------------------------------------------------


class CampaignFilters(PageParams):
    year: Annotated[int, Field(ge=1990, le=2200)] | None = Field(None, description="Campaign year")


class CaseFilters(PageParams):
    campaign: Id | None = Field(None, description="Survey campaign id")
    city: FilterCode = Field(None, description="Inspecting city (GB/T 2260 code)")
    status: FilterCode = Field(None, description="planned, open, passed, rectifying, escalated, closing, closed")
    source: FilterCode = Field(None, description="campaign, monitoring, capacity or complaint")


class OrderFilters(PageParams):
    state: FilterCode = Field(None, description="issued, in_progress, submitted, closed or failed")
    overdue: bool | None = Field(None, description="true: orders past their deadline (marked overdue)")
    city: FilterCode = Field(None, description="Inspecting city (GB/T 2260 code)")


class ClosureFilters(PageParams):
    state: FilterCode = Field(None, description="proposed, decided, executed or withdrawn")
    city: FilterCode = Field(None, description="Inspecting city (GB/T 2260 code)")


class AnnouncementFilters(PageParams):
    kind: FilterCode = Field(None, description="closure, rectification_list or survey_result")
    published: bool | None = Field(None, description="true: published only; false: drafts only")


# --- Campaigns -------------------------------------------------------------------------------------


class CampaignOut(Schema):
    id: int
    name: str
    year: int
    dimensions: list[str]
    metals: list[str] = Field(description="Metal codes; empty: every metal")
    cities: list[DivisionRef] = Field(description="Empty: every city")
    starts_on: dt.date
    due_on: dt.date
    created_at: dt.datetime


class CityCounts(Schema):
    """The cases of one inspecting city, by where they stand."""

    city: DivisionRef
    listed: int
    inspected: int = Field(description="Cases with at least one inspection")
    passed: int
    rectifying: int
    overdue: int = Field(description="Cases with an order past its deadline")
    escalated: int
    closing: int
    closed: int


class CampaignDetail(CampaignOut):
    by_city: list[CityCounts] = Field(description="Counted over the cases in the caller's scope")


class CampaignList(Page):
    results: list[CampaignOut]


# --- Cases -----------------------------------------------------------------------------------------


class CampaignRef(Schema):
    id: int
    name: str


class CaseOut(Schema):
    id: int
    code: str
    enterprise: EnterpriseRef
    plant: PlantRef | None
    unit: PlantRef | None
    source: str
    campaign: CampaignRef | None
    city: DivisionRef
    dimensions: list[str]
    summary: str
    status: str
    status_label: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None


class CheckResultOut(Schema):
    item: str = Field(description="Checklist item code")
    text: str
    met: bool | None
    measured: Decimal | None
    passed: bool | None
    note: str


class FindingOut(Schema):
    id: int
    dimension: str
    item: str | None = Field(description="Checklist item code, if the finding comes from one")
    text: str
    failed: bool


class InspectionOut(Schema):
    id: int
    order: int | None = Field(description="The order this re-inspects, if any")
    dimensions: list[str]
    inspecting_unit: str
    inspectors: str
    inspected_on: dt.date
    verdict: str = Field(description="pass, fail or pending")
    notes: str
    results: list[CheckResultOut]
    findings: list[FindingOut]


class RequirementOut(Schema):
    text: str
    basis: str
    finding: int | None


class OrderOut(Schema):
    id: int
    code: str
    case: int
    case_code: str
    enterprise: EnterpriseRef
    city: DivisionRef
    inspection: int
    issued_on: dt.date
    deadline: dt.date
    responsible_person: str
    state: str
    state_label: str
    report: str
    reported_on: dt.date | None
    overdue_since: dt.date | None
    requirements: list[RequirementOut]


class OrderList(Page):
    results: list[OrderOut]


class GateCheckOut(Schema):
    code: str = Field(description="funding, complete or approved (clause 三(七))")
    passed: bool
    why: str


class ClosureSummary(Schema):
    id: int
    state: str
    state_label: str
    decided_on: dt.date | None
    effective_on: dt.date | None
    executed_on: dt.date | None


class CaseDetail(CaseOut):
    inspections: list[InspectionOut]
    orders: list[OrderOut]
    closure: ClosureSummary | None


class CaseList(Page):
    results: list[CaseOut]


# --- Closures --------------------------------------------------------------------------------------


class ClosureOut(ClosureSummary):
    case: int
    case_code: str
    enterprise: EnterpriseRef
    city: DivisionRef
    units: list[PlantRef]
    reason: str
    basis: str
    document: str
    capacity_ineligible: bool
    created_at: dt.datetime


class ClosureDetail(ClosureOut):
    resettlement_gate: list[GateCheckOut] = Field(description="The three checks that must pass before execution")
    gate_passed: bool


class ClosureList(Page):
    results: list[ClosureOut]


# --- Announcements ---------------------------------------------------------------------------------


class VersionOut(Schema):
    number: int
    title: str
    body: str
    correction_note: str
    published_at: dt.datetime


class AnnouncementOut(Schema):
    id: int
    kind: str
    closure: int | None
    campaign: int | None
    title: str = Field(description="The working draft; published texts are the versions")
    body: str
    published_at: dt.datetime | None
    versions: list[VersionOut]


class AnnouncementList(Page):
    results: list[AnnouncementOut]


# --- The enterprise's answers ----------------------------------------------------------------------


class StartIn(InputSchema):
    note: Annotated[str, StringConstraints(max_length=4000)] = ""


class ReportDoneIn(InputSchema):
    report: Annotated[str, StringConstraints(max_length=20000)] = Field(description="What was done")
    reported_on: dt.date | None = Field(None, description="Blank: today")
