"""The early-warning list of the department, with acknowledge and clear actions (stats/warning_services.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youse.core import modules, scopes
from youse.stats import warning_services
from youse.stats.excel import Column, Table, xlsx_response
from youse.stats.models import EarlyWarning, WarningRule
from youse.stats.views.common import export_url, wants_xlsx

# --- Early warnings -----------------------------------------------------------------------------------


@login_required
def warnings(request: HttpRequest) -> HttpResponse:
    """Early warnings with their evidence; the department acknowledges and clears them."""
    scopes.require(request.user, "stats.view")
    qs = scopes.visible(request.user, EarlyWarning).select_related("rule", "division")
    filters = {
        "status": request.GET.get("status", "open" if "status" not in request.GET else ""),
        "rule": request.GET.get("rule", ""),
        "scope_kind": request.GET.get("scope_kind", ""),
        "period": request.GET.get("period", "").strip(),
    }
    if filters["status"] in EarlyWarning.Status.values:
        qs = qs.filter(status=filters["status"])
    if filters["rule"]:
        qs = qs.filter(rule__code=filters["rule"])
    if filters["scope_kind"]:
        qs = qs.filter(scope_kind=filters["scope_kind"])
    if filters["period"]:
        qs = qs.filter(period__startswith=filters["period"])
    rows = list(qs[:500])
    table = Table(
        "warnings",
        _("Early warnings"),
        [
            Column(_("Raised"), numeric=False),
            Column(_("Rule"), numeric=False),
            Column(_("Scope"), numeric=False),
            Column(_("Period"), numeric=False),
            Column(_("Value")),
            Column(_("Message"), numeric=False),
            Column(_("Status"), numeric=False),
        ],
        rows=[
            [
                timezone.localtime(w.raised_at).strftime("%Y-%m-%d %H:%M"),
                w.rule.name,
                w.scope_label,
                w.period,
                w.value,
                w.message,
                w.get_status_display(),
            ]
            for w in rows
        ],
    )
    if wants_xlsx(request):
        label = request.user.scope_label or _("Shaanxi Province")
        return xlsx_response(
            [table],
            period=filters["period"] or _("all periods"),
            scope=label,
            synthetic=modules.synthetic_data_loaded(),
            filename="youse-warnings",
        )
    context = {
        "rows": rows,
        "filters": filters,
        "statuses": EarlyWarning.Status.choices,
        "rules": WarningRule.objects.order_by("code").values_list("code", "name"),
        "scope_kinds": [c for c in EarlyWarning._meta.get_field("scope_kind").choices],
        "can_handle": scopes.can(request.user, warning_services.CAPABILITY),
        "export_url": export_url(request, "warnings"),
    }
    return render(request, "stats/warnings.html", context)


def _warning_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    warning = scopes.get_visible_or_404(request.user, EarlyWarning, pk=pk)
    reason = request.POST.get("reason", "")
    try:
        if action == "acknowledge":
            warning_services.acknowledge_warning(request.user, warning, reason)
            messages.success(request, _("Warning acknowledged."))
        else:
            warning_services.clear_warning(request.user, warning, reason)
            messages.success(request, _("Warning cleared."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/stats/") else reverse("stats:warnings"))


@login_required
@require_POST
def warning_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _warning_action(request, pk, "acknowledge")


@login_required
@require_POST
def warning_clear(request: HttpRequest, pk: int) -> HttpResponse:
    return _warning_action(request, pk, "clear")
