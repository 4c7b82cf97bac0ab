"""Correcting and removing a voortgangsupdate: inline and on plain pages, with conflicts shown,
access checked and the history kept."""

import re

import pytest
from django.urls import reverse

from core.history import history_of
from monitoring.models import ProgressUpdate
from regions.models import Region
from tests.conftest import FOREIGN_REGION, OWN_REGION
from tests.factories import ProgressUpdateFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}

CORRECTED = {
    "year": "2026",
    "quarter": "3",
    "status": "risico",
    "narrative": "Besluitvorming in de raden is uitgesteld naar januari.",
    "help_needed": "Financieel specialist",
}


@pytest.fixture
def update(personas):
    return ProgressUpdateFactory(
        region=Region.objects.get(code=OWN_REGION), year=2026, quarter=3, author=personas.alice
    )


def edit_url(update):
    return reverse("monitoring:progress_edit", args=[update.region.code, update.pk])


def delete_url(update):
    return reverse("monitoring:progress_delete", args=[update.region.code, update.pk])


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_region_page_offers_edit_and_delete_per_update(client, personas, update):
    client.force_login(personas.alice)
    html = client.get(reverse("regions:detail", args=[OWN_REGION])).content.decode()
    assert f'id="update-{update.pk}"' in html
    assert f'hx-get="{edit_url(update)}"' in html and f'href="{delete_url(update)}"' in html
    client.force_login(personas.bob)  # reads the region, may not change it
    html = client.get(reverse("regions:detail", args=[OWN_REGION])).content.decode()
    assert edit_url(update) not in html and delete_url(update) not in html


