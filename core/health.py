"""State of the services Regiomonitor depends on: database, broker, workers, and the jobs
waiting for them."""

import time
from dataclasses import dataclass

import redis
from django.conf import settings
from django.db import connection
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.celery import app as celery_app

__all__ = ["Check", "check_broker", "check_database", "check_jobs", "check_workers"]


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    millis: int


def _timed(name, probe) -> Check:
    start = time.monotonic()
    try:
        ok, detail = probe()
    except Exception as exc:
        ok, detail = False, f"{type(exc).__name__}: {exc}"
    return Check(name, ok, detail, int((time.monotonic() - start) * 1000))


def check_database() -> Check:
    def probe():
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            return True, cursor.fetchone()[0].split(" on ")[0]

    return _timed("database", probe)


def check_broker() -> Check:
    def probe():
        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
        )
        try:
            info = client.info("server")
        finally:
            client.close()
        return True, f"Redis {info['redis_version']}"

    return _timed("broker", probe)


def check_workers(timeout: float = 1.0) -> Check:
    def probe():
        replies = celery_app.control.ping(timeout=timeout) or []
        names = sorted(name for reply in replies for name in reply)
        return bool(names), ", ".join(names)

    return _timed("workers", probe)


def check_jobs() -> Check:
    """Reports and exports waiting for a worker: fine unless one waits longer than the
    threshold after which it is sent again (JOBS_RESEND_AFTER_SECONDS)."""

    def probe():
        from reporting.jobs import waiting_summary

        summary = waiting_summary()
        parts = [
            ngettext("%(n)d waiting", "%(n)d waiting", summary["waiting"])
            % {"n": summary["waiting"]},
            ngettext("%(n)d in progress", "%(n)d in progress", summary["running"])
            % {"n": summary["running"]},
        ]
        if summary["oldest"]:
            parts.append(_("oldest waiting %(age)s") % {"age": timesince(summary["oldest"])})
        age = summary["oldest_seconds"]
        return age is None or age <= settings.JOBS_RESEND_AFTER_SECONDS, ", ".join(parts)

    return _timed("jobs", probe)
