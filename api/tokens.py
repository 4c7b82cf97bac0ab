"""Personal API tokens: made (shown once), found by their hash, revoked."""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from api.models import ApiToken
from core.hashing import sha256_hex

__all__ = ["PREFIX", "issue_token", "revoke_token", "token_user"]

# Every token starts with this, so a secret scanner (or a person) recognises one in a log or a
# repository; then 32 random bytes, URL-safe.
PREFIX = "rm_"
# The first characters kept readable, to tell one's tokens apart.
SHOWN = len(PREFIX) + 6
# How often a token's "last used" is written: at most once a minute, so a busy client does not
# write on every request (each write would also make the kept pages render anew).
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


@transaction.atomic
def issue_token(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for the user: the stored row and the plaintext, which is not kept."""
    plaintext = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=plaintext[:SHOWN], token_hash=sha256_hex(plaintext)
    )
    return token, plaintext


def revoke_token(*, token: ApiToken) -> None:
    """End the token now (a second revoke keeps the first moment)."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def token_user(plaintext: str):
    """The active user this token belongs to (and the token), or (None, None) for a wrong,
    revoked or deactivated one. Notes the use, to the minute."""
    if not plaintext.startswith(PREFIX) or len(plaintext) > 100:
        return None, None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(token_hash=sha256_hex(plaintext))
        .first()
    )
    if token is None:
        return None, None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token.user, token
