"""Supervision of the policy (closing paragraph 组织实施): the clauses are the tasks; the department breaks
them into sub-tasks with owners and deadlines; each city keeps its plan with targets, tasks and milestones;
owners report progress; the department comments and marks major problems for the provincial government."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from youse.core.models import Division, PolicyClause, ResponsibleUnit
from youse.core.scopes import ScopePaths
from youse.stats.models import Indicator
from youse.supervision import rules

PLAN_STATE_LABELS = {
    rules.PlanState.DRAFT: _("Draft"),
    rules.PlanState.SUBMITTED: _("Submitted"),
    rules.PlanState.ACCEPTED: _("Accepted"),
    rules.PlanState.RETURNED: _("Returned"),
}
STATUS_LABELS = {
    rules.Status.DONE: _("Done"),
    rules.Status.ON_TRACK: _("On track"),
    rules.Status.AT_RISK: _("At risk"),
    rules.Status.OVERDUE: _("Overdue"),
}

# How the audit trail's non-field keys read on object pages (core/history.py).
HISTORY_LABELS = {
    "event": _("event"),
    "indicator": _("indicator"),
    "value": _("target value"),
    "task": _("task"),
    "milestone": _("milestone"),
    "text": _("text"),
    "state": _("review"),
}
HISTORY_VALUES = {
    "event": {
        "target_added": _("Target added"),
        "task_added": _("Task added"),
        "milestone_added": _("Milestone added"),
        "progress": _("Progress reported"),
        "comment": _("Commented"),
        "major_problem": _("Major problem for the provincial government"),
        **{state.value: label for state, label in PLAN_STATE_LABELS.items()},
    },
    "state": {state.value: label for state, label in PLAN_STATE_LABELS.items()},
}


class Tracked(models.Model):
    """What a sub-task and a milestone share: a deadline, the progress last reported, the ticker's flags."""

    history_labels = HISTORY_LABELS
    history_values = HISTORY_VALUES

    deadline = models.DateField(pgettext_lazy("supervision", "deadline"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    last_report_on = models.DateField(_("last report"), null=True, blank=True)
    # Set by the ticker (duties.py), once: the day the item was first found overdue / its owner silent.
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    silent_since = models.DateField(_("owner silent since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        abstract = True

    def status_on(self, today, start=None) -> rules.Status:
        return rules.status(
            deadline=self.deadline, percent=self.percent, today=today, start=start, done=self.done_on is not None
        )


class SubTask(Tracked):
    clause = models.ForeignKey(
        PolicyClause, on_delete=models.PROTECT, related_name="subtasks", verbose_name=_("task (clause)")
    )
    title = models.CharField(_("title"), max_length=200)
    unit = models.ForeignKey(
        ResponsibleUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subtasks",
        verbose_name=_("responsible unit"),
    )
    division = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subtasks",
        verbose_name=_("responsible city"),
    )
    starts_on = models.DateField(_("starts on"))
    indicator = models.CharField(_("indicator"), max_length=40, choices=Indicator.choices, blank=True)
    measure = models.CharField(_("measure of completion"), max_length=200, blank=True)

    # A city sees the sub-tasks it owns; provincial units and the department see all (scopes.scope_filter).
    scope = ScopePaths(prefecture=("division",))

    class Meta:
        verbose_name = _("sub-task (分解任务)")
        verbose_name_plural = _("sub-tasks")
        ordering = ["clause__order", "deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(division__isnull=True))
                | (Q(unit__isnull=True) & Q(division__isnull=False)),
                name="subtask_one_owner",
            ),
            models.CheckConstraint(condition=Q(percent__lte=100), name="subtask_percent_max"),
        ]

    def __str__(self) -> str:
        return f"{self.clause.number} {self.title}"

    @property
    def owner(self):
        return self.unit if self.unit_id else self.division

    @property
    def owner_name(self) -> str:
        owner = self.owner
        return (owner.short_name or owner.name) if self.unit_id else owner.name

    @property
    def start(self):
        return self.starts_on


class CityPlan(models.Model):
    history_labels = HISTORY_LABELS
    history_values = HISTORY_VALUES

    division = models.ForeignKey(
        Division, on_delete=models.PROTECT, related_name="supervision_plans", verbose_name=_("city")
    )
    start_year = models.PositiveSmallIntegerField(_("from year"))
    end_year = models.PositiveSmallIntegerField(_("to year"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(pgettext_lazy("plan", "summary"), blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=[(s.value, PLAN_STATE_LABELS[s]) for s in rules.PlanState]
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope = ScopePaths(prefecture=("division",))

    class Meta:
        verbose_name = _("city plan (市级实施方案)")
        verbose_name_plural = _("city plans")
        ordering = ["-start_year", "division__order", "division__code"]
        constraints = [
            models.UniqueConstraint(fields=["division", "start_year", "end_year"], name="one_plan_per_city_period")
        ]

    def __str__(self) -> str:
        return f"{self.division.name} {self.start_year}–{self.end_year}"

    @property
    def period(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    @property
    def state_label(self) -> str:
        return str(PLAN_STATE_LABELS[rules.PlanState(self.state)])

    @property
    def editable(self) -> bool:
        return rules.PlanState(self.state) in rules.EDITABLE


class PlanTarget(models.Model):
    plan = models.ForeignKey(CityPlan, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(_("indicator"), max_length=40, choices=Indicator.choices)
    value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    year = models.PositiveSmallIntegerField(_("year"))

    scope = ScopePaths(prefecture=("plan__division",))

    class Meta:
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")
        ordering = ["year", "indicator"]
        constraints = [models.UniqueConstraint(fields=["plan", "indicator", "year"], name="plan_target_once")]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} {self.value} ({self.year})"


class PlanTask(models.Model):
    plan = models.ForeignKey(CityPlan, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("title"), max_length=200)
    clause = models.ForeignKey(
        PolicyClause, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("policy clause")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope = ScopePaths(prefecture=("plan__division",))

    class Meta:
        verbose_name = _("plan task")
        verbose_name_plural = _("plan tasks")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class Milestone(Tracked):
    task = models.ForeignKey(PlanTask, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))

    scope = ScopePaths(prefecture=("task__plan__division",))

    class Meta:
        verbose_name = _("milestone (节点)")
        verbose_name_plural = _("milestones")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="milestone_percent_max"),
            models.CheckConstraint(condition=Q(starts_on__lte=models.F("deadline")), name="milestone_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_name(self) -> str:
        return self.task.plan.division.name

    @property
    def start(self):
        return self.starts_on


class ProgressReport(models.Model):
    subtask = models.ForeignKey(SubTask, on_delete=models.CASCADE, null=True, blank=True, related_name="reports")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, null=True, blank=True, related_name="reports")
    reported_on = models.DateField(_("reported on"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    text = models.TextField(_("progress"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope = ScopePaths(prefecture=("subtask__division", "milestone__task__plan__division"))

    class Meta:
        verbose_name = _("progress report (进展报告)")
        verbose_name_plural = _("progress reports")
        ordering = ["-reported_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(subtask__isnull=False, milestone__isnull=True)
                | Q(subtask__isnull=True, milestone__isnull=False),
                name="report_on_one_item",
            ),
            models.CheckConstraint(condition=Q(percent__lte=100), name="report_percent_max"),
        ]

    def __str__(self) -> str:
        return f"{self.subtask or self.milestone} · {self.reported_on} · {self.percent}%"


class ProgressEvidence(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to="supervision/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    scope = ScopePaths(prefecture=("report__subtask__division", "report__milestone__task__plan__division"))

    class Meta:
        verbose_name = _("progress evidence")
        verbose_name_plural = _("progress evidence")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class Remark(models.Model):
    """The department's comment on a sub-task or milestone; a major problem is reported to the provincial
    government (列入向省政府报告的重大问题)."""

    subtask = models.ForeignKey(SubTask, on_delete=models.CASCADE, null=True, blank=True, related_name="remarks")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, null=True, blank=True, related_name="remarks")
    text = models.TextField(_("comment"))
    major = models.BooleanField(_("major problem for the provincial government"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope = ScopePaths(prefecture=("subtask__division", "milestone__task__plan__division"))

    class Meta:
        verbose_name = _("supervision comment (督办意见)")
        verbose_name_plural = _("supervision comments")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(subtask__isnull=False, milestone__isnull=True)
                | Q(subtask__isnull=True, milestone__isnull=False),
                name="remark_on_one_item",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def item(self):
        return self.subtask or self.milestone
