"""Support funds (clause 三(四)): the department's yearly calls (年度专项资金申报) with a budget per category,
the enterprises' project applications through the city's recommendation to the department's decision,
the disbursements and the acceptance (验收) with the outcomes achieved against those promised."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from youse.core.scopes import ScopePaths
from youse.support.rules import AppState, CallState, Category

CATEGORY_CHOICES = [
    (Category.GREEN.value, _("Green transformation (绿色化改造)")),
    (Category.INTELLIGENT.value, _("Intelligent transformation (智能化改造)")),
    (Category.HIGH_END.value, _("High-end manufacturing (高端制造)")),
    (Category.BRAND.value, _("Brand building (品牌建设)")),
    (Category.PLATFORM.value, _("Public service platform (公共服务平台)")),
]
# For charts, where the full labels do not fit.
CATEGORY_SHORT = {
    Category.GREEN.value: pgettext_lazy("support category", "Green"),
    Category.INTELLIGENT.value: pgettext_lazy("support category", "Intelligent"),
    Category.HIGH_END.value: pgettext_lazy("support category", "High-end"),
    Category.BRAND.value: pgettext_lazy("support category", "Brand"),
    Category.PLATFORM.value: pgettext_lazy("support category", "Platform"),
}
CALL_STATES = [
    (CallState.DRAFT.value, pgettext_lazy("fund call", "Draft")),
    (CallState.OPEN.value, pgettext_lazy("fund call", "Open")),
    (CallState.CLOSED.value, pgettext_lazy("fund call", "Closed")),
]
APP_STATES = [
    (AppState.DRAFT.value, pgettext_lazy("application", "Draft")),
    (AppState.SUBMITTED.value, pgettext_lazy("application", "Submitted to the city")),
    (AppState.RETURNED.value, pgettext_lazy("application", "Returned")),
    (AppState.RECOMMENDED.value, pgettext_lazy("application", "Recommended")),
    (AppState.APPROVED.value, pgettext_lazy("application", "Approved")),
    (AppState.REJECTED.value, pgettext_lazy("application", "Rejected")),
    (AppState.ACCEPTED.value, pgettext_lazy("application", "Accepted")),
    (AppState.FAILED.value, pgettext_lazy("application", "Failed acceptance")),
]
MONEY = {"max_digits": 12, "decimal_places": 2}
# The steps of a call or an application as its timeline and change log name them (audit "event" values).
STEP_LABELS = {
    "drafted": pgettext_lazy("support step", "Drafted"),
    "edited": _("Edited"),
    "submitted": _("Submitted to the city"),
    "recommended": _("Recommended by the city"),
    "returned": _("Returned by the city"),
    "approved": _("Approved by the department"),
    "rejected": _("Rejected by the department"),
    "disbursed": _("Payment recorded"),
    "accepted": _("Acceptance passed"),
    "failed": _("Acceptance failed"),
    "repaid": _("Repayment recorded"),
    "created": pgettext_lazy("support step", "Drafted"),
    "opened": _("Opened for applications"),
    "closed": pgettext_lazy("support step", "Closed"),
}


class FundCall(models.Model):
    """One year's call for applications: its document, window and budgets. Province-wide: every signed-in
    user reads open and closed calls; drafts are the department's."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    document = models.CharField(_("document reference (文号)"), max_length=120)
    opens_on = models.DateField(_("window opens"))
    closes_on = models.DateField(_("window closes"))
    budget = models.DecimalField(_("overall budget (万元)"), null=True, blank=True, **MONEY)
    state = models.CharField(_("state"), max_length=10, choices=CALL_STATES, default=CallState.DRAFT.value)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history_labels = {"event": _("step")}
    history_values = {"event": STEP_LABELS}

    class Meta:
        verbose_name = _("support fund call (专项资金申报通知)")
        verbose_name_plural = _("support fund calls")
        ordering = ["-year", "-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="call_window_in_order"),
            models.CheckConstraint(condition=Q(budget__isnull=True) | Q(budget__gt=0), name="call_budget_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class CallBudget(models.Model):
    """A category open in a call, with its budget (万元; blank: within the overall budget only)."""

    call = models.ForeignKey(FundCall, on_delete=models.CASCADE, related_name="budgets")
    category = models.CharField(_("category"), max_length=12, choices=CATEGORY_CHOICES)
    budget = models.DecimalField(_("budget (万元)"), null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = _("category budget")
        verbose_name_plural = _("category budgets")
        ordering = ["call", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "category"], name="call_category_once"),
            models.CheckConstraint(condition=Q(budget__isnull=True) | Q(budget__gt=0), name="category_budget_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.call} · {self.get_category_display()}"


class Application(models.Model):
    """One project application (项目申报) from the enterprise's draft to acceptance."""

    code = models.CharField(_("number"), max_length=20, unique=True)
    call = models.ForeignKey(FundCall, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications")
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="support_projects"
    )
    category = models.CharField(_("category"), max_length=12, choices=CATEGORY_CHOICES)
    project_name = models.CharField(_("project"), max_length=200)
    content = models.TextField(_("content"), blank=True)
    total_investment = models.DecimalField(_("total investment (万元)"), **MONEY)
    requested = models.DecimalField(_("amount requested (万元)"), **MONEY)
    state = models.CharField(_("state"), max_length=12, choices=APP_STATES, default=AppState.DRAFT.value)
    submitted_on = models.DateField(_("submitted"), null=True, blank=True)
    city_opinion = models.TextField(_("city's opinion"), blank=True)
    recommended_on = models.DateField(_("recommended"), null=True, blank=True)
    approved = models.DecimalField(_("amount approved (万元)"), null=True, blank=True, **MONEY)
    decided_on = models.DateField(_("decided"), null=True, blank=True)
    decision_document = models.CharField(_("decision document"), max_length=120, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    accepted_on = models.DateField(_("acceptance date"), null=True, blank=True)
    acceptance_report = models.TextField(_("acceptance findings"), blank=True)
    repayment_required = models.DecimalField(_("repayment required (万元)"), null=True, blank=True, **MONEY)
    repaid = models.DecimalField(_("repaid (万元)"), null=True, blank=True, **MONEY)
    repaid_on = models.DateField(_("repaid on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = ScopePaths(prefecture=("enterprise__division__prefecture",), enterprise=("enterprise",))
    label_related = ("enterprise",)
    history_labels = {
        "event": _("step"), "amount": _("amount (万元)"), "on": _("date"), "achieved": _("achieved"),
        "repayment": _("repayment required (万元)"),
    }  # fmt: skip
    history_values = {"event": STEP_LABELS}

    class Meta:
        verbose_name = _("support fund application (专项资金项目)")
        verbose_name_plural = _("support fund applications")
        ordering = ["-call__year", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(requested__gt=0), name="application_requested_positive"),
            models.CheckConstraint(
                condition=Q(requested__lte=models.F("total_investment")), name="application_requested_within_investment"
            ),
            models.CheckConstraint(
                condition=Q(approved__isnull=True) | Q(approved__gt=0, approved__lte=models.F("requested")),
                name="application_approved_within_requested",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.project_name}"

    @property
    def state_label(self) -> str:
        return dict(APP_STATES).get(self.state, self.state)


class Outcome(models.Model):
    """A measurable outcome the project promises (energy saved, capacity upgraded, patents...) and, at
    acceptance, what it achieved."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="outcomes")
    indicator = models.CharField(_("indicator"), max_length=80)
    unit = models.CharField(_("unit"), max_length=20)
    expected = models.DecimalField(_("expected"), max_digits=14, decimal_places=2)
    achieved = models.DecimalField(_("achieved"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("expected outcome")
        verbose_name_plural = _("expected outcomes")
        ordering = ["application", "id"]

    def __str__(self) -> str:
        return f"{self.indicator} {self.expected} {self.unit}"


class Disbursement(models.Model):
    """One payment (拨付) on an approved project."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="disbursements")
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount (万元)"), **MONEY)
    document = models.CharField(_("payment document"), max_length=120, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = ScopePaths(
        prefecture=("application__enterprise__division__prefecture",), enterprise=("application__enterprise",)
    )

    class Meta:
        verbose_name = _("disbursement (资金拨付)")
        verbose_name_plural = _("disbursements")
        ordering = ["application", "paid_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_positive")]

    def __str__(self) -> str:
        return f"{self.application.code} {self.paid_on} {self.amount}"
