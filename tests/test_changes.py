"""What changed: a region's and a portfolio's changes since the reader's previous visit (or a
chosen day), built across real visits; the audit history's times come from the database, so the
visit tests run outside one test transaction (each save commits, at its own moment).

The pages are read in English (the source strings), so these tests do not depend on the state
of the Dutch catalogue."""

import datetime
import re

import pghistory
import pytest
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Meeting, RouteStep
from regions.models import Region
from tests.conftest import FOREIGN_REGION, OWN_REGION, SECOND_OWN_REGION
from tests.factories import MeetingFactory, RouteStepFactory
from workspace import visits
from workspace.changes import CAP
from workspace.models import Visit

SUMMARY = {"HX-Request": "true", "HX-Target": "changes-summary"}


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def entries(html: str) -> list[str]:
    """The listed changes' headings as text."""
    items = re.findall(r'<li class="rm-event[^"]*">\s*<p>(.*?)</p>', html, re.S)
    return [text(item) for item in items]


def region_page(client, code=OWN_REGION):
    assert client.get(reverse("regions:detail", args=[code])).status_code == 200


def changes(client, code=OWN_REGION, **params) -> str:
    response = client.get(reverse("regions:changes", args=[code]), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def every_opening_a_visit(monkeypatch):
    """Openings seconds apart count as separate visits here (normally 30 minutes apart)."""
    monkeypatch.setattr(visits, "SAME_VISIT", datetime.timedelta(0))


@pytest.mark.django_db(transaction=True)
def test_what_changed_since_the_previous_visit_across_three_visits(
    client, personas, every_opening_a_visit
):
    region = Region.objects.get(code=OWN_REGION)
    step = personas.own_step
    old_meeting = MeetingFactory(region=region, title="Oude kennissessie")
    client.force_login(personas.alice)

    region_page(client)  # visit 1: nothing earlier recorded
    assert Visit.objects.get(user=personas.alice, region=region).previous_at is None
    first = changes(client)
    assert "in the last 7 days (no earlier visit recorded)" in first

    # Meanwhile Bob changes a step, adds a meeting and removes one; Alice edits a step herself.
    with pghistory.context(user=personas.bob.pk):
        RouteStep.objects.filter(pk=step.pk).update(title="Besluit voorbereiden", version=2)
        RouteStep.objects.get(pk=step.pk).save()  # no change: not listed
        stored = RouteStep.objects.get(pk=step.pk)
        stored.status = "afgerond"
        stored.save()
        MeetingFactory(region=region, title="Intervisie van Bob")
        Meeting.objects.get(pk=old_meeting.pk).delete()
        MeetingFactory(region=Region.objects.get(code=FOREIGN_REGION), title="Elders")
    with pghistory.context(user=personas.alice.pk):
        RouteStepFactory(region=region, title="Eigen stap van Alice")

    region_page(client)  # visit 2
    html = changes(client)
    shown = entries(html)
    assert len(shown) == 4, shown
    assert "4 changes since your previous visit" in text(html)
    assert "1 added, 2 changed, 1 removed" in text(html)
    assert any(e.startswith("Meeting “Intervisie van Bob” created — Bob Bakker") for e in shown)
    assert any(e.startswith("Meeting “Oude kennissessie” deleted — Bob Bakker") for e in shown)
    changed = [e for e in shown if "“Besluit voorbereiden” changed — Bob Bakker" in e]
    assert len(changed) == 2, shown
    rows = text(html)
    assert f"Step {step.title} Besluit voorbereiden" in rows  # field, before, after
    assert "Status Planned Done" in rows
    assert "Eigen stap van Alice" not in html and "Elders" not in html
    # Grouped by what happened.
    headings = re.findall(r'<h3 class="utrecht-heading-3">(.*?) <span', html)
    assert headings == ["Added", "Changed", "Removed"]

    # The summary the region page loads after itself.
    summary = text(
        client.get(reverse("regions:changes", args=[OWN_REGION]), headers=SUMMARY).content.decode()
    )
    assert "4 changes by others (1 added, 2 changed, 1 removed)" in summary
    assert "<html" not in summary

    # Her own changes only when she asks.
    own = changes(client, eigen="on")
    assert len(entries(own)) == 5 and "Eigen stap van Alice" in own
    assert "your own included" in text(own)

    region_page(client)  # visit 3: nothing new since visit 2
    html = changes(client)
    assert entries(html) == [] and "No changes since your previous visit" in text(html)
    summary = client.get(reverse("regions:changes", args=[OWN_REGION]), headers=SUMMARY)
    assert "nothing changed by others" in text(summary.content.decode())

    # A chosen day: everything from its start, whoever the last visit was.
    today = timezone.localdate().isoformat()
    html = changes(client, sinds=today)
    shown = entries(html)
    assert any("“Oude kennissessie” created" in e for e in shown), shown
    assert any("“Intervisie van Bob” created" in e for e in shown)
    assert not any("Eigen stap van Alice" in e for e in shown)


@pytest.mark.django_db(transaction=True)
def test_the_portfolio_lists_the_changes_per_region_since_its_previous_visit(
    client, personas, every_opening_a_visit
):
    client.force_login(personas.alice)
    assert client.get(reverse("regions:portfolio")).status_code == 200  # visit 1
    with pghistory.context(user=personas.bob.pk):
        MeetingFactory(region=Region.objects.get(code=OWN_REGION), title="In Groningen")
        MeetingFactory(region=Region.objects.get(code=SECOND_OWN_REGION), title="In Friesland")
        MeetingFactory(region=Region.objects.get(code=FOREIGN_REGION), title="In Drenthe")
    # Opening a region page is no visit of the portfolio.
    region_page(client)
    assert client.get(reverse("regions:portfolio")).status_code == 200  # visit 2
    html = client.get(reverse("regions:portfolio_changes")).content.decode()
    assert "In Groningen" in html and "In Friesland" in html and "In Drenthe" not in html
    regions = re.findall(r'<h2 class="utrecht-heading-2" id="changes-(AM\d\d)">', html)
    assert regions == [SECOND_OWN_REGION, OWN_REGION]  # Friesland, Groningen: by name
    assert "2 changes since your previous visit" in text(html)
    summary = client.get(reverse("regions:portfolio_changes"), headers=SUMMARY)
    assert "2 changes by others" in text(summary.content.decode())
    assert client.get(reverse("regions:portfolio")).status_code == 200  # visit 3
    html = client.get(reverse("regions:portfolio_changes")).content.decode()
    assert entries(html) == [] and "No changes" in html


@pytest.mark.django_db
def test_openings_close_together_are_one_visit(personas):
    region = Region.objects.get(code=OWN_REGION)
    start = timezone.now() - datetime.timedelta(days=2)
    visits.record_visit(user=personas.alice, region=region, now=start)
    later = start + datetime.timedelta(hours=3)
    visits.record_visit(user=personas.alice, region=region, now=later)
    assert visits.previous_visit(user=personas.alice, region=region) == start
    # A reload ten minutes on, and again: still "since the visit before".
    visits.record_visit(
        user=personas.alice, region=region, now=later + datetime.timedelta(minutes=10)
    )
    visits.record_visit(
        user=personas.alice, region=region, now=later + datetime.timedelta(minutes=20)
    )
    assert visits.previous_visit(user=personas.alice, region=region) == start
    visits.record_visit(user=personas.alice, region=region, now=later + datetime.timedelta(hours=2))
    assert visits.previous_visit(user=personas.alice, region=region) == later + datetime.timedelta(
        minutes=20
    )
    # Per page and per reader: the portfolio and Bob have their own.
    assert visits.previous_visit(user=personas.alice) is None
    assert visits.previous_visit(user=personas.bob, region=region) is None
    assert Visit.objects.filter(user=personas.alice).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("morgen", "Enter a valid date."),
        ("2026-02-30", "Enter a valid date."),
        ("2999-01-01", "The date lies in the future."),
    ],
)
def test_a_bad_or_future_date_is_refused_next_to_the_field(client, personas, value, error):
    client.force_login(personas.alice)
    for url in (
        reverse("regions:changes", args=[OWN_REGION]),
        reverse("regions:portfolio_changes"),
    ):
        response = client.get(url, {"sinds": value})
        assert response.status_code == 200
        html = response.content.decode()
        assert f'<p class="rm-field-error" id="id_sinds_error">{error}</p>' in html
        assert 'href="#id_sinds"' in html  # the summary at the top links to the field
        assert entries(html) == []


