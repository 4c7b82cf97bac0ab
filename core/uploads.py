"""Checking uploads (dossier and product documents): size, and the type read from the file's
own bytes."""

import zipfile
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.files import EXTENSIONS, DocumentKind

__all__ = ["ZIP_MAGIC", "archive_within_limits", "detect_type", "extension_for", "validate_upload"]

ZIP_MAGIC = b"PK\x03\x04"
# Office and OpenDocument files are ZIP archives of a few dozen XML parts and images. An archive
# with more entries than this, or one that unpacks to more than MAX_UNPACKED_FACTOR times the
# upload limit, or (above UNPACKED_RATIO_FLOOR) to more than MAX_RATIO times its own size, is a
# compression bomb, not a document.
MAX_ZIP_ENTRIES = 1000
MAX_UNPACKED_FACTOR = 10
MAX_RATIO = 100
UNPACKED_RATIO_FLOOR = 10 * 1024 * 1024
CHUNK = 1024 * 1024


def archive_within_limits(
    archive: zipfile.ZipFile, infos, packed_size: int, upload_limit: int
) -> bool:
    """Whether the archive is no compression bomb: not more than MAX_ZIP_ENTRIES entries, and
    its declared sizes within MAX_UNPACKED_FACTOR times `upload_limit` (the bytes an upload
    may have) and MAX_RATIO times its own size; then every entry is read (bounded by those
    sizes; zipfile stops at the declared size and checks the CRC), so a header that
    understates an entry is caught too."""
    if len(infos) > MAX_ZIP_ENTRIES:
        return False
    declared = sum(info.file_size for info in infos)
    if declared > MAX_UNPACKED_FACTOR * upload_limit:
        return False
    if declared > UNPACKED_RATIO_FLOOR and declared > MAX_RATIO * max(packed_size, 1):
        return False
    unpacked = 0
    for info in infos:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                unpacked += len(chunk)
                if unpacked > declared:
                    return False
    return True


def _zip_kind(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            limit = settings.DOSSIER_MAX_UPLOAD_MB * 1024 * 1024
            if not archive_within_limits(archive, infos, upload.size, limit):
                return None
            names = {info.filename for info in infos}
            if "mimetype" in names and infos[0].filename == "mimetype":
                # ODF: the first entry, stored uncompressed, names the type; read only it.
                if infos[0].file_size > 100:
                    return None
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return DocumentKind.ODT if mimetype == DocumentKind.ODT else None
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return DocumentKind.DOCX
                if any(n.startswith("xl/") for n in names):
                    return DocumentKind.XLSX
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, RuntimeError):
        # RuntimeError: an encrypted entry; NotImplementedError is a RuntimeError too (an
        # unsupported compression method).
        return None
    return None


def detect_type(upload) -> str | None:
    """The document kind from the first bytes (and, for Office/ODF, the archive's index)."""
    upload.seek(0)
    head = upload.read(8)
    if head.startswith(b"%PDF-"):
        return DocumentKind.PDF
    if head.startswith(ZIP_MAGIC):
        return _zip_kind(upload)
    return None


def extension_for(content_type: str) -> str:
    """The file extension a stored file of this (detected) type gets."""
    return EXTENSIONS.get(content_type, "")


def validate_upload(upload) -> str:
    """Return the detected content type or raise a ValidationError with a Dutch message."""
    limit = settings.DOSSIER_MAX_UPLOAD_MB * 1024 * 1024
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {
                # "30,0" in Dutch, "30.0" in English
                "size": number_format(upload.size / 1024 / 1024, 1, use_l10n=True),
                "limit": settings.DOSSIER_MAX_UPLOAD_MB,
            }
        )
    kind = detect_type(upload)
    if kind is None:
        raise ValidationError(
            _(
                "This file is not a PDF, Word (DOCX), Excel (XLSX) or OpenDocument (ODT) "
                "document. The type is read from the file's content, not from its name."
            )
        )
    upload.seek(0)
    return kind
