"""Send one test e-mail through the outbox: does the SMTP configuration work?"""

import uuid

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import MessageKind
from notifications.services import queue_message


class Command(BaseCommand):
    help = "Put a test e-mail for ADDRESS in the outbox; a worker sends it."

    def add_arguments(self, parser):
        parser.add_argument("address")

    def handle(self, *args, address: str, **options):
        try:
            validate_email(address)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        context = {"sent_at": timezone.localtime()}
        with transaction.atomic():
            message = queue_message(
                key=f"test:{uuid.uuid4().hex}",
                kind=MessageKind.TEST,
                to=address,
                subject=_("Regiomonitor: test message"),
                text=render_to_string("notifications/test_email.txt", context),
                html=render_to_string("notifications/test_email.html", context),
            )
        self.stdout.write(f"Outgoing e-mail {message.pk} for {address} is in the outbox.")
