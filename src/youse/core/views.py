"""Pages of the core app: the home dashboard, the policy, the audit search, sign-in and health."""

import csv
import datetime as dt
import json
from collections.abc import Iterator

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from youse.core import audit, dashboard, scopes
from youse.core.auth import clear_failed_sign_ins, note_failed_sign_in, sign_in_blocked
from youse.core.availability import gateway_health
from youse.core.middleware import client_addr
from youse.core.models import AuditEvent, ClauseResponsibility, IndustrialBase, PolicyClause, PolicyTarget, User


def _reference_context() -> dict:
    """The policy as reference data: clauses with their units, the targets of 一(二), the six bases."""
    return {
        "clauses": PolicyClause.objects.prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=ClauseResponsibility.objects.select_related("unit").order_by("-lead", "order"),
            )
        ),
        "targets": PolicyTarget.objects.select_related("clause"),
        "bases": IndustrialBase.objects.prefetch_related("metals", "divisions"),
    }


def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's overview of the registry in scope; the public portal for everyone else."""
    user = request.user
    if not (user.is_authenticated and scopes.can(user, "registry.view")):
        from youse.portal.views import home as portal_home

        return portal_home(request)
    board = dashboard.build(user)
    context = {"board": board, "target_cards": _target_cards(user)}
    if board.scoped_to_enterprise is not None:
        context["own_units"] = dashboard.enterprise_units(user, board.scoped_to_enterprise)
    return render(request, "core/home.html", context)


def _target_cards(user) -> list:
    """The five targets of 一(二) above the registry figures (the department's home is its target
    dashboard); the cards link to the statistics module."""
    from youse.stats.views.panels import target_cards

    return target_cards(user)


def policy(request: HttpRequest) -> HttpResponse:
    """The policy as the platform holds it: clauses, responsible units, targets and bases (public)."""
    return render(request, "core/policy.html", _reference_context())


# --- Audit search -----------------------------------------------------------------------------------

# Registry objects that have a page of their own: content type model name -> URL pattern.
OBJECT_PAGES = {
    ("registry", "enterprise"): "/registry/enterprises/{pk}/",
    ("registry", "plant"): "/registry/plants/{pk}/",
    ("registry", "productionunit"): "/registry/units/{pk}/",
}
AUDIT_PAGE_SIZE = 50


def object_page(content_type: ContentType | None, object_id: str) -> str | None:
    if content_type is None or not object_id:
        return None
    pattern = OBJECT_PAGES.get((content_type.app_label, content_type.model))
    return pattern.format(pk=object_id) if pattern else None


