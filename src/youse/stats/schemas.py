"""Shapes of the monthly-report API. Figures travel as decimal strings with their unit in the field
name's documentation (money in 万元, tonnes, kWh); the service checks them as the form and import do."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from youse.registry.schemas import MAX_ID, Id, InputSchema, Page, PageParams

Month = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}$")]
Number = Annotated[Decimal, Field(max_digits=18, decimal_places=3, allow_inf_nan=False)] | None


class ReportFilters(PageParams):
    month: Month | None = Field(None, description="YYYY-MM")
    enterprise: Id | None = None
    status: Annotated[str, StringConstraints(max_length=20)] | None = Field(
        None, description="draft, submitted, city_accepted, accepted, returned"
    )


class FiguresIn(InputSchema):
    value_added: Number = Field(None, description="industrial value added (万元)")
    revenue: Number = Field(None, description="main business revenue (万元)")
    profit: Number = Field(None, description="total profit (万元), may be negative")
    energy_tce: Number = Field(None, description="energy use (tce)")
    electricity_kwh: Number = Field(None, description="electricity use (kWh)")
    employees: Annotated[int, Field(ge=0, le=10_000_000)] | None = None
    fly_ash_used_t: Number = Field(None, description="t")
    slag_used_t: Number = Field(None, description="t")
    tailings_used_t: Number = Field(None, description="t")


class LineIn(InputSchema):
    unit: Annotated[int, Field(ge=1, le=MAX_ID)] = Field(..., description="production unit id")
    output_t: Number = Field(None, description="output (t)")
    output_value: Number = Field(None, description="output value at current prices (万元)")
    al_liquid_t: Number = Field(None, description="electrolysis lines: aluminium liquid (t)")
    ac_kwh_per_t: Number = Field(None, description="electrolysis lines: AC power (kWh/t)")
    ac_total_kwh_per_t: Number = Field(None, description="electrolysis lines: comprehensive AC power (kWh/t)")


class ReportIn(InputSchema):
    enterprise: Id | None = Field(None, description="enterprise id (or give credit_code)")
    credit_code: Annotated[str, StringConstraints(min_length=18, max_length=18)] | None = None
    month: Month = Field(..., description="YYYY-MM")
    figures: FiguresIn
    lines: list[LineIn] = Field(default_factory=list, max_length=500)
    reason: Annotated[str, StringConstraints(max_length=2000)] = ""


class ReasonIn(InputSchema):
    reason: Annotated[str, StringConstraints(max_length=2000)] = ""


class LineOut(Schema):
    unit: int = Field(..., alias="unit_id")
    unit_name: str
    metal: str
    stage: str
    product: str
    output_t: Decimal
    output_value: Decimal
    al_liquid_t: Decimal | None
    ac_kwh_per_t: Decimal | None
    ac_total_kwh_per_t: Decimal | None


class RevisionOut(Schema):
    number: int
    reason: str
    created_at: dt.datetime
    superseded: bool
    value_added: Decimal
    revenue: Decimal
    profit: Decimal
    energy_tce: Decimal
    electricity_kwh: Decimal
    employees: int
    fly_ash_used_t: Decimal
    slag_used_t: Decimal
    tailings_used_t: Decimal
    lines: list[LineOut]


class EnterpriseBrief(Schema):
    id: int
    name: str
    credit_code: str


class ReportOut(Schema):
    id: int
    enterprise: EnterpriseBrief
    month: str
    status: str
    status_label: str
    submitted_at: dt.datetime | None
    accepted_at: dt.datetime | None
    current: RevisionOut | None = Field(None, description="the revision in work")
    accepted_revision: int | None = Field(None, description="number of the revision the indicators count")
    units: dict[str, str] = Field(default_factory=dict, description="unit of each figure")


class ReportSummary(Schema):
    id: int
    enterprise: EnterpriseBrief
    month: str
    status: str
    submitted_at: dt.datetime | None
    accepted_at: dt.datetime | None


class ReportList(Page):
    results: list[ReportSummary]
