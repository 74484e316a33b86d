"""Forms of the report pages. They type the input only: every rule is checked by stats/services.py (and
its pure checks), whose ValidationError is mapped back onto the fields, row by row for the lines."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from youse.registry.forms import _bootstrap, city_divisions
from youse.stats import checks, importer
from youse.stats.models import ReportStatus

MONEY = {"max_digits": 16, "decimal_places": 2}
TONNES = {"max_digits": 16, "decimal_places": 3}
KWH_PER_T = {"max_digits": 8, "decimal_places": 1}


def parse_month(value: str | None) -> dt.date | None:
    """'2024-05' -> 2024-05-01; anything else -> None."""
    if not value:
        return None
    try:
        return dt.datetime.strptime(value.strip(), "%Y-%m").date()
    except ValueError:
        return None


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month"})
    default_error_messages = {"invalid": _("Give the month as YYYY-MM.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        month = parse_month(value)
        if month is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return month

    def prepare_value(self, value):
        return f"{value:%Y-%m}" if isinstance(value, dt.date) else value


def _label(text: str, unit: str) -> str:
    return f"{text} ({unit})"


# field -> label; units come from checks.ENTERPRISE_FIGURES / LINE_FIGURES so they are stated once.
FIGURE_LABELS = {
    "value_added": _("Industrial value added"),
    "revenue": _("Main business revenue"),
    "profit": _("Total profit"),
    "energy_tce": _("Energy use"),
    "electricity_kwh": _("Electricity use"),
    "employees": _("Employees"),
    "fly_ash_used_t": _("Fly ash used"),
    "slag_used_t": _("Smelting slag used"),
    "tailings_used_t": _("Tailings used"),
}
LINE_LABELS = {
    "output_t": _("Output"),
    "output_value": _("Output value"),
    "al_liquid_t": _("Aluminium liquid"),
    "ac_kwh_per_t": _("AC power"),
    "ac_total_kwh_per_t": _("Comprehensive AC power"),
}
ELECTROLYSIS_FIELDS = ("al_liquid_t", "ac_kwh_per_t", "ac_total_kwh_per_t")


def figure_unit(name: str) -> str:
    return checks.ENTERPRISE_FIGURES.get(name, checks.LINE_FIGURES.get(name, ("",)))[0]


class ReportFiguresForm(forms.Form):
    """The enterprise's own figures for the month."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, label in FIGURE_LABELS.items():
            unit = figure_unit(name)
            required = name in checks.REQUIRED_FIGURES
            if name == "employees":
                field = forms.IntegerField(label=label, required=required, min_value=0)
            else:
                field = forms.DecimalField(
                    label=label,
                    required=required,
                    **(MONEY if unit == "万元" else TONNES | {"max_digits": 18}),
                )
            field.unit = unit
            field.widget.attrs.update({"inputmode": "decimal", "aria-describedby": f"unit-{name}"})
            self.fields[name] = field
        self.fields["reason"] = forms.CharField(
            label=_("Note or reason for the change"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("Recorded in the audit trail."),
        )
        _bootstrap(self)

    def figures(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in FIGURE_LABELS}


class ReportLineForm(forms.Form):
    """One production unit's output in the month. Electrolysis units get the aluminium-liquid fields."""

    def __init__(self, *args, unit=None, electrolysis: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.electrolysis = electrolysis
        for name, label in LINE_LABELS.items():
            if name in ELECTROLYSIS_FIELDS and not electrolysis:
                continue
            options = KWH_PER_T if name.startswith("ac_") else (MONEY if name == "output_value" else TONNES)
            field = forms.DecimalField(label=_label(label, figure_unit(name)), required=False, **options)
            field.widget.attrs.update({"inputmode": "decimal", "class": "form-control form-control-sm"})
            self.fields[name] = field

    def is_empty(self) -> bool:
        return all(self.cleaned_data.get(name) is None for name in self.fields)

    def line(self) -> dict:
        data = {"unit": self.unit.pk}
        data.update({name: self.cleaned_data.get(name) for name in self.fields})
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, required: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        _bootstrap(self)


class ReportFilterForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)
    city = forms.ModelChoiceField(label=_("City"), queryset=None, required=False, empty_label=_("All cities"))
    status = forms.ChoiceField(label=_("Status"), required=False)
    q = forms.CharField(label=_("Enterprise"), required=False, max_length=100)

    def __init__(self, *args, show_city: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = city_divisions().order_by("order", "code")
        self.fields["status"].choices = [("", _("All statuses")), *ReportStatus.choices]
        self.fields["q"].widget.attrs["placeholder"] = _("Name or credit code")
        if not show_city:
            del self.fields["city"]
        _bootstrap(self)

    def value(self, name: str):
        if not self.is_bound or not self.is_valid():
            return None
        return self.cleaned_data.get(name)


class PickReportForm(forms.Form):
    """Which enterprise and month to file for (department and city users)."""

    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=None)
    month = MonthField(label=_("Month"))

    def __init__(self, *args, enterprises=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        _bootstrap(self)


IMPORT_STATUSES = [
    (ReportStatus.DRAFT, _("Draft (to check and submit later)")),
    (ReportStatus.SUBMITTED, _("Submitted for review")),
]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx) or CSV file"))
    status = forms.ChoiceField(label=_("File the reports as"), initial=ReportStatus.SUBMITTED)
    dry_run = forms.BooleanField(label=_("Only check the file, import nothing"), required=False)

    def __init__(self, *args, may_accept: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = list(IMPORT_STATUSES)
        if may_accept:
            choices.append((ReportStatus.ACCEPTED, _("Accepted (figures confirmed by the statistics bureau)")))
        self.fields["status"].choices = choices
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv"
        _bootstrap(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > importer.max_upload_bytes():
            raise ValidationError(importer.too_large_message(upload.size))
        if not upload.name.lower().endswith((".xlsx", ".xlsm", ".csv")):
            raise ValidationError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
        return upload
