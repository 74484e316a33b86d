"""What the support pages share: rendering with the reader's role, a service refusal as messages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from youse.core import scopes
from youse.core.pages import messages_of
from youse.core.roles import Role


def render_page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    user = request.user
    context.setdefault("is_enterprise", user.role == Role.ENTERPRISE)
    context.setdefault("is_city", user.role == Role.CITY)
    context.setdefault("can_manage", scopes.can(user, "support.manage"))
    context.setdefault("can_apply", scopes.can(user, "support.apply"))
    return render(request, template, context, status=status)


def refused(request: HttpRequest, exc: ValidationError) -> None:
    for message in messages_of(exc):
        messages.error(request, message)


def chart_number(value) -> float:
    return float(value or 0)
