"""The life of a job between its row and the broker (core/jobs.py), in-process against the
test database and the test Redis: what is claimed, what is sent again, what is taken back, and
what the cards and the restart button show. The same rules under real processes, with Redis
killed and workers vanishing, are in test_faults.py."""

import base64
import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from config.celery import app as celery_app
from core import jobs
from notifications.models import MessageKind, Notification, OutboxMessage
from reporting import services
from reporting.models import MAX_ATTEMPTS, DossierExport, JobState, Report
from tests.workers import purge_pdf_queue

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def queued_messages() -> list[tuple[str, int]]:
    """(task name, job pk) of every message waiting in the pdf queue of the test Redis."""
    with celery_app.connection_for_write() as conn:
        raw = conn.default_channel.client.lrange(settings.PDF_QUEUE, 0, -1)
    messages = []
    for item in raw:
        message = json.loads(item)
        args = json.loads(base64.b64decode(message["body"]))[0]
        messages.append((message["headers"]["task"], args[0]))
    return sorted(messages)


@pytest.fixture
def queue():
    purge_pdf_queue()
    yield
    purge_pdf_queue()


@pytest.fixture
def report(personas):
    snapshot = services.freeze_quarter(year=2026, quarter=3, by=personas.pm)
    return Report.objects.create(snapshot=snapshot)


def ago(**delta):
    return timezone.now() - timedelta(**delta)


# --- claim -------------------------------------------------------------------------------------


def test_a_waiting_job_is_claimed_once_and_another_message_for_it_is_refused(report):
    job = jobs.claim(Report, report.pk, "first")
    assert (job.state, job.attempts, job.task_id) == (JobState.RUNNING, 1, "first")
    assert jobs.claim(Report, report.pk, "second") is None  # a duplicate while it runs
    report.refresh_from_db()
    assert (report.state, report.attempts, report.task_id) == (JobState.RUNNING, 1, "first")


def test_the_same_message_delivered_again_reclaims_its_job(report):
    """The broker gives a message back when its worker died: that message may run it again."""
    jobs.claim(Report, report.pk, "first")
    job = jobs.claim(Report, report.pk, "first")
    assert (job.state, job.attempts) == (JobState.RUNNING, 2)


def test_a_running_job_past_its_lease_can_be_claimed_by_another_message(report, settings):
    jobs.claim(Report, report.pk, "first")
    Report.objects.filter(pk=report.pk).update(
        started_at=ago(seconds=settings.JOBS_LEASE_SECONDS + 1)
    )
    job = jobs.claim(Report, report.pk, "second")
    assert (job.task_id, job.attempts) == ("second", 2)


def test_a_finished_job_is_never_claimed(report):
    Report.objects.filter(pk=report.pk).update(state=JobState.DONE, attempts=1)
    assert jobs.claim(Report, report.pk, "again") is None
    Report.objects.filter(pk=report.pk).update(started_at=ago(days=1))
    assert jobs.claim(Report, report.pk, "again") is None
    report.refresh_from_db()
    assert (report.state, report.attempts) == (JobState.DONE, 1)


def test_a_message_redelivered_after_every_attempt_fails_the_job(report):
    Report.objects.filter(pk=report.pk).update(
        state=JobState.RUNNING, attempts=MAX_ATTEMPTS + 1, task_id="first"
    )
    assert jobs.claim(Report, report.pk, "first") is None
    report.refresh_from_db()
    assert report.state == JobState.FAILED
    assert report.error == "De taak is herhaaldelijk mislukt."


# --- reconcile -----------------------------------------------------------------------------------


def test_reconcile_sends_a_job_whose_message_never_reached_the_queue(report, queue):
    assert report.sent_at is None
    counts = jobs.reconcile()
    assert counts == {"sent": 1, "taken_back": 0, "failed": 0}
    assert queued_messages() == [("reporting.render_report", report.pk)]
    report.refresh_from_db()
    assert report.state == JobState.QUEUED and report.sent_at is not None
    assert jobs.reconcile() == {"sent": 0, "taken_back": 0, "failed": 0}  # sent just now
    assert len(queued_messages()) == 1


