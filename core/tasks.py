import logging

from celery import shared_task
from django.db import transaction

from core.textextract import read_text, stored_file_models

logger = logging.getLogger(__name__)


@shared_task(name="core.echo")
def echo(value: str) -> str:
    """A round trip through the broker and a worker, used by the health page and its test."""
    return value


@shared_task(name="core.extract_text")
def extract_text(label: str, pk: int) -> str | None:
    """Read a stored file's text for search (core/textextract.py)."""
    from django.apps import apps

    return read_text(apps.get_model(label), pk)


@shared_task(name="core.read_pending_texts")
def read_pending_texts(older_than_seconds: int = 120) -> int:
    """Send again the files still waiting to be read (a message lost with the broker, an upload
    made while it was down, the files stored before search existed). Returns how many."""
    from datetime import timedelta

    from django.utils import timezone

    from core.files import TextState

    before = timezone.now() - timedelta(seconds=older_than_seconds)
    sent = 0
    for model in stored_file_models():
        waiting = model.objects.filter(text_state=TextState.PENDING, uploaded_at__lt=before)
        for pk in waiting.values_list("pk", flat=True).iterator():
            extract_text.delay(model._meta.label, pk)
            sent += 1
    return sent


def read_text_later(record) -> None:
    """Have a worker read a stored file's text (core/textextract.py) once its upload is
    committed. If the broker cannot be reached the upload still succeeds: the record stays
    "waiting" and `read_pending_texts` sends it again."""
    label, pk = record._meta.label, record.pk

    def send():
        try:
            extract_text.delay(label, pk)
        except Exception:
            logger.warning("Text of %s %s not sent to a worker yet", label, pk, exc_info=True)

    transaction.on_commit(send)
