"""The template of a kind of import: an `.xlsx` with the columns in the reader's language, a
sheet explaining each column, and a drop-down list on every column with choices (openpyxl's
data validation, reading its choices from a hidden sheet, so long lists fit).

Every text goes through `core.spreadsheets.safe_cell`: openpyxl stores a text that starts with
"=" as a formula, and route-step titles, advisers' and regions' names are typed by people. A
choice written that way ("'=…") is read back as the choice it stands for (`imports.checking`)."""

import io

from django import forms
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.spreadsheets import safe_cell
from imports.kinds import REGION_COLUMN, ImportKind
from regions.models import Region

__all__ = ["template_workbook"]

ROWS = 1000  # rows that get the drop-downs and date format
HEADER_FILL = PatternFill("solid", fgColor="154273")  # the programme's dark blue
WHITE_BOLD = Font(bold=True, color="FFFFFF")


def _choices(name: str, field: forms.Field, national: bool) -> list[str]:
    if name == "route_step" and national:
        return []  # each region has its own steps: typed, and checked on upload
    if name == REGION_COLUMN:
        return [f"{r.name} ({r.code})" for r in Region.objects.only("code", "name")]
    if isinstance(field, forms.ChoiceField):
        return [str(label) for value, label in field.choices if value not in ("", None)]
    if isinstance(field, forms.BooleanField):
        return [_("yes"), _("no")]
    return []


def _format(name: str, field: forms.Field | None, required: bool) -> str:
    if name == REGION_COLUMN:
        return _("The region's name or code (AM01 to AM38).")
    if isinstance(field, forms.DateField):
        return _("A date: 31-12-2026 (or 2026-12-31).")
    if isinstance(field, forms.MultipleChoiceField):
        return _("One or more of the list, separated by a semicolon.")
    if isinstance(field, forms.ChoiceField | forms.BooleanField):
        return _("One of the list (a drop-down in the cell).")
    if isinstance(field, forms.IntegerField):
        return _("A whole number.")
    limit = getattr(field, "max_length", None)
    if limit:
        return _("Text, at most %(limit)s characters.") % {"limit": limit}
    return _("Text.")


def template_workbook(kind: ImportKind, *, region: Region | None) -> bytes:
    national = region is None
    sample = region or Region.objects.defer("svg_path", "bbox").first()
    fields = kind.form_fields(sample)
    columns = kind.headers(fields, national)

    book = Workbook()
    data = book.active
    data.title = _("Data")
    explained = book.create_sheet(_("Explanation"))
    lists = book.create_sheet(_("Choices"))
    lists.sheet_state = "hidden"

    list_column = 0
    for index, (name, header) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = data.cell(row=1, column=index, value=safe_cell(header))
        cell.font, cell.fill = WHITE_BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        field = fields.get(name)
        data.column_dimensions[letter].width = 40 if isinstance(field, forms.CharField) else 22
        if isinstance(field, forms.DateField):
            for row in range(2, ROWS + 2):
                data.cell(row=row, column=index).number_format = "DD-MM-YYYY"
        choices = _choices(name, field, national)
        if choices:
            list_column += 1
            list_letter = get_column_letter(list_column)
            lists.cell(row=1, column=list_column, value=safe_cell(header))
            for row, choice in enumerate(choices, start=2):
                lists.cell(row=row, column=list_column, value=safe_cell(choice))
            multiple = isinstance(field, forms.MultipleChoiceField)
            validation = DataValidation(
                type="list",
                formula1=f"'{lists.title}'!${list_letter}$2:${list_letter}${len(choices) + 1}",
                allow_blank=True,
                # Several choices in one cell are typed, so the list then only suggests.
                showErrorMessage=not multiple,
                errorTitle=_("Not a choice of this column"),
                error=_("Choose a value from the list."),
            )
            data.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{ROWS + 1}")
    data.freeze_panes = "A2"

    title = _("Import: %(kind)s") % {"kind": kind.title}
    if region is not None:
        title += f" · {region.name}"
    explained["A1"] = safe_cell(title)
    explained["A1"].font = Font(bold=True, size=14)
    explained["A2"] = safe_cell(
        _(
            "Fill in one record per row on the sheet “%(sheet)s”, from row 2, and upload the "
            "file on the import page. Nothing is saved before you have seen the preview and "
            "confirmed it."
        )
        % {"sheet": data.title}
    )
    explained["A3"] = safe_cell(str(kind.explanation))
    for cell, text in zip(
        ("A5", "B5", "C5", "D5"),
        (_("Column"), _("Required"), _("What to fill in"), _("Format")),
        strict=True,
    ):
        explained[cell] = safe_cell(text)
        explained[cell].font = WHITE_BOLD
        explained[cell].fill = HEADER_FILL
    for row, (name, header) in enumerate(columns, start=6):
        field = fields.get(name)
        required = name == REGION_COLUMN or (
            field is not None and field.required and kind.default(name) is None
        )
        help_text = str(field.help_text) if field is not None and field.help_text else ""
        if name in kind.key_fields:
            help_text = (help_text + " " + _("Finds the record on a second import.")).strip()
        explained.cell(row=row, column=1, value=safe_cell(header)).font = Font(bold=True)
        explained.cell(row=row, column=2, value=_("yes") if required else _("no"))
        explained.cell(row=row, column=3, value=safe_cell(help_text))
        explained.cell(row=row, column=4, value=safe_cell(_format(name, field, required)))
    for letter, width in (("A", 30), ("B", 12), ("C", 60), ("D", 50)):
        explained.column_dimensions[letter].width = width
    for row in explained.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
