"""E-mail leaves the application through an outbox: every message is a row first.

A message is a job (core/jobs.py): made in the transaction of what it is about, sent by a
Celery task after commit, claimed by compare-and-set, retried after RETRY_DELAYS, failed for
good after MAX_ATTEMPTS retries (the beheerder sees it in the admin). Its `key` says what it is
about (adviser, region, quarter; a partner contact and a report), so the same message is never
made twice, whatever the scheduler or a user does twice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.jobs import Job
from core.records import tracked

__all__ = [
    "CalendarFeed",
    "Delivery",
    "MessageKind",
    "Notification",
    "Observation",
    "OutboxMessage",
    "PartnerContact",
    "Preference",
]


class MessageKind(models.TextChoices):
    """What a message or notification is about; each kind has its recipients and its default
    delivery in notifications/topics.py."""

    TEST = "test", _("Test message")
    DIGEST = "overzicht", _("Weekly digest")
    REMINDER = "herinnering", _("Reminder of a quarter's progress updates")
    CRITICAL = "kritiek", _("A region turns critical")
    APPROVAL = "goedkeuring", _("A quarterly report is ready for approval")
    JOB_FAILED = "mislukt", _("A job failed")
    PUBLISHED = "publicatie", _("A quarterly report is published")
    DEPLOYMENT = "inzet", _("Assigned to a deployment")
    CERTIFICATION = "certificering", _("A certification expires soon")
    REVIEW = "beoordeling", _("A product version waits for review")
    MENTION = "vermelding", _("Mentioned in a discussion")
    ACCESS = "toegang", _("Someone waits for access")
    SIGN_IN = "aanmelding", _("A log-in from a new browser")


class Delivery(models.TextChoices):
    """How a user wants a kind of notification: every notification but "off" is kept in the
    application (the Meldingen page); "at once" also sends it by e-mail, "in the digest" lists
    it in the next weekly digest."""

    EMAIL = "direct", _("By e-mail at once")
    DIGEST = "overzicht", _("In the weekly digest")
    APP = "app", _("Only in the application")
    OFF = "uit", _("Off")


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
    # A file sent along (a published report): its name in the default storage, read when the
    # message is sent, so the outbox holds no copy.
    attachment = models.CharField(_("attachment"), max_length=200, blank=True)
    attachment_name = models.CharField(_("attachment's file name"), max_length=200, blank=True)
    unsubscribe_url = models.URLField(_("unsubscribe address"), max_length=500, blank=True)
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


class Notification(models.Model):
    """Something a user is told, kept on their Meldingen page: what it is about (its kind and a
    key, so the same thing is never told twice) and the stable address of its record."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=MessageKind.choices)
    key = models.CharField(_("key"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    # The title and text in every language of the site: {"nl": [title, text], "en": [...]};
    # `title` and `text` hold them in the site's own language (for e-mail and the admin).
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    url = models.CharField(_("address"), max_length=500)
    delivery = models.CharField(_("delivery"), max_length=16, choices=Delivery.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # For "in the digest": when the weekly digest that listed it was put in the outbox.
    digested_at = models.DateTimeField(_("in the digest of"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title

    def _shown(self) -> list[str]:
        return self.translations.get(get_language(), [self.title, self.text])

    @property
    def shown_title(self) -> str:
        """The title in the reader's language."""
        return self._shown()[0]

    @property
    def shown_text(self) -> str:
        return self._shown()[1]


class Preference(models.Model):
    """A user's choice of delivery for one kind; without a row the kind's default holds."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=MessageKind.choices)
    delivery = models.CharField(_("delivery"), max_length=16, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} ({self.get_delivery_display()})"


class PartnerOrganisation(models.TextChoices):
    SZW = "SZW", "SZW"
    VNG = "VNG", "VNG"
    CEDRIS = "Cedris", "Cedris"
    DIVOSA = "Divosa", "Divosa"


@tracked
class PartnerContact(models.Model):
    """Someone at a national partner who receives each published quarterly report by e-mail;
    kept by programme management. A contact who unsubscribes stays on the list, inactive."""

    organisation = models.CharField(
        _("organisation"), max_length=20, choices=PartnerOrganisation.choices
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    active = models.BooleanField(_("receives the reports"), default=True)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        ordering = ["organisation", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["email"], name="one_contact_per_address")]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class Observation(models.Model):
    """The last seen value of something watched for a change (a region's readiness), so a
    scheduled check tells only of what changed since the previous one."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    value = models.CharField(_("value"), max_length=100)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"
