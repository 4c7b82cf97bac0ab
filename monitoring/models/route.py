from datetime import date

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.records import Versioned, tracked
from core.search import search_field, search_index
from monitoring.models.base import DEADLINE
from regions.models import Municipality, Region

__all__ = ["Expertise", "ProcessRoute", "RouteStep", "Sob", "StepStatus"]


class Expertise(models.TextChoices):
    GOVERNANCE = "governance", _("Governance")
    OPERATIONS = "bedrijfsvoering", _("Business operations")
    FINANCE = "financien", _("Finance")
    ORGANISATION = "organisatieontwikkeling", _("Organisational development")
    LABOUR_MARKET = "arbeidsmarkt", _("Labour market")
    LEGAL = "juridisch", _("Legal")


@tracked
class ProcessRoute(Versioned):
    """The agreed route to the plan: when it was agreed and with whom."""

    region = models.OneToOneField(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="route"
    )
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    agreed_with = models.CharField(
        _("agreed with"),
        max_length=300,
        blank=True,
        help_text=_("Who agreed the route, e.g. the regional steering group of aldermen and SOB."),
    )

    class Meta:
        verbose_name = _("process route")
        verbose_name_plural = _("process routes")

    def __str__(self) -> str:
        return str(self.region)

    def clean(self):
        if self.agreed_on and not self.agreed_with:
            raise ValidationError({"agreed_with": _("Say who agreed the route.")})
        if self.agreed_on and self.agreed_on > timezone.localdate():
            raise ValidationError({"agreed_on": _("A route cannot be agreed in the future.")})


class StepStatus(models.TextChoices):
    PLANNED = "gepland", _("Planned")
    ACTIVE = "lopend", _("In progress")
    DONE = "afgerond", _("Done")
    DROPPED = "vervallen", _("Dropped")


@tracked
class RouteStep(Versioned):
    """One step of the process route: what, who, when, and which expertise it needs."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="route_steps"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("step"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    parties = models.CharField(
        _("parties"),
        max_length=300,
        blank=True,
        help_text=_("Municipalities, SOB and partners involved."),
    )
    expertise = ArrayField(
        models.CharField(max_length=32, choices=Expertise.choices),
        verbose_name=_("needed expertise"),
        default=list,
        blank=True,
    )
    planned_date = models.DateField(_("planned date"))
    actual_date = models.DateField(_("actual date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=StepStatus.choices, default=StepStatus.PLANNED
    )

    search_vector = search_field(("title", "A"), ("description", "B"), ("parties", "C"))

    class Meta:
        verbose_name = _("route step")
        verbose_name_plural = _("route steps")
        ordering = ["order", "planned_date", "pk"]
        indexes = [search_index("routestep")]

    def __str__(self) -> str:
        return self.title

    # The one rule for "late", on a given day: planned before it and not finished by then (done
    # or dropped on or before that day; a step finished later was still late on it). The query
    # and the Python below say the same; pages use today, snapshots the quarter's last day.
    FINISHED = (StepStatus.DONE, StepStatus.DROPPED)

    @classmethod
    def late_on(cls, as_of: date) -> Q:
        finished = Q(status__in=cls.FINISHED) & (
            Q(actual_date__isnull=True) | Q(actual_date__lte=as_of)
        )
        return Q(planned_date__lt=as_of) & ~finished

    def is_late_on(self, as_of: date) -> bool:
        finished = self.status in self.FINISHED and (
            self.actual_date is None or self.actual_date <= as_of
        )
        return self.planned_date < as_of and not finished

    @property
    def is_late(self) -> bool:
        return self.is_late_on(timezone.localdate())

    def clean(self):
        errors = {}
        if self.planned_date and self.planned_date > DEADLINE:
            errors["planned_date"] = _(
                "The process route leads to a plan in execution by 31 December 2026: plan this "
                "step on or before that date."
            )
        if self.status == StepStatus.DONE and not self.actual_date:
            errors["actual_date"] = _("Fill in when the step was done.")
        if self.actual_date and self.actual_date > timezone.localdate():
            errors["actual_date"] = _("The actual date cannot be in the future.")
        if errors:
            raise ValidationError(errors)


class LegalForm(models.TextChoices):
    GR = "gr", _("Joint arrangement (GR)")
    NV_BV = "nv_bv", _("Public limited company (NV/BV)")
    FOUNDATION = "stichting", _("Foundation")
    DEPARTMENT = "afdeling", _("Municipal department")
    OTHER = "anders", _("Other")


@tracked
class Sob(Versioned):
    """A social development company (SOB) serving one or more municipalities of the region."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="sobs"
    )
    name = models.CharField(_("name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=16, choices=LegalForm.choices)
    municipality_codes = ArrayField(
        models.CharField(max_length=6),
        verbose_name=_("municipalities served"),
        default=list,
    )

    class Meta:
        verbose_name = _("social development company (SOB)")
        verbose_name_plural = _("social development companies (SOBs)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if not self.region_id or not self.municipality_codes:
            return
        valid = set(
            Municipality.objects.filter(region_id=self.region_id).values_list("code", flat=True)
        )
        outside = set(self.municipality_codes) - valid
        if outside:
            raise ValidationError(
                {"municipality_codes": _("An SOB serves municipalities of its own region only.")}
            )
