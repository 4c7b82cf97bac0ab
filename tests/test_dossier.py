"""Dossier uploads: type from content, size limits, SHA-256, access-checked downloads."""

import hashlib
import io
import os
import struct
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


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


NOT_A_DOCUMENT = "niet van het type PDF"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200 + b"This program cannot be run in DOS"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rapport.pdf", b"MZ\x90\x00" + b"\x00" * 200, NOT_A_DOCUMENT),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", NOT_A_DOCUMENT),
        ("leeg.pdf", b"", "Het verstuurde bestand is leeg."),
        ("leeg.docx", b"", "Het verstuurde bestand is leeg."),
        ("archief.docx", office_zip("random.txt"), NOT_A_DOCUMENT),
        # the right extension, the wrong content
        ("foto.pdf", PNG, NOT_A_DOCUMENT),
        ("pagina.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", NOT_A_DOCUMENT),
        ("setup.docx", EXE, NOT_A_DOCUMENT),
        ("setup.xlsx", EXE, NOT_A_DOCUMENT),
        ("kapot.docx", b"PK\x03\x04" + b"\x00" * 100, NOT_A_DOCUMENT),
    ],
)
def test_wrong_or_empty_files_are_refused_in_dutch(
    client, personas, media_root, name, content, message
):
    client.force_login(personas.alice)
    response = upload(client, name, content, title="Mijn titel blijft staan")
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'value="Mijn titel blijft staan"' in html
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_oversized_files_are_refused(client, personas, media_root):
    client.force_login(personas.alice)
    response = upload(client, "groot.pdf", PDF + b"0" * (20 * 1024 * 1024))
    assert "Het bestand is 20,0 MB; de limiet is 15 MB" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def _bomb(parts: dict[str, int], *, claimed: int | None = None) -> bytes:
    """An Office archive whose parts are `size` zero bytes each (packs about 1000:1), written
    in chunks so the test never holds the unpacked size; `claimed` rewrites the central
    directory to understate the last part's size (a header that lies)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<xml/>")
        for name, size in parts.items():
            with archive.open(name, "w", force_zip64=size > 2**31) as member:
                for _ in range(size // 2**20):
                    member.write(bytes(2**20))
    data = bytearray(buffer.getvalue())
    if claimed is not None:
        last = data.rfind(b"PK\x01\x02")  # the last central directory entry
        struct.pack_into("<I", data, last + 24, claimed)
    return bytes(data)


def _many_entries(count: int, folder: str) -> bytes:
    return office_zip("[Content_Types].xml", *(f"{folder}/part{i}.xml" for i in range(count)))


MB = 2**20


@pytest.mark.parametrize(
    ("name", "content"),
    [
        # 200 MB in all: more than ten times the upload limit
        ("bom.docx", lambda: _bomb({"word/document.xml": 200 * MB})),
        ("bom.xlsx", lambda: _bomb({"xl/workbook.xml": 200 * MB})),
        # 40 MB from about 40 KB: far more than a document packs
        ("klein.docx", lambda: _bomb({"word/document.xml": 40 * MB})),
        ("klein.xlsx", lambda: _bomb({"xl/worksheets/sheet1.xml": 40 * MB})),
        # the header says 1 KB; the part unpacks to 20 MB
        ("liegt.docx", lambda: _bomb({"word/document.xml": 20 * MB}, claimed=1024)),
        # thousands of entries
        ("veel.docx", lambda: _many_entries(2000, "word")),
        ("veel.xlsx", lambda: _many_entries(5000, "xl")),
        # the original test's archive: no Word part, a bomb beside the index
        ("bom2.docx", lambda: _bomb({"bomb.bin": 200 * MB})),
    ],
    ids=[
        "docx-200MB",
        "xlsx-200MB",
        "docx-ratio",
        "xlsx-ratio",
        "docx-lying-header",
        "docx-2000-entries",
        "xlsx-5000-entries",
        "docx-no-word-part",
    ],
)
def test_compression_bombs_are_refused(client, personas, media_root, name, content):
    payload = content()
    assert len(payload) < 1 * MB  # tiny on the wire
    client.force_login(personas.alice)
    response = upload(client, name, payload, title="Bom")
    assert response.status_code == 200
    assert NOT_A_DOCUMENT in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_a_large_but_honest_office_file_is_accepted(client, personas, media_root):
    """The bomb limits leave room for real documents: 8 MB of XML that packs 1000:1 stays
    below the ratio floor, and a part with incompressible content packs 1:1."""
    client.force_login(personas.alice)
    content = _bomb({"word/document.xml": 8 * MB, "word/media/image1.png": 0})
    assert upload(client, "groot.docx", content).status_code == 302
    with_image = office_zip("[Content_Types].xml", "word/document.xml")
    buffer = io.BytesIO(with_image)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/image2.png", os.urandom(3 * MB))
    assert upload(client, "foto.docx", buffer.getvalue()).status_code == 302
    assert Document.objects.count() == 2
    assert len(stored_files(media_root)) == 2


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
