"""The capacity API under /api/v1/capacity/: the aluminium capacity ledger (clause 二(七)), replacement
schemes and their actions, objections, dismantling evidence and the ledger's totals.

Reads go through scopes.visible() / get_visible_or_404(); a published scheme (and its exit lines) is
public, so every caller may read it, but its rule report and objections stay with those whose scope it
is. Writes go through capacity/services.py, which checks capability and scope, moves tonnes only through
the ledger and writes the audit event. Filing an objection is the one operation open to anonymous
callers: anyone may object during the notice (二(七))."""

import contextlib
from collections.abc import Iterator

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router
from ninja.errors import HttpError
from ninja.files import UploadedFile

from youse.capacity import ledger, services
from youse.capacity.models import (
    CapacityIndicator,
    ExitLine,
    LedgerEntry,
    NationalCapacityFigure,
    Objection,
    ReplacementScheme,
)
from youse.capacity.rules import BasisKind, Holding, SchemeState
from youse.capacity.schemas import (
    AnnounceIn,
    CloseIn,
    DecideIn,
    DismantlingIn,
    DisqualifyIn,
    ExitLineOut,
    IndicatorDetail,
    IndicatorFilters,
    IndicatorIn,
    IndicatorList,
    LedgerSummary,
    ObjectionFiled,
    ObjectionFilters,
    ObjectionIn,
    ObjectionList,
    ObjectionOut,
    RefusedOut,
    RejectIn,
    RuleReportOut,
    SchemeApproveIn,
    SchemeDetail,
    SchemeFilters,
    SchemeIn,
    SchemeList,
    SchemePatch,
    SchemePublishIn,
    SchemeReasonIn,
    TransferOutIn,
)
from youse.core import scopes
from youse.core.api_base import ERRORS, BearerToken, ErrorOut, SessionAuth
from youse.core.middleware import client_addr
from youse.core.models import Division
from youse.registry.api import _choice, _city, _known_params, paginate
from youse.registry.schemas import MAX_ID

router = Router(tags=["capacity"])

ObjectId = Path(..., ge=1, le=MAX_ID)
# A refusal by the rules carries the report; every other failure the usual error body.
REFUSALS = {**ERRORS, 400: RefusedOut}
HOLDINGS = [h.value for h in Holding]


def _can_read(user) -> None:
    scopes.require(user, "capacity.view")


def _public_caller(request: HttpRequest):
    """The last of the objection endpoint's authenticators: no credentials is a caller too (an objector
    from the public). Sent credentials are still checked first, so a bad token answers 401."""
    return AnonymousUser()


def _actor(request: HttpRequest):
    user = request.auth
    return user if getattr(user, "is_authenticated", False) else None


@contextlib.contextmanager
def _ledger_refusals() -> Iterator[None]:
    """Tonnes no longer where a move expected them answer 400 naming the indicator, never a 500. (Submission
    converts its own conflicts; this covers the decisions that move tonnes too.)"""
    try:
        yield
    except ledger.LedgerConflict as exc:
        raise ValidationError({"exit_lines": [str(exc)]}) from None


def _refused(exc: services.CheckFailed) -> tuple[int, dict]:
    return 400, {
        "detail": _("The rules refuse this scheme"),
        "errors": exc.message_dict,
        "report": exc.report.as_dict(),
    }


def _unknown(field: str, value: object) -> ValidationError:
    return ValidationError({field: [_("Unknown %(field)s: %(value)s") % {"field": field, "value": value}]})


# --- Indicators ------------------------------------------------------------------------------------


def _indicators_all() -> QuerySet:
    # Unscoped, for get_visible_or_404(), which must see another scope's row to audit the attempt.
    return CapacityIndicator.objects.select_related(
        "owner", "owner__division__prefecture", "unit__plant__division__prefecture", "scheme"
    )


def _indicator_city(ind: CapacityIndicator) -> Division | None:
    # Capacity counts where its line stands; capacity without a registered line, where its owner is.
    if ind.unit_id:
        return ind.unit.plant.division.prefecture
    return ind.owner.division.prefecture


def _holdings(ind) -> dict:
    return {h.value: ind.held(h) for h in Holding}


def _scheme_ref(scheme: ReplacementScheme | None) -> dict | None:
    return {"id": scheme.pk, "code": scheme.code} if scheme is not None else None


