import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from monitoring.models.base import tracked
from regions.models import Region

__all__ = ["Document", "DocumentKind"]


def _stored_name(instance, filename: str) -> str:
    # MEDIA_ROOT lies outside the web root and has no URL route: files are only served by the
    # access-checked download view. The stored name never comes from the uploader.
    return f"dossier/{instance.region.code}/{uuid.uuid4().hex}{instance.extension}"


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


@tracked
class Document(models.Model):
    """A file in the region's dossier; its type is detected from its content, never its name."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_stored_name, max_length=200)
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

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.content_type, "")
