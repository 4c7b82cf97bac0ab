"""A published quarterly report reaches each partner contact once: frozen, rendered, approved
and published through a real PDF worker, mailed by a real mail worker through a real SMTP server
process, also when the mail worker is SIGKILLed mid-send and started again."""

import os
import signal

import pytest
from django.db import transaction

from notifications.models import MessageKind, OutboxMessage, PartnerContact
from reporting import services
from reporting.models import JobState, Report, ReportStatus
from tests.factories import UserFactory
from tests.test_reporting import pdf_text
from tests.workers import purge_pdf_queue, start_worker, stop_worker, wait_for

pytestmark = [pytest.mark.worker]

CONTACTS = [
    ("SZW", "Sanne de Wit", "sanne@szw.example"),
    ("VNG", "Vincent Groen", "vincent@vng.example"),
    ("Cedris", "Carla Dijk", "carla@cedris.example"),
]


def _rendered(report: Report, status: str) -> None:
    wait_for(
        lambda: Report.objects.filter(pk=report.pk, status=status, state=JobState.DONE).exists(),
        120,
        f"the report ({status})",
    )


@pytest.mark.django_db(transaction=True)
def test_each_partner_contact_receives_the_published_report_once_despite_a_killed_worker(
    reference_data, personas, smtp_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    for organisation, name, email in CONTACTS:
        PartnerContact.objects.create(organisation=organisation, name=name, email=email)
    PartnerContact.objects.create(
        organisation="Divosa", name="Gestopt", email="stop@divosa.example", active=False
    )
    second_pm = UserFactory(username="pm2", programme=True)
    purge_pdf_queue()
    pdf_worker, _node = start_worker(settings.MEDIA_ROOT)
    mailer = restarted = None
    try:
        snapshot = services.freeze_quarter(year=2026, quarter=3, by=personas.pm)
        with transaction.atomic():
            report = services.request_report(snapshot=snapshot, by=personas.pm)
        _rendered(report, ReportStatus.CONCEPT)
        report.refresh_from_db()
        services.approve_report(
            report=report, by=second_pm, note="Akkoord.", version=report.version
        )
        _rendered(report, ReportStatus.APPROVED)
        report.refresh_from_db()
        assert not OutboxMessage.objects.filter(kind=MessageKind.PUBLISHED).exists()

        # Programme management was told the draft is ready for approval, by e-mail.
        mailer, _node = start_worker(settings.MEDIA_ROOT, queue=settings.MAIL_QUEUE)
        approval_mail = OutboxMessage.objects.filter(kind=MessageKind.APPROVAL)
        wait_for(
            lambda: approval_mail.exists() and not approval_mail.exclude(state=JobState.DONE),
            60,
            "the approval notices to be sent",
        )
        assert {m.to for m in approval_mail} == {personas.pm.email, second_pm.email}

        smtp_server.hold()  # from here the next e-mail's DATA stays unanswered
        services.publish_report(report=report, by=personas.pm, version=report.version)
        _rendered(report, ReportStatus.PUBLISHED)
        wait_for(lambda: smtp_server.holding, 60, "the mail worker to be in the middle of a send")
        os.killpg(mailer.pid, signal.SIGKILL)
        mailer.wait(timeout=10)
        smtp_server.release()

        restarted, _node = start_worker(settings.MEDIA_ROOT, queue=settings.MAIL_QUEUE)
        partner_mail = OutboxMessage.objects.filter(kind=MessageKind.PUBLISHED)
        # The killed send's message comes back only after the visibility timeout (20 s in the
        # test workers) and the broker's next look at unacknowledged messages: allow for a
        # loaded machine.
        wait_for(
            lambda: partner_mail.filter(state=JobState.DONE).count() == len(CONTACTS),
            240,
            "every partner contact's e-mail to be sent",
        )
    finally:
        for worker in (pdf_worker, mailer, restarted):
            if worker:
                stop_worker(worker)

    report.refresh_from_db()
    published_pdf = (settings.MEDIA_ROOT / report.file.name).read_bytes()
    received = [m for m in smtp_server.messages() if m["To"] in {c[2] for c in CONTACTS}]
    assert sorted(m["To"] for m in received) == sorted(c[2] for c in CONTACTS)
    assert "stop@divosa.example" not in {m["To"] for m in smtp_server.messages()}
    assert max(m.attempts for m in partner_mail) == 2  # the killed send, then the one that went
    for mail in received:
        assert mail["List-Unsubscribe"].strip().startswith("<http")
        [attachment] = list(mail.iter_attachments())
        assert attachment.get_filename() == "kwartaalrapportage-2026-q3.pdf"
        content = attachment.get_content()
        assert content == published_pdf
        text = pdf_text(content)
        assert "2026 Q3" in text and "CONCEPT" not in text
        assert "gepubliceerd" in mail.get_body(("plain",)).get_content()
