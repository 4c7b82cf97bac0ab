"""Who may see and act on a deployment.

A specialist sees only their own deployments (others are 404); advisers, programme management
and the hub read all; partners and beheerders know none. Assigning is for programme management
and the hub; reporting is for the assigned specialist; requesting is for the region's adviser.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Role
from specialists.models import Deployment, DeploymentStatus

__all__ = [
    "can_assign",
    "can_cancel",
    "can_report",
    "deployments_visible_to",
    "get_deployment_for_user",
]

READERS = {Role.ADVISER, Role.PROGRAMME, Role.HUB}
ASSIGNERS = {Role.PROGRAMME, Role.HUB}


def deployments_visible_to(user):
    if user.role in READERS:
        return Deployment.objects.all()
    if user.role == Role.SPECIALIST:
        return Deployment.objects.filter(specialist=user)
    return Deployment.objects.none()


def get_deployment_for_user(request, pk: int) -> Deployment:
    try:
        return (
            deployments_visible_to(request.user)
            .select_related("region", "specialist", "requested_by", "route_step")
            .get(pk=pk)
        )
    except Deployment.DoesNotExist:
        raise Http404 from None


def can_assign(user, deployment) -> bool:
    return user.role in ASSIGNERS and deployment.status == DeploymentStatus.REQUESTED


def can_report(user, deployment) -> bool:
    return deployment.specialist_id == user.pk and deployment.status in {
        DeploymentStatus.ASSIGNED,
        DeploymentStatus.ACTIVE,
    }


def can_cancel(user, deployment) -> bool:
    open_states = {DeploymentStatus.REQUESTED, DeploymentStatus.ASSIGNED}
    return deployment.status in open_states and (
        user.role in ASSIGNERS or deployment.requested_by_id == user.pk
    )


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
