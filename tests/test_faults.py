"""Faults injected into real processes: Redis stopped and started under a running app and worker,
PostgreSQL restarted under load, and two advisers saving the same record at the same moment.

The app runs under gunicorn (tests/processes.py) against the committed test database, so every
request here is a real HTTP request to a real server. A worker killed mid-render is in
tests/test_reporting_worker.py (test_a_worker_killed_mid_render_ends_with_exactly_one_report).
"""

import datetime
import os
import sys
import threading
import time
import uuid

import pytest
from celery import Celery
from django.apps import apps
from django.urls import reverse

from monitoring.models import RouteStep
from regions.models import StandIn
from reporting.models import JobState, Report
from reporting.services import freeze_quarter
from tests.conftest import OWN_REGION
from tests.processes import STARTED, Browser, Postgres, Redis, Server, app_env, body_text, stop
from tests.processes import _spawn as spawn
from tests.test_inline_sections import STEP
from tests.workers import FAST_RECOVERY, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
HTMX = {"HX-Request": "true"}


def start_worker(env: dict, tmp_path, broker_url: str):
    """A pdf worker on the given broker; returns once it answers a ping through that broker."""
    node = f"faults-{uuid.uuid4().hex[:6]}@localhost"
    process = spawn(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", env["PDF_QUEUE"],
            "-n", node, "--concurrency", "1", "--without-gossip", "--without-mingle",
            "-l", "info",
        ],
        env,
        tmp_path / "worker.log",
    )  # fmt: skip
    probe = Celery(broker=broker_url, set_as_current=False)  # the tests after keep their app
    try:
        wait_for(
            lambda: process.poll() is None and probe.control.ping(destination=[node], timeout=0.5),
            60,
            "the worker to answer",
        )
    finally:
        probe.close()
    return process


def test_with_redis_down_pages_load_a_report_says_try_later_and_jobs_resume_when_it_is_back(
    reference_data, personas, tmp_path
):
    freeze_quarter(year=2026, quarter=3, by=personas.pm)
    redis = Redis(tmp_path)
    env = app_env(
        tmp_path, REDIS_URL=redis.url, PDF_QUEUE=f"pdf-faults-{os.getpid()}", **FAST_RECOVERY
    )
    server = Server(tmp_path, env)
    worker = start_worker(env, tmp_path, redis.url)
    try:
        pm = Browser(server, "pm")
        redis.stop()

        for path in ("/dashboard/", f"/regios/{OWN_REGION}/", "/rapportages/", "/resultaten/"):
            response = pm.get(path)
            assert response.status == 200, (path, response.status)
        render = reverse("reporting:render", args=[2026, 3])
        response = pm.post(render, headers=HTMX)
        assert response.status < 500, response.status
        assert "Probeer het later opnieuw." in body_text(response.text), response.status
        report = Report.objects.get()
        assert report.state == JobState.FAILED
        assert "niet bereikbaar" in report.error

        time.sleep(5)  # the worker has lost its broker and is retrying to connect
        redis.start()
        back = time.monotonic()
        response = pm.post(render, headers=HTMX)  # "Opnieuw proberen" on the failed report
        assert response.status in (200, 286), response.status  # 286: polling ends when done
        assert Report.objects.get().state in (JobState.QUEUED, JobState.RUNNING, JobState.DONE)
        wait_for(
            lambda: Report.objects.filter(state=JobState.DONE).exists(),
            60 - (time.monotonic() - back),
            "the job to be consumed after Redis came back",
        )
        assert worker.poll() is None, "the worker must not have been restarted"
        assert STARTED.count(worker) == 1
        report.refresh_from_db()
        assert report.attempts == 1 and report.size > 0
    finally:
        stop(worker)
        server.stop()
        redis.stop()


