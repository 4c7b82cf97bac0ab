"""Telling users (notify: the Meldingen page, and e-mail as each user prefers), putting a
message in the outbox, and handing it to the SMTP server (notifications.tasks)."""

import mimetypes

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from core import jobs
from core.hashing import sha256_hex
from notifications.models import Delivery, Notification, Observation, OutboxMessage
from notifications.topics import TOPICS, delivery_for

__all__ = [
    "absolute",
    "deliver",
    "mark_all_read",
    "mark_read",
    "notify",
    "notify_everyone",
    "observe",
    "queue_message",
    "read_unsubscribe_token",
    "unsubscribe_token",
    "unsubscribe_url",
]

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def absolute(path: str) -> str:
    """The address of `path` for an e-mail (sent by a worker, outside any request)."""
    return settings.SITE_URL.rstrip("/") + path


def queue_message(
    *,
    key: str,
    kind: str,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    recipient=None,
    attachment: str = "",
    attachment_name: str = "",
    unsubscribe: str = "",
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
                attachment=attachment,
                attachment_name=attachment_name,
                unsubscribe_url=unsubscribe,
            )
    except IntegrityError:
        return None
    jobs.enqueue(message)
    return message


def unsubscribe_token(*, user=None, kind: str = "", contact=None) -> str:
    """A signed token that turns one kind off for a user, or stops a partner contact's
    reports, without logging in; it expires after UNSUBSCRIBE_MAX_AGE_DAYS."""
    payload = {"c": contact.pk} if contact is not None else {"u": user.pk, "k": kind}
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> dict | None:
    """The token's payload, or None when it was tampered with or has expired."""
    try:
        return signing.loads(
            token,
            salt=UNSUBSCRIBE_SALT,
            max_age=settings.UNSUBSCRIBE_MAX_AGE_DAYS * 24 * 3600,
        )
    except signing.BadSignature:  # SignatureExpired is one
        return None


def unsubscribe_url(**kwargs) -> str:
    return absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(**kwargs)]))


def _recount(user_pk: int) -> None:
    """Set the header's count to the count of the user's unread notifications: one statement,
    so two notifications made at once, or a read beside a new one, never leave it wrong."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    User.objects.filter(pk=user_pk).update(unread_notifications=Coalesce(Subquery(unread), 0))


def notify(
    user,
    kind: str,
    *,
    key: str,
    title,
    url: str,
    text="",
    template: str = "notifications/notice",
    context: dict | None = None,
    deliveries: tuple[str, ...] | None = None,
) -> Notification | None:
    """Tell `user` of something, once per `key`: kept on their Meldingen page and, as they
    prefer for `kind`, sent by e-mail now (rendered from `template`.html/.txt) or listed in
    their next digest. `title` and `text` are strings, or functions that give them in the
    active language: those are kept in every language of the site, so the Meldingen page
    shows them in the reader's (the e-mail is in the site's: a worker has no request). None
    when the user wants this kind off, or was told of `key` before."""
    delivery = delivery_for(user, kind)
    if deliveries is not None and delivery not in deliveries:
        delivery = Delivery.APP if delivery != Delivery.OFF else delivery
    if delivery == Delivery.OFF or not user.is_active:
        return None
    with transaction.atomic():
        try:
            with transaction.atomic():
                shown = _in_every_language(title, text)
                notification = Notification.objects.create(
                    recipient=user,
                    kind=kind,
                    key=key,
                    title=shown[settings.LANGUAGE_CODE][0],
                    text=shown[settings.LANGUAGE_CODE][1],
                    translations=shown,
                    url=url,
                    delivery=delivery,
                )
        except IntegrityError:
            return None
        _recount(user.pk)
        if delivery == Delivery.EMAIL and user.email:
            _email(user, notification, template, context or {})
    return notification


def _in_every_language(title, text) -> dict[str, list[str]]:
    """{language: [title, text]} for every language of the site."""
    shown = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            shown[code] = [str(part() if callable(part) else part) for part in (title, text)]
    return shown


def notify_everyone(kind: str, *, exclude=None, **kwargs) -> int:
    """`notify` every active user whose role is told of `kind` (notifications/topics.py), but
    `exclude`; returns how many were told."""
    users = User.objects.filter(role__in=TOPICS[kind].roles, is_active=True).order_by("pk")
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return sum(notify(user, kind, **kwargs) is not None for user in users)


def observe(values: dict[str, str]) -> dict[str, str | None]:
    """Keep each value as the last seen value of its key; returns per key the value seen
    before (None the first time). One read for all keys; writes only what changed."""
    seen = dict(Observation.objects.filter(key__in=values).values_list("key", "value"))
    now = timezone.now()
    with transaction.atomic():
        Observation.objects.bulk_create(
            [Observation(key=k, value=v) for k, v in values.items() if k not in seen],
            ignore_conflicts=True,
        )
        for key, value in values.items():
            if key in seen and seen[key] != value:
                Observation.objects.filter(key=key).update(value=value, changed_at=now)
    return {key: seen.get(key) for key in values}


def _email(user, notification: Notification, template: str, context: dict) -> None:
    unsubscribe = unsubscribe_url(user=user, kind=notification.kind)
    context = {
        **context,
        "notification": notification,
        "link": absolute(notification.url),
        "base_url": settings.SITE_URL.rstrip("/"),
        "unsubscribe_url": unsubscribe,
        "preferences_url": absolute(reverse("notifications:preferences")),
        "kind_label": notification.get_kind_display(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        queue_message(
            key=f"notification:{notification.pk}",
            kind=notification.kind,
            to=user.email,
            recipient=user,
            subject=f"Regiomonitor: {notification.title}",
            text=render_to_string(f"{template}.txt", context),
            html=render_to_string(f"{template}.html", context),
            unsubscribe=unsubscribe,
        )


def mark_read(user, notification_pk: int) -> Notification | None:
    """The user's own notification, marked read (404 for anyone else's is the view's)."""
    notification = Notification.objects.filter(recipient=user, pk=notification_pk).first()
    if notification is None:
        return None
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        _recount(user.pk)
    return notification


def mark_all_read(user) -> int:
    changed = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    _recount(user.pk)
    return changed


def message_id(message: OutboxMessage) -> str:
    """The same Message-ID on every attempt, so a receiving system can tell a message that
    arrives again from a new one."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(">") or "regiomonitor"
    return f"<{sha256_hex(message.key)[:32]}.{message.pk}@{domain}>"


def deliver(message: OutboxMessage) -> dict:
    """Hand the message to the SMTP server; raises when the server refuses or is unreachable
    (the job is then retried)."""
    headers = {"Message-ID": message_id(message)}
    if message.unsubscribe_url:
        # RFC 2369 and RFC 8058: a mail program offers "unsubscribe" and posts to the address.
        headers["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers=headers,
        connection=get_connection(fail_silently=False),
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    if message.attachment:
        with default_storage.open(message.attachment, "rb") as stored:
            content_type = mimetypes.guess_type(message.attachment_name)[0]
            email.attach(message.attachment_name, stored.read(), content_type)
    email.send(fail_silently=False)
    return {}
