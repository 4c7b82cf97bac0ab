"""Who may see and change quarterly reports and dossier exports.

Reports: programme management, the Innovatiehub and advisers read every snapshot and report;
partners only published reports (anything else is a 404 for them); only programme management
freezes, renders, approves and publishes. Dossier exports: programme management and the
region's own adviser (or stand-in); others who may see the region get 403, the rest 404.

Four eyes (settings.FOUR_EYES, on unless an installation is run by one person): whoever froze
the quarter or made its report does not approve it, and a report approved by one of them is not
published. The page shows the reason instead of the button; a POST gets 403.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import Role
from regions.access import can_change_region, get_region_for_user
from reporting.models import DossierExport, ReportStatus, Snapshot

__all__ = [
    "READ_ROLES",
    "approval_refusal",
    "can_manage_reports",
    "get_export_for_user",
    "get_rw_snapshot_for_user",
    "get_snapshot_for_user",
    "publication_refusal",
    "region_for_export",
    "snapshots_visible_to",
]

READ_ROLES = (Role.PROGRAMME, Role.HUB, Role.ADVISER, Role.PARTNER)


def can_manage_reports(user) -> bool:
    return user.is_authenticated and user.role == Role.PROGRAMME


def _preparers(report) -> set[int]:
    """Who froze the report's quarter and who made the report (nobody for the scheduled job)."""
    return {pk for pk in (report.snapshot.frozen_by_id, report.created_by_id) if pk is not None}


def approval_refusal(report, user) -> str:
    """Why this user may not approve the report under the four-eyes rule; "" if they may."""
    if settings.FOUR_EYES and user.pk in _preparers(report):
        return _(
            "You froze this quarter or made its report, so you may not approve it yourself "
            "(four-eyes principle): another member of programme management approves it."
        )
    return ""


def publication_refusal(report) -> str:
    """Why the report may not be published under the four-eyes rule; "" if it may."""
    if settings.FOUR_EYES and report.approved_by_id in _preparers(report):
        return _(
            "This report was approved by the person who froze the quarter or made the report. "
            "Under the four-eyes principle it can only be published once someone else has "
            "approved it."
        )
    return ""


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
