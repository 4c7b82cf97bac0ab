"""Stored files: the document kinds we accept, the fields every stored upload has, storing an
upload with its SHA-256 and serving it for download.

Files lie under MEDIA_ROOT, outside the web root, with a generated name; only the access-checked
download views serve them. The type is read from the content (`core.uploads`), never the name.
"""

from django.conf import settings
from django.db import models
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _

from core.hashing import sha256_hex

__all__ = [
    "EXTENSIONS",
    "DocumentKind",
    "StoredFile",
    "StoredFileManager",
    "TextState",
    "download_response",
    "store_upload",
]


class DocumentKind(models.TextChoices):
    PDF = "application/pdf", "PDF"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (DOCX)"
    XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)"
    ODT = "application/vnd.oasis.opendocument.text", "OpenDocument (ODT)"


EXTENSIONS = {
    DocumentKind.PDF: ".pdf",
    DocumentKind.DOCX: ".docx",
    DocumentKind.XLSX: ".xlsx",
    DocumentKind.ODT: ".odt",
}


class TextState(models.TextChoices):
    """Whether the file's text has been read for search (core/textextract.py)."""

    PENDING = "pending", _("waiting to be read")
    DONE = "done", _("readable")
    EMPTY = "empty", _("no text found")
    FAILED = "failed", _("could not be read")


class StoredFileManager(models.Manager):
    """Stored files without their text and search vector, which only the search reads: a list
    of a dossier's documents does not fetch a hundred pages of text each."""

    def get_queryset(self):
        return super().get_queryset().defer("text", "search_vector")


class StoredFile(models.Model):
    """An uploaded file's bookkeeping. A concrete model adds what it belongs to and its own
    `file = models.FileField(upload_to=...)`, whose name never comes from the uploader."""

    title = models.CharField(_("title"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=120, choices=DocumentKind.choices)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # The file's text for search, read by a task after the upload (core/textextract.py).
    text = models.TextField(_("text"), blank=True, editable=False)
    text_state = models.CharField(
        _("text for search"),
        max_length=8,
        choices=TextState.choices,
        default=TextState.PENDING,
        editable=False,
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.content_type, "")


def store_upload(record: StoredFile, *, title: str, upload, content_type: str, by) -> StoredFile:
    """Save an uploaded (already checked) file into `record` (unsaved, its owner set) with its
    size and SHA-256."""
    record.title = title
    record.original_name = upload.name[:255]
    record.content_type = content_type
    record.size = upload.size
    record.sha256 = sha256_hex(upload)
    record.uploaded_by = by
    record.file.save(upload.name, upload, save=False)
    record.save()
    return record


def download_response(record: StoredFile) -> FileResponse:
    """The file as an attachment under its original name; call only after the access check."""
    response = FileResponse(
        record.file.open("rb"),
        as_attachment=True,
        filename=record.original_name,
        content_type=record.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
