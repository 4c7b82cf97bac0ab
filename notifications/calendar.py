"""Each user's calendar feed (RFC 5545, the `icalendar` library): the meetings, decision
moments, planned route steps and quarter ends of the regions they follow.

The address carries a secret token; only its SHA-256 is stored (notifications.CalendarFeed), so
a copy of the database does not give anyone's calendar away. Renewing makes a new token and the
old address answers 404 from then on."""

import datetime
import secrets

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from accounts.models import Role
from core.hashing import sha256_hex
from core.quarters import label as quarter_label
from core.quarters import quarter_end
from monitoring.models import Decision, Meeting, RouteStep, StepStatus
from notifications.models import CalendarFeed
from regions.access import regions_visible_to
from regions.models import Region

__all__ = ["calendar_for", "feed_user", "followed_regions", "renew_feed"]

PAST = datetime.timedelta(days=365)
FUTURE = datetime.timedelta(days=2 * 365)


def renew_feed(user) -> str:
    """A new secret token for the user's feed (the old one stops working); shown once."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(user=user, defaults={"token_hash": sha256_hex(token)})
    return token


def feed_user(token: str):
    """The active user whose feed this token opens, or None."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=sha256_hex(token), user__is_active=True)
        .first()
    )
    return feed.user if feed else None


def followed_regions(user):
    """An adviser follows their portfolio; others the regions they may see (a specialist: those
    they work in; programme management and the hub: all); a partner none."""
    if user.role == Role.ADVISER:
        return Region.objects.filter(adviser=user)
    return regions_visible_to(user)


def _event(uid: str, day: datetime.date, summary: str, description: str, url: str) -> Event:
    event = Event()
    event.add("uid", f"{uid}@regiomonitor")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


def calendar_for(user, base_url: str, today: datetime.date | None = None) -> bytes:
    """The feed's content: all-day events from a year ago to two years ahead, in Dutch."""
    today = today or timezone.localdate()
    start, end = today - PAST, today + FUTURE
    regions = followed_regions(user)
    with translation.override(settings.LANGUAGE_CODE):
        cal = Calendar()
        cal.add("prodid", "-//Regiomonitor//Sociale Infrastructuur//NL")
        cal.add("version", "2.0")
        cal.add("x-wr-calname", _("Regiomonitor: %(user)s") % {"user": user})
        cal.add("x-wr-timezone", settings.TIME_ZONE)
        for meeting in Meeting.objects.filter(
            region__in=regions, date__range=(start, end)
        ).select_related("region"):
            region = meeting.region
            cal.add_component(
                _event(
                    f"meeting-{meeting.pk}",
                    meeting.date,
                    f"{meeting.get_kind_display()}: {meeting.title} ({region.name})",
                    meeting.participants,
                    base_url + region.get_absolute_url() + "#section-bijeenkomsten",
                )
            )
        for decision in Decision.objects.filter(
            region__in=regions, date__range=(start, end)
        ).select_related("region"):
            region = decision.region
            cal.add_component(
                _event(
                    f"decision-{decision.pk}",
                    decision.date,
                    _("Decision moment %(body)s: %(subject)s (%(region)s)")
                    % {
                        "body": decision.get_body_display(),
                        "subject": decision.subject,
                        "region": region.name,
                    },
                    "",
                    base_url + region.get_absolute_url() + "#section-besluiten",
                )
            )
        steps = (
            RouteStep.objects.filter(region__in=regions, planned_date__range=(start, end))
            .exclude(status__in=[StepStatus.DONE, StepStatus.DROPPED])
            .select_related("region")
        )
        for step in steps:
            region = step.region
            cal.add_component(
                _event(
                    f"step-{step.pk}",
                    step.planned_date,
                    _("Route step planned: %(title)s (%(region)s)")
                    % {"title": step.title, "region": region.name},
                    step.parties,
                    base_url + region.get_absolute_url() + "#section-processtappen",
                )
            )
        for year in range(start.year, end.year + 1):
            for quarter in range(1, 5):
                day = quarter_end(year, quarter)
                if start <= day <= end:
                    cal.add_component(
                        _event(
                            f"quarter-end-{year}-{quarter}",
                            day,
                            _("End of quarter %(quarter)s: progress updates due")
                            % {"quarter": quarter_label(year, quarter)},
                            "",
                            base_url + "/",
                        )
                    )
    return cal.to_ical()
