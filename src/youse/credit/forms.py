"""Forms of the credit pages. They type the input only; the rules (a reason for every override, a
document for publication, final once published, dates that agree) are credit/services.py's, whose
ValidationError is put back on the fields with `add_service_errors`."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from youse.capacity.forms import DATE, BootstrapForm
from youse.registry.forms import add_service_errors, mark_invalid  # noqa: F401 (re-exported for the views)


class DeriveForm(BootstrapForm):
    year = forms.IntegerField(label=_("Year of the list"), min_value=2000, max_value=2100)
    as_of = forms.DateField(
        label=_("Facts as of"),
        widget=forms.DateInput(DATE),
        help_text=_("Inspections, orders, closures, alarms and violations up to this day are judged."),
    )
    title = forms.CharField(label=_("Title"), max_length=160, required=False, help_text=_("Blank: the usual title."))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs) -> None:
        today = timezone.localdate()
        kwargs.setdefault("initial", {"year": today.year, "as_of": today})
        super().__init__(*args, **kwargs)


class OverrideForm(BootstrapForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("include", _("Include despite the rules")),
            ("exclude", _("Exclude despite the rules")),
            ("clear", _("Back to the rules' result")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required, and shown with the entry: e.g. the bank's or the city's written opinion."),
    )

    def included(self) -> bool | None:
        return {"include": True, "exclude": False}.get(self.cleaned_data["decision"])


class PublishForm(BootstrapForm):
    document = forms.CharField(label=_("Publication document (文号)"), max_length=120)
