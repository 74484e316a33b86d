"""City plans: the list (one per city and period), a plan with its targets, tasks, milestones and their
timeline, the city's additions while the plan is its own, submission and the department's review."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.core import audit, scopes
from youse.core.roles import Role
from youse.supervision import services
from youse.supervision.forms import (
    MilestoneForm,
    PlanForm,
    PlanTaskForm,
    ReviewForm,
    TargetForm,
    add_service_errors,
)
from youse.supervision.measures import Measures
from youse.supervision.models import CityPlan, Milestone
from youse.supervision.report import city_divisions
from youse.supervision.views.common import badge, render_page, viewer

ACTIONS = ("submit", "accept", "return")


@viewer()
def plan_list(request: HttpRequest) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    city = user.division if getattr(user, "role", None) == Role.CITY else None
    form = None
    if scopes.can(user, "supervision.plan"):
        form = PlanForm(request.POST if request.method == "POST" else None, city=city)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                plan = services.create_plan(user, data["division"], data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Plan created as a draft."))
                return redirect("supervision:plan-detail", pk=plan.pk)
    elif request.method == "POST":
        scopes.require(user, "supervision.plan")
    plans = list(scopes.visible(user, CityPlan).select_related("division"))
    milestones = Milestone.objects.filter(task__plan__in=plans)
    by_plan: dict[int, list] = {}
    for ms in milestones.select_related("task"):
        by_plan.setdefault(ms.task.plan_id, []).append(ms.status_on(today, ms.starts_on))
    from youse.supervision import rules

    for p in plans:
        statuses = by_plan.get(p.pk, [])
        p.badge, p.milestone_count = badge(rules.worst(statuses)), len(statuses)
        p.overdue_count = sum(1 for s in statuses if s == rules.Status.OVERDUE)
    missing = []
    if city is None:
        have = {(p.division_id) for p in plans if (p.start_year, p.end_year) == (2026, 2030)}
        missing = [d for d in city_divisions() if d.pk not in have]
    return render_page(request, "supervision/plan_list.html", {"plans": plans, "form": form, "missing": missing})


def _timeline(plan: CityPlan, today: dt.date) -> dict:
    """Bars of a CSS Gantt chart: each milestone placed on the plan's years as percentages of its width."""
    first, last = dt.date(plan.start_year, 1, 1), dt.date(plan.end_year, 12, 31)
    span = (last - first).days or 1

    def at(day: dt.date) -> float:
        return round(100 * min(max((day - first).days, 0), span) / span, 2)

    groups = []
    for task in plan.tasks.prefetch_related("milestones"):
        bars = []
        for ms in task.milestones.all():
            left, right = at(ms.starts_on), at(ms.deadline)
            bars.append(
                {
                    "ms": ms,
                    "left": left,
                    "width": max(right - left, 0.8),
                    "badge": badge(ms.status_on(today, ms.starts_on)),
                }
            )
        groups.append({"task": task, "bars": bars})
    years = [{"year": y, "left": at(dt.date(y, 1, 1))} for y in range(plan.start_year, plan.end_year + 1)]
    return {"groups": groups, "years": years, "today": at(today) if first <= today <= last else None}


@viewer()
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    plan = scopes.get_visible_or_404(user, CityPlan.objects.select_related("division"), pk=pk)
    may_edit = scopes.can(user, "supervision.plan") and plan.editable
    post = request.POST if request.method == "POST" else None
    which = post.get("form") if post else None
    forms = {
        "target": TargetForm(post if which == "target" else None, initial={"year": plan.end_year}),
        "task": PlanTaskForm(post if which == "task" else None),
        "milestone": MilestoneForm(post if which == "milestone" else None, plan=plan),
    }
    if post is not None:
        if which not in forms:
            return HttpResponseNotAllowed(["GET"])
        form = forms[which]
        if not may_edit:
            scopes.require(user, "supervision.plan", plan)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if which == "target":
                    services.add_target(user, plan, data)
                elif which == "task":
                    services.add_plan_task(user, plan, data)
                else:
                    services.add_milestone(user, data["task"], data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("supervision:plan-detail", pk=plan.pk)
    measures = Measures()
    targets = [(t, measures.city(t.indicator, plan.division)) for t in plan.targets.all()]
    return render_page(
        request,
        "supervision/plan_detail.html",
        {
            "plan": plan,
            "targets": targets,
            "timeline": _timeline(plan, today),
            "forms": forms if may_edit else None,
            "may_submit": may_edit and scopes.can(user, "supervision.plan"),
            "may_review": plan.state == "submitted" and scopes.can(user, "supervision.review"),
            "review_form": ReviewForm(),
            "history": audit.history(plan)[:30],
        },
    )


@viewer()
def plan_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if request.method != "POST" or action not in ACTIONS:
        return HttpResponseNotAllowed(["POST"])
    user = request.user
    plan = scopes.get_visible_or_404(user, CityPlan, pk=pk)
    comment = request.POST.get("comment", "")
    try:
        if action == "submit":
            services.submit_plan(user, plan)
            messages.success(request, _("Plan submitted to the department."))
        elif action == "accept":
            services.accept_plan(user, plan, comment)
            messages.success(request, _("Plan accepted."))
        else:
            services.return_plan(user, plan, comment)
            messages.success(request, _("Plan returned to the city."))
    except ValidationError as exc:
        for msgs in exc.message_dict.values():
            for m in msgs:
                messages.error(request, m)
    return redirect("supervision:plan-detail", pk=plan.pk)
