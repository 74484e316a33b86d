"""Monthly statistical reports of enterprises, their revisions, and the reference figures that the
indicators compare against (other provinces' revenue, early-warning rules)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from youse.core.models.reference import ReferenceRow
from youse.core.scopes import ScopePaths

# Money in reports is in 万元 (ten thousand yuan), as in China's industrial statistics forms; the
# indicators report 亿元. Tonnes with three decimals, energy in tce, electricity in kWh.
MONEY = {"max_digits": 16, "decimal_places": 2}
TONNES = {"max_digits": 16, "decimal_places": 3}


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CITY_ACCEPTED = "city_accepted", _("Accepted by the city")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


REPORT_STATUS_COLOURS = {
    "draft": "secondary",
    "submitted": "info",
    "city_accepted": "primary",
    "accepted": "success",
    "returned": "danger",
}


class MonthlyReport(models.Model):
    """One enterprise's report for one month (统计月报). Its figures live in revisions: the one in work
    (`current`) and the one counted by the indicators (`accepted`), which differ while a correction of
    an accepted report is under way."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="reports"
    )
    period = models.DateField(_("month"), help_text=_("The first day of the month reported"))
    status = models.CharField(_("status"), max_length=15, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    current = models.ForeignKey(
        "ReportRevision",
        verbose_name=_("revision in work"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted = models.ForeignKey(
        "ReportRevision",
        verbose_name=_("accepted revision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope = ScopePaths(prefecture=("enterprise__division__prefecture",), enterprise=("enterprise",))

    class Meta:
        verbose_name = _("monthly report (统计月报)")
        verbose_name_plural = _("monthly reports")
        ordering = ["-period", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "period"], name="one_report_per_enterprise_month"),
            models.CheckConstraint(condition=Q(period__day=1), name="report_period_first_of_month"),
        ]
        indexes = [models.Index(fields=["period", "status"], name="report_period_status_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.period:%Y-%m}"

    @property
    def status_colour(self) -> str:
        return REPORT_STATUS_COLOURS[self.status]


class ReportRevision(models.Model):
    """The figures of one version of a report. Revisions are never edited once submitted: a correction
    after acceptance is a new revision with its reason, so every figure keeps its history."""

    report = models.ForeignKey(MonthlyReport, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("revision"))
    reason = models.TextField(_("reason for the correction"), blank=True)
    created_by = models.ForeignKey(
        "core.User", verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    superseded = models.BooleanField(_("superseded"), default=False)

    # The enterprise's own figures for the month.
    value_added = models.DecimalField(_("industrial value added (万元)"), **MONEY)
    revenue = models.DecimalField(_("main business revenue (万元)"), **MONEY)
    profit = models.DecimalField(_("total profit (万元)"), **MONEY)
    energy_tce = models.DecimalField(_("energy use (tce)"), **TONNES)
    electricity_kwh = models.DecimalField(_("electricity use (kWh)"), max_digits=18, decimal_places=2)
    employees = models.PositiveIntegerField(_("employees"))
    fly_ash_used_t = models.DecimalField(_("fly ash used (t)"), default=0, **TONNES)
    slag_used_t = models.DecimalField(_("smelting slag used (t)"), default=0, **TONNES)
    tailings_used_t = models.DecimalField(_("tailings used (t)"), default=0, **TONNES)
    # Derived when the lines are saved: the metal of the line with the largest output value. Indicators
    # cut enterprise-level figures (value added, revenue) by metal under this, as statistics classify an
    # enterprise by its main activity.
    main_metal = models.ForeignKey(
        "core.Metal", verbose_name=_("main metal"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("report revision (月报版本)")
        verbose_name_plural = _("report revisions")
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="revision_number_once")]

    def __str__(self) -> str:
        return f"{self.report} r{self.number}"


class ReportLine(models.Model):
    """Output of one production unit (or product line) in one revision."""

    revision = models.ForeignKey(ReportRevision, on_delete=models.CASCADE, related_name="lines")
    unit = models.ForeignKey(
        "registry.ProductionUnit", verbose_name=_("production unit"), on_delete=models.PROTECT, related_name="+"
    )
    metal = models.ForeignKey("core.Metal", verbose_name=_("metal"), on_delete=models.PROTECT, related_name="+")
    stage = models.ForeignKey(
        "core.ValueChainStage", verbose_name=_("value-chain stage"), on_delete=models.PROTECT, related_name="+"
    )
    product = models.CharField(_("product"), max_length=80)
    output_t = models.DecimalField(_("output (t)"), **TONNES)
    output_value = models.DecimalField(_("output value at current prices (万元)"), **MONEY)
    # Electrolytic aluminium lines only.
    al_liquid_t = models.DecimalField(_("aluminium liquid output (t)"), null=True, blank=True, **TONNES)
    ac_kwh_per_t = models.DecimalField(
        _("AC power consumption of electrolysis (kWh/t)"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    ac_total_kwh_per_t = models.DecimalField(
        _("comprehensive AC power consumption (kWh/t)"), max_digits=8, decimal_places=1, null=True, blank=True
    )

    class Meta:
        verbose_name = _("report line (产品产量)")
        verbose_name_plural = _("report lines")
        constraints = [models.UniqueConstraint(fields=["revision", "unit"], name="one_line_per_unit")]

    def __str__(self) -> str:
        return f"{self.revision} · {self.product}"


class ProvinceRevenue(ReferenceRow):
    """Other provinces' nonferrous main business revenue for a year (for the rank target of 一(二))."""

    year = models.PositiveSmallIntegerField(_("year"))
    province = models.CharField(_("province"), max_length=20)
    revenue = models.DecimalField(_("main business revenue (亿元)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("province revenue (各省主营业务收入)")
        verbose_name_plural = _("province revenues")
        ordering = ["year", "-revenue"]
        constraints = [models.UniqueConstraint(fields=["year", "province"], name="province_revenue_once")]

    def __str__(self) -> str:
        return f"{self.year} {self.province}"


class Indicator(models.TextChoices):
    """The indicators of clause 一(二) and those early warnings watch (definitions: docs/indicators.md)."""

    VALUE_ADDED = "value_added", _("Industrial value added")
    REVENUE = "revenue", _("Main business revenue")
    REVENUE_RANK = "revenue_rank", _("Main business revenue: national rank")
    DEEP_PROCESSING_SHARE = "deep_processing_share", _("Deep-processing share")
    AL_UTILISATION = "al_utilisation", _("Electrolytic aluminium capacity utilisation")
    PRODUCTION_GROWTH = "production_growth", _("Production growth (year on year)")
    PRODUCTION_CAGR = "production_cagr", _("Production growth (compound, from the base year)")
    VALUE_ADDED_GROWTH = "value_added_growth", _("Value added growth (year on year)")
    OUTPUT_VALUE_SHARE = "output_value_share", _("Share of the province's output value")
    OUTPUT_VALUE_SHARE_CHANGE = "output_value_share_change", _("Change of share of output value (year on year)")


class ScopeKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    BASE = "base", _("Industrial base")
    METAL = "metal", _("Metal")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class Comparison(models.TextChoices):
    BELOW = "lt", "<"
    AT_MOST = "lte", "≤"
    ABOVE = "gt", ">"
    AT_LEAST = "gte", "≥"


class WarningRule(ReferenceRow):
    """An early-warning rule as data: raise a warning for every scope of a kind whose indicator compares
    to the threshold for `consecutive` periods running."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    indicator = models.CharField(_("indicator"), max_length=40, choices=Indicator.choices)
    scope_kind = models.CharField(_("applies to"), max_length=10, choices=ScopeKind.choices)
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    comparison = models.CharField(_("comparison"), max_length=4, choices=Comparison.choices)
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=2)
    consecutive = models.PositiveSmallIntegerField(_("periods running"), default=1)
    message = models.CharField(
        _("message"),
        max_length=300,
        help_text=_("May use {scope}, {indicator}, {value}, {threshold}, {unit}, {periods}, {n}"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("early-warning rule (预警规则)")
        verbose_name_plural = _("early-warning rules")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class EarlyWarning(models.Model):
    """A warning raised by a rule for one scope and period, with the figures that triggered it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        CLEARED = "cleared", _("Cleared")

    rule = models.ForeignKey(WarningRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="warnings")
    scope_kind = models.CharField(_("scope"), max_length=10, choices=ScopeKind.choices)
    scope_code = models.CharField(_("scope code"), max_length=40, blank=True)
    scope_label = models.CharField(_("scope name"), max_length=120)
    period = models.CharField(_("period"), max_length=16, help_text=_("The last period of the run, e.g. 2020-06"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    message = models.CharField(_("message"), max_length=400)
    evidence = models.JSONField(_("evidence"), default=list)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.OPEN)
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True)
    # For city-scoped warnings, the city, so that city users see theirs (scoping).
    division = models.ForeignKey(
        "core.Division", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )

    scope = ScopePaths(prefecture=("division",))

    class Meta:
        verbose_name = _("early warning (预警)")
        verbose_name_plural = _("early warnings")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "scope_kind", "scope_code", "period"], name="one_warning_per_rule_scope_period"
            )
        ]

    def __str__(self) -> str:
        return self.message
