"""Replacement schemes: the list, a scheme with its tables, rule report and decisions, the draft form,
and the department's findings on objections."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from youse.capacity import services
from youse.capacity.forms import (
    SCHEME_ACTIONS,
    DecideObjectionForm,
    ExitLineFormSet,
    SchemeFilterForm,
    SchemeForm,
    add_service_errors,
    claimable_codes,
    line_initial,
    mark_invalid,
)
from youse.capacity.models import DismantlingEvidence, ExitLine, Objection, ReplacementScheme
from youse.capacity.rules import RESERVING, SCHEME_TRANSITIONS, SchemeState
from youse.capacity.views.common import messages_of, page_of, render_page, viewer
from youse.core import scopes
from youse.core.history import history_events

# States whose report is worth re-running: the tonnes and tables it judges can still change under it.
LIVE_REPORT_STATES = frozenset({SchemeState.DRAFT, *RESERVING})
ACTION_LABELS = {
    "submit": (gettext_lazy("Submit"), "primary", "send"),
    "withdraw": (gettext_lazy("Withdraw"), "outline-secondary", "x-circle"),
    "publish": (gettext_lazy("Publish for public notice (公示)"), "primary", "megaphone"),
    "approve": (gettext_lazy("Approve"), "success", "check2-circle"),
    "reject": (gettext_lazy("Reject"), "outline-danger", "x-octagon"),
    "announce": (gettext_lazy("Announce the result (公告)"), "primary", "broadcast"),
}


def _schemes(user):
    return scopes.visible(user, ReplacementScheme).select_related("applicant", "division__prefecture")


@viewer()
def scheme_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    filters = SchemeFilterForm(request.GET or None, user=user)
    qs = _schemes(user).prefetch_related("exit_lines")
    if state := filters.value("state"):
        qs = qs.filter(state=state)
    if applicant := filters.value("applicant"):
        qs = qs.filter(applicant=applicant)
    if city := filters.value("city"):
        qs = qs.filter(division__prefecture=city)
    page = page_of(request, qs.order_by("-created_at", "-pk"))
    for scheme in page.object_list:
        scheme.ratio = _ratio(scheme)
    return render_page(
        request,
        "capacity/scheme_list.html",
        {"filters": filters, "page": page, "can_apply": scopes.can(user, "capacity.apply")},
    )


def _ratio(scheme: ReplacementScheme) -> Decimal | None:
    exited = scheme.exit_tonnes
    return (Decimal(exited) / Decimal(scheme.capacity_t)).quantize(Decimal("0.001")) if scheme.capacity_t else None


def _scheme(request: HttpRequest, pk: int) -> ReplacementScheme:
    return scopes.get_visible_or_404(
        request.user,
        ReplacementScheme.objects.select_related("applicant", "plant", "division__prefecture", "new_unit"),
        pk=pk,
    )


def _report(scheme: ReplacementScheme) -> tuple[dict | None, bool]:
    """The rule report to show, and whether it is live (run now) or the one kept at the last step."""
    if scheme.state in LIVE_REPORT_STATES:
        return services.check_scheme(scheme).as_dict(), True
    return scheme.check_report, False


def _actions(user, scheme: ReplacementScheme, forms: dict) -> list[dict]:
    allowed = SCHEME_TRANSITIONS[SchemeState(scheme.state)]
    actions = []
    for action, (form_class, capability, target) in SCHEME_ACTIONS.items():
        if target not in allowed or not scopes.can(user, capability):
            continue
        label, style, icon = ACTION_LABELS[action]
        # Several action forms share one page: their ids carry the action so each label finds its field.
        form = forms.get(action) or (form_class(auto_id=f"id_{action}_%s") if form_class else None)
        actions.append(
            {"code": action, "label": label, "style": style, "icon": icon, "form": form and mark_invalid(form)}
        )
    return actions


def render_scheme(
    request: HttpRequest,
    scheme: ReplacementScheme,
    *,
    forms: dict | None = None,
    objection_forms: dict | None = None,
    report: dict | None = None,
    open_action: str = "",
) -> HttpResponse:
    user = request.user
    live = True
    if report is None:
        report, live = _report(scheme)
    evidence = scopes.visible(user, DismantlingEvidence).order_by("uploaded_at")
    lines = list(
        scopes.visible(user, ExitLine)
        .filter(scheme=scheme)
        .select_related("indicator__owner__division", "indicator__unit__plant__division")
        .prefetch_related(Prefetch("evidence", queryset=evidence))
    )
    today = timezone.localdate()
    for line in lines:
        line.is_overdue = bool(
            scheme.state in (SchemeState.APPROVED, SchemeState.ANNOUNCED)
            and not line.dismantled_on
            and (line.overdue_since or (line.dismantling_due and line.dismantling_due < today))
        )
    can_decide = scopes.can(user, "capacity.decide")
    objection_forms = objection_forms or {}
    objections = list(scopes.visible(user, Objection).filter(scheme=scheme).select_related("cut_line__indicator"))
    for obj in objections:
        obj.form = None
        if can_decide and obj.status == Objection.Status.PENDING:
            obj.form = mark_invalid(
                objection_forms.get(obj.pk) or DecideObjectionForm(scheme=scheme, auto_id=f"id_objection{obj.pk}_%s")
            )
    can_apply = scopes.can(user, "capacity.apply")
    exited = sum(line.tonnes for line in lines)
    return render_page(
        request,
        "capacity/scheme_detail.html",
        {
            "scheme": scheme,
            "lines": lines,
            "exited": exited,
            "ratio": (Decimal(exited) / Decimal(scheme.capacity_t)).quantize(Decimal("0.001")),
            "report": report,
            "live": live,
            "actions": _actions(user, scheme, forms or {}),
            "open_action": open_action,
            "can_edit": can_apply and scheme.state == SchemeState.DRAFT,
            "can_record_check": (can_apply or can_decide) and scheme.state in LIVE_REPORT_STATES,
            "objections": objections,
            "show_objectors": Objection.identity_visible_to(user),
            "notice_open": services.notice_open(scheme),
            "history": history_events(user, scheme),
        },
    )


@viewer()
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_scheme(request, _scheme(request, pk))


@viewer()
def scheme_check(request: HttpRequest, pk: int) -> HttpResponse:
    """The live rule report (an htmx partial). A POST from the applicant or the department also keeps
    it on the scheme, as the report the applicant saw."""
    user = request.user
    scheme = _scheme(request, pk)
    if request.method == "POST":
        if not (scopes.can(user, "capacity.apply") or scopes.can(user, "capacity.decide")):
            scopes.require(user, "capacity.apply", scheme)
        report = services.record_check(user, scheme).as_dict()
        if not request.headers.get("HX-Request"):
            messages.info(request, _("The rules were checked again; the report is below."))
            return redirect("capacity:scheme-detail", pk=scheme.pk)
    else:
        report = services.check_scheme(scheme).as_dict()
    return render(
        request,
        "capacity/_check_report.html",
        {"scheme": scheme, "report": report, "live": True, "checked_at": timezone.now()},
    )


@viewer()
@require_POST
def scheme_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    scheme = _scheme(request, pk)
    if action not in SCHEME_ACTIONS:
        raise Http404("No such action.")
    form_class, capability, _target = SCHEME_ACTIONS[action]
    scopes.require(user, capability, scheme)
    form = form_class(request.POST, auto_id=f"id_{action}_%s") if form_class else None
    if form is None or form.is_valid():
        data = form.cleaned_data if form else {}
        try:
            _perform(user, scheme, action, data)
        except services.CheckFailed as exc:
            messages.error(request, _("The rules refused it: see the failing rules in the check report."))
            scheme.refresh_from_db()
            return render_scheme(request, scheme, report=exc.report.as_dict())
        except ValidationError as exc:
            if form is None:
                for message in messages_of(exc):
                    messages.error(request, message)
                scheme.refresh_from_db()
                return render_scheme(request, scheme)
            add_service_errors(form, exc)
        else:
            scheme.refresh_from_db()
            messages.success(
                request, _("Scheme %(code)s is now %(state)s.") % {"code": scheme.code, "state": scheme.state_label}
            )
            return redirect("capacity:scheme-detail", pk=scheme.pk)
    messages.error(request, _("Nothing was changed: see the form below."))
    scheme.refresh_from_db()
    return render_scheme(request, scheme, forms={action: form}, open_action=action)


def _perform(user, scheme: ReplacementScheme, action: str, data: dict) -> None:
    reason = data.get("reason", "")
    if action == "submit":
        services.submit_scheme(user, scheme)
    elif action == "withdraw":
        services.withdraw_scheme(user, scheme, reason=reason)
    elif action == "publish":
        services.publish_scheme(user, scheme, published_on=data["published_on"], contact=data["contact"], reason=reason)
    elif action == "approve":
        services.approve_scheme(user, scheme, document=data["document"], unit_name=data["unit_name"], reason=reason)
    elif action == "reject":
        services.reject_scheme(user, scheme, reason=reason, document=data["document"])
    elif action == "announce":
        services.announce_scheme(user, scheme, document=data["document"], reason=reason)


@viewer()
@require_POST
def objection_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    objection = scopes.get_visible_or_404(user, Objection.objects.select_related("scheme"), pk=pk)
    scopes.require(user, "capacity.decide", objection)
    scheme = _scheme(request, objection.scheme_id)
    form = DecideObjectionForm(request.POST, scheme=scheme, auto_id=f"id_objection{objection.pk}_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decide_objection(
                user,
                objection,
                upheld=data["outcome"] == "upheld",
                finding=data["finding"],
                cut_line=data["cut_line"],
                cut_tonnes=data["cut_tonnes"] or 0,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if objection.status == Objection.Status.UPHELD:
                messages.success(request, _("Objection upheld: the scheme went back to its applicant as a draft."))
            else:
                messages.success(request, _("Objection dismissed."))
            return redirect("capacity:scheme-detail", pk=scheme.pk)
    messages.error(request, _("The finding was not recorded: see the form below."))
    scheme.refresh_from_db()
    return render_scheme(request, scheme, objection_forms={objection.pk: form})


# --- The draft form ----------------------------------------------------------------------------------

BLANK_LINES = 3


def _line_errors(lines, used: list[int], exc: ValidationError) -> tuple[dict, list[str]]:
    """Split a service's errors: those of exit line i go on the i-th filled row; the rest stay."""
    rest: dict[str, list[str]] = {}
    general: list[str] = []
    for key, msgs in exc.message_dict.items():
        if key.startswith("exit_lines[") and key.endswith("]") and key[11:-1].isdigit():
            index = int(key[11:-1]) - 1
            if 0 <= index < len(used):
                for m in msgs:
                    lines.forms[used[index]].add_error(None, m)
                continue
        if key == "exit_lines":
            general.extend(msgs)
            continue
        rest[key] = msgs
    return rest, general


