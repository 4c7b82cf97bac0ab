from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.forms import AccessibleFormMixin, DateInput
from core.quarters import label as quarter_label
from monitoring.models import (
    Agreement,
    Decision,
    Document,
    Expertise,
    Meeting,
    Pilot,
    PlanMilestone,
    ProcessRoute,
    ProductUse,
    ProgressUpdate,
    RouteStep,
    Scenario,
    Signal,
    Sob,
)


class RegionRecordForm(AccessibleFormMixin, forms.ModelForm):
    """A form for one record of a region. The region comes from the URL, never from the post."""

    def __init__(self, *args, region, **kwargs):
        self.region = region
        super().__init__(*args, **kwargs)
        self.instance.region = region
        for name, field in self.fields.items():
            model_field = self._meta.model._meta.get_field(name)
            if isinstance(model_field, models.DateField):
                field.widget = DateInput(attrs=field.widget.attrs)
            if isinstance(model_field, models.TextField):
                field.widget.attrs.setdefault("rows", 3)

    def _get_validation_exclusions(self):
        # The region is set from the URL, not a form field: still check constraints with it
        # (one plan stage per region), so a duplicate gets a message instead of a crash.
        exclusions = super()._get_validation_exclusions()
        exclusions.discard("region")
        return exclusions


class ProgressUpdateForm(RegionRecordForm):
    class Meta:
        model = ProgressUpdate
        fields = ["year", "quarter", "status", "narrative", "help_needed"]
        widgets = {"status": forms.RadioSelect}
        help_texts = {
            "narrative": _("What happened since the last update, and where the region stands."),
            "help_needed": _("Expertise or national support the region needs now (optional)."),
        }

    def clean(self):
        data = super().clean()
        year, quarter = data.get("year"), data.get("quarter")
        if year and quarter:
            earlier = ProgressUpdate.objects.filter(region=self.region, year=year, quarter=quarter)
            if earlier.exclude(pk=self.instance.pk).exists():
                # On a field of the constraint, so the model's own check stays silent.
                self.add_error(
                    "quarter",
                    _("This region already has a progress update for %(quarter)s; change that one.")
                    % {"quarter": quarter_label(year, quarter)},
                )
        return data


class PlanMilestoneForm(RegionRecordForm):
    class Meta:
        model = PlanMilestone
        fields = ["stage", "planned_date", "reached_date"]


class StageReachedForm(AccessibleFormMixin, forms.Form):
    """The region page's header: record that the next stage of the plan is reached (today, or
    the day it was). Saved as that stage's PlanMilestone (`PlanMilestoneForm`)."""

    reached_date = forms.DateField(label=_("reached on"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_next_stage_%s")
        super().__init__(*args, **kwargs)


class ScenarioForm(RegionRecordForm):
    class Meta:
        model = Scenario
        fields = ["national_scenario", "regional_option", "assessment", "chosen"]


class DecisionForm(RegionRecordForm):
    class Meta:
        model = Decision
        fields = ["body", "subject", "date", "outcome"]


class ProcessRouteForm(RegionRecordForm):
    class Meta:
        model = ProcessRoute
        fields = ["agreed_on", "agreed_with"]


class RouteStepForm(RegionRecordForm):
    expertise = forms.MultipleChoiceField(
        label=_("needed expertise"),
        choices=Expertise.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = RouteStep
        fields = [
            "order",
            "title",
            "description",
            "parties",
            "expertise",
            "planned_date",
            "actual_date",
            "status",
        ]


class SobForm(RegionRecordForm):
    municipality_codes = forms.MultipleChoiceField(
        label=_("municipalities served"), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Sob
        fields = ["name", "legal_form", "municipality_codes"]

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, region=region, **kwargs)
        self.fields["municipality_codes"].choices = [
            (m.code, m.name) for m in region.municipalities.order_by("name")
        ]


class PilotForm(RegionRecordForm):
    class Meta:
        model = Pilot
        fields = [
            "kind",
            "title",
            "goal",
            "start_date",
            "end_date",
            "outcomes",
            "shared_insights",
            "delivered",
        ]


class MeetingForm(RegionRecordForm):
    class Meta:
        model = Meeting
        fields = ["kind", "title", "date", "participants", "minutes", "insights"]


class SignalForm(RegionRecordForm):
    class Meta:
        model = Signal
        fields = ["title", "description", "addressed_to", "raised_on", "status", "response"]


class ProductUseForm(RegionRecordForm):
    """A use of a national instrument: a published catalogue version (or, for an instrument not
    in the catalogue, its name), and the specialist who supported it. Choices are checked on
    the server: a draft version or a user without a specialist profile is refused."""

    class Meta:
        model = ProductUse
        fields = [
            "product_version",
            "product_name",
            "applied_on",
            "specialist",
            "supported_by",
            "notes",
        ]
        labels = {"product_name": _("other instrument (not in the catalogue)")}
        help_texts = {
            "product_name": _("Only when the instrument is not a published catalogue product."),
            "supported_by": _("Support by others than a specialist, e.g. a partner."),
        }

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, region=region, **kwargs)
        versions = self.fields["product_version"]
        # The model field's choices: published versions only (its limit_choices_to).
        versions.queryset = versions.queryset.select_related("product").order_by(
            "product__name", "-pk"
        )
        versions.empty_label = _("(not in the catalogue)")
        specialists = self.fields["specialist"]
        specialists.queryset = User.objects.filter(
            role=Role.SPECIALIST, specialist_profile__isnull=False
        ).order_by("first_name", "last_name")
        specialists.empty_label = _("(no specialist)")
        self.fields["product_name"].required = False

    def clean(self):
        data = super().clean()
        version = data.get("product_version")
        if version is not None:
            data["product_name"] = version.product.name
            self.instance.product_name = version.product.name
        elif not data.get("product_name") and "product_version" not in self.errors:
            self.add_error(
                "product_version",
                _("Choose a product version or name an instrument outside the catalogue."),
            )
        name, applied_on = data.get("product_name"), data.get("applied_on")
        if name and applied_on and "specialist" not in self.errors:
            same = ProductUse.objects.filter(
                region=self.region,
                product_name=name,
                applied_on=applied_on,
                specialist=data.get("specialist"),
            ).exclude(pk=self.instance.pk)
            if same.exists():
                # On a field of the constraint, so the model's own check stays silent.
                self.add_error(
                    "applied_on",
                    _(
                        "This use of %(name)s on this date (with the same specialist) is "
                        "already recorded for this region; change that one."
                    )
                    % {"name": name},
                )
        return data


class AgreementForm(RegionRecordForm):
    class Meta:
        model = Agreement
        fields = ["title", "parties", "signed_on", "summary"]


class DocumentTitleForm(AccessibleFormMixin, forms.ModelForm):
    """The correction of a dossier document: only its title, the type comes from the file."""

    class Meta:
        model = Document
        fields = ["title"]
