from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import Region


class DeploymentStatus(models.TextChoices):
    REQUESTED = "aangevraagd", _("Requested")
    ASSIGNED = "toegewezen", _("Assigned")
    ACTIVE = "lopend", _("Active")
    COMPLETED = "afgerond", _("Completed")
    CANCELLED = "geannuleerd", _("Cancelled")


# A specialist may see a region while assigned to it, working in it, or reporting on work done.
DEPLOYED_STATUSES = (DeploymentStatus.ASSIGNED, DeploymentStatus.ACTIVE, DeploymentStatus.COMPLETED)


class Deployment(models.Model):
    """A specialist deployed for a region (inzet). Requests and hours follow in their own issue."""

    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("specialist"),
        on_delete=models.PROTECT,
        related_name="deployments",
        limit_choices_to={"role": "maatwerkspecialist"},
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="deployments"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DeploymentStatus.choices,
        default=DeploymentStatus.REQUESTED,
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        ordering = ["-start_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.specialist} → {self.region}"