def _indicator_out(ind: CapacityIndicator) -> dict:
    return {
        "id": ind.pk,
        "code": ind.code,
        "tonnes": ind.tonnes,
        "owner": ind.owner,
        "unit": {"id": ind.unit.pk, "name": ind.unit.name} if ind.unit_id else None,
        "city": _indicator_city(ind),
        "state": ind.state,
        "holdings": _holdings(ind),
        **{
            f: getattr(ind, f)
            for f in (
                "origin_province",
                "origin_enterprise",
                "origin_equipment",
                "origin_document",
                "basis",
                "basis_reference",
                "built_on",
                "closed_on",
                "announced",
                "use_by",
                "elimination_deadline",
                "transfer_reference",
                "note",
                "created_at",
                "updated_at",
            )
        },
        "scheme": _scheme_ref(ind.scheme),
    }


def _entry_out(e: LedgerEntry) -> dict:
    return {
        "seq": e.seq,
        "kind": e.kind,
        "source": e.source,
        "target": e.target,
        "tonnes": e.tonnes,
        "scheme": _scheme_ref(e.scheme),
        "exit_line": e.exit_line_id,
        "effective_on": e.effective_on,
        "document": e.document,
        "note": e.note,
        "actor": e.actor.username if e.actor_id else "",
        "recorded_at": e.recorded_at,
    }


def _indicator_detail(user, pk: int) -> dict:
    ind = scopes.get_visible_or_404(user, _indicators_all(), pk=pk)
    entries = ind.entries.select_related("scheme", "actor").order_by("seq")
    return {**_indicator_out(ind), "entries": [_entry_out(e) for e in entries]}


def _visible_indicator(user, pk: int) -> CapacityIndicator:
    return scopes.get_visible_or_404(user, CapacityIndicator, pk=pk)


@router.get("/indicators", response={200: IndicatorList, **ERRORS}, summary="List capacity indicators (产能指标)")
def list_indicators(request: HttpRequest, filters: Query[IndicatorFilters]) -> dict:
    user = request.auth
    _can_read(user)
    _known_params(request, IndicatorFilters)
    qs = scopes.visible(user, _indicators_all())
    if filters.owner:
        qs = qs.filter(owner_id=filters.owner)
    if filters.holding:
        holding = Holding(_choice("holding", filters.holding, HOLDINGS))
        qs = qs.filter(**{f"{CapacityIndicator.HOLDING_FIELDS[holding]}__gt": 0})
    if filters.basis:
        qs = qs.filter(basis=_choice("basis", filters.basis, [b.value for b in BasisKind]))
    if filters.city:
        city = _city(filters.city)
        qs = qs.filter(
            Q(unit__plant__division__prefecture=city) | Q(unit__isnull=True, owner__division__prefecture=city)
        )
    page = paginate(qs, filters)
    page["results"] = [_indicator_out(ind) for ind in page["results"]]
    return page


@router.get(
    "/indicators/{indicator_id}", response={200: IndicatorDetail, **ERRORS}, summary="One indicator with its journal"
)
def get_indicator(request: HttpRequest, indicator_id: int = ObjectId) -> dict:
    user = request.auth
    _can_read(user)
    return _indicator_detail(user, indicator_id)


@router.post("/indicators", response={201: IndicatorDetail, **ERRORS}, summary="Enter capacity into the ledger")
def register_indicator(request: HttpRequest, payload: IndicatorIn) -> tuple[int, dict]:
    user = request.auth
    data = payload.model_dump(exclude={"holding", "effective_on", "reason"})
    ind = services.register_indicator(
        user, data, holding=payload.holding or None, effective_on=payload.effective_on, reason=payload.reason
    )
    return 201, _indicator_detail(user, ind.pk)


@router.post(
    "/indicators/{indicator_id}/close",
    response={200: IndicatorDetail, **ERRORS},
    summary="The unit closed: active tonnes become available",
)
def close_indicator(request: HttpRequest, payload: CloseIn, indicator_id: int = ObjectId) -> dict:
    user = request.auth
    ind = _visible_indicator(user, indicator_id)
    with _ledger_refusals():
        services.close_capacity(
            user, ind, closed_on=payload.closed_on, document=payload.document, tonnes=payload.tonnes,
            reason=payload.reason,
        )  # fmt: skip
    return _indicator_detail(user, ind.pk)


