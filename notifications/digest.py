"""What an adviser is told about their portfolio: the weekly digest (Monday morning) and the
reminders 14 and 3 days before a quarter ends. Each message goes through the outbox under a key
of adviser and week (or quarter and day), so a second run of the scheduler sends nothing new."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Role, User
from core.quarters import current_quarter, quarter_end
from core.quarters import label as quarter_label
from monitoring.models import Decision, ProgressUpdate, RouteStep, Signal, SignalStatus
from notifications.models import Delivery, MessageKind, Notification
from notifications.services import absolute, notify, queue_message, unsubscribe_url
from notifications.topics import TOPICS, delivery_for
from regions.models import Region
from specialists.models import WAITING_DAYS, Deployment, DeploymentStatus

__all__ = [
    "REMINDER_DAYS",
    "Digest",
    "digest_for",
    "missing_updates",
    "send_digests",
    "send_reminders",
]

DECISIONS_AHEAD = 14  # days
REMINDER_DAYS = (14, 3)  # before a quarter's last day


@dataclass
class Digest:
    """One adviser's week: per kind the records that need them, each with its region."""

    adviser: User
    day: datetime.date
    quarter: str
    without_update: list[Region] = field(default_factory=list)
    late_steps: list[RouteStep] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    waiting_requests: list[Deployment] = field(default_factory=list)
    open_signals: list[Signal] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.without_update
            or self.late_steps
            or self.decisions
            or self.waiting_requests
            or self.open_signals
        )


def missing_updates(regions, year: int, quarter: int) -> list[Region]:
    """The regions among `regions` without a progress update for that quarter."""
    done = ProgressUpdate.objects.filter(region__in=regions, year=year, quarter=quarter)
    return list(regions.exclude(pk__in=done.values("region")).order_by("name"))


def digest_for(adviser: User, day: datetime.date) -> Digest:
    """What the adviser's portfolio needs on `day` (their own regions only)."""
    regions = Region.objects.filter(adviser=adviser)
    year, quarter = current_quarter(day)
    waiting_since = timezone.make_aware(
        datetime.datetime.combine(day - datetime.timedelta(days=WAITING_DAYS), datetime.time())
    )
    return Digest(
        adviser=adviser,
        day=day,
        quarter=quarter_label(year, quarter),
        without_update=missing_updates(regions, year, quarter),
        late_steps=list(
            RouteStep.objects.filter(RouteStep.late_on(day), region__in=regions)
            .select_related("region")
            .order_by("region__name", "planned_date")
        ),
        decisions=list(
            Decision.objects.filter(
                region__in=regions,
                date__range=(day, day + datetime.timedelta(days=DECISIONS_AHEAD)),
            )
            .select_related("region")
            .order_by("date")
        ),
        waiting_requests=list(
            Deployment.objects.filter(
                region__in=regions,
                status=DeploymentStatus.REQUESTED,
                requested_at__lt=waiting_since,
            )
            .select_related("region")
            .order_by("requested_at")
        ),
        open_signals=list(
            Signal.objects.filter(
                region__in=regions, status__in=[SignalStatus.OPEN, SignalStatus.PASSED_ON]
            )
            .select_related("region")
            .order_by("region__name", "pk")
        ),
    )


def _advisers():
    return User.objects.filter(role=Role.ADVISER, is_active=True).exclude(email="")


def _for_digest(user):
    """The user's notifications that wait for their next digest ("in the digest")."""
    return Notification.objects.filter(
        recipient=user, delivery=Delivery.DIGEST, digested_at__isnull=True
    ).order_by("created_at", "pk")


def send_digests(day: datetime.date | None = None) -> int:
    """Put this week's digest of every user with something to tell in the outbox (an adviser's
    portfolio, and whatever notifications anyone wants in the digest), unless they turned the
    digest off; returns how many were new."""
    day = day or timezone.localdate()
    year, week, _weekday = day.isocalendar()
    waiting = Notification.objects.filter(delivery=Delivery.DIGEST, digested_at__isnull=True)
    users = (
        User.objects.filter(is_active=True, role__in=TOPICS[MessageKind.DIGEST].roles)
        .filter(Q(role=Role.ADVISER) | Q(pk__in=waiting.values("recipient")))
        .exclude(email="")
        .order_by("pk")
    )
    made = 0
    for user in users:
        if delivery_for(user, MessageKind.DIGEST) == Delivery.OFF:
            continue
        digest = digest_for(user, day) if user.is_adviser else Digest(user, day, "")
        with transaction.atomic():
            notifications = list(_for_digest(user).select_for_update())
            if digest.empty and not notifications:
                continue
            unsubscribe = unsubscribe_url(user=user, kind=MessageKind.DIGEST)
            context = {
                "digest": digest,
                "notifications": notifications,
                "base_url": settings.SITE_URL.rstrip("/"),
                "unsubscribe_url": unsubscribe,
                "preferences_url": absolute(reverse("notifications:preferences")),
            }
            with translation.override(settings.LANGUAGE_CODE):
                message = queue_message(
                    key=f"digest:{user.pk}:{year}-W{week:02d}",
                    kind=MessageKind.DIGEST,
                    to=user.email,
                    recipient=user,
                    subject=(
                        _("Regiomonitor: your portfolio in week %(week)d")
                        if user.is_adviser
                        else _("Regiomonitor: your notifications of week %(week)d")
                    )
                    % {"week": week},
                    text=render_to_string("notifications/digest.txt", context),
                    html=render_to_string("notifications/digest.html", context),
                    unsubscribe=unsubscribe,
                )
            if message is not None:
                Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
                    digested_at=timezone.now()
                )
                made += 1
    return made


def send_reminders(day: datetime.date | None = None) -> int:
    """14 and 3 days before a quarter's last day: remind each adviser of their regions without
    that quarter's progress update (on their Meldingen page, and by e-mail or in the digest as
    they prefer). Returns how many reminders were new."""
    day = day or timezone.localdate()
    year, quarter = current_quarter(day)
    deadline = quarter_end(year, quarter)
    days_left = (deadline - day).days
    if days_left not in REMINDER_DAYS:
        return 0
    label = quarter_label(year, quarter)

    def title():  # in each language of the site (notifications.services.notify)
        return ngettext(
            "Progress updates for %(quarter)s due in %(days)d day",
            "Progress updates for %(quarter)s due in %(days)d days",
            days_left,
        ) % {"quarter": label, "days": days_left}

    made = 0
    for adviser in User.objects.filter(role=Role.ADVISER, is_active=True):
        regions = missing_updates(Region.objects.filter(adviser=adviser), year, quarter)
        if not regions:
            continue
        made += (
            notify(
                adviser,
                MessageKind.REMINDER,
                key=f"reminder:{year}-Q{quarter}:{days_left}",
                title=title,
                text=", ".join(region.name for region in regions),
                url=reverse("regions:portfolio"),
                template="notifications/reminder",
                context={
                    "adviser": adviser,
                    "regions": regions,
                    "quarter": label,
                    "deadline": deadline,
                    "days_left": days_left,
                },
            )
            is not None
        )
    return made
