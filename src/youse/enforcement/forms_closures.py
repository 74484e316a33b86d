"""Forms of the closure, resettlement, land and announcement pages.

They collect and type the input only: the rules (who decides, dates that agree, the resettlement gate,
evidence by content and size) are the services' (enforcement/services/), whose ValidationError is put
back on the fields with `add_service_errors`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from youse.capacity.forms import BootstrapForm, MultipleFileField, bootstrap
from youse.enforcement.models import Closure, LandDisposal
from youse.enforcement.rules import HEADCOUNT_CATEGORIES
from youse.registry.models import ProductionUnit
from youse.registry.rules import UnitStatus
from youse.stats.facts import is_electrolysis

DATE = {"type": "date"}

# The plan's headcount categories in words (三(七) asks for the staff to be resettled by category).
HEADCOUNT_LABELS = {
    "contract": _("Staff on labour contracts"),
    "dispatched": _("Dispatched (agency) workers"),
    "near_retirement": _("Staff within five years of retirement"),
    "other": _("Other staff"),
}


def _date(label, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, help_text=help_text, widget=forms.DateInput(DATE))


def _text(label, rows: int = 3, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


def closable_units(closure: Closure):
    """The enterprise's units that a decision may close: any not yet exited."""
    return (
        ProductionUnit.objects.filter(plant__enterprise_id=closure.case.enterprise_id)
        .exclude(status=UnitStatus.EXITED)
        .select_related("plant", "metal", "stage")
        .order_by("plant__name", "name")
    )


class UnitsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, unit: ProductionUnit) -> str:
        return f"{unit.plant.name} · {unit.name} ({unit.metal.code}, {unit.design_capacity:g} {unit.capacity_unit})"


class DecideForm(BootstrapForm):
    units = UnitsField(
        label=_("Units to close"), queryset=ProductionUnit.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    basis = _text(_("Basis"), help_text=_("The findings and the clause or law the decision rests on."))
    document = forms.CharField(label=_("Decision document number"), max_length=120)
    decided_on = _date(_("Decided on"))
    effective_on = _date(_("Units close by"))
    capacity_ineligible = forms.BooleanField(
        label=_("The closed electrolytic aluminium capacity may not be used for replacement"),
        required=False,
        help_text=_("Capacity closed for failing the survey may be excluded from replacement (clause 二(七))."),
    )

    def __init__(self, *args, closure: Closure, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        units = closable_units(closure)
        self.fields["units"].queryset = units
        self.fields["units"].widget.attrs["class"] = "form-check-input"
        # Only electrolytic aluminium has ledger capacity that a decision can disqualify.
        self.has_aluminium = any(is_electrolysis(u) for u in units)
        if not self.has_aluminium:
            del self.fields["capacity_ineligible"]

    def clean(self):
        data = super().clean()
        if data.get("capacity_ineligible") and not any(is_electrolysis(u) for u in data.get("units") or []):
            self.add_error("capacity_ineligible", _("None of the chosen units is electrolytic aluminium."))
        return data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["units"] = [u.pk for u in data["units"]]
        data.setdefault("capacity_ineligible", False)
        return data


class ReasonForm(BootstrapForm):
    reason = _text(_("Why the closure is withdrawn"), rows=2)


class ExecuteForm(BootstrapForm):
    executed_on = _date(_("Executed on"))


class PlanForm(BootstrapForm):
    """The staff resettlement plan of 三(七): its contents, its funding and the workers' congress."""

    measures = _text(_("Resettlement measures"), rows=3, required=False)
    cost = forms.DecimalField(label=_("Cost (万元)"), required=False, min_value=0, decimal_places=2, max_digits=12)
    schedule = _text(_("Schedule"), rows=2, required=False)
    funding_amount = forms.DecimalField(
        label=_("Funding secured (万元)"), required=False, min_value=0, decimal_places=2, max_digits=12
    )
    funding_source = forms.CharField(label=_("Funding source"), max_length=200, required=False)
    congress_date = _date(_("Workers' congress (or all-staff meeting) held on"), required=False)
    votes_for = forms.IntegerField(label=_("Votes in favour"), required=False, min_value=0)
    votes_total = forms.IntegerField(label=_("Votes cast"), required=False, min_value=0)
    minutes = MultipleFileField(
        label=_("Minutes of the vote"),
        required=False,
        help_text=_("PDF, JPEG or PNG; files already uploaded are kept."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Headcount fields first, one per category, named headcount_<category>.
        head = {
            f"headcount_{cat}": forms.IntegerField(label=HEADCOUNT_LABELS[cat], required=False, min_value=0)
            for cat in HEADCOUNT_CATEGORIES
        }
        self.fields = {**head, **self.fields}
        bootstrap(self)

    @classmethod
    def initial_from(cls, plan) -> dict:
        if plan is None:
            return {}
        initial = {f"headcount_{c}": (plan.headcount or {}).get(c) for c in HEADCOUNT_CATEGORIES}
        for name in ("measures", "cost", "schedule", "funding_amount", "funding_source", "congress_date"):
            initial[name] = getattr(plan, name)
        initial.update(votes_for=plan.votes_for, votes_total=plan.votes_total)
        return initial

    def headcount_fields(self) -> list:
        return [self[f"headcount_{c}"] for c in HEADCOUNT_CATEGORIES]

    def other_fields(self) -> list:
        return [self[n] for n in self.fields if not n.startswith("headcount_") and n != "minutes"]

    def service_data(self) -> dict:
        d = self.cleaned_data
        data = {
            "headcount": {c: d.get(f"headcount_{c}") for c in HEADCOUNT_CATEGORIES},
            "measures": d.get("measures") or "",
            "schedule": d.get("schedule") or "",
            "funding_source": d.get("funding_source") or "",
        }
        for name in ("cost", "funding_amount", "congress_date", "votes_for", "votes_total"):
            data[name] = d.get(name)
        return data


class OutcomeForm(BootstrapForm):
    as_of = _date(_("As of"))
    reemployed = forms.IntegerField(label=_("Re-employed"), min_value=0, initial=0)
    retrained = forms.IntegerField(label=_("Retrained"), min_value=0, initial=0)
    retired = forms.IntegerField(label=_("Retired"), min_value=0, initial=0)
    supported = forms.IntegerField(label=_("Supported"), min_value=0, initial=0)


class LandForm(BootstrapForm):
    route = forms.ChoiceField(label=_("Disposal route"), choices=LandDisposal._meta.get_field("route").choices)
    area_m2 = forms.DecimalField(label=_("Area (m²)"), required=False, min_value=0, decimal_places=1, max_digits=12)
    decided_on = _date(_("Decided on"))
    converted_on = _date(
        _("Converted on"),
        required=False,
        help_text=_("Conversions only: the original use and rights are kept five years from this date."),
    )
    new_use = forms.CharField(label=_("New use"), max_length=200, required=False)
    notes = _text(_("Notes"), rows=2, required=False)


class AnnouncementForm(BootstrapForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = _text(_("Text"), rows=12)


class PublishForm(BootstrapForm):
    correction_note = _text(
        _("What is corrected"),
        rows=2,
        required=False,
        help_text=_("Required for a correction; shown to the public with the new version."),
    )
