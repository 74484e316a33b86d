"""Models of the cooperation app: overseas projects of the province's enterprises (二(六)).

A project belongs to one registry enterprise; a city sees the projects of its enterprises, an enterprise
its own. The host countries are reference data (principle 3). Amounts are in 万美元 (USD 10,000): the
unit travels in every label and in the API's field names."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from youse.cooperation.rules import Filing, Mode, Risk, Status
from youse.core.models.reference import BilingualName, ReferenceRow
from youse.core.scopes import ScopePaths

CURRENCY = "USD"
AMOUNT_UNIT = "万美元"

MODE_LABELS = {
    Mode.HOLDING: _("Holding control (控股)"),
    Mode.STAKE: _("Taking a stake (参股)"),
    Mode.ACQUISITION: _("Acquisition (收购)"),
    Mode.SHARE_SWAP: _("Share swap (股权置换)"),
}
MODE_COLOURS = {Mode.HOLDING: "#0f3c78", Mode.STAKE: "#2f7ed8", Mode.ACQUISITION: "#d9822b", Mode.SHARE_SWAP: "#3fa66b"}
FILING_LABELS = {
    Filing.DRAFT: _("Draft"),
    Filing.SUBMITTED: _("Submitted"),
    Filing.RETURNED: _("Returned"),
    Filing.FILED: pgettext_lazy("overseas project", "Filed (备案登记)"),
}
FILING_COLOURS = {
    Filing.DRAFT: "secondary",
    Filing.SUBMITTED: "info",
    Filing.RETURNED: "warning",
    Filing.FILED: "success",
}
STATUS_LABELS = {
    Status.PLANNED: pgettext_lazy("overseas project", "Planned"),
    Status.APPROVED: _("Approved (境外投资备案)"),
    Status.CONSTRUCTION: _("Under construction"),
    Status.OPERATING: pgettext_lazy("overseas project", "Operating"),
    Status.SUSPENDED: _("Suspended"),
    Status.EXITED: _("Exited"),
}
STATUS_COLOURS = {
    Status.PLANNED: "secondary",
    Status.APPROVED: "info",
    Status.CONSTRUCTION: "primary",
    Status.OPERATING: "success",
    Status.SUSPENDED: "warning",
    Status.EXITED: "dark",
}
RISK_LABELS = {
    Risk.LOW: pgettext_lazy("risk level", "Low"),
    Risk.MEDIUM: pgettext_lazy("risk level", "Medium"),
    Risk.HIGH: pgettext_lazy("risk level", "High"),
}
RISK_COLOURS = {Risk.LOW: "success", Risk.MEDIUM: "warning", Risk.HIGH: "danger"}

MODE_CHOICES = [(m.value, label) for m, label in MODE_LABELS.items()]
FILING_CHOICES = [(f.value, label) for f, label in FILING_LABELS.items()]
STATUS_CHOICES = [(s.value, label) for s, label in STATUS_LABELS.items()]
RISK_CHOICES = [(r.value, label) for r, label in RISK_LABELS.items()]

HISTORY_EVENTS = {
    "submitted": _("Submitted for filing"),
    "filed": pgettext_lazy("overseas project", "Filed (备案登记)"),
    "returned": _("Returned"),
    "progress": _("Progress reported"),
    "reviewed": _("Annual review recorded"),
    "flagged": _("Flagged for attention"),
    "unflagged": _("Flag removed"),
}
HISTORY_LABELS = {
    "event": _("event"),
    "on": _("date"),
    "note": _("note"),
    "reason": _("reason"),
    "year": _("year"),
    "partners": _("partners"),
}
HISTORY_VALUES = {
    "event": HISTORY_EVENTS,
    "status": {s.value: label for s, label in STATUS_LABELS.items()},
    "filing": {f.value: label for f, label in FILING_LABELS.items()},
    "risk_level": {r.value: label for r, label in RISK_LABELS.items()},
}


class Country(BilingualName, ReferenceRow):
    """A host country (ISO 3166-1 alpha-2) the province's enterprises deal with."""

    code = models.CharField(_("ISO 3166 code"), max_length=2, unique=True)
    region = models.CharField(_("region"), max_length=20, blank=True)
    belt_and_road = models.BooleanField(_("Belt and Road partner"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("host country (东道国)")
        verbose_name_plural = _("host countries")
        ordering = ["order", "code"]


def _amount(label) -> models.DecimalField:
    return models.DecimalField(label, max_digits=14, decimal_places=2, null=True, blank=True)


class OverseasProject(models.Model):
    """An overseas investment project (境外投资项目) of one enterprise: its registration with the
    department, its life cycle, its money, partners and risks."""

    history_labels = HISTORY_LABELS
    history_values = HISTORY_VALUES

    code = models.CharField(_("number"), max_length=20, unique=True)
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="overseas_projects"
    )
    name = models.CharField(_("project name"), max_length=160)
    country = models.ForeignKey(Country, verbose_name=_("host country"), on_delete=models.PROTECT, related_name="+")
    location = models.CharField(_("location in the host country"), max_length=160, blank=True)
    metal = models.ForeignKey("core.Metal", verbose_name=_("metal"), on_delete=models.PROTECT, related_name="+")
    stage = models.ForeignKey(
        "core.ValueChainStage", verbose_name=_("value-chain stage"), on_delete=models.PROTECT, related_name="+"
    )
    mode = models.CharField(_("investment mode"), max_length=12, choices=MODE_CHOICES)
    equity_share = models.DecimalField(_("equity share (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default=CURRENCY, editable=False)
    total_investment = _amount(_("total investment (万美元)"))
    chinese_investment = _amount(_("Chinese-side investment (万美元)"))
    invested = models.DecimalField(_("invested to date (万美元)"), max_digits=14, decimal_places=2, default=0)
    product = models.CharField(_("product"), max_length=80, blank=True)
    capacity = models.DecimalField(_("capacity (t/a)"), max_digits=12, decimal_places=0, null=True, blank=True)
    signed_on = models.DateField(_("agreement signed"), null=True, blank=True)
    construction_started_on = models.DateField(_("construction started"), null=True, blank=True)
    operation_started_on = models.DateField(_("operation started"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=STATUS_CHOICES, default=Status.PLANNED.value)
    status_since = models.DateField(_("status since"), null=True, blank=True)
    ndrc_filing_no = models.CharField(
        _("NDRC filing number (发改委备案)"),
        max_length=80,
        blank=True,
        help_text=_("境外投资项目备案通知书 of the development and reform commission"),
    )
    mofcom_certificate_no = models.CharField(
        _("MOFCOM certificate number (商务厅)"),
        max_length=80,
        blank=True,
        help_text=_("企业境外投资证书 of the commerce department"),
    )
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RISK_CHOICES, default=Risk.MEDIUM.value)
    risk_political = models.TextField(_("political risk"), blank=True)
    risk_fx = models.TextField(_("exchange-rate risk"), blank=True)
    risk_legal = models.TextField(_("legal and compliance risk"), blank=True)
    risk_environmental = models.TextField(_("environmental and social risk"), blank=True)
    risk_market = models.TextField(_("market risk"), blank=True)
    description = models.TextField(_("description"), blank=True)
    filing = models.CharField(_("registration"), max_length=10, choices=FILING_CHOICES, default=Filing.DRAFT.value)
    register_no = models.CharField(_("register number (备案登记号)"), max_length=30, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    filed_at = models.DateTimeField(pgettext_lazy("overseas project", "filed"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    flagged = models.BooleanField(_("flagged for attention"), default=False)
    flag_reason = models.CharField(_("why flagged"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope = ScopePaths(prefecture=("enterprise__division__prefecture",), enterprise=("enterprise",))

    class Meta:
        verbose_name = _("overseas project (境外项目)")
        verbose_name_plural = _("overseas projects")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["filing", "status"], name="overseas_filing_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(equity_share__isnull=True) | Q(equity_share__gt=0, equity_share__lte=100),
                name="overseas_equity_share_range",
            ),
            models.CheckConstraint(
                condition=(Q(total_investment__isnull=True) | Q(total_investment__gte=0))
                & (Q(chinese_investment__isnull=True) | Q(chinese_investment__gte=0))
                & Q(invested__gte=0),
                name="overseas_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[Status(self.status)])

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[Status(self.status)]

    @property
    def filing_label(self) -> str:
        return str(FILING_LABELS[Filing(self.filing)])

    @property
    def filing_colour(self) -> str:
        return FILING_COLOURS[Filing(self.filing)]

    @property
    def risk_colour(self) -> str:
        return RISK_COLOURS[Risk(self.risk_level)]

    @property
    def mode_label(self) -> str:
        return str(MODE_LABELS[Mode(self.mode)])

    def risk_notes(self) -> list[tuple[str, str]]:
        fields = ("risk_political", "risk_fx", "risk_legal", "risk_environmental", "risk_market")
        return [(self._meta.get_field(f).verbose_name, getattr(self, f)) for f in fields]


class Partner(models.Model):
    """A partner of the project, foreign (the host country's side) or domestic (co-investors, banks)."""

    class Side(models.TextChoices):
        FOREIGN = "foreign", _("Foreign partner")
        DOMESTIC = "domestic", _("Domestic partner")

    project = models.ForeignKey(OverseasProject, verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="partners")  # fmt: skip
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    name = models.CharField(_("partner"), max_length=160)
    role = models.CharField(_("role"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope = ScopePaths(prefecture=("project__enterprise__division__prefecture",), enterprise=("project__enterprise",))

    class Meta:
        verbose_name = _("project partner (合作方)")
        verbose_name_plural = _("project partners")
        ordering = ["project", "order", "id"]

    def __str__(self) -> str:
        return self.name


class StatusChange(models.Model):
    """One progress report: the status from and to (the same for a progress note), its date, the note,
    and the amount invested to date after it."""

    project = models.ForeignKey(OverseasProject, verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="status_changes")  # fmt: skip
    status_from = models.CharField(_("from"), max_length=12, choices=STATUS_CHOICES, blank=True)
    status_to = models.CharField(_("to"), max_length=12, choices=STATUS_CHOICES)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    invested = models.DecimalField(_("invested to date (万美元)"), max_digits=14, decimal_places=2, null=True,
                                   blank=True)  # fmt: skip
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    scope = ScopePaths(prefecture=("project__enterprise__division__prefecture",), enterprise=("project__enterprise",))

    class Meta:
        verbose_name = _("status change (状态变更)")
        verbose_name_plural = _("status changes")
        ordering = ["project", "on", "id"]

    def __str__(self) -> str:
        return f"{self.project.code} {self.on} {self.status_to}"

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[Status(self.status_to)])


class Review(models.Model):
    """The department's annual review (年度评估) of a filed project."""

    project = models.ForeignKey(OverseasProject, verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="reviews")  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    reviewed_on = models.DateField(_("reviewed on"))
    reviewer = models.CharField(_("reviewer"), max_length=120)
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RISK_CHOICES)
    findings = models.TextField(pgettext_lazy("annual review", "findings"))
    recommendations = models.TextField(_("recommendations"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    scope = ScopePaths(prefecture=("project__enterprise__division__prefecture",), enterprise=("project__enterprise",))

    class Meta:
        verbose_name = _("annual review (年度评估)")
        verbose_name_plural = _("annual reviews")
        ordering = ["project", "-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="overseas_review_once_a_year")]

    def __str__(self) -> str:
        return f"{self.project.code} {self.year}"

    @property
    def risk_colour(self) -> str:
        return RISK_COLOURS[Risk(self.risk_level)]
