"""Celery tasks of reporting. Thin: they take primary keys, claim the job, call a renderer.

Both file tasks run on the "pdf" queue, served by a worker with concurrency 1 (one render uses
one core). Delivery is at least once (acks_late, reject on worker lost, and core/jobs.py
sends a job again when its message may be lost), so each task is idempotent on purpose:
- a job whose file is done is not rendered again (a second message makes no second report);
- the claim (core.jobs.claim) is a compare-and-set on the job's state that records which
  message runs it and counts attempts: a job that failed MAX_ATTEMPTS + 1 times (the first run
  and three retries) stays failed, with its error shown;
- the file is written under a fixed name and moved into place atomically, so a render that is
  killed halfway and run again leaves exactly one complete file.
"""

import contextlib
import ctypes
import gc
import logging
import os
import tempfile
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from core import jobs
from core.hashing import sha256_hex
from core.quarters import previous_quarter
from reporting.distribution import announce
from reporting.models import DossierExport, Report
from reporting.services import freeze_quarter, request_report

__all__ = ["export_dossier", "freeze_previous_quarter", "reconcile_jobs", "render_report"]

logger = logging.getLogger(__name__)


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


def _run(task, model, pk: int, render, folder: str, done=None):
    """Claim the job, render its file, store it (core.jobs.run: retries and failure); then
    `done(job)` in the transaction that marks it done."""

    def work(job) -> dict:
        filename, _content_type, content = render(job)
        name = _store(folder, filename, content)
        return {"file": name, "size": len(content), "sha256": sha256_hex(content)}

    try:
        jobs.run(task, model, pk, work, done)
    finally:
        _release_memory()


@shared_task(bind=True, name="reporting.render_report", ignore_result=True)
def render_report(self, report_pk: int) -> None:
    from reporting.documents import render_report as renderer

    _run(self, Report, report_pk, renderer, "reports", done=announce)


@shared_task(bind=True, name="reporting.export_dossier", ignore_result=True)
def export_dossier(self, export_pk: int) -> None:
    from reporting.documents import render_dossier

    _run(self, DossierExport, export_pk, render_dossier, "exports")


@shared_task(name="reporting.reconcile_jobs", ignore_result=True)
def reconcile_jobs() -> None:
    """Celery beat, every JOBS_RECONCILE_SECONDS: no job is lost, whatever happened to Redis."""
    jobs.reconcile()


@shared_task(name="reporting.freeze_previous_quarter", ignore_result=True)
def freeze_previous_quarter() -> None:
    """Celery beat, the first nights after each quarter: freeze it and render its report (once:
    both steps are idempotent)."""
    year, quarter = previous_quarter(timezone.localdate())
    snapshot = freeze_quarter(year=year, quarter=quarter, by=None)
    request_report(snapshot=snapshot, by=None)
