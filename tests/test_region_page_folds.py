"""The region page folds: sections open at what needs attention; long texts fold to a few lines."""

import datetime
import re

import pytest
from django.urls import reverse

from monitoring.models import Signal
from regions.models import Region
from tests.conftest import OWN_REGION
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def region():
    return Region.objects.get(code=OWN_REGION)


def page(client, **params) -> str:
    return client.get(reverse("regions:detail", args=[OWN_REGION]), params).content.decode()


def details(html: str, key: str) -> str:
    return re.search(rf'id="{key}".*?(<details class="section"[^>]*>)', html, re.S).group(1)


def is_open(html: str, key: str) -> bool:
    return details(html, key).endswith(" open>")


def test_sections_open_at_what_needs_attention(client, personas):
    MeetingFactory(region=region())
    signal = Signal.objects.create(
        region=region(),
        title="Regeling knelt",
        description="De regeling sluit niet aan.",
        addressed_to="szw",
        raised_on=datetime.date(2026, 9, 1),
    )
    client.force_login(personas.alice)
    html = page(client)
    assert is_open(html, "progress")  # the latest progress update comes first
    assert is_open(html, "section-processtappen")  # the persona's step is late
    assert is_open(html, "section-fasen")  # a plan without stages
    assert is_open(html, "section-signalen")  # a signal waiting for its answer
    summary = html.split('id="section-signalen"')[1].split("</summary>")[0]
    assert '<summary><h2 class="utrecht-heading-2" id="heading-signalen">' in summary
    assert "1 wacht op antwoord" in summary and "(1)" in summary
    assert not is_open(html, "section-bijeenkomsten")  # nothing waits there
    assert not is_open(html, "section-scenarios")
    signal.status, signal.response = "beantwoord", "Wordt geregeld."
    signal.save()
    assert not is_open(page(client), "section-signalen")
    # Shown in full at the reader's request: open.
    assert is_open(page(client, toon="bijeenkomsten"), "section-bijeenkomsten")


def test_a_record_added_in_a_folded_section_comes_back_open(client, personas):
    client.force_login(personas.alice)
    url = reverse("monitoring:record_new", args=[OWN_REGION, "bijeenkomsten"])
    data = {"kind": "intervisie", "title": "Intervisie najaar", "date": "2026-10-01"}
    html = client.post(url, data, headers=HTMX).content.decode()
    assert html.lstrip().startswith('<section id="section-bijeenkomsten"')
    assert is_open(html, "section-bijeenkomsten")


def test_a_long_text_takes_the_full_width_and_folds(client, personas):
    minutes = "Besproken: de governance van het SOB en de rol van de GR.\n" * 170
    meeting = MeetingFactory(region=region(), minutes=minutes, insights="Kort.")
    client.force_login(personas.bob)
    html = page(client)
    item = html.split(f'<li id="bijeenkomsten-{meeting.pk}"')[1].split("</li>")[0]
    field = item.split("rm-record__field--minutes")[1].split("</dd>")[0]
    assert field.startswith(" rm-record__field--wide")
    fold = f"fold-bijeenkomsten-{meeting.pk}-minutes"
    assert f'<div class="rm-fold" id="{fold}">' in field
    assert minutes.strip()[:60] in field  # the whole text is there, folded by the browser
    button = re.search(r"<button[^>]*rm-fold__toggle[^>]*>", field).group(0)
    assert f'aria-controls="{fold}"' in button and 'aria-expanded="false"' in button
    assert 'data-more="Meer tonen"' in button and 'data-less="Minder tonen"' in button
    insights = item.split("rm-record__field--insights")[1].split("</dd>")[0]
    assert "--wide" not in insights.split(">")[0] and "rm-fold" not in insights
