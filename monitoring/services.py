"""Writes about monitoring beyond the generic record saves of `core.records`. Keep it small."""

from django.db import transaction
from django.utils import timezone

from core.files import store_upload
from core.records import Conflict
from core.tasks import read_text_later
from monitoring.models import Document, ProgressUpdate

__all__ = ["add_document", "record_progress_update", "remove_document", "replace_document"]


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
    document = store_upload(
        Document(region=region), title=title, upload=upload, content_type=content_type, by=by
    )
    read_text_later(document)  # for search
    return document


@transaction.atomic
def remove_document(*, document: Document, expected_version: int, by) -> Conflict | None:
    """Take a document out of the dossier without deleting it: snapshots and exports frozen
    before the removal still open its file (see `DocumentQuerySet.current`). Compare-and-set
    like any inline save: a change since the confirmation was shown refuses the removal."""
    current = Document.objects.select_for_update().get(pk=document.pk)
    if current.version != expected_version or current.removed_at is not None:
        return Conflict(current=current)
    current.removed_at = timezone.now()
    current.removed_by = by
    current.updated_by = by
    current.version += 1
    current.save(update_fields=["removed_at", "removed_by", "updated_by", "updated_at", "version"])
    return None


@transaction.atomic
def replace_document(
    *, document: Document, expected_version: int, title: str, upload, content_type: str, by
) -> Document | Conflict:
    """A new version of a dossier document: the new file becomes a document of its own (its text
    read anew for search) and the old one is taken out of the dossier as a removal is, pointing
    to its successor, so snapshots and exports made before still open the old file. Refused as
    a Conflict when the document changed since the form was shown."""
    current = Document.objects.select_for_update().get(pk=document.pk)
    if current.version != expected_version or current.removed_at is not None:
        return Conflict(current=current)
    successor = add_document(
        region=current.region, title=title, upload=upload, content_type=content_type, by=by
    )
    current.removed_at = timezone.now()
    current.removed_by = by
    current.replaced_by = successor
    current.updated_by = by
    current.version += 1
    current.save(
        update_fields=[
            "removed_at",
            "removed_by",
            "replaced_by",
            "updated_by",
            "updated_at",
            "version",
        ]
    )
    return successor
