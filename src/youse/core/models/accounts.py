"""Users with a role and a scope, and personal API tokens."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from youse.core.roles import Role


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PUBLIC)
    # The scope: one of these is set according to the role (see clean()).
    division = models.ForeignKey(
        "core.Division",
        verbose_name=_("division"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("For city users: the city (or zone) they act for"),
    )
    unit = models.ForeignKey(
        "core.ResponsibleUnit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("For provincial units: the unit they act for"),
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    # Demo personas share a published password; they may sign in only while DEBUG is on.
    demo_persona = models.BooleanField(_("demo persona"), default=False)

    class Meta:
        verbose_name = _("user (用户)")
        verbose_name_plural = _("users")

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.role == Role.CITY and (self.division_id is None or not self.division.is_city_scope):
            errors["division"] = _("A city user needs a city-level division as scope.")
        if self.role == Role.PROVINCIAL_UNIT and self.unit_id is None:
            errors["unit"] = _("A provincial-unit user needs a responsible unit as scope.")
        if self.role == Role.ENTERPRISE and self.enterprise_id is None:
            errors["enterprise"] = _("An enterprise user needs an enterprise as scope.")
        if errors:
            raise ValidationError(errors)

    @property
    def label(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def scope_label(self) -> str:
        if self.role == Role.CITY and self.division_id:
            return str(self.division)
        if self.role == Role.PROVINCIAL_UNIT and self.unit_id:
            return str(self.unit)
        if self.role == Role.ENTERPRISE and self.enterprise_id:
            return str(self.enterprise)
        if self.role == Role.DEPARTMENT:
            return str(_("Province"))
        return ""


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> "ApiTokenQuerySet":
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token itself is shown once at creation."""

    PREFIX = "ys_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=80, blank=True)
    key_prefix = models.CharField(_("key prefix"), max_length=12)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token (接口令牌)")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.key_prefix}… ({self.user.username})"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def new_raw_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)
