"""Forms of the campaign, case, inspection and order pages.

They collect and type the input only: every rule (who may act, which dates agree, which files are
accepted, what a checklist result means) is checked by enforcement/services, whose ValidationError is
put back on the fields with `add_service_errors`. One door, not two."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from youse.capacity.forms import BootstrapForm, MultipleFileField, bootstrap
from youse.core import scopes
from youse.core.models import Division, Metal
from youse.core.roles import Role
from youse.enforcement.models import (
    CASE_STATUS_LABELS,
    DIMENSION_CHOICES,
    SOURCE_CHOICES,
    Campaign,
    ChecklistItem,
    Finding,
)
from youse.enforcement.rules import ItemKind
from youse.registry.forms import add_service_errors, mark_invalid  # noqa: F401 (re-exported for the views)
from youse.registry.models import Enterprise, Plant, ProductionUnit

DATE = {"type": "date"}
FILES_HELP = _("JPEG, PNG or PDF; several files may be chosen at once.")


def _date(label, required=True, help_text="") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, help_text=help_text, widget=forms.DateInput(DATE, format="%Y-%m-%d")
    )


def cities():
    return Division.objects.filter(valid_to__isnull=True, level__in=[Division.Level.CITY, Division.Level.ZONE])


def _dimensions() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Dimensions"), choices=DIMENSION_CHOICES, widget=forms.CheckboxSelectMultiple
    )


def _checkboxes(form: forms.BaseForm) -> None:
    # Bootstrap styles checkbox lists by their inputs; the generic helper would give the list a form-control.
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxSelectMultiple):
            field.widget.attrs["class"] = "form-check-input"


# --- Filters -----------------------------------------------------------------------------------------


class CaseFilterForm(BootstrapForm):
    campaign = forms.ModelChoiceField(label=_("Campaign"), required=False, queryset=Campaign.objects.none())
    city = forms.ModelChoiceField(label=_("City"), required=False, queryset=Division.objects.none())
    status = forms.ChoiceField(label=_("Status"), required=False)
    source = forms.ChoiceField(label=_("Source"), required=False, choices=[("", _("All")), *SOURCE_CHOICES])
    dimension = forms.ChoiceField(
        label=_("Failed in dimension"), required=False, choices=[("", _("All")), *DIMENSION_CHOICES]
    )
    overdue = forms.ChoiceField(label=_("Orders"), required=False, choices=[("", _("All")), ("1", _("Overdue"))])

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = scopes.visible(user, Campaign).distinct()
        self.fields["campaign"].empty_label = _("All")
        qs = cities()
        if getattr(user, "role", None) == Role.CITY:
            qs = qs.filter(pk=user.division_id)
        self.fields["city"].queryset = qs
        self.fields["city"].empty_label = _("All")
        self.fields["status"].choices = [
            ("", _("All")),
            ("inspected", _("Inspected")),
            *[(s.value, label) for s, label in CASE_STATUS_LABELS.items()],
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] += " form-select-sm"

    def value(self, name: str):
        return self.cleaned_data.get(name) if self.is_valid() else None


# --- Campaigns ---------------------------------------------------------------------------------------


class CampaignForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    dimensions = _dimensions()
    metals = forms.ModelMultipleChoiceField(
        label=_("Metals"),
        required=False,
        queryset=Metal.objects.all(),
        to_field_name="code",
        help_text=_("None chosen: enterprises of every metal."),
        widget=forms.CheckboxSelectMultiple,
    )
    cities = forms.ModelMultipleChoiceField(
        label=_("Cities"),
        required=False,
        queryset=Division.objects.none(),
        to_field_name="code",
        help_text=_("None chosen: every city."),
        widget=forms.CheckboxSelectMultiple,
    )
    starts_on = _date(_("Starts"))
    due_on = _date(_("Inspections due"))
    reason = forms.CharField(label=_("Note for the record"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cities"].queryset = cities()
        self.fields["dimensions"].initial = [v for v, _label in DIMENSION_CHOICES]
        self.fields["year"].initial = timezone.localdate().year
        _checkboxes(self)

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["metals"] = [m.code for m in data.get("metals") or []]
        data["cities"] = [d.code for d in data.get("cities") or []]
        data.pop("reason", None)
        return data


# --- Cases -------------------------------------------------------------------------------------------


class ComplaintCaseForm(BootstrapForm):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none())
    plant = forms.ModelChoiceField(label=_("Plant"), required=False, queryset=Plant.objects.none())
    unit = forms.ModelChoiceField(label=_("Production unit"), required=False, queryset=ProductionUnit.objects.none())
    dimensions = _dimensions()
    summary = forms.CharField(
        label=_("What the complaint or report says"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        enterprises = scopes.visible(user, Enterprise).select_related("division")
        self.fields["enterprise"].queryset = enterprises.order_by("name")
        self.fields["plant"].queryset = (
            scopes.visible(user, Plant).select_related("enterprise").order_by("enterprise__name", "name")
        )
        self.fields["plant"].label_from_instance = lambda p: f"{p.enterprise.name} · {p.name}"
        self.fields["unit"].queryset = (
            scopes.visible(user, ProductionUnit).select_related("plant__enterprise").order_by("plant__enterprise__name")
        )
        self.fields["unit"].label_from_instance = lambda u: f"{u.plant.enterprise.name} · {u.name}"
        self.fields["plant"].help_text = _("Optional; it must belong to the enterprise.")
        _checkboxes(self)

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "source": "complaint",
            "enterprise": data["enterprise"],
            "plant": data["plant"].pk if data.get("plant") else None,
            "unit": data["unit"].pk if data.get("unit") else None,
            "dimensions": data["dimensions"],
            "summary": data["summary"],
        }


class ProposeClosureForm(BootstrapForm):
    reason = forms.CharField(label=_("Why closure is proposed"), widget=forms.Textarea(attrs={"rows": 2}))


# --- Inspections -------------------------------------------------------------------------------------


class InspectionForm(BootstrapForm):
    """The inspection's header, a field per applicable checklist item, and evidence files.

    A yes/no item is a three-way choice (not assessed, met, not met); a measured item takes a value in the
    item's unit, judged by the service against the threshold shown beside it."""

    inspecting_unit = forms.CharField(label=_("Inspecting unit"), max_length=120)
    inspectors = forms.CharField(label=_("Inspectors"), max_length=200)
    inspected_on = _date(_("Inspected on"))
    dimensions = _dimensions()
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    files = MultipleFileField(label=_("Evidence (photos and documents)"), required=False, help_text=FILES_HELP)

    def __init__(self, *args, items: list[ChecklistItem], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            if item.kind == ItemKind.YES_NO:
                self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                    label=item.text,
                    required=False,
                    choices=[
                        ("", pgettext_lazy("checklist", "Not assessed")),
                        ("yes", pgettext_lazy("checklist", "Met")),
                        ("no", pgettext_lazy("checklist", "Not met")),
                    ],
                    widget=forms.RadioSelect,
                )
            else:
                self.fields[f"item_{item.pk}"] = forms.DecimalField(
                    label=item.text, required=False, max_digits=14, decimal_places=3
                )
            self.fields[f"note_{item.pk}"] = forms.CharField(label=_("Note"), required=False, max_length=300)
        bootstrap(self)
        for item in items:
            if item.kind == ItemKind.YES_NO:
                self.fields[f"item_{item.pk}"].widget.attrs["class"] = "form-check-input"
            self.fields[f"item_{item.pk}"].widget.attrs["class"] += " form-control-sm"
            self.fields[f"note_{item.pk}"].widget.attrs["class"] += " form-control-sm"
        _checkboxes(self)

    def rows(self):
        """(item, value field, note field) for the checklist table."""
        return [(i, self[f"item_{i.pk}"], self[f"note_{i.pk}"]) for i in self.items]

    def data_values(self) -> dict:
        keys = ("inspecting_unit", "inspectors", "inspected_on", "dimensions", "notes")
        return {k: self.cleaned_data.get(k) for k in keys}

    def results(self) -> list[dict]:
        out = []
        for item in self.items:
            value = self.cleaned_data.get(f"item_{item.pk}")
            note = self.cleaned_data.get(f"note_{item.pk}") or ""
            if value in (None, ""):
                continue
            if item.kind == ItemKind.YES_NO:
                out.append({"item": item, "met": value == "yes", "note": note})
            else:
                out.append({"item": item, "measured": value, "note": note})
        return out


