"""What every capacity page shares: who may open it, and how service refusals reach the page."""

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from youse.capacity.models import ExitLine
from youse.capacity.rules import SchemeState
from youse.core import pages, scopes
from youse.core.roles import Role

PAGE_SIZE = 50
DISMANTLING_STATES = (SchemeState.APPROVED, SchemeState.ANNOUNCED)


def viewer(capability: str = "capacity.view") -> Callable:
    """Signed in (else the login page), and a role holding `capability` (else 403)."""
    return pages.requires(capability)


def page_of(request: HttpRequest, qs) -> Page:
    return pages.page_of(request, qs, PAGE_SIZE)


def messages_of(exc: ValidationError) -> list[str]:
    return pages.messages_of(exc)


def indicator_city_q(city) -> Q:
    """Capacity belongs to the city where its unit stands, or its owner's city when it has no unit."""
    return Q(unit__plant__division__prefecture=city) | Q(unit__isnull=True, owner__division__prefecture=city)


def overdue_lines(qs: QuerySet, today: dt.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return qs.filter(scheme__state__in=DISMANTLING_STATES, dismantled_on__isnull=True).filter(
        Q(overdue_since__isnull=False) | Q(dismantling_due__lt=today)
    )


def line_city_id(line: ExitLine) -> int | None:
    # The city where the old line stands inspects it (as capacity.services.confirm_dismantling decides).
    ind = line.indicator
    division = ind.unit.plant.division if ind.unit_id else ind.owner.division
    return division.prefecture_id


def may_confirm(user, line: ExitLine) -> bool:
    if not scopes.can(user, "capacity.dismantling") or line.dismantled_on:
        return False
    if line.scheme.state not in DISMANTLING_STATES:
        return False
    return getattr(user, "role", None) != Role.CITY or line_city_id(line) == user.division_id


def render_page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    """render() with what the module's tabs need to know about the user."""
    context.setdefault("can_violations", scopes.can(request.user, "capacity.violations"))
    return render(request, template, context, status=status)
