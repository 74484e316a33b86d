"""Sign-in: passwords with throttling, demo personas only while DEBUG, and personal API tokens."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.utils import timezone

from youse.core import audit
from youse.core.models import ApiToken, AuditEvent, User


def _throttle_keys(username: str, remote_addr: str | None) -> list[str]:
    keys = [f"signin:user:{username.lower()}"]
    if remote_addr:
        keys.append(f"signin:addr:{remote_addr}")
    return keys


def sign_in_blocked(username: str, remote_addr: str | None) -> bool:
    limit = settings.YOUSE_LOGIN_ATTEMPTS
    return any((cache.get(k) or 0) >= limit for k in _throttle_keys(username, remote_addr))


def note_failed_sign_in(username: str, remote_addr: str | None) -> None:
    for key in _throttle_keys(username, remote_addr):
        cache.add(key, 0, settings.YOUSE_LOGIN_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.YOUSE_LOGIN_WINDOW_SECONDS)
    audit.record(None, AuditEvent.Action.SIGN_IN_FAILED, object_repr=username[:150], reason="wrong credentials")


def clear_failed_sign_ins(username: str, remote_addr: str | None) -> None:
    cache.delete_many(_throttle_keys(username, remote_addr))


class YouseBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        # The demo personas' password is published in the README: never accept it on a production server.
        if getattr(user, "demo_persona", False) and not settings.DEBUG:
            return False
        return super().user_can_authenticate(user)


def user_for_token(raw: str) -> User | None:
    if not raw or not raw.startswith(ApiToken.PREFIX):
        return None
    token = ApiToken.objects.usable().select_related("user").filter(key_hash=ApiToken.hash(raw)).first()
    if token is None or not token.user.is_active:
        return None
    if token.user.demo_persona and not settings.DEBUG:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