@router.post(
    "/indicators/{indicator_id}/disqualify",
    response={200: IndicatorDetail, **ERRORS},
    summary="Find tonnes ineligible",
)
def disqualify_indicator(request: HttpRequest, payload: DisqualifyIn, indicator_id: int = ObjectId) -> dict:
    user = request.auth
    ind = _visible_indicator(user, indicator_id)
    if payload.holding not in (Holding.AVAILABLE, Holding.ACTIVE):
        raise ValidationError({"holding": [_("Only available or active tonnes can be found ineligible.")]})
    with _ledger_refusals():
        services.disqualify(user, ind, tonnes=payload.tonnes, holding=payload.holding, reason=payload.reason)
    return _indicator_detail(user, ind.pk)


@router.post(
    "/indicators/{indicator_id}/transfer-out",
    response={200: IndicatorDetail, **ERRORS},
    summary="Available tonnes sold to another province",
)
def transfer_out_indicator(request: HttpRequest, payload: TransferOutIn, indicator_id: int = ObjectId) -> dict:
    user = request.auth
    ind = _visible_indicator(user, indicator_id)
    with _ledger_refusals():
        services.transfer_out(
            user, ind, tonnes=payload.tonnes, province=payload.province, reference=payload.reference,
            reason=payload.reason,
        )  # fmt: skip
    return _indicator_detail(user, ind.pk)


# --- Schemes ---------------------------------------------------------------------------------------


def _schemes_all() -> QuerySet:
    return ReplacementScheme.objects.select_related("applicant", "plant", "division")


def _readable_schemes(user) -> QuerySet:
    """The schemes in the caller's scope and every published one: a notice, once out, is public."""
    return scopes.visible(user, _schemes_all()) | scopes.visible(AnonymousUser(), _schemes_all())


def _scheme(user, pk: int) -> ReplacementScheme:
    try:
        return _readable_schemes(user).get(pk=pk)
    except ReplacementScheme.DoesNotExist:
        # Not readable: get_visible_or_404() answers 404 and records an attempt on another scope's row.
        return scopes.get_visible_or_404(user, ReplacementScheme, pk=pk)


def _scheme_out(s: ReplacementScheme) -> dict:
    out = {
        f: getattr(s, f)
        for f in (
            "id",
            "code",
            "title",
            "applicant",
            "plant",
            "site",
            "division",
            "main_equipment",
            "capacity_t",
            "planned_start",
            "planned_production",
            "route",
            "state",
            "contact",
            "submitted_at",
            "published_at",
            "notice_start",
            "notice_end",
            "notice_round",
            "decided_at",
            "decision_document",
            "decision_reason",
            "announced_at",
            "announcement_document",
            "returned_reason",
            "created_at",
            "updated_at",
        )
    }
    out["energy_kwh_per_t"] = float(s.energy_kwh_per_t) if s.energy_kwh_per_t is not None else None
    out["state_label"] = str(s.state_label)
    out["exit_tonnes"] = sum(line.tonnes for line in s.exit_lines.all())
    out["notice_open"] = services.notice_open(s)
    return out


def _line_out(line: ExitLine) -> dict:
    return {
        "id": line.pk,
        "indicator": line.indicator.code,
        "indicator_id": line.indicator_id,
        "region": line.region,
        "enterprise": line.enterprise_name,
        **{
            f: getattr(line, f)
            for f in (
                "tonnes",
                "equipment",
                "acquisition_document",
                "dismantling_start",
                "dismantling_due",
                "status",
                "reserved_t",
                "dismantled_on",
                "dismantling_note",
                "overdue_since",
            )
        },
        "evidence": list(line.evidence.all()),
    }


def _objection_out(o: Objection, user) -> dict:
    hidden = {} if Objection.identity_visible_to(user) else {"name": "", "organisation": "", "contact": ""}
    return {
        "id": o.pk,
        "scheme": _scheme_ref(o.scheme),
        **{
            f: getattr(o, f)
            for f in (
                "notice_round",
                "name",
                "organisation",
                "contact",
                "text",
                "filed_at",
                "status",
                "finding",
                "cut_tonnes",
                "decided_at",
            )
        },
        "cut_line": o.cut_line_id,
        **hidden,
    }


def _exit_lines(scheme: ReplacementScheme) -> QuerySet:
    return scheme.exit_lines.select_related(
        "indicator__owner__division", "indicator__unit__plant__division"
    ).prefetch_related("evidence")


