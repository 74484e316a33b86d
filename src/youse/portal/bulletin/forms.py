"""Forms of the department's bulletin pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from youse.portal.bulletin.services import MAX_NOTE


class DraftForm(forms.Form):
    month = forms.RegexField(
        label=_("Month"), regex=r"^\d{4}-\d{2}$", error_messages={"invalid": _("Give the month as YYYY-MM.")}
    )


class CorrectionForm(forms.Form):
    note = forms.CharField(
        label=_("What the correction changes"),
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown with the corrected bulletin on the public page."),
    )
