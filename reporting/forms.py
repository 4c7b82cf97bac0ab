from datetime import date, timedelta

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.forms import AccessibleFormMixin
from core.quarters import label, previous_quarter, quarter_end


class QuarterField(forms.ChoiceField):
    """A quarter as "2026-3"; one that has not ended by `today` is refused with its own reason
    before the choices are looked at."""

    today: date | None = None

    def validate(self, value):
        if value and self.today is not None:
            try:
                year, quarter = (int(part) for part in value.split("-"))
            except ValueError:
                pass
            else:
                if 1 <= quarter <= 4 and (year, quarter) > previous_quarter(self.today):
                    raise forms.ValidationError(
                        _(
                            "Quarter %(quarter)s has not ended yet: it can be frozen from "
                            "%(day)s, once its figures are final."
                        ),
                        code="not_ended",
                        params={
                            "quarter": label(year, quarter),
                            "day": date_format(
                                quarter_end(year, quarter) + timedelta(days=1), "j F Y"
                            ),
                        },
                    )
        super().validate(value)


class FreezeForm(AccessibleFormMixin, forms.Form):
    quarter = QuarterField(label=_("Quarter"))

    def __init__(self, *args, quarters: list[tuple[int, int]], today: date, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["quarter"]
        field.today = today
        field.choices = [(f"{y}-{q}", label(y, q)) for y, q in quarters]
        if quarters:  # the last ended quarter, first in the list
            field.initial = f"{quarters[0][0]}-{quarters[0][1]}"
        field.error_messages["invalid_choice"] = _(
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
