"""Closure and exit (关停退出) pages: the list, the closure page with the department's decision, the
resettlement gate of 三(七) and the plan behind it, outcomes and the land left behind (三(三)); and the
department's announcements (公告), drafted from a closure or a campaign and published in versions.

Every read is scoped (scopes.visible); every change goes through enforcement.services, whose refusals are
shown on the page. Buttons appear only for those whose role holds the step's capability."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Value, When
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from youse.core import pages, scopes
from youse.core.pages import serve_evidence
from youse.core.roles import Role
from youse.enforcement import services
from youse.enforcement.forms_closures import (
    HEADCOUNT_LABELS,
    AnnouncementForm,
    DecideForm,
    ExecuteForm,
    LandForm,
    OutcomeForm,
    PlanForm,
    PublishForm,
    ReasonForm,
)
from youse.enforcement.models import (
    Announcement,
    AnnouncementVersion,
    Campaign,
    Closure,
    Evidence,
    LandDisposal,
    ResettlementOutcome,
    ResettlementPlan,
)
from youse.enforcement.rules import HEADCOUNT_CATEGORIES, ClosureState
from youse.registry.forms import add_service_errors, mark_invalid

PAGE_SIZE = 50
STATE_COLOURS = {
    ClosureState.PROPOSED: "warning",
    ClosureState.DECIDED: "primary",
    ClosureState.EXECUTED: "dark",
    ClosureState.WITHDRAWN: "secondary",
}
GATE_TITLES = {
    "funding": gettext_lazy("Funding secured"),
    "complete": gettext_lazy("Plan complete"),
    "approved": gettext_lazy("Approved by the workers' congress or all staff"),
}
OUTCOME_FIELDS = (
    ("reemployed", gettext_lazy("Re-employed"), "#3fa66b"),
    ("retrained", gettext_lazy("Retrained"), "#0f3c78"),
    ("retired", gettext_lazy("Retired"), "#8a94a6"),
    ("supported", gettext_lazy("Supported"), "#e0a800"),
)
# Plans can change until the closure is final.
PLAN_OPEN = (ClosureState.PROPOSED, ClosureState.DECIDED)
ANNOUNCED_STATES = (ClosureState.DECIDED, ClosureState.EXECUTED)
LAND_FIELDS = ("route", "area_m2", "decided_on", "converted_on", "new_use", "notes")


def viewer(capability: str = "enforcement.view") -> Callable:
    """Signed in (else the login page), and a role holding `capability` (else 403)."""
    return pages.requires(capability)


def messages_of(exc: ValidationError) -> list[str]:
    return pages.messages_of(exc)


def url_or_none(name: str, *args) -> str | None:
    """Pages of the cases module, linked when they exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _closures(user):
    return scopes.visible(user, Closure).select_related("case__enterprise", "case__city", "decided_by")


def _state_filter(request: HttpRequest) -> str:
    state = request.GET.get("state", "")
    return state if state in {s.value for s in ClosureState} else ""


# --- Closures ------------------------------------------------------------------------------------------