class FindingForm(BootstrapForm):
    dimension = forms.ChoiceField(label=_("Dimension"), required=False, choices=DIMENSION_CHOICES)
    text = forms.CharField(label=_("Finding"), required=False, max_length=2000)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            small = " form-select-sm" if isinstance(field.widget, forms.Select) else " form-control-sm"
            field.widget.attrs["class"] += small


FindingFormSet = forms.formset_factory(FindingForm, extra=3, max_num=20)


def findings_of(formset) -> list[dict]:
    return [
        {"dimension": f.cleaned_data.get("dimension"), "text": f.cleaned_data.get("text")}
        for f in formset.forms
        if f.is_valid() and (f.cleaned_data.get("text") or "").strip()
    ]


# --- Orders ------------------------------------------------------------------------------------------


class OrderForm(BootstrapForm):
    issued_on = _date(_("Issued on"))
    deadline = _date(_("Deadline"))
    responsible_person = forms.CharField(label=_("Responsible person"), max_length=60)
    reason = forms.CharField(label=_("Note for the record"), required=False)


class RequirementForm(BootstrapForm):
    finding = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Requirement"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    basis = forms.CharField(label=_("Legal or policy basis"), required=False, max_length=300)


RequirementFormSet = forms.formset_factory(RequirementForm, extra=1, max_num=40)


def requirement_initial(findings: list[Finding]) -> list[dict]:
    """One requirement per failed finding: the finding rephrased as what must be done, and the norm's
    document as the basis. Both are editable before the order is issued."""
    rows = []
    for f in findings:
        if f.item_id:
            text, basis = _("Meet the requirement: %(req)s") % {"req": f.item.text}, f.item.norm.document
        else:
            text, basis = _("Rectify: %(finding)s") % {"finding": f.text}, ""
        rows.append({"finding": f.pk, "text": text, "basis": basis})
    return rows


def requirements_of(formset) -> list[dict]:
    return [
        {"text": f.cleaned_data.get("text"), "basis": f.cleaned_data.get("basis"), "finding": f.cleaned_data["finding"]}
        for f in formset.forms
        if f.is_valid() and ((f.cleaned_data.get("text") or "").strip() or (f.cleaned_data.get("basis") or "").strip())
    ]


class ReportDoneForm(BootstrapForm):
    report = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    reported_on = _date(_("Done on"), required=False, help_text=_("Blank: today."))
    files = MultipleFileField(label=_("Evidence (photos and documents)"), required=False, help_text=FILES_HELP)


class StartOrderForm(BootstrapForm):
    note = forms.CharField(label=_("Note"), required=False)
