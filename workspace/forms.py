from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import AccessibleFormMixin, DateInput

__all__ = ["ChangesForm"]


class ChangesForm(AccessibleFormMixin, forms.Form):
    """What changed (GET): since a chosen day instead of the previous visit, and whether the
    reader's own changes are shown too."""

    sinds = forms.DateField(
        label=_("since"),
        required=False,
        widget=DateInput,
        help_text=_("Empty: since your previous visit."),
    )
    eigen = forms.BooleanField(label=_("show my own changes too"), required=False)

    def clean_sinds(self):
        day = self.cleaned_data.get("sinds")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The date lies in the future."))
        return day
