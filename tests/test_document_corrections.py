"""Correcting the title of, or removing, a dossier document: inline and on plain pages, with
conflicts shown, access checked, the history kept and the file left on disk for the audit."""

import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.history import history_of
from monitoring.models import Document
from regions.models import Region
from tests.conftest import FOREIGN_REGION, OWN_REGION

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _document(region_code, by, title="Toekomstplan"):
    document = Document(
        region=Region.objects.get(code=region_code),
        title=title,
        original_name="toekomstplan.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        uploaded_by=by,
    )
    document.file.save("toekomstplan.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


@pytest.fixture
def document(personas):
    return _document(OWN_REGION, personas.alice)


def url(name, document, code=None):
    return reverse(f"monitoring:{name}", args=[code or document.region.code, document.pk])


def test_the_region_page_offers_edit_and_delete_per_document(client, personas, document):
    client.force_login(personas.alice)
    html = client.get(reverse("regions:detail", args=[OWN_REGION])).content.decode()
    assert f'id="document-{document.pk}"' in html
    assert f'hx-get="{url("document_edit", document)}"' in html
    assert f'href="{url("document_delete", document)}"' in html
    client.force_login(personas.bob)  # reads the region, may not change it
    html = client.get(reverse("regions:detail", args=[OWN_REGION])).content.decode()
    assert url("document_edit", document) not in html
    assert url("document_delete", document) not in html


def test_adviser_corrects_the_title_inline(client, personas, document):
    client.force_login(personas.alice)
    form = client.get(url("document_edit", document), headers=HTMX).content.decode()
    assert form.lstrip().startswith("<tr") and f'id="document-{document.pk}"' in form
    assert "data-autofocus" in form and 'name="version" value="1"' in form

    response = client.post(
        url("document_edit", document), {"title": "Toekomstplan 2027", "version": "1"}, headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    document.refresh_from_db()
    assert (document.title, document.version, document.updated_by) == (
        "Toekomstplan 2027",
        2,
        personas.alice,
    )
    assert document.content_type == "application/pdf" and document.sha256 == "0" * 64
    assert html.lstrip().startswith("<tr") and "rm-saved" in html
    assert re.search(rf'href="{url("document_edit", document)}"[^>]*data-autofocus', html)


def test_an_empty_title_is_refused_next_to_the_field(client, personas, document):
    client.force_login(personas.alice)
    response = client.post(url("document_edit", document), {"title": "", "version": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and "rm-field-error" in html
    document.refresh_from_db()
    assert (document.title, document.version) == ("Toekomstplan", 1)


def test_plain_page_without_javascript(client, personas, document):
    client.force_login(personas.alice)
    page = client.get(url("document_edit", document))
    assert page.status_code == 200 and "<html" in page.content.decode()
    response = client.post(url("document_edit", document), {"title": "Plan", "version": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#document-{document.pk}")
    document.refresh_from_db()
    assert document.title == "Plan"


def test_a_stale_correction_shows_the_conflict_and_overwrites_nothing(client, personas, document):
    client.force_login(personas.alice)
    client.post(url("document_edit", document), {"title": "Hun titel", "version": "1"})
    response = client.post(url("document_edit", document), {"title": "Mijn titel", "version": "1"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "rm-conflict" in html and "Hun titel" in html and "Mijn titel" in html
    assert 'name="version" value="2"' in html
    document.refresh_from_db()
    assert (document.title, document.version) == ("Hun titel", 2)


def test_adviser_removes_a_document_after_confirming_inline(client, personas, document, media_root):
    client.force_login(personas.alice)
    confirm = client.get(url("document_delete", document), headers=HTMX).content.decode()
    assert confirm.lstrip().startswith("<tr") and "data-autofocus" in confirm
    assert Document.objects.current().filter(pk=document.pk).exists()  # asking removes nothing

    response = client.post(url("document_delete", document), {"version": "1"}, headers=HTMX)
    html = response.content.decode()
    assert response["HX-Retarget"] == "#dossier"
    assert f'id="document-{document.pk}"' not in html and "verwijderd" in html
    document.refresh_from_db()
    assert document.removed_by == personas.alice and document.removed_at is not None
    assert document.version == 2
    assert Path(document.file.path).read_bytes() == PDF  # the file stays for the audit
    assert client.get(url("document_download", document)).status_code == 404
    page = client.get(reverse("regions:detail", args=[OWN_REGION])).content.decode()
    assert f'id="document-{document.pk}"' not in page
    assert not Document.objects.current().filter(pk=document.pk).exists()


def test_a_removed_file_may_be_added_again(client, personas):
    client.force_login(personas.alice)
    upload = reverse("monitoring:document_upload", args=[OWN_REGION])
    client.post(upload, {"title": "Plan", "file": SimpleUploadedFile("plan.pdf", PDF)})
    first = Document.objects.get()
    client.post(url("document_delete", first), {"version": "1"})
    again = client.post(upload, {"title": "Plan", "file": SimpleUploadedFile("plan.pdf", PDF)})
    assert again.status_code == 302  # the removed one no longer counts as a duplicate
    assert Document.objects.current().get().pk != first.pk


def test_plain_removal_confirms_on_a_page_first(client, personas, document):
    client.force_login(personas.alice)
    page = client.get(url("document_delete", document))
    assert page.status_code == 200 and "<html" in page.content.decode()
    response = client.post(url("document_delete", document), {"version": "1"})
    assert response.status_code == 302 and response["Location"].endswith("#dossier")
    document.refresh_from_db()
    assert document.removed_at is not None


def test_a_stale_removal_is_refused(client, personas, document):
    client.force_login(personas.alice)
    client.post(url("document_edit", document), {"title": "Nieuw", "version": "1"})
    response = client.post(url("document_delete", document), {"version": "1"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "in de tussentijd" in html and 'name="version" value="2"' in html
    document.refresh_from_db()
    assert document.removed_at is None


def test_a_removed_document_cannot_be_edited_or_removed_again(client, personas, document):
    client.force_login(personas.alice)
    client.post(url("document_delete", document), {"version": "1"})
    assert (
        client.post(url("document_edit", document), {"title": "X", "version": "2"}).status_code
        == 404
    )
    assert client.post(url("document_delete", document), {"version": "2"}).status_code == 404


@pytest.mark.parametrize("role", ["pm", "hub", "bob"])
def test_readers_may_not_correct_or_remove(client, personas, document, role):
    client.force_login(getattr(personas, role))
    assert (
        client.post(url("document_edit", document), {"title": "X", "version": "1"}).status_code
        == 403
    )
    assert client.post(url("document_delete", document), {"version": "1"}).status_code == 403
    document.refresh_from_db()
    assert (document.title, document.version, document.removed_at) == ("Toekomstplan", 1, None)


def test_a_document_of_another_region_is_unknown_there(client, personas):
    foreign = _document(FOREIGN_REGION, personas.bob)
    client.force_login(personas.alice)
    path = url("document_edit", foreign, code=OWN_REGION)
    assert client.post(path, {"title": "X", "version": "1"}).status_code == 404
    path = url("document_delete", foreign, code=OWN_REGION)
    assert client.post(path, {"version": "1"}).status_code == 404
    foreign.refresh_from_db()
    assert (foreign.title, foreign.removed_at) == ("Toekomstplan", None)


def test_cancel_returns_the_document_with_focus_on_its_edit(client, personas, document):
    client.force_login(personas.alice)
    item = url("document_item", document)
    html = client.get(item, headers=HTMX).content.decode()
    assert re.search(rf'href="{url("document_edit", document)}"[^>]*data-autofocus', html)
    assert client.get(item)["Location"].endswith(f"#document-{document.pk}")


def test_history_keeps_the_correction_and_the_removal(client, personas, document):
    client.force_login(personas.alice)
    client.post(url("document_edit", document), {"title": "Plan 2027", "version": "1"})
    client.post(url("document_delete", document), {"version": "2"})
    entries = [e for e in history_of(document.region) if e.model_name == "document"]
    assert [e.action for e in entries] == ["update", "update", "insert"]
    removal = {label for label, _before, _after in entries[0].changes}
    assert {"verwijderd op", "verwijderd door"} <= removal
    title = {label: (before, after) for label, before, after in entries[1].changes}
    assert title["titel"] == ("Toekomstplan", "Plan 2027")
