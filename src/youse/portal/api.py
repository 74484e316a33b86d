"""The public part of the API under /api/v1/public/: open data, everything published and the monthly
bulletins, as JSON. No credentials are needed and none change what is shown: published rows only, the
same as the portal's pages."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from youse.core.api_base import ERRORS
from youse.portal import listing, opendata, published

router = Router(tags=["public"], auth=None)


class ColumnOut(Schema):
    key: str
    label: str
    type: str = Field(description="text, integer, decimal or date")
    unit: str
    description: str


class DatasetSummary(Schema):
    key: str
    title: str
    description: str
    version: str = Field(description="Date of the newest publication and a digest of the rows")
    as_of: dt.date | None
    rows: int
    columns: list[ColumnOut]
    csv: str
    xlsx: str


class DatasetOut(Schema):
    key: str
    title: str
    description: str
    version: str
    as_of: dt.date | None
    columns: list[ColumnOut]
    rows: list[dict]


def _columns(ds: opendata.Dataset) -> list[dict]:
    return [
        {"key": c.key, "label": str(c.label), "type": c.type, "unit": str(c.unit), "description": str(c.description)}
        for c in ds.columns
    ]


@router.get("/datasets", response={200: list[DatasetSummary], **ERRORS}, summary="Open datasets")
def datasets(request: HttpRequest):
    from django.urls import reverse

    return [
        {
            "key": ds.key,
            "title": str(ds.title),
            "description": str(ds.description),
            "version": ds.version,
            "as_of": ds.as_of,
            "rows": len(ds.rows),
            "columns": _columns(ds),
            "csv": reverse("portal:download", args=[ds.key, "csv"]),
            "xlsx": reverse("portal:download", args=[ds.key, "xlsx"]),
        }
        for ds in opendata.catalogue()
    ]


class DatasetParams(Schema):
    bulletin: str | None = Field(
        None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="indicators only: one bulletin, YYYY-MM"
    )


@router.get("/datasets/{key}", response={200: DatasetOut, **ERRORS}, summary="One open dataset with its rows")
def dataset(request: HttpRequest, key: str, params: Query[DatasetParams]):
    month = None
    if params.bulletin:
        try:
            month = dt.datetime.strptime(params.bulletin, "%Y-%m").date()
        except ValueError:  # a month the calendar does not have (year 0000)
            raise ValidationError({"bulletin": [_("Enter a month as YYYY-MM.")]}) from None
    ds = opendata.get(key, bulletin=month)
    if ds is None:
        raise Http404(_("No such dataset."))
    data = ds.as_json()
    data["columns"] = _columns(ds)
    data["rows"] = [{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in r.items()} for r in data["rows"]]
    return data


class ItemOut(Schema):
    kind: str
    kind_label: str
    title: str
    url: str
    published: dt.date
    summary: str
    cities: dict[str, str]
    metals: dict[str, str]
    closes_on: dt.date | None
    objections_open: bool
    corrected: bool


class ItemFilters(Schema):
    kind: str = Field("", description=", ".join(k for k, _label in listing.KINDS))
    metal: str = Field("", description="Metal code, e.g. Al")
    city: str = Field("", description="City code (GB/T 2260), e.g. 610800")
    since: dt.date | None = None
    until: dt.date | None = None
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


@router.get("/announcements", response={200: list[ItemOut], **ERRORS}, summary="Everything published, newest first")
def announcements(request: HttpRequest, filters: Query[ItemFilters]):
    if filters.kind and filters.kind not in dict(listing.KINDS):
        from django.core.exceptions import ValidationError

        raise ValidationError({"kind": [_("Unknown kind %(kind)s.") % {"kind": filters.kind}]})
    found = listing.gather(listing.Filters(filters.kind, filters.metal, filters.city, filters.since, filters.until))
    return [
        {**item.__dict__, "kind_label": item.kind_label, "objections_open": item.open}
        for item in found[filters.offset : filters.offset + filters.limit]
    ]


class BulletinOut(Schema):
    month: str
    version: int
    title: str
    published_at: dt.datetime
    url: str
    headline: list[dict]


@router.get("/bulletins", response={200: list[BulletinOut], **ERRORS}, summary="Published monthly bulletins")
def bulletins(request: HttpRequest):
    return [
        {
            "month": f"{b.month:%Y-%m}",
            "version": b.version,
            "title": b.data_title or "",
            "published_at": b.published_at,
            "url": b.get_absolute_url(),
            "headline": b.data_headline or [],
        }
        for b in published.current_bulletin_heads()
    ]
