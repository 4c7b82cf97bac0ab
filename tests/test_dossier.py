"""Dossier uploads: type from content, size limits, SHA-256, access-checked downloads."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monitoring.models import Document
from tests.conftest import FOREIGN_REGION, OWN_REGION

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def office_zip(*names: str, first: tuple[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first[0]), first[1])
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


def upload(client, name: str, content: bytes, title="Verslag stuurgroep"):
    url = reverse("monitoring:document_upload", args=[OWN_REGION])
    return client.post(url, {"title": title, "file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("verslag.pdf", PDF, "application/pdf"),
        ("plan.docx", office_zip("[Content_Types].xml", "word/document.xml"), "wordprocessingml"),
        ("begroting.xlsx", office_zip("[Content_Types].xml", "xl/workbook.xml"), "spreadsheetml"),
        (
            "notitie.odt",
            office_zip(
                "content.xml", first=("mimetype", b"application/vnd.oasis.opendocument.text")
            ),
            "opendocument.text",
        ),
    ],
)
def test_accepted_types_are_stored_with_their_hash(
    client, personas, media_root, name, content, kind
):
    client.force_login(personas.alice)
    response = upload(client, name, content)
    assert response.status_code == 302
    document = Document.objects.get()
    assert kind in document.content_type
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert (document.size, document.original_name, document.uploaded_by) == (
        len(content),
        name,
        personas.alice,
    )
    stored = media_root / document.file.name
    assert stored.read_bytes() == content
    assert name not in document.file.name  # the stored name never comes from the uploader


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rapport.pdf", b"MZ\x90\x00" + b"\x00" * 200, "niet van het type PDF"),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "niet van het type PDF"),
        ("leeg.pdf", b"", "Het verstuurde bestand is leeg."),
        ("archief.docx", office_zip("random.txt"), "niet van het type PDF"),
    ],
)
def test_wrong_or_empty_files_are_refused_in_dutch(client, personas, name, content, message):
    client.force_login(personas.alice)
    response = upload(client, name, content, title="Mijn titel blijft staan")
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'value="Mijn titel blijft staan"' in html
    assert not Document.objects.exists()


def test_oversized_files_are_refused(client, personas, settings):
    client.force_login(personas.alice)
    response = upload(client, "groot.pdf", PDF + b"0" * (20 * 1024 * 1024))
    assert "de limiet is 15 MB" in response.content.decode()
    assert not Document.objects.exists()


def test_a_compression_bomb_is_not_unpacked(client, personas):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<xml/>")
        archive.writestr("bomb.bin", b"\0" * (200 * 1024 * 1024))  # 200 MB packs to ~200 KB
    client.force_login(personas.alice)
    response = upload(client, "bom.docx", buffer.getvalue())
    assert "niet van het type PDF" in response.content.decode()
    assert not Document.objects.exists()


def test_download_is_access_checked(client, personas):
    client.force_login(personas.alice)
    upload(client, "verslag.pdf", PDF)
    document = Document.objects.get()
    url = reverse("monitoring:document_download", args=[OWN_REGION, document.pk])

    client.force_login(personas.bob)  # reads every region
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]

    for outsider in (personas.partner, personas.admin):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(personas.alice)
    other_region = reverse("monitoring:document_download", args=[FOREIGN_REGION, document.pk])
    assert client.get(other_region).status_code == 404


def test_region_page_lists_the_dossier(client, personas):
    client.force_login(personas.alice)
    upload(client, "verslag.pdf", PDF, title="Verslag stuurgroep maart")
    html = client.get(reverse("regions:detail", args=[OWN_REGION])).content.decode()
    assert "Verslag stuurgroep maart" in html
    assert hashlib.sha256(PDF).hexdigest()[:14] in html
