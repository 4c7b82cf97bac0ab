from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.records import Versioned, tracked
from monitoring.models import Expertise, RouteStep
from regions.models import Region


class DeploymentStatus(models.TextChoices):
    REQUESTED = "aangevraagd", _("Requested")
    ASSIGNED = "toegewezen", _("Assigned")
    ACTIVE = "lopend", _("Active")
    COMPLETED = "afgerond", _("Completed")
    CANCELLED = "geannuleerd", _("Cancelled")


# A specialist may see a region while assigned to it, working in it, or reporting on work done.
DEPLOYED_STATUSES = (DeploymentStatus.ASSIGNED, DeploymentStatus.ACTIVE, DeploymentStatus.COMPLETED)
# A request waiting longer than this for a specialist is flagged.
WAITING_DAYS = 14
# Nobody is available for more than a full working week.
MAX_HOURS_PER_WEEK = 40


@tracked
class SpecialistProfile(Versioned):
    """A maatwerkspecialist's expertise and availability.

    The hub and programme management keep the expertise and profile text; the specialist keeps
    their own availability (hours per week and periods away). Edits are version-checked."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("specialist"),
        on_delete=models.CASCADE,
        related_name="specialist_profile",
        limit_choices_to={"role": "maatwerkspecialist"},
    )
    expertise = ArrayField(
        models.CharField(max_length=32, choices=Expertise.choices),
        verbose_name=_("expertise areas"),
        default=list,
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("available hours per week"),
        default=8,
        validators=[MaxValueValidator(MAX_HOURS_PER_WEEK)],
    )
    availability_note = models.CharField(
        _("availability note"),
        max_length=300,
        blank=True,
        help_text=_("For example the days you can work, or a preference for certain regions."),
    )
    summary = models.TextField(_("profile"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("specialist profile")
        verbose_name_plural = _("specialist profiles")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def expertise_labels(self) -> list[str]:
        labels = dict(Expertise.choices)
        return [str(labels.get(item, item)) for item in self.expertise]


@tracked
class Unavailability(Versioned):
    """A period in which a specialist cannot be deployed (leave, other work)."""

    profile = models.ForeignKey(
        SpecialistProfile,
        verbose_name=_("specialist profile"),
        on_delete=models.CASCADE,
        related_name="unavailable_periods",
    )
    start_date = models.DateField(_("unavailable from"))
    end_date = models.DateField(_("unavailable until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unavailable period")
        verbose_name_plural = _("unavailable periods")
        ordering = ["start_date", "pk"]

    def __str__(self) -> str:
        return f"{self.start_date:%d-%m-%Y} - {self.end_date:%d-%m-%Y}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date lies before the start date.")})

    def covers(self, day) -> bool:
        return self.start_date <= day <= self.end_date


@tracked
class Deployment(models.Model):
    """Inzet: an adviser asks for expertise in a region; a specialist is assigned and reports.

    aangevraagd -> toegewezen -> lopend -> afgerond, or geannuleerd; every transition is kept in
    the audit history (pghistory) and made through specialists/services.py."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="deployments"
    )
    route_step = models.ForeignKey(
        RouteStep,
        verbose_name=_("route step"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deployments",
    )
    expertise = models.CharField(
        _("needed expertise"),
        max_length=32,
        choices=Expertise.choices,
        default=Expertise.GOVERNANCE,
    )
    request_note = models.TextField(_("question"), max_length=2000, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("specialist"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deployments",
        limit_choices_to={"role": "maatwerkspecialist"},
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DeploymentStatus.choices,
        default=DeploymentStatus.REQUESTED,
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    planned_hours = models.PositiveIntegerField(_("planned hours"), default=0)
    spent_hours = models.PositiveIntegerField(_("spent hours"), default=0)
    progress = models.TextField(_("progress"), max_length=4000, blank=True)
    result = models.TextField(_("result"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_expertise_display()} · {self.region}"

    @property
    def is_waiting_too_long(self) -> bool:
        return (
            self.status == DeploymentStatus.REQUESTED
            and (timezone.now() - self.requested_at).days > WAITING_DAYS
        )

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date lies before the start date.")})
