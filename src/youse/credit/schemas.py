"""Shapes of the credit API: criteria, editions with their counts, entries with every criterion's result,
and the inputs of the department's steps (derive, override, publish)."""

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import StringConstraints

from youse.registry.schemas import CodeRef, FilterCode, InputSchema, Page, PageParams


class CriterionOut(Schema):
    id: int
    code: str
    kind: str
    params: dict[str, Any]
    label: str
    label_en: str
    basis: str
    active: bool
    order: int
    verified: bool


class AppliedCriterion(Schema):
    code: str
    kind: str
    params: dict[str, Any]
    label: str
    basis: str


class EditionOut(Schema):
    id: int
    year: int
    number: int
    title: str
    as_of: dt.date
    status: str
    document: str
    note: str
    derived_at: dt.datetime
    published_at: dt.datetime | None
    supersedes: int | None = Field(None, description="The edition this one superseded")
    superseded_by: int | None = None
    criteria: list[AppliedCriterion]
    included: int = Field(description="Included entries the caller may see")
    excluded: int = Field(description="Excluded entries the caller may see")


class EditionList(Page):
    results: list[EditionOut]


class CountRow(Schema):
    code: str
    name: str
    included: int
    excluded: int


class EditionCounts(Schema):
    included: int
    excluded: int
    overridden: int
    by_city: list[CountRow]
    by_metal: list[CountRow]
    failures: dict[str, int] = Field(description="Entries failing each criterion, by code")


class EditionDetail(EditionOut):
    counts: EditionCounts


class ResultOut(Schema):
    code: str
    label: str
    basis: str
    passed: bool
    reason: str


class CityRef(Schema):
    id: int
    code: str
    name: str


class EntryOut(Schema):
    id: int
    edition: int
    enterprise: int
    name: str
    credit_code: str
    city: CityRef | None
    metal: CodeRef | None
    included: bool
    derived_included: bool
    override_included: bool | None
    override_reason: str
    overridden_at: dt.datetime | None
    failed: list[str]
    results: list[ResultOut]
    facts: dict[str, Any]


class EntryList(Page):
    results: list[EntryOut]


class EditionFilters(PageParams):
    year: int | None = Field(None, ge=2000, le=2100)
    status: FilterCode = Field(None, description="draft, published, superseded")


class EntryFilters(PageParams):
    edition: int | None = Field(None, ge=1, description="Edition id")
    enterprise: int | None = Field(None, ge=1, description="Enterprise id")
    included: FilterCode = Field(None, description="yes, no, overridden")
    city: FilterCode = Field(None, description="City code (GB/T 2260)")
    metal: FilterCode = Field(None, description="Metal code")
    failing: FilterCode = Field(None, description="Code of a failed criterion")


class DeriveIn(InputSchema):
    year: int = Field(ge=2000, le=2100)
    as_of: dt.date = Field(description="The facts are judged as of this day")
    title: Annotated[str, StringConstraints(max_length=160)] = ""
    note: Annotated[str, StringConstraints(max_length=4000)] = ""


class OverrideIn(InputSchema):
    included: bool | None = Field(description="true: include, false: exclude, null: back to the rules' result")
    reason: Annotated[str, StringConstraints(max_length=4000)]


class PublishIn(InputSchema):
    document: Annotated[str, StringConstraints(max_length=120)]
