"""The authenticator app's side of the second factor, written out from RFC 6238 (TOTP over RFC
4226's HOTP, SHA-1, 6 digits, 30-second steps) so the tests check the app against the standard,
not against the library it uses."""

import base64
import hashlib
import hmac
import re
import struct
import time

from django_otp.plugins.otp_totp.models import TOTPDevice

STEP = 30


def code_at(secret_base32: str, step: int) -> str:
    key = base64.b32decode(secret_base32.replace(" ", "").upper())
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def current_step() -> int:
    return int(time.time()) // STEP


def code_now(secret_base32: str) -> str:
    return code_at(secret_base32, current_step())


def secret_of(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def fresh_code(user) -> str:
    """A code the user's app would show that the device has not accepted yet: an app shows a new
    code every 30 seconds and the server takes each code once, so a second log-in within the
    same step waits for the next one (the server accepts one step ahead as well)."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    step = current_step()
    if device.last_t >= step:
        step = device.last_t + 1
        if step > current_step() + 1:
            time.sleep((step - 1) * STEP - time.time() + 0.1)
    return code_at(secret_of(device), step)


def secret_shown(page_html: str) -> str:
    """The key the set-up page shows to type into an app by hand."""
    match = re.search(r'id="totp-secret">([A-Z2-7 ]+)</code>', page_html)
    assert match, "the set-up page shows no key to type"
    return match.group(1).replace(" ", "")
