"""The task that sends one outgoing e-mail (a job of core/jobs.py: claimed once per message,
retried after RETRY_DELAYS when the SMTP server refuses or cannot be reached)."""

from celery import shared_task

from core import jobs
from notifications.models import OutboxMessage
from notifications.services import deliver

__all__ = ["send_message"]


@shared_task(bind=True, name="notifications.send_message", ignore_result=True)
def send_message(self, message_pk: int) -> None:
    jobs.run(self, OutboxMessage, message_pk, deliver)
