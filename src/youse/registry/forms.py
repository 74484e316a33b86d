"""Forms of the registry's pages.

The forms only collect and type the input: every rule (credit-code check digit, divisions in the
user's city, capacity with its unit, the status life cycle) is checked by the service functions in
registry/services.py, whose ValidationError is mapped back onto the form's fields (`add_service_errors`).
Model validation is therefore switched off in `ServiceModelForm`: one door, not two."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from youse.core.models import Division, IndustrialBase, Metal, ValueChainStage
from youse.core.roles import ENTERPRISE_CONTACT_FIELDS, Role
from youse.registry import rules
from youse.registry.models import (
    STATUS_LABELS,
    UNIT_STATUS_CHOICES,
    Enterprise,
    Ownership,
    Plant,
    ProductionUnit,
)
from youse.registry.services import ENTERPRISE_FIELDS, PLANT_FIELDS, UNIT_FIELDS

# Statuses whose transition is decided by a document (an approval or an exit/dismantling order).
DOCUMENT_REQUIRED_STATUSES = frozenset({rules.UnitStatus.APPROVED, rules.UnitStatus.EXITED})


def _bootstrap(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


def add_service_errors(form: forms.BaseForm, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form: per field where the form has that field."""
    aliases = aliases or {}
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, messages in exc.message_dict.items():
        name = aliases.get(field, field)
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message if target else f"{field}: {message}")


def mark_invalid(form: forms.BaseForm) -> forms.BaseForm:
    """Give the widgets of fields with errors Bootstrap's is-invalid class (after validation)."""
    if form.is_bound:
        for name in form.errors:
            if name in form.fields:
                widget = form.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()
    return form


def city_divisions():
    return Division.objects.filter(level__in=[Division.Level.CITY, Division.Level.ZONE], valid_to__isnull=True)


def _divisions_for(user):
    qs = Division.objects.filter(valid_to__isnull=True).exclude(level=Division.Level.PROVINCE)
    if getattr(user, "role", None) == Role.CITY:
        qs = qs.filter(prefecture_id=user.division_id)
    return qs.select_related("prefecture")


