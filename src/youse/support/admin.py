"""Support funds and reserves in the admin: view-only. Calls, applications, plans, holdings and their
ledgers change only through youse.support.services, which audit every step."""

from django.contrib import admin

from youse.registry.admin import ViewOnlyAdmin
from youse.support.models import Application, Disbursement, FundCall, Holding, Movement, ReservePlan


@admin.register(FundCall)
class FundCallAdmin(ViewOnlyAdmin):
    list_display = ("year", "title", "document", "opens_on", "closes_on", "budget", "state")
    list_filter = ("year", "state")


@admin.register(Application)
class ApplicationAdmin(ViewOnlyAdmin):
    list_display = ("code", "enterprise", "category", "project_name", "requested", "approved", "state")
    list_filter = ("call__year", "category", "state")
    search_fields = ("code", "project_name", "enterprise__name")


@admin.register(Disbursement)
class DisbursementAdmin(ViewOnlyAdmin):
    list_display = ("application", "paid_on", "amount", "document")


@admin.register(ReservePlan)
class ReservePlanAdmin(ViewOnlyAdmin):
    list_display = ("metal", "kind", "product", "target_t", "starts_on", "ends_on", "document")
    list_filter = ("kind", "metal")


@admin.register(Holding)
class HoldingAdmin(ViewOnlyAdmin):
    list_display = ("metal", "product", "kind", "enterprise", "holder_body", "warehouse", "division", "quantity_t")
    list_filter = ("kind", "metal")
    search_fields = ("warehouse", "holder_body", "enterprise__name")


@admin.register(Movement)
class MovementAdmin(ViewOnlyAdmin):
    list_display = ("holding", "moved_on", "kind", "quantity_t", "balance_t", "document")
    list_filter = ("kind",)
