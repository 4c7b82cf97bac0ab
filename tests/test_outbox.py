"""The outbox (notifications): every e-mail is a row first, sent by a Celery task through a real
SMTP server process (tests/smtp_server.py) and read back from what that server stored."""

import os
import signal

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.jobs import MAX_ATTEMPTS, JobState
from notifications.models import MessageKind, OutboxMessage
from notifications.services import message_id, queue_message
from notifications.tasks import send_message
from tests.mail import free_port, use_smtp
from tests.workers import start_worker, stop_worker, wait_for

MESSAGE = {
    "kind": MessageKind.TEST,
    "to": "anna@regiomonitor.example",
    "subject": "Voortgang Drenthe: 2026 Q4 ontbreekt",
    "text": "Drenthe heeft nog geen voortgangsupdate voor 2026 Q4.",
    "html": "<h1>Voortgang Drenthe</h1><p>Nog geen voortgangsupdate voor 2026 Q4.</p>",
}


@pytest.mark.django_db
def test_a_message_goes_out_once_with_text_html_and_a_stable_message_id(smtp_server):
    message = queue_message(key="test:drenthe:2026-4", **MESSAGE)
    send_message.apply(args=[message.pk])
    [received] = smtp_server.messages()
    assert received["Subject"] == MESSAGE["subject"]
    assert received["To"] == MESSAGE["to"]
    assert received["From"] == settings.DEFAULT_FROM_EMAIL
    assert received["Message-ID"] == message_id(message)
    assert received.get_body(("plain",)).get_content().strip() == MESSAGE["text"]
    assert "<h1>Voortgang Drenthe</h1>" in received.get_body(("html",)).get_content()
    message.refresh_from_db()
    assert (message.state, message.attempts, message.error) == (JobState.DONE, 1, "")
    assert message.finished_at is not None

    send_message.apply(args=[message.pk])  # the same message delivered again
    assert len(smtp_server.messages()) == 1


@pytest.mark.django_db
def test_the_same_key_never_makes_a_second_message():
    assert queue_message(key="test:drenthe:2026-4", **MESSAGE) is not None
    assert queue_message(key="test:drenthe:2026-4", **{**MESSAGE, "subject": "Anders"}) is None
    assert OutboxMessage.objects.get().subject == MESSAGE["subject"]


@pytest.mark.django_db
def test_a_message_no_server_takes_is_retried_then_failed_and_shown_to_the_beheerder(
    settings, client, personas
):
    use_smtp(settings, free_port())  # nothing listens there
    message = queue_message(key="test:unreachable", **MESSAGE)
    send_message.apply(args=[message.pk])  # eagerly: the retries run at once
    message.refresh_from_db()
    assert message.state == JobState.FAILED and message.attempts == MAX_ATTEMPTS + 1
    assert "ConnectionRefusedError" in message.error
    client.force_login(personas.admin)
    page = client.get(reverse("admin:notifications_outboxmessage_changelist"))
    assert page.status_code == 200
    html = page.content.decode()
    assert MESSAGE["subject"] in html and "Mislukt" in html
    client.force_login(personas.pm)  # nobody else reaches the admin
    assert client.get(reverse("admin:notifications_outboxmessage_changelist")).status_code == 302


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_delivers_the_message_exactly_once_after_a_restart(
    smtp_server,
    tmp_path,
):
    """The worker is killed while the SMTP server holds its DATA unanswered (so the message
    was not taken); a new worker gets the message back from the broker and sends it once."""
    smtp_server.hold()
    first, _node = start_worker(tmp_path, queue=settings.MAIL_QUEUE)
    second = None
    try:
        with transaction.atomic():
            message = queue_message(key="test:killed-mid-send", **MESSAGE)
        wait_for(lambda: smtp_server.holding, 60, "the worker to be in the middle of the send")
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        smtp_server.release()
        message.refresh_from_db()
        assert message.state == JobState.RUNNING and smtp_server.messages() == []

        second, _node = start_worker(tmp_path, queue=settings.MAIL_QUEUE)
        wait_for(
            lambda: OutboxMessage.objects.filter(pk=message.pk, state=JobState.DONE).exists(),
            120,
            "the message to be sent after the restart",
        )
    finally:
        stop_worker(first)
        if second:
            stop_worker(second)
    message.refresh_from_db()
    assert message.attempts == 2
    [received] = smtp_server.messages()
    assert received["Subject"] == MESSAGE["subject"]


@pytest.mark.django_db
def test_the_test_command_sends_a_dutch_html_and_text_mail_without_remote_images(smtp_server):
    from django.core.management import CommandError, call_command

    call_command("send_test_email", "beheer@regiomonitor.example")
    message = OutboxMessage.objects.get()
    send_message.apply(args=[message.pk])
    [received] = smtp_server.messages()
    assert received["Subject"] == "Regiomonitor: testbericht"
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    assert "Testbericht" in text and "<h1" in html and 'lang="nl"' in html
    assert "<img" not in html and "http" not in html.replace("http-equiv", "")
    with pytest.raises(CommandError, match="geldig e-mailadres"):
        call_command("send_test_email", "geen-adres")


@pytest.mark.django_db
def test_the_health_page_counts_waiting_and_failed_mail(client, personas):
    OutboxMessage.objects.create(
        key="a", state=JobState.FAILED, finished_at=timezone.now(), **MESSAGE
    )
    OutboxMessage.objects.create(key="b", **MESSAGE)
    client.force_login(personas.pm)
    html = client.get(reverse("core:health")).content.decode()
    row = html.split("Uitgaande e-mail", 1)[1].split("</tr>", 1)[0]
    assert "1 wachtend" in row and "1 niet verzonden in de afgelopen 7 dagen" in row
