"""The admin: where the department keeps the reference data (DESIGN.md principle 3) and the accounts.

Every save and delete made here writes an audit event with before/after snapshots, in the transaction
of the change itself (AuditedModelAdmin). The registry is not edited here: its changes go through the
pages and the service functions, so the admin shows it read-only (registry/admin.py). The audit trail
itself is read-only everywhere."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from youse.core import audit
from youse.core.models import (
    AuditEvent,
    ClauseResponsibility,
    Division,
    IndustrialBase,
    Metal,
    PolicyClause,
    PolicyTarget,
    ResponsibleUnit,
    User,
    ValueChainStage,
)
from youse.core.roles import Role


def _platform_title() -> str:
    province = settings.YOUSE_PROVINCE_NAME_EN if get_language() == "en" else settings.YOUSE_PROVINCE_NAME
    return f"{province} {settings.YOUSE_SITE_TITLE}"


admin.site.site_header = lazy(_platform_title, str)()
admin.site.site_title = settings.YOUSE_SITE_TITLE
admin.site.index_title = _("Reference data and accounts")


def is_department_staff(user) -> bool:
    """Who may use the admin: superusers, and staff accounts of the department."""
    if not (user.is_active and user.is_staff):
        return False
    return user.is_superuser or getattr(user, "role", None) == Role.DEPARTMENT


class DepartmentStaffPermissions:
    """The department's staff keep the reference data; the admin's per-model permissions are not used
    for them, so that the role table (core.roles) stays the one place that says who does what."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_department_staff(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_department_staff(request.user)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_department_staff(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_department_staff(request.user)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_department_staff(request.user)


def admin_snapshot(obj: models.Model, inlines: list[type[admin.options.InlineModelAdmin]] = ()) -> dict:
    """audit.snapshot plus what the admin form also edits: many-to-many sets and inline rows."""
    data = audit.snapshot(obj)
    for m2m in obj._meta.many_to_many:
        if m2m.remote_field.through._meta.auto_created:
            data[m2m.name] = sorted(getattr(obj, m2m.name).values_list("pk", flat=True))
    for inline in inlines:
        fk = next(f for f in inline.model._meta.concrete_fields if f.is_relation and f.related_model is type(obj))
        rows = inline.model._default_manager.filter(**{fk.name: obj}).order_by("pk")
        data[fk.remote_field.get_accessor_name()] = [
            {k: v for k, v in audit.snapshot(row).items() if k not in ("id", fk.name)} for row in rows
        ]
    return data


