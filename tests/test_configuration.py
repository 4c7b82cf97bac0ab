"""Configuration that must hold in every deployment."""

import json
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


def test_quarter_is_frozen_by_beat_in_the_first_week_after_each_quarter():
    """The first night after a quarter freezes it; the next six nights change nothing (freezing
    is idempotent) unless the first was missed, with the scheduler or the broker down."""
    schedule = celery_app.conf.beat_schedule["freeze-previous-quarter"]
    assert schedule["task"] == "reporting.freeze_previous_quarter"
    cron = schedule["schedule"]
    assert cron.day_of_month == set(range(1, 8)) and cron.month_of_year == {1, 4, 7, 10}
    assert (cron.hour, cron.minute) == ({1}, {30})


@pytest.mark.django_db
def test_no_model_changes_without_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _production(**overrides: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "HTTPS": "true",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "regiomonitor.example.nl",
        **overrides,
    }


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_environment():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_check_deploy_warns_without_https():
    """The check above can fail: without HTTPS the cookie, HSTS and redirect checks warn."""
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production(HTTPS="false"))
    assert result.returncode != 0
    output = result.stdout + result.stderr
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in output, output


def test_a_deployment_does_not_start_with_the_development_key():
    result = _manage("check", env=_production(SECRET_KEY=""))
    assert result.returncode != 0
    assert "Environment variable SECRET_KEY is required." in result.stderr


def test_production_settings_are_hardened():
    """What HTTPS=true turns on, read from a process started with the production environment."""
    script = (
        "import json, django; from django.conf import settings; django.setup(); print(json.dumps("
        "{name: getattr(settings, name) for name in ("
        "'DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', "
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_PROXY_SSL_HEADER', "
        "'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_AGE', 'X_FRAME_OPTIONS', "
        "'SECURE_CONTENT_TYPE_NOSNIFF', 'CONTENT_SECURITY_POLICY')}))"
    )
    env = {**_production(), "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_SSL_REDIRECT"] and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SESSION_COOKIE_HTTPONLY"] and values["SESSION_COOKIE_AGE"] <= 8 * 60 * 60
    assert values["X_FRAME_OPTIONS"] == "DENY" and values["SECURE_CONTENT_TYPE_NOSNIFF"]
    directives = values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert directives["script-src"] == directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == directives["object-src"] == ["'none'"]
    assert not any("unsafe" in source for sources in directives.values() for source in sources)


def test_passwords_are_hashed_with_djangos_default():
    assert settings.PASSWORD_HASHERS[0].endswith("PBKDF2PasswordHasher")


def test_a_job_lease_shorter_than_the_hard_time_limit_is_refused_at_start_up():
    """A lease inside the time limit would let the reconciler take back a job that still runs."""
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "CELERY_TASK_TIME_LIMIT": "300",
            "JOBS_LEASE_SECONDS": "300",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "JOBS_LEASE_SECONDS must exceed CELERY_TASK_TIME_LIMIT" in result.stderr


def test_the_compose_redis_keeps_its_queue_on_a_volume():
    """Docker is not on the test machines; the private Redis of scripts/services.sh, which the
    fresh-checkout test restarts with its data, runs with the same options."""
    from pathlib import Path

    compose = (Path(settings.BASE_DIR) / "docker-compose.yml").read_text()
    services = (Path(settings.BASE_DIR) / "scripts" / "services.sh").read_text()
    assert '"--appendonly", "yes", "--appendfsync", "everysec"' in compose
    assert "- redisdata:/data" in compose and "\n  redisdata:\n" in compose
    assert (
        "--appendonly no" not in services and "--appendonly yes --appendfsync everysec" in services
    )
    assert '["celery", "-A", "config", "beat"' in compose
