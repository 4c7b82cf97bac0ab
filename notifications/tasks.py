"""The tasks of notifications: send one outgoing e-mail (a job of core/jobs.py: claimed once per
message, retried after RETRY_DELAYS when the SMTP server refuses or cannot be reached), and put
the advisers' digests and reminders in the outbox (Celery beat)."""

from celery import shared_task

from core import jobs
from notifications import digest, watch
from notifications.models import OutboxMessage
from notifications.services import deliver

__all__ = ["send_digests", "send_message", "send_reminders", "warn_certifications"]


@shared_task(bind=True, name="notifications.send_message", ignore_result=True)
def send_message(self, message_pk: int) -> None:
    jobs.run(self, OutboxMessage, message_pk, deliver)


@shared_task(name="notifications.send_digests", ignore_result=True)
def send_digests() -> None:
    """Celery beat, Monday 07:00: every adviser's weekly digest (once per week)."""
    digest.send_digests()


@shared_task(name="notifications.send_reminders", ignore_result=True)
def send_reminders() -> None:
    """Celery beat, every morning: the reminders due 14 and 3 days before a quarter ends."""
    digest.send_reminders()


@shared_task(name="notifications.warn_certifications", ignore_result=True)
def warn_certifications() -> None:
    """Celery beat, every morning: certifications that expire within 60 days."""
    watch.warn_certifications()
