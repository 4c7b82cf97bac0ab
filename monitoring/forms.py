from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import AccessibleFormMixin
from monitoring.models import ProgressUpdate


class ProgressUpdateForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["year", "quarter", "status", "narrative", "help_needed"]
        widgets = {
            "status": forms.RadioSelect,
            "narrative": forms.Textarea(attrs={"rows": 5}),
            "help_needed": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "narrative": _("What happened since the last update, and where the region stands."),
            "help_needed": _("Expertise or national support the region needs now (optional)."),
        }
