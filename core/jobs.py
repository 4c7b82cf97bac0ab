"""The life of a job between its row and the broker: a report, a dossier export, an e-mail.

A job is a row (the `Job` base below) whose work a Celery task does. The row is the source of
truth; a broker message only says "look at job N". So a message may be lost (Redis restarted
without its data, or unreachable when the job was made) or arrive twice (sent again while the
first still waits), and nothing goes wrong:

- `enqueue` sends the message after commit; when the broker is unreachable the job stays
  waiting with `sent_at` empty (a report's card says it will start by itself).
- `reconcile` (Celery beat, every JOBS_RECONCILE_SECONDS) sends again every waiting job whose
  message never reached the broker or was sent more than JOBS_RESEND_AFTER_SECONDS ago, and takes
  back a job that has been running for JOBS_LEASE_SECONDS (past the hard time limit its worker is
  gone: killed, or its machine lost).
- `claim` (in the task) is a compare-and-set: a waiting job, or a running one whose run is this
  very message delivered again (its worker died) or whose lease has expired. A finished job is
  never claimed, so whatever arrives twice runs once.
- `run` is the task's body around the work: claim, work, then done; a failure is retried after
  RETRY_DELAYS and, after MAX_ATTEMPTS retries, stays failed with its error shown.

Each app registers its job models with the name of the task that does their work
(`register`, from its AppConfig.ready), so this module imports no app.
"""

import logging
import uuid
from collections.abc import Callable
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, F, Min, Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

__all__ = [
    "MAX_ATTEMPTS",
    "RETRY_DELAYS",
    "Job",
    "JobState",
    "claim",
    "enqueue",
    "job_failed",
    "reconcile",
    "register",
    "restart",
    "run",
    "send",
    "waiting_summary",
]

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RETRY_DELAYS = (5, 30, 120)  # seconds before the first, second and third retry


class JobState(models.TextChoices):
    QUEUED = "wachtrij", gettext_lazy("Waiting")
    RUNNING = "bezig", gettext_lazy("In progress")
    DONE = "klaar", gettext_lazy("Ready")
    FAILED = "mislukt", gettext_lazy("Failed")


class Job(models.Model):
    """Work done by a Celery task: its state and attempts.

    `queued_at` is when the job last began to wait, `sent_at` when its message last reached the
    broker (empty: never, or it must be sent again), `task_id` the message whose run holds the
    claim.
    """

    state = models.CharField(
        gettext_lazy("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(gettext_lazy("attempts"), default=0)
    error = models.TextField(gettext_lazy("error"), blank=True)
    queued_at = models.DateTimeField(gettext_lazy("waiting since"), default=timezone.now)
    sent_at = models.DateTimeField(gettext_lazy("sent to the queue at"), null=True, blank=True)
    task_id = models.CharField(gettext_lazy("task"), max_length=64, blank=True)
    started_at = models.DateTimeField(gettext_lazy("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(gettext_lazy("finished at"), null=True, blank=True)

    class Meta:
        abstract = True

    State = JobState  # for templates: {% if job.state == job.State.FAILED %}

    @property
    def is_pending(self) -> bool:
        return self.state in (JobState.QUEUED, JobState.RUNNING)

    @property
    def is_unsent(self) -> bool:
        """Waiting, but its message has not reached the queue (the broker was unreachable)."""
        return self.state == JobState.QUEUED and self.sent_at is None

    @property
    def waits_too_long(self) -> bool:
        """Waiting longer than JOBS_RESEND_AFTER_SECONDS: the card says so and offers a restart."""
        limit = timedelta(seconds=settings.JOBS_RESEND_AFTER_SECONDS)
        return self.state == JobState.QUEUED and self.queued_at < timezone.now() - limit

    @property
    def card_state(self) -> str:
        """What the job's card shows; a poll whose card would not change answers 204."""
        return "-".join(
            str(part) for part in (self.state, self.attempts, self.is_unsent, self.waits_too_long)
        )


# Sent with `job` when a job has failed for good (every attempt used).
job_failed = Signal()

# Each job model and the task that does its work, by name: sending by name keeps the models
# free of the tasks that import them.
JOB_MODELS: dict[type[Job], str] = {}


def register(model: type[Job], task_name: str) -> None:
    JOB_MODELS[model] = task_name


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
    if model.objects.filter(
        pk=pk, state=JobState.RUNNING, task_id=task_id, attempts__gt=MAX_ATTEMPTS
    ).update(
        state=JobState.FAILED, error=_("The job failed repeatedly."), finished_at=timezone.now()
    ):
        _failed(model, [pk])
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
        with transaction.atomic():
            spent = list(
                model.objects.select_for_update(skip_locked=True)
                .filter(state=JobState.RUNNING, started_at__lt=lease, attempts__gt=MAX_ATTEMPTS)
                .values_list("pk", flat=True)
            )
            model.objects.filter(pk__in=spent).update(
                state=JobState.FAILED, error=_("The job failed repeatedly."), finished_at=now
            )
        counts["failed"] += len(spent)
        _failed(model, spent)
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


def waiting_summary(job_models: tuple[type[Job], ...], now=None) -> dict:
    """For the health page: how many jobs of these models wait and run, and how long the
    oldest has waited."""
    now = now or timezone.now()
    waiting, running, oldest = 0, 0, None
    for model in job_models:
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


def run(
    task,
    model: type[Job],
    pk: int,
    work: Callable[[Job], dict],
    done: Callable[[Job], None] | None = None,
) -> None:
    """The body of a job's task: claim job `pk` for this message, do `work(job)`, and store
    the fields it returns with the job done. A job that is not this run's to do is left alone
    (a second message does no second piece of work). When the work fails the job waits for its
    retry (RETRY_DELAYS), and after MAX_ATTEMPTS retries it stays failed with its error.
    `done(job)`, if given, runs with the job done, in the same transaction."""
    this_run = task.request.id or uuid.uuid4().hex  # a direct call has no message id
    job = claim(model, pk, this_run)
    if job is None:
        return
    mine = {"pk": pk, "state": JobState.RUNNING, "task_id": this_run}
    try:
        fields = work(job)
    except Exception as error:
        logger.exception("%s %s failed (attempt %s)", model.__name__, pk, job.attempts)
        if job.attempts <= MAX_ATTEMPTS:
            # The retry below is the job's next message: sent now, so not yet due again.
            model.objects.filter(**mine).update(
                state=JobState.QUEUED, error=_short(error), sent_at=timezone.now()
            )
            raise task.retry(
                exc=error, countdown=RETRY_DELAYS[min(job.attempts, 3) - 1], max_retries=None
            ) from error
        if model.objects.filter(**mine).update(
            state=JobState.FAILED, error=_short(error), finished_at=timezone.now()
        ):
            _failed(model, [pk])
        return
    with transaction.atomic():
        finished = model.objects.filter(**mine).update(
            state=JobState.DONE, error="", finished_at=timezone.now(), **fields
        )
        if finished and done is not None:
            # In the transaction that marks the job done: a worker that dies here leaves the
            # job running, taken back after its lease and done again, announcement and all.
            done(model.objects.get(pk=pk))


def _failed(model: type[Job], pks: list[int]) -> None:
    """Tell whoever listens (notifications) of jobs that failed for good."""
    for job in model.objects.filter(pk__in=pks):
        job_failed.send(sender=model, job=job)


def _short(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:500]
