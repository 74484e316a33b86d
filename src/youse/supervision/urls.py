"""Pages of the supervision module (mounted at /supervision/)."""

from django.urls import path

from youse.supervision.views import board, items, plans, report

app_name = "supervision"
urlpatterns = [
    path("", board.board, name="board"),
    path("tasks/<int:pk>/", board.task_detail, name="task-detail"),
    path("subtasks/<int:pk>/", items.subtask_detail, name="subtask-detail"),
    path("subtasks/<int:pk>/edit/", items.subtask_edit, name="subtask-edit"),
    path("milestones/<int:pk>/", items.milestone_detail, name="milestone-detail"),
    path("evidence/<int:pk>/", items.evidence_file, name="evidence-file"),
    path("plans/", plans.plan_list, name="plan-list"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/<slug:action>/", plans.plan_action, name="plan-action"),
    path("report/", report.report_page, name="report"),
    path("report/docx/", report.report_docx, name="report-docx"),
]
