"""Real Celery worker processes on the "pdf" queue (or the mail queue), reading the test database
(shared by the worker, mail and browser tests)."""

import atexit
import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid

from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

STARTED: list[subprocess.Popen] = []

__all__ = [
    "FAST_RECOVERY",
    "kill_mid_render",
    "purge_pdf_queue",
    "start_worker",
    "stop_worker",
    "wait_for",
]

FAST_RECOVERY = {
    "CELERY_VISIBILITY_TIMEOUT": "20",
    "CELERY_TASK_TIME_LIMIT": "15",
    "CELERY_TASK_SOFT_TIME_LIMIT": "12",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
    "CELERY_UNACKED_RESTORE_THROTTLE": "1",
    # A worker the tests SIGKILL may die while it holds the lock of that look (every second
    # here); held for kombu's 300 s, no message would come back within a test's wait.
    "CELERY_UNACKED_MUTEX_EXPIRE": "5",
}


def worker_env(media_root) -> dict:
    db = connection.settings_dict
    env = os.environ.copy()
    env |= FAST_RECOVERY
    env["DATABASE_URL"] = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    env["MEDIA_ROOT"] = str(media_root)
    # Mail goes to the SMTP server the test points Django at (tests/mail.py), if any.
    env["EMAIL_HOST"] = settings.EMAIL_HOST
    env["EMAIL_PORT"] = str(settings.EMAIL_PORT)
    return env


def purge_pdf_queue():
    with celery_app.connection_for_write() as conn:
        channel = conn.default_channel
        channel.queue_declare(settings.PDF_QUEUE, passive=False, durable=True, auto_delete=False)
        channel.queue_purge(settings.PDF_QUEUE)
        conn.default_channel.client.delete("unacked", "unacked_index")


def start_worker(
    media_root, queue: str | None = None, env: dict | None = None
) -> tuple[subprocess.Popen, str]:
    """A worker on the pdf queue (or `queue`) of this test process, and its node name; `env`
    overrides settings of its environment (FAST_RECOVERY's time limits, say)."""
    node = f"test-{uuid.uuid4().hex[:6]}@localhost"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queue or settings.PDF_QUEUE,
            "-n",
            node,
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
            "-l",
            os.environ.get("TEST_WORKER_LOG", "warning"),
        ],
        cwd=settings.BASE_DIR,
        env=worker_env(media_root) | (env or {}),
        start_new_session=True,  # its own process group: killpg reaches the pool child too
    )
    STARTED.append(process)
    deadline = time.monotonic() + 60
    try:
        while not celery_app.control.ping(destination=[node], timeout=0.5):
            assert process.poll() is None, "the worker exited during start-up"
            assert time.monotonic() < deadline, "the worker did not answer within 60 s"
    except BaseException:
        stop_worker(process)
        raise
    return process, node


def _signal_group(process, sig) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def stop_worker(process):
    """Stop the worker and its pool child (its process group), even if the main process died."""
    _signal_group(process, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=20)
    _signal_group(process, signal.SIGKILL)  # a pool child orphaned by a killed parent, too
    process.wait(timeout=10)


@atexit.register
def _stop_leftovers():
    """A test that failed in between must not leave a worker consuming later runs' jobs."""
    for process in STARTED:
        _signal_group(process, signal.SIGKILL)


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def kill_mid_render(process, report) -> None:
    """SIGKILL a worker and its pool child once it has claimed the report, inside the render."""
    from reporting.models import JobState, Report

    wait_for(
        lambda: Report.objects.filter(pk=report.pk, state=JobState.RUNNING).exists(),
        60,
        "the render to start",
    )
    time.sleep(0.5)  # well inside WeasyPrint's layout
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    report.refresh_from_db()
