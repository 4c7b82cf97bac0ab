from binascii import unhexlify

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from demo.data import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = (
        "Print the current second-factor code of the demo users pieter, iris and beheer "
        "(computed from the published demo key only; no other user's code can be printed)."
    )

    def handle(self, *args, **options):
        totp = TOTP(unhexlify(DEMO_TOTP_KEY))
        seconds_left = 30 - int(totp.time) % 30
        self.stdout.write(f"{totp.token():06d}  (valid for {seconds_left} more seconds)")
