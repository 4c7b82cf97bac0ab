"""Configuration that must hold in every deployment."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command

from config.celery import app as celery_app


def test_celery_is_configured_for_reliable_delivery():
    conf = celery_app.conf
    assert conf.broker_url.startswith("redis://")
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_publish_retry is True
    assert conf.task_publish_retry_policy["max_retries"] <= 3
    # A task running longer than the visibility timeout would be handed to a second worker.
    assert conf.task_soft_time_limit < conf.task_time_limit
    assert conf.task_time_limit < conf.broker_transport_options["visibility_timeout"]


def test_pdf_jobs_have_their_own_queue_and_worker_with_concurrency_one():
    from pathlib import Path

    routes = celery_app.conf.task_routes
    assert routes["reporting.render_report"]["queue"] == settings.PDF_QUEUE
    assert routes["reporting.export_dossier"]["queue"] == settings.PDF_QUEUE
    compose = (Path(settings.BASE_DIR) / "docker-compose.yml").read_text()
    demo = (Path(settings.BASE_DIR) / "scripts" / "demo.sh").read_text()
    assert (
        '"-Q", "pdf", "-n", "pdf@%h", "--concurrency", "1", "--max-tasks-per-child", "1"' in compose
    )
    assert "-Q pdf -n pdf@%h --concurrency 1 --max-tasks-per-child 1 " in demo


def test_the_pdf_worker_loads_weasyprint_before_forking_and_other_workers_do_not():
    probe = (
        "import sys, django; django.setup(); from celery import signals; import config.celery;"
        "signals.celeryd_init.send(sender='w', options={'queues': [sys.argv[1]]});"
        "print('weasyprint' in sys.modules)"
    )
    loaded = {
        queue: subprocess.run(
            [sys.executable, "-c", probe, queue],
            capture_output=True,
            text=True,
            check=True,
            cwd=settings.BASE_DIR,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        ).stdout.strip()
        for queue in ("celery", settings.PDF_QUEUE)
    }
    assert loaded == {"celery": "False", settings.PDF_QUEUE: "True"}


def test_quarter_is_frozen_by_beat_on_the_first_day_after_each_quarter():
    schedule = celery_app.conf.beat_schedule["freeze-previous-quarter"]
    assert schedule["task"] == "reporting.freeze_previous_quarter"
    cron = schedule["schedule"]
    assert cron.day_of_month == {1} and cron.month_of_year == {1, 4, 7, 10}
    assert (cron.hour, cron.minute) == ({1}, {30})


@pytest.mark.django_db
def test_no_model_changes_without_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_check_deploy_is_clean_with_production_environment():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "HTTPS": "true",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "regiomonitor.example.nl",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_passwords_are_hashed_with_djangos_default():
    assert settings.PASSWORD_HASHERS[0].endswith("PBKDF2PasswordHasher")
