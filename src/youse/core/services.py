"""State changes of the core app: accounts and API tokens (each with its audit event)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from youse.core import audit
from youse.core.models import ApiToken, AuditEvent, User
from youse.core.roles import Role


def create_user(
    actor,
    username: str,
    role: str,
    *,
    password: str | None = None,
    display_name: str = "",
    division=None,
    unit=None,
    enterprise=None,
    demo_persona: bool = False,
    is_staff: bool = False,
    reason: str = "",
) -> User:
    user = User(
        username=username,
        role=role,
        display_name=display_name,
        division=division,
        unit=unit,
        enterprise=enterprise,
        demo_persona=demo_persona,
        is_staff=is_staff,
    )
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role: {role}"})
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save()
        audit.record(actor, AuditEvent.Action.CREATE, user, after=audit.snapshot(user), reason=reason)
    return user


def issue_token(actor, user: User, name: str = "", valid_days: int | None = None) -> tuple[ApiToken, str]:
    """Create a personal API token; returns the row and the raw token, which is never stored."""
    raw = ApiToken.new_raw_key()
    expires = timezone.now() + dt.timedelta(days=valid_days) if valid_days else None
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, key_prefix=raw[:10], key_hash=ApiToken.hash(raw), expires_at=expires
        )
        audit.record(
            actor,
            AuditEvent.Action.TOKEN,
            user,
            after={"token": token.key_prefix, "name": name, "expires_at": expires.isoformat() if expires else None},
        )
    return token, raw
