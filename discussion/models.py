"""Comments: a discussion under a record (a region page record, a signal, a deployment, a
product version, a report concept).

A comment names its record by the subject's key (discussion/subjects.py) and the record's id,
and the region it belongs to where there is one (the region's history and dossier export show
it). It is never deleted: removing one keeps the row with who removed it and when, and every
insert and change is in the audit history.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.records import Versioned, tracked
from regions.models import Region

__all__ = ["EDIT_WINDOW", "MAX_BODY", "Comment"]

MAX_BODY = 4000
# An author may change what they wrote for this long; after it the comment stands as written.
EDIT_WINDOW = timedelta(minutes=15)


@tracked
class Comment(Versioned):
    subject = models.CharField(_("kind of record"), max_length=32)
    object_id = models.PositiveBigIntegerField(_("record"))
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="comments",
    )
    body = models.TextField(_("comment"), max_length=MAX_BODY)
    mentioned = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentioned"),
        blank=True,
        related_name="mentioned_in",
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["subject", "object_id", "created_at"], name="comment_thread")
        ]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def anchor(self) -> str:
        return f"opmerking-{self.pk}"

    @property
    def removed(self) -> bool:
        return self.removed_at is not None

    def editable_until(self):
        return self.created_at + EDIT_WINDOW

    def may_be_edited_by(self, user, now=None) -> bool:
        now = now or timezone.now()
        return not self.removed and self.author_id == user.pk and now < self.editable_until()
