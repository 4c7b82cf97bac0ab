"""The life of a job (a report or a dossier export) between its row and the broker.

The row is the source of truth; a broker message only says "look at job N". So a message may
be lost (Redis restarted without its data, or unreachable when the job was made) or arrive twice
(sent again while the first still waits), and nothing goes wrong:

- `enqueue` sends the message after commit; when the broker is unreachable the job stays
  waiting with `sent_at` empty, and its card says it will start by itself.
- `reconcile` (Celery beat, every JOBS_RECONCILE_SECONDS) sends again every waiting job whose
  message never reached the broker or was sent more than JOBS_RESEND_AFTER_SECONDS ago, and takes
  back a job that has been running for JOBS_LEASE_SECONDS (past the hard time limit its worker is
  gone: killed, or its machine lost).
- `claim` (in the task) is a compare-and-set: a waiting job, or a running one whose run is this
  very message delivered again (its worker died) or whose lease has expired. A finished job is
  never claimed, so whatever arrives twice runs once.
"""

import logging
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from reporting.models import MAX_ATTEMPTS, DossierExport, Job, JobState, Report

__all__ = ["JOB_MODELS", "claim", "enqueue", "reconcile", "restart", "send", "waiting_summary"]

logger = logging.getLogger(__name__)

# Each job model and the task that makes its file (reporting/tasks.py), by name: sending by
# name keeps this module free of the tasks that import it.
JOB_MODELS: dict[type[Job], str] = {
    Report: "reporting.render_report",
    DossierExport: "reporting.export_dossier",
}


def send(model: type[Job], pk: int) -> bool:
    """Hand job `pk` to the broker; False (and `sent_at` left empty) when it cannot be reached."""
    try:
        current_app.send_task(JOB_MODELS[model], args=[pk])
    except Exception:  # kombu raises OperationalError and friends when Redis is down
        logger.warning("Could not send %s %s to the queue; it is sent again later", model, pk)
        model.objects.filter(pk=pk, state=JobState.QUEUED).update(sent_at=None)
        return False
    model.objects.filter(pk=pk, state=JobState.QUEUED).update(sent_at=timezone.now())
    return True


def enqueue(job: Job) -> None:
    """Send the job's message after the surrounding transaction commits."""
    model, pk = type(job), job.pk
    transaction.on_commit(lambda: send(model, pk))


def restart(job: Job) -> bool:
    """Start a failed job again, or one that waits too long, with a fresh count of attempts."""
    model = type(job)
    cutoff = timezone.now() - timedelta(seconds=settings.JOBS_RESEND_AFTER_SECONDS)
    restartable = Q(state=JobState.FAILED) | Q(state=JobState.QUEUED, queued_at__lt=cutoff)
    with transaction.atomic():
        claimed = model.objects.filter(restartable, pk=job.pk).update(
            state=JobState.QUEUED,
            attempts=0,
            error="",
            queued_at=timezone.now(),
            sent_at=None,
            task_id="",
        )
        if claimed:
            enqueue(job)
    return bool(claimed)


def claim(model: type[Job], pk: int, task_id: str) -> Job | None:
    """Take job `pk` for the run of message `task_id`, or None when it is not this run's to do.

    Idempotency: a finished job, a job another live run holds, and a job that has used every
    attempt are never claimed. A running job is claimed again only by the same message delivered
    again (its worker died and the broker gave the message back) or once its lease has expired.
    """
    lease = timezone.now() - timedelta(seconds=settings.JOBS_LEASE_SECONDS)
    takeable = Q(state=JobState.QUEUED) | Q(state=JobState.RUNNING, task_id=task_id)
    takeable |= Q(state=JobState.RUNNING, started_at__lt=lease)
    claimed = model.objects.filter(takeable, pk=pk, attempts__lte=MAX_ATTEMPTS).update(
        state=JobState.RUNNING,
        attempts=F("attempts") + 1,
        started_at=timezone.now(),
        task_id=task_id,
    )
    if claimed:
        return model.objects.get(pk=pk)
    # A redelivery after every attempt was used (a worker killed each time): give up visibly.
    model.objects.filter(
        pk=pk, state=JobState.RUNNING, task_id=task_id, attempts__gt=MAX_ATTEMPTS
    ).update(
        state=JobState.FAILED, error=_("The job failed repeatedly."), finished_at=timezone.now()
    )
    return None


def reconcile(now=None) -> dict[str, int]:
    """Send again what waits too long, take back what a vanished worker held. Returns counts."""
    now = now or timezone.now()
    resend_before = now - timedelta(seconds=settings.JOBS_RESEND_AFTER_SECONDS)
    lease = now - timedelta(seconds=settings.JOBS_LEASE_SECONDS)
    counts = {"sent": 0, "taken_back": 0, "failed": 0}
    for model in JOB_MODELS:
        # Running past the lease: the worker is gone. Back to the queue, or failed when every
        # attempt is used (the claim counted the vanished run).
        counts["failed"] += model.objects.filter(
            state=JobState.RUNNING, started_at__lt=lease, attempts__gt=MAX_ATTEMPTS
        ).update(state=JobState.FAILED, error=_("The job failed repeatedly."), finished_at=now)
        counts["taken_back"] += model.objects.filter(
            state=JobState.RUNNING, started_at__lt=lease
        ).update(state=JobState.QUEUED, queued_at=now, sent_at=None, task_id="")
        due = model.objects.filter(
            Q(sent_at__isnull=True) | Q(sent_at__lt=resend_before), state=JobState.QUEUED
        )
        for pk, sent_at in due.values_list("pk", "sent_at"):
            # Compare-and-set on sent_at: two reconcilers at once send a job once.
            if model.objects.filter(pk=pk, state=JobState.QUEUED, sent_at=sent_at).update(
                sent_at=now
            ):
                counts["sent"] += send(model, pk)
    if any(counts.values()):
        logger.info("Jobs reconciled: %s", counts)
    return counts


def waiting_summary(now=None) -> dict:
    """For the health page: how many jobs wait and run, and how long the oldest has waited."""
    now = now or timezone.now()
    waiting, running, oldest = 0, 0, None
    for model in JOB_MODELS:
        counts = model.objects.aggregate(
            waiting=Count("pk", filter=Q(state=JobState.QUEUED)),
            running=Count("pk", filter=Q(state=JobState.RUNNING)),
            oldest=Min("queued_at", filter=Q(state=JobState.QUEUED)),
        )
        waiting += counts["waiting"]
        running += counts["running"]
        if counts["oldest"] and (oldest is None or counts["oldest"] < oldest):
            oldest = counts["oldest"]
    return {
        "waiting": waiting,
        "running": running,
        "oldest": oldest,
        "oldest_seconds": int((now - oldest).total_seconds()) if oldest else None,
    }
