"""Models of the portal app: the monthly capacity monitoring and early-warning bulletin (三(八)).

A bulletin is one version of one month's document. The department drafts it (the figures are computed
by `bulletin.content.build` and kept in `data`), writes the commentary, and publishes it. A published
version never changes, by any code: the model refuses, and the database refuses an UPDATE of a published
row on both engines (and a DELETE on PostgreSQL; on SQLite the model refuses, for the reason given in
capacity migration 0002). A correction is the next version of the same month, drafted from the published
one (`corrects`), with its note; once published it is the month's current bulletin and the earlier
versions stay readable."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Lookup, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from youse.core.scopes import ScopePaths

MONTH_FORMAT = "%Y-%m"


class BulletinImmutable(Exception):
    """A published bulletin was about to be changed or deleted."""


class _EveryRow(Lookup):
    """`<field>__in_every_scope=<anything>`: true for every row.

    A bulletin is the province's document, not a city's: a city's users read every draft (ScopePaths
    matches a city through a lookup that receives its division; this one ignores it)."""

    lookup_name = "in_every_scope"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IS NOT NULL", params


class _PublishedRow(Lookup):
    """`status__published_only=<anything>`: published rows only, whoever asks (an enterprise reads
    bulletins as the public does)."""

    lookup_name = "published_only"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = %s", [*params, "published"]


class BulletinQuerySet(models.QuerySet):
    def published(self) -> "BulletinQuerySet":
        return self.filter(status=Bulletin.Status.PUBLISHED)

    def drafts(self) -> "BulletinQuerySet":
        return self.filter(status=Bulletin.Status.DRAFT)

    def current_published(self) -> "BulletinQuerySet":
        """Per month, the newest published version (newest month first)."""
        newer = Bulletin.objects.filter(
            month=models.OuterRef("month"), status=Bulletin.Status.PUBLISHED, version__gt=models.OuterRef("version")
        )
        return self.published().exclude(models.Exists(newer)).order_by("-month")

    def update(self, **kwargs):
        if self.published().exists():
            raise BulletinImmutable("published bulletins are never changed; start a correction")
        return super().update(**kwargs)

    def delete(self):
        if self.published().exists():
            raise BulletinImmutable("published bulletins are never deleted; start a correction")
        return super().delete()


class Bulletin(models.Model):
    """One version of the monthly bulletin (产能监测预警月报)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    month = models.DateField(_("month"), help_text=_("The first day of the month the bulletin reports on"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    data = models.JSONField(_("figures"), default=dict, help_text=_("The document's figures as computed"))
    commentary = models.JSONField(
        _("commentary"), default=dict, blank=True, help_text=_("The department's text: overview and per section")
    )
    drafted_at = models.DateTimeField(_("drafted"))
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(pgettext_lazy("bulletin", "published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    correction_note = models.TextField(_("what was corrected"), blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )

    objects = BulletinQuerySet.as_manager()

    # The public and enterprises read published bulletins; the department, provincial units and cities
    # also read drafts (the province's document: every city reads every draft).
    scope = ScopePaths(
        prefecture=("month__in_every_scope",),
        enterprise=("status__published_only",),
        public=Q(status="published"),
    )
    history_labels = {"status": _("status"), "commentary": _("commentary")}

    class Meta:
        verbose_name = _("monthly bulletin")
        verbose_name_plural = _("monthly bulletins")
        ordering = ["-month", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["month", "version"], name="bulletin_month_version_once"),
            models.UniqueConstraint(fields=["month"], condition=Q(status="draft"), name="bulletin_one_draft_a_month"),
            models.CheckConstraint(condition=Q(version__gte=1), name="bulletin_version_positive"),
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(correction_note=""), name="bulletin_correction_has_note"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False), name="bulletin_published_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month_key} v{self.version} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        if not self._state.adding and self._stored_published():
            raise BulletinImmutable("published bulletins are never changed; start a correction")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        if self.is_published:
            return reverse("portal:bulletin-version", args=[self.month_key, self.version])
        return reverse("bulletins:review", args=[self.pk])

    def delete(self, *args, **kwargs):
        if self._stored_published():
            raise BulletinImmutable("published bulletins are never deleted; start a correction")
        return super().delete(*args, **kwargs)

    @property
    def month_key(self) -> str:
        return self.month.strftime(MONTH_FORMAT)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def title(self) -> str:
        # Lists read the title alone (published.current_bulletin_heads): the data stays in the database.
        stored = self.data_title if hasattr(self, "data_title") else (self.data or {}).get("title")
        return str(stored or f"陕西省有色金属行业产能监测预警月报（{self.issue_label}）")

    @property
    def issue_label(self) -> str:
        """第N期: the issue is the month's number in its year (2020年第6期)."""
        return f"{self.month.year}年第{self.month.month}期"

    def _stored_published(self) -> bool:
        return (
            self.pk is not None
            and Bulletin.objects.filter(pk=self.pk, status=self.Status.PUBLISHED).values("pk").exists()
        )


def month_of(text: str) -> dt.date:
    """'2020-06' -> date(2020, 6, 1); ValueError with a plain message otherwise."""
    try:
        return dt.datetime.strptime((text or "").strip(), MONTH_FORMAT).date()
    except ValueError:
        raise ValueError(f"not a month: {text!r} (use YYYY-MM, e.g. 2020-06)") from None


Bulletin._meta.get_field("month").register_lookup(_EveryRow)
Bulletin._meta.get_field("status").register_lookup(_PublishedRow)
