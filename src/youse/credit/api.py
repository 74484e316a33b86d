"""The credit API under /api/v1/credit/ (clause 三(五)): the criteria, the editions of the list with their
counts, the entries with every criterion's result and reason, and the department's steps (derive,
override, publish).

Reads go through credit.queries (scopes.visible() plus: drafts only for those who manage the list): a city
sees its city's entries, an enterprise its own. Writes go through credit.services, which checks the
capability and writes the audit event. The public reads published lists at /public/credit/, not here."""

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from youse.core import scopes
from youse.core.api_base import ERRORS
from youse.credit import queries, services
from youse.credit.models import Criterion, Edition, Entry
from youse.credit.schemas import (
    CriterionOut,
    DeriveIn,
    EditionDetail,
    EditionFilters,
    EditionList,
    EntryFilters,
    EntryList,
    EntryOut,
    OverrideIn,
    PublishIn,
)
from youse.registry.api import _choice, _known_params, paginate
from youse.registry.schemas import MAX_ID

router = Router(tags=["credit"])

ObjectId = Path(..., ge=1, le=MAX_ID)


def _can_read(user) -> None:
    scopes.require(user, "credit.view")


def _superseded_by(ed: Edition) -> int | None:
    try:
        return ed.superseded_by.pk
    except Edition.DoesNotExist:
        return None


def _edition_out(ed: Edition, n_in: int, n_out: int) -> dict:
    return {
        **{
            f: getattr(ed, f)
            for f in ("id", "year", "number", "title", "as_of", "status", "document", "note", "derived_at")
            + ("published_at", "criteria")
        },
        "supersedes": ed.supersedes_id,
        "superseded_by": _superseded_by(ed),
        "included": n_in,
        "excluded": n_out,
    }


def _entry_out(e: Entry) -> dict:
    return {
        **{
            f: getattr(e, f)
            for f in ("id", "name", "credit_code", "included", "derived_included", "override_included")
            + ("override_reason", "overridden_at", "results", "facts")
        },
        "edition": e.edition_id,
        "enterprise": e.enterprise_id,
        "city": e.city,
        "metal": e.metal,
        "failed": e.failed_codes(),
    }


@router.get("/criteria", response={200: list[CriterionOut], **ERRORS}, summary="The eligibility criteria (入选条件)")
def list_criteria(request: HttpRequest) -> list:
    _can_read(request.auth)
    return list(Criterion.objects.order_by("order", "code"))


@router.get("/editions", response={200: EditionList, **ERRORS}, summary="Editions of the credit support list")
def list_editions(request: HttpRequest, filters: Query[EditionFilters]) -> dict:
    """Drafts are listed only to those who manage the list. Counts are of the entries the caller may see."""
    user = request.auth
    _can_read(user)
    _known_params(request, EditionFilters)
    qs = queries.editions(user).select_related("superseded_by")
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.status:
        qs = qs.filter(status=_choice("status", filters.status, list(Edition.Status.values)))
    page = paginate(qs, filters)
    tallies = {
        r["edition"]: r
        for r in queries.entries(user)
        .filter(edition__in=[e.pk for e in page["results"]])
        .values("edition")
        .annotate(n_in=Count("pk", filter=Q(included=True)), n_out=Count("pk", filter=Q(included=False)))
        .order_by()
    }
    page["results"] = [
        _edition_out(e, tallies.get(e.pk, {}).get("n_in", 0), tallies.get(e.pk, {}).get("n_out", 0))
        for e in page["results"]
    ]
    return page


def _edition_detail(user, pk: int) -> dict:
    ed = scopes.get_visible_or_404(user, queries.editions(user).select_related("superseded_by"), pk=pk)
    counts = queries.counts(queries.entries(user, ed))

    def rows(items) -> list[dict]:
        return [
            {
                "code": getattr(r["object"], "code", "") or "",
                "name": str(r["object"] or ""),
                "included": r["included"],
                "excluded": r["excluded"],
            }
            for r in items
        ]

    return {
        **_edition_out(ed, counts["included"], counts["excluded"]),
        "counts": {**counts, "by_city": rows(counts["by_city"]), "by_metal": rows(counts["by_metal"])},
    }


# Before /editions/{edition_id}, whose pattern would otherwise take "derive" for an id.
@router.post("/editions/derive", response={200: EditionDetail, **ERRORS}, summary="Derive an edition as of a date")
def derive_edition(request: HttpRequest, payload: DeriveIn) -> dict:
    """The year's draft is derived again if there is one (its overrides kept); otherwise a new edition is
    drafted, carrying the overrides of the year's latest edition."""
    user = request.auth
    ed = services.derive_edition(user, year=payload.year, as_of=payload.as_of, title=payload.title, note=payload.note)
    return _edition_detail(user, ed.pk)


@router.get(
    "/editions/{edition_id}",
    response={200: EditionDetail, **ERRORS},
    summary="One edition with its counts by city, metal and failed criterion",
)
def get_edition(request: HttpRequest, edition_id: int = ObjectId) -> dict:
    _can_read(request.auth)
    return _edition_detail(request.auth, edition_id)


@router.post("/editions/{edition_id}/publish", response={200: EditionDetail, **ERRORS}, summary="Publish an edition")
def publish_edition(request: HttpRequest, payload: PublishIn, edition_id: int = ObjectId) -> dict:
    user = request.auth
    scopes.require(user, "credit.manage")
    ed = scopes.get_visible_or_404(user, queries.editions(user), pk=edition_id)
    services.publish_edition(user, ed, document=payload.document)
    return _edition_detail(user, ed.pk)


def _entries(user):
    return queries.entries(user).order_by("edition", "-included", "city__code", "name")


@router.get("/entries", response={200: EntryList, **ERRORS}, summary="Entries of the list, scoped to the caller")
def list_entries(request: HttpRequest, filters: Query[EntryFilters]) -> dict:
    user = request.auth
    _can_read(user)
    _known_params(request, EntryFilters)
    qs = _entries(user)
    if filters.edition:
        qs = qs.filter(edition_id=filters.edition)
    if filters.enterprise:
        qs = qs.filter(enterprise_id=filters.enterprise)
    if filters.included and filters.included not in ("yes", "no", "overridden"):
        raise ValidationError({"included": [_("One of yes, no, overridden.")]})
    qs = queries.filter_entries(
        qs,
        included=filters.included or "",
        city=filters.city or "",
        metal=filters.metal or "",
        failing=filters.failing or "",
    )
    page = paginate(qs, filters)
    page["results"] = [_entry_out(e) for e in page["results"]]
    return page


@router.get("/entries/{entry_id}", response={200: EntryOut, **ERRORS}, summary="One entry with its reasons")
def get_entry(request: HttpRequest, entry_id: int = ObjectId) -> dict:
    user = request.auth
    _can_read(user)
    return _entry_out(scopes.get_visible_or_404(user, queries.entries(user), pk=entry_id))


@router.post(
    "/entries/{entry_id}/override", response={200: EntryOut, **ERRORS}, summary="Override an entry, with the reason"
)
def override_entry(request: HttpRequest, payload: OverrideIn, entry_id: int = ObjectId) -> dict:
    user = request.auth
    scopes.require(user, "credit.manage")
    entry = scopes.get_visible_or_404(user, queries.entries(user), pk=entry_id)
    services.override_entry(user, entry, included=payload.included, reason=payload.reason)
    return _entry_out(scopes.get_visible_or_404(user, queries.entries(user), pk=entry_id))
