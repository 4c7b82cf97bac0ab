"""The public surface of reporting: freeze a quarter, produce and approve its report, export a
region's dossier. Every write is a keyword-only function inside one transaction; files are made
by Celery tasks (reporting/tasks.py) enqueued after commit."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.jobs import enqueue, restart
from core.quarters import previous_quarter, quarter_end, quarters_until
from reporting.access import approval_refusal, publication_refusal
from reporting.models import (
    DossierExport,
    Download,
    JobState,
    Report,
    ReportStatus,
    Snapshot,
)
from reporting.snapshots import build_data, sha256_of

__all__ = [
    "WorkflowError",
    "approve_report",
    "enqueue",
    "freeze_quarter",
    "frozen_quarters_open",
    "log_download",
    "publish_report",
    "request_dossier_export",
    "request_report",
    "retry_job",
]


class WorkflowError(Exception):
    """A step that is not allowed in the report's current state (message in Dutch)."""


def frozen_quarters_open(today: date) -> list[tuple[int, int]]:
    """Quarters that may be frozen: ended, from 2025 on, not yet frozen; the last ended first.
    A quarter still running is never offered: its figures are not final yet."""
    taken = set(Snapshot.objects.values_list("year", "quarter"))
    ended = quarters_until(quarter_end(*previous_quarter(today)))
    return [q for q in reversed(ended) if q not in taken]


def freeze_quarter(*, year: int, quarter: int, by=None, today: date | None = None) -> Snapshot:
    """Freeze all regions for (year, quarter); idempotent: an existing snapshot is returned."""
    existing = Snapshot.objects.filter(year=year, quarter=quarter).first()
    if existing:
        return existing
    with translation.override("nl"):  # the report's language, whoever froze it
        data = build_data(year=year, quarter=quarter, today=today)
    try:
        with transaction.atomic():
            return Snapshot.objects.create(
                year=year,
                quarter=quarter,
                frozen_at=timezone.now(),
                frozen_by=by,
                data=data,
                sha256=sha256_of(data),
            )
    except IntegrityError:
        # A concurrent freeze of the same quarter won; theirs is the snapshot.
        return Snapshot.objects.get(year=year, quarter=quarter)


def request_report(*, snapshot: Snapshot, by=None) -> Report:
    """The snapshot's report, created and queued once: a second request returns the same."""
    with transaction.atomic():
        report, created = Report.objects.get_or_create(
            snapshot=snapshot, defaults={"created_by": by}
        )
        if created:
            enqueue(report)
    return report


def retry_job(*, job) -> None:
    """Start a failed job again, or one that waits too long, with a fresh count of attempts."""
    if not restart(job):
        raise WorkflowError(
            _("Only a failed job, or one that has waited too long, can be started again.")
        )


def _rerender() -> dict:
    """Approving and publishing render the PDF again: its running header and cover carry the
    status (CONCEPT until approved), and the file partners download must say what they got."""
    return {
        "state": JobState.QUEUED,
        "attempts": 0,
        "error": "",
        "queued_at": timezone.now(),
        "sent_at": None,
        "task_id": "",
    }


def approve_report(*, report: Report, by, note: str, version: int) -> Report:
    """Approve a finished draft; refused (PermissionDenied) to whoever froze or made it while
    the four-eyes rule is on."""
    if refusal := approval_refusal(report, by):
        raise PermissionDenied(refusal)
    note = note.strip()
    if not note:
        raise WorkflowError(_("Write a note with the approval."))
    with transaction.atomic():
        changed = Report.objects.filter(
            pk=report.pk, version=version, status=ReportStatus.CONCEPT, state=JobState.DONE
        ).update(
            status=ReportStatus.APPROVED,
            approved_by=by,
            approved_at=timezone.now(),
            approval_note=note,
            version=F("version") + 1,
            **_rerender(),
        )
        if not changed:
            raise WorkflowError(
                _(
                    "The report could not be approved: it is not a finished draft, or someone "
                    "changed it in the meantime. Reload the page."
                )
            )
        enqueue(report)
    report.refresh_from_db()
    return report


def publish_report(*, report: Report, by, version: int) -> Report:
    """Publish an approved report; refused (PermissionDenied) while its approval breaks the
    four-eyes rule."""
    if refusal := publication_refusal(report):
        raise PermissionDenied(refusal)
    with transaction.atomic():
        changed = Report.objects.filter(
            pk=report.pk, version=version, status=ReportStatus.APPROVED, state=JobState.DONE
        ).update(
            status=ReportStatus.PUBLISHED,
            published_by=by,
            published_at=timezone.now(),
            version=F("version") + 1,
            **_rerender(),
        )
        if not changed:
            raise WorkflowError(
                _(
                    "Only an approved report whose PDF is ready can be published, and nobody "
                    "may have changed it in the meantime. Reload the page."
                )
            )
        enqueue(report)
    report.refresh_from_db()
    return report


def request_dossier_export(*, region, by) -> DossierExport:
    """A new export of the region's dossier as it is now; one waiting export is reused."""
    with transaction.atomic():
        waiting = (
            DossierExport.objects.select_for_update()
            .filter(region=region, state__in=[JobState.QUEUED, JobState.RUNNING])
            .first()
        )
        if waiting:
            return waiting
        export = DossierExport.objects.create(region=region, requested_by=by)
        enqueue(export)
    return export


def log_download(
    *,
    user=None,
    contact=None,
    report: Report | None = None,
    export: DossierExport | None = None,
):
    Download.objects.create(user=user, contact=contact, report=report, export=export)


def report_period(snapshot: Snapshot) -> date:
    return quarter_end(snapshot.year, snapshot.quarter)