def _scheme_detail(user, scheme: ReplacementScheme) -> dict:
    scheme = _readable_schemes(user).get(pk=scheme.pk)
    in_scope = scopes.is_visible(user, scheme)
    objections = scopes.visible(user, Objection.objects.filter(scheme=scheme).select_related("scheme"))
    return {
        **_scheme_out(scheme),
        "exit_lines": [_line_out(line) for line in _exit_lines(scheme)],
        # What the applicant was shown and who objected stay with those whose scheme it is.
        "check_report": scheme.check_report if in_scope else None,
        "objections": [_objection_out(o, user) for o in objections] if in_scope else [],
    }


@router.get("/schemes", response={200: SchemeList, **ERRORS}, summary="List replacement schemes (产能置换方案)")
def list_schemes(request: HttpRequest, filters: Query[SchemeFilters]) -> dict:
    user = request.auth
    _can_read(user)
    _known_params(request, SchemeFilters)
    qs = _readable_schemes(user).prefetch_related("exit_lines")
    if filters.state:
        qs = qs.filter(state=_choice("state", filters.state, [s.value for s in SchemeState]))
    if filters.applicant:
        qs = qs.filter(applicant_id=filters.applicant)
    if filters.city:
        city = _city(filters.city)
        qs = qs.filter(Q(division__prefecture=city) | Q(applicant__division__prefecture=city))
    page = paginate(qs.order_by("-created_at", "-id"), filters)
    page["results"] = [_scheme_out(s) for s in page["results"]]
    return page


@router.get(
    "/schemes/{scheme_id}",
    response={200: SchemeDetail, **ERRORS},
    summary="One scheme with its exit lines, rule report and objections",
)
def get_scheme(request: HttpRequest, scheme_id: int = ObjectId) -> dict:
    user = request.auth
    _can_read(user)
    return _scheme_detail(user, _scheme(user, scheme_id))


def _lines(payload) -> list[dict]:
    return [line.model_dump() for line in payload.exit_lines or []]


@router.post("/schemes", response={201: SchemeDetail, **ERRORS}, summary="Draft a scheme with its exit lines")
def create_scheme(request: HttpRequest, payload: SchemeIn) -> tuple[int, dict]:
    user = request.auth
    # Unset optional fields are left to the service (an enterprise's applicant is itself).
    data = {k: v for k, v in payload.model_dump(exclude={"exit_lines", "reason"}).items() if v is not None}
    scheme = services.create_scheme(user, data, _lines(payload), reason=payload.reason)
    return 201, _scheme_detail(user, scheme)


# Scheme fields that may not be emptied by an explicit null.
REQUIRED = ("title", "applicant", "site", "division", "main_equipment", "capacity_t", "route", "contact")


@router.patch(
    "/schemes/{scheme_id}", response={200: SchemeDetail, **ERRORS}, summary="Edit a draft (exit_lines replaces all)"
)
def update_scheme(request: HttpRequest, payload: SchemePatch, scheme_id: int = ObjectId) -> dict:
    user = request.auth
    scheme = _scheme(user, scheme_id)
    changes = payload.model_dump(exclude_unset=True, exclude={"exit_lines", "reason"})
    nulls = [f for f in REQUIRED if f in changes and changes[f] is None]
    if nulls:
        raise ValidationError({f: [_("This field cannot be null.")] for f in nulls})
    lines = _lines(payload) if payload.exit_lines is not None else None
    services.update_scheme(user, scheme, changes, lines, reason=payload.reason)
    return _scheme_detail(user, scheme)


@router.post(
    "/schemes/{scheme_id}/check",
    response={200: RuleReportOut, **ERRORS},
    summary="Run the rules and keep the report (nothing else changes)",
)
def check_scheme(request: HttpRequest, scheme_id: int = ObjectId) -> dict:
    user = request.auth
    report = services.record_check(user, _scheme(user, scheme_id))
    return report.as_dict()


@router.post(
    "/schemes/{scheme_id}/submit",
    response={200: SchemeDetail, **REFUSALS},
    summary="Submit: the rules run and every exit tonne is reserved for this scheme alone",
)
def submit_scheme(request: HttpRequest, payload: SchemeReasonIn, scheme_id: int = ObjectId):
    user = request.auth
    scheme = _scheme(user, scheme_id)
    try:
        services.submit_scheme(user, scheme, reason=payload.reason)
    except services.CheckFailed as exc:
        return _refused(exc)
    return _scheme_detail(user, scheme)