def test_adviser_corrects_an_update_inline_with_the_header_following(client, personas, update):
    client.force_login(personas.alice)
    form = client.get(edit_url(update), headers=HTMX).content.decode()
    assert form.lstrip().startswith(f'<li id="update-{update.pk}"')
    assert "data-autofocus" in form and 'name="version" value="1"' in form

    response = client.post(edit_url(update), {**CORRECTED, "version": "1"}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    update.refresh_from_db()
    assert (update.status, update.version, update.updated_by) == ("risico", 2, personas.alice)
    assert update.help_needed == "Financieel specialist"
    # The update in read mode, focus back on its "Wijzigen", and the lead's status follows.
    assert html.lstrip().startswith(f'<li class="status-risico" id="update-{update.pk}"')
    assert "rm-saved" in html
    assert re.search(rf'href="{edit_url(update)}"[^>]*data-autofocus', html)
    assert 'id="region-lead" hx-swap-oob="true"' in html
    lead = html[html.index('id="region-lead"') :]
    assert "Risico" in lead[: lead.index("</p>")]


def test_its_own_quarter_is_no_duplicate_but_another_taken_quarter_is(client, personas, update):
    ProgressUpdateFactory(region=update.region, year=2026, quarter=2, author=personas.alice)
    client.force_login(personas.alice)
    same = client.post(edit_url(update), {**CORRECTED, "version": "1"}, headers=HTMX)
    assert "rm-field-error" not in same.content.decode()
    response = client.post(
        edit_url(update), {**CORRECTED, "quarter": "2", "version": "2"}, headers=HTMX
    )
    html = response.content.decode()
    assert "al een voortgangsupdate voor 2026 Q2" in html and "rm-field-error" in html
    assert "Besluitvorming in de raden" in html  # what was typed is kept
    update.refresh_from_db()
    assert (update.quarter, update.version) == (3, 2)


def test_plain_page_without_javascript(client, personas, update):
    client.force_login(personas.alice)
    page = client.get(edit_url(update))
    assert page.status_code == 200 and "<html" in page.content.decode()
    response = client.post(edit_url(update), {**CORRECTED, "version": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#update-{update.pk}")
    update.refresh_from_db()
    assert update.status == "risico"


def test_a_stale_correction_shows_the_conflict_and_overwrites_nothing(client, personas, update):
    client.force_login(personas.alice)
    client.post(edit_url(update), {**CORRECTED, "status": "aandacht", "version": "1"})
    response = client.post(edit_url(update), {**CORRECTED, "version": "1"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "rm-conflict" in html and "Aandacht" in html and "Risico" in html
    assert 'name="version" value="2"' in html  # "Save my version" now saves over theirs
    update.refresh_from_db()
    assert (update.status, update.version) == ("aandacht", 2)

    inline = client.post(edit_url(update), {**CORRECTED, "version": "1"}, headers=HTMX)
    assert inline.status_code == 200 and "rm-conflict" in inline.content.decode()


def test_adviser_deletes_an_update_after_confirming_inline(client, personas, update):
    older = ProgressUpdateFactory(
        region=update.region, year=2026, quarter=2, status="aandacht", author=personas.alice
    )
    client.force_login(personas.alice)
    confirm = client.get(delete_url(update), headers=HTMX).content.decode()
    assert confirm.lstrip().startswith(f'<li id="update-{update.pk}"')
    assert "Verwijderen" in confirm and "data-autofocus" in confirm
    assert ProgressUpdate.objects.filter(pk=update.pk).exists()  # asking removes nothing

    response = client.post(delete_url(update), {"version": "1"}, headers=HTMX)
    html = response.content.decode()
    assert not ProgressUpdate.objects.filter(pk=update.pk).exists()
    assert response["HX-Retarget"] == "#progress"
    assert f'id="update-{update.pk}"' not in html and f'id="update-{older.pk}"' in html
    assert "verwijderd" in html
    lead = html[html.index('id="region-lead"') :]
    assert "Aandacht" in lead[: lead.index("</p>")]  # the older update is the current one now


def test_plain_delete_confirms_on_a_page_first(client, personas, update):
    client.force_login(personas.alice)
    page = client.get(delete_url(update))
    assert page.status_code == 200 and "<html" in page.content.decode()
    response = client.post(delete_url(update), {"version": "1"})
    assert response.status_code == 302
    assert not ProgressUpdate.objects.filter(pk=update.pk).exists()


def test_a_stale_delete_is_refused_and_shows_the_update_as_it_is(client, personas, update):
    client.force_login(personas.alice)
    client.post(edit_url(update), {**CORRECTED, "version": "1"})
    response = client.post(delete_url(update), {"version": "1"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "in de tussentijd" in html and "rm-field-error" in html
    assert 'name="version" value="2"' in html
    assert ProgressUpdate.objects.filter(pk=update.pk).exists()


@pytest.mark.parametrize("role", ["pm", "hub"])
def test_readers_may_not_correct_or_delete(client, personas, update, role):
    client.force_login(getattr(personas, role))
    assert client.post(edit_url(update), {**CORRECTED, "version": "1"}).status_code == 403
    assert client.post(delete_url(update), {"version": "1"}).status_code == 403
    update.refresh_from_db()
    assert (update.status, update.version) == ("op_koers", 1)


def test_another_advisers_region_and_a_foreign_update(client, personas, update):
    foreign = ProgressUpdateFactory(
        region=Region.objects.get(code=FOREIGN_REGION), author=personas.bob
    )
    client.force_login(personas.alice)
    # bob's region: alice may read it, not change it
    assert client.post(edit_url(foreign), {**CORRECTED, "version": "1"}).status_code == 403
    # an update of another region through alice's own region is unknown there
    own_path = reverse("monitoring:progress_edit", args=[OWN_REGION, foreign.pk])
    assert client.post(own_path, {**CORRECTED, "version": "1"}).status_code == 404
    own_delete = reverse("monitoring:progress_delete", args=[OWN_REGION, foreign.pk])
    assert client.post(own_delete, {"version": "1"}).status_code == 404
    client.force_login(personas.spec)  # not deployed in AM03
    assert client.get(edit_url(foreign)).status_code == 404
    assert ProgressUpdate.objects.filter(pk=foreign.pk, version=1).exists()


def test_cancel_returns_the_update_with_focus_on_its_edit(client, personas, update):
    client.force_login(personas.alice)
    item = reverse("monitoring:progress_item", args=[OWN_REGION, update.pk])
    html = client.get(item, headers=HTMX).content.decode()
    assert re.search(rf'href="{edit_url(update)}"[^>]*data-autofocus', html)
    assert client.get(item)["Location"].endswith(f"#update-{update.pk}")


def test_history_shows_the_correction_and_the_removal(client, personas, update):
    client.force_login(personas.alice)
    client.post(edit_url(update), {**CORRECTED, "version": "1"})
    client.post(delete_url(update), {"version": "2"})
    entries = [e for e in history_of(update.region) if e.subject == "2026 Q3"]
    assert [e.action for e in entries] == ["delete", "update", "insert"]
    changes = {label: (before, after) for label, before, after in entries[1].changes}
    assert changes["status"] == ("Op koers", "Risico")

    html = client.get(reverse("regions:history", args=[OWN_REGION])).content.decode()
    text = _text(html)
    assert "Voortgangsupdate “2026 Q3” verwijderd — Alice Adviseur" in text
    assert "Voortgangsupdate “2026 Q3” gewijzigd — Alice Adviseur" in text
