from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.forms import AccessibleFormMixin, DateInput
from regions.models import Region


def _advisers():
    return User.objects.filter(role=Role.ADVISER, is_active=True)


class HandoverForm(AccessibleFormMixin, forms.Form):
    regions = forms.ModelMultipleChoiceField(
        label=_("regions"),
        queryset=Region.objects.select_related("adviser").order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    to_adviser = forms.ModelChoiceField(label=_("to adviser"), queryset=_advisers())
    note = forms.CharField(label=_("note"), max_length=500, required=False)


class StandInForm(AccessibleFormMixin, forms.Form):
    adviser = forms.ModelChoiceField(label=_("adviser"), queryset=_advisers())
    substitute = forms.ModelChoiceField(label=_("stands in"), queryset=_advisers())
    start_date = forms.DateField(label=_("from"), widget=DateInput)
    end_date = forms.DateField(label=_("until"), widget=DateInput)
