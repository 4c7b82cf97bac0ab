"""Faults injected into real processes: Redis killed, stopped and started empty under a running
app, workers and beat (no job is lost, none is made twice), a worker killed past the time limit,
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
from itertools import pairwise

import pytest
import redis as redis_client
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
from tests.workers import FAST_RECOVERY, kill_mid_render, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
HTMX = {"HX-Request": "true"}


# Jobs in these tests: the reconciler runs every 2 s and sends again what has waited 4 s since
# it was sent; a running job is taken back 17 s after it started (the hard time limit is 15 s).
JOB_TIMING = {
    **FAST_RECOVERY,
    "JOBS_RECONCILE_SECONDS": "2",
    "JOBS_RESEND_AFTER_SECONDS": "4",
    "JOBS_LEASE_SECONDS": "17",
}
# From the moment the workers run, a lost message is sent again after at most this long: the
# resend threshold and one reconcile interval, plus a beat and a worker that are still starting.
RESEND_WITHIN = 4 + 2 + 10
RENDER_WITHIN = 60  # a report of 35 regions, with a cold first render


def start_worker(env: dict, tmp_path, broker_url: str, queues: str | None = None):
    """A worker on the given broker (the pdf queue unless told); returns once it answers a
    ping through that broker."""
    node = f"faults-{uuid.uuid4().hex[:6]}@localhost"
    process = spawn(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "-Q", queues or env["PDF_QUEUE"], "-n", node, "--concurrency", "1",
            "--without-gossip", "--without-mingle", "-l", "info",
        ],
        env,
        tmp_path / f"worker-{node.split('@')[0]}.log",
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


def both(env: dict) -> str:
    """One worker for the reconciler's queue and the pdf queue: the tests start one process less
    (production runs one worker for each, as docker-compose.yml shows)."""
    return f"default,{env['PDF_QUEUE']}"


def start_beat(env: dict, tmp_path):
    """Celery beat with the project's schedule: the reconciler every JOBS_RECONCILE_SECONDS."""
    return spawn(
        [
            sys.executable, "-m", "celery", "-A", "config", "beat", "-l", "info",
            "--schedule", str(tmp_path / "beat-schedule"), "--pidfile", str(tmp_path / "beat.pid"),
        ],
        env,
        tmp_path / "beat.log",
    )  # fmt: skip


def job_env(tmp_path, redis, **overrides):
    timing = JOB_TIMING | {"PDF_QUEUE": f"pdf-faults-{os.getpid()}"} | overrides
    return app_env(tmp_path, REDIS_URL=redis.url, **timing)


def finished_runs(report) -> int:
    """How many times the report was finished: updates that set its state to done, from the
    audit history (every write to a report is recorded by a database trigger)."""
    events = apps.get_model("reporting", "ReportEvent").objects.filter(pgh_obj_id=report.pk)
    states = list(events.order_by("pgh_id").values_list("state", flat=True))
    return sum(1 for before, after in pairwise(["", *states]) if after == JobState.DONE != before)


def assert_finished_once(report, media) -> None:
    report.refresh_from_db()
    assert report.state == JobState.DONE, (report.state, report.error)
    assert finished_runs(report) == 1
    assert sorted(p.name for p in (media / "reports").iterdir()) == [report.filename]


def queue_length(redis, queue: str) -> int:
    client = redis_client.Redis(host="127.0.0.1", port=redis.port, socket_timeout=5)
    try:
        return client.llen(queue)
    finally:
        client.close()


@pytest.mark.parametrize("restart", ["with its data", "empty"])
def test_a_report_queued_before_redis_is_killed_is_made_exactly_once(
    reference_data, personas, tmp_path, restart
):
    """(a) The report is queued, Redis is SIGKILLed before any worker runs, and comes back with
    its append-only file or with nothing (a lost disk): nobody presses a button, the report is
    made once."""
    freeze_quarter(year=2026, quarter=3, by=personas.pm)
    redis = Redis(tmp_path)
    env = job_env(tmp_path, redis)
    server = Server(tmp_path, env)
    processes = []
    try:
        pm = Browser(server, "pm")
        response = pm.post(reverse("reporting:render", args=[2026, 3]), headers=HTMX)
        assert response.status == 200, response.status
        report = Report.objects.get()
        assert report.state == JobState.QUEUED and report.sent_at is not None
        assert queue_length(redis, env["PDF_QUEUE"]) == 1

        redis.kill()
        redis.start(empty=restart == "empty")
        assert queue_length(redis, env["PDF_QUEUE"]) == (1 if restart == "with its data" else 0)

        processes.append(start_beat(env, tmp_path))
        processes.append(start_worker(env, tmp_path, redis.url, queues=both(env)))
        running = time.monotonic()
        wait_for(
            lambda: Report.objects.filter(state=JobState.DONE).exists(),
            RESEND_WITHIN + RENDER_WITHIN,
            "the report after Redis came back",
        )
        if restart == "empty":  # the message was lost: only the reconciler can have sent it
            assert Report.objects.get().sent_at > report.sent_at
        elapsed = time.monotonic() - running
        time.sleep(2 * 2)  # two more reconcile rounds, and whatever they sent, consumed
        assert_finished_once(report, tmp_path / "media")
        assert report.attempts == 1, f"made in {elapsed:.1f} s with {report.attempts} attempts"
    finally:
        for process in processes:
            stop(process)
        server.stop()
        redis.stop()


