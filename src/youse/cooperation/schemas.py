"""Shapes of the cooperation API (/api/v1/cooperation/): overseas projects with their partners, status
history and annual reviews, and the actions of the registration (备案登记) and of progress reporting.

Input schemas forbid unknown fields and NUL characters, as in the registry API. References travel as
codes: the host country by ISO 3166 alpha-2 code ("KZ"), the metal ("Mo"), the value-chain stage
("mining"), the city by GB/T 2260 code. Amounts are in 万美元 (USD 10,000), as the field names say."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from youse.registry.schemas import (
    CodeRef,
    DivisionRef,
    EnterpriseRef,
    FilterCode,
    Id,
    InputSchema,
    LongText,
    Page,
    PageParams,
    Text,
)
from youse.registry.schemas import Query as SearchText

Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=40)]
ModeCode = Literal["holding", "stake", "acquisition", "share_swap"]
RiskCode = Literal["low", "medium", "high"]
StatusCode = Literal["planned", "approved", "construction", "operating", "suspended", "exited"]


class ProjectFilters(PageParams):
    country: FilterCode = Field(None, description="Host country, ISO 3166 alpha-2 code (KZ, ID, GN...)")
    metal: FilterCode = Field(None, description="Metal code (Mo, Al, Ti...)")
    mode: FilterCode = Field(
        None, description="holding (控股), stake (参股), acquisition (收购), share_swap (股权置换)"
    )
    status: FilterCode = Field(None, description="planned, approved, construction, operating, suspended, exited")
    risk: FilterCode = Field(None, description="Risk level: low, medium, high")
    city: FilterCode = Field(None, description="City of the enterprise (GB/T 2260 code)")
    filing: FilterCode = Field(None, description="Registration: draft, submitted, returned, filed")
    enterprise: FilterCode = Field(None, description="Enterprise id")
    flagged: bool | None = Field(None, description="true: projects flagged for attention")
    q: SearchText = Field(None, description="Search in name, numbers, enterprise and partners")


class CountryOut(Schema):
    code: str = Field(description="ISO 3166-1 alpha-2")
    name: str
    name_en: str
    region: str
    belt_and_road: bool


class PartnerIO(InputSchema):
    side: Literal["foreign", "domestic"]
    name: Annotated[str, StringConstraints(min_length=1, max_length=160)]
    role: Annotated[str, StringConstraints(max_length=120)] = ""


class ProjectOut(Schema):
    id: int
    code: str
    register_no: str = Field(description="The department's register number (备案登记号), once filed")
    name: str
    enterprise: EnterpriseRef
    city: DivisionRef | None
    country: CountryOut
    location: str
    metal: CodeRef
    stage: CodeRef
    mode: str
    mode_label: str
    equity_share: Decimal | None = Field(description="Equity held by the Chinese side, %")
    currency: str = Field(description="Currency of the amounts: USD, in units of 10,000 (万美元)")
    total_investment_10k_usd: Decimal | None
    chinese_investment_10k_usd: Decimal | None
    invested_10k_usd: Decimal = Field(description="Invested to date, as last reported")
    product: str
    capacity_t_per_year: Decimal | None
    signed_on: dt.date | None
    construction_started_on: dt.date | None
    operation_started_on: dt.date | None
    status: str
    status_label: str
    status_since: dt.date | None
    ndrc_filing_no: str
    mofcom_certificate_no: str
    filing: str = Field(description="draft, submitted, returned or filed")
    filing_label: str
    risk_level: str
    flagged: bool
    flag_reason: str


class ProgressReportOut(Schema):
    status_from: str
    status_to: str
    on: dt.date
    note: str
    invested_10k_usd: Decimal | None


class ReviewOut(Schema):
    id: int
    year: int
    reviewed_on: dt.date
    reviewer: str
    risk_level: str
    findings: str
    recommendations: str


class RisksOut(Schema):
    political: str
    fx: str
    legal: str
    environmental: str
    market: str


class ProjectDetail(ProjectOut):
    description: str
    risks: RisksOut
    return_reason: str
    submitted_at: dt.datetime | None
    filed_at: dt.datetime | None
    partners: list[PartnerIO]
    status_history: list[ProgressReportOut]
    reviews: list[ReviewOut]


class ProjectList(Page):
    results: list[ProjectOut]


class ProjectTotals(Schema):
    projects: int
    filed: int
    waiting: int = Field(description="Submitted, awaiting the department")
    high_risk: int
    flagged: int
    countries: int
    total_investment_10k_usd: Decimal = Field(description="Over the filed projects")
    chinese_investment_10k_usd: Decimal
    invested_10k_usd: Decimal


class ProjectListWithTotals(ProjectList):
    totals: ProjectTotals


class ProjectFields(InputSchema):
    """The fields of a draft; every one optional on a change (PATCH)."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=160)] | None = None
    country: Code | None = Field(None, description="ISO 3166 alpha-2 code")
    location: Text | None = None
    metal: Code | None = Field(None, description="Metal code")
    stage: Code | None = Field(None, description="Value-chain stage code")
    mode: ModeCode | None = None
    equity_share: Annotated[Decimal, Field(gt=0, le=100, max_digits=5, decimal_places=2)] | None = None
    total_investment_10k_usd: Amount | None = None
    chinese_investment_10k_usd: Amount | None = None
    product: Annotated[str, StringConstraints(max_length=80)] | None = None
    capacity_t_per_year: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=0)] | None = None
    signed_on: dt.date | None = None
    construction_started_on: dt.date | None = None
    operation_started_on: dt.date | None = None
    status: Literal["planned", "approved", "construction", "operating"] | None = Field(
        None, description="Where the project stands when registered"
    )
    ndrc_filing_no: Text | None = None
    mofcom_certificate_no: Text | None = None
    risk_level: RiskCode | None = None
    risk_political: LongText | None = None
    risk_fx: LongText | None = None
    risk_legal: LongText | None = None
    risk_environmental: LongText | None = None
    risk_market: LongText | None = None
    description: LongText | None = None
    partners: list[PartnerIO] | None = Field(None, description="Replaces the partners when given")


class ProjectIn(ProjectFields):
    enterprise: Id = Field(description="Enterprise id (an enterprise user: its own)")


class ProjectReasonIn(InputSchema):
    reason: LongText = ""


class FileIn(InputSchema):
    note: LongText = ""


class ProgressIn(InputSchema):
    status: StatusCode | None = Field(None, description="New status; omit (or repeat) for a progress note")
    on: dt.date
    note: LongText = ""
    invested_10k_usd: Amount | None = Field(None, description="Invested to date after this report")


class ReviewIn(InputSchema):
    year: Annotated[int, Field(ge=2000, le=2100)]
    reviewed_on: dt.date
    reviewer: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    risk_level: RiskCode
    findings: Annotated[str, StringConstraints(min_length=1, max_length=4000)]
    recommendations: LongText = ""


class FlagIn(InputSchema):
    flagged: bool
    reason: Text = ""
