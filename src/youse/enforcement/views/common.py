"""What every enforcement page shares: who may open it, paging, how service refusals reach the page."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from youse.core import pages, scopes
from youse.enforcement.rules import RUNNING_ORDERS, CaseStatus

PAGE_SIZE = 50
# Cases on which no more inspection or order is possible.
FINISHED = (CaseStatus.CLOSING, CaseStatus.CLOSED)


def viewer(capability: str = "enforcement.view") -> Callable:
    """Signed in (else the login page), and a role holding `capability` (else 403)."""
    return pages.requires(capability)


def page_of(request: HttpRequest, qs) -> Page:
    return pages.page_of(request, qs, PAGE_SIZE)


def messages_of(exc: ValidationError) -> list[str]:
    return pages.messages_of(exc)


def overdue_q(today, prefix: str = "") -> Q:
    """Orders still running past their deadline (marked by the ticker or not yet)."""
    return Q(**{f"{prefix}state__in": [s.value for s in RUNNING_ORDERS]}) & (
        Q(**{f"{prefix}overdue_since__isnull": False}) | Q(**{f"{prefix}deadline__lt": today})
    )


def render_page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    """render() with what the module's tabs need to know about the user."""
    user = request.user
    context.setdefault("can_campaign", scopes.can(user, "enforcement.campaign"))
    context.setdefault("can_open_case", scopes.can(user, "enforcement.open_case"))
    return render(request, template, context, status=status)
