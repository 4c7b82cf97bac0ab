from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.records import Versioned, tracked
from core.search import search_field, search_index
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


class DeploymentQuerySet(models.QuerySet):
    def with_spent_hours(self):
        """Each deployment with the total of its hours log, in the same query."""
        return self.annotate(logged_hours=SPENT_HOURS_OF_DEPLOYMENT)


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
    # The hours spent are the sum of the deployment's hours log (HoursEntry): `spent_hours`.
    # Before the log, a report overwrote one figure; its last value became the log's first
    # entry. The column stays, so the audit history keeps every figure reported before.
    hours_before_log = models.PositiveIntegerField(
        _("hours reported before the hours log"), default=0, editable=False, db_column="spent_hours"
    )
    progress = models.TextField(_("progress"), max_length=4000, blank=True)
    result = models.TextField(_("result"), max_length=4000, blank=True)

    objects = DeploymentQuerySet.as_manager()

    search_vector = search_field(("request_note", "A"), ("progress", "B"), ("result", "B"))

    class Meta:
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        ordering = ["-requested_at", "-pk"]
        indexes = [search_index("deployment")]

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

    @property
    def spent_hours(self) -> Decimal:
        """The total of the hours log: from `with_spent_hours()` when the query annotated it
        (lists, one query), else summed for this one deployment."""
        if hasattr(self, "logged_hours"):
            return self.logged_hours
        return self.hours_entries.aggregate(total=SPENT_HOURS)["total"]

    @property
    def hours_over_plan(self) -> Decimal:
        """How many hours the log passes the planned hours (0 when within the plan)."""
        if not self.planned_hours:
            return Decimal(0)
        return max(self.spent_hours - self.planned_hours, Decimal(0))


# The one definition of "hours spent": the sum of the log, 0 without entries.
SPENT_HOURS = Coalesce(Sum("hours"), Value(Decimal(0)), output_field=models.DecimalField())
SPENT_HOURS_OF_DEPLOYMENT = Coalesce(
    Sum("hours_entries__hours"), Value(Decimal(0)), output_field=models.DecimalField()
)


def validate_quarter_hours(value) -> None:
    """Hours are kept in quarter hours: 2, 2.25, 2.5, 2.75. A number too large to say (past
    Decimal's 28 digits) is left to the field's own limits, which refuse it with their message."""
    if value is None:
        return
    try:
        off = (value * 4) % 1
    except InvalidOperation:
        return
    if off:
        raise ValidationError(_("Enter hours in quarter hours, e.g. 2,25 or 2,5."), code="quarter")


@tracked
class HoursEntry(models.Model):
    """One report of hours spent on a deployment: a line in its hours log, never overwritten.
    The deployment's hours spent are the sum of its entries."""

    deployment = models.ForeignKey(
        Deployment,
        verbose_name=_("deployment"),
        on_delete=models.CASCADE,
        related_name="hours_entries",
    )
    day = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=2, validators=[validate_quarter_hours]
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hours entry")
        verbose_name_plural = _("hours log")
        ordering = ["day", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="hours_entry_positive")
        ]

    def __str__(self) -> str:
        return f"{self.day:%d-%m-%Y}: {self.hours}"