class ServiceModelForm(forms.ModelForm):
    """A ModelForm used for its fields and widgets only; the service validates and saves."""

    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the audit trail."),
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        _bootstrap(self)

    def _post_clean(self) -> None:
        # No construct_instance/full_clean here: registry/services.py validates the whole change.
        pass

    def data_fields(self) -> list[str]:
        return [name for name in self.fields if name != "reason"]

    def values(self) -> dict:
        """All fields' values, for a create."""
        return {name: self.cleaned_data[name] for name in self.data_fields()}

    def changes(self) -> dict:
        """The fields the user changed, for an update: unchanged ones are not sent to the service."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name != "reason"}


class EnterpriseForm(ServiceModelForm):
    class Meta:
        model = Enterprise
        fields = list(ENTERPRISE_FIELDS)
        widgets = {"established_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["division"].queryset = _divisions_for(user)
        self.fields["base"].queryset = IndustrialBase.objects.all()
        self.fields["credit_code"].help_text = _("18 characters, GB 32100-2015; the last one is a check character.")


class EnterpriseContactForm(ServiceModelForm):
    """What an enterprise may change on its own record. Other posted fields are simply not read."""

    class Meta:
        model = Enterprise
        fields = list(ENTERPRISE_CONTACT_FIELDS)


class PlantForm(ServiceModelForm):
    class Meta:
        model = Plant
        fields = list(PLANT_FIELDS)

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["division"].queryset = _divisions_for(user)
        self.fields["latitude"].help_text = _("Decimal degrees (WGS 84), e.g. 38.285")
        self.fields["longitude"].help_text = _("Decimal degrees (WGS 84), e.g. 109.734")


class UnitForm(ServiceModelForm):
    class Meta:
        model = ProductionUnit
        fields = list(UNIT_FIELDS)

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["metal"].queryset = Metal.objects.all()
        self.fields["stage"].queryset = ValueChainStage.objects.all()


class UnitCreateForm(UnitForm):
    """A new unit with the status it has when first registered and the document behind it."""

    status = forms.ChoiceField(label=_("Current status"), choices=UNIT_STATUS_CHOICES, initial="planned")
    status_since = forms.DateField(label=_("Status since"), widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.CharField(
        label=_("Document"),
        max_length=120,
        required=False,
        help_text=_("The filing, approval or order that put the unit in this status."),
    )

    field_order = [*UNIT_FIELDS, "status", "status_since", "document", "reason"]

    def data_fields(self) -> list[str]:
        return [name for name in super().data_fields() if name not in ("status", "status_since", "document")]


class UnitTransitionForm(forms.Form):
    """Move a unit along its life cycle: only the statuses allowed from the current one are offered."""

    to_status = forms.ChoiceField(label=_("New status"))
    effective_on = forms.DateField(label=_("Effective date"), widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.CharField(
        label=_("Document"),
        max_length=120,
        required=False,
        help_text=_("Required for approval and for exit (dismantling)."),
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, unit: ProductionUnit, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        allowed = rules.ALLOWED_TRANSITIONS[rules.UnitStatus(unit.status)]
        self.fields["to_status"].choices = [(s.value, STATUS_LABELS[s]) for s in rules.UnitStatus if s in allowed]
        _bootstrap(self)

    def clean(self) -> dict:
        data = super().clean()
        status = data.get("to_status")
        if status in DOCUMENT_REQUIRED_STATUSES and not (data.get("document") or "").strip():
            self.add_error("document", _("A document is required for this status."))
        return data


class CityField(forms.ModelChoiceField):
    """A city-level division named by its GB/T 2260 code, as links across the platform name it; zones
    without a code (西咸新区) go by their id."""

    def prepare_value(self, value):
        if isinstance(value, Division):
            return value.code or str(value.pk)
        if value not in self.empty_values and not isinstance(value, str):
            division = self.queryset.filter(pk=value).first()
            return (division.code or str(division.pk)) if division else value
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        lookup = {"code": value} if len(value) == 6 and value.isdigit() else {"pk": value if value.isdigit() else -1}
        division = self.queryset.filter(**lookup).first()
        if division is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return division


class RegistryFilterForm(forms.Form):
    """The filters shared by the enterprise list, the unit list and the map (GET, all optional)."""

    q = forms.CharField(label=_("Search"), required=False)
    city = CityField(label=_("City"), queryset=Division.objects.none(), required=False)
    base = forms.ModelChoiceField(
        label=_("Industrial base"), queryset=IndustrialBase.objects.none(), required=False, to_field_name="code"
    )
    metal = forms.ModelChoiceField(
        label=_("Metal"), queryset=Metal.objects.none(), required=False, to_field_name="code"
    )
    stage = forms.ModelChoiceField(
        label=_("Value-chain stage"), queryset=ValueChainStage.objects.none(), required=False, to_field_name="code"
    )
    status = forms.ChoiceField(label=_("Unit status"), required=False)
    ownership = forms.ChoiceField(label=_("Ownership"), required=False)

    def __init__(self, *args, fields: tuple[str, ...] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = city_divisions()
        self.fields["base"].queryset = IndustrialBase.objects.all()
        self.fields["metal"].queryset = Metal.objects.all()
        self.fields["stage"].queryset = ValueChainStage.objects.all()
        every = [("", _("All"))]
        self.fields["status"].choices = every + list(UNIT_STATUS_CHOICES)
        self.fields["ownership"].choices = every + list(Ownership.choices)
        for name in ("city", "base", "metal", "stage"):
            self.fields[name].empty_label = _("All")
        if fields is not None:
            for name in list(self.fields):
                if name not in fields:
                    del self.fields[name]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"
        if "q" in self.fields:
            self.fields["q"].widget.attrs.update(
                {"class": "form-control form-control-sm", "placeholder": _("Name, short name or credit code")}
            )

    def value(self, name: str):
        """The cleaned value of a filter, or None (invalid filters are ignored, not errors)."""
        if not self.is_bound or name not in self.fields:
            return None
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or None
