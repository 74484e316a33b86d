"""Aluminium capacity in the admin. The reference tables the rules read (replacement ratios, energy
thresholds, the holiday calendar, national figures) are kept here by the department, every change
audited. The ledger, schemes and objections are view-only: tonnes move only through capacity.services."""

from django.contrib import admin

from youse.capacity.models import (
    CalendarDay,
    CapacityIndicator,
    CapacityViolation,
    EnergyThreshold,
    LedgerEntry,
    NationalCapacityFigure,
    ReplacementRatio,
    ReplacementScheme,
)
from youse.core.admin import ReferenceAdmin
from youse.registry.admin import ViewOnlyAdmin


@admin.register(ReplacementRatio)
class ReplacementRatioAdmin(ReferenceAdmin):
    list_display = ("region_name", "valid_from", "valid_to", "min_ratio", "no_new_capacity", "is_verified")
    list_filter = ("no_new_capacity", "verified")
    search_fields = ("region_name", "source")
    filter_horizontal = ("divisions",)


@admin.register(EnergyThreshold)
class EnergyThresholdAdmin(ReferenceAdmin):
    list_display = ("measure", "max_kwh_per_t", "valid_from", "valid_to", "is_verified")
    search_fields = ("measure", "source")


@admin.register(CalendarDay)
class CalendarDayAdmin(ReferenceAdmin):
    list_display = ("date", "name", "working", "is_verified")
    list_filter = ("working", "verified")
    search_fields = ("name", "source")
    date_hierarchy = "date"


@admin.register(NationalCapacityFigure)
class NationalCapacityFigureAdmin(ReferenceAdmin):
    list_display = ("as_of", "ceiling_t", "built_t", "running_t", "is_verified")
    search_fields = ("source",)


@admin.register(CapacityIndicator)
class CapacityIndicatorAdmin(ViewOnlyAdmin):
    list_display = ("code", "owner", "tonnes", "basis", "active_t", "available_t", "reserved_t", "consumed_t")
    list_filter = ("basis",)
    search_fields = ("code", "owner__name", "origin_document")


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ViewOnlyAdmin):
    list_display = ("indicator", "seq", "kind", "source", "target", "tonnes", "scheme", "effective_on")
    list_filter = ("kind",)
    search_fields = ("indicator__code", "document")


@admin.register(ReplacementScheme)
class ReplacementSchemeAdmin(ViewOnlyAdmin):
    list_display = ("code", "title", "applicant", "capacity_t", "state", "notice_start", "notice_end")
    list_filter = ("state",)
    search_fields = ("code", "title", "applicant__name")


@admin.register(CapacityViolation)
class CapacityViolationAdmin(ViewOnlyAdmin):
    list_display = ("kind", "enterprise", "unit", "tonnes", "status", "first_detected_at")
    list_filter = ("kind", "status")
