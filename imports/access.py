"""Who may see an import: its uploader, while they may still change its region; a national
import is an adviser's (their regions' records) or programme management's (the portfolios)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Role
from imports.models import ImportRun
from regions.access import get_rw_region_for_user
from regions.models import StandIn

__all__ = ["get_run_for_user", "runs_visible_to"]


def runs_visible_to(user) -> QuerySet[ImportRun]:
    """The user's own imports that get_run_for_user gives them (the API's list)."""
    runs = ImportRun.objects.filter(created_by=user).select_related("region")
    if user.role == Role.PROGRAMME:
        return runs.filter(region=None)
    if user.role != Role.ADVISER:
        return runs.none()
    today = timezone.localdate()
    covered = StandIn.objects.filter(
        substitute=user, start_date__lte=today, end_date__gte=today
    ).values("adviser_id")
    return runs.filter(Q(region=None) | Q(region__adviser=user) | Q(region__adviser__in=covered))


def get_run_for_user(request, pk) -> ImportRun:
    """An import is its uploader's: anyone else gets 404. Losing the right to change the
    region since the upload ends it too (403, or 404 where the region is out of sight)."""
    if not request.user.is_authenticated:
        raise Http404
    run = get_object_or_404(
        ImportRun.objects.select_related("region"), pk=pk, created_by=request.user
    )
    if run.region is not None:
        get_rw_region_for_user(request, run.region.code)
    elif request.user.role not in (Role.ADVISER, Role.PROGRAMME):
        raise PermissionDenied
    return run
