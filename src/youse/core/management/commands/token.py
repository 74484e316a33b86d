"""`youse token create|list|revoke`: personal API tokens, sent as `Authorization: Bearer ys_...`.

The raw token is printed once, by `create`, and never stored (only its SHA-256); `list` shows the
prefix by which `revoke` names a token. Every issue and revocation is audited on the CLI channel."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from youse.core import audit
from youse.core.models import ApiToken, AuditEvent, User
from youse.core.services import issue_token
from youse.core.tokens import revoke_token

MAX_DAYS = 3650


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


class Command(BaseCommand):
    help = "Create, list and revoke personal API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,list,revoke}")
        create = actions.add_parser("create", help="Issue a new token for a user and print it once")
        create.add_argument("username")
        create.add_argument("--name", default="", help="What the token is for, e.g. 'nightly export'")
        create.add_argument("--days", type=int, default=None, help="Valid for this many days (default: no expiry)")
        listing = actions.add_parser("list", help="List a user's tokens")
        listing.add_argument("username")
        revoke = actions.add_parser("revoke", help="Revoke a token by its prefix (as shown by list)")
        revoke.add_argument("prefix")
        revoke.add_argument("--reason", default="", help="Why the token is revoked")

    def handle(self, *args, **options) -> None:
        with audit.channel(AuditEvent.Channel.CLI):
            getattr(self, f"handle_{options['action']}")(**options)

    def _user(self, username: str) -> User:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None

    def handle_create(self, username: str, name: str, days: int | None, **_) -> None:
        user = self._user(username)
        if days is not None and not 1 <= days <= MAX_DAYS:
            raise CommandError(f"--days must be between 1 and {MAX_DAYS}.")
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive; a token would not work.")
        if len(name) > ApiToken._meta.get_field("name").max_length:
            raise CommandError("--name is too long (at most 80 characters).")
        _, raw = issue_token(None, user, name=name, valid_days=days)
        # The token alone on stdout, so that scripts can capture it; the advice goes to stderr.
        self.stdout.write(raw)
        self.stderr.write(f"Token for {username}; it is shown only now. Send it as 'Authorization: Bearer <token>'.")

    def handle_list(self, username: str, **_) -> None:
        user = self._user(username)
        tokens = list(ApiToken.objects.filter(user=user).order_by("-created_at", "-pk"))
        if not tokens:
            self.stdout.write(f"{username} has no tokens.")
            return
        now = timezone.now()
        header = ("prefix", "name", "created", "last used", "expires", "revoked")
        rows = [
            (
                t.key_prefix,
                t.name or "—",
                _when(t.created_at),
                _when(t.last_used_at),
                _when(t.expires_at) + (" (expired)" if t.expires_at and t.expires_at <= now else ""),
                _when(t.revoked_at),
            )
            for t in tokens
        ]
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            self.stdout.write("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())

    def handle_revoke(self, prefix: str, reason: str, **_) -> None:
        prefix = prefix.strip()
        if len(prefix) > 12:
            # The whole token was given: find it by its hash.
            matches = list(ApiToken.objects.filter(key_hash=ApiToken.hash(prefix)).select_related("user"))
        else:
            matches = list(ApiToken.objects.filter(key_prefix=prefix).select_related("user"))
        if not matches:
            raise CommandError(f"No token with prefix {prefix!r}.")
        if len(matches) > 1:
            owners = ", ".join(sorted(t.user.username for t in matches))
            raise CommandError(f"Prefix {prefix!r} names {len(matches)} tokens ({owners}); give the whole token.")
        token = matches[0]
        try:
            revoke_token(None, token, reason=reason)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Revoked {token.key_prefix} ({token.user.username}).")
