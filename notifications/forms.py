from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import AccessibleFormMixin
from notifications.models import Delivery, PartnerContact
from notifications.topics import topics_for

__all__ = ["PartnerContactForm", "PreferencesForm"]


class PreferencesForm(AccessibleFormMixin, forms.Form):
    """One choice of delivery per kind the user's role is told of."""

    def __init__(self, *args, user, current: dict[str, str], **kwargs):
        self.topics = topics_for(user)
        # The fields of this user's role, made before the form (and its mixin) sets them up.
        self.base_fields = {
            topic.kind: forms.ChoiceField(
                label=topic.kind.label,
                choices=[(d, Delivery(d).label) for d in topic.deliveries],
                initial=current.get(topic.kind, topic.default),
                widget=forms.RadioSelect,
            )
            for topic in self.topics
        }
        super().__init__(*args, **kwargs)


class PartnerContactForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = PartnerContact
        fields = ["organisation", "name", "email"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if PartnerContact.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("This address is on the list already."))
        return email
