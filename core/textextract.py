"""The text of a stored file, for search (core/search.py): read by a task after the upload
(core/tasks.py, `read_text_later`), kept in the record's `text` and found through its search vector.

Each kind is read by the library made for it: PDF by pypdf, XLSX by openpyxl (read-only, the
stored values: no formula is evaluated), DOCX and ODT by their own XML (a ZIP of XML parts) with
defusedxml, which refuses entity tricks. The file was checked when it was uploaded
(core/uploads.py: type, size, compression bombs); reading it is bounded again here by MAX_TEXT
characters, so one huge document cannot grow the index past what PostgreSQL keeps in
a vector (1 MB).
"""

import io
import logging
import zipfile

from defusedxml import ElementTree
from django.apps import apps

from core.files import DocumentKind, StoredFile, TextState

__all__ = ["MAX_TEXT", "read_file_text", "read_text", "stored_file_models"]

logger = logging.getLogger(__name__)

# The characters of a document that are searched: about 100 pages of text.
MAX_TEXT = 200_000

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


class _Collected:
    """Text gathered up to MAX_TEXT characters; `full` once there is enough."""

    def __init__(self):
        self.parts: list[str] = []
        self.length = 0

    @property
    def full(self) -> bool:
        return self.length >= MAX_TEXT

    def add(self, text: str | None) -> None:
        if text and not self.full:
            self.parts.append(text)
            self.length += len(text) + 1

    def text(self) -> str:
        return "\n".join(self.parts)[:MAX_TEXT]


def _pdf(data: bytes, out: _Collected) -> None:
    from pypdf import PdfReader

    for page in PdfReader(io.BytesIO(data)).pages:
        out.add(page.extract_text())
        if out.full:
            return


def _xlsx(data: bytes, out: _Collected) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            out.add(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                out.add(" ".join(str(value) for value in row if value not in (None, "")))
                if out.full:
                    return
    finally:
        workbook.close()


def _paragraphs(xml: bytes, paragraph: str, text_tags: tuple[str, ...], out: _Collected) -> None:
    for element in ElementTree.fromstring(xml).iter(paragraph):
        out.add("".join(node.text or "" for node in element.iter() if node.tag in text_tags))
        if out.full:
            return


def _docx(data: bytes, out: _Collected) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        _paragraphs(archive.read("word/document.xml"), f"{W}p", (f"{W}t",), out)


def _odt(data: bytes, out: _Collected) -> None:
    # Paragraphs and headings; their text sits in them and in spans, links and the like.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))
    for element in root.iter():
        if element.tag in (f"{ODF_TEXT}p", f"{ODF_TEXT}h"):
            out.add("".join(element.itertext()))
            if out.full:
                return


READERS = {
    DocumentKind.PDF: _pdf,
    DocumentKind.XLSX: _xlsx,
    DocumentKind.DOCX: _docx,
    DocumentKind.ODT: _odt,
}


def read_file_text(data: bytes, content_type: str) -> str:
    """The text of a file of one of the accepted kinds (at most MAX_TEXT characters); raises
    when the file cannot be read."""
    out = _Collected()
    READERS[content_type](data, out)
    # PostgreSQL's text holds no NUL character; a PDF's text sometimes carries one.
    return out.text().replace("\x00", " ").strip()


def stored_file_models() -> list[type[StoredFile]]:
    """Every model whose records are stored uploads (their text is searched)."""
    return [model for model in apps.get_models() if issubclass(model, StoredFile)]


def read_text(model: type[StoredFile], pk: int) -> str | None:
    """Read the record's file and keep its text; the state it ends in, or None if the record is
    gone. A file replaced meanwhile (another SHA-256) is left to the task of its own upload."""
    record = model.objects.filter(pk=pk).only("file", "content_type", "sha256").first()
    if record is None:
        return None
    try:
        with record.file.open("rb") as handle:
            text = read_file_text(handle.read(), record.content_type)
    except Exception:  # a damaged or unusual file: searched by its title only
        logger.warning("Text of %s %s could not be read", model._meta.label, pk, exc_info=True)
        text, state = "", TextState.FAILED
    else:
        state = TextState.DONE if text else TextState.EMPTY
    model.objects.filter(pk=pk, sha256=record.sha256).update(text=text, text_state=state)
    return state
