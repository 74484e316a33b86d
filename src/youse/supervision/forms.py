"""Forms of the supervision pages. They only shape input; the services judge it."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from youse.capacity.forms import BootstrapForm, MultipleFileField
from youse.core.models import Division, PolicyClause, ResponsibleUnit
from youse.stats.models import Indicator

DATE = {"type": "date"}


def _date(label) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(DATE, format="%Y-%m-%d"))


def cities():
    return Division.objects.filter(valid_to__isnull=True, level__in=[Division.Level.CITY, Division.Level.ZONE])


def indicator_choices(blank: bool = True) -> list[tuple[str, str]]:
    return ([("", _("None"))] if blank else []) + list(Indicator.choices)


class SubTaskForm(BootstrapForm):
    title = forms.CharField(label=_("Sub-task"), max_length=200)
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=ResponsibleUnit.objects.exclude(kind="cities"), required=False
    )
    division = forms.ModelChoiceField(label=_("Or a city"), queryset=cities(), required=False)
    starts_on = _date(_("Starts on"))
    deadline = _date(pgettext_lazy("supervision", "Deadline"))
    indicator = forms.ChoiceField(label=_("Indicator that measures it"), choices=indicator_choices, required=False)
    measure = forms.CharField(label=_("Measure of completion"), max_length=200, required=False)


class ProgressForm(BootstrapForm):
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    text = forms.CharField(
        label=pgettext_lazy("supervision", "What was done"), widget=forms.Textarea(attrs={"rows": 3})
    )
    files = MultipleFileField(label=_("Evidence (JPEG, PNG or PDF)"), required=False)


class RemarkForm(BootstrapForm):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))
    major = forms.BooleanField(label=_("Major problem: report to the provincial government"), required=False)


class PlanForm(BootstrapForm):
    division = forms.ModelChoiceField(label=_("City"), queryset=cities())
    start_year = forms.IntegerField(label=_("From year"), min_value=2000, max_value=2100, initial=2026)
    end_year = forms.IntegerField(label=_("To year"), min_value=2000, max_value=2100, initial=2030)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=pgettext_lazy("plan", "Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, city=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if city is not None:
            # A city writes its own plan: the choice is made for it.
            self.fields["division"].queryset = Division.objects.filter(pk=city.pk)
            self.fields["division"].initial = city.pk


class TargetForm(BootstrapForm):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=lambda: indicator_choices(False))
    value = forms.DecimalField(label=_("Target value"), max_digits=14, decimal_places=2)
    year = forms.IntegerField(label=_("Year"))


class PlanTaskForm(BootstrapForm):
    title = forms.CharField(label=_("Task"), max_length=200)
    clause = forms.ModelChoiceField(label=_("Policy clause"), queryset=PolicyClause.objects.all(), required=False)


class MilestoneForm(BootstrapForm):
    task = forms.ModelChoiceField(label=_("Task"), queryset=None)
    title = forms.CharField(label=_("Milestone"), max_length=200)
    starts_on = _date(_("Starts on"))
    deadline = _date(pgettext_lazy("supervision", "Deadline"))

    def __init__(self, *args, plan=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = plan.tasks.all()


class ReviewForm(BootstrapForm):
    comment = forms.CharField(label=_("Review comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's refusal on the form: on its field where the form has one, else above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
