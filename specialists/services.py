"""Deployment workflow: request, assign, report, cancel. Each write checks the state it expects
with a compare-and-set update, so two people acting at once cannot both succeed."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from specialists.models import Deployment, DeploymentStatus, HoursEntry, SpecialistProfile

__all__ = [
    "assign_deployment",
    "cancel_deployment",
    "deployment_assigned",
    "ensure_profile",
    "report_deployment",
    "request_deployment",
]

# Sent with `deployment` (and `by`) in the transaction that assigned its specialist.
deployment_assigned = Signal()


def request_deployment(*, region, expertise, route_step=None, note="", by) -> Deployment:
    if route_step is not None and route_step.region_id != region.pk:
        raise ValidationError(_("The route step belongs to another region."))
    deployment = Deployment(
        region=region,
        expertise=expertise,
        route_step=route_step,
        request_note=note,
        requested_by=by,
    )
    deployment.full_clean()
    deployment.save()
    return deployment


def _transition(deployment, expected, **changes) -> Deployment:
    updated = Deployment.objects.filter(pk=deployment.pk, status__in=expected).update(**changes)
    if updated != 1:
        raise ValidationError(
            _("This deployment was changed by someone else in the meantime; reload the page.")
        )
    deployment.refresh_from_db()
    return deployment


@transaction.atomic
def assign_deployment(*, deployment, specialist, planned_hours, start_date, end_date, by):
    if specialist.role != Role.SPECIALIST:
        raise ValidationError(_("Only a specialist can be assigned."))
    profile = SpecialistProfile.objects.filter(user=specialist).first()
    if profile is None or deployment.expertise not in profile.expertise:
        raise ValidationError(
            _("%(name)s has no %(expertise)s expertise in their profile.")
            % {"name": specialist, "expertise": deployment.get_expertise_display()}
        )
    if end_date and start_date and end_date < start_date:
        raise ValidationError(_("The end date lies before the start date."))
    deployment = _transition(
        deployment,
        [DeploymentStatus.REQUESTED],
        specialist=specialist,
        assigned_by=by,
        planned_hours=planned_hours,
        start_date=start_date,
        end_date=end_date,
        status=DeploymentStatus.ASSIGNED,
    )
    deployment_assigned.send(sender=Deployment, deployment=deployment, by=by)
    return deployment


@transaction.atomic
def report_deployment(
    *, deployment, progress, result, completed, by, hours=None, day=None, note=""
) -> Deployment:
    """Keep the progress and result, and add the hours (if any) to the deployment's hours log:
    a report never overwrites the hours reported before."""
    if by.pk != deployment.specialist_id:
        raise ValidationError(_("Only the assigned specialist reports on a deployment."))
    if completed and not result:
        raise ValidationError(_("Describe the result before completing the deployment."))
    if hours is not None:
        entry = HoursEntry(deployment=deployment, day=day, hours=hours, note=note, recorded_by=by)
        entry.full_clean()
    deployment = _transition(
        deployment,
        [DeploymentStatus.ASSIGNED, DeploymentStatus.ACTIVE],
        progress=progress,
        result=result,
        status=DeploymentStatus.COMPLETED if completed else DeploymentStatus.ACTIVE,
        end_date=_end_date(deployment, completed=completed),
    )
    if hours is not None:
        entry.save()
        deployment.__dict__.pop("logged_hours", None)  # a total read before is stale now
    return deployment


def _end_date(deployment, *, completed: bool):
    """A deployment completed today ended today: without a planned end, or before a planned end
    still ahead (an "afgerond" deployment never ends in the future)."""
    today = timezone.localdate()
    if completed and (deployment.end_date is None or deployment.end_date > today):
        return today
    return deployment.end_date


@transaction.atomic
def cancel_deployment(*, deployment, by):
    return _transition(
        deployment,
        [DeploymentStatus.REQUESTED, DeploymentStatus.ASSIGNED],
        status=DeploymentStatus.CANCELLED,
    )


def ensure_profile(*, specialist, by) -> SpecialistProfile:
    """The specialist's profile, created empty when none was recorded yet."""
    profile, _created = SpecialistProfile.objects.get_or_create(
        user=specialist, defaults={"updated_by": by}
    )
    return profile
