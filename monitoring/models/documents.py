import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.files import StoredFile
from core.records import tracked
from regions.models import Region

__all__ = ["Document"]


def _stored_name(instance, filename: str) -> str:
    # MEDIA_ROOT lies outside the web root and has no URL route: files are only served by the
    # access-checked download view. The stored name never comes from the uploader.
    return f"dossier/{instance.region.code}/{uuid.uuid4().hex}{instance.extension}"


@tracked
class Document(StoredFile):
    """A file in the region's dossier; its type is detected from its content, never its name."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="documents"
    )
    file = models.FileField(_("file"), upload_to=_stored_name, max_length=200)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-pk"]
