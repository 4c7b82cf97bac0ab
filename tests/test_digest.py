"""The advisers' weekly digest and the quarter reminders (notifications/digest.py), built with
factories: exactly their own portfolio, once per week or reminder day, on the beat schedule."""

import datetime

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.utils import timezone

from monitoring.models import Decision, ProgressUpdate, Signal, SignalStatus
from notifications.digest import digest_for, send_digests, send_reminders
from notifications.models import MessageKind, Notification, OutboxMessage
from notifications.tasks import send_message
from regions.models import Region
from tests.conftest import FOREIGN_REGION, OWN_REGION, SECOND_OWN_REGION
from tests.factories import DeploymentFactory

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 11, 30)


@pytest.fixture
def portfolios(personas):
    """For Alice's region and Bob's alike: a decision next week, a request waiting three weeks,
    an open signal (and the late route step every persona region has)."""
    made = {}
    for code in (OWN_REGION, FOREIGN_REGION):
        region = Region.objects.get(code=code)
        made[code] = {
            "decision": Decision.objects.create(
                region=region,
                body="raad",
                subject=f"Toekomstplan {region.name}",
                date=MONDAY + datetime.timedelta(days=7),
            ),
            "request": DeploymentFactory(
                region=region,
                requested=True,
                specialist=None,
                requested_by=personas.alice if code == OWN_REGION else personas.bob,
                requested_at=timezone.make_aware(
                    datetime.datetime.combine(
                        MONDAY - datetime.timedelta(days=21), datetime.time(9)
                    )
                ),
            ),
            "signal": Signal.objects.create(
                region=region,
                title=f"Signaal uit {region.name}",
                status=SignalStatus.OPEN,
                raised_on=MONDAY - datetime.timedelta(days=10),
            ),
        }
    # A decision beyond the fortnight, and a request of last week: not yet in the digest.
    Decision.objects.create(
        region=Region.objects.get(code=OWN_REGION),
        body="college",
        subject="Later besluit",
        date=MONDAY + datetime.timedelta(days=30),
    )
    DeploymentFactory(region=Region.objects.get(code=OWN_REGION), requested=True, specialist=None)
    return made


def test_an_advisers_digest_holds_exactly_their_portfolio(personas, portfolios):
    ProgressUpdate.objects.create(
        region=Region.objects.get(code=OWN_REGION),
        year=2026,
        quarter=4,
        status="op_koers",
        narrative="Op schema.",
        author=personas.alice,
    )
    digest = digest_for(personas.alice, MONDAY)
    own = portfolios[OWN_REGION]
    assert [r.code for r in digest.without_update] == [SECOND_OWN_REGION]
    assert digest.late_steps == [personas.own_step]
    assert digest.decisions == [own["decision"]]
    assert digest.waiting_requests == [own["request"]]
    assert digest.open_signals == [own["signal"]]
    other = digest_for(personas.bob, MONDAY)
    assert other.late_steps == [personas.foreign_step]
    assert other.decisions == [portfolios[FOREIGN_REGION]["decision"]]


def test_one_digest_per_adviser_and_week_with_only_their_regions(personas, portfolios, smtp_server):
    assert send_digests(MONDAY) == 2
    assert send_digests(MONDAY + datetime.timedelta(days=2)) == 0  # the same week
    message = OutboxMessage.objects.get(recipient=personas.alice)
    assert message.kind == MessageKind.DIGEST and message.to == personas.alice.email
    assert message.subject == "Regiomonitor: uw portefeuille in week 49"
    own, foreign = Region.objects.get(code=OWN_REGION), Region.objects.get(code=FOREIGN_REGION)
    assert own.name in message.text and foreign.name not in message.text
    assert f"Signaal uit {own.name}" in message.text and "Later besluit" not in message.text
    assert f"{settings.SITE_URL}/regios/{OWN_REGION}/#progress" in message.text
    send_message.apply(args=[message.pk])
    [received] = smtp_server.messages()
    html = received.get_body(("html",)).get_content()
    assert "<h1" in html and "Nog geen voortgangsupdate voor 2026 Q4" in html
    assert "<img" not in html
    assert send_digests(MONDAY + datetime.timedelta(days=7)) == 2  # next week: new digests


def test_reminders_go_14_and_3_days_before_the_quarter_ends_for_regions_without_update(
    personas,
):
    ProgressUpdate.objects.create(
        region=Region.objects.get(code=FOREIGN_REGION),
        year=2026,
        quarter=4,
        status="op_koers",
        narrative="Op schema.",
        author=personas.bob,
    )
    assert send_reminders(datetime.date(2026, 12, 16)) == 0  # 15 days before
    assert send_reminders(datetime.date(2026, 12, 17)) == 1  # 14 days: Alice only
    assert send_reminders(datetime.date(2026, 12, 17)) == 0  # once
    assert send_reminders(datetime.date(2026, 12, 28)) == 1  # 3 days
    reminders = OutboxMessage.objects.filter(kind=MessageKind.REMINDER)
    assert {m.recipient for m in reminders} == {personas.alice}
    told = Notification.objects.get(recipient=personas.alice, key__endswith=":14")
    first = reminders.get(key=f"notification:{told.pk}")
    assert "over 14 dagen" in first.subject and "31 december 2026" in first.text
    for code in (OWN_REGION, SECOND_OWN_REGION):
        assert Region.objects.get(code=code).name in first.text


def test_the_beat_schedule_sends_digests_on_monday_and_reminders_each_morning():
    schedule = settings.CELERY_BEAT_SCHEDULE
    digests, reminders = schedule["adviser-digests"], schedule["quarter-reminders"]
    assert digests["task"] == "notifications.send_digests"
    assert digests["schedule"] == crontab(minute=0, hour=7, day_of_week="mon")
    assert reminders["task"] == "notifications.send_reminders"
    assert reminders["schedule"] == crontab(minute=5, hour=7)