@viewer("capacity.apply")
def scheme_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    scheme = _scheme(request, pk) if pk else None
    if scheme is not None:
        scopes.require(user, "capacity.apply", scheme)
        if scheme.state != SchemeState.DRAFT:
            messages.error(request, _("Only a draft can be edited."))
            return redirect("capacity:scheme-detail", pk=scheme.pk)
    initial_lines = [line_initial(x) for x in scheme.exit_lines.select_related("indicator")] if scheme else []
    form = SchemeForm(request.POST or None, instance=scheme, user=user)
    lines = ExitLineFormSet(request.POST or None, prefix="lines", initial=initial_lines or None)
    if not request.POST:
        lines.extra = BLANK_LINES
    line_messages: list[str] = []
    if request.method == "POST" and form.is_valid() & lines.is_valid():
        used, line_data = [], []
        for i, line_form in enumerate(lines.forms):
            if (data := line_form.line()) is not None:
                used.append(i)
                line_data.append(data)
        try:
            if scheme is None:
                scheme = services.create_scheme(user, form.values(), line_data, reason=form.cleaned_data["reason"])
            else:
                services.update_scheme(user, scheme, form.values(), line_data, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            rest, line_messages = _line_errors(lines, used, exc)
            if rest:
                add_service_errors(form, ValidationError(rest))
        else:
            messages.success(
                request, _("Draft %(code)s saved. Read the rule check below before submitting.") % {"code": scheme.code}
            )
            return redirect("capacity:scheme-detail", pk=scheme.pk)
    title = _("Edit draft scheme") if scheme else _("New replacement scheme")
    crumbs = [(_("Schemes"), reverse("capacity:scheme-list"))]
    if scheme:
        crumbs.append((scheme.code, reverse("capacity:scheme-detail", args=[scheme.pk])))
    return render_page(
        request,
        "capacity/scheme_form.html",
        {
            "form": mark_invalid(form),
            "lines": lines,
            "line_messages": line_messages + list(lines.non_form_errors()),
            "codes": claimable_codes(user),
            "scheme": scheme,
            "title": title,
            "crumbs": crumbs,
        },
    )
