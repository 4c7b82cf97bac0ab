from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import Delivery, PartnerContact
from notifications.topics import topics_for

__all__ = ["PartnerContactForm", "PreferencesForm"]


class PreferencesForm(forms.Form):
    """One choice of delivery per kind the user's role is told of."""

    def __init__(self, *args, user, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = topics_for(user)
        for topic in self.topics:
            self.fields[topic.kind] = forms.ChoiceField(
                label=topic.kind.label,
                choices=[(d, Delivery(d).label) for d in topic.deliveries],
                initial=current.get(topic.kind, topic.default),
                widget=forms.RadioSelect,
            )


class PartnerContactForm(forms.ModelForm):
    class Meta:
        model = PartnerContact
        fields = ["organisation", "name", "email"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if PartnerContact.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("This address is on the list already."))
        return email
