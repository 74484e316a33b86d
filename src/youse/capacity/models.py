"""The electrolytic aluminium capacity ledger (clause 二(七)): indicators, their journal, replacement
schemes with exit lines, objections, dismantling evidence, violations, and the reference tables.

Where a tonne is lives twice: in the append-only journal (LedgerEntry) and in the indicator's holding
columns, which the journal's service function updates in the same transaction. The columns exist so that
the database itself refuses a tonne counted twice: each is CHECKed non-negative and their sum CHECKed
equal to the indicator's tonnes, and claims move tonnes with one conditional UPDATE (capacity/ledger.py).
The journal can always be replayed to give the same columns (tests/capacity/test_ledger.py)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from youse.capacity.rules import BasisKind, Holding, Movement, Route, SchemeState
from youse.core.models.reference import ReferenceRow
from youse.core.scopes import ScopePaths

HOLDING_LABELS = {
    Holding.ACTIVE: _("Active"),
    Holding.AVAILABLE: _("Available"),
    Holding.RESERVED: _("Reserved"),
    Holding.CONSUMED: _("Consumed"),
    Holding.LAPSED: _("Lapsed"),
    Holding.INELIGIBLE: _("Ineligible"),
    Holding.TRANSFERRED_OUT: _("Transferred out"),
}
HOLDING_COLOURS = {
    Holding.ACTIVE: "success",
    Holding.AVAILABLE: "primary",
    Holding.RESERVED: "warning",
    Holding.CONSUMED: "secondary",
    Holding.LAPSED: "dark",
    Holding.INELIGIBLE: "danger",
    Holding.TRANSFERRED_OUT: "info",
}
BASIS_CHOICES = [
    (BasisKind.CLEANUP_2017.value, _("On the 2017 clean-up compliance list")),
    (BasisKind.BUILT_COMPLIANT.value, _("Built compliantly from October 2017")),
    (BasisKind.ELIMINATION.value, _("Closed, in an elimination announcement")),
    (BasisKind.REPLACEMENT.value, _("Built under an approved replacement scheme")),
    (BasisKind.TRANSFER_IN.value, _("Transferred in from another province")),
    (BasisKind.NONE.value, _("No compliance basis")),
]
MOVEMENT_CHOICES = [
    (Movement.REGISTER.value, _("Registered")),
    (Movement.TRANSFER_IN.value, _("Transferred in")),
    (Movement.CLOSE.value, _("Unit closed")),
    (Movement.REOPEN.value, _("Unit restarted")),
    (Movement.RESERVE.value, _("Reserved by a scheme")),
    (Movement.RELEASE.value, _("Released")),
    (Movement.CONSUME.value, _("Consumed by an approved scheme")),
    (Movement.CUT.value, _("Cut by an upheld objection")),
    (Movement.DISQUALIFY.value, _("Found ineligible")),
    (Movement.LAPSE.value, _("Lapsed")),
    (Movement.TRANSFER_OUT.value, _("Transferred out")),
]
HOLDING_CHOICES = [(h.value, label) for h, label in HOLDING_LABELS.items()]
STATE_LABELS = {
    SchemeState.DRAFT: _("Draft"),
    SchemeState.SUBMITTED: _("Submitted"),
    SchemeState.NOTICE: _("In public notice"),
    SchemeState.REVIEW: _("Under review"),
    SchemeState.APPROVED: pgettext_lazy("scheme", "Approved"),
    SchemeState.ANNOUNCED: _("Announced"),
    SchemeState.REJECTED: _("Rejected"),
    SchemeState.WITHDRAWN: _("Withdrawn"),
}
STATE_COLOURS = {
    SchemeState.DRAFT: "secondary",
    SchemeState.SUBMITTED: "info",
    SchemeState.NOTICE: "warning",
    SchemeState.REVIEW: "primary",
    SchemeState.APPROVED: "success",
    SchemeState.ANNOUNCED: "success",
    SchemeState.REJECTED: "danger",
    SchemeState.WITHDRAWN: "dark",
}
# How the audit trail's non-field keys read on object pages (core/history.py).
HISTORY_LABELS = {
    "event": _("event"),
    "reserved_t": _("tonnes reserved"),
    "released_t": _("tonnes released"),
    "consumed_t": _("tonnes consumed"),
    "cut_t": _("tonnes cut"),
    "cut_tonnes": _("tonnes found ineligible"),
    "round": _("notice round"),
    "new_indicator": _("new capacity indicator"),
    "unit": _("production unit"),
    "exit_lines": _("exit lines"),
    "files": _("files"),
    "due": _("dismantling due"),
    **{h.value: HOLDING_LABELS[h] for h in Holding},
}
HISTORY_EVENTS = {
    "submit": _("Submitted: exit tonnes reserved"),
    "publish": _("Published for public notice"),
    "notice_ended": _("Public notice ended"),
    "sent_back": _("Sent back by an upheld objection"),
    "approve": _("Approved"),
    "reject": _("Rejected"),
    "withdraw": _("Withdrawn"),
    "announce": _("Announced"),
    "upheld": _("Objection upheld"),
    "dismissed": _("Objection dismissed"),
    "dismantled": _("Dismantling confirmed"),
    "dismantling_overdue": _("Dismantling overdue"),
    **{m: label for m, label in MOVEMENT_CHOICES},
}


ROUTE_CHOICES = [
    (Route.OWN.value, _("The applicant's own closed capacity")),
    (Route.PURCHASE.value, _("Bought from another enterprise")),
    (Route.INTRA_GROUP.value, _("Transferred within the group")),
    (Route.MERGER.value, _("From a merger or acquisition")),
    (Route.CROSS_PROVINCE.value, _("From another province")),
]


class CapacityIndicator(models.Model):
    """产能指标: a quantity of electrolytic aluminium capacity with its origin, basis and owner."""

    history_labels = HISTORY_LABELS
    history_values = {"event": HISTORY_EVENTS}

    code = models.CharField(_("code"), max_length=40, unique=True)
    tonnes = models.PositiveBigIntegerField(_("capacity (t/yr)"), help_text=_("Design capacity in the filing document"))
    owner = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("owner"), on_delete=models.PROTECT, related_name="capacity_indicators"
    )
    unit = models.ForeignKey(
        "registry.ProductionUnit",
        verbose_name=_("production unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="capacity_indicators",
        help_text=_("The electrolysis line this capacity came from or runs"),
    )
    origin_province = models.CharField(
        _("origin province"), max_length=40, blank=True, help_text=_("Blank: this province")
    )
    origin_enterprise = models.CharField(
        _("origin enterprise"), max_length=120, blank=True, help_text=_("For capacity from another province")
    )
    origin_equipment = models.CharField(_("origin equipment"), max_length=120, blank=True)
    origin_document = models.CharField(_("filing / approval document"), max_length=200)
    basis = models.CharField(_("compliance basis"), max_length=20, choices=BASIS_CHOICES)
    basis_reference = models.CharField(
        _("basis reference"), max_length=200, blank=True, help_text=_("The list, announcement or scheme that proves it")
    )
    built_on = models.DateField(_("date built"), null=True, blank=True)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    announced = models.BooleanField(_("in an elimination announcement"), default=False)
    use_by = models.DateField(_("use by"), null=True, blank=True, help_text=_("Unused tonnes lapse after this date"))
    elimination_deadline = models.DateField(_("elimination deadline"), null=True, blank=True)
    transfer_reference = models.CharField(
        _("transfer announcement"), max_length=200, blank=True, help_text=_("The other province's announcement")
    )
    scheme = models.ForeignKey(
        "capacity.ReplacementScheme",
        verbose_name=_("created by scheme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="created_indicators",
    )
    note = models.TextField(_("note"), blank=True)
    # The holdings: written only by capacity.ledger.move(), in the same transaction as the journal entry.
    active_t = models.PositiveBigIntegerField(_("active (t)"), default=0)
    available_t = models.PositiveBigIntegerField(_("available (t)"), default=0)
    reserved_t = models.PositiveBigIntegerField(_("reserved (t)"), default=0)
    consumed_t = models.PositiveBigIntegerField(_("consumed (t)"), default=0)
    lapsed_t = models.PositiveBigIntegerField(_("lapsed (t)"), default=0)
    ineligible_t = models.PositiveBigIntegerField(_("ineligible (t)"), default=0)
    transferred_out_t = models.PositiveBigIntegerField(_("transferred out (t)"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    HOLDING_FIELDS = {h: f"{h.value}_t" for h in Holding}

    scope = ScopePaths(
        prefecture=("owner__division__prefecture", "unit__plant__division__prefecture"), enterprise=("owner",)
    )

    class Meta:
        verbose_name = _("capacity indicator (产能指标)")
        verbose_name_plural = _("capacity indicators")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(tonnes__gt=0), name="indicator_tonnes_positive"),
            # Every tonne is in exactly one holding: no tonne counted twice, none lost.
            models.CheckConstraint(
                condition=Q(
                    tonnes=F("active_t")
                    + F("available_t")
                    + F("reserved_t")
                    + F("consumed_t")
                    + F("lapsed_t")
                    + F("ineligible_t")
                    + F("transferred_out_t")
                )
                | Q(
                    # Only while the registering transaction has not yet written its first entry.
                    active_t=0,
                    available_t=0,
                    reserved_t=0,
                    consumed_t=0,
                    lapsed_t=0,
                    ineligible_t=0,
                    transferred_out_t=0,
                ),
                name="indicator_holdings_balance",
            ),
            models.CheckConstraint(
                condition=~Q(basis="transfer_in") | ~Q(transfer_reference=""), name="indicator_transfer_cited"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.tonnes:,} t)"

    def held(self, holding: Holding) -> int:
        return getattr(self, self.HOLDING_FIELDS[Holding(holding)])

    @property
    def holdings(self) -> list[dict]:
        """Non-empty holdings with their labels and colours, for pages."""
        return [
            {"code": h.value, "label": HOLDING_LABELS[h], "colour": HOLDING_COLOURS[h], "tonnes": self.held(h)}
            for h in Holding
            if self.held(h)
        ]

    @property
    def state(self) -> str:
        """The holding of all its tonnes, or "mixed" when they are split."""
        held = [h for h in Holding if self.held(h)]
        return held[0].value if len(held) == 1 else ("mixed" if held else "")


class AppendOnly(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("capacity ledger entries are append-only")

    def delete(self):
        raise TypeError("capacity ledger entries are append-only")


class LedgerEntry(models.Model):
    """One movement of tonnes between holdings. Append-only: the database refuses updates (and deletes
    on PostgreSQL; triggers in migration 0002), so the journal is the history, not a copy of it."""

    indicator = models.ForeignKey(
        CapacityIndicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="entries"
    )
    seq = models.PositiveIntegerField(_("sequence"))
    kind = models.CharField(_("movement"), max_length=20, choices=MOVEMENT_CHOICES)
    source = models.CharField(_("from"), max_length=20, choices=HOLDING_CHOICES, blank=True)
    target = models.CharField(_("to"), max_length=20, choices=HOLDING_CHOICES)
    tonnes = models.PositiveBigIntegerField(_("tonnes"))
    scheme = models.ForeignKey(
        "capacity.ReplacementScheme",
        verbose_name=_("scheme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    exit_line = models.ForeignKey(
        "capacity.ExitLine", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    effective_on = models.DateField(_("effective"))
    document = models.CharField(_("document"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = AppendOnly.as_manager()

    scope = ScopePaths(
        prefecture=("indicator__owner__division__prefecture", "indicator__unit__plant__division__prefecture"),
        enterprise=("indicator__owner",),
    )

    class Meta:
        verbose_name = _("ledger entry (台账分录)")
        verbose_name_plural = _("ledger entries")
        ordering = ["indicator", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "seq"], name="ledger_entry_seq"),
            models.CheckConstraint(condition=Q(tonnes__gt=0), name="ledger_entry_tonnes_positive"),
            models.CheckConstraint(condition=~Q(source=F("target")), name="ledger_entry_moves"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} #{self.seq}: {self.source or '+'} → {self.target} {self.tonnes:,} t"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise TypeError("capacity ledger entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("capacity ledger entries are append-only")


class ReplacementScheme(models.Model):
    """产能置换方案: a new line (the applicant's) and the exit lines whose capacity replaces it."""

    history_labels = HISTORY_LABELS
    history_values = {"event": HISTORY_EVENTS}

    STATE_LABELS = STATE_LABELS
    STATE_COLOURS = STATE_COLOURS

    code = models.CharField(_("number"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    applicant = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="capacity_schemes"
    )
    plant = models.ForeignKey(
        "registry.Plant",
        verbose_name=_("plant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="capacity_schemes",
        help_text=_("The applicant's plant where the new line is built; blank for a new site"),
    )
    site = models.CharField(_("site"), max_length=200)
    division = models.ForeignKey(
        "core.Division", verbose_name=_("destination division"), on_delete=models.PROTECT, related_name="+"
    )
    main_equipment = models.CharField(_("main equipment"), max_length=120, help_text=_('For example "500kA×256"'))
    capacity_t = models.PositiveBigIntegerField(_("new capacity (t/yr)"))
    energy_kwh_per_t = models.DecimalField(
        _("design AC consumption (kWh/t Al)"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    planned_start = models.DateField(_("planned construction start"), null=True, blank=True)
    planned_production = models.DateField(_("planned production"), null=True, blank=True)
    route = models.CharField(_("route"), max_length=20, choices=ROUTE_CHOICES, default=Route.OWN.value)
    state = models.CharField(
        _("state"), max_length=12, choices=[(s.value, label) for s, label in STATE_LABELS.items()], default="draft"
    )
    contact = models.CharField(
        _("objection contact"), max_length=200, blank=True, help_text=_("Address and telephone for objections")
    )
    check_report = models.JSONField(_("last rule check"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    notice_start = models.DateField(_("notice from"), null=True, blank=True)
    notice_end = models.DateField(_("notice until"), null=True, blank=True)
    notice_round = models.PositiveSmallIntegerField(_("notice round"), default=0)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_document = models.CharField(_("decision document"), max_length=200, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    announced_at = models.DateTimeField(_("announced"), null=True, blank=True)
    announcement_document = models.CharField(_("announcement"), max_length=200, blank=True)
    returned_reason = models.TextField(_("sent back because"), blank=True)
    new_unit = models.ForeignKey(
        "registry.ProductionUnit",
        verbose_name=_("new unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Public means published (principle 7): once in notice, the scheme and its tables stay public.
    scope = ScopePaths(
        prefecture=("division__prefecture", "applicant__division__prefecture"),
        enterprise=("applicant",),
        public=Q(published_at__isnull=False),
    )

    class Meta:
        verbose_name = _("replacement scheme (产能置换方案)")
        verbose_name_plural = _("replacement schemes")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(capacity_t__gt=0), name="scheme_capacity_positive")]
        indexes = [models.Index(fields=["state", "notice_end"], name="scheme_state_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def state_label(self) -> str:
        return self.STATE_LABELS[SchemeState(self.state)]

    @property
    def state_colour(self) -> str:
        return self.STATE_COLOURS[SchemeState(self.state)]

    @property
    def exit_tonnes(self) -> int:
        return sum(line.tonnes for line in self.exit_lines.all())


class ExitLine(models.Model):
    """One line of the exit side: the indicator whose tonnes replace the new capacity, and its dismantling."""

    history_labels = HISTORY_LABELS
    history_values = {"event": HISTORY_EVENTS}

    class Status(models.TextChoices):
        PLANNED = "planned", _("Not yet reserved")
        RESERVED = "reserved", _("Reserved")
        CONSUMED = "consumed", _("Consumed")
        RELEASED = "released", _("Released")

    scheme = models.ForeignKey(
        ReplacementScheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="exit_lines"
    )
    indicator = models.ForeignKey(
        CapacityIndicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="exit_lines"
    )
    tonnes = models.PositiveBigIntegerField(_("converted capacity (t/yr)"))
    equipment = models.CharField(_("main equipment"), max_length=120, blank=True)
    acquisition_document = models.CharField(
        _("merger / acquisition document"), max_length=200, blank=True, help_text=_("For the merger route")
    )
    dismantling_start = models.DateField(_("dismantling starts"), null=True, blank=True)
    dismantling_due = models.DateField(_("dismantling completed by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    # The tonnes this line holds reserved right now: moved with the ledger, in the same transaction.
    reserved_t = models.PositiveBigIntegerField(_("reserved (t)"), default=0)
    dismantled_on = models.DateField(_("dismantled on"), null=True, blank=True)
    dismantling_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismantling_note = models.TextField(_("dismantling note"), blank=True)
    overdue_since = models.DateField(_("dismantling overdue since"), null=True, blank=True)

    scope = ScopePaths(
        prefecture=(
            "scheme__division__prefecture",
            "scheme__applicant__division__prefecture",
            "indicator__owner__division__prefecture",
        ),
        enterprise=("scheme__applicant", "indicator__owner"),
        public=Q(scheme__published_at__isnull=False),
    )

    class Meta:
        verbose_name = _("exit line (退出产能)")
        verbose_name_plural = _("exit lines")
        ordering = ["scheme", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "indicator"], name="exit_line_indicator_once"),
            models.CheckConstraint(condition=Q(tonnes__gt=0), name="exit_line_tonnes_positive"),
            models.CheckConstraint(condition=Q(reserved_t__lte=F("tonnes")), name="exit_line_reserved_within"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.code}: {self.indicator.code} {self.tonnes:,} t"

    @property
    def region(self) -> str:
        ind = self.indicator
        if ind.origin_province:
            return ind.origin_province
        division = ind.unit.plant.division if ind.unit_id else ind.owner.division
        return str(division)

    @property
    def enterprise_name(self) -> str:
        return self.indicator.origin_enterprise or self.indicator.owner.name


def evidence_path(instance: "DismantlingEvidence", filename: str) -> str:
    # The stored name is the content hash: an uploaded name never reaches the file system.
    return f"capacity/dismantling/{instance.exit_line_id}/{instance.sha256}{instance.extension}"


class DismantlingEvidence(models.Model):
    """A photo or document with which a city inspector confirms that an exit line was dismantled."""

    exit_line = models.ForeignKey(ExitLine, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=60)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    scope = ScopePaths(
        prefecture=("exit_line__scheme__division__prefecture", "exit_line__indicator__owner__division__prefecture"),
        enterprise=("exit_line__scheme__applicant", "exit_line__indicator__owner"),
    )

    class Meta:
        verbose_name = _("dismantling evidence (拆除证明)")
        verbose_name_plural = _("dismantling evidence")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Objection(models.Model):
    """异议: filed by anyone during the notice; the department records its finding."""

    history_labels = HISTORY_LABELS
    history_values = {"event": HISTORY_EVENTS}

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    scheme = models.ForeignKey(
        ReplacementScheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="objections"
    )
    notice_round = models.PositiveSmallIntegerField(_("notice round"), default=1)
    name = models.CharField(_("name"), max_length=60)
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    contact = models.CharField(_("contact (phone or e-mail)"), max_length=120)
    text = models.TextField(_("objection"), max_length=5000)
    filed_at = models.DateTimeField(_("filed"), auto_now_add=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    finding = models.TextField(_("finding"), blank=True)
    cut_line = models.ForeignKey(
        ExitLine, verbose_name=_("exit line cut"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cut_tonnes = models.PositiveBigIntegerField(_("tonnes found ineligible"), default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    # Objectors' names and contacts are not public: the department and the applicant's regulators see them.
    scope = ScopePaths(prefecture=("scheme__division__prefecture",), enterprise=("scheme__applicant",))

    class Meta:
        verbose_name = _("objection (异议)")
        verbose_name_plural = _("objections")
        ordering = ["filed_at", "id"]

    def __str__(self) -> str:
        return f"{self.scheme.code}: {self.name} ({self.filed_at:%Y-%m-%d})" if self.filed_at else self.name

    @staticmethod
    def identity_visible_to(user) -> bool:
        """Who objected is for the regulators only: the applicant reads the objection and the finding, not
        the objector's name, organisation or contact, so that objecting costs nobody a business relation."""
        from youse.core.roles import Role

        return getattr(user, "is_authenticated", False) and user.role in (
            Role.DEPARTMENT,
            Role.PROVINCIAL_UNIT,
            Role.CITY,
        )


class CapacityViolation(models.Model):
    """A case for the department: capacity that the ledger does not cover, or an exit line still producing."""

    class Kind(models.TextChoices):
        UNCOVERED_UNIT = "uncovered_unit", _("Electrolysis capacity not covered by the ledger")
        OUTPUT_ABOVE_LEDGER = "output_above_ledger", _("Output above the capacity the ledger covers")
        PRODUCING_AFTER_DISMANTLING = "producing_after_dismantling", _("Exit line producing after its dismantling date")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    key = models.CharField(max_length=120, unique=True, help_text="kind:object:period, so detection is idempotent")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "registry.ProductionUnit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    exit_line = models.ForeignKey(ExitLine, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("period"), null=True, blank=True)
    tonnes = models.DecimalField(_("tonnes beyond the ledger"), max_digits=14, decimal_places=1, default=0)
    detail = models.TextField(_("detail"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    first_detected_at = models.DateTimeField(_("first detected"))
    last_detected_at = models.DateTimeField(_("last detected"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    scope = ScopePaths(prefecture=("enterprise__division__prefecture", "unit__plant__division__prefecture"))

    class Meta:
        verbose_name = _("capacity violation (违规产能)")
        verbose_name_plural = _("capacity violations")
        ordering = ["status", "-first_detected_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.enterprise}"


# --- Reference tables (principle 3) -----------------------------------------------------------------


class ReplacementRatio(ReferenceRow):
    """The replacement ratio required for new capacity in a region during a period (FACTS.md)."""

    region_name = models.CharField(_("region"), max_length=60)
    divisions = models.ManyToManyField(
        "core.Division",
        verbose_name=_("divisions"),
        blank=True,
        related_name="+",
        help_text=_("Empty: the whole province"),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    min_ratio = models.DecimalField(_("minimum ratio (exited ÷ new)"), max_digits=4, decimal_places=2, default=1)
    no_new_capacity = models.BooleanField(_("no new capacity at all"), default=False)

    class Meta:
        verbose_name = _("replacement ratio (置换比例)")
        verbose_name_plural = _("replacement ratios")
        ordering = ["region_name", "valid_from"]
        constraints = [models.CheckConstraint(condition=Q(min_ratio__gte=1), name="ratio_at_least_one")]

    def __str__(self) -> str:
        return f"{self.region_name} {self.valid_from}: {'—' if self.no_new_capacity else f'≥ {self.min_ratio}'}"


class EnergyThreshold(ReferenceRow):
    """The highest AC consumption a new electrolysis line may be designed for, by date."""

    measure = models.CharField(_("measure"), max_length=40, default="铝液交流电耗")
    max_kwh_per_t = models.DecimalField(_("maximum (kWh/t)"), max_digits=7, decimal_places=1)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("energy threshold for new lines (能效门槛)")
        verbose_name_plural = _("energy thresholds for new lines")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return f"{self.measure} ≤ {self.max_kwh_per_t} kWh/t from {self.valid_from}"


class CalendarDay(ReferenceRow):
    """A public holiday or an adjusted working day (调休); other days follow the week."""

    date = models.DateField(_("date"), unique=True)
    working = models.BooleanField(_("working day"), help_text=_("Ticked: an adjusted working day; unticked: a holiday"))
    name = models.CharField(_("name"), max_length=40)

    class Meta:
        verbose_name = _("holiday or adjusted working day (节假日)")
        verbose_name_plural = _("holidays and adjusted working days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class NationalCapacityFigure(ReferenceRow):
    """The national ceiling and totals, shown beside the province's ledger for reference."""

    as_of = models.DateField(_("as of"))
    ceiling_t = models.PositiveBigIntegerField(_("national ceiling (t/yr)"))
    built_t = models.PositiveBigIntegerField(_("built (t/yr)"), null=True, blank=True)
    running_t = models.PositiveBigIntegerField(_("running (t/yr)"), null=True, blank=True)

    class Meta:
        verbose_name = _("national capacity figure (全国产能)")
        verbose_name_plural = _("national capacity figures")
        ordering = ["-as_of"]

    def __str__(self) -> str:
        return f"{self.as_of}: {self.ceiling_t:,} t"
