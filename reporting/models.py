"""Quarterly snapshots, the reports rendered from them, and audit-ready dossier exports.

A snapshot freezes the state of every region at a quarter's end. It is immutable in the
database itself (a trigger refuses UPDATE and DELETE), so no code path, admin action or raw SQL
can change what was reported. Reports and exports are files produced by Celery tasks; their
state is what the pages poll.
"""

import pgtrigger
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.jobs import MAX_ATTEMPTS, Job, JobState
from core.quarters import label as quarter_label
from core.records import tracked
from notifications.models import PartnerContact
from regions.models import Region

__all__ = [
    "MAX_ATTEMPTS",
    "DossierExport",
    "Download",
    "JobState",
    "Report",
    "ReportStatus",
    "Snapshot",
]


class Snapshot(models.Model):
    """The frozen state of all regions at the end of one quarter (see reporting/snapshots.py)."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2025), MaxValueValidator(2030)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    frozen_at = models.DateTimeField(_("frozen at"))
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("frozen by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the scheduled job froze the quarter."),
    )
    data = models.JSONField(_("data"))
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        verbose_name = _("quarterly snapshot")
        verbose_name_plural = _("quarterly snapshots")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="one_snapshot_per_quarter")
        ]
        triggers = [
            pgtrigger.Protect(name="immutable", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return quarter_label(self.year, self.quarter)


class ReportStatus(models.TextChoices):
    CONCEPT = "concept", _("Draft")
    APPROVED = "goedgekeurd", _("Approved")
    PUBLISHED = "gepubliceerd", _("Published")


class FileJob(Job):
    """A job whose work is a file (core/jobs.py: state, attempts, the claim): where it is
    stored, its size and its checksum."""

    file = models.FileField(_("file"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)

    class Meta:
        abstract = True


@tracked
class Report(FileJob):
    """The kwartaalrapportage of one snapshot: concept → goedgekeurd → gepubliceerd."""

    snapshot = models.OneToOneField(
        Snapshot, verbose_name=_("snapshot"), on_delete=models.PROTECT, related_name="report"
    )
    status = models.CharField(
        _("status"), max_length=14, choices=ReportStatus.choices, default=ReportStatus.CONCEPT
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    Status = ReportStatus  # for templates: {% if report.status == report.Status.CONCEPT %}
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approval_note = models.TextField(_("approval note"), max_length=2000, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        ordering = ["-snapshot__year", "-snapshot__quarter"]

    def __str__(self) -> str:
        return str(_("Quarterly report %(quarter)s") % {"quarter": self.snapshot.label})

    @property
    def filename(self) -> str:
        return f"kwartaalrapportage-{self.snapshot.year}-q{self.snapshot.quarter}.pdf"

    def get_absolute_url(self) -> str:
        return reverse("reporting:snapshot", args=[self.snapshot.year, self.snapshot.quarter])

    @property
    def card_state(self) -> str:
        return f"{super().card_state}-{self.version}"


@tracked
class DossierExport(FileJob):
    """An audit-ready export of one region's dossier: a PDF/A-2u inside a ZIP with the
    original documents and a manifest."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dossier export")
        verbose_name_plural = _("dossier exports")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.region} ({self.requested_at:%Y-%m-%d %H:%M})"

    @property
    def filename(self) -> str:
        return f"dossier-{self.region.code.lower()}-{self.pk}.zip"

    def get_absolute_url(self) -> str:
        return reverse("reporting:export", args=[self.region.code, self.pk])


class Download(models.Model):
    """Who downloaded which report or export, and when (append-only): a user, or a partner
    contact through the personal link in the e-mail of a published report."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    contact = models.ForeignKey(
        PartnerContact,
        verbose_name=_("partner contact"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="downloads",
    )
    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, null=True, blank=True, related_name="downloads"
    )
    export = models.ForeignKey(
        DossierExport, on_delete=models.PROTECT, null=True, blank=True, related_name="downloads"
    )
    at = models.DateTimeField(_("downloaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("download")
        verbose_name_plural = _("downloads")
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(report__isnull=False) ^ models.Q(export__isnull=False),
                name="download_of_one_file",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) ^ models.Q(contact__isnull=False),
                name="download_by_one",
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.report or self.export} · {self.at:%Y-%m-%d %H:%M}"
