from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import AccessibleFormMixin
from dashboard.models import NAME_MAX_LENGTH


class SavedViewForm(AccessibleFormMixin, forms.Form):
    """The name of a saved view (to save one, or to rename it). Stripped; a longer name is
    refused with its count (AccessibleFormMixin); uniqueness and the cap are checked by
    dashboard.saved under the user's row lock."""

    name = forms.CharField(
        label=_("Name of this view"),
        max_length=NAME_MAX_LENGTH,
        error_messages={"required": _("Give the view a name, so you recognise it in your menu.")},
    )
