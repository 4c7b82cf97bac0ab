from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.records import Versioned, tracked
from core.search import search_field, search_index
from monitoring.models.base import DEADLINE
from regions.models import Region

__all__ = ["Decision", "DecisionBody", "DecisionOutcome", "PlanMilestone", "PlanStage", "Scenario"]


class PlanStage(models.TextChoices):
    ORIENTATION = "orientatie", _("Orientation")
    ANALYSIS = "analyse", _("Analysis")
    SCENARIOS = "scenarios", _("Scenarios")
    DIRECTION = "koersbepaling", _("Setting direction")
    DECISION = "besluitvorming", _("Decision-making")
    ADOPTED = "vastgesteld", _("Adopted")
    EXECUTION = "in_uitvoering", _("In execution")


STAGE_ORDER = list(PlanStage.values)


@tracked
class PlanMilestone(Versioned):
    """One stage of a region's toekomstplan: when it is planned and when it was reached."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="milestones"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=PlanStage.choices)
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    reached_date = models.DateField(_("reached on"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan stage")
        verbose_name_plural = _("plan stages")
        ordering = ["planned_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "stage"],
                name="one_milestone_per_stage",
                violation_error_message=_(
                    "This stage is already in the plan; change that one instead."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.get_stage_display()

    @property
    def order(self) -> int:
        return STAGE_ORDER.index(self.stage)

    @property
    def is_late(self) -> bool:
        today = timezone.localdate()
        return bool(self.planned_date and not self.reached_date and self.planned_date < today)

    def clean(self):
        errors = {}
        if self.planned_date and self.planned_date > DEADLINE:
            errors["planned_date"] = _(
                "Every stage must be planned on or before 31 December 2026, the deadline for a "
                "future plan in execution."
            )
        if self.reached_date and self.reached_date > timezone.localdate():
            errors["reached_date"] = _("A stage cannot be reached on a date in the future.")
        if errors:
            raise ValidationError(errors)


@tracked
class Scenario(Versioned):
    """A national scenario translated into a regional option, with its assessment."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="scenarios"
    )
    national_scenario = models.CharField(_("national scenario"), max_length=200)
    regional_option = models.TextField(_("regional option"), max_length=4000)
    assessment = models.TextField(_("assessment"), max_length=4000, blank=True)
    chosen = models.BooleanField(_("chosen"), default=False)

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        ordering = ["-chosen", "national_scenario", "pk"]

    def __str__(self) -> str:
        return self.national_scenario


class DecisionBody(models.TextChoices):
    COLLEGE = "college", _("Municipal executive (college)")
    COUNCIL = "raad", _("Municipal council (raad)")
    GR_BOARD = "ab_gr", _("General board of a joint arrangement (AB GR)")
    SOB_BOARD = "rvc_sob", _("Supervisory board of the SOB (RvC)")


class DecisionOutcome(models.TextChoices):
    PLANNED = "gepland", _("Planned")
    ADOPTED = "genomen", _("Adopted")
    POSTPONED = "aangehouden", _("Postponed")
    REJECTED = "verworpen", _("Rejected")


@tracked
class Decision(Versioned):
    """A besluitmoment: a governance body decides on (part of) the future plan."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="decisions"
    )
    body = models.CharField(_("body"), max_length=20, choices=DecisionBody.choices)
    subject = models.CharField(_("subject"), max_length=300)
    date = models.DateField(_("date"))
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=DecisionOutcome.choices,
        default=DecisionOutcome.PLANNED,
    )

    search_vector = search_field(("subject", "A"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["date", "pk"]
        indexes = [search_index("decision")]

    def __str__(self) -> str:
        return self.subject
