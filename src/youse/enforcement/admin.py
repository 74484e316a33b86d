"""Enforcement in the admin: the norms and checklist items inspections apply are reference data the
department keeps here, every change audited. Cases, orders, closures and announcements are view-only:
they change through enforcement.services (pages, demo)."""

from django.contrib import admin

from youse.core.admin import ReferenceAdmin
from youse.enforcement.models import Announcement, Case, ChecklistItem, Closure, Norm, RectificationOrder
from youse.registry.admin import ViewOnlyAdmin


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ("code", "text", "kind", "threshold", "unit", "order", "source", "verified")


@admin.register(Norm)
class NormAdmin(ReferenceAdmin):
    list_display = ("code", "title", "dimension", "metal", "document", "is_verified")
    list_filter = ("dimension", "metal", "verified")
    search_fields = ("code", "title", "document")
    inlines = [ChecklistItemInline]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(ReferenceAdmin):
    list_display = ("code", "text", "norm", "kind", "threshold", "unit", "is_verified")
    list_filter = ("kind", "norm__dimension", "verified")
    search_fields = ("code", "text")


@admin.register(Case)
class CaseAdmin(ViewOnlyAdmin):
    list_display = ("code", "enterprise", "city", "source", "status", "opened_at")
    list_filter = ("source", "status")
    search_fields = ("code", "enterprise__name")


@admin.register(RectificationOrder)
class RectificationOrderAdmin(ViewOnlyAdmin):
    list_display = ("code", "case", "issued_on", "deadline", "state", "overdue_since")
    list_filter = ("state",)


@admin.register(Closure)
class ClosureAdmin(ViewOnlyAdmin):
    list_display = ("case", "state", "decided_on", "effective_on", "executed_on")
    list_filter = ("state",)


@admin.register(Announcement)
class AnnouncementAdmin(ViewOnlyAdmin):
    list_display = ("title", "kind", "published_at")
    list_filter = ("kind",)