@pytest.mark.django_db
def test_outsiders_get_404_and_readers_see_a_region_they_may_read(client, personas):
    client.force_login(personas.spec)  # deployed in AM01 only
    assert client.get(reverse("regions:changes", args=[FOREIGN_REGION])).status_code == 404
    assert client.get(reverse("regions:changes", args=[OWN_REGION])).status_code == 200
    assert client.get(reverse("regions:portfolio_changes")).status_code == 403
    client.force_login(personas.partner)
    assert client.get(reverse("regions:changes", args=[OWN_REGION])).status_code == 404


@pytest.mark.django_db
def test_a_long_list_is_capped_with_the_rest_counted_and_linked(client, personas):
    region = Region.objects.get(code=OWN_REGION)
    with pghistory.context(user=personas.bob.pk):
        RouteStepFactory.create_batch(CAP + 5, region=region)
    client.force_login(personas.alice)
    today = timezone.localdate()
    html = changes(client, sinds=today.isoformat())
    assert len(entries(html)) == CAP
    # And the fixture's step, deployment and the region's adviser (written by no one).
    more = CAP + 5 + 3 - CAP
    assert f"{CAP + 8} changes since {today:%-d %B %Y}" in text(html)
    history = reverse("regions:history", args=[OWN_REGION])
    assert f'href="{history}?van={today.isoformat()}"' in html
    assert f"… and {more} more changes: see the full history" in html


