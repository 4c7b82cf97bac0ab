"""Who may see and act on a deployment.

A specialist sees only their own deployments (others are 404); advisers, programme management
and the hub read all; partners and beheerders know none. Assigning is for programme management
and the hub; reporting is for the assigned specialist; requesting is for the region's adviser.

Specialist profiles: advisers, programme management and the hub read every profile; a specialist
reads only their own (others are 404). The hub and programme management change expertise and
profile text; only the specialist changes their own availability.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.models import Role, User
from specialists.models import Deployment, DeploymentStatus

__all__ = [
    "PROFILE_READERS",
    "can_assign",
    "can_cancel",
    "can_edit_availability",
    "can_edit_profile",
    "can_report",
    "deployments_visible_to",
    "get_deployment_for_user",
    "get_specialist_for_availability",
    "get_specialist_for_profile_edit",
    "get_specialist_for_user",
    "specialists_visible_to",
]

READERS = {Role.ADVISER, Role.PROGRAMME, Role.HUB}
ASSIGNERS = {Role.PROGRAMME, Role.HUB}
PROFILE_READERS = (Role.ADVISER, Role.PROGRAMME, Role.HUB)
PROFILE_EDITORS = {Role.PROGRAMME, Role.HUB}


def deployments_visible_to(user):
    """The deployments this user may see, each with its hours spent (the log's total)."""
    deployments = Deployment.objects.with_spent_hours()
    if user.role in READERS:
        return deployments
    if user.role == Role.SPECIALIST:
        return deployments.filter(specialist=user)
    return Deployment.objects.none()


def get_deployment_for_user(request, pk: int) -> Deployment:
    deployments = deployments_visible_to(request.user).select_related(
        "region", "specialist", "requested_by", "route_step"
    )
    return get_object_or_404(deployments, pk=pk)


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


def specialists_visible_to(user):
    specialists = User.objects.filter(role=Role.SPECIALIST, is_active=True)
    if user.role in PROFILE_READERS:
        return specialists
    if user.role == Role.SPECIALIST:
        return specialists.filter(pk=user.pk)
    return specialists.none()


def get_specialist_for_user(request, pk: int) -> User:
    """The specialist (a user, with their profile if recorded) or 404."""
    return get_object_or_404(
        specialists_visible_to(request.user).select_related("specialist_profile"), pk=pk
    )


def can_edit_profile(user) -> bool:
    return user.role in PROFILE_EDITORS


def can_edit_availability(user, specialist) -> bool:
    return user.pk == specialist.pk


def get_specialist_for_profile_edit(request, pk: int) -> User:
    """404 for those who may not see the specialist, 403 for readers who may not edit."""
    specialist = get_specialist_for_user(request, pk)
    require(can_edit_profile(request.user))
    return specialist


def get_specialist_for_availability(request, pk: int) -> User:
    specialist = get_specialist_for_user(request, pk)
    require(can_edit_availability(request.user, specialist))
    return specialist
