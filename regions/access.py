"""Who may see and change a region (healthchecks' _get_check_for_user style).

Every view and htmx partial about one region starts with get_region_for_user (read) or
get_rw_region_for_user (change). Those who may not know the region answer 404; those who may read
but not change it answer 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Role
from regions.models import Region, StandIn
from specialists.models import DEPLOYED_STATUSES

__all__ = [
    "can_change_region",
    "get_region_for_user",
    "get_rw_region_for_user",
    "regions_visible_to",
]

ROLES_SEEING_ALL_REGIONS = {Role.ADVISER, Role.PROGRAMME, Role.HUB}


def regions_visible_to(user) -> QuerySet[Region]:
    if not user.is_authenticated:
        return Region.objects.none()
    if user.role in ROLES_SEEING_ALL_REGIONS:
        return Region.objects.all()
    if user.role == Role.SPECIALIST:
        return Region.objects.filter(
            deployments__specialist=user, deployments__status__in=DEPLOYED_STATUSES
        ).distinct()
    return Region.objects.none()


def can_change_region(user, region: Region) -> bool:
    """An adviser changes the regions in their own portfolio, and those of an adviser they
    stand in for today."""
    if not (user.is_authenticated and user.role == Role.ADVISER and region.adviser_id):
        return False
    if region.adviser_id == user.pk:
        return True
    today = timezone.localdate()
    return StandIn.objects.filter(
        adviser_id=region.adviser_id,
        substitute=user,
        start_date__lte=today,
        end_date__gte=today,
    ).exists()


def get_region_for_user(request, code: str) -> Region:
    """The region if this user may see it, else 404 (views are behind login_required)."""
    return get_object_or_404(regions_visible_to(request.user).select_related("adviser"), code=code)


def get_rw_region_for_user(request, code: str) -> Region:
    """The region if this user may change it; 404 if they may not see it, 403 if only read."""
    region = get_region_for_user(request, code)
    if not can_change_region(request.user, region):
        raise PermissionDenied
    return region
