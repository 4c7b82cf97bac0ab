from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.records import Versioned, tracked
from core.search import search_field, search_index
from regions.models import Region


class Status(models.TextChoices):
    ON_TRACK = "op_koers", _("On track")
    ATTENTION = "aandacht", _("Needs attention")
    RISK = "risico", _("At risk")


@tracked
class ProgressUpdate(Versioned):
    """The adviser's periodic judgement of a region (voortgangsupdate). Corrected and removed
    inline like the region's sections, so it carries a version against concurrent edits."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="progress_updates"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2024), MaxValueValidator(2030)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), choices=[(q, f"Q{q}") for q in range(1, 5)]
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    narrative = models.TextField(_("progress"), max_length=5000)
    help_needed = models.TextField(_("help needed"), max_length=2000, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="progress_updates",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    search_vector = search_field(("narrative", "B"), ("help_needed", "B"))

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-created_at", "-pk"]
        indexes = [search_index("progressupdate"), models.Index(fields=["region", "-created_at"])]
        constraints = [
            # One judgement per region and quarter: a second one is a correction of the first.
            models.UniqueConstraint(
                fields=["region", "year", "quarter"], name="one_progress_update_per_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year}-Q{self.quarter}: {self.get_status_display()}"
