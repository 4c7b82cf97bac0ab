from django import forms
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken
from core.forms import AccessibleFormMixin


class TokenForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]
        error_messages = {"name": {"required": _("Give the token a name, so you recognise it.")}}
