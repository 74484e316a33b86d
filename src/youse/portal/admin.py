"""The bulletin in Django's admin: a read-only listing (every change goes through the services)."""

from django.contrib import admin

from youse.portal.models import Bulletin


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    list_display = ("month", "version", "status", "drafted_at", "published_at", "published_by")
    list_filter = ("status",)
    date_hierarchy = "month"
    ordering = ("-month", "-version")
    readonly_fields = [f.name for f in Bulletin._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
