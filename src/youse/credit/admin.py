"""The credit module in the admin. The criteria are reference data kept by the department, every change
audited (and checked against the evaluator's parameters). Editions and entries are view-only: they change
only through credit.services (derive, override, publish)."""

from django.contrib import admin

from youse.core.admin import ReferenceAdmin
from youse.credit.models import Criterion, Edition, Entry
from youse.registry.admin import ViewOnlyAdmin


@admin.register(Criterion)
class CriterionAdmin(ReferenceAdmin):
    list_display = ("order", "code", "label", "kind", "params", "active", "is_verified")
    list_display_links = ("code",)
    list_filter = ("kind", "active", "verified")
    search_fields = ("code", "label", "label_en", "basis")


@admin.register(Edition)
class EditionAdmin(ViewOnlyAdmin):
    list_display = ("title", "number", "year", "as_of", "status", "document", "published_at")
    list_filter = ("status", "year")


@admin.register(Entry)
class EntryAdmin(ViewOnlyAdmin):
    list_display = ("edition", "name", "city", "metal", "derived_included", "included", "override_included")
    list_filter = ("edition__year", "included", "derived_included")
    search_fields = ("name", "credit_code")
