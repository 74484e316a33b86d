"""Forms of the support pages. They type the input only: the rules (the window, the budget, the ledger
never below zero) are in the services, whose ValidationError goes back on the fields with
`add_service_errors`."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from youse.capacity.forms import DATE, BootstrapForm, bootstrap
from youse.core.models import Division, Metal
from youse.registry.forms import add_service_errors, mark_invalid  # noqa: F401 (re-exported for the views)
from youse.support.models.funds import APP_STATES, CATEGORY_CHOICES
from youse.support.models.reserves import KIND_CHOICES, MOVEMENT_CHOICES

MONEY = {"min_value": Decimal("0.01"), "max_digits": 12, "decimal_places": 2}
TONNES = {"min_value": Decimal("0.001"), "max_digits": 14, "decimal_places": 3}
OUTCOME_ROWS = 4


def _date(label, required=True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=forms.DateInput(DATE, format="%Y-%m-%d"))


def _text(label, rows=3, required=True) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}))


def city_choices() -> list[tuple[str, str]]:
    cities = Division.objects.filter(valid_to__isnull=True, level__in=[Division.Level.CITY, Division.Level.ZONE])
    return [("", _("All"))] + [(d.code or str(d.pk), d.name) for d in cities]


class ApplicationFilterForm(BootstrapForm):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    category = forms.ChoiceField(label=_("Category"), required=False)
    city = forms.ChoiceField(label=_("City"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, *args, show_city: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All"))] + CATEGORY_CHOICES
        self.fields["state"].choices = [("", _("All"))] + APP_STATES
        self.fields["city"].choices = city_choices()
        if not show_city:
            del self.fields["city"]


class CallForm(BootstrapForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200)
    document = forms.CharField(label=_("Document reference (文号)"), max_length=120)
    opens_on = _date(_("Window opens"))
    closes_on = _date(_("Window closes"))
    budget = forms.DecimalField(label=_("Overall budget (万元)"), required=False, **MONEY)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for code, label in CATEGORY_CHOICES:
            self.fields[f"open_{code}"] = forms.BooleanField(label=label, required=False, initial=True)
            self.fields[f"budget_{code}"] = forms.DecimalField(label=_("Budget (万元)"), required=False, **MONEY)
        bootstrap(self)

    def category_rows(self) -> list:
        return [(self[f"open_{code}"], self[f"budget_{code}"]) for code, _label in CATEGORY_CHOICES]

    def budgets(self) -> dict:
        d = self.cleaned_data
        return {code: d.get(f"budget_{code}") for code, _label in CATEGORY_CHOICES if d.get(f"open_{code}")}


class ApplicationForm(BootstrapForm):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=None)
    category = forms.ChoiceField(label=_("Category"))
    project_name = forms.CharField(label=_("Project"), max_length=200)
    content = _text(_("Content: what the project builds or changes"), rows=4, required=False)
    total_investment = forms.DecimalField(label=_("Total investment (万元)"), **MONEY)
    requested = forms.DecimalField(label=_("Amount requested (万元)"), **MONEY)

    def __init__(self, *args, call=None, enterprises=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if enterprises is None:
            del self.fields["enterprise"]
        else:
            self.fields["enterprise"].queryset = enterprises
        labels = dict(CATEGORY_CHOICES)
        open_codes = list(call.budgets.values_list("category", flat=True)) if call else list(labels)
        self.fields["category"].choices = [(c, labels[c]) for c in open_codes]
        for i in range(1, OUTCOME_ROWS + 1):
            self.fields[f"indicator_{i}"] = forms.CharField(label=_("Indicator"), max_length=80, required=False)
            self.fields[f"unit_{i}"] = forms.CharField(label=_("Unit"), max_length=20, required=False)
            self.fields[f"expected_{i}"] = forms.DecimalField(
                label=_("Expected"), required=False, max_digits=14, decimal_places=2
            )
        bootstrap(self)

    def outcome_rows(self) -> list:
        return [(self[f"indicator_{i}"], self[f"unit_{i}"], self[f"expected_{i}"]) for i in range(1, OUTCOME_ROWS + 1)]

    def data_and_outcomes(self) -> tuple[dict, list[dict]]:
        d = self.cleaned_data
        data = {k: d.get(k) for k in ("category", "project_name", "content", "total_investment", "requested")}
        outcomes = [
            {"indicator": d.get(f"indicator_{i}"), "unit": d.get(f"unit_{i}"), "expected": d.get(f"expected_{i}")}
            for i in range(1, OUTCOME_ROWS + 1)
        ]
        return data, outcomes


class PlanForm(BootstrapForm):
    metal = forms.ModelChoiceField(label=_("Metal"), queryset=Metal.objects.all(), to_field_name="code")
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES)
    product = forms.CharField(label=_("Product"), max_length=40, help_text=_("e.g. 铝锭, 电解镁, 海绵钛"))
    target_t = forms.DecimalField(label=_("Target (t)"), **TONNES)
    starts_on = _date(_("Period starts"))
    ends_on = _date(_("Period ends"))
    document = forms.CharField(label=_("Document reference (文号)"), max_length=120, required=False)


class HoldingFilterForm(BootstrapForm):
    metal = forms.ChoiceField(label=_("Metal"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    city = forms.ChoiceField(label=_("City"), required=False)
    holder = forms.CharField(label=_("Holder"), required=False, max_length=60)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metal"].choices = [("", _("All"))] + [(m.code, m.name) for m in Metal.objects.all()]
        self.fields["kind"].choices = [("", _("All"))] + KIND_CHOICES
        self.fields["city"].choices = city_choices()


class HoldingForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES)
    metal = forms.ModelChoiceField(label=_("Metal"), queryset=Metal.objects.all(), to_field_name="code")
    product = forms.CharField(label=_("Product"), max_length=40, help_text=_("e.g. 铝锭, 电解镁, 海绵钛"))
    enterprise = forms.ModelChoiceField(label=_("Holding enterprise (commercial)"), queryset=None, required=False)
    holder_body = forms.CharField(
        label=_("Government reserve body"), max_length=120, required=False, help_text=_("e.g. 陕西省物资储备局")
    )
    warehouse = forms.CharField(label=_("Warehouse"), max_length=120)
    division = forms.ModelChoiceField(label=_("Location (city or county)"), queryset=None)

    def __init__(self, *args, enterprises=None, kinds=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = Division.objects.filter(
            valid_to__isnull=True, prefecture__isnull=False
        ).order_by("code")
        if enterprises is None:
            del self.fields["enterprise"]
        else:
            self.fields["enterprise"].queryset = enterprises
        if kinds is not None:
            self.fields["kind"].choices = [c for c in KIND_CHOICES if c[0] in kinds]


class MovementForm(BootstrapForm):
    kind = forms.ChoiceField(label=pgettext_lazy("reserves", "Movement"), choices=MOVEMENT_CHOICES)
    moved_on = _date(_("Date"))
    quantity_t = forms.DecimalField(label=_("Quantity (t)"), **TONNES)
    document = forms.CharField(label=_("Document reference"), max_length=120)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
