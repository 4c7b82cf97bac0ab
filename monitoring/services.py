"""Writes about monitoring beyond the generic record saves of `core.records`. Keep it small."""

from django.db import transaction

from core.files import store_upload
from monitoring.models import Document, ProgressUpdate

__all__ = ["add_document", "record_progress_update"]


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


@transaction.atomic
def add_document(*, region, title: str, upload, content_type: str, by) -> Document:
    """Store an uploaded (already checked) file in the region's dossier with its SHA-256."""
    return store_upload(
        Document(region=region), title=title, upload=upload, content_type=content_type, by=by
    )
