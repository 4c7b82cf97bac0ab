"""Reading an uploaded spreadsheet (`.xlsx`, `.csv`) into rows of text, or refusing it.

What is refused, with a Dutch message and before anything is read into the database:
- another type than XLSX or CSV, read from the file's bytes (not its name): a macro workbook
  (`.xlsm`, or an `.xlsx` that carries a VBA project), a PDF, any other archive;
- a file past IMPORT_MAX_UPLOAD_MB, an archive that unpacks past its limits (a compression
  bomb; the checks of `core.uploads`), more than IMPORT_MAX_ROWS rows;
- a sheet with values past MAX_COLUMNS columns, or rows past twice IMPORT_MAX_ROWS, empty rows
  counted (a sparse sheet that would otherwise be walked cell by cell, `_rows_of`);
- a CSV that is neither UTF-8 (with or without BOM) nor Windows-1252, or holds NUL bytes.

Cells are read as values, never evaluated: openpyxl reads a formula as its text ("=SUM(A1:A3)"),
and the checks (`imports.checking`) refuse it at its row and column. openpyxl parses the XML
with defusedxml, so entity expansion is refused too.
"""

import csv
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.uploads import ZIP_MAGIC, archive_within_limits

__all__ = ["Refused", "Table", "cell_text", "read_table"]

SHEET_NAMES = ("gegevens", "data")  # the template's data sheet, in Dutch and English
MAX_COLUMNS = 256  # the columns of a sheet that are read (as Excel 2003 had); a template has ~10
MACRO_MARKERS = ("vbaproject.bin", "macroenabled")


