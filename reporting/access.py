"""Who may see and change quarterly reports and dossier exports.

Reports: programme management, the Innovatiehub and advisers read every snapshot and report;
partners only published reports (anything else is a 404 for them); only programme management
freezes, renders, approves and publishes. Dossier exports: programme management and the
region's own adviser (or stand-in); others who may see the region get 403, the rest 404.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.models import Role
from regions.access import can_change_region, get_region_for_user
from reporting.models import DossierExport, ReportStatus, Snapshot

__all__ = [
    "READ_ROLES",
    "can_manage_reports",
    "get_export_for_user",
    "get_rw_snapshot_for_user",
    "get_snapshot_for_user",
    "region_for_export",
    "snapshots_visible_to",
]

READ_ROLES = (Role.PROGRAMME, Role.HUB, Role.ADVISER, Role.PARTNER)


def can_manage_reports(user) -> bool:
    return user.is_authenticated and user.role == Role.PROGRAMME


def snapshots_visible_to(user):
    snapshots = Snapshot.objects.select_related("report", "frozen_by").defer("data")
    if user.role == Role.PARTNER:
        return snapshots.filter(report__status=ReportStatus.PUBLISHED)
    if user.role in READ_ROLES:
        return snapshots
    return Snapshot.objects.none()


def get_snapshot_for_user(request, year: int, quarter: int, *, with_data=False) -> Snapshot:
    queryset = snapshots_visible_to(request.user)
    if with_data:
        queryset = queryset.defer(None)
    return get_object_or_404(queryset, year=year, quarter=quarter)


def get_rw_snapshot_for_user(request, year: int, quarter: int) -> Snapshot:
    snapshot = get_snapshot_for_user(request, year, quarter)
    if not can_manage_reports(request.user):
        raise PermissionDenied
    return snapshot


def region_for_export(request, code: str):
    """The region whose dossier this user may export: 404 if they may not see it, 403 if they
    may see but not export it."""
    region = get_region_for_user(request, code)
    if not (can_manage_reports(request.user) or can_change_region(request.user, region)):
        raise PermissionDenied
    return region


def get_export_for_user(request, code: str, pk: int) -> DossierExport:
    region = region_for_export(request, code)
    exports = DossierExport.objects.select_related("region", "requested_by")
    return get_object_or_404(exports, pk=pk, region=region)
