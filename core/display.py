"""Turning record values into the text a reader sees (pages, conflicts, history, PDFs)."""

from decimal import Decimal, InvalidOperation

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

__all__ = ["display_value", "format_value", "hours_display"]


def hours_display(value) -> str:
    """Hours as the reader writes them: "2,5", "30", "2,25" in Dutch (no trailing zeros)."""
    try:
        number = Decimal(str(value if value is not None else 0))
    except InvalidOperation:
        return str(value)
    number = number.quantize(Decimal("0.01"))
    places = 0 if number == number.to_integral() else len(str(number.normalize()).split(".")[1])
    return number_format(number, decimal_pos=places)


def display_value(obj, name: str, municipality_names: dict[str, str] | None = None) -> str:
    return format_value(obj._meta.get_field(name), getattr(obj, name), municipality_names)


def format_value(field, value, municipality_names: dict[str, str] | None = None) -> str:
    """The text shown for a field's value; `value` may come from the ORM or from JSON history."""
    name = field.name
    if value is not None and isinstance(value, str) and isinstance(field, models.DateField):
        value = field.to_python(value)
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(field, ArrayField):
        if name == "municipality_codes" and municipality_names is not None:
            return ", ".join(municipality_names.get(code, code) for code in value)
        labels = dict(field.base_field.choices or [])
        return ", ".join(str(labels.get(item, item)) for item in value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(field, models.DateField):
        return date_format(value, "j F Y")
    if name == "size" and isinstance(field, models.PositiveBigIntegerField):
        return str(filesizeformat(value))  # a stored file's size: "30,0 MB" in Dutch
    if isinstance(field, models.DecimalField):
        return hours_display(value) if name == "hours" else number_format(value)
    return str(value)
