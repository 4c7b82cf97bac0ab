"""Turning record values into the text a reader sees (also used for conflicts and history)."""

from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

__all__ = ["RecordView", "display_value", "format_value", "record_urls", "record_view"]


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
    return str(value)


@dataclass(frozen=True)
class RecordView:
    """A record as templates/monitoring/sections.html shows it; the markup is the template's."""

    obj: models.Model
    fields: list[tuple[str, str, str]]  # (name, label, shown value)
    late: bool
    label: str = ""  # str(obj), for the actions' accessible names
    edit_url: str = ""
    delete_url: str = ""


_PLACEHOLDER = 987654321


def record_urls(region_code: str, section_key: str):
    """pk -> (edit URL, delete URL) of a section's records; reversed once per section, not
    twice per record (a region page shows some 60 records)."""
    edit = reverse("monitoring:record_edit", args=[region_code, section_key, _PLACEHOLDER])
    delete = reverse("monitoring:record_delete", args=[region_code, section_key, _PLACEHOLDER])
    marker = str(_PLACEHOLDER)
    return lambda pk: (edit.replace(marker, str(pk)), delete.replace(marker, str(pk)))


def record_view(obj, columns, municipality_names=None, urls=None) -> RecordView:
    fields = [
        (name, _verbose_name(type(obj), name), display_value(obj, name, municipality_names))
        for name in columns
    ]
    edit_url, delete_url = urls(obj.pk) if urls else ("", "")
    return RecordView(
        obj=obj,
        fields=fields,
        late=bool(getattr(obj, "is_late", False)),
        label=str(obj),
        edit_url=edit_url,
        delete_url=delete_url,
    )


def _verbose_name(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)
