"""Shared by the support service modules: today, audit events, amounts read from input."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.core import audit
from youse.core.models import AuditEvent


def today() -> dt.date:
    return timezone.localdate()


def user_or_none(actor):
    return actor if getattr(actor, "pk", None) else None


def event(actor, obj: models.Model, name: str, *, before: dict | None = None, after: dict | None = None, reason=""):
    """A step's audit event; the step's name travels in `after["event"]` so the timeline reads as a story."""
    audit.record(
        actor, AuditEvent.Action.TRANSITION, obj, before=before, after={"event": name, **(after or {})}, reason=reason
    )


def decimal(value: object, field: str, *, required: bool = True, places: int = 2) -> Decimal | None:
    """A figure from input (a form, JSON or the demo) as a Decimal, or a ValidationError naming the field."""
    if value in (None, ""):
        if required:
            raise ValidationError({field: [_("This field is required.")]})
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: [_("Enter a number.")]}) from None
    if not number.is_finite():
        raise ValidationError({field: [_("Enter a number.")]})
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise ValidationError({field: [_("At most %(n)s decimal places.") % {"n": places}]})
    if abs(number) >= Decimal(10) ** 11:
        raise ValidationError({field: [_("The number is too large.")]})
    return number


def date(value: object, field: str, *, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: [_("Enter a date.")]})
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: [_("Enter a valid date (YYYY-MM-DD).")]}) from None


def text(data: dict, field: str, *, required: bool = True, max_length: int = 200) -> str:
    value = str(data.get(field) or "").strip()
    if required and not value:
        raise ValidationError({field: [_("This field is required.")]})
    if len(value) > max_length:
        raise ValidationError({field: [_("At most %(n)s characters.") % {"n": max_length}]})
    return value


def collect(*checks) -> dict:
    """Run each check (a callable), gathering every ValidationError into one dict of messages by field,
    so a form shows all its problems at once. Returns the checks' values by position."""
    errors: dict[str, list[str]] = {}
    values = []
    for check in checks:
        try:
            values.append(check())
        except ValidationError as exc:
            values.append(None)
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return values
