"""E-mail leaves the application through an outbox: every message is a row first.

A message is a job (core/jobs.py): made in the transaction of what it is about, sent by a
Celery task after commit, claimed by compare-and-set, retried after RETRY_DELAYS, failed for
good after MAX_ATTEMPTS retries (the beheerder sees it in the admin). Its `key` says what it is
about (adviser, region, quarter; a partner contact and a report), so the same message is never
made twice, whatever the scheduler or a user does twice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.jobs import Job

__all__ = ["CalendarFeed", "MessageKind", "OutboxMessage"]


class MessageKind(models.TextChoices):
    TEST = "test", _("Test message")
    DIGEST = "overzicht", _("Weekly digest")
    REMINDER = "herinnering", _("Reminder of a quarter's progress updates")


class OutboxMessage(Job):
    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=MessageKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("plain text"))
    html = models.TextField(_("HTML"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "queued_at"], name="outbox_state_queued")]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class CalendarFeed(models.Model):
    """A user's secret calendar address (an iCal feed). Only the SHA-256 of its token is kept:
    the address is shown once, when it is made; renewing makes a new one and ends the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token_hash = models.CharField(_("token (SHA-256)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("made at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")

    def __str__(self) -> str:
        return str(self.user)
