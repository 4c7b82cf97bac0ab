"""Writes about monitoring. Keep it small."""

from django.db import transaction

from monitoring.models import ProgressUpdate

__all__ = ["record_progress_update"]


@transaction.atomic
def record_progress_update(*, region, author, year, quarter, status, narrative, help_needed=""):
    update = ProgressUpdate(
        region=region,
        author=author,
        year=year,
        quarter=quarter,
        status=status,
        narrative=narrative,
        help_needed=help_needed,
    )
    update.full_clean()
    update.save()
    return update
