"""State changes of personal API tokens beyond their issue (core.services.issue_token)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from youse.core import audit
from youse.core.models import ApiToken, AuditEvent


def revoke_token(actor, token: ApiToken, reason: str = "") -> ApiToken:
    """Revoke a token for good: it stops authenticating at once and cannot be restored."""
    with transaction.atomic():
        row = ApiToken.objects.select_for_update().get(pk=token.pk)
        if row.revoked_at is not None:
            raise ValidationError(
                {"token": f"Token {row.key_prefix} was already revoked on {row.revoked_at:%Y-%m-%d}."}
            )
        before = {"token": row.key_prefix, "user": row.user.username, "revoked_at": None}
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
        audit.record(
            actor,
            AuditEvent.Action.TOKEN_REVOKED,
            row,
            before=before,
            after={**before, "revoked_at": row.revoked_at.isoformat()},
            reason=reason or "API token revoked",
        )
    token.revoked_at = row.revoked_at
    return row
