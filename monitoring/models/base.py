from datetime import date

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["DEADLINE", "Versioned", "tracked"]

# Every region has its future plan decided and in execution by the end of 2026.
DEADLINE = date(2026, 12, 31)


def tracked(model_class):
    """Keep every insert, update and delete of this model in the audit history (pghistory)."""
    return pghistory.track(
        pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
    )(model_class)


class Versioned(models.Model):
    """A record edited inline: each save raises `version`, so a stale edit is detected."""

    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True
