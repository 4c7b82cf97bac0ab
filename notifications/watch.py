"""Scheduled checks for what no event announces: a certification nearing its end."""

import datetime

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from innovation.models import Certification
from notifications.models import MessageKind
from notifications.services import notify

__all__ = ["CERTIFICATION_NOTICE_DAYS", "warn_certifications"]

CERTIFICATION_NOTICE_DAYS = 60


def warn_certifications(day: datetime.date | None = None) -> int:
    """Tell each specialist of their certifications that expire within 60 days, once per
    certification and end date (a renewal moves the date, and the next warning comes in time)."""
    day = day or timezone.localdate()
    expiring = Certification.objects.filter(
        expires_on__range=(day, day + datetime.timedelta(days=CERTIFICATION_NOTICE_DAYS)),
        specialist__is_active=True,
    ).select_related("specialist", "version__product")
    told = 0
    for certification in expiring:
        told += (
            notify(
                certification.specialist,
                MessageKind.CERTIFICATION,
                key=f"certification:{certification.pk}:{certification.expires_on}",
                title=lambda c=certification: (
                    _("Your certification for %(version)s expires on %(date)s")
                    % {"version": c.version, "date": formats.date_format(c.expires_on, "j F Y")}
                ),
                text=lambda: _("Ask the innovation hub about renewing it in time."),
                url=reverse("specialists:profile", args=[certification.specialist_id])
                + "#certifications-heading",
            )
            is not None
        )
    return told
