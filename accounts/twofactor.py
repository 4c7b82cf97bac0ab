"""The second factor: an authenticator app (TOTP, RFC 6238, django-otp's device) and one-time
recovery codes of our own, of which only a SHA-256 is kept.

A session has passed the second factor when ``request.session[PASSED]`` names how; the check after
log-in (accounts.middleware) reads only the session and the user row, so pages spend no query on
it. Wrong codes count as failed log-ins for django-axes, which locks the account for the address
after settings.AXES_FAILURE_LIMIT of them, as wrong passwords do.
"""

import secrets
from binascii import unhexlify

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import signals
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import RecoveryCode, User
from accounts.sessions import follow_new_key
from core.hashing import sha256_hex

__all__ = [
    "PASSED",
    "confirm_app",
    "has_passed",
    "is_locked_out",
    "make_recovery_codes",
    "mark_passed",
    "pending_config_url",
    "pending_key",
    "remove_second_factor",
    "unused_recovery_codes",
    "verify",
]

PASSED = "second_factor"


class Method:
    APP = "totp"
    RECOVERY_CODE = "recovery"
    PROVIDER = "provider"  # the OpenID Connect provider's own second factor (its amr claim)


def has_passed(request) -> bool:
    return bool(request.session.get(PASSED))


def mark_passed(request, *, method: str) -> None:
    """The session has passed the second factor; a new session key, as after a log-in."""
    old_key = request.session.session_key
    request.session.cycle_key()
    follow_new_key(old_key, request.session.session_key)
    request.session[PASSED] = method


def pending_key(request) -> str:
    """The key (hex) of the app being set up. Derived from this session and user, so the page
    shows the same key when reloaded and nothing is stored before the app is confirmed; a new
    session (the next log-in, or passing the second factor) gives a new key."""
    return salted_hmac(
        "accounts.twofactor.pending-app", f"{request.session.session_key}:{request.user.pk}"
    ).hexdigest()[:40]


def pending_config_url(request) -> str:
    """The otpauth:// address an authenticator app scans (django-otp's format)."""
    return TOTPDevice(user=request.user, key=pending_key(request)).config_url


def confirm_app(*, request, code: str) -> list[str] | None:
    """Confirm the app being set up with a code it shows. Returns fresh recovery codes (to show
    once), or None when the code is wrong. The new app replaces any earlier one."""
    key = pending_key(request)
    totp = TOTP(unhexlify(key))
    digits = _digits(code)
    if not (_looks_like_app_code(code) and totp.verify(int(digits), tolerance=1)):
        _failed(request, request.user)
        return None
    user = request.user
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        # The code just used is spent: the device takes only later ones (django-otp's last_t).
        TOTPDevice.objects.create(user=user, name="app", key=key, confirmed=True, last_t=totp.t())
        User.objects.filter(pk=user.pk).update(second_factor_enabled=True)
        user.second_factor_enabled = True
        codes = make_recovery_codes(user=user)
    mark_passed(request, method=Method.APP)
    return codes


def verify(request, code: str) -> bool:
    """Check a code from the app or a recovery code for the logged-in user; mark the session
    passed when it holds, count a failure for axes when it does not."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None and _looks_like_app_code(code) and device.verify_token(_digits(code)):
        mark_passed(request, method=Method.APP)
        return True
    if not _looks_like_app_code(code) and _use_recovery_code(user=user, code=code):
        mark_passed(request, method=Method.RECOVERY_CODE)
        return True
    _failed(request, user)
    return False


def is_locked_out(request, user: User) -> bool:
    return not AxesProxyHandler.is_allowed(request, {"username": user.get_username()})


def make_recovery_codes(*, user: User) -> list[str]:
    """New recovery codes in place of the old ones; the plain codes exist only in the return
    value. 50 random bits each, written as two groups of five characters."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
    codes = [
        "".join(secrets.choice(alphabet) for _ in range(10))
        for _ in range(settings.RECOVERY_CODE_COUNT)
    ]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, code_hash=sha256_hex(code)) for code in codes
        )
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def unused_recovery_codes(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def remove_second_factor(*, user: User) -> None:
    """Remove the app and the recovery codes (the user, for an optional factor, or a beheerder
    for someone who lost their phone). A required factor is asked for again at the next page."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        User.objects.filter(pk=user.pk).update(second_factor_enabled=False)
    user.second_factor_enabled = False


def _use_recovery_code(*, user: User, code: str) -> bool:
    """Spend a recovery code: one update that only an unused code matches, so the same code
    never works twice, not even from two requests at once."""
    normalised = "".join(code.lower().split()).replace("-", "")
    if not normalised:
        return False
    spent = RecoveryCode.objects.filter(
        user=user, code_hash=sha256_hex(normalised), used_at__isnull=True
    ).update(used_at=timezone.now())
    return spent == 1


def _digits(code: str) -> str:
    return "".join(code.split())


def _looks_like_app_code(code: str) -> bool:
    digits = _digits(code)
    return digits.isdigit() and len(digits) == 6


def _failed(request, user: User) -> None:
    """A wrong code is a failed log-in for axes (and for whoever listens to the signal)."""
    signals.user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
