"""What can be imported: per kind the form its rows are checked with (the region page's own
where there is one, so the rules and messages are the same), the columns a file may have, the
natural key that finds the record a row is about (so importing a file again adds nothing), and
how a checked row is written."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django import forms as django_forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from imports import forms
from monitoring import forms as monitoring_forms
from monitoring.models import Meeting, Pilot, ProgressUpdate, RouteStep, Signal
from regions.models import Region
from specialists.models import Deployment

__all__ = ["KINDS", "REGION_COLUMN", "ImportKind", "kinds_for", "normalise"]

# The column that names the region of a row in a national import.
REGION_COLUMN = "region"


def normalise(value) -> str:
    """A key value as compared: dates as ISO, text without case or extra spaces."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return " ".join(str(value).split()).casefold()


@dataclass(frozen=True)
class ImportKind:
    key: str
    title: str
    model: type[models.Model]
    form: type[django_forms.Form]
    key_fields: tuple[str, ...]
    explanation: str
    # The form's fields, in the template's column order; a region page form's own by default.
    fields: tuple[str, ...] = ()
    regional: bool = True  # False: the rows name their region themselves, nationally only
    creates: bool = True  # portfolios only change the adviser of existing regions
    updates: bool = True  # a deployment request already made is not changed by an import
    # For a kind whose rows are no region record: the records of these regions, by key.
    records: Callable | None = None

    def __post_init__(self):
        if not self.fields:
            object.__setattr__(self, "fields", tuple(self.form._meta.fields))

    def build_form(self, data, *, region, instance=None):
        if issubclass(self.form, django_forms.ModelForm):
            return _import_form(self.form)(data, instance=instance, region=region)
        return self.form(data, region=region, instance=instance)

    def form_fields(self, region) -> dict[str, django_forms.Field]:
        sample = self.build_form(None, region=region)
        return {name: sample.fields[name] for name in self.fields}

    def model_field(self, name):
        try:
            return self.model._meta.get_field(name)
        except Exception:
            return None

    def default(self, name):
        """The model's default for a field left empty in a new row, or None."""
        field = self.model_field(name)
        if field is None or not field.has_default():
            return None
        value = field.get_default()
        return None if value in ("", []) else value

    def headers(self, fields, national: bool) -> list[tuple[str, str]]:
        """(field name, column header) in the template's order, in the active language."""
        columns = (
            [(REGION_COLUMN, capfirst(str(_("region"))))] if national and self.regional else []
        )
        return columns + [(name, capfirst(str(fields[name].label))) for name in self.fields]

    def header_names(self, fields, national: bool) -> dict[str, str]:
        """Every header a file may use for a field, in Dutch and English (and the field's own
        name), normalised, to the field name."""
        names = {}
        for language in ("nl", "en"):
            with override(language):
                for name, header in self.headers(fields, national):
                    names[normalise(header)] = name
                    names[normalise(name)] = name
        return names

    def existing(self, regions) -> dict[tuple, models.Model]:
        """The records these regions already have, by (region code, key)."""
        if self.records is not None:
            return self.records(regions)
        found = {}
        for record in self.model.objects.filter(region__in=regions).select_related("region"):
            key = tuple(normalise(getattr(record, name)) for name in self.key_fields)
            found.setdefault((record.region.code, key), record)
        return found


@cache
def _import_form(form_class):
    """The region page's form as an import uses it: the region of a row is one the import
    found, so the model's check of that foreign key (a query per row) is left out. Its rules
    stay: a form checks a constraint on the region itself (one progress update per quarter),
    and the database's constraint refuses what slips past."""

    class ImportForm(form_class):
        def _get_validation_exclusions(self):
            return {*super()._get_validation_exclusions(), "region"}

    ImportForm.__name__ = f"Import{form_class.__name__}"
    return ImportForm


def _deployments(regions) -> dict:
    found = {}
    for deployment in Deployment.objects.filter(region__in=regions).select_related("region"):
        key = (normalise(deployment.expertise), normalise(deployment.request_note))
        found.setdefault((deployment.region.code, key), deployment)
    return found


def _portfolios(regions) -> dict:
    return {
        (region.code, (normalise(region.code),)): region
        for region in Region.objects.select_related("adviser").only(
            "code", "name", "adviser__username", "adviser__first_name", "adviser__last_name"
        )
    }


KINDS = {
    kind.key: kind
    for kind in (
        ImportKind(
            key="processtappen",
            title=_("Route steps"),
            model=RouteStep,
            form=monitoring_forms.RouteStepForm,
            key_fields=("title",),
            explanation=_("A step with the same title in the region is changed, not added."),
        ),
        ImportKind(
            key="bijeenkomsten",
            title=_("Meetings (with minutes)"),
            model=Meeting,
            form=monitoring_forms.MeetingForm,
            key_fields=("date", "title"),
            explanation=_("A meeting with the same date and title is changed, not added."),
        ),
        ImportKind(
            key="inzetaanvragen",
            title=_("Deployment requests"),
            model=Deployment,
            form=forms.DeploymentRequestForm,
            fields=("expertise", "route_step", "request_note"),
            key_fields=("expertise", "request_note"),
            explanation=_(
                "A request with the same expertise and question is already there and is left "
                "as it is; a new one waits for programme management to assign a specialist."
            ),
            updates=False,
            records=_deployments,
        ),
        ImportKind(
            key="pilots",
            title=_("Pilots and learning lines"),
            model=Pilot,
            form=monitoring_forms.PilotForm,
            key_fields=("title",),
            explanation=_("A pilot with the same title in the region is changed, not added."),
        ),
        ImportKind(
            key="signalen",
            title=_("Signals"),
            model=Signal,
            form=monitoring_forms.SignalForm,
            key_fields=("title", "raised_on"),
            explanation=_("A signal with the same title and date raised is changed, not added."),
        ),
        ImportKind(
            key="voortgang",
            title=_("Progress updates"),
            model=ProgressUpdate,
            form=monitoring_forms.ProgressUpdateForm,
            key_fields=("year", "quarter"),
            explanation=_(
                "One progress update per region and quarter: an update for a quarter that has "
                "one changes it. You are recorded as its author."
            ),
        ),
        ImportKind(
            key="portefeuilles",
            title=_("Advisers' portfolios"),
            model=Region,
            form=forms.PortfolioForm,
            fields=("region", "adviser"),
            key_fields=("region",),
            explanation=_(
                "Each row gives a region its regional adviser; a region handed over to another "
                "adviser is recorded as a handover, as on the portfolios page."
            ),
            regional=False,
            creates=False,
            records=_portfolios,
        ),
    )
}


def kinds_for(*, national: bool, programme: bool) -> list[ImportKind]:
    """What may be imported: on a region's page its records; nationally an adviser imports
    the records of their regions, programme management the portfolios."""
    if not national:
        return [kind for kind in KINDS.values() if kind.regional]
    if programme:
        return [kind for kind in KINDS.values() if not kind.regional]
    return [kind for kind in KINDS.values() if kind.regional]
