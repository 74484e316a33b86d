"""Enforcement cases (clauses 二(八), 三(三), 三(七)): survey campaigns, cases, inspections with checklist
results and findings, rectification orders, closure decisions with the resettlement plan and the land
left behind, evidence files, and announcements with immutable published versions.

Reference data: norms and their checklist items (principle 3). A case belongs to one enterprise; its
city is the enterprise's city, which is also the city that inspects it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from youse.core.models.reference import ReferenceRow
from youse.core.scopes import ScopePaths
from youse.enforcement.rules import (
    HEADCOUNT_CATEGORIES,
    CaseStatus,
    ClosureState,
    Dimension,
    ItemKind,
    LandRoute,
    OrderState,
    Source,
)

DIMENSION_LABELS = {
    Dimension.ENVIRONMENT: _("Environmental protection"),
    Dimension.ENERGY: pgettext_lazy("dimension", "Energy use"),
    Dimension.QUALITY: _("Quality"),
    Dimension.SAFETY: _("Safety"),
    Dimension.TECHNOLOGY: _("Technology and equipment"),
}
DIMENSION_CHOICES = [(d.value, label) for d, label in DIMENSION_LABELS.items()]
SOURCE_CHOICES = [
    (Source.CAMPAIGN.value, _("Survey campaign")),
    (Source.MONITORING.value, _("Repeated exceedances (online monitoring)")),
    (Source.CAPACITY.value, _("Capacity violation")),
    (Source.COMPLAINT.value, _("Complaint or report")),
]
CASE_STATUS_LABELS = {
    CaseStatus.PLANNED: _("To inspect"),
    CaseStatus.OPEN: _("Open"),
    CaseStatus.PASSED: _("Passed"),
    CaseStatus.RECTIFYING: _("Rectifying"),
    CaseStatus.ESCALATED: _("Escalated"),
    CaseStatus.CLOSING: _("Closing and exiting"),
    CaseStatus.CLOSED: _("Case closed"),
}
CASE_STATUS_COLOURS = {
    CaseStatus.PLANNED: "secondary",
    CaseStatus.OPEN: "info",
    CaseStatus.PASSED: "success",
    CaseStatus.RECTIFYING: "warning",
    CaseStatus.ESCALATED: "danger",
    CaseStatus.CLOSING: "dark",
    CaseStatus.CLOSED: "light",
}
ORDER_LABELS = {
    OrderState.ISSUED: _("Issued"),
    OrderState.IN_PROGRESS: _("In progress"),
    OrderState.SUBMITTED: _("Reported done"),
    OrderState.CLOSED: _("Rectified"),
    OrderState.FAILED: _("Failed"),
}
CLOSURE_LABELS = {
    ClosureState.PROPOSED: _("Proposed"),
    ClosureState.DECIDED: _("Decided"),
    ClosureState.EXECUTED: _("Executed"),
    ClosureState.WITHDRAWN: _("Withdrawn"),
}

# How the audit trail's non-field keys read on object pages (core/history.py).
HISTORY_LABELS = {
    "event": _("event"),
    "campaign": _("campaign"),
    "city": _("inspecting city"),
    "inspection": _("inspection"),
    "verdict": _("verdict"),
    "inspected_on": _("inspected on"),
    "order": _("rectification order"),
    "deadline": _("deadline"),
    "requirements": _("requirements"),
    "on": _("date"),
    "units": _("units to close"),
    "reason": _("reason"),
    "version": _("version"),
    "cases": _("enterprises listed"),
}
HISTORY_EVENTS = {
    "status": _("Status changed"),
    "inspection": _("Inspected"),
    "reinspection": _("Re-inspected"),
    "order_issued": _("Rectification order issued"),
    "issued": _("Issued"),
    "started": _("Work started"),
    "reported_done": _("Reported done"),
    "reinspected": _("Re-inspected"),
    "overdue": _("Deadline passed"),
    "proposed": _("Closure proposed"),
    "decided": _("Closure decided"),
    "withdrawn": _("Withdrawn"),
    "executed": _("Closure executed"),
    "published": _("Published"),
}
HISTORY_VALUES = {
    "event": HISTORY_EVENTS,
    "status": {s.value: label for s, label in CASE_STATUS_LABELS.items()},
    "verdict": {"pass": _("Pass"), "fail": _("Fail"), "pending": pgettext_lazy("checklist", "Not assessed")},
}

# The city of a row reached through its enterprise; every enforcement row is scoped this way.
_BY_CASE = ScopePaths(prefecture=("case__enterprise__division__prefecture",), enterprise=("case__enterprise",))


class Norm(ReferenceRow):
    """A norm an inspection applies: a standard, an industry norm (规范条件) or a rule of the policy."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    dimension = models.CharField(_("dimension"), max_length=12, choices=DIMENSION_CHOICES)
    metal = models.ForeignKey(
        "core.Metal", verbose_name=_("metal"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    document = models.CharField(_("document"), max_length=200)

    class Meta:
        verbose_name = _("norm (规范)")
        verbose_name_plural = _("norms")
        ordering = ["dimension", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ChecklistItem(ReferenceRow):
    """One requirement of a norm, assessed yes/no or against a threshold."""

    norm = models.ForeignKey(Norm, verbose_name=_("norm"), on_delete=models.PROTECT, related_name="items")
    code = models.CharField(_("code"), max_length=40, unique=True)
    text = models.CharField(_("requirement"), max_length=300)
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=[
            (ItemKind.YES_NO.value, _("Met or not")),
            (ItemKind.AT_MOST.value, _("At most")),
            (ItemKind.AT_LEAST.value, _("At least")),
        ],
        default=ItemKind.YES_NO.value,
    )
    threshold = models.DecimalField(_("threshold"), max_digits=14, decimal_places=3, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("checklist item (检查项)")
        verbose_name_plural = _("checklist items")
        ordering = ["norm__dimension", "order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="yes_no") | Q(threshold__isnull=False), name="checklist_threshold_needed"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def dimension(self) -> str:
        return self.norm.dimension


class Campaign(models.Model):
    """A planned survey (专项检查) of the enterprises of chosen metals and cities, along chosen dimensions."""

    history_labels = HISTORY_LABELS
    history_values = HISTORY_VALUES

    name = models.CharField(_("name"), max_length=120, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    dimensions = models.JSONField(_("dimensions"), default=list)
    metals = models.ManyToManyField("core.Metal", verbose_name=_("metals"), blank=True, related_name="+")
    cities = models.ManyToManyField(
        "core.Division", verbose_name=_("cities"), blank=True, related_name="+", help_text=_("Empty: all cities")
    )
    starts_on = models.DateField(_("starts"))
    due_on = models.DateField(_("inspections due"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # A city sees the campaigns that list its enterprises; an enterprise those that list it (use distinct()).
    scope = ScopePaths(prefecture=("cases__city",), enterprise=("cases__enterprise",))

    class Meta:
        verbose_name = _("survey campaign (专项检查)")
        verbose_name_plural = _("survey campaigns")
        ordering = ["-year", "-created_at"]
        constraints = [models.CheckConstraint(condition=Q(due_on__gte=models.F("starts_on")), name="campaign_dates")]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """An enforcement case (执法案件): one enterprise, one source, one timeline."""

    history_labels = HISTORY_LABELS
    history_values = HISTORY_VALUES

    STATUS_LABELS = CASE_STATUS_LABELS
    STATUS_COLOURS = CASE_STATUS_COLOURS

    code = models.CharField(_("number"), max_length=30, unique=True)
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="enforcement_cases"
    )
    plant = models.ForeignKey(
        "registry.Plant", verbose_name=_("plant"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "registry.ProductionUnit",
        verbose_name=_("production unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=12, choices=SOURCE_CHOICES)
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    exceedance = models.ForeignKey(
        "monitoring.RepeatedExceedance",
        verbose_name=_("repeated exceedance"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    violation = models.ForeignKey(
        "capacity.CapacityViolation",
        verbose_name=_("capacity violation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    city = models.ForeignKey(
        "core.Division", verbose_name=_("inspecting city"), on_delete=models.PROTECT, related_name="+"
    )
    dimensions = models.JSONField(_("dimensions"), default=list)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=[(s.value, label) for s, label in CASE_STATUS_LABELS.items()],
        default=CaseStatus.OPEN.value,
    )
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    scope = ScopePaths(prefecture=("city",), enterprise=("enterprise",))

    class Meta:
        verbose_name = _("enforcement case (执法案件)")
        verbose_name_plural = _("enforcement cases")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["campaign", "city", "status"], name="case_campaign_idx")]
        constraints = [
            # A campaign lists an enterprise once.
            models.UniqueConstraint(
                fields=["campaign", "enterprise"], condition=Q(campaign__isnull=False), name="case_once_per_campaign"
            ),
            models.CheckConstraint(
                condition=~Q(source="campaign") | Q(campaign__isnull=False), name="case_campaign_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.enterprise}"

    @property
    def status_label(self) -> str:
        return self.STATUS_LABELS[CaseStatus(self.status)]

    @property
    def status_colour(self) -> str:
        return self.STATUS_COLOURS[CaseStatus(self.status)]


class Inspection(models.Model):
    """A visit along one or more dimensions, with checklist results, findings and a verdict."""

    class Verdict(models.TextChoices):
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")
        PENDING = "pending", pgettext_lazy("checklist", "Not assessed")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="inspections")
    order = models.ForeignKey(
        "enforcement.RectificationOrder",
        verbose_name=_("re-inspection of order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reinspections",
    )
    dimensions = models.JSONField(_("dimensions"), default=list)
    inspecting_unit = models.CharField(_("inspecting unit"), max_length=120)
    inspectors = models.CharField(_("inspectors"), max_length=200)
    inspected_on = models.DateField(_("inspected on"))
    verdict = models.CharField(_("verdict"), max_length=8, choices=Verdict.choices)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    scope = _BY_CASE

    class Meta:
        verbose_name = _("inspection (检查)")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "-id"]

    def __str__(self) -> str:
        return f"{self.case.code} {self.inspected_on}"


class CheckResult(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("checklist item"), on_delete=models.PROTECT, related_name="+"
    )
    met = models.BooleanField(_("met"), null=True, blank=True)
    measured = models.DecimalField(_("measured"), max_digits=14, decimal_places=3, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope = ScopePaths(prefecture=("inspection__case__city",), enterprise=("inspection__case__enterprise",))

    class Meta:
        verbose_name = _("checklist result")
        verbose_name_plural = _("checklist results")
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="result_once_per_item")]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.passed}"


class Finding(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    dimension = models.CharField(_("dimension"), max_length=12, choices=DIMENSION_CHOICES)
    item = models.ForeignKey(
        ChecklistItem,
        verbose_name=_("checklist item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("finding"))
    failed = models.BooleanField(_("a failure to rectify"), default=True)

    scope = ScopePaths(prefecture=("inspection__case__city",), enterprise=("inspection__case__enterprise",))

    class Meta:
        verbose_name = _("finding (问题)")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return self.text[:60]


class RectificationOrder(models.Model):
    """整改通知: requirements with their basis, a deadline and the person responsible."""

    history_labels = HISTORY_LABELS
    history_values = HISTORY_VALUES

    STATE_LABELS = ORDER_LABELS

    code = models.CharField(_("number"), max_length=30, unique=True)
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="orders")
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("from inspection"), on_delete=models.PROTECT, related_name="orders"
    )
    issued_on = models.DateField(_("issued on"))
    deadline = models.DateField(_("deadline"))
    responsible_person = models.CharField(_("responsible person"), max_length=60)
    state = models.CharField(
        _("state"), max_length=12, choices=[(s.value, label) for s, label in ORDER_LABELS.items()], default="issued"
    )
    report = models.TextField(_("rectification report"), blank=True)
    reported_on = models.DateField(_("reported done on"), null=True, blank=True)
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope = _BY_CASE

    class Meta:
        verbose_name = _("rectification order (整改通知)")
        verbose_name_plural = _("rectification orders")
        ordering = ["deadline", "id"]
        constraints = [models.CheckConstraint(condition=Q(deadline__gt=models.F("issued_on")), name="order_dates")]
        indexes = [models.Index(fields=["state", "deadline"], name="order_state_deadline_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.case.enterprise}"

    @property
    def state_label(self) -> str:
        return self.STATE_LABELS[OrderState(self.state)]


class Requirement(models.Model):
    order = models.ForeignKey(RectificationOrder, on_delete=models.CASCADE, related_name="requirements")
    finding = models.ForeignKey(Finding, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("requirement"))
    basis = models.CharField(_("legal or policy basis"), max_length=300)

    scope = ScopePaths(prefecture=("order__case__city",), enterprise=("order__case__enterprise",))

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:60]


class Closure(models.Model):
    """关停退出: units to close, decided by the department; executed only past the resettlement gate."""

    history_labels = HISTORY_LABELS
    history_values = HISTORY_VALUES

    STATE_LABELS = CLOSURE_LABELS

    case = models.OneToOneField(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="closure")
    units = models.ManyToManyField("registry.ProductionUnit", verbose_name=_("units to close"), related_name="+")
    state = models.CharField(
        _("state"), max_length=10, choices=[(s.value, label) for s, label in CLOSURE_LABELS.items()], default="proposed"
    )
    reason = models.TextField(_("why proposed"))
    basis = models.TextField(_("basis"), blank=True)
    document = models.CharField(_("decision document"), max_length=120, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    effective_on = models.DateField(_("units close by"), null=True, blank=True)
    capacity_ineligible = models.BooleanField(
        _("closed capacity may not be replaced"),
        default=False,
        help_text=_("Electrolytic aluminium closed for failing may be excluded from replacement"),
    )
    executed_on = models.DateField(_("executed on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)

    scope = _BY_CASE

    class Meta:
        verbose_name = _("closure decision (关停退出)")
        verbose_name_plural = _("closure decisions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.case.code} {self.case.enterprise}"

    @property
    def state_label(self) -> str:
        return self.STATE_LABELS[ClosureState(self.state)]


class ResettlementPlan(models.Model):
    """The staff resettlement plan of a closure (三(七)): funding, contents, the workers' congress."""

    closure = models.OneToOneField(Closure, on_delete=models.PROTECT, related_name="resettlement")
    headcount = models.JSONField(_("headcount by category"), default=dict)
    measures = models.TextField(_("measures"), blank=True)
    cost = models.DecimalField(_("cost (万元)"), max_digits=12, decimal_places=2, null=True, blank=True)
    schedule = models.TextField(_("schedule"), blank=True)
    funding_amount = models.DecimalField(
        _("funding secured (万元)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    funding_source = models.CharField(_("funding source"), max_length=200, blank=True)
    congress_date = models.DateField(_("workers' congress held"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("votes in favour"), null=True, blank=True)
    votes_total = models.PositiveIntegerField(_("votes cast"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    HEADCOUNT_CATEGORIES = HEADCOUNT_CATEGORIES

    scope = ScopePaths(prefecture=("closure__case__city",), enterprise=("closure__case__enterprise",))

    class Meta:
        verbose_name = _("staff resettlement plan (职工安置方案)")
        verbose_name_plural = _("staff resettlement plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(votes_for__isnull=True)
                | Q(votes_total__isnull=True)
                | Q(votes_for__lte=models.F("votes_total")),
                name="plan_votes_within_total",
            )
        ]

    def __str__(self) -> str:
        return f"{self.closure}"


class ResettlementOutcome(models.Model):
    plan = models.ForeignKey(ResettlementPlan, on_delete=models.PROTECT, related_name="outcomes")
    as_of = models.DateField(_("as of"))
    reemployed = models.PositiveIntegerField(_("re-employed"), default=0)
    retrained = models.PositiveIntegerField(_("retrained"), default=0)
    retired = models.PositiveIntegerField(_("retired"), default=0)
    supported = models.PositiveIntegerField(_("supported"), default=0)

    scope = ScopePaths(prefecture=("plan__closure__case__city",), enterprise=("plan__closure__case__enterprise",))

    class Meta:
        verbose_name = _("resettlement outcome")
        verbose_name_plural = _("resettlement outcomes")
        ordering = ["as_of"]
        constraints = [models.UniqueConstraint(fields=["plan", "as_of"], name="outcome_once_per_date")]

    def __str__(self) -> str:
        return f"{self.plan} {self.as_of}"


class LandDisposal(models.Model):
    """The land of a closed site (三(三)): transfer, recovery or conversion with its five-year transition."""

    closure = models.OneToOneField(Closure, on_delete=models.PROTECT, related_name="land")
    route = models.CharField(
        _("route"),
        max_length=12,
        choices=[
            (LandRoute.TRANSFER.value, _("Transfer")),
            (LandRoute.RECOVERY.value, _("Recovery by the city or county")),
            (LandRoute.CONVERSION.value, _("Conversion to an encouraged service industry")),
        ],
    )
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=12, decimal_places=1, null=True, blank=True)
    decided_on = models.DateField(_("decided on"))
    converted_on = models.DateField(_("converted on"), null=True, blank=True)
    transition_until = models.DateField(_("original use and rights kept until"), null=True, blank=True)
    new_use = models.CharField(_("new use"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    scope = ScopePaths(prefecture=("closure__case__city",), enterprise=("closure__case__enterprise",))

    class Meta:
        verbose_name = _("land disposal (土地处置)")
        verbose_name_plural = _("land disposals")

    def __str__(self) -> str:
        return f"{self.closure} {self.get_route_display()}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    # Stored under the content hash: an uploaded name never reaches the file system.
    return f"enforcement/{instance.case_id}/{instance.sha256}{instance.extension}"


class Evidence(models.Model):
    """A photo or document attached to a case step (inspection, order report, resettlement minutes)."""

    class Purpose(models.TextChoices):
        INSPECTION = "inspection", _("Inspection evidence")
        RECTIFICATION = "rectification", _("Rectification report")
        MINUTES = "minutes", _("Minutes of the workers' congress")
        CLOSURE = "closure", _("Closure evidence")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence")
    purpose = models.CharField(_("purpose"), max_length=14, choices=Purpose.choices)
    inspection = models.ForeignKey(Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence")
    order = models.ForeignKey(
        RectificationOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=60)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    scope = _BY_CASE

    class Meta:
        verbose_name = _("evidence (证据材料)")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Announcement(models.Model):
    """公告: generated from a case or a campaign, edited as a draft, then published in versions."""

    history_labels = HISTORY_LABELS
    history_values = HISTORY_VALUES

    class Kind(models.TextChoices):
        CLOSURE = "closure", _("Closure and exit")
        RECTIFICATION_LIST = "rectification_list", _("Enterprises ordered to rectify")
        SURVEY_RESULT = "survey_result", _("Survey results")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    closure = models.ForeignKey(Closure, null=True, blank=True, on_delete=models.PROTECT, related_name="announcements")
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="announcements"
    )
    title = models.CharField(_("title"), max_length=200, help_text=_("The draft; published text lives in versions"))
    body = models.TextField(_("text"))
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # The public sees published announcements only (principle 7); staff see drafts.
    scope = ScopePaths(
        prefecture=("closure__case__city",),
        enterprise=("closure__case__enterprise",),
        public=Q(published_at__isnull=False),
    )

    class Meta:
        verbose_name = _("announcement (公告)")
        verbose_name_plural = _("announcements")
        ordering = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return self.title


class AnnouncementVersion(models.Model):
    """A published text. Never changed: a correction is the next version (triggers in migration 0002)."""

    announcement = models.ForeignKey(Announcement, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    correction_note = models.TextField(_("what was corrected"), blank=True)
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    scope = ScopePaths(
        prefecture=("announcement__closure__case__city",),
        enterprise=("announcement__closure__case__enterprise",),
        public=Q(pk__isnull=False),
    )

    class Meta:
        verbose_name = _("announcement version")
        verbose_name_plural = _("announcement versions")
        ordering = ["announcement", "number"]
        constraints = [models.UniqueConstraint(fields=["announcement", "number"], name="announcement_version_once")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("published announcement versions are never changed; publish a correction")
        super().save(*args, **kwargs)