@router.post(
    "/schemes/{scheme_id}/publish",
    response={200: SchemeDetail, **REFUSALS},
    summary="Open the public notice (公示)",
)
def publish_scheme(request: HttpRequest, payload: SchemePublishIn, scheme_id: int = ObjectId):
    user = request.auth
    scheme = _scheme(user, scheme_id)
    try:
        services.publish_scheme(
            user, scheme, published_on=payload.published_on, contact=payload.contact, reason=payload.reason
        )
    except services.CheckFailed as exc:
        return _refused(exc)
    return _scheme_detail(user, scheme)


@router.post(
    "/schemes/{scheme_id}/approve",
    response={200: SchemeDetail, **REFUSALS},
    summary="Approve: exit tonnes are consumed and the new line's capacity becomes active",
)
def approve_scheme(request: HttpRequest, payload: SchemeApproveIn, scheme_id: int = ObjectId):
    user = request.auth
    scheme = _scheme(user, scheme_id)
    try:
        with _ledger_refusals():
            services.approve_scheme(
                user, scheme, document=payload.document, unit_name=payload.unit_name, reason=payload.reason
            )
    except services.CheckFailed as exc:
        return _refused(exc)
    return _scheme_detail(user, scheme)


@router.post(
    "/schemes/{scheme_id}/reject",
    response={200: SchemeDetail, **ERRORS},
    summary="Reject: reserved tonnes are released",
)
def reject_scheme(request: HttpRequest, payload: RejectIn, scheme_id: int = ObjectId) -> dict:
    user = request.auth
    scheme = _scheme(user, scheme_id)
    with _ledger_refusals():
        services.reject_scheme(user, scheme, reason=payload.reason, document=payload.document)
    return _scheme_detail(user, scheme)


@router.post(
    "/schemes/{scheme_id}/withdraw",
    response={200: SchemeDetail, **ERRORS},
    summary="Withdraw: reserved tonnes are released",
)
def withdraw_scheme(request: HttpRequest, payload: SchemeReasonIn, scheme_id: int = ObjectId) -> dict:
    user = request.auth
    scheme = _scheme(user, scheme_id)
    with _ledger_refusals():
        services.withdraw_scheme(user, scheme, reason=payload.reason)
    return _scheme_detail(user, scheme)


@router.post(
    "/schemes/{scheme_id}/announce",
    response={200: SchemeDetail, **ERRORS},
    summary="Announce the approved result (公告)",
)
def announce_scheme(request: HttpRequest, payload: AnnounceIn, scheme_id: int = ObjectId) -> dict:
    user = request.auth
    scheme = _scheme(user, scheme_id)
    services.announce_scheme(user, scheme, document=payload.document, reason=payload.reason)
    return _scheme_detail(user, scheme)


# --- Objections ------------------------------------------------------------------------------------


@router.get("/objections", response={200: ObjectionList, **ERRORS}, summary="Objections (异议) in the caller's scope")
def list_objections(request: HttpRequest, filters: Query[ObjectionFilters]) -> dict:
    user = request.auth
    _can_read(user)
    _known_params(request, ObjectionFilters)
    qs = scopes.visible(user, Objection.objects.select_related("scheme"))
    if filters.scheme:
        qs = qs.filter(scheme_id=filters.scheme)
    if filters.status:
        qs = qs.filter(status=_choice("status", filters.status, list(Objection.Status.values)))
    page = paginate(qs.order_by("-filed_at", "-id"), filters)
    page["results"] = [_objection_out(o, user) for o in page["results"]]
    return page


@router.post(
    "/schemes/{scheme_id}/objections",
    response={201: ObjectionFiled, **ERRORS},
    auth=[BearerToken(), SessionAuth(), _public_caller],
    # {}: no credentials at all is accepted too.
    openapi_extra={"security": [{}]},
    summary="Object to a scheme in public notice (anyone, signed in or not)",
)
def file_objection(request: HttpRequest, payload: ObjectionIn, scheme_id: int = ObjectId) -> tuple[int, dict]:
    from youse.capacity.views_public import _count_filing, _rate_limited

    actor = _actor(request)
    scheme = _scheme(actor or AnonymousUser(), scheme_id)
    addr = client_addr(request)
    # Anonymous filings share the public form's limit per address (views_public.OBJECTIONS_PER_HOUR):
    # without it the API would be the way around the form's limit.
    if actor is None and _rate_limited(addr):
        raise HttpError(429, _("Too many objections have been filed from your network in the last hour."))
    objection = services.file_objection(actor, scheme, payload.model_dump(), remote_addr=addr)
    if actor is None:
        _count_filing(addr)
    return 201, {
        "id": objection.pk,
        "scheme": _scheme_ref(scheme),
        "filed_at": objection.filed_at,
        "status": objection.status,
    }