def _audited_content_types() -> QuerySet:
    labels = [cfg.label for cfg in apps.get_app_configs() if cfg.name.startswith("youse.")]
    return ContentType.objects.filter(app_label__in=labels).order_by("app_label", "model")


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=gettext_lazy("Actor"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=gettext_lazy("Action"), required=False, choices=[("", "—"), *AuditEvent.Action.choices]
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Channel"), required=False, choices=[("", "—"), *AuditEvent.Channel.choices]
    )
    object_type = forms.ModelChoiceField(
        label=gettext_lazy("Object type"), required=False, queryset=ContentType.objects.none(), empty_label="—"
    )
    object = forms.CharField(label=gettext_lazy("Object"), required=False, max_length=300)
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=gettext_lazy("Reason contains"), required=False, max_length=200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["object_type"].queryset = _audited_content_types()
        self.fields["object_type"].label_from_instance = lambda ct: f"{ct.name} ({ct.app_label})"
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} {css}-sm"

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filter(self, qs: QuerySet) -> QuerySet:
        data = self.cleaned_data
        if data.get("actor"):
            qs = qs.filter(actor_username__icontains=data["actor"].strip())
        if data.get("action"):
            qs = qs.filter(action=data["action"])
        if data.get("channel"):
            qs = qs.filter(channel=data["channel"])
        if data.get("object_type"):
            qs = qs.filter(content_type=data["object_type"])
        if data.get("object"):
            text = data["object"].strip()
            qs = qs.filter(Q(object_repr__icontains=text) | Q(object_id=text))
        tz = timezone.get_current_timezone()
        # Dates are Beijing dates: the day runs from 00:00 to 24:00 Asia/Shanghai.
        if data.get("date_from"):
            qs = qs.filter(time__gte=dt.datetime.combine(data["date_from"], dt.time.min, tzinfo=tz))
        if data.get("date_to"):
            end = dt.datetime.combine(data["date_to"] + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
            qs = qs.filter(time__lt=end)
        if data.get("reason"):
            qs = qs.filter(reason__icontains=data["reason"].strip())
        return qs


def _format_value(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _csv_rows(events: QuerySet) -> Iterator[list[str]]:
    yield [
        "time",
        "actor",
        "actor_role",
        "channel",
        "action",
        "object_type",
        "object_id",
        "object",
        "changes",
        "reason",
        "address",
    ]
    tz = timezone.get_current_timezone()
    for e in events.iterator(chunk_size=2000):
        ct = e.content_type
        changes = "; ".join(f"{k}: {_format_value(b)} → {_format_value(a)}" for k, b, a in e.changes)
        yield [
            timezone.localtime(e.time, tz).isoformat(timespec="seconds"),
            e.actor_username,
            e.actor_role,
            e.channel,
            e.action,
            f"{ct.app_label}.{ct.model}" if ct else "",
            e.object_id,
            e.object_repr,
            changes,
            e.reason,
            e.remote_addr or "",
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_response(events: QuerySet) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream() -> Iterator[str]:
        # A byte-order mark, so that spreadsheet programs read the Chinese text as UTF-8.
        yield "\ufeff"
        for row in _csv_rows(events):
            yield writer.writerow(row)

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="youse-audit-{stamp}.csv"'
    return response


@login_required
def audit_search(request: HttpRequest) -> HttpResponse:
    """The department searches every audit event (issue 2, requirement 6)."""
    scopes.require(request.user, "audit.search")
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.select_related("content_type")
    if form.is_bound and form.is_valid():
        events = form.filter(events)
    elif form.is_bound:
        events = events.none()
    if request.GET.get("format") == "csv":
        return _csv_response(events)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"event": e, "url": object_page(e.content_type, e.object_id), "changes": e.changes} for e in page]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "core/audit.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and systemd: the database answers and every migration is applied (200, else
    503); and, for operators, the HJ 212 gateway's state from its last snapshot."""
    status = {"database": "ok", "migrations": "ok"}
    code = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            status["migrations"] = f"{len(pending)} pending"
            code = 503
    except Exception as exc:  # any database failure is the answer here, not a 500
        status["database"] = f"error: {exc.__class__.__name__}"
        code = 503
    status["status"] = "ok" if code == 200 else "unavailable"
    # The gateway's state is reported, not judged: a load balancer asks this address whether to send web
    # requests here, which a gateway fault does not change.
    gateway = gateway_health()
    if gateway is not None:
        status["gateway"] = gateway
    return JsonResponse(status, status=code)


class SignInView(LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        if sign_in_blocked(username, client_addr(request)):
            form = self.get_form()
            form.errors.clear()
            messages.error(request, _("Too many failed sign-ins. Wait a few minutes and try again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        # The demo personas' published password works only while DEBUG is on (core.auth); show them then.
        if settings.DEBUG:
            context["demo_personas"] = list(
                User.objects.filter(demo_persona=True, is_active=True).order_by("role", "username")
            )
        return context

    def form_invalid(self, form):
        note_failed_sign_in(self.request.POST.get("username", ""), client_addr(self.request))
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        clear_failed_sign_ins(user.username, client_addr(self.request))
        audit.record(user, AuditEvent.Action.SIGN_IN, user)
        return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("home")