def test_a_quarter_frozen_while_redis_is_down_gets_its_report_once_redis_is_back(
    reference_data, personas, tmp_path
):
    """(b) Pages load while Redis is down; freezing works and says the report starts by itself;
    once Redis is back (empty, as after a lost disk) the report is made, with nobody acting and
    no worker restarted."""
    redis = Redis(tmp_path)
    env = job_env(tmp_path, redis)
    server = Server(tmp_path, env)
    worker = start_worker(env, tmp_path, redis.url, queues=both(env))
    processes = [start_beat(env, tmp_path), worker]
    try:
        pm = Browser(server, "pm")
        redis.stop()

        for path in ("/dashboard/", f"/regios/{OWN_REGION}/", "/rapportages/", "/resultaten/"):
            response = pm.get(path)
            assert response.status == 200, (path, response.status)
        response = pm.post(reverse("reporting:index"), {"quarter": "2026-3"})
        assert response.status == 302, response.status
        card = body_text(pm.get(reverse("reporting:snapshot", args=[2026, 3])).text)
        assert "De wachtrij is op dit moment niet bereikbaar. De taak start vanzelf" in card
        report = Report.objects.get()
        assert (report.state, report.sent_at, report.attempts) == (JobState.QUEUED, None, 0)
        health = body_text(Browser(server, "pm").get(reverse("core:health")).text)
        assert "1 wachtend, 0 bezig, oudste wacht" in health

        time.sleep(5)  # the workers and beat have lost their broker and retry to connect
        assert Report.objects.get().state == JobState.QUEUED
        redis.start(empty=True)
        wait_for(
            lambda: Report.objects.filter(state=JobState.DONE).exists(),
            RESEND_WITHIN + RENDER_WITHIN,
            "the report once Redis was back",
        )
        time.sleep(2 * 2)
        assert_finished_once(report, tmp_path / "media")
        assert report.attempts == 1
        assert worker.poll() is None and STARTED.count(worker) == 1, "no worker was restarted"
        card = body_text(pm.get(reverse("reporting:snapshot", args=[2026, 3])).text)
        assert "PDF downloaden" in card
    finally:
        for process in processes:
            stop(process)
        server.stop()
        redis.stop()


def test_a_job_whose_worker_is_killed_past_the_time_limit_is_run_again_and_finished_once(
    reference_data, personas, tmp_path
):
    """(c) A worker claims the report and is killed with its pool (SIGKILL); Redis would keep
    the message unacknowledged for an hour (the visibility timeout), so only the reconciler can
    take the job back: once its lease has passed, a new worker makes it, once."""
    freeze_quarter(year=2026, quarter=3, by=personas.pm)
    redis = Redis(tmp_path)
    env = job_env(tmp_path, redis, CELERY_VISIBILITY_TIMEOUT="3600")
    server = Server(tmp_path, env)
    first = start_worker(env, tmp_path, redis.url)
    processes = [first]
    try:
        pm = Browser(server, "pm")
        pm.post(reverse("reporting:render", args=[2026, 3]), headers=HTMX)
        report = Report.objects.get()
        kill_mid_render(first, report)
        killed = time.monotonic()
        assert (report.state, report.attempts) == (JobState.RUNNING, 1)

        processes.append(start_beat(env, tmp_path))
        processes.append(start_worker(env, tmp_path, redis.url, queues=both(env)))
        wait_for(
            lambda: Report.objects.filter(pk=report.pk, state=JobState.DONE).exists(),
            17 + RESEND_WITHIN + RENDER_WITHIN,
            "the job taken back from the killed worker",
        )
        assert time.monotonic() - killed > 17 - 1, "taken back before its lease had passed"
        time.sleep(2 * 2)
        assert_finished_once(report, tmp_path / "media")
        assert report.attempts == 2  # the killed run and the one that finished
    finally:
        for process in processes:
            stop(process)
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
