"""Electricity surcharges (clause 三(一)): the rule sets and differential prices as reference data, the
yearly surcharge list with one assessment per smelter, and direct power trading.

An assessment keeps the figures it was computed from (the reported and, where an inspectorate audited
them, the audited consumption) and the whole computation (rules.Computation.as_dict), so the arithmetic
shown to the smelter is the arithmetic that was approved."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from youse.core.models.reference import ReferenceRow
from youse.core.scopes import ScopePaths
from youse.pricing.rules import Category, Method

MEASURES = [
    ("electrolysis_ac", _("AC consumption of aluminium liquid electrolysis (铝液电解交流电耗)")),
    ("comprehensive_ac", _("Comprehensive AC consumption of aluminium liquid (铝液综合交流电耗)")),
]
CATEGORIES = [
    (Category.NORMAL.value, _("Not restricted")),
    (Category.RESTRICTED.value, _("Restricted category (限制类)")),
    (Category.ELIMINATED.value, _("Eliminated category (淘汰类)")),
]


class SurchargeRuleSet(ReferenceRow):
    """One document's surcharge rule for a span of years in which the price applies (执行年度)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    document = models.CharField(_("document"), max_length=120)
    measure = models.CharField(_("measure"), max_length=20, choices=MEASURES)
    method = models.CharField(
        _("method"),
        max_length=8,
        choices=[(Method.TIERS.value, _("Tiers")), (Method.STEPS.value, _("Steps above a threshold"))],
    )
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    tiers = models.JSONField(
        _("tiers"), default=list, blank=True, help_text=_('[{"above": 13700, "surcharge": "0.02"}, ...] (元/kWh)')
    )
    threshold = models.DecimalField(_("threshold (kWh/t)"), max_digits=7, decimal_places=1, null=True, blank=True)
    step_kwh = models.DecimalField(_("step (kWh/t)"), max_digits=6, decimal_places=1, null=True, blank=True)
    step_surcharge = models.DecimalField(
        _("surcharge per step (元/kWh)"), max_digits=6, decimal_places=4, null=True, blank=True
    )
    renewable_base_share = models.DecimalField(
        _("renewable share above which the surcharge falls (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    reduction_per_point = models.DecimalField(
        _("reduction per further point (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("surcharge rule set (阶梯电价规则)")
        verbose_name_plural = _("surcharge rule sets")
        ordering = ["first_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(method="tiers") | Q(threshold__isnull=False, step_kwh__gt=0, step_surcharge__isnull=False),
                name="ruleset_steps_complete",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} ({self.first_year}–{self.last_year or ''})"


class DifferentialPrice(ReferenceRow):
    """差别电价 for restricted and eliminated categories (发改价格〔2010〕978号)."""

    category = models.CharField(_("category"), max_length=12, choices=CATEGORIES[1:])
    surcharge = models.DecimalField(_("surcharge (元/kWh)"), max_digits=6, decimal_places=4)
    document = models.CharField(_("document"), max_length=120)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)

    class Meta:
        verbose_name = _("differential price (差别电价)")
        verbose_name_plural = _("differential prices")
        ordering = ["category", "first_year"]

    def __str__(self) -> str:
        return f"{self.get_category_display()} +{self.surcharge}"


class SurchargeList(models.Model):
    """The year's surcharge list (阶梯电价执行名单): drafted from the statistics, reviewed, approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", pgettext_lazy("surcharge list", "Approved")

    year = models.PositiveSmallIntegerField(_("year the price applies"), unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    generated_at = models.DateTimeField(_("drafted"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    document = models.CharField(_("approval document"), max_length=120, blank=True)

    # Lists are the department's and the provincial units'; an enterprise reads its own assessment.
    scope = ScopePaths(prefecture=("assessments__enterprise__division__prefecture",))

    class Meta:
        verbose_name = _("surcharge list (阶梯电价名单)")
        verbose_name_plural = _("surcharge lists")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}"


class Assessment(models.Model):
    """One smelter-year: the figures used and the computation."""

    surcharge_list = models.ForeignKey(SurchargeList, on_delete=models.CASCADE, related_name="assessments")
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("smelter"), on_delete=models.PROTECT, related_name="surcharges"
    )
    reported_consumption = models.DecimalField(
        _("reported consumption (kWh/t)"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    audited_consumption = models.DecimalField(
        _("audited consumption (kWh/t)"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    adjustment_reason = models.TextField(_("why adjusted"), blank=True)
    al_liquid_t = models.DecimalField(_("aluminium liquid (t)"), max_digits=14, decimal_places=2, default=0)
    electricity_kwh = models.DecimalField(_("aluminium liquid electricity (kWh)"), max_digits=18, decimal_places=0)
    months_operated = models.PositiveSmallIntegerField(_("months operated"))
    renewable_share = models.DecimalField(
        _("non-hydro renewable share (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    incentive_weight = models.DecimalField(
        _("province's incentive weight (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    category = models.CharField(_("category"), max_length=12, choices=CATEGORIES, default=Category.NORMAL.value)
    computation = models.JSONField(_("computation"))
    surcharge_per_kwh = models.DecimalField(_("surcharge (元/kWh)"), max_digits=6, decimal_places=4)
    amount_yuan = models.DecimalField(_("amount (元)"), max_digits=16, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope = ScopePaths(prefecture=("enterprise__division__prefecture",), enterprise=("enterprise",))

    class Meta:
        verbose_name = _("surcharge assessment (加价核定)")
        verbose_name_plural = _("surcharge assessments")
        ordering = ["surcharge_list", "-surcharge_per_kwh", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["surcharge_list", "enterprise"], name="assessment_once_per_list")
        ]

    def __str__(self) -> str:
        return f"{self.surcharge_list.year} {self.enterprise}"

    @property
    def consumption(self):
        return self.audited_consumption if self.audited_consumption is not None else self.reported_consumption


class DirectTrading(models.Model):
    """Direct power trading and power-smelting integration of one enterprise in one year (三(一))."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="power_trading"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    trades_directly = models.BooleanField(_("trades power directly"), default=False)
    direct_share = models.DecimalField(
        _("share of electricity traded directly (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    integrated = models.BooleanField(_("power-smelting integration (铝电一体化)"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope = ScopePaths(prefecture=("enterprise__division__prefecture",), enterprise=("enterprise",))

    class Meta:
        verbose_name = _("direct power trading (电力直接交易)")
        verbose_name_plural = _("direct power trading")
        ordering = ["-year", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="trading_once_per_year"),
            models.CheckConstraint(
                condition=Q(direct_share__isnull=True) | Q(direct_share__gte=0, direct_share__lte=100),
                name="trading_share_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.enterprise}"
