"""Supervision in the admin: read-only, since every change goes through services.py and its audit."""

from django.contrib import admin

from youse.supervision.models import CityPlan, Milestone, ProgressReport, Remark, SubTask


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SubTask)
class SubTaskAdmin(ReadOnly):
    list_display = ("clause", "title", "unit", "division", "deadline", "percent", "done_on", "overdue_since")
    list_filter = ("clause",)


@admin.register(CityPlan)
class CityPlanAdmin(ReadOnly):
    list_display = ("division", "start_year", "end_year", "state")
    list_filter = ("state",)


@admin.register(Milestone)
class MilestoneAdmin(ReadOnly):
    list_display = ("task", "title", "starts_on", "deadline", "percent", "done_on")


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnly):
    list_display = ("subtask", "milestone", "reported_on", "percent")


@admin.register(Remark)
class RemarkAdmin(ReadOnly):
    list_display = ("subtask", "milestone", "major", "created_at")
