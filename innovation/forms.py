from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.forms import AccessibleFormMixin, DateInput
from innovation.models import (
    AgendaItem,
    Certification,
    DevelopmentLine,
    Insight,
    Product,
    ProductVersion,
    QualityCriterion,
    VersionStatus,
)
from monitoring.models import Signal


class ProductForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Product
        fields = ["name", "kind", "development_line", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class VersionForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = ProductVersion
        fields = ["label", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, product, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.product = product

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        exclusions.discard("product")
        return exclusions


class ReviewForm(AccessibleFormMixin, forms.Form):
    criterion = forms.ModelChoiceField(
        label=_("criterion"), queryset=QualityCriterion.objects.filter(active=True)
    )
    passed = forms.TypedChoiceField(
        label=_("judgement"),
        choices=[("1", _("passes")), ("0", _("does not pass"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("explanation"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CriterionForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = QualityCriterion
        fields = ["name", "description", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class CertificationForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Certification
        fields = ["specialist", "version", "certified_on", "expires_on"]
        widgets = {"certified_on": DateInput, "expires_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialist"].queryset = User.objects.filter(role=Role.SPECIALIST)
        self.fields["version"].queryset = ProductVersion.objects.filter(
            status=VersionStatus.PUBLISHED
        ).select_related("product")

    def clean(self):
        data = super().clean()
        certified, expires = data.get("certified_on"), data.get("expires_on")
        if certified and expires and expires <= certified:
            self.add_error("expires_on", _("The expiry date lies before the certification."))
        specialist, version = data.get("specialist"), data.get("version")
        if specialist and version:
            same = Certification.objects.filter(specialist=specialist, version=version)
            if same.exclude(pk=self.instance.pk).exists():
                self.add_error(
                    "version",
                    _(
                        "%(specialist)s is already certified for %(version)s; "
                        "change that certification (for a renewal, its dates)."
                    )
                    % {"specialist": specialist, "version": version},
                )
        return data


class InsightForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Insight
        fields = ["title", "description", "signals"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "signals": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signals"].queryset = Signal.objects.select_related("region").order_by(
            "-raised_on"
        )[:200]
        self.fields["signals"].label_from_instance = lambda s: f"{s.region.name}: {s.title}"


class AgendaItemForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "title",
            "priority",
            "start_quarter",
            "end_quarter",
            "status",
            "development_line",
            "insights",
            "product_versions",
        ]
        widgets = {
            "insights": forms.CheckboxSelectMultiple,
            "product_versions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_versions"].queryset = ProductVersion.objects.select_related("product")

    def clean_title(self):
        title = self.cleaned_data["title"]
        same = AgendaItem.objects.filter(title__iexact=title).exclude(pk=self.instance.pk)
        if same.exists():
            raise forms.ValidationError(
                _("The agenda already has an item “%(title)s”; change that one."),
                code="unique",
                params={"title": same.first().title},
            )
        return title


class DevelopmentLineForm(AccessibleFormMixin, forms.ModelForm):
    """A line's dates are its claims: delivered needs a published product in the line, applied
    nationally needs delivery and use of the line's products in regions."""

    class Meta:
        model = DevelopmentLine
        fields = ["name", "description", "delivered_on", "applied_nationally_on"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "delivered_on": DateInput,
            "applied_nationally_on": DateInput,
        }
        help_texts = {
            "delivered_on": _("When a product of this line was published for the regions."),
            "applied_nationally_on": _("When the line's products were in use in the regions."),
        }

    def clean(self):
        data = super().clean()
        delivered, applied = data.get("delivered_on"), data.get("applied_nationally_on")
        line = self.instance
        published = ProductVersion.objects.none()
        if line.pk is not None:
            published = ProductVersion.objects.filter(
                product__development_line=line, status=VersionStatus.PUBLISHED
            )
        if delivered and not published.exists():
            self.add_error(
                "delivered_on",
                _("A line is delivered once one of its products has a published version."),
            )
        if applied and not delivered:
            self.add_error(
                "applied_nationally_on", _("A line is applied nationally only after delivery.")
            )
        elif applied and not published.filter(uses__isnull=False).exists():
            self.add_error(
                "applied_nationally_on",
                _("No region has used a published product of this line yet."),
            )
        if delivered and applied and applied < delivered:
            self.add_error(
                "applied_nationally_on", _("The line cannot be applied before it was delivered.")
            )
        return data
