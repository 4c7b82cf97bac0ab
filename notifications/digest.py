"""What an adviser is told about their portfolio: the weekly digest (Monday morning) and the
reminders 14 and 3 days before a quarter ends. Each message goes through the outbox under a key
of adviser and week (or quarter and day), so a second run of the scheduler sends nothing new."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.quarters import current_quarter, quarter_end
from core.quarters import label as quarter_label
from monitoring.models import Decision, ProgressUpdate, RouteStep, Signal, SignalStatus
from notifications.models import MessageKind
from notifications.services import queue_message
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


def _queue_for(adviser, *, key: str, kind: str, subject: str, template: str, context) -> bool:
    """One message for an adviser, in HTML and plain text from `template`.html/.txt; False
    when its key was queued before."""
    context = {**context, "base_url": settings.SITE_URL.rstrip("/")}
    with transaction.atomic():
        message = queue_message(
            key=key,
            kind=kind,
            to=adviser.email,
            recipient=adviser,
            subject=subject,
            text=render_to_string(f"{template}.txt", context),
            html=render_to_string(f"{template}.html", context),
        )
    return message is not None


def send_digests(day: datetime.date | None = None) -> int:
    """Put this week's digest of every adviser with something to tell in the outbox; returns
    how many were new."""
    day = day or timezone.localdate()
    year, week, _weekday = day.isocalendar()
    made = 0
    for adviser in _advisers():
        digest = digest_for(adviser, day)
        if digest.empty:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            made += _queue_for(
                adviser,
                key=f"digest:{adviser.pk}:{year}-W{week:02d}",
                kind=MessageKind.DIGEST,
                subject=_("Regiomonitor: your portfolio in week %(week)d") % {"week": week},
                template="notifications/digest",
                context={"digest": digest},
            )
    return made


def send_reminders(day: datetime.date | None = None) -> int:
    """14 and 3 days before a quarter's last day: remind each adviser of their regions without
    that quarter's progress update. Returns how many reminders were new."""
    day = day or timezone.localdate()
    year, quarter = current_quarter(day)
    deadline = quarter_end(year, quarter)
    days_left = (deadline - day).days
    if days_left not in REMINDER_DAYS:
        return 0
    label = quarter_label(year, quarter)
    made = 0
    for adviser in _advisers():
        regions = missing_updates(Region.objects.filter(adviser=adviser), year, quarter)
        if not regions:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            made += _queue_for(
                adviser,
                key=f"reminder:{adviser.pk}:{year}-Q{quarter}:{days_left}",
                kind=MessageKind.REMINDER,
                subject=_("Regiomonitor: progress updates for %(quarter)s due in %(days)d days")
                % {"quarter": label, "days": days_left},
                template="notifications/reminder",
                context={
                    "adviser": adviser,
                    "regions": regions,
                    "quarter": label,
                    "deadline": deadline,
                    "days_left": days_left,
                },
            )
    return made
