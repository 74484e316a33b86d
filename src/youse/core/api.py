"""Reference data under /api/v1/reference/: divisions, metals, value-chain stages, industrial bases, the
policy's clauses with their responsible units, and its targets. Readable by every signed-in role that
holds reference.view; changed only in the admin (DESIGN.md, principle 3)."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict, StringConstraints

from youse.core import scopes
from youse.core.api_base import ERRORS
from youse.core.models import (
    ClauseResponsibility,
    Division,
    IndustrialBase,
    Metal,
    PolicyClause,
    PolicyTarget,
    ResponsibleUnit,
    ValueChainStage,
)

router = Router(tags=["reference"])


class DivisionOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    level: str
    parent: str | None = Field(None, description="GB/T 2260 code of the parent division")
    prefecture_id: int | None = Field(None, description="The city-level division (scope) it belongs to")
    valid_from: dt.date
    valid_to: dt.date | None
    source: str
    verified: bool

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


class DivisionFilters(Schema):
    model_config = ConfigDict(extra="forbid")

    level: Annotated[str, StringConstraints(max_length=10)] | None = Field(
        None, description="province, city, county or zone"
    )
    include_expired: bool = Field(False, description="Also list codes no longer valid")


class MetalOut(Schema):
    code: str
    name: str
    name_en: str
    symbol: str
    policy_metal: bool
    color: str
    source: str
    verified: bool


class StageOut(Schema):
    code: str
    name: str
    name_en: str
    deep_processing: bool
    recycling: bool
    source: str
    verified: bool


class BaseOut(Schema):
    code: str
    name: str
    name_en: str
    short_name: str
    clause: str
    metals: list[str] = Field(..., description="Metal codes")
    divisions: list[str] = Field(..., description="Division codes (zones without a code by name)")
    source: str
    verified: bool

    @staticmethod
    def resolve_clause(obj) -> str:
        return obj.clause.number

    @staticmethod
    def resolve_metals(obj) -> list[str]:
        return [m.code for m in obj.metals.all()]

    @staticmethod
    def resolve_divisions(obj) -> list[str]:
        return [d.code or d.name for d in obj.divisions.all()]


class ResponsibleUnitOut(Schema):
    code: str
    name: str
    name_en: str
    kind: str
    source: str
    verified: bool


class ClauseUnitOut(Schema):
    code: str
    name: str
    name_en: str
    lead: bool

    @staticmethod
    def resolve_code(obj) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_name_en(obj) -> str:
        return obj.unit.name_en


class ClauseOut(Schema):
    number: str
    title: str
    title_en: str
    requires: str
    platform_duty: str
    module: str
    units: list[ClauseUnitOut]
    source: str
    verified: bool

    @staticmethod
    def resolve_units(obj) -> list:
        return list(obj.responsibilities.all())


class TargetOut(Schema):
    code: str
    name: str
    name_en: str
    clause: str
    kind: str
    comparator: str
    value: float | None
    unit: str
    target_year: int | None
    per_year: bool
    source: str
    verified: bool

    @staticmethod
    def resolve_clause(obj) -> str:
        return obj.clause.number


def _can_read(request: HttpRequest) -> None:
    scopes.require(request.auth, "reference.view")


@router.get("/divisions", response={200: list[DivisionOut], **ERRORS}, summary="Administrative divisions (GB/T 2260)")
def divisions(request: HttpRequest, filters: Query[DivisionFilters]) -> list[Division]:
    _can_read(request)
    qs = Division.objects.select_related("parent")
    if not filters.include_expired:
        qs = qs.filter(valid_to__isnull=True)
    if filters.level:
        if filters.level not in Division.Level.values:
            raise ValidationError(
                {"level": [f"Unknown level: {filters.level} (one of {', '.join(Division.Level.values)})"]}
            )
        qs = qs.filter(level=filters.level)
    return list(qs)


@router.get("/metals", response={200: list[MetalOut], **ERRORS}, summary="Metals")
def metals(request: HttpRequest) -> list[Metal]:
    _can_read(request)
    return list(Metal.objects.all())


@router.get("/stages", response={200: list[StageOut], **ERRORS}, summary="Value-chain stages")
def stages(request: HttpRequest) -> list[ValueChainStage]:
    _can_read(request)
    return list(ValueChainStage.objects.all())


@router.get("/bases", response={200: list[BaseOut], **ERRORS}, summary="The six industrial bases of clause 二(四)")
def bases(request: HttpRequest) -> list[IndustrialBase]:
    _can_read(request)
    return list(IndustrialBase.objects.select_related("clause").prefetch_related("metals", "divisions"))


@router.get("/units", response={200: list[ResponsibleUnitOut], **ERRORS}, summary="Responsible units")
def responsible_units(request: HttpRequest) -> list[ResponsibleUnit]:
    _can_read(request)
    return list(ResponsibleUnit.objects.all())


@router.get(
    "/clauses", response={200: list[ClauseOut], **ERRORS}, summary="The policy's clauses with their responsible units"
)
def clauses(request: HttpRequest) -> list[PolicyClause]:
    _can_read(request)
    responsibilities = ClauseResponsibility.objects.select_related("unit").order_by("order", "pk")
    return list(PolicyClause.objects.prefetch_related(Prefetch("responsibilities", queryset=responsibilities)))


@router.get("/targets", response={200: list[TargetOut], **ERRORS}, summary="The policy's targets (clause 一(二))")
def targets(request: HttpRequest) -> list[PolicyTarget]:
    _can_read(request)
    return list(PolicyTarget.objects.select_related("clause"))
