"""Forms of the capacity pages.

They collect and type the input only: every rule (tonnes held, scheme states, evidence types and sizes)
is checked by capacity/services.py, whose ValidationError is put back on the fields with
`add_service_errors`. One door, not two."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from youse.capacity.models import (
    BASIS_CHOICES,
    HOLDING_LABELS,
    ROUTE_CHOICES,
    CapacityIndicator,
    ExitLine,
    ReplacementScheme,
)
from youse.capacity.rules import Holding, SchemeState
from youse.capacity.services import LINE_FIELDS
from youse.core import scopes
from youse.core.models import Division
from youse.core.roles import Role
from youse.registry.forms import add_service_errors, mark_invalid  # noqa: F401 (re-exported for the views)
from youse.registry.models import Enterprise, Plant, ProductionUnit

DATE = {"type": "date"}


def bootstrap(form: forms.BaseForm) -> forms.BaseForm:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
    return form


class BootstrapForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


def _date(label, required=True, help_text="") -> forms.DateField:
    return forms.DateField(label=label, required=required, help_text=help_text, widget=forms.DateInput(DATE))


def _tonnes(label, required=True, help_text="") -> forms.IntegerField:
    return forms.IntegerField(label=label, required=required, min_value=1, help_text=help_text)


def city_choices() -> list[tuple[str, str]]:
    cities = Division.objects.filter(valid_to__isnull=True, level__in=[Division.Level.CITY, Division.Level.ZONE])
    return [("", _("All"))] + [(str(d.pk), str(d)) for d in cities]


# --- Filters -----------------------------------------------------------------------------------------


class IndicatorFilterForm(BootstrapForm):
    holding = forms.ChoiceField(label=_("Holding"), required=False)
    basis = forms.ChoiceField(label=_("Compliance basis"), required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), required=False, queryset=Enterprise.objects.none())
    city = forms.ChoiceField(label=_("City"), required=False)

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["holding"].choices = [("", _("All"))] + [(h.value, label) for h, label in HOLDING_LABELS.items()]
        self.fields["basis"].choices = [("", _("All")), *BASIS_CHOICES]
        owners = scopes.visible(user, CapacityIndicator).values("owner")
        self.fields["owner"].queryset = scopes.visible(user, Enterprise).filter(pk__in=owners).order_by("name")
        self.fields["owner"].empty_label = _("All")
        self.fields["city"].choices = city_choices()
        for field in self.fields.values():
            field.widget.attrs["class"] += " form-select-sm"

    def value(self, name: str):
        return self.cleaned_data.get(name) if self.is_valid() else None


class SchemeFilterForm(BootstrapForm):
    state = forms.ChoiceField(label=_("State"), required=False)
    applicant = forms.ModelChoiceField(label=_("Applicant"), required=False, queryset=Enterprise.objects.none())
    city = forms.ChoiceField(label=_("City"), required=False)

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All"))] + [
            (s.value, label) for s, label in ReplacementScheme.STATE_LABELS.items()
        ]
        applicants = scopes.visible(user, ReplacementScheme).values("applicant")
        self.fields["applicant"].queryset = scopes.visible(user, Enterprise).filter(pk__in=applicants).order_by("name")
        self.fields["applicant"].empty_label = _("All")
        self.fields["city"].choices = city_choices()
        for field in self.fields.values():
            field.widget.attrs["class"] += " form-select-sm"

    def value(self, name: str):
        return self.cleaned_data.get(name) if self.is_valid() else None


# --- Ledger (department) -------------------------------------------------------------------------------


class IndicatorForm(forms.ModelForm):
    """Register capacity in the ledger; the service decides the starting holding unless one is chosen."""

    holding = forms.ChoiceField(
        label=_("Starting holding"),
        required=False,
        help_text=_("Blank: active when the unit runs, ineligible without a basis, otherwise available."),
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = CapacityIndicator
        fields = [
            "code",
            "tonnes",
            "owner",
            "unit",
            "origin_document",
            "basis",
            "basis_reference",
            "origin_province",
            "origin_enterprise",
            "origin_equipment",
            "built_on",
            "closed_on",
            "announced",
            "use_by",
            "elimination_deadline",
            "transfer_reference",
            "note",
        ]
        widgets = {
            f: forms.DateInput(DATE, format="%Y-%m-%d")
            for f in ("built_on", "closed_on", "use_by", "elimination_deadline")
        } | {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["code"].help_text = _("Blank: the next number is given.")
        self.fields["owner"].queryset = scopes.visible(user, Enterprise).order_by("name")
        self.fields["unit"].queryset = (
            scopes.visible(user, ProductionUnit).filter(metal__code="Al").select_related("plant__enterprise")
        )
        self.fields["holding"].choices = [("", "—")] + [
            (h.value, HOLDING_LABELS[h]) for h in (Holding.ACTIVE, Holding.AVAILABLE, Holding.INELIGIBLE)
        ]
        bootstrap(self)

    def _post_clean(self) -> None:
        # The service validates the whole indicator (principle 2).
        pass

    def values(self) -> dict:
        data = {f: self.cleaned_data[f] for f in self.Meta.fields}
        return {k: v for k, v in data.items() if v not in (None, "")}


class CloseForm(BootstrapForm):
    closed_on = _date(_("Closed on"))
    document = forms.CharField(label=_("Closure document (文号)"), max_length=200)
    tonnes = _tonnes(_("Tonnes"), required=False, help_text=_("Blank: every active tonne."))
    reason = forms.CharField(label=_("Reason"), required=False)


class DisqualifyForm(BootstrapForm):
    holding = forms.ChoiceField(
        label=_("From"),
        choices=[
            (Holding.AVAILABLE.value, HOLDING_LABELS[Holding.AVAILABLE]),
            (Holding.ACTIVE.value, HOLDING_LABELS[Holding.ACTIVE]),
        ],
    )
    tonnes = _tonnes(_("Tonnes"), required=False, help_text=_("Blank: every tonne of that holding."))
    reason = forms.CharField(label=_("Why the capacity is ineligible"), widget=forms.Textarea(attrs={"rows": 2}))


class TransferOutForm(BootstrapForm):
    tonnes = _tonnes(_("Tonnes"))
    province = forms.CharField(label=_("To province"), max_length=40)
    reference = forms.CharField(label=_("That province's announcement"), max_length=200)
    reason = forms.CharField(label=_("Note"), required=False)


# --- Schemes -----------------------------------------------------------------------------------------


class SchemeForm(forms.ModelForm):
    """The new side of a scheme. An enterprise applies for itself, so it is not offered the applicant."""

    reason = forms.CharField(label=_("Note for the record"), required=False)

    class Meta:
        model = ReplacementScheme
        fields = [
            "title",
            "applicant",
            "plant",
            "site",
            "division",
            "main_equipment",
            "capacity_t",
            "energy_kwh_per_t",
            "planned_start",
            "planned_production",
            "route",
            "contact",
        ]
        widgets = {f: forms.DateInput(DATE, format="%Y-%m-%d") for f in ("planned_start", "planned_production")}

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        enterprise = getattr(user, "role", None) == Role.ENTERPRISE
        if enterprise:
            del self.fields["applicant"]
            plants = Plant.objects.filter(enterprise_id=user.enterprise_id)
        else:
            self.fields["applicant"].queryset = scopes.visible(user, Enterprise).order_by("name")
            plants = scopes.visible(user, Plant).select_related("enterprise")
        self.fields["plant"].queryset = plants.order_by("enterprise__name", "name")
        self.fields["division"].queryset = (
            Division.objects.filter(valid_to__isnull=True)
            .exclude(level=Division.Level.PROVINCE)
            .select_related("prefecture")
        )
        self.fields["division"].label_from_instance = lambda d: (
            f"{d.code} {d.prefecture} · {d}" if d.prefecture_id and d.prefecture_id != d.pk else f"{d.code} {d}"
        )
        self.fields["route"].choices = ROUTE_CHOICES
        bootstrap(self)

    def _post_clean(self) -> None:
        pass

    def values(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.fields if f != "reason"}


class ExitLineForm(BootstrapForm):
    indicator = forms.CharField(label=_("Indicator code"), max_length=40, required=False)
    tonnes = _tonnes(_("Tonnes"), required=False)
    equipment = forms.CharField(label=_("Main equipment"), max_length=120, required=False)
    acquisition_document = forms.CharField(label=_("Acquisition document"), max_length=200, required=False)
    dismantling_start = _date(_("Dismantling starts"), required=False)
    dismantling_due = _date(_("Dismantling completed by"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] += " form-control-sm"
        self.fields["indicator"].widget.attrs["list"] = "ys-indicator-codes"

    def clean(self):
        data = super().clean()
        if data.get("indicator") and not data.get("tonnes") and "tonnes" not in self.errors:
            self.add_error("tonnes", _("Enter the tonnes this line converts."))
        return data

    def line(self) -> dict | None:
        """The service's line dict, or None for a blank row."""
        data = self.cleaned_data if self.is_valid() else {}
        if not data.get("indicator"):
            return None
        return {f: data.get(f) for f in LINE_FIELDS if data.get(f) not in (None, "")}


