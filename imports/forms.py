"""The forms an import checks its rows with besides the region page's own (`monitoring.forms`),
and the upload form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.forms import AccessibleFormMixin
from monitoring.models import Expertise
from regions.models import Region

__all__ = ["DeploymentRequestForm", "PortfolioForm", "UploadForm"]


class DeploymentRequestForm(AccessibleFormMixin, forms.Form):
    """A request for a specialist (`specialists.services.request_deployment`), as a row."""

    expertise = forms.ChoiceField(label=_("needed expertise"), choices=Expertise.choices)
    route_step = forms.ChoiceField(
        label=_("route step"),
        required=False,
        help_text=_("The title of one of the region's route steps (optional)."),
    )
    request_note = forms.CharField(
        label=_("question"), max_length=2000, required=False, widget=forms.Textarea
    )

    def __init__(self, *args, region, instance=None, **kwargs):
        self.region = region
        self.instance = instance
        super().__init__(*args, **kwargs)
        titles = sorted(set(region.route_steps.values_list("title", flat=True)))
        self.fields["route_step"].choices = [("", "—"), *((t, t) for t in titles)]


class PortfolioForm(AccessibleFormMixin, forms.Form):
    """Which adviser a region belongs to (`regions.services.handover_portfolio`), as a row."""

    region = forms.ChoiceField(label=_("region"))
    adviser = forms.ChoiceField(
        label=_("regional adviser"),
        help_text=_("The adviser's user name or e-mail address."),
    )

    def __init__(self, *args, region=None, instance=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [
            (r.code, f"{r.name} ({r.code})") for r in Region.objects.only("code", "name")
        ]
        self.fields["adviser"].choices = [
            (u.username, u.get_full_name() or u.username)
            for u in User.objects.filter(role=Role.ADVISER, is_active=True).order_by(
                "first_name", "last_name"
            )
        ]


class UploadForm(AccessibleFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), widget=forms.RadioSelect)
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "An Excel workbook (.xlsx) or a CSV file (semicolons, as Dutch Excel saves it)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.key, kind.title) for kind in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0].key
