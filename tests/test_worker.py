"""A real Celery worker process consuming real tasks through Redis."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.urls import reverse

from config.celery import app as celery_app
from core.tasks import echo


@pytest.fixture(scope="module")
def worker():
    """Start `celery worker` on a private queue; yield its node name; stop it afterwards."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    node = f"{queue}@localhost"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queue,
            "-n",
            node,
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "warning",
        ],
        cwd=settings.BASE_DIR,
        env=os.environ.copy(),
    )
    try:
        deadline = time.monotonic() + 60
        while not celery_app.control.ping(destination=[node], timeout=0.5):
            assert process.poll() is None, "the worker exited during start-up"
            assert time.monotonic() < deadline, "the worker did not answer within 60 s"
        yield {"node": node, "queue": queue, "process": process}
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_task_runs_in_the_worker_process_through_redis(worker):
    result = echo.apply_async(args=["hallo regio"], queue=worker["queue"])
    assert result.get(timeout=30) == "hallo regio"
    assert result.status == "SUCCESS"


def test_the_worker_acknowledges_late_and_takes_one_message_at_a_time(worker):
    stats = celery_app.control.inspect(destination=[worker["node"]], timeout=5).stats()
    assert stats[worker["node"]]["prefetch_count"] == 1


@pytest.mark.django_db
def test_health_page_reports_database_broker_and_worker(client, personas, worker):
    client.force_login(personas.pm)
    html = client.get(reverse("core:health")).content.decode()
    assert "Alle diensten werken." in html
    assert worker["node"] in html
    assert html.count("rm-health-ok") == 5  # database, broker, worker, job queue and outbox
    assert "0 wachtend, 0 bezig" in html
