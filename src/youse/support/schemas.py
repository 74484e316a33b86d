"""Shapes of the support API (/api/v1/support/): fund calls with their budgets, project applications
with outcomes, disbursements and their life cycle, reserve plans, holdings and their movement ledgers.
Input schemas forbid unknown fields; amounts are in 万元, quantities in tonnes."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from youse.registry.schemas import DivisionRef, EnterpriseRef, FilterCode, Id, InputSchema, Page, PageParams

Short = Annotated[str, StringConstraints(max_length=200)]
Long = Annotated[str, StringConstraints(max_length=8000)]
Money = Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2)]
Tonnes = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=3)]
Year = Annotated[int, Field(ge=2000, le=2100)]

# --- Filters ---------------------------------------------------------------------------------------


class CallFilters(PageParams):
    year: Year | None = Field(None, description="Call year")
    state: FilterCode = Field(None, description="draft, open or closed")


class ApplicationFilters(PageParams):
    year: Year | None = Field(None, description="Year of the call")
    call: Id | None = Field(None, description="Call id")
    category: FilterCode = Field(None, description="green, intelligent, high_end, brand or platform")
    city: FilterCode = Field(None, description="City of the enterprise (GB/T 2260 code)")
    state: FilterCode = Field(
        None, description="draft, submitted, returned, recommended, approved, rejected, accepted or failed"
    )
    enterprise: Id | None = Field(None, description="Enterprise id")


class HoldingFilters(PageParams):
    metal: FilterCode = Field(None, description="Metal code (Al, Mg, Ti, Zn, Mo, V, ...)")
    kind: FilterCode = Field(None, description="government or commercial")
    city: FilterCode = Field(None, description="City of the warehouse (GB/T 2260 code)")
    enterprise: Id | None = Field(None, description="Holding enterprise id (commercial reserves)")


# --- Calls -----------------------------------------------------------------------------------------


class BudgetOut(Schema):
    category: str
    category_label: str
    budget: Decimal | None = Field(description="万元; null: no budget of the category's own")
    requested: Decimal = Field(description="Requested by the applications past the draft (万元)")
    approved: Decimal = Field(description="Approved (万元)")


class CallOut(Schema):
    id: int
    year: int
    title: str
    document: str
    opens_on: dt.date
    closes_on: dt.date
    budget: Decimal | None
    state: str
    state_label: str


class CallDetail(CallOut):
    budgets: list[BudgetOut]


class CallList(Page):
    results: list[CallOut]


class BudgetIn(InputSchema):
    category: Annotated[str, StringConstraints(max_length=12)]
    budget: Money | None = None


class CallIn(InputSchema):
    year: Year
    title: Short
    document: Annotated[str, StringConstraints(max_length=120)]
    opens_on: dt.date
    closes_on: dt.date
    budget: Money | None = Field(None, description="Overall budget (万元)")
    budgets: list[BudgetIn] = Field(description="The categories open, each with its budget (万元) or null")


# --- Applications ----------------------------------------------------------------------------------


class OutcomeIO(InputSchema):
    indicator: Annotated[str, StringConstraints(max_length=80)]
    unit: Annotated[str, StringConstraints(max_length=20)]
    expected: Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]


class OutcomeOut(Schema):
    id: int
    indicator: str
    unit: str
    expected: Decimal
    achieved: Decimal | None
    share: Decimal | None = Field(description="Achieved as a percentage of expected")


class DisbursementOut(Schema):
    id: int
    paid_on: dt.date
    amount: Decimal
    document: str


class StepOut(Schema):
    time: dt.datetime
    event: str
    actor: str
    reason: str


class ApplicationOut(Schema):
    id: int
    code: str
    call: int
    year: int
    enterprise: EnterpriseRef
    city: DivisionRef | None
    category: str
    category_label: str
    project_name: str
    total_investment: Decimal
    requested: Decimal
    approved: Decimal | None
    disbursed: Decimal
    state: str
    state_label: str
    submitted_on: dt.date | None
    decided_on: dt.date | None
    accepted_on: dt.date | None


class ApplicationDetail(ApplicationOut):
    content: str
    city_opinion: str
    decision_document: str
    decision_reason: str
    acceptance_report: str
    repayment_required: Decimal | None
    repaid: Decimal | None
    repaid_on: dt.date | None
    outcomes: list[OutcomeOut]
    disbursements: list[DisbursementOut]
    timeline: list[StepOut]


class ApplicationList(Page):
    results: list[ApplicationOut]


class TotalOut(Schema):
    key: str
    label: str
    count: int
    requested: Decimal
    approved: Decimal
    disbursed: Decimal


class Totals(Schema):
    by_category: list[TotalOut]
    by_city: list[TotalOut]


class ApplicationIn(InputSchema):
    call: Id
    enterprise: Id | None = Field(None, description="Blank for an enterprise user: itself")
    category: Annotated[str, StringConstraints(max_length=12)]
    project_name: Short
    content: Long = ""
    total_investment: Money
    requested: Money
    outcomes: list[OutcomeIO]


class ApplicationEdit(InputSchema):
    category: Annotated[str, StringConstraints(max_length=12)]
    project_name: Short
    content: Long = ""
    total_investment: Money
    requested: Money
    outcomes: list[OutcomeIO]


class OpinionIn(InputSchema):
    opinion: Long = ""


class RequiredReasonIn(InputSchema):
    reason: Long


class ApproveIn(InputSchema):
    amount: Money
    document: Annotated[str, StringConstraints(max_length=120)] = ""
    reason: Long = ""


class DisburseIn(InputSchema):
    amount: Money
    paid_on: dt.date | None = Field(None, description="Blank: today")
    document: Annotated[str, StringConstraints(max_length=120)] = ""


class AchievedIn(InputSchema):
    outcome: Id
    achieved: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]


class AcceptIn(InputSchema):
    passed: bool
    report: Long
    achieved: list[AchievedIn]
    accepted_on: dt.date | None = Field(None, description="Blank: today")
    repayment: Money | None = Field(None, description="Failed only: the amount to be repaid (万元)")


class RepayIn(InputSchema):
    amount: Money
    repaid_on: dt.date | None = Field(None, description="Blank: today")


# --- Reserves --------------------------------------------------------------------------------------


class PlanOut(Schema):
    id: int
    metal: str
    kind: str
    kind_label: str
    product: str
    target_t: Decimal
    starts_on: dt.date
    ends_on: dt.date
    document: str


class PlanIn(InputSchema):
    metal: Annotated[str, StringConstraints(max_length=8)]
    kind: Annotated[str, StringConstraints(max_length=12)]
    product: Annotated[str, StringConstraints(max_length=40)]
    target_t: Tonnes
    starts_on: dt.date
    ends_on: dt.date
    document: Annotated[str, StringConstraints(max_length=120)] = ""


class SummaryOut(Schema):
    metal: str
    metal_name: str
    kind: str
    kind_label: str
    target_t: Decimal | None
    held_t: Decimal
    fill_rate: Decimal | None = Field(description="Held as a percentage of the target")
    holdings: int


class MovementOut(Schema):
    id: int
    kind: str
    kind_label: str
    moved_on: dt.date
    quantity_t: Decimal
    balance_t: Decimal
    document: str
    note: str


class HoldingOut(Schema):
    id: int
    kind: str
    kind_label: str
    metal: str
    product: str
    holder: str
    enterprise: EnterpriseRef | None
    warehouse: str
    division: DivisionRef
    city: DivisionRef | None
    quantity_t: Decimal
    last_moved_on: dt.date | None


class HoldingDetail(HoldingOut):
    movements: list[MovementOut]


class HoldingList(Page):
    results: list[HoldingOut]


class HoldingIn(InputSchema):
    kind: Annotated[str, StringConstraints(max_length=12)]
    metal: Annotated[str, StringConstraints(max_length=8)]
    product: Annotated[str, StringConstraints(max_length=40)]
    enterprise: Id | None = Field(None, description="Commercial: the holding enterprise (an enterprise user: itself)")
    holder_body: Annotated[str, StringConstraints(max_length=120)] = Field("", description="Government: the body")
    warehouse: Annotated[str, StringConstraints(max_length=120)]
    division: Annotated[str, StringConstraints(max_length=6)] = Field(description="GB/T 2260 code of the location")


class MovementIn(InputSchema):
    kind: Annotated[str, StringConstraints(max_length=10)] = Field(description="in, out or rotation")
    moved_on: dt.date | None = Field(None, description="Blank: today")
    quantity_t: Tonnes
    document: Annotated[str, StringConstraints(max_length=120)]
    note: Annotated[str, StringConstraints(max_length=200)] = ""