class AuditedForm(forms.ModelForm):
    audit_reason = forms.CharField(
        label=_("Reason for this change"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the audit trail with the change, e.g. the document that confirms it."),
    )


class AuditedModelAdmin(DepartmentStaffPermissions, admin.ModelAdmin):
    """Writes an AuditEvent (before/after) for every save and delete, inside the admin's transaction."""

    form = AuditedForm

    def _snapshot(self, obj: models.Model) -> dict:
        return admin_snapshot(obj, self.inlines)

    def save_model(self, request: HttpRequest, obj: models.Model, form, change: bool) -> None:
        before = None
        if change and obj.pk is not None:
            # The form has already written its values onto `obj`: read the stored row for "before".
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = self._snapshot(stored) if stored is not None else None
        request._youse_audit_before = before
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            obj = form.instance
            before = getattr(request, "_youse_audit_before", None)
            after = self._snapshot(obj)
            if change and before == after:
                return
            audit.record(
                request.user,
                AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE,
                obj,
                before=before,
                after=after,
                reason=form.cleaned_data.get("audit_reason", "") if hasattr(form, "cleaned_data") else "",
            )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            audit.record(request.user, AuditEvent.Action.DELETE, obj, before=self._snapshot(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        with transaction.atomic():
            for obj in queryset:
                audit.record(request.user, AuditEvent.Action.DELETE, obj, before=self._snapshot(obj))
            super().delete_queryset(request, queryset)


class ReferenceAdmin(AuditedModelAdmin):
    list_filter = ("verified", "source")
    search_fields = ("name", "name_en")
    save_on_top = True

    @admin.display(boolean=True, description=_("verified"), ordering="verified")
    def is_verified(self, obj) -> bool:
        return obj.verified


@admin.register(Division)
class DivisionAdmin(ReferenceAdmin):
    list_display = ("name", "name_en", "code", "level", "prefecture", "valid_from", "valid_to", "is_verified")
    list_filter = ("level", "verified", "source")
    search_fields = ("name", "name_en", "code")
    list_select_related = ("prefecture",)
    raw_id_fields = ("parent", "prefecture")


@admin.register(Metal)
class MetalAdmin(ReferenceAdmin):
    list_display = ("name", "name_en", "code", "symbol", "policy_metal", "color", "order", "is_verified")
    list_filter = ("policy_metal", "verified", "source")
    search_fields = ("name", "name_en", "code")


@admin.register(ValueChainStage)
class ValueChainStageAdmin(ReferenceAdmin):
    list_display = ("name", "name_en", "code", "deep_processing", "recycling", "order", "is_verified")
    search_fields = ("name", "name_en", "code")


@admin.register(ResponsibleUnit)
class ResponsibleUnitAdmin(ReferenceAdmin):
    list_display = ("name", "name_en", "code", "kind", "order", "is_verified")
    list_filter = ("kind", "verified", "source")
    search_fields = ("name", "name_en", "code")


class ClauseResponsibilityInline(admin.TabularInline):
    model = ClauseResponsibility
    extra = 0
    fields = ("unit", "lead", "order")
    autocomplete_fields = ("unit",)

    # The inline follows its clause's permissions (the clause's save is what gets audited).
    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_department_staff(request.user)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_department_staff(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_department_staff(request.user)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_department_staff(request.user)


@admin.register(PolicyClause)
class PolicyClauseAdmin(ReferenceAdmin):
    list_display = ("number", "title", "title_en", "module", "order", "is_verified")
    list_filter = ("module", "verified", "source")
    search_fields = ("number", "title", "title_en", "requires", "platform_duty")
    inlines = [ClauseResponsibilityInline]


@admin.register(PolicyTarget)
class PolicyTargetAdmin(ReferenceAdmin):
    list_display = ("name", "code", "kind", "comparator", "value", "unit", "target_year", "per_year", "is_verified")
    list_filter = ("kind", "verified", "source")
    search_fields = ("name", "name_en", "code")


@admin.register(IndustrialBase)
class IndustrialBaseAdmin(ReferenceAdmin):
    list_display = ("short_name", "name", "code", "clause", "order", "is_verified")
    search_fields = ("name", "name_en", "short_name", "code")
    filter_horizontal = ("metals", "divisions")


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ("username", "display_name", "role", "scope", "is_staff", "is_active", "demo_persona")
    list_filter = ("role", "is_staff", "is_active", "demo_persona")
    search_fields = ("username", "display_name", "first_name", "last_name", "email")
    list_select_related = ("division", "unit", "enterprise")
    raw_id_fields = ("enterprise",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Role and scope"), {"fields": ("role", "division", "unit", "enterprise", "demo_persona")}),
        (_("Personal info"), {"fields": ("display_name", "first_name", "last_name", "email")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
        (_("Audit"), {"fields": ("audit_reason",)}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (_("Role and scope"), {"fields": ("role", "division", "unit", "enterprise")}),
        (_("Personal info"), {"fields": ("display_name", "email")}),
    )
    readonly_fields = ("last_login", "date_joined")

    class ChangeForm(DjangoUserAdmin.form, AuditedForm):
        pass

    form = ChangeForm

    @admin.display(description=_("scope"))
    def scope(self, obj: User) -> str:
        return obj.scope_label

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> tuple:
        fields = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Only a superuser hands out superuser rights or Django's own permissions.
            fields += ("is_superuser", "groups", "user_permissions")
        return fields

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = self.get_object(request, id)
                audit.record(request.user, AuditEvent.Action.UPDATE, user, reason="password set in the admin")
        return response


@admin.register(AuditEvent)
class AuditEventAdmin(DepartmentStaffPermissions, admin.ModelAdmin):
    """The audit trail, read-only: nobody adds, edits or deletes events."""

    list_display = ("time", "actor_username", "actor_role", "channel", "action", "content_type", "object_repr")
    list_filter = ("action", "channel", "content_type")
    search_fields = ("actor_username", "object_repr", "object_id", "reason")
    date_hierarchy = "time"
    list_select_related = ("content_type",)
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
