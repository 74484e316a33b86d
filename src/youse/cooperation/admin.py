"""International capacity cooperation in the admin. The host countries are reference data kept by the
department, every change audited; projects, their partners, progress and reviews are view-only here:
they change only through cooperation.services."""

from django.contrib import admin

from youse.cooperation.models import Country, OverseasProject, Review, StatusChange
from youse.core.admin import ReferenceAdmin
from youse.registry.admin import ViewOnlyAdmin


@admin.register(Country)
class CountryAdmin(ReferenceAdmin):
    list_display = ("code", "name", "name_en", "region", "belt_and_road", "order", "is_verified")
    list_filter = ("region", "belt_and_road", "verified")
    search_fields = ("code", "name", "name_en")


@admin.register(OverseasProject)
class OverseasProjectAdmin(ViewOnlyAdmin):
    list_display = ("code", "name", "enterprise", "country", "metal", "mode", "status", "filing", "risk_level")
    list_filter = ("filing", "status", "mode", "risk_level", "country")
    search_fields = ("code", "name", "enterprise__name", "register_no")
    list_select_related = ("enterprise", "country", "metal")


@admin.register(StatusChange)
class StatusChangeAdmin(ViewOnlyAdmin):
    list_display = ("project", "status_from", "status_to", "on", "invested")
    list_filter = ("status_to",)


@admin.register(Review)
class ReviewAdmin(ViewOnlyAdmin):
    list_display = ("project", "year", "reviewed_on", "reviewer", "risk_level")
    list_filter = ("year", "risk_level")
