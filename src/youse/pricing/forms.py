"""Forms of the pricing pages. They type the input only: the rules (shares at most 100%, a reason for
every adjustment, an approved list is final) are pricing/services.py's, whose ValidationError is put
back on the fields with `add_service_errors`."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from youse.capacity.forms import BootstrapForm
from youse.pricing.models import CATEGORIES
from youse.registry.forms import add_service_errors, mark_invalid  # noqa: F401 (re-exported for the views)

PERCENT = {"min_value": Decimal(0), "max_value": Decimal(100), "decimal_places": 2, "max_digits": 5}


class AdjustForm(BootstrapForm):
    """The department's adjustment of one assessment while its list is a draft."""

    audited_consumption = forms.DecimalField(
        label=_("Audited consumption (kWh/t)"),
        required=False,
        min_value=Decimal(1),
        max_digits=7,
        decimal_places=1,
        help_text=_("The inspectorate's audited figure; it replaces the reported one. Blank: the reported figure."),
    )
    renewable_share = forms.DecimalField(label=_("Non-hydro renewable share (%)"), required=False, **PERCENT)
    incentive_weight = forms.DecimalField(
        label=_("Province's incentive weight of the previous year (%)"), required=False, **PERCENT
    )
    category = forms.ChoiceField(label=_("Category"), choices=CATEGORIES)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required: e.g. the inspectorate's audit report and its number."),
    )

    def changes(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in ("audited_consumption", "renewable_share", "incentive_weight",
                                                        "category")}  # fmt: skip


class ApproveForm(BootstrapForm):
    document = forms.CharField(
        label=pgettext_lazy("surcharge list", "Approval document (文号)"),
        max_length=120,
        help_text=_("The document that approves the list."),
    )


class TradingForm(BootstrapForm):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    trades_directly = forms.BooleanField(label=_("Trades power directly"), required=False)
    direct_share = forms.DecimalField(label=_("Share of electricity traded directly (%)"), required=False, **PERCENT)
    integrated = forms.BooleanField(label=_("Power-smelting integration (铝电一体化)"), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, enterprises=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class CalculatorForm(BootstrapForm):
    """The computation of `youse pricing surcharge` in a form."""

    year = forms.IntegerField(
        label=_("Year the price applies (执行年度)"), min_value=2000, max_value=2100, initial=2022
    )
    consumption = forms.DecimalField(
        label=_("Consumption (kWh/t)"),
        min_value=Decimal("0.1"),
        max_digits=7,
        decimal_places=1,
        initial=Decimal(13700),
        help_text=_("The audited consumption of the year before, in the measure the year's rule set applies to."),
    )
    renewable_share = forms.DecimalField(label=_("Non-hydro renewable share (%)"), required=False, **PERCENT)
    incentive_weight = forms.DecimalField(
        label=_("Province's incentive weight of the previous year (%)"), required=False, **PERCENT
    )
    electricity_kwh = forms.DecimalField(
        label=_("Aluminium liquid electricity (kWh)"), required=False, min_value=Decimal(0), decimal_places=0
    )
    category = forms.ChoiceField(label=_("Category"), choices=CATEGORIES)
    months = forms.IntegerField(
        label=_("Months operated"), min_value=0, max_value=12, initial=12, help_text=_("Under six: excluded.")
    )
