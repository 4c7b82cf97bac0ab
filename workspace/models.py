"""What the region pages remember per reader: when they last opened a region page or their
portfolio, so "what changed" can start from the visit before the current one."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import Region

__all__ = ["Visit"]


class Visit(models.Model):
    """One row per reader and page: a region page (`region`) or the portfolio (no region).

    `last_at` is the latest opening; `previous_at` the end of the visit before it. Openings
    closer together than `workspace.visits.SAME_VISIT` are one visit (a reload, coming back
    from a form), so they do not wipe what changed since the previous one. Written with one
    upsert (`workspace.visits.record_visit`)."""

    # A visit is no change to the programme's records: it leaves the kept pages kept
    # (core/apps.py installs the change counter on every other table).
    counts_as_data_change = False

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the portfolio."),
    )
    previous_at = models.DateTimeField(_("previous visit"), null=True, blank=True)
    last_at = models.DateTimeField(_("last visit"))

    class Meta:
        db_table = "workspace_visit"  # named in workspace/visits.py's upsert
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "region"], name="one_visit_per_page", nulls_distinct=False
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.region or 'portfolio'} · {self.last_at:%Y-%m-%d %H:%M}"
