from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import AccessibleFormMixin


class FreezeForm(AccessibleFormMixin, forms.Form):
    quarter = forms.ChoiceField(label=_("Quarter"))

    def __init__(self, *args, quarters: list[tuple[int, int]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(f"{y}-{q}", f"{y} Q{q}") for y, q in quarters]
        self.fields["quarter"].error_messages["invalid_choice"] = _(
            "This quarter cannot be frozen: it is frozen already or has not started."
        )

    def year_quarter(self) -> tuple[int, int]:
        year, quarter = self.cleaned_data["quarter"].split("-")
        return int(year), int(quarter)


class ApproveForm(AccessibleFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Approval note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the report may go to the partners, or what was checked."),
        error_messages={"required": _("Write a note with the approval.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if self.has_error("version"):
            # A missing or garbled hidden version has no field to show its error next to: say
            # what a stale one gets, or the form comes back without a reason.
            self.add_error(
                None,
                _(
                    "The report could not be approved: it is not a finished draft, or someone "
                    "changed it in the meantime. Reload the page."
                ),
            )
        return data


class PublishForm(AccessibleFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