def test_the_app_recovers_from_a_postgresql_restart_under_load(reference_data, personas, tmp_path):
    postgres = Postgres()  # a copy of the committed test database, in a cluster of its own
    server = None
    try:
        server = Server(tmp_path, app_env(tmp_path, DATABASE_URL=postgres.url))
        workers_before = server.workers()
        load = [
            (Browser(server, "pm"), "/dashboard/"),
            (Browser(server, "alice"), f"/regios/{OWN_REGION}/"),
            (Browser(server, "pm"), "/resultaten/"),
        ]
        results: list[tuple[float, int]] = []
        done = threading.Event()

        def client(browser, path):
            while not done.is_set():
                status = browser.get(path).status
                results.append((time.monotonic(), status))
                time.sleep(0.05)

        threads = [threading.Thread(target=client, args=pair) for pair in load]
        for thread in threads:
            thread.start()
        time.sleep(3)
        down = time.monotonic()
        postgres.stop()
        time.sleep(2)
        postgres.start()
        up = time.monotonic()
        time.sleep(6)
        done.set()
        for thread in threads:
            thread.join(timeout=60)

        before = [status for at, status in results if at < down]
        during = [status for at, status in results if down <= at <= up]
        after = [status for at, status in results if at > up + 1]
        assert before and set(before) == {200}
        assert 503 in during, "the outage must have been noticed"
        assert set(during) <= {200, 503}, "a database outage is a 503, never a 500"
        assert len(after) >= 10 and set(after) == {200}, after
        assert server.workers() == workers_before, "recovered without restarting gunicorn"

        outage = Browser(server, "alice")  # and a new log-in and a save work again
        step = personas.own_step
        response = outage.post(
            reverse("monitoring:record_edit", args=[OWN_REGION, "processtappen", step.pk]),
            {**STEP, "title": "Na de herstart", "version": "1"},
            headers=HTMX,
        )
        assert "Opgeslagen." in body_text(response.text)
    finally:
        if server:
            server.stop()
        postgres.destroy()


def test_a_503_page_says_the_database_is_unreachable(reference_data, personas, tmp_path):
    postgres = Postgres()
    server = Server(tmp_path, app_env(tmp_path, DATABASE_URL=postgres.url))
    try:
        pm = Browser(server, "pm")
        postgres.stop()
        response = pm.get("/dashboard/")
        assert response.status == 503
        assert response.getheader("Retry-After") == "30"
        assert "De database is even niet bereikbaar." in body_text(response.text)
    finally:
        server.stop()
        postgres.destroy()


def test_two_advisers_saving_the_same_record_at_once_one_wins_the_other_sees_the_conflict(
    reference_data, personas, tmp_path
):
    today = datetime.date.today()
    StandIn.objects.create(
        adviser=personas.alice,
        substitute=personas.bob,
        created_by=personas.pm,
        start_date=today,
        end_date=today + datetime.timedelta(days=7),
    )
    step = personas.own_step
    url = reverse("monitoring:record_edit", args=[OWN_REGION, "processtappen", step.pk])
    server = Server(tmp_path, app_env(tmp_path))
    try:
        browsers = {"alice": Browser(server, "alice"), "bob": Browser(server, "bob")}
        winners = []
        for round_ in range(1, 4):
            version = RouteStep.objects.get(pk=step.pk).version
            barrier = threading.Barrier(2)
            responses = {}

            def save(name, version=version, barrier=barrier, responses=responses, round_=round_):
                data = {**STEP, "title": f"{name} ronde {round_}", "version": str(version)}
                barrier.wait()
                responses[name] = browsers[name].post(url, data, headers=HTMX)

            threads = [threading.Thread(target=save, args=(name,)) for name in browsers]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)

            texts = {name: body_text(r.text) for name, r in responses.items()}
            saved = [name for name, text in texts.items() if "Opgeslagen." in text]
            conflict = "Iemand anders heeft dit record opgeslagen terwijl u het bewerkte."
            refused = [name for name, text in texts.items() if conflict in text]
            assert len(saved) == 1 and len(refused) == 1, texts
            winner, loser = saved[0], refused[0]
            stored = RouteStep.objects.get(pk=step.pk)
            assert (stored.title, stored.version) == (f"{winner} ronde {round_}", version + 1)
            html = responses[loser].text
            assert f'value="{loser} ronde {round_}"' in html  # the loser's input is still there
            assert f'data-side="theirs">{winner} ronde {round_}<' in html
            assert f'name="version" value="{version + 1}"' in html

            winners.append((f"{winner} ronde {round_}", stored.updated_by.username))

        # Every winning save is in the audit history with who made it; no losing one is.
        events = apps.get_model("monitoring", "RouteStepEvent").objects.filter(
            pgh_obj_id=step.pk, pgh_label="update"
        )
        assert [e.title for e in events.order_by("pgh_id")] == [title for title, _ in winners]
        assert [who for _, who in winners] == [title.split()[0] for title, _ in winners]
    finally:
        server.stop()
