"""A record as the region page shows it: its fields' shown values and its edit addresses."""

from dataclasses import dataclass

from django.db import models
from django.urls import reverse

from core.display import display_value

__all__ = ["RecordView", "record_urls", "record_view"]


@dataclass(frozen=True)
class RecordView:
    """A record as templates/monitoring/sections.html shows it; the markup is the template's."""

    obj: models.Model
    fields: list[tuple[str, str, str]]  # (name, label, shown value)
    late: bool
    label: str = ""  # str(obj), for the actions' accessible names
    edit_url: str = ""
    delete_url: str = ""
    wide: frozenset[str] = frozenset()  # long texts: the record's full width
    folded: frozenset[str] = frozenset()  # longer still: folded to a few lines ("meer tonen")
    attention: bool = False  # late, or (a signal) still waiting for an answer


WIDE_FROM = 80  # characters of a text field's value that take the record's full width
FOLD_FROM = 320  # characters (or FOLD_LINES lines) from which it is folded
FOLD_LINES = 5


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
    texts = [
        (name, value)
        for name, _label, value in fields
        if isinstance(obj._meta.get_field(name), models.TextField)
    ]
    late = bool(getattr(obj, "is_late", False))
    return RecordView(
        obj=obj,
        fields=fields,
        late=late,
        label=str(obj),
        edit_url=edit_url,
        delete_url=delete_url,
        wide=frozenset(n for n, v in texts if len(v) > WIDE_FROM or "\n" in v),
        folded=frozenset(
            n for n, v in texts if len(v) > FOLD_FROM or v.count("\n") >= FOLD_LINES - 1
        ),
        attention=late or bool(getattr(obj, "awaits_answer", False)),
    )


def _verbose_name(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)
