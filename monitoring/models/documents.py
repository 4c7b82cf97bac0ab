import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.files import StoredFile, StoredFileManager
from core.records import Versioned, tracked
from core.search import search_field, search_index
from regions.models import Region

__all__ = ["Document"]


def _stored_name(instance, filename: str) -> str:
    # MEDIA_ROOT lies outside the web root and has no URL route: files are only served by the
    # access-checked download view. The stored name never comes from the uploader.
    return f"dossier/{instance.region.code}/{uuid.uuid4().hex}{instance.extension}"


class DocumentQuerySet(models.QuerySet):
    def current(self):
        """The documents not removed: what the region page, downloads, the dashboard and every
        dossier export made from now on show. A removal keeps the record and its file, so an
        export or snapshot frozen before it still opens the file; one made after the removal
        leaves it out, and the history says it existed and when it was removed."""
        return self.filter(removed_at__isnull=True)


@tracked
class Document(Versioned, StoredFile):
    """A file in the region's dossier; its type is detected from its content, never its name.
    Only the title can be corrected; removing sets `removed_at` and keeps record and file;
    replacing it by a new file removes it so and names its successor (`replaced_by`)."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="documents"
    )
    file = models.FileField(_("file"), upload_to=_stored_name, max_length=200)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True, editable=False)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    search_vector = search_field(("title", "A"), ("original_name", "B"), ("text", "C"))

    objects = StoredFileManager.from_queryset(DocumentQuerySet)()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [search_index("document")]
