"""Putting a message in the outbox, and handing it to the SMTP server (notifications.tasks)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction

from core import jobs
from core.hashing import sha256_hex
from notifications.models import OutboxMessage

__all__ = ["deliver", "queue_message"]


def queue_message(
    *, key: str, kind: str, to: str, subject: str, text: str, html: str = "", recipient=None
) -> OutboxMessage | None:
    """Put a message in the outbox; it is sent after the surrounding transaction commits.
    None when a message with this key was made before (it is never made, nor sent, twice)."""
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                key=key,
                kind=kind,
                to=to,
                subject=subject,
                text=text,
                html=html,
                recipient=recipient,
            )
    except IntegrityError:
        return None
    jobs.enqueue(message)
    return message


def message_id(message: OutboxMessage) -> str:
    """The same Message-ID on every attempt, so a receiving system can tell a message that
    arrives again from a new one."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(">") or "regiomonitor"
    return f"<{sha256_hex(message.key)[:32]}.{message.pk}@{domain}>"


def deliver(message: OutboxMessage) -> dict:
    """Hand the message to the SMTP server; raises when the server refuses or is unreachable
    (the job is then retried)."""
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={"Message-ID": message_id(message)},
        connection=get_connection(fail_silently=False),
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    email.send(fail_silently=False)
    return {}
