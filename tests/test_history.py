"""The history page of a region: filters, pages, no empty changes, no storage paths."""

import datetime
import re

import pghistory
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from monitoring.models import RouteStep
from regions.models import Region
from tests.conftest import OWN_REGION
from tests.factories import MeetingFactory, RouteStepFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
DASH = "\N{EN DASH}"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def history(client, **params) -> str:
    url = reverse("regions:history", args=[OWN_REGION])
    return client.get(url, params).content.decode()


def events(html: str) -> list[str]:
    """The entries' headings as text."""
    items = re.findall(r'<li class="rm-event[^"]*">\s*<p>(.*?)</p>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def step_data(step, **changes):
    return {
        "order": step.order,
        "title": step.title,
        "description": step.description,
        "parties": step.parties,
        "expertise": step.expertise,
        "planned_date": step.planned_date.isoformat(),
        "status": step.status,
        "version": step.version,
        **changes,
    }


def test_a_save_that_changes_nothing_writes_no_history_and_keeps_the_version(client, personas):
    step = personas.own_step
    client.force_login(personas.alice)
    url = reverse("monitoring:record_edit", args=[OWN_REGION, "processtappen", step.pk])
    before = len(events(history(client)))
    html = client.post(url, step_data(step), headers=HTMX).content.decode()
    assert "Opgeslagen." in html
    step.refresh_from_db()
    assert step.version == 1
    assert len(events(history(client))) == before
    client.post(url, step_data(step, title="Echt gewijzigd"), headers=HTMX)
    step.refresh_from_db()
    assert step.version == 2
    entries = events(history(client))
    assert len(entries) == before + 1
    # One test transaction gives every event the same time: find it rather than take the first.
    assert [e for e in entries if "“Echt gewijzigd” gewijzigd" in e], entries


def test_old_empty_changes_are_not_shown(client, personas):
    step = personas.own_step
    with pghistory.context(user=personas.alice.pk):
        RouteStep.objects.get(pk=step.pk).save()  # an older save of nothing: only updated_at
    client.force_login(personas.alice)
    entries = events(history(client))
    mine = [entry for entry in entries if entry.startswith(f"Processtap “{step.title}”")]
    assert len(mine) == 1 and "aangemaakt" in mine[0], entries


def test_filters_narrow_by_kind_person_and_period(client, personas):
    region = Region.objects.get(code=OWN_REGION)
    with pghistory.context(user=personas.alice.pk):
        MeetingFactory(region=region, title="Intervisie van Alice")
    with pghistory.context(user=personas.bob.pk):
        MeetingFactory(region=region, title="Kennissessie van Bob")
    client.force_login(personas.alice)
    everything = events(history(client))
    assert len(everything) >= 3  # the two meetings and the route step
    meetings = events(history(client, soort="monitoring.Meeting"))
    assert len(meetings) == 2 and all("Bijeenkomst" in e for e in meetings)
    html = history(client, persoon=personas.bob.pk)
    assert [e for e in events(html) if "Bob" in e] == events(html)
    assert "Kennissessie van Bob" in html and "Intervisie van Alice" not in html
    today = timezone.localdate()
    assert len(events(history(client, van=today.isoformat(), tot=today.isoformat()))) == len(
        everything
    )
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    html = history(client, van=tomorrow)
    assert events(html) == [] and "Geen wijzigingen voor deze filters." in html
    html = history(client, van=tomorrow, tot=today.isoformat())
    assert "Het einde van de periode ligt voor het begin." in html
    html = history(client, soort="auth.Permission")  # not a kind in this history
    assert "Selecteer een geldige keuze." in html and len(events(html)) == len(everything)


def test_the_history_comes_in_pages_with_a_fixed_number_of_queries(
    client, personas, django_assert_num_queries
):
    region = Region.objects.get(code=OWN_REGION)
    with pghistory.context(user=personas.alice.pk):
        RouteStepFactory.create_batch(119, region=region)  # 120 route steps in all
    client.force_login(personas.alice)
    url = reverse("regions:history", args=[OWN_REGION])
    with django_assert_num_queries(
        8
    ) as first:  # session, user, region, choices (2), count, page, names
        html = client.get(url).content.decode()
    assert len(events(html)) == 50
    assert f"Wijzigingen 1{DASH}50 van 122." in html  # and the deployment and the adviser
    assert 'href="?pagina=2"' in html
    with django_assert_num_queries(len(first.captured_queries)):
        html = client.get(url, {"pagina": "2"}).content.decode()
    assert len(events(html)) == 50 and f"Wijzigingen 51{DASH}100 van 122." in html
    html = client.get(url, {"pagina": "3", "soort": "monitoring.RouteStep"}).content.decode()
    assert len(events(html)) == 20 and f"Wijzigingen 101{DASH}120 van 120." in html
    assert 'href="?soort=monitoring.RouteStep&amp;pagina=2"' in html


def test_a_document_shows_its_file_name_never_its_storage_path(
    client, personas, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(personas.alice)
    url = reverse("monitoring:document_upload", args=[OWN_REGION])
    upload = SimpleUploadedFile("verslag-stuurgroep.pdf", PDF)
    assert client.post(url, {"title": "Verslag stuurgroep", "file": upload}).status_code == 302
    html = history(client)
    assert "verslag-stuurgroep.pdf" in html
    assert f"dossier/{OWN_REGION}" not in html
