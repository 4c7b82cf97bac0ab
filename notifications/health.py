"""The outbox's line on the health page: e-mail waiting, and e-mail that could not be sent."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.jobs import JobState, waiting_summary
from notifications.models import OutboxMessage

__all__ = ["LABEL", "outbox_probe"]

LABEL = gettext_lazy("Outgoing e-mail")


def outbox_probe() -> tuple[bool, str]:
    """Fine unless a message waits longer than JOBS_RESEND_AFTER_SECONDS or one failed for good
    in the last seven days (the beheerder finds it, and why, in the admin)."""
    summary = waiting_summary((OutboxMessage,))
    week_ago = timezone.now() - timedelta(days=7)
    failed = OutboxMessage.objects.filter(state=JobState.FAILED, finished_at__gte=week_ago).count()
    parts = [
        ngettext("%(n)d waiting", "%(n)d waiting", summary["waiting"]) % {"n": summary["waiting"]},
        ngettext("%(n)d not sent in the last 7 days", "%(n)d not sent in the last 7 days", failed)
        % {"n": failed},
    ]
    if summary["oldest"]:
        parts.append(_("oldest waiting %(age)s") % {"age": timesince(summary["oldest"])})
    age = summary["oldest_seconds"]
    fine = failed == 0 and (age is None or age <= settings.JOBS_RESEND_AFTER_SECONDS)
    return fine, ", ".join(parts)
