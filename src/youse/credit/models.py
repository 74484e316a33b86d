"""The list of backbone enterprises eligible for credit support (clause 三(五)).

Criteria are reference data (principle 3): each names an evaluator kind of credit.rules with its
parameters, a label and the policy basis; the department edits them in the admin. An edition of the list
is derived as of a date from the registry, inspections, orders, closures, monitoring alarms, the capacity
ledger and the accepted monthly reports: one entry per enterprise, included or excluded, with every
criterion's result and reason and the facts they were judged on, frozen on the entry. The department may
override an entry with a written reason while the edition is a draft; publishing makes it final, and a
later edition of the same year supersedes it (the only way to take an enterprise off a published list)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from youse.core.models.reference import ReferenceRow
from youse.core.scopes import ScopePaths
from youse.credit import rules

KIND_LABELS = {
    rules.Kind.IN_BUSINESS: _("In business (registry status)"),
    rules.Kind.BACKBONE: _("Backbone enterprise: revenue of the last full year, or a key group"),
    rules.Kind.INSPECTION_PASSED: _("Passed its latest inspection (meets the industry norms)"),
    rules.Kind.NO_OPEN_ORDER: _("No open rectification order"),
    rules.Kind.NO_EXCEEDANCE: _("No exceedance alarm in the last months"),
    rules.Kind.NO_CAPACITY_VIOLATION: _("No open capacity violation"),
    rules.Kind.NO_CLOSURE: _("Not in a decided or executed closure"),
}

HISTORY_LABELS = {
    "event": _("event"),
    "included": _("included"),
    "reason": _("reason"),
    "document": _("publication document"),
    "entries": _("enterprises"),
    "included_count": _("included"),
    "superseded_by": _("superseded by"),
    "as_of": _("facts as of"),
}
HISTORY_VALUES = {
    "event": {
        "derived": _("Derived"),
        "rederived": _("Derived again"),
        "published": _("Published"),
        "superseded": _("Superseded"),
        "overridden": _("Overridden"),
        "override_cleared": _("Override removed"),
    },
}


class Criterion(ReferenceRow):
    """One condition an enterprise must meet to be listed (e.g. 无未整改完毕的整改通知)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(
        _("evaluator"), max_length=30, choices=[(k.value, label) for k, label in KIND_LABELS.items()]
    )
    params = models.JSONField(
        _("parameters"),
        default=dict,
        blank=True,
        help_text=_('For example {"min_revenue_yi": 10} for revenue, {"months": 12} for exceedance alarms'),
    )
    label = models.CharField(_("label"), max_length=120)
    label_en = models.CharField(_("English label"), max_length=160, blank=True)
    basis = models.CharField(
        _("policy basis"), max_length=300, help_text=_("The clause or norm this criterion applies")
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("eligibility criterion (入选条件)")
        verbose_name_plural = _("eligibility criteria")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    def clean(self) -> None:
        problems = rules.check_params(self.kind, self.params)
        if problems:
            raise ValidationError({"params": problems})

    def as_rule(self) -> rules.Rule:
        return rules.Rule(self.code, self.kind, dict(self.params or {}))


class Edition(models.Model):
    """One edition of a year's list (e.g. 2020年度有色金属行业信贷支持骨干企业名单, first edition)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")

    history_labels = HISTORY_LABELS
    history_values = HISTORY_VALUES

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("edition"))
    title = models.CharField(_("title"), max_length=160)
    as_of = models.DateField(_("facts as of"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # The criteria as they were applied: [{code, kind, params, label, basis}], in order.
    criteria = models.JSONField(_("criteria applied"), default=list)
    note = models.TextField(_("note"), blank=True)
    derived_at = models.DateTimeField(_("derived"))
    derived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    document = models.CharField(_("publication document"), max_length=120, blank=True)
    published_at = models.DateTimeField(pgettext_lazy("credit list", "published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )

    # A city reaches an edition through its enterprises' entries, an enterprise through its own; the
    # public sees published editions (and, through Entry.scope, their included enterprises only).
    scope = ScopePaths(prefecture=("entries__city",), enterprise=("entries__enterprise",), public=Q(status="published"))

    class Meta:
        verbose_name = _("credit support list edition (信贷支持名单)")
        verbose_name_plural = _("credit support list editions")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="credit_edition_number_once"),
            models.UniqueConstraint(
                fields=["year"], condition=Q(status="published"), name="credit_one_published_edition_per_year"
            ),
            models.UniqueConstraint(
                fields=["year"], condition=Q(status="draft"), name="credit_one_draft_edition_per_year"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False), name="credit_published_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）"

    @property
    def is_final(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def status_colour(self) -> str:
        return {"draft": "secondary", "published": "success", "superseded": "light"}[self.status]


class Entry(models.Model):
    """One enterprise in one edition: included or excluded, with every criterion's result and reason."""

    history_labels = HISTORY_LABELS
    history_values = HISTORY_VALUES

    edition = models.ForeignKey(Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="entries")
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="credit_entries"
    )
    # As the registry named them when the edition was derived.
    name = models.CharField(_("name"), max_length=120)
    credit_code = models.CharField(_("unified social credit code"), max_length=18)
    city = models.ForeignKey(
        "core.Division", verbose_name=_("city"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    metal = models.ForeignKey(
        "core.Metal", verbose_name=_("main metal"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    derived_included = models.BooleanField(_("meets every criterion"))
    included = models.BooleanField(_("included"))
    # [{code, label, basis, passed, reason}] in the criteria's order.
    results = models.JSONField(_("results"), default=list)
    facts = models.JSONField(_("facts"), default=dict)
    # ",code,code," of the failed criteria, for filtering on either database.
    failed = models.CharField(_("failed criteria"), max_length=400, blank=True)
    override_included = models.BooleanField(_("included by override"), null=True, blank=True)
    override_reason = models.TextField(_("why overridden"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overridden_at = models.DateTimeField(_("overridden"), null=True, blank=True)

    scope = ScopePaths(
        prefecture=("city",),
        enterprise=("enterprise",),
        public=Q(edition__status="published", included=True),
    )

    class Meta:
        verbose_name = _("credit support list entry (名单条目)")
        verbose_name_plural = _("credit support list entries")
        ordering = ["edition", "-included", "city__code", "name"]
        constraints = [models.UniqueConstraint(fields=["edition", "enterprise"], name="credit_entry_once")]
        indexes = [models.Index(fields=["edition", "included"], name="credit_entry_included_idx")]

    def __str__(self) -> str:
        return f"{self.edition} · {self.name}"

    @property
    def overridden(self) -> bool:
        return self.override_included is not None

    def failed_codes(self) -> list[str]:
        return [c for c in self.failed.split(",") if c]
