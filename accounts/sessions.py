"""Signed-in sessions: each log-in is a row (SignIn) the user sees on the security page and may
end; a log-in from a browser the user has not used before is announced (new_browser_sign_in,
told by e-mail through the notifications outbox).

A browser is known by a random id in a long-lived, signed cookie; only its SHA-256 is kept. The
very first sign-in of a user is not announced: there is no earlier browser to compare with.
"""

import secrets

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone

from accounts.models import KnownBrowser, SignIn, User
from core.hashing import sha256_hex

__all__ = [
    "BROWSER_COOKIE",
    "active_sign_ins",
    "end_other_sign_ins",
    "end_sign_in",
    "follow_new_key",
    "new_browser_sign_in",
    "signed_in",
    "signed_out",
]

BROWSER_COOKIE = "rm_browser"
BROWSER_COOKIE_SALT = "accounts.sessions.browser"
BROWSER_COOKIE_AGE = 2 * 365 * 24 * 60 * 60

# Sent when a user signs in from a browser they have not used before (not their first ever):
# sender=User, user=<the user>, sign_in=<the SignIn>.
new_browser_sign_in = Signal()


def signed_in(request, user: User, response):
    """After a log-in through our pages (password or single sign-on): keep the session's row
    and tell the user of a browser they have not used before. The browser's id cookie is set on
    `response`, which is returned."""
    sign_in, _created = SignIn.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "user_agent": request.headers.get("user-agent", "")[:300],
            "ip_address": request.META.get("REMOTE_ADDR") or None,
        },
    )
    browser_id = request.get_signed_cookie(BROWSER_COOKIE, default="", salt=BROWSER_COOKIE_SALT)
    if not browser_id:
        browser_id = secrets.token_urlsafe(24)
        response.set_signed_cookie(
            BROWSER_COOKIE,
            browser_id,
            salt=BROWSER_COOKIE_SALT,
            max_age=BROWSER_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    seen_before = KnownBrowser.objects.filter(user=user).exists()
    try:
        with transaction.atomic():
            KnownBrowser.objects.create(user=user, browser_hash=sha256_hex(browser_id))
    except IntegrityError:
        return response  # a browser this user logged in from before
    if seen_before:
        new_browser_sign_in.send(sender=User, user=user, sign_in=sign_in)
    return response


def signed_out(request) -> None:
    if request.session.session_key:
        SignIn.objects.filter(session_key=request.session.session_key).delete()


def follow_new_key(old_key: str | None, new_key: str | None) -> None:
    """A session's key changed (after the second factor): its row follows."""
    if old_key and new_key and old_key != new_key:
        SignIn.objects.filter(session_key=old_key).update(session_key=new_key)


def active_sign_ins(user: User):
    """The user's sessions that have not ended or expired, newest first."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return SignIn.objects.filter(user=user, session_key__in=live)


def end_sign_in(sign_in: SignIn) -> None:
    """End the session at once: its row in the session store goes, so its cookie logs in no
    more."""
    with transaction.atomic():
        Session.objects.filter(session_key=sign_in.session_key).delete()
        sign_in.delete()


def end_other_sign_ins(user: User, *, keep: str) -> int:
    others = list(SignIn.objects.filter(user=user).exclude(session_key=keep))
    for sign_in in others:
        end_sign_in(sign_in)
    return len(others)
