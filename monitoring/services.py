"""Writes about monitoring. Keep it small.

Inline edits carry the version they started from. A save compares it with the stored version
under a row lock (compare-and-set): a stale save changes nothing and returns a Conflict that
shows the stored record, so the user chooses with both versions in view.
"""

from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from core.hashing import sha256_hex
from monitoring.models import Document, ProgressUpdate

__all__ = [
    "Conflict",
    "add_document",
    "create_record",
    "delete_record",
    "record_progress_update",
    "update_record",
]


@dataclass(frozen=True)
class Conflict:
    current: models.Model


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


def create_record(*, form, by) -> models.Model | None:
    """Save a new record; None (with the reason on the form) if a concurrent save got there
    first and a uniqueness rule now refuses it."""
    try:
        with transaction.atomic():
            record = form.save(commit=False)
            record.updated_by = by
            record.save()
            form.save_m2m()
    except IntegrityError:
        form.add_error(None, _("Someone else recorded this at the same moment; reload the page."))
        return None
    return record


def _form_columns(form) -> list[str]:
    model = form._meta.model
    return [name for name in form.fields if not model._meta.get_field(name).many_to_many]


@transaction.atomic
def update_record(*, form, expected_version: int, by) -> models.Model | Conflict:
    model = form._meta.model
    current = model.objects.select_for_update().get(pk=form.instance.pk)
    if current.version != expected_version:
        return Conflict(current=current)
    record = form.save(commit=False)
    record.version = current.version + 1
    record.updated_by = by
    # Only what the form edits: other columns keep their stored values.
    record.save(update_fields=[*_form_columns(form), "version", "updated_by", "updated_at"])
    form.save_m2m()
    return record


@transaction.atomic
def delete_record(*, instance, expected_version: int) -> Conflict | None:
    current = type(instance).objects.select_for_update().get(pk=instance.pk)
    if current.version != expected_version:
        return Conflict(current=current)
    current.delete()
    return None


@transaction.atomic
def add_document(*, region, title: str, upload, content_type: str, by) -> Document:
    """Store an uploaded (already checked) file in the region's dossier with its SHA-256."""
    document = Document(
        region=region,
        title=title,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        sha256=sha256_hex(upload),
        uploaded_by=by,
    )
    document.file.save(upload.name, upload, save=False)
    document.save()
    return document