class Refused(Exception):
    """The file as a whole cannot be read; the message says why, in the user's language."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)  # (row number in the file, cells)


def _limit_bytes() -> int:
    return settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024


def _check_size(upload) -> None:
    if upload.size == 0:
        raise Refused(_("The file is empty."))
    if upload.size > _limit_bytes():
        raise Refused(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {
                "size": number_format(upload.size / 1024 / 1024, 1, use_l10n=True),
                "limit": settings.IMPORT_MAX_UPLOAD_MB,
            }
        )


def _too_many_rows():
    return Refused(
        _("The file has more than %(limit)s rows; split it into smaller files.")
        % {"limit": number_format(settings.IMPORT_MAX_ROWS, use_l10n=True, force_grouping=True)}
    )


def read_table(upload, name: str) -> Table:
    """The first sheet (or the one called "Gegevens") of an XLSX, or a CSV, as a header row and
    the rows under it. Raises `Refused`."""
    _check_size(upload)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    lowered = name.lower()
    if lowered.endswith((".xlsm", ".xltm", ".xlsb", ".xls")):
        raise Refused(_macro_or_old(lowered))
    if head.startswith(ZIP_MAGIC):
        return _read_xlsx(upload)
    if head.startswith(b"%PDF") or b"\x00" in upload.read(4096):
        raise Refused(_not_a_spreadsheet())
    upload.seek(0)
    return _read_csv(upload)


def _macro_or_old(name: str) -> str:
    if name.endswith((".xlsm", ".xltm")):
        return _("Workbooks with macros (.xlsm) are not accepted: save it as .xlsx without macros.")
    return _("This is an old Excel format; save it as .xlsx (Excel workbook) or .csv.")


def _not_a_spreadsheet() -> str:
    return _(
        "This file is not an Excel workbook (.xlsx) or a CSV file. The type is read from the "
        "file's content, not from its name."
    )


def _read_xlsx(upload) -> Table:
    import openpyxl  # only here: the web process needs it only when an import arrives

    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            if not archive_within_limits(archive, infos, upload.size, _limit_bytes()):
                raise Refused(
                    _("This file unpacks to far more than it holds (a compression bomb).")
                )
            names = [info.filename.lower() for info in infos]
            if "[content_types].xml" not in names or not any(n.startswith("xl/") for n in names):
                raise Refused(_not_a_spreadsheet())
            types = archive.read("[Content_Types].xml").decode("utf-8", "replace").lower()
            if any(marker in n for n in names for marker in MACRO_MARKERS) or (
                "macroenabled" in types
            ):
                raise Refused(_macro_or_old(".xlsm"))
        upload.seek(0)
        workbook = openpyxl.load_workbook(upload, read_only=True, data_only=False)
    except Refused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, OSError) as error:
        raise Refused(_("The workbook cannot be read; is it damaged?")) from error
    except Exception as error:  # openpyxl raises many kinds on a malformed part
        raise Refused(_("The workbook cannot be read; is it damaged?")) from error
    try:
        sheet = next(
            (workbook[n] for n in workbook.sheetnames if n.strip().lower() in SHEET_NAMES),
            workbook.worksheets[0],
        )
        return _rows_of(sheet)
    finally:
        workbook.close()


def _rows_of(sheet) -> Table:
    """The sheet's rows, read as far as the limits allow.

    In read-only mode openpyxl pads every row to the width the sheet declares (its
    `<dimension>`) and yields every missing row in between: a small file with a cell in A1 and
    one in XFD1048576 would be ~10^10 cells. So the declared size is ignored (a row is as wide
    as its cells), a value past MAX_COLUMNS refuses the file, and so does a row past
    `_last_row()`, empty rows counted: reading stops there."""
    limit = settings.IMPORT_MAX_ROWS
    last_row = _last_row()
    sheet.reset_dimensions()
    table = None
    count = 0
    try:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if len(values) > MAX_COLUMNS:
                _check_width(values[MAX_COLUMNS:])
                values = values[:MAX_COLUMNS]
            cells = [_xlsx_value(v) for v in values]
            if any(c not in (None, "") for c in cells):
                if table is None:
                    table = Table(headers=[_text(c) for c in cells])
                else:
                    count += 1
                    if count > limit:
                        raise _too_many_rows()
                    table.rows.append((number, cells))
            if number > last_row:
                raise Refused(
                    _(
                        "The sheet goes on past row %(row)s (empty rows count too); remove the "
                        "empty rows or split it into smaller files."
                    )
                    % {"row": number_format(last_row, use_l10n=True, force_grouping=True)}
                )
    except Refused:
        raise
    except Exception as error:  # openpyxl raises many kinds on a malformed cell or row
        raise Refused(_("The workbook cannot be read; is it damaged?")) from error
    if table is None:
        raise Refused(_("The file holds no rows."))
    return table


def _last_row() -> int:
    """The last row of a sheet that is read, empty rows counted: room for as many empty rows as
    an import may have rows, and for the template's 1,000 formatted rows (`imports.workbook`)
    whatever IMPORT_MAX_ROWS is."""
    return max(2 * settings.IMPORT_MAX_ROWS, 2000) + 1


def _check_width(beyond) -> None:
    """Refuse a row with a value past MAX_COLUMNS (cells there that are only formatted, without
    a value, are left out)."""
    from openpyxl.utils import get_column_letter

    if beyond.count(None) + beyond.count("") < len(beyond):
        raise Refused(
            _("The sheet has values past column %(column)s; at most %(limit)s columns are read.")
            % {"column": get_column_letter(MAX_COLUMNS), "limit": MAX_COLUMNS}
        )


def _xlsx_value(value):
    if isinstance(value, datetime):
        return value.date() if value.time() == time(0) else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as error:
        raise Refused(
            _("The text of this CSV file cannot be read: save it as UTF-8 or Windows-1252.")
        ) from error


def _read_csv(upload) -> Table:
    text = _decode(upload.read())
    first = text.split("\n", 1)[0]
    # Dutch spreadsheets write semicolons; a file with more commas (or tabs) in its header
    # line than semicolons was written with those.
    delimiter = max(";,\t", key=lambda d: (first.count(d), d == ";"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    limit = settings.IMPORT_MAX_ROWS
    table = None
    count = 0
    try:
        for row in reader:
            number = reader.line_num
            cells = [c.strip() for c in row]
            if not any(cells):
                continue
            if table is None:
                table = Table(headers=cells)
                continue
            count += 1
            if count > limit:
                raise _too_many_rows()
            table.rows.append((number, cells))
    except csv.Error as error:
        raise Refused(_("The CSV file cannot be read: %(error)s") % {"error": error}) from error
    if table is None:
        raise Refused(_("The file holds no rows."))
    return table


def cell_text(value) -> str:
    """A cell as the text a form reads: a date as ISO, a number without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return str(value).strip()
