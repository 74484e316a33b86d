"""Writing the audit trail (DESIGN.md, principle 2).

Service functions call `record()` inside their own transaction, so the change and its audit event land
together or not at all. The channel (web, API, CLI, import, demo) is set once per request or command
through `channel()`, not passed through every call."""

import contextlib
import contextvars
import datetime as dt
import uuid
from collections.abc import Iterator
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from youse.core.models import AuditEvent

_channel: contextvars.ContextVar[str] = contextvars.ContextVar("youse_audit_channel", default=AuditEvent.Channel.SYSTEM)
_remote_addr: contextvars.ContextVar[str | None] = contextvars.ContextVar("youse_audit_addr", default=None)


@contextlib.contextmanager
def channel(name: str, remote_addr: str | None = None) -> Iterator[None]:
    token = _channel.set(name)
    addr_token = _remote_addr.set(remote_addr)
    try:
        yield
    finally:
        _channel.reset(token)
        _remote_addr.reset(addr_token)


def current_channel() -> str:
    return _channel.get()


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model) -> dict[str, object]:
    """The object's concrete field values as JSON-ready data (foreign keys as ids)."""
    data: dict[str, object] = {}
    for field in obj._meta.concrete_fields:
        if field.name in ("password",):
            continue
        data[field.attname if not field.is_relation else field.name] = _plain(getattr(obj, field.attname))
    return data


def record(
    actor,
    action: str,
    obj: models.Model | None = None,
    *,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    object_repr: str | None = None,
    content_type: ContentType | None = None,
    object_id: str = "",
) -> AuditEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    if obj is not None:
        content_type = ContentType.objects.get_for_model(type(obj))
        object_id = str(obj.pk)
        object_repr = str(obj) if object_repr is None else object_repr
    return AuditEvent.objects.create(
        actor=user,
        actor_username=user.username if user else "",
        actor_role=getattr(user, "role", "") if user else "",
        channel=current_channel(),
        action=action,
        content_type=content_type,
        object_id=object_id,
        object_repr=(object_repr or "")[:300],
        before=before,
        after=after,
        reason=reason,
        remote_addr=_remote_addr.get(),
    )


def history(obj: models.Model) -> models.QuerySet:
    """The audit events of one object, newest first."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
    ).select_related("actor")
