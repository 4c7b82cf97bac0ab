from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.jobs import Job, JobState
from regions.models import Region

__all__ = ["ImportPhase", "ImportRun"]


class ImportPhase(models.TextChoices):
    CHECK = "controle", _("Checking")
    APPLY = "opslaan", _("Saving")


class ImportRun(Job):
    """One uploaded file: checked into a plan of what it adds and changes (`outcome`), then,
    once its uploader confirms, written in one transaction. A large file is checked and
    written by a Celery task (core/jobs.py); `done_rows` of `total_rows` is its progress."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="imports",
        help_text=_("Empty for a national import."),
    )
    kind = models.CharField(_("kind"), max_length=32)
    # Empty for a refused file: it is never stored (imports.services.start).
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    phase = models.CharField(
        _("phase"), max_length=10, choices=ImportPhase.choices, default=ImportPhase.CHECK
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    done_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)
    applied_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("imports:run", args=[self.pk])

    @property
    def kind_title(self) -> str:
        from imports.kinds import KINDS

        kind = KINDS.get(self.kind)
        return str(kind.title) if kind else self.kind

    @property
    def refused(self) -> str:
        return self.outcome.get("refused", "")

    @property
    def counts(self) -> dict:
        return self.outcome.get("counts", {})

    @property
    def can_confirm(self) -> bool:
        return (
            self.phase == ImportPhase.CHECK
            and self.state == JobState.DONE
            and self.applied_at is None
            and not self.refused
            and not self.outcome.get("problems")
            and not self.counts.get("error")
            and bool(self.counts.get("add") or self.counts.get("change"))
        )

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.done_rows / self.total_rows))
