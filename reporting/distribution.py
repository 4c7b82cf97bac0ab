"""What a finished report tells: a draft is ready for programme management's approval; a
published report goes to every active partner contact, one e-mail each with the PDF attached
(above MAIL_ATTACHMENT_MAX_BYTES a personal download link instead, whose downloads are logged).

`announce` runs in the transaction that marks the render done (core.jobs.run), and every
message has a key of report and contact, so a render done twice tells nothing twice."""

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from notifications.models import MessageKind, PartnerContact
from notifications.services import absolute, notify_everyone, queue_message, unsubscribe_url
from reporting.models import Report, ReportStatus

__all__ = ["announce", "contact_link", "read_contact_link"]

LINK_SALT = "reporting.contact-download"


def contact_link(report: Report, contact: PartnerContact) -> str:
    """The contact's own download address of the report (signed, expiring)."""
    token = signing.dumps({"r": report.pk, "c": contact.pk}, salt=LINK_SALT)
    return absolute(reverse("reporting:contact_download", args=[token]))


def read_contact_link(token: str) -> tuple[int, int] | None:
    """(report pk, contact pk) of a valid link, else None (tampered with or expired)."""
    try:
        payload = signing.loads(
            token, salt=LINK_SALT, max_age=settings.REPORT_LINK_MAX_AGE_DAYS * 24 * 3600
        )
    except signing.BadSignature:
        return None
    return payload["r"], payload["c"]


def announce(report: Report) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        if report.status == ReportStatus.CONCEPT:
            notify_everyone(
                MessageKind.APPROVAL,
                key=f"approval:{report.pk}",
                title=lambda: _("%(report)s is ready for approval") % {"report": report},
                text=lambda: (
                    _("Frozen on %(date)s; check the draft and approve it, or have it made again.")
                    % {"date": formats.date_format(timezone.localtime(report.snapshot.frozen_at))}
                ),
                url=report.get_absolute_url(),
            )
        elif report.status == ReportStatus.PUBLISHED:
            notify_everyone(
                MessageKind.PUBLISHED,
                key=f"published:{report.pk}",
                title=lambda: _("%(report)s is published") % {"report": report},
                url=report.get_absolute_url(),
            )
            for contact in PartnerContact.objects.filter(active=True):
                _send_to_contact(report, contact)


def _send_to_contact(report: Report, contact: PartnerContact) -> None:
    attach = report.size is not None and report.size <= settings.MAIL_ATTACHMENT_MAX_BYTES
    unsubscribe = unsubscribe_url(contact=contact)
    context = {
        "report": report,
        "contact": contact,
        "attached": attach,
        "link": None if attach else contact_link(report, contact),
        "unsubscribe_url": unsubscribe,
    }
    queue_message(
        key=f"publication:{report.pk}:{contact.pk}",
        kind=MessageKind.PUBLISHED,
        to=contact.email,
        subject=_("Regiomonitor: %(report)s is published") % {"report": report},
        text=render_to_string("reporting/published_email.txt", context),
        html=render_to_string("reporting/published_email.html", context),
        attachment=report.file.name if attach else "",
        attachment_name=report.filename if attach else "",
        unsubscribe=unsubscribe,
    )
