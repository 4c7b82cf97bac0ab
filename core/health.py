"""State of the services Regiomonitor depends on: database, broker, workers, and what the apps
register (reporting: the jobs waiting for a worker)."""

import time
from dataclasses import dataclass

import redis
from django.conf import settings
from django.db import connection
from django.utils.translation import gettext_lazy

from config.celery import app as celery_app

__all__ = [
    "Check",
    "check_broker",
    "check_database",
    "check_workers",
    "extra_checks",
    "label_of",
    "register",
]


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


# Checks that domain apps add (from their AppConfig.ready), so the kernel imports none of them:
# each is a (name, label, probe) where probe() returns (ok, detail).
EXTRA_CHECKS: list[tuple[str, object, object]] = []


def register(name: str, label, probe) -> None:
    EXTRA_CHECKS.append((name, label, probe))


def extra_checks() -> list[Check]:
    return [_timed(name, probe) for name, _label, probe in EXTRA_CHECKS]


# The kernel's own checks, by name.
LABELS = {
    "database": gettext_lazy("Database (PostgreSQL)"),
    "broker": gettext_lazy("Message broker (Redis)"),
    "workers": gettext_lazy("Background workers (Celery)"),
}


def label_of(name: str):
    if name in LABELS:
        return LABELS[name]
    return next((label for key, label, _probe in EXTRA_CHECKS if key == name), name)