@viewer()
def closure_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    state = _state_filter(request)
    qs = _closures(user).prefetch_related("units")
    if state:
        qs = qs.filter(state=state)
    # The department decides: the proposals waiting for it come first, then decisions awaiting execution.
    if getattr(user, "role", None) == Role.DEPARTMENT:
        rank = Case(
            When(state=ClosureState.PROPOSED, then=Value(0)),
            When(state=ClosureState.DECIDED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        qs = qs.annotate(rank=rank).order_by("rank", "-created_at", "-pk")
    else:
        qs = qs.order_by("-created_at", "-pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for closure in page.object_list:
        closure.colour = STATE_COLOURS[ClosureState(closure.state)]
        if closure.state == ClosureState.DECIDED:
            closure.gate = services.resettlement_checks(closure)
            closure.gate_passed = sum(c.passed for c in closure.gate)
    counts = dict(_closures(user).values_list("state").annotate(n=Count("pk")).order_by())
    states = [("", _("All"), sum(counts.values()))] + [
        (s.value, label, counts.get(s.value, 0)) for s, label in Closure.STATE_LABELS.items()
    ]
    return render(request, "enforcement/closure_list.html", {"page": page, "state": state, "states": states})


def _gate(closure: Closure) -> dict:
    checks = services.resettlement_checks(closure)
    return {
        "checks": [{"code": c.code, "title": GATE_TITLES.get(c.code, c.code), "passed": c.passed, "why": c.why}
                   for c in checks],
        "passed": all(c.passed for c in checks),
    }  # fmt: skip


def _outcomes(plan: ResettlementPlan | None) -> tuple[list, dict | None, int]:
    if plan is None:
        return [], None, 0
    rows = list(ResettlementOutcome.objects.filter(plan=plan).order_by("as_of"))
    planned = sum(int(v or 0) for v in (plan.headcount or {}).values())
    for row in rows:
        row.total = sum(getattr(row, f) for f, _l, _c in OUTCOME_FIELDS)
        row.share = round(100 * row.total / planned) if planned else None
    if not rows:
        return rows, None, planned
    chart = {
        "categories": [r.as_of.isoformat() for r in rows],
        "unit": _("people"),
        "series": [
            {"name": str(label), "color": colour, "stack": "done", "data": [getattr(r, f) for r in rows]}
            for f, label, colour in OUTCOME_FIELDS
        ]
        + [{"name": _("Plan's headcount"), "color": "#c9ced6", "data": [planned for _r in rows]}],
    }
    return rows, chart, planned


def _headcount(plan: ResettlementPlan | None) -> list[tuple[str, int | None]]:
    if plan is None:
        return []
    return [(HEADCOUNT_LABELS[c], (plan.headcount or {}).get(c)) for c in HEADCOUNT_CATEGORIES]


def _render_closure(request: HttpRequest, closure: Closure, forms: dict | None = None, status: int = 200):
    user = request.user
    forms = forms or {}
    state = ClosureState(closure.state)
    plan = ResettlementPlan.objects.filter(closure=closure).first()
    can_decide = scopes.can(user, "enforcement.decide")
    can_plan = scopes.can(user, "enforcement.resettlement")
    can_land = scopes.can(user, "enforcement.land")
    today = timezone.localdate()
    context = {
        "closure": closure,
        "case": closure.case,
        "case_url": url_or_none("enforcement:case-detail", closure.case_id),
        "colour": STATE_COLOURS[state],
        "units": list(closure.units.select_related("plant", "metal")),
        "gate": _gate(closure),
        "plan": plan,
        "headcount": _headcount(plan),
        "minutes": scopes.visible(user, Evidence).filter(case_id=closure.case_id, purpose=Evidence.Purpose.MINUTES),
        "can_plan": can_plan and state in PLAN_OPEN,
        "land": LandDisposal.objects.filter(closure=closure).first(),
        "announcements": scopes.visible(user, Announcement).filter(closure=closure),
        "can_announce": scopes.can(user, "enforcement.publish") and state in ANNOUNCED_STATES,
    }
    if can_decide and state == ClosureState.PROPOSED:
        context["decide_form"] = forms.get("decide") or DecideForm(
            closure=closure, initial={"decided_on": today, "basis": closure.reason}
        )
    if can_decide and state in (ClosureState.PROPOSED, ClosureState.DECIDED):
        context["withdraw_form"] = forms.get("withdraw") or ReasonForm()
    if can_decide and state == ClosureState.DECIDED:
        context["execute_form"] = forms.get("execute") or ExecuteForm(initial={"executed_on": today})
    if can_plan and plan is not None:
        context["outcome_form"] = forms.get("outcome") or OutcomeForm(initial={"as_of": today})
    rows, chart, planned = _outcomes(plan)
    context.update(outcomes=rows, outcome_chart=chart, planned=planned, outcome_fields=OUTCOME_FIELDS)
    if can_land and state == ClosureState.EXECUTED:
        land = context["land"]
        initial = {"decided_on": today}
        if land is not None:
            initial = {f: getattr(land, f) for f in LAND_FIELDS}
        context["land_form"] = forms.get("land") or LandForm(initial=initial)
    for form in forms.values():
        mark_invalid(form)
    return render(request, "enforcement/closure_detail.html", context, status=status)


def _closure_or_404(user, pk: int) -> Closure:
    return scopes.get_visible_or_404(user, _closures(user), pk=pk)


@viewer()
def closure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_closure(request, _closure_or_404(request.user, pk))


# Each action: the capability it needs, its form, the service call, and what the page says when done.
def _decide(user, closure, form):
    services.decide_closure(user, closure, form.service_data())
    return _("Closure decided.")


def _withdraw(user, closure, form):
    services.withdraw_closure(user, closure, reason=form.cleaned_data["reason"])
    return _("Closure withdrawn.")


def _execute(user, closure, form):
    services.execute_closure(user, closure, executed_on=form.cleaned_data["executed_on"])
    return _("Closure executed: the units have exited.")


def _outcome(user, closure, form):
    services.record_outcome(user, closure, form.cleaned_data)
    return _("Resettlement outcome recorded.")


def _land(user, closure, form):
    data = dict(form.cleaned_data)
    services.record_land(user, closure, data)
    return _("Land disposal recorded.")


ACTIONS = {
    "decide": ("enforcement.decide", lambda c, p: DecideForm(p, closure=c), _decide),
    "withdraw": ("enforcement.decide", lambda c, p: ReasonForm(p), _withdraw),
    "execute": ("enforcement.decide", lambda c, p: ExecuteForm(p), _execute),
    "outcome": ("enforcement.resettlement", lambda c, p: OutcomeForm(p), _outcome),
    "land": ("enforcement.land", lambda c, p: LandForm(p), _land),
}


@viewer()
@require_POST
def closure_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    closure = _closure_or_404(user, pk)
    if action not in ACTIONS:
        return _render_closure(request, closure, status=404)
    capability, make_form, act = ACTIONS[action]
    scopes.require(user, capability, closure)
    form = make_form(closure, request.POST)
    if form.is_valid():
        try:
            done = act(user, closure, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            for message in messages_of(exc):
                messages.error(request, message)
        else:
            messages.success(request, done)
            return redirect("enforcement:closure-detail", pk=closure.pk)
    else:
        messages.error(request, _("Nothing was changed: see the form below."))
    closure.refresh_from_db()
    return _render_closure(request, closure, {action: form}, status=400)


@viewer()
def closure_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The staff resettlement plan: the enterprise, its city or the department fill it in; the gate beside
    it says what is still missing."""
    user = request.user
    closure = _closure_or_404(user, pk)
    plan = ResettlementPlan.objects.filter(closure=closure).first()
    editable = scopes.can(user, "enforcement.resettlement") and closure.state in PLAN_OPEN
    status = 200
    form = PlanForm(initial=PlanForm.initial_from(plan)) if editable else None
    if request.method == "POST":
        scopes.require(user, "enforcement.resettlement", closure)
        form = PlanForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.save_resettlement_plan(
                    user, closure, form.service_data(), minutes=form.cleaned_data["minutes"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Resettlement plan saved."))
                return redirect("enforcement:closure-detail", pk=closure.pk)
        messages.error(request, _("The plan was not saved: see the form below."))
        status = 400
    context = {
        "closure": closure,
        "case": closure.case,
        "plan": plan,
        "gate": _gate(closure),
        "form": mark_invalid(form) if form is not None else None,
        "minutes": scopes.visible(user, Evidence).filter(case_id=closure.case_id, purpose=Evidence.Purpose.MINUTES),
    }
    if form is None:
        context["headcount"] = (
            [(HEADCOUNT_LABELS[c], (plan.headcount or {}).get(c)) for c in HEADCOUNT_CATEGORIES] if plan else []
        )
    return render(request, "enforcement/closure_plan.html", context, status=status)


@viewer()
def closure_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """Minutes and other closure files, served only through this view to those who may see the closure."""
    closure = _closure_or_404(request.user, pk)
    ev = scopes.get_visible_or_404(request.user, Evidence.objects.filter(case_id=closure.case_id), pk=file_pk)
    return serve_evidence(request, ev)


# --- Announcements ---------------------------------------------------------------------------------------


def _announcements(user):
    return (
        scopes.visible(user, Announcement)
        .select_related("closure__case__enterprise", "campaign")
        .annotate(version_count=Count("versions"))
    )


@viewer()
def announcement_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    qs = _announcements(user)
    context = {
        "drafts": qs.filter(published_at__isnull=True).order_by("-created_at"),
        "published": qs.filter(published_at__isnull=False).order_by("-published_at"),
        "can_publish": scopes.can(user, "enforcement.publish"),
    }
    if context["can_publish"]:
        context["closures"] = (
            _closures(user)
            .filter(state__in=[ClosureState.DECIDED, ClosureState.EXECUTED])
            .annotate(n_ann=Count("announcements"))
            .order_by("-decided_on", "-pk")
        )
        context["campaigns"] = scopes.visible(user, Campaign).distinct().order_by("-year", "-created_at")
    return render(request, "enforcement/announcement_list.html", context)


@viewer("enforcement.publish")
@require_POST
def announcement_draft(request: HttpRequest) -> HttpResponse:
    """A draft from a decided closure, or a campaign's rectification list or survey results."""
    user = request.user
    kind = request.POST.get("kind", "")
    closure = campaign = None
    if request.POST.get("closure"):
        closure = _closure_or_404(user, _int(request.POST["closure"]))
    if request.POST.get("campaign"):
        campaign = scopes.get_visible_or_404(user, Campaign.objects.distinct(), pk=_int(request.POST["campaign"]))
    try:
        ann = services.draft_announcement(user, kind, closure=closure, campaign=campaign)
    except ValidationError as exc:
        for message in messages_of(exc):
            messages.error(request, message)
        if closure is not None and request.POST.get("back") == "closure":
            return redirect("enforcement:closure-detail", pk=closure.pk)
        return redirect("enforcement:announcement-list")
    messages.success(request, _("Draft created from the data: edit it, then publish."))
    return redirect("enforcement:announcement-detail", pk=ann.pk)


def _int(raw: str) -> int:
    return int(raw) if str(raw).isdigit() else 0


def _render_announcement(request, ann: Announcement, edit_form=None, publish_form=None, status: int = 200):
    user = request.user
    can_publish = scopes.can(user, "enforcement.publish")
    versions = list(AnnouncementVersion.objects.filter(announcement=ann).order_by("-number"))
    latest = versions[0] if versions else None
    context = {
        "ann": ann,
        "versions": versions,
        "latest": latest,
        "changed": latest is None or (latest.title, latest.body) != (ann.title, ann.body),
        "can_publish": can_publish,
        "closure_url": reverse("enforcement:closure-detail", args=[ann.closure_id]) if ann.closure_id else None,
        "campaign_url": url_or_none("enforcement:campaign-detail", ann.campaign_id) if ann.campaign_id else None,
    }
    if can_publish:
        context["edit_form"] = mark_invalid(
            edit_form or AnnouncementForm(initial={"title": ann.title, "body": ann.body})
        )
        context["publish_form"] = mark_invalid(publish_form or PublishForm())
    return render(request, "enforcement/announcement_detail.html", context, status=status)


@viewer()
def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    ann = scopes.get_visible_or_404(user, Announcement, pk=pk)
    if request.method != "POST":
        return _render_announcement(request, ann)
    scopes.require(user, "enforcement.publish", ann)
    form = AnnouncementForm(request.POST)
    if form.is_valid():
        try:
            services.edit_announcement(user, ann, title=form.cleaned_data["title"], body=form.cleaned_data["body"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Text saved. Published versions are unchanged until you publish."))
            return redirect("enforcement:announcement-detail", pk=ann.pk)
    messages.error(request, _("The text was not saved: see the form below."))
    return _render_announcement(request, ann, edit_form=form, status=400)


@viewer("enforcement.publish")
@require_POST
def announcement_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    ann = scopes.get_visible_or_404(user, Announcement, pk=pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            version = services.publish_announcement(user, ann, correction_note=form.cleaned_data["correction_note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
            for message in messages_of(exc):
                messages.error(request, message)
        else:
            if version.number == 1:
                messages.success(request, _("Published."))
            else:
                messages.success(request, _("Correction published as version %(n)s.") % {"n": version.number})
            return redirect("enforcement:announcement-detail", pk=ann.pk)
    return _render_announcement(request, ann, publish_form=form, status=400)
