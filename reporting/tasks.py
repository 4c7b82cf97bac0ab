"""Celery tasks of reporting. Thin: they take primary keys, claim the job, call a renderer.

Both file tasks run on the "pdf" queue, served by a worker with concurrency 1 (one render uses
one core). Delivery is at least once (acks_late, reject on worker lost), so each task is
idempotent on purpose:
- a job whose file is done is not rendered again (a second run makes no second report);
- the file is written under a fixed name and moved into place atomically, so a render that is
  killed halfway and run again leaves exactly one complete file;
- the claim is a compare-and-set on the job's state and counts attempts: a job that failed
  MAX_ATTEMPTS + 1 times (the first run and three retries) stays failed, with its error shown.
"""

import contextlib
import ctypes
import gc
import hashlib
import logging
import os
import tempfile
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from reporting.models import MAX_ATTEMPTS, DossierExport, JobState, Report

__all__ = ["export_dossier", "freeze_previous_quarter", "render_report"]

logger = logging.getLogger(__name__)
RETRY_DELAYS = (5, 30, 120)


def _store(folder: str, filename: str, content: bytes) -> str:
    """Write the file atomically under MEDIA_ROOT/folder; return its storage name."""
    target_dir = Path(settings.MEDIA_ROOT) / folder
    target_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target_dir, delete=False, suffix=".part") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(handle.name, target_dir / filename)
    return f"{folder}/{filename}"


def _release_memory() -> None:
    """Hand the memory of a render back to the system: a 60-page layout allocates hundreds of MB
    in many small blocks that glibc otherwise keeps, so the worker's RSS would creep up."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _run(task, model, pk: int, render, folder: str):
    try:
        _render_job(task, model, pk, render, folder)
    finally:
        _release_memory()


def _render_job(task, model, pk: int, render, folder: str):
    # Idempotency: a finished job is not rendered again; a missing one is gone.
    job = model.objects.filter(pk=pk).first()
    if job is None or job.state == JobState.DONE:
        return
    claimed = model.objects.filter(
        pk=pk, state__in=[JobState.QUEUED, JobState.RUNNING], attempts__lte=MAX_ATTEMPTS
    ).update(state=JobState.RUNNING, attempts=F("attempts") + 1, started_at=timezone.now())
    if not claimed:
        if job.state == JobState.RUNNING:
            # A redelivery after every attempt was used (a worker killed each time).
            model.objects.filter(pk=pk, state=JobState.RUNNING).update(
                state=JobState.FAILED, error=_("The job failed repeatedly.")
            )
        return
    job.refresh_from_db()
    try:
        filename, _content_type, content = render(job)
        name = _store(folder, filename, content)
    except Exception as error:
        logger.exception("%s %s failed (attempt %s)", model.__name__, pk, job.attempts)
        if job.attempts <= MAX_ATTEMPTS:
            model.objects.filter(pk=pk, state=JobState.RUNNING).update(
                state=JobState.QUEUED, error=_short(error)
            )
            raise task.retry(
                exc=error, countdown=RETRY_DELAYS[min(job.attempts, 3) - 1], max_retries=None
            ) from error
        model.objects.filter(pk=pk, state=JobState.RUNNING).update(
            state=JobState.FAILED, error=_short(error), finished_at=timezone.now()
        )
        return
    model.objects.filter(pk=pk).update(
        state=JobState.DONE,
        file=name,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        error="",
        finished_at=timezone.now(),
    )


def _short(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:500]


@shared_task(bind=True, name="reporting.render_report", ignore_result=True)
def render_report(self, report_pk: int) -> None:
    from reporting.documents import render_report as renderer

    _run(self, Report, report_pk, renderer, "reports")


@shared_task(bind=True, name="reporting.export_dossier", ignore_result=True)
def export_dossier(self, export_pk: int) -> None:
    from reporting.documents import render_dossier

    _run(self, DossierExport, export_pk, render_dossier, "exports")


@shared_task(name="reporting.freeze_previous_quarter", ignore_result=True)
def freeze_previous_quarter() -> None:
    """Celery beat, on the first day after each quarter: freeze it and render its report."""
    from reporting.services import freeze_quarter, previous_quarter, request_report

    year, quarter = previous_quarter(timezone.localdate())
    snapshot = freeze_quarter(year=year, quarter=quarter, by=None)
    request_report(snapshot=snapshot, by=None)
