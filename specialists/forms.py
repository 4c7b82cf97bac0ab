from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.forms import AccessibleFormMixin, DateInput
from monitoring.models import Expertise, RouteStep
from specialists.models import SpecialistProfile, Unavailability, validate_quarter_hours


class RequestForm(AccessibleFormMixin, forms.Form):
    expertise = forms.ChoiceField(label=_("needed expertise"), choices=Expertise.choices)
    route_step = forms.ModelChoiceField(
        label=_("for route step"),
        queryset=RouteStep.objects.none(),
        required=False,
        empty_label=_("(no particular step)"),
    )
    note = forms.CharField(
        label=_("question"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("What should the specialist help with?"),
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route_step"].queryset = RouteStep.objects.filter(region=region)


class AssignForm(AccessibleFormMixin, forms.Form):
    specialist = forms.ModelChoiceField(label=_("specialist"), queryset=User.objects.none())
    planned_hours = forms.IntegerField(label=_("planned hours"), min_value=1, max_value=2000)
    start_date = forms.DateField(label=_("start date"), widget=DateInput)
    end_date = forms.DateField(label=_("end date"), widget=DateInput)

    def __init__(self, *args, deployment, **kwargs):
        super().__init__(*args, **kwargs)
        # Only specialists whose profile lists the needed expertise can be chosen.
        self.fields["specialist"].queryset = User.objects.filter(
            role=Role.SPECIALIST,
            is_active=True,
            specialist_profile__expertise__contains=[deployment.expertise],
        ).order_by("first_name", "last_name")


class ReportForm(AccessibleFormMixin, forms.Form):
    """A report adds a line to the hours log (when hours are given) and keeps the progress and
    result texts. Hours in quarter hours, written the Dutch way ("2,5") or with a point."""

    hours = forms.DecimalField(
        label=_("hours spent"),
        required=False,
        min_value=Decimal("0.25"),
        max_value=24,
        max_digits=6,
        decimal_places=2,
        localize=True,
        validators=[validate_quarter_hours],
        error_messages={
            "min_value": _("Enter at least a quarter hour (0,25)."),
            "max_value": _("A day has at most 24 hours; enter the hours of one day."),
        },
        help_text=_(
            "Added to the hours log, in quarter hours (e.g. 2,5). Leave empty to "
            "report progress only."
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    day = forms.DateField(
        label=_("date of the work"),
        widget=DateInput,
        required=False,
        help_text=_("Today when left empty."),
    )
    note = forms.CharField(label=_("what the hours were for"), max_length=300, required=False)
    progress = forms.CharField(
        label=_("progress"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    result = forms.CharField(
        label=_("result"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    completed = forms.BooleanField(label=_("the deployment is completed"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("hours") is not None and "day" not in self.errors:
            day = data.get("day") or timezone.localdate()
            if day > timezone.localdate():
                self.add_error("day", _("The date of the work lies in the future."))
            else:
                data["day"] = day
        return data


class ProfileForm(AccessibleFormMixin, forms.ModelForm):
    """Expertise and profile text, kept by the hub and programme management."""

    expertise = forms.MultipleChoiceField(
        label=_("expertise areas"),
        choices=Expertise.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one expertise area.")},
    )

    class Meta:
        model = SpecialistProfile
        fields = ["expertise", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class AvailabilityForm(AccessibleFormMixin, forms.ModelForm):
    """What the specialist says about their own availability."""

    class Meta:
        model = SpecialistProfile
        fields = ["hours_per_week", "availability_note"]


class UnavailabilityForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Unavailability
        fields = ["start_date", "end_date", "reason"]
        widgets = {"start_date": DateInput, "end_date": DateInput}

    def __init__(self, *args, profile, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.profile = profile

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        exclusions.discard("profile")
        return exclusions

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end >= start:
            overlapping = Unavailability.objects.filter(
                profile=self.instance.profile, start_date__lte=end, end_date__gte=start
            ).exclude(pk=self.instance.pk)
            if overlapping.exists():
                self.add_error(
                    "start_date",
                    _("This period overlaps a period you already recorded as unavailable."),
                )
        return data
