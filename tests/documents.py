"""Small but real office documents with a given text, for the text reading tests: a DOCX and an
ODT as their applications write them (a ZIP of XML parts), an XLSX by openpyxl."""

import io
import zipfile

from openpyxl import Workbook

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def _docx(text: str) -> bytes:
    first, _, rest = text.partition(" ")
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>Titel</w:t></w:r></w:p>"
        # One paragraph in two runs, as Word splits text where its formatting changes.
        f'<w:p><w:r><w:t xml:space="preserve">{first} </w:t></w:r>'
        f"<w:r><w:rPr><w:b/></w:rPr><w:t>{rest}</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", _DOCX_TYPES)
        archive.writestr("word/document.xml", body)
    return out.getvalue()


def _odt(text: str) -> bytes:
    first, _, rest = text.partition(" ")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        "<office:body><office:text><text:h>Titel</text:h>"
        f'<text:p>{first} <text:span text:style-name="T1">{rest}</text:span></text:p>'
        "</office:text></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", ODT, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
    return out.getvalue()


def _xlsx(text: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Begroting"
    sheet.append(["Post", "Bedrag"])
    sheet.append([text, 1200])
    sheet.append(["Totaal", "=SUM(B2:B2)"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def document_bytes(content_type: str, text: str) -> bytes:
    return {DOCX: _docx, ODT: _odt, XLSX: _xlsx}[content_type](text)
