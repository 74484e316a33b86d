"""Statistics in the admin: the reference figures the department keeps (other provinces' revenue for the
rank target, early-warning rules) are editable and audited; reports and warnings are view-only, since they
change only through their service functions (pages, API, import)."""

from django.contrib import admin

from youse.core.admin import ReferenceAdmin
from youse.registry.admin import ViewOnlyAdmin
from youse.stats.models import EarlyWarning, MonthlyReport, ProvinceRevenue, WarningRule


@admin.register(ProvinceRevenue)
class ProvinceRevenueAdmin(ReferenceAdmin):
    list_display = ("year", "province", "revenue", "source", "verified")
    list_filter = ("year", "verified")
    search_fields = ("province", "source")


@admin.register(WarningRule)
class WarningRuleAdmin(ReferenceAdmin):
    list_display = (
        "code",
        "name",
        "indicator",
        "scope_kind",
        "period_kind",
        "comparison",
        "threshold",
        "consecutive",
        "active",
        "verified",
    )
    list_filter = ("active", "indicator", "scope_kind", "verified")
    search_fields = ("code", "name", "message")


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ViewOnlyAdmin):
    list_display = ("enterprise", "period", "status", "submitted_at", "accepted_at")
    list_filter = ("status", "period")
    search_fields = ("enterprise__name", "enterprise__credit_code")
    date_hierarchy = "period"


@admin.register(EarlyWarning)
class EarlyWarningAdmin(ViewOnlyAdmin):
    list_display = ("period", "scope_label", "rule", "value", "status", "raised_at")
    list_filter = ("status", "rule", "scope_kind")
