"""What every supervision page shares: who may open it and the module's tab context."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from youse.core import pages, scopes
from youse.supervision.models import STATUS_LABELS
from youse.supervision.rules import COLOURS, Status


def viewer(capability: str = "supervision.view") -> Callable:
    """Signed in (else the login page), and a role holding `capability` (else 403)."""
    return pages.requires(capability)


def badge(status: Status | None) -> dict:
    if status is None:
        return {"code": "none", "label": "—", "colour": "light"}
    return {"code": status.value, "label": STATUS_LABELS[status], "colour": COLOURS[status]}


def render_page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    user = request.user
    context.setdefault("today", timezone.localdate())
    context.setdefault("can_manage", scopes.can(user, "supervision.manage"))
    context.setdefault("can_review", scopes.can(user, "supervision.review"))
    context.setdefault("can_report", scopes.can(user, "supervision.report"))
    context.setdefault("legend", [badge(s) for s in (Status.ON_TRACK, Status.AT_RISK, Status.OVERDUE, Status.DONE)])
    return render(request, template, context, status=status)
