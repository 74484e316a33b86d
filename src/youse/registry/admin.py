"""The registry in the admin: view-only.

Changes to enterprises, plants and units go through registry.services (scope checks, rules, audit), from
the registry pages, the API, imports or the CLI. The admin is for looking things up, so it offers no
add, change or delete here, and shows each staff user only the rows in scope."""

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from youse.core import scopes
from youse.core.admin import DepartmentStaffPermissions
from youse.registry.models import Enterprise, Plant, ProductionUnit, UnitStatusChange


class ViewOnlyAdmin(DepartmentStaffPermissions, admin.ModelAdmin):
    actions = None

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        qs = super().get_queryset(request)
        # A superuser is the installation's operator, not a role with a scope.
        return qs if request.user.is_superuser else scopes.visible(request.user, qs)

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Enterprise)
class EnterpriseAdmin(ViewOnlyAdmin):
    list_display = ("name", "short_name", "credit_code", "division", "base", "ownership", "status")
    list_filter = ("status", "ownership", "base")
    search_fields = ("name", "short_name", "credit_code")
    list_select_related = ("division", "base")


@admin.register(Plant)
class PlantAdmin(ViewOnlyAdmin):
    list_display = ("name", "enterprise", "division", "base", "latitude", "longitude")
    list_filter = ("base",)
    search_fields = ("name", "enterprise__name")
    list_select_related = ("enterprise", "division", "base")


@admin.register(ProductionUnit)
class ProductionUnitAdmin(ViewOnlyAdmin):
    list_display = ("name", "plant", "metal", "stage", "design_capacity", "capacity_unit", "status", "status_since")
    list_filter = ("status", "metal", "stage", "capacity_unit")
    search_fields = ("name", "product", "plant__name", "plant__enterprise__name")
    list_select_related = ("plant__enterprise", "metal", "stage")


@admin.register(UnitStatusChange)
class UnitStatusChangeAdmin(ViewOnlyAdmin):
    list_display = ("unit", "from_status", "to_status", "effective_on", "document", "actor", "recorded_at")
    list_filter = ("to_status",)
    search_fields = ("unit__name", "document", "reason")
    list_select_related = ("unit__plant__enterprise", "actor")