ExitLineFormSet = forms.formset_factory(ExitLineForm, extra=0, max_num=40, validate_max=True)


def line_initial(line: ExitLine) -> dict:
    return {
        "indicator": line.indicator.code,
        "tonnes": line.tonnes,
        "equipment": line.equipment,
        "acquisition_document": line.acquisition_document,
        "dismantling_start": line.dismantling_start,
        "dismantling_due": line.dismantling_due,
    }


def claimable_codes(user) -> list[tuple[str, str]]:
    """Indicator codes the applicant may list (suggestions only; the rules decide eligibility)."""
    qs = scopes.visible(user, CapacityIndicator).filter(Q(available_t__gt=0) | Q(reserved_t__gt=0))
    return [(i.code, f"{i.owner.name} · {i.available_t:,} t") for i in qs.select_related("owner")[:500]]


# --- Scheme decisions --------------------------------------------------------------------------------


class WithdrawForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason"), required=False)


class PublishForm(BootstrapForm):
    published_on = _date(_("Published on"), required=False, help_text=_("Blank: today."))
    contact = forms.CharField(
        label=_("Objection contact"), max_length=200, required=False, help_text=_("Blank: the scheme's own.")
    )
    reason = forms.CharField(label=_("Note"), required=False)


class ApproveForm(BootstrapForm):
    document = forms.CharField(label=_("Approval document (文号)"), max_length=200)
    unit_name = forms.CharField(label=_("Name of the new unit"), max_length=120, required=False)
    reason = forms.CharField(label=_("Note"), required=False)


class RejectForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason for the rejection"), widget=forms.Textarea(attrs={"rows": 2}))
    document = forms.CharField(label=_("Document"), max_length=200, required=False)


class AnnounceForm(BootstrapForm):
    document = forms.CharField(label=_("Announcement (公告文号)"), max_length=200)
    reason = forms.CharField(label=_("Note"), required=False)


# action -> (form, capability, target state)
SCHEME_ACTIONS: dict[str, tuple[type[forms.Form] | None, str, SchemeState]] = {
    "submit": (None, "capacity.apply", SchemeState.SUBMITTED),
    "withdraw": (WithdrawForm, "capacity.apply", SchemeState.WITHDRAWN),
    "publish": (PublishForm, "capacity.decide", SchemeState.NOTICE),
    "approve": (ApproveForm, "capacity.decide", SchemeState.APPROVED),
    "reject": (RejectForm, "capacity.decide", SchemeState.REJECTED),
    "announce": (AnnounceForm, "capacity.decide", SchemeState.ANNOUNCED),
}


class DecideObjectionForm(BootstrapForm):
    outcome = forms.ChoiceField(
        label=_("Finding"),
        choices=[("dismissed", _("Dismissed")), ("upheld", _("Upheld: send the scheme back"))],
        widget=forms.RadioSelect,
    )
    finding = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 2}))
    cut_line = forms.ModelChoiceField(
        label=_("Exit line cut"), required=False, queryset=ExitLine.objects.none(), empty_label="—"
    )
    cut_tonnes = forms.IntegerField(label=_("Tonnes found ineligible"), required=False, min_value=0)

    def __init__(self, *args, scheme: ReplacementScheme, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].label = _("Outcome")
        self.fields["cut_line"].queryset = scheme.exit_lines.select_related("indicator")
        self.fields["cut_line"].label_from_instance = lambda x: f"{x.indicator.code} ({x.reserved_t:,} t)"


# --- Dismantling -------------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class DismantlingForm(BootstrapForm):
    dismantled_on = _date(_("Dismantled on"))
    files = MultipleFileField(
        label=_("Photos and documents"),
        required=False,
        help_text=_("JPEG, PNG or PDF; several files may be chosen at once."),
    )
    note = forms.CharField(label=_("Inspection note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
