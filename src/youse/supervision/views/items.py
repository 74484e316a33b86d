"""A sub-task or a milestone: its progress reports with evidence, the owner's report form, the
department's comments (and major problems), and editing a sub-task."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.core import audit, scopes
from youse.core.pages import serve_evidence
from youse.supervision import services
from youse.supervision.forms import ProgressForm, RemarkForm, SubTaskForm, add_service_errors
from youse.supervision.measures import Measures
from youse.supervision.models import Milestone, ProgressEvidence, SubTask
from youse.supervision.views.common import badge, render_page, viewer


def _item_page(request: HttpRequest, item: SubTask | Milestone, url_name: str, extra: dict) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    may_report = services.may_report(user, item)
    may_review = scopes.can(user, "supervision.review")
    post = request.POST if request.method == "POST" else None
    which = post.get("form") if post else None
    progress = ProgressForm(post if which == "progress" else None, request.FILES if which == "progress" else None)
    remark = RemarkForm(post if which == "remark" else None)
    if post is not None:
        try:
            if which == "progress":
                if not may_report:
                    services.report_progress(user, item, {})  # refuses, with its audit event
                if progress.is_valid():
                    data = progress.cleaned_data
                    services.report_progress(user, item, data, data.get("files") or [])
                    messages.success(request, _("Progress reported."))
                    return redirect(url_name, pk=item.pk)
            elif which == "remark":
                scopes.require(user, "supervision.review", item)
                if remark.is_valid():
                    services.comment(user, item, remark.cleaned_data["text"], remark.cleaned_data["major"])
                    messages.success(request, _("Comment recorded."))
                    return redirect(url_name, pk=item.pk)
        except ValidationError as exc:
            add_service_errors(progress if which == "progress" else remark, exc)
    context = {
        "item": item,
        "badge": badge(item.status_on(today, item.starts_on)),
        "reports": item.reports.select_related("author").prefetch_related("evidence"),
        "remarks": item.remarks.select_related("author"),
        "progress_form": progress if may_report else None,
        "remark_form": remark if may_review else None,
        "history": audit.history(item)[:30],
        **extra,
    }
    return render_page(request, "supervision/item_detail.html", context)


@viewer()
def subtask_detail(request: HttpRequest, pk: int) -> HttpResponse:
    st = scopes.get_visible_or_404(request.user, SubTask.objects.select_related("clause", "unit", "division"), pk=pk)
    return _item_page(
        request, st, "supervision:subtask-detail", {"kind": "subtask", "latest": Measures().province(st.indicator)}
    )


@viewer()
def milestone_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ms = scopes.get_visible_or_404(request.user, Milestone.objects.select_related("task__plan__division"), pk=pk)
    return _item_page(request, ms, "supervision:milestone-detail", {"kind": "milestone", "plan": ms.task.plan})


@viewer("supervision.manage")
def subtask_edit(request: HttpRequest, pk: int) -> HttpResponse:
    st = scopes.get_visible_or_404(request.user, SubTask.objects.select_related("clause"), pk=pk)
    initial = {
        f: getattr(st, f) for f in ("title", "unit", "division", "starts_on", "deadline", "indicator", "measure")
    }
    form = SubTaskForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_subtask(request.user, st, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Sub-task saved."))
            return redirect("supervision:subtask-detail", pk=st.pk)
    return render_page(
        request,
        "supervision/form.html",
        {
            "title": _("Edit sub-task"),
            "form": form,
            "crumbs": [
                (str(st.clause), reverse("supervision:task-detail", args=[st.clause_id])),
                (st.title, reverse("supervision:subtask-detail", args=[st.pk])),
            ],
        },
    )


@viewer()
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence is served only through this view, to those who may see its item: MEDIA is not public."""
    ev = scopes.get_visible_or_404(request.user, ProgressEvidence, pk=pk)
    return serve_evidence(request, ev)