@pytest.mark.django_db
def test_queries_are_fixed_however_many_changes(client, personas, django_assert_num_queries):
    region = Region.objects.get(code=OWN_REGION)
    client.force_login(personas.alice)
    url = reverse("regions:changes", args=[OWN_REGION])
    portfolio = reverse("regions:portfolio_changes")
    # session, user, region, visit, counts, the events, the names they refer to
    with django_assert_num_queries(7) as few:
        before = len(entries(client.get(url).content.decode()))
    with django_assert_num_queries(5):  # session, user, region, visit, counts
        client.get(url, headers=SUMMARY)
    # session, user, today's stand-ins and the regions (one query), visit, counts, events, names
    with django_assert_num_queries(7) as portfolio_few:
        before_portfolio = len(entries(client.get(portfolio).content.decode()))
    with pghistory.context(user=personas.bob.pk):
        RouteStepFactory.create_batch(30, region=region)
        MeetingFactory.create_batch(10, region=Region.objects.get(code=SECOND_OWN_REGION))
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(entries(client.get(url).content.decode())) == before + 30
    with django_assert_num_queries(len(portfolio_few.captured_queries)):
        assert len(entries(client.get(portfolio).content.decode())) == before_portfolio + 40


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"sinds": "\x00"},
        {"sinds": "2026-13-45"},
        {"sinds": "' OR 1=1 --"},
        {"sinds": "9" * 5000},
        {"sinds": ["2026-01-01", "2999-01-01"]},
        {"sinds": "", "eigen": "<script>"},
        {"eigen": "\x00", "pagina": "-1"},
    ],
)
def test_hostile_query_strings_never_fail(client, personas, query):
    client.force_login(personas.alice)
    for url in (
        reverse("regions:changes", args=[OWN_REGION]),
        reverse("regions:portfolio_changes"),
    ):
        for headers in ({}, SUMMARY):
            response = client.get(url, query, headers=headers)
            assert response.status_code == 200, (url, query)
            assert "<script>" not in response.content.decode().split("</head>")[-1]
