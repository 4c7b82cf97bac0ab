"""Reads about monitoring that other apps may use."""

from django.db.models import OuterRef, QuerySet, Subquery

from monitoring.models import ProgressUpdate, Status

__all__ = ["STATUS_ORDER", "current_quarter", "recent_updates", "with_latest_status"]

STATUS_ORDER = [Status.ON_TRACK, Status.ATTENTION, Status.RISK]


def with_latest_status(regions: QuerySet) -> QuerySet:
    """Annotate each region with `latest_status`: the status of its newest progress update."""
    newest = ProgressUpdate.objects.filter(region=OuterRef("pk")).order_by("-created_at", "-pk")
    return regions.annotate(latest_status=Subquery(newest.values("status")[:1]))


def current_quarter(today) -> tuple[int, int]:
    return today.year, (today.month - 1) // 3 + 1


def recent_updates(region, limit: int = 8) -> list[ProgressUpdate]:
    return list(ProgressUpdate.objects.filter(region=region).select_related("author")[:limit])
