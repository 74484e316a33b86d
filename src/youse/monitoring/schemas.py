"""Shapes of the monitoring API (/api/v1/monitoring/). Every figure travels with its unit, taken from the
HJ 212 code table (Appendix B): concentrations in the factor's unit, cumulative figures (Cou) in the
amount unit. Times are ISO 8601; a time given without an offset is read as Beijing time."""

import datetime as dt
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from youse.registry.schemas import Id, Page, PageParams

Code = Annotated[str, StringConstraints(max_length=12, pattern=r"^[A-Za-z0-9]+$")]
Word = Annotated[str, StringConstraints(max_length=20)]


class PointFilters(PageParams):
    enterprise: Id | None = None
    city: Annotated[str, StringConstraints(max_length=12)] | None = Field(None, description="GB/T 2260 city code")
    medium: Word | None = Field(None, description="gas or water")
    active: bool | None = None


class ReadingFilters(PageParams):
    point: Id | None = Field(None, description="monitoring point id")
    kind: Word | None = Field(None, description="rtd, min, hour or day")
    factor: Code | None = Field(None, description="HJ 212-2017 factor code, e.g. a21026")
    start: dt.datetime | None = Field(None, description="data time from (inclusive)")
    end: dt.datetime | None = Field(None, description="data time until (exclusive)")


class AggregateFilters(PageParams):
    point: Id | None = None
    period: Word = Field("hour", description="hour or day")
    factor: Code | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None


class AlarmFilters(PageParams):
    point: Id | None = None
    kind: Word | None = Field(None, description="exceedance, missing, flatline, instrument, above_range, implausible")
    state: Word | None = Field(None, description="open or ended")
    factor: Code | None = None
    start: dt.datetime | None = Field(None, description="started from")
    end: dt.datetime | None = Field(None, description="started before")


class PointEnterpriseRef(Schema):
    id: int
    name: str


class PlantRef(Schema):
    id: int
    name: str


class PointOut(Schema):
    id: int
    mn: str
    name: str
    enterprise: PointEnterpriseRef
    plant: PlantRef
    outlet: str
    medium: str
    standard: str
    plant_type: str
    special_limits: bool
    accepted_crc: list[str]
    expected_interval_s: int
    active: bool


class PointList(Page):
    results: list[PointOut]


class ReadingOut(Schema):
    point: int
    kind: str
    data_time: dt.datetime = Field(..., description="start of the period")
    factor: str
    factor_name: str
    unit: str = Field(..., description="unit of rtd, avg, min, max and the zs_ figures")
    cou_unit: str = Field(..., description="unit of cou")
    rtd: float | None = None
    avg: float | None = None
    min: float | None = None
    max: float | None = None
    cou: float | None = None
    zs_rtd: float | None = None
    zs_avg: float | None = None
    zs_min: float | None = None
    zs_max: float | None = None
    flag: str
    eflag: str
    computed: bool = Field(..., description="computed by Youse (Appendix D) rather than reported by the device")
    received_at: dt.datetime


class ReadingList(Page):
    results: list[ReadingOut]


class AlarmOut(Schema):
    id: int
    point: int
    kind: str
    kind_label: str
    factor: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    duration_s: int | None
    peak: float | None
    limit: float | None
    unit: str
    detail: str
    enterprise_ack_at: dt.datetime | None
    enterprise_note: str
    authority_ack_at: dt.datetime | None
    authority_note: str


class AlarmList(Page):
    results: list[AlarmOut]