def test_reconcile_sends_again_a_job_sent_longer_ago_than_the_threshold(
    report, personas, queue, settings
):
    settings.JOBS_RESEND_AFTER_SECONDS = 300
    recent = DossierExport.objects.create(
        region=personas.own_step.region, requested_by=personas.alice, sent_at=ago(seconds=299)
    )
    Report.objects.filter(pk=report.pk).update(sent_at=ago(seconds=301))
    assert jobs.reconcile()["sent"] == 1
    assert queued_messages() == [("reporting.render_report", report.pk)]
    recent.refresh_from_db()
    assert recent.sent_at < ago(seconds=298)  # untouched


def test_reconcile_takes_back_a_job_whose_worker_vanished_and_sends_it(report, queue, settings):
    Report.objects.filter(pk=report.pk).update(
        state=JobState.RUNNING,
        attempts=1,
        task_id="vanished",
        started_at=ago(seconds=settings.JOBS_LEASE_SECONDS + 5),
        sent_at=ago(hours=1),
    )
    assert jobs.reconcile() == {"sent": 1, "taken_back": 1, "failed": 0}
    report.refresh_from_db()
    assert (report.state, report.attempts, report.task_id) == (JobState.QUEUED, 1, "")
    assert queued_messages() == [("reporting.render_report", report.pk)]
    # The worker's own message, should the broker still give it back, no longer holds the job.
    assert jobs.claim(Report, report.pk, "new")
    assert jobs.claim(Report, report.pk, "vanished") is None


def test_reconcile_leaves_a_running_job_inside_its_lease_and_every_finished_job(
    report, personas, queue, settings
):
    Report.objects.filter(pk=report.pk).update(
        state=JobState.RUNNING,
        attempts=1,
        started_at=ago(seconds=settings.JOBS_LEASE_SECONDS - 5),
        sent_at=ago(hours=1),
    )
    for state in (JobState.DONE, JobState.FAILED):
        DossierExport.objects.create(
            region=personas.own_step.region,
            requested_by=personas.alice,
            state=state,
            queued_at=ago(days=2),
            started_at=ago(days=2),
        )
    assert jobs.reconcile() == {"sent": 0, "taken_back": 0, "failed": 0}
    assert queued_messages() == []
    report.refresh_from_db()
    assert report.state == JobState.RUNNING


def test_reconcile_fails_a_vanished_job_that_used_every_attempt(report, queue, settings):
    Report.objects.filter(pk=report.pk).update(
        state=JobState.RUNNING,
        attempts=MAX_ATTEMPTS + 1,
        started_at=ago(seconds=settings.JOBS_LEASE_SECONDS + 5),
    )
    counts = jobs.reconcile()
    report.refresh_from_db()
    assert report.state == JobState.FAILED
    assert queued_messages() == []
    # Programme management and the administrator are told, each by e-mail (their default):
    # those e-mails are the only jobs the reconciler sent.
    told = Notification.objects.filter(kind=MessageKind.JOB_FAILED)
    assert {n.recipient.role for n in told} == {Role.PROGRAMME, Role.ADMIN}
    assert {n.url for n in told} == {report.get_absolute_url()}
    mails = OutboxMessage.objects.filter(kind=MessageKind.JOB_FAILED)
    assert mails.count() == told.count()
    assert counts == {"sent": told.count(), "taken_back": 0, "failed": 1}


def test_two_reconcilers_at_once_send_a_job_once(report, queue):
    """The compare-and-set on sent_at: a reconciler that read the job before another sent it
    sends nothing."""
    stale = Report.objects.filter(pk=report.pk).values_list("sent_at", flat=True).get()
    assert jobs.reconcile()["sent"] == 1
    assert not Report.objects.filter(pk=report.pk, sent_at=stale).update(sent_at=timezone.now())
    assert len(queued_messages()) == 1


