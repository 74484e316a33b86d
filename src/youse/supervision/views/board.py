"""The board: the policy's tasks (clauses) × responsible units, each cell coloured by the worst status of the
unit's sub-tasks under that clause; and one task's page with its sub-tasks, where the department adds more."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.core import scopes
from youse.core.models import ClauseResponsibility, ResponsibleUnit
from youse.supervision import rules, services
from youse.supervision.forms import SubTaskForm, add_service_errors
from youse.supervision.measures import Measures
from youse.supervision.models import SubTask
from youse.supervision.report import task_clauses
from youse.supervision.views.common import badge, render_page, viewer

CITIES = "cities"


@viewer()
def board(request: HttpRequest) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    subtasks = list(scopes.visible(user, SubTask).select_related("unit", "division", "clause"))
    clauses = list(
        task_clauses().prefetch_related(
            Prefetch("responsibilities", ClauseResponsibility.objects.select_related("unit"))
        )
    )
    unit_ids = {r.unit_id for c in clauses for r in c.responsibilities.all()} | {
        s.unit_id for s in subtasks if s.unit_id
    }
    units = list(ResponsibleUnit.objects.filter(pk__in=unit_ids).order_by("order"))
    # City-owned sub-tasks fall in the column of the cities (各市政府), as the policy assigns them.
    cities_unit = next((u for u in units if u.kind == ResponsibleUnit.Kind.CITIES), None)
    cells: dict[tuple[int, int], list] = {}
    for st in subtasks:
        column = st.unit_id if st.unit_id else (cities_unit.pk if cities_unit else None)
        cells.setdefault((st.clause_id, column), []).append(st.status_on(today, st.starts_on))
    rows = []
    for c in clauses:
        roles = {r.unit_id: r.lead for r in c.responsibilities.all()}
        row = []
        for u in units:
            statuses = cells.get((c.pk, u.pk), [])
            row.append(
                {
                    "unit": u,
                    "role": "lead" if roles.get(u.pk) else ("co" if u.pk in roles else ""),
                    "count": len(statuses),
                    "badge": badge(rules.worst(statuses)),
                }
            )
        statuses = [s for (cid, _u), sts in cells.items() if cid == c.pk for s in sts]
        rows.append({"clause": c, "cells": row, "badge": badge(rules.worst(statuses)), "count": len(statuses)})
    tally = rules.tally(st.status_on(today, st.starts_on) for st in subtasks)
    silent = sorted({st.owner_name for st in subtasks if st.silent_since and st.done_on is None})
    return render_page(
        request,
        "supervision/board.html",
        {"units": units, "rows": rows, "tally": tally, "silent": silent},
    )


@viewer()
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One task (a clause): its units, its sub-tasks with their latest indicator values, and the form with
    which the department adds a sub-task."""
    user, today = request.user, timezone.localdate()
    clause = get_object_or_404(task_clauses(), pk=pk)
    form = None
    if scopes.can(user, "supervision.manage"):
        form = SubTaskForm(request.POST if request.method == "POST" else None, initial={"starts_on": today})
        if request.method == "POST" and form.is_valid():
            try:
                st = services.create_subtask(user, clause, form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Sub-task added: %(t)s") % {"t": st.title})
                return redirect("supervision:task-detail", pk=clause.pk)
    elif request.method == "POST":
        scopes.require(user, "supervision.manage")
    measures = Measures()
    subtasks = list(scopes.visible(user, SubTask).filter(clause=clause).select_related("unit", "division"))
    for st in subtasks:
        st.badge = badge(st.status_on(today, st.starts_on))
        st.latest = measures.province(st.indicator)
    return render_page(
        request,
        "supervision/task_detail.html",
        {
            "clause": clause,
            "responsibilities": clause.responsibilities.select_related("unit"),
            "subtasks": subtasks,
            "form": form,
        },
    )
