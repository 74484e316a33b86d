"""Online monitoring in the admin. Emission limits are reference data that the environment department
(and the department) keep here, audited; points, the quarantine and alarms are view-only, since they change
through their service functions (pages, API, the gateway)."""

from django.contrib import admin
from django.http import HttpRequest

from youse.core import scopes
from youse.core.admin import ReferenceAdmin
from youse.monitoring.models import Alarm, Limit, MonitoringPoint, QuarantinedPacket
from youse.registry.admin import ViewOnlyAdmin


def manages_monitoring(user) -> bool:
    return bool(user.is_active and user.is_staff and (user.is_superuser or scopes.can(user, "monitoring.manage")))


class MonitoringManagers:
    """The admin is open to those who manage monitoring (core.roles: monitoring.manage), not only the
    department: the environment department is a provincial unit."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return manages_monitoring(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return manages_monitoring(request.user)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return manages_monitoring(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return manages_monitoring(request.user)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return manages_monitoring(request.user)


@admin.register(Limit)
class LimitAdmin(MonitoringManagers, ReferenceAdmin):
    list_display = ("standard", "table", "plant_type", "pollutant", "factor", "value", "unit", "averaging", "special")
    list_filter = ("standard", "plant_type", "special", "verified")
    search_fields = ("standard", "plant_type", "pollutant", "factor")


@admin.register(MonitoringPoint)
class MonitoringPointAdmin(ViewOnlyAdmin):
    list_display = ("name", "mn", "plant", "outlet", "medium", "standard", "plant_type", "active")
    list_filter = ("medium", "standard", "active")
    search_fields = ("mn", "name", "outlet")


@admin.register(QuarantinedPacket)
class QuarantinedPacketAdmin(ViewOnlyAdmin):
    list_display = ("received_at", "mn", "cn", "reason", "status", "peer")
    list_filter = ("reason", "status")
    search_fields = ("mn", "raw")

    def get_queryset(self, request):
        return QuarantinedPacket.objects.all()


@admin.register(Alarm)
class AlarmAdmin(ViewOnlyAdmin):
    list_display = ("point", "kind", "factor", "started_at", "ended_at", "peak", "limit", "unit")
    list_filter = ("kind",)
