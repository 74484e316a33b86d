"""Electricity surcharges in the admin. The rule sets and differential prices are reference data kept by
the department, every change audited. Lists, assessments and trading records are view-only: they change
only through pricing.services."""

from django.contrib import admin

from youse.core.admin import ReferenceAdmin
from youse.pricing.models import Assessment, DifferentialPrice, DirectTrading, SurchargeList, SurchargeRuleSet
from youse.registry.admin import ViewOnlyAdmin


@admin.register(SurchargeRuleSet)
class SurchargeRuleSetAdmin(ReferenceAdmin):
    list_display = ("code", "document", "measure", "method", "first_year", "last_year", "threshold", "is_verified")
    list_filter = ("measure", "method", "verified")
    search_fields = ("code", "document", "source")


@admin.register(DifferentialPrice)
class DifferentialPriceAdmin(ReferenceAdmin):
    list_display = ("category", "surcharge", "document", "first_year", "last_year", "is_verified")
    list_filter = ("category", "verified")
    search_fields = ("document", "source")


@admin.register(SurchargeList)
class SurchargeListAdmin(ViewOnlyAdmin):
    list_display = ("year", "status", "document", "generated_at", "approved_at")
    list_filter = ("status",)


@admin.register(Assessment)
class AssessmentAdmin(ViewOnlyAdmin):
    list_display = ("surcharge_list", "enterprise", "reported_consumption", "audited_consumption", "surcharge_per_kwh",
                    "amount_yuan")  # fmt: skip
    list_filter = ("surcharge_list__year", "category")
    search_fields = ("enterprise__name",)


@admin.register(DirectTrading)
class DirectTradingAdmin(ViewOnlyAdmin):
    list_display = ("year", "enterprise", "trades_directly", "direct_share", "integrated")
    list_filter = ("year", "trades_directly", "integrated")
    search_fields = ("enterprise__name",)