@router.post(
    "/objections/{objection_id}/decide",
    response={200: ObjectionOut, **ERRORS},
    summary="Record the department's finding; an upheld objection sends the scheme back",
)
def decide_objection(request: HttpRequest, payload: DecideIn, objection_id: int = ObjectId) -> dict:
    user = request.auth
    objection = scopes.get_visible_or_404(user, Objection.objects.select_related("scheme"), pk=objection_id)
    cut_line = None
    if payload.cut_line is not None:
        cut_line = ExitLine.objects.filter(pk=payload.cut_line, scheme_id=objection.scheme_id).first()
        if cut_line is None:
            raise _unknown("cut_line", payload.cut_line)
    with _ledger_refusals():
        services.decide_objection(
            user, objection, upheld=payload.upheld, finding=payload.finding, cut_line=cut_line,
            cut_tonnes=payload.cut_tonnes,
        )  # fmt: skip
    return _objection_out(Objection.objects.select_related("scheme").get(pk=objection.pk), user)


# --- Dismantling -----------------------------------------------------------------------------------


@router.post(
    "/exit-lines/{line_id}/dismantling",
    response={200: ExitLineOut, **ERRORS, 413: ErrorOut},
    summary="Confirm an exit line dismantled, with photos or documents (JPEG, PNG, PDF)",
)
def confirm_dismantling(
    request: HttpRequest,
    form: Form[DismantlingIn],
    line_id: int = ObjectId,
    files: File[list[UploadedFile]] = None,
) -> dict:
    """multipart/form-data: `dismantled_on` (YYYY-MM-DD), `note`, and one or more `files`."""
    user = request.auth
    line = scopes.get_visible_or_404(user, ExitLine, pk=line_id)
    services.confirm_dismantling(user, line, dismantled_on=form.dismantled_on, files=files or [], note=form.note)
    return _line_out(_exit_lines(line.scheme).get(pk=line.pk))


# --- Ledger totals ---------------------------------------------------------------------------------


@router.get("/ledger/summary", response={200: LedgerSummary, **ERRORS}, summary="Ledger totals by holding and city")
def ledger_summary(request: HttpRequest) -> dict:
    """Tonnes per holding for the indicators in the caller's scope, by city (where the line stands, else
    where its owner is registered), with the latest national figure for reference."""
    user = request.auth
    _can_read(user)
    if request.GET:
        raise ValidationError({name: [_("Unknown query parameter.")] for name in sorted(request.GET)})
    qs = scopes.visible(user, CapacityIndicator)
    sums = {h.value: Coalesce(Sum(CapacityIndicator.HOLDING_FIELDS[h]), 0) for h in Holding}
    totals = qs.aggregate(n=Count("pk"), tonnes=Coalesce(Sum("tonnes"), 0), **sums)
    rows = (
        qs.annotate(city_pk=Coalesce("unit__plant__division__prefecture", "owner__division__prefecture"))
        .values("city_pk")
        .annotate(n=Count("pk"), tonnes=Sum("tonnes"), **sums)
        .order_by("city_pk")
    )
    rows = list(rows)
    cities = Division.objects.in_bulk([r["city_pk"] for r in rows if r["city_pk"]])
    by_city = [
        {
            "city": cities.get(r["city_pk"]),
            "tonnes": r["tonnes"],
            "indicators": r["n"],
            **{h: r[h] for h in HOLDINGS},
        }
        for r in rows
    ]
    by_city.sort(key=lambda r: (r["city"] is None, r["city"].code if r["city"] else ""))
    return {
        "indicators": totals["n"],
        "tonnes": totals["tonnes"],
        "totals": {h: totals[h] for h in HOLDINGS},
        "by_city": by_city,
        "national": NationalCapacityFigure.objects.order_by("-as_of").first(),
    }