def test_beat_reconciles_every_interval_and_a_lease_outlasts_the_hard_time_limit(settings):
    reconcile = celery_app.conf.beat_schedule["reconcile-jobs"]
    assert reconcile["task"] == "reporting.reconcile_jobs"
    assert reconcile["schedule"] == timedelta(seconds=settings.JOBS_RECONCILE_SECONDS)
    assert settings.JOBS_LEASE_SECONDS > settings.CELERY_TASK_TIME_LIMIT


# --- cards and restart ---------------------------------------------------------------------------


def test_a_poll_of_an_unchanged_card_swaps_nothing(client, personas, report):
    client.force_login(personas.pm)
    status = reverse("reporting:status", args=[2026, 3])
    page = client.get(reverse("reporting:snapshot", args=[2026, 3])).content.decode()
    assert f"{status}?stand={report.card_state}" in page
    unchanged = client.get(status, {"stand": report.card_state}, headers=HTMX)
    assert (unchanged.status_code, unchanged.content) == (204, b"")
    Report.objects.filter(pk=report.pk).update(state=JobState.RUNNING, attempts=1)
    changed = client.get(status, {"stand": report.card_state}, headers=HTMX)
    assert changed.status_code == 200
    assert "De rapportage wordt gemaakt" in changed.content.decode()


def test_a_job_whose_message_never_reached_the_queue_says_it_starts_by_itself(
    client, personas, report
):
    client.force_login(personas.pm)
    html = client.get(reverse("reporting:snapshot", args=[2026, 3])).content.decode()
    assert "De taak start vanzelf zodra de wachtrij terug is" in html
    Report.objects.filter(pk=report.pk).update(sent_at=timezone.now())
    html = client.get(reverse("reporting:snapshot", args=[2026, 3])).content.decode()
    assert "start vanzelf" not in html


def test_a_report_waiting_too_long_says_so_and_programme_management_can_start_it_again(
    client, personas, report, settings, django_capture_on_commit_callbacks
):
    settings.JOBS_RESEND_AFTER_SECONDS = 300
    Report.objects.filter(pk=report.pk).update(
        queued_at=ago(seconds=400), sent_at=ago(seconds=400), attempts=1
    )
    client.force_login(personas.alice)  # an adviser reads the report, may not restart it
    html = client.get(reverse("reporting:snapshot", args=[2026, 3])).content.decode()
    assert 'data-job-notice="waiting"' in html and "langer dan gebruikelijk" in html
    assert "Opnieuw starten" not in html

    client.force_login(personas.pm)
    html = client.get(reverse("reporting:snapshot", args=[2026, 3])).content.decode()
    assert "Opnieuw starten" in html
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("reporting:render", args=[2026, 3]), headers=HTMX)
    assert response.status_code == 200
    assert 'data-job-notice="waiting"' not in response.content.decode()
    assert len(callbacks) == 1
    report.refresh_from_db()
    assert (report.state, report.attempts, report.sent_at) == (JobState.QUEUED, 0, None)
    assert report.queued_at > ago(seconds=5)


def test_a_job_waiting_a_short_while_cannot_be_restarted(personas, report):
    Report.objects.filter(pk=report.pk).update(sent_at=timezone.now())
    with pytest.raises(services.WorkflowError):
        services.retry_job(job=report)
    done = Report.objects.filter(pk=report.pk)
    done.update(state=JobState.DONE)
    with pytest.raises(services.WorkflowError):
        services.retry_job(job=done.get())


def test_an_export_waiting_too_long_can_be_started_again_by_its_adviser(
    client, personas, settings, django_capture_on_commit_callbacks
):
    settings.JOBS_RESEND_AFTER_SECONDS = 300
    region = personas.own_step.region
    export = DossierExport.objects.create(
        region=region, requested_by=personas.alice, queued_at=ago(hours=2), sent_at=ago(hours=1)
    )
    url = reverse("reporting:export", args=[region.code, export.pk])
    client.force_login(personas.alice)
    card = client.get(url, {"stand": "outdated"}, headers=HTMX).content.decode()
    assert "Opnieuw starten" in card and "langer dan gebruikelijk" in card
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.post(url).status_code == 302
    assert len(callbacks) == 1
    export.refresh_from_db()
    assert export.queued_at > ago(seconds=5) and export.sent_at is None
