"""Each user's secret iCal feed: it parses back with icalendar, holds the events of the regions
they follow and nothing of others, and a wrong or renewed token gets 404."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from monitoring.models import Decision, Meeting, RouteStep, StepStatus
from notifications.calendar import renew_feed
from notifications.models import CalendarFeed
from regions.models import Region
from tests.conftest import FOREIGN_REGION, OWN_REGION
from tests.factories import MeetingFactory, RouteStepFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 3)


def events(client, token) -> dict[str, tuple[datetime.date, str]]:
    response = client.get(reverse("notifications:feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {
        str(event["uid"]): (event.decoded("dtstart"), str(event["summary"]))
        for event in calendar.walk("VEVENT")
    }


def test_the_feed_holds_the_followed_regions_events_and_quarter_ends(client, personas):
    own, foreign = Region.objects.get(code=OWN_REGION), Region.objects.get(code=FOREIGN_REGION)
    meeting = MeetingFactory(region=own, title="Intervisie adviseurs", date=TODAY)
    MeetingFactory(region=foreign, title="Niet van Alice", date=TODAY)
    decision = Decision.objects.create(
        region=own, body="raad", subject="Toekomstplan", date=datetime.date(2026, 12, 17)
    )
    planned = RouteStepFactory(region=own, title="Raadsvoorstel", planned_date=TODAY)
    RouteStepFactory(region=own, title="Al klaar", planned_date=TODAY, status=StepStatus.DONE)
    token = renew_feed(personas.alice)
    found = events(client, token)  # no log-in: the token is the key
    assert found[f"meeting-{meeting.pk}@regiomonitor"] == (
        TODAY,
        f"Intervisie: Intervisie adviseurs ({own.name})",
    )
    assert found[f"decision-{decision.pk}@regiomonitor"][0] == datetime.date(2026, 12, 17)
    assert "Besluitmoment" in found[f"decision-{decision.pk}@regiomonitor"][1]
    step = found[f"step-{planned.pk}@regiomonitor"]
    assert step[1] == f"Processtap gepland: Raadsvoorstel ({own.name})"
    assert found["quarter-end-2026-4@regiomonitor"][0] == datetime.date(2026, 12, 31)
    summaries = " ".join(summary for _day, summary in found.values())
    assert "Niet van Alice" not in summaries and "Al klaar" not in summaries
    assert RouteStep.objects.filter(region=foreign).exists()
    assert not any(foreign.name in summary for _day, summary in found.values())
    assert Meeting.objects.filter(region=foreign).exists()


def test_only_the_tokens_hash_is_stored_and_renewing_ends_the_old_address(client, personas):
    old = renew_feed(personas.alice)
    assert old not in CalendarFeed.objects.get().token_hash
    new = renew_feed(personas.alice)
    assert client.get(reverse("notifications:feed", args=[old])).status_code == 404
    assert client.get(reverse("notifications:feed", args=[new])).status_code == 200
    assert client.get(reverse("notifications:feed", args=["geraden"])).status_code == 404
    personas.alice.is_active = False
    personas.alice.save()
    assert client.get(reverse("notifications:feed", args=[new])).status_code == 404


def test_the_page_shows_a_new_address_once(client, personas):
    client.force_login(personas.alice)
    page = client.get(reverse("notifications:calendar")).content.decode()
    assert "Mijn agenda-adres maken" in page
    made = client.post(reverse("notifications:calendar")).content.decode()
    assert "/agenda/" in made and ".ics" in made and "maar één keer" in made
    again = client.get(reverse("notifications:calendar")).content.decode()
    assert ".ics" not in again and "Nieuw adres maken" in again
