"""Forms of the cooperation pages. They collect and type the input only: every rule (mode and equity
share, dates in order, amounts, transitions, who may act) is cooperation/services.py's, whose
ValidationError is put back on the fields with `add_service_errors`."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from youse.capacity.forms import DATE, BootstrapForm, bootstrap
from youse.cooperation.models import (
    FILING_CHOICES,
    MODE_CHOICES,
    RISK_CHOICES,
    STATUS_CHOICES,
    Country,
    OverseasProject,
    Partner,
)
from youse.cooperation.services import INITIAL_STATUSES
from youse.core import scopes
from youse.core.models import Division, Metal, ValueChainStage
from youse.core.roles import Role
from youse.registry.forms import add_service_errors, mark_invalid  # noqa: F401 (re-exported for the views)
from youse.registry.models import Enterprise

ALL = [("", _("All"))]
AMOUNT = {"min_value": Decimal(0), "max_digits": 14, "decimal_places": 2}


def _date(label, required=False, help_text="") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, help_text=help_text, widget=forms.DateInput(DATE, format="%Y-%m-%d")
    )


def _text(label, rows=2, required=False, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=help_text, max_length=4000, widget=forms.Textarea({"rows": rows})
    )


class FilterForm(BootstrapForm):
    """The list's filters, all by code, so the export and the API read the same query string."""

    country = forms.ChoiceField(label=_("Host country"), required=False)
    metal = forms.ChoiceField(label=_("Metal"), required=False)
    mode = forms.ChoiceField(label=_("Mode"), required=False, choices=ALL + MODE_CHOICES)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ALL + STATUS_CHOICES)
    risk = forms.ChoiceField(label=_("Risk level"), required=False, choices=ALL + RISK_CHOICES)
    city = forms.ChoiceField(label=_("City"), required=False)
    filing = forms.ChoiceField(
        label=pgettext_lazy("overseas project", "Registration"), required=False, choices=ALL + FILING_CHOICES
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = ALL + [(c.code, f"{c.name} ({c.code})") for c in Country.objects.all()]
        self.fields["metal"].choices = ALL + [(m.code, str(m)) for m in Metal.objects.all()]
        cities = Division.objects.filter(
            valid_to__isnull=True, level__in=[Division.Level.CITY, Division.Level.ZONE]
        ).exclude(code="")
        self.fields["city"].choices = ALL + [(d.code, str(d)) for d in cities]
        if getattr(user, "role", None) in (Role.CITY, Role.ENTERPRISE):
            del self.fields["city"]

    def params(self) -> dict:
        """The valid filters (an invalid one is left out and reported by `problems`)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}

    def problems(self) -> list[str]:
        if not self.is_bound or self.is_valid():
            return []
        return [f"{self.fields[k].label}: {m}" for k, ms in self.errors.items() if k in self.fields for m in ms]


class ProjectForm(BootstrapForm):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none())
    name = forms.CharField(label=_("Project name"), max_length=160)
    country = forms.ModelChoiceField(label=_("Host country"), queryset=Country.objects.all(), to_field_name="code")
    location = forms.CharField(label=_("Location in the host country"), max_length=160, required=False)
    metal = forms.ModelChoiceField(label=_("Metal"), queryset=Metal.objects.all(), to_field_name="code")
    stage = forms.ModelChoiceField(
        label=_("Value-chain stage"), queryset=ValueChainStage.objects.all(), to_field_name="code"
    )
    mode = forms.ChoiceField(label=_("Investment mode"), choices=MODE_CHOICES)
    equity_share = forms.DecimalField(
        label=_("Equity share (%)"),
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        help_text=_("Share held by the Chinese side (%): above 50 for 控股, at most 50 for 参股."),
    )
    total_investment = forms.DecimalField(label=_("Total investment (万美元)"), **AMOUNT)
    chinese_investment = forms.DecimalField(label=_("Chinese-side investment (万美元)"), required=False, **AMOUNT)
    product = forms.CharField(label=_("Product"), max_length=80, required=False)
    capacity = forms.DecimalField(
        label=_("Capacity (t/a)"), required=False, min_value=Decimal(0), max_digits=12, decimal_places=0
    )
    signed_on = _date(_("Agreement signed"))
    construction_started_on = _date(_("Construction started"))
    operation_started_on = _date(_("Operation started"))
    status = forms.ChoiceField(
        label=_("Status when registered"),
        choices=[(v, label) for v, label in STATUS_CHOICES if v in {s.value for s in INITIAL_STATUSES}],
    )
    ndrc_filing_no = forms.CharField(label=_("NDRC filing number (发改委备案)"), max_length=80, required=False)
    mofcom_certificate_no = forms.CharField(
        label=_("MOFCOM certificate number (商务厅)"), max_length=80, required=False
    )
    risk_level = forms.ChoiceField(label=_("Risk level (self-assessed)"), choices=RISK_CHOICES)
    risk_political = _text(_("Political risk"))
    risk_fx = _text(_("Exchange-rate risk"))
    risk_legal = _text(_("Legal and compliance risk"))
    risk_environmental = _text(_("Environmental and social risk"))
    risk_market = _text(_("Market risk"))
    description = _text(_("Description"), rows=3)

    RISK_FIELDS = ("risk_political", "risk_fx", "risk_legal", "risk_environmental", "risk_market")

    def __init__(self, *args, user=None, project: OverseasProject | None = None, **kwargs) -> None:
        if project is not None and not kwargs.get("data") and not args:
            kwargs["initial"] = {
                **{f: getattr(project, f) for f in self.base_fields if hasattr(project, f)},
                "country": project.country.code,
                "metal": project.metal.code,
                "stage": project.stage.code,
            }
        kwargs.setdefault("initial", {"status": "planned", "risk_level": "medium"})
        super().__init__(*args, **kwargs)
        if project is not None or getattr(user, "role", None) == Role.ENTERPRISE:
            del self.fields["enterprise"]
        else:
            self.fields["enterprise"].queryset = scopes.visible(user, Enterprise).order_by("name")

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("enterprise", None)
        for key in ("country", "metal", "stage"):
            data[key] = data[key].code if data.get(key) else None
        return data


class PartnerForm(forms.Form):
    side = forms.ChoiceField(label=_("Side"), choices=[("", "—")] + list(Partner.Side.choices), required=False)
    name = forms.CharField(label=_("Partner"), max_length=160, required=False)
    role = forms.CharField(label=_("Role"), max_length=120, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
        for f in self.fields.values():
            f.widget.attrs["class"] += (
                " form-control-sm" if not isinstance(f.widget, forms.Select) else " form-select-sm"
            )


PartnerFormSet = forms.formset_factory(PartnerForm, extra=2, max_num=12, absolute_max=12)


def partner_formset(data=None, project: OverseasProject | None = None):
    initial = [{"side": p.side, "name": p.name, "role": p.role} for p in project.partners.all()] if project else []
    return PartnerFormSet(data, initial=initial or None, prefix="partners")


def partners_of(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and (f.cleaned_data.get("name") or "").strip()]


class ReturnForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Reason for return"), max_length=4000, widget=forms.Textarea({"rows": 2}), required=True
    )


class FileForm(BootstrapForm):
    note = forms.CharField(label=_("Note"), max_length=4000, widget=forms.Textarea({"rows": 2}), required=False)


class ProgressForm(BootstrapForm):
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES)
    on = _date(pgettext_lazy("progress", "As of"), required=True)
    invested = forms.DecimalField(
        label=_("Invested to date (万美元)"),
        required=False,
        help_text=_("Cumulative; blank: unchanged."),
        **AMOUNT,
    )
    note = forms.CharField(label=_("Note"), max_length=4000, widget=forms.Textarea({"rows": 2}), required=False)


class ReviewForm(BootstrapForm):
    year = forms.IntegerField(label=_("Year under review"), min_value=2000, max_value=2100)
    reviewed_on = _date(_("Reviewed on"), required=True)
    reviewer = forms.CharField(label=_("Reviewer"), max_length=120)
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RISK_CHOICES)
    findings = forms.CharField(label=_("Findings"), max_length=4000, widget=forms.Textarea({"rows": 3}))
    recommendations = forms.CharField(
        label=_("Recommendations"), max_length=4000, widget=forms.Textarea({"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        today = timezone.localdate()
        kwargs.setdefault("initial", {"year": today.year - 1, "reviewed_on": today})
        super().__init__(*args, **kwargs)


class FlagForm(BootstrapForm):
    reason = forms.CharField(label=_("Why it needs attention"), max_length=300, required=False)
