"""The audit history of a record (a region, a product, …), read from django-pghistory's event
tables: every event of the record itself and of the records that refer to it.

Every tracked model's insert, update and delete is recorded by database triggers, with the user
and URL of the request as context. The history is append-only (PGHISTORY_APPEND_ONLY).
"""

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePosixPath

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from pghistory.models import Events

from core.display import format_value

__all__ = ["HistoryEntry", "history_choices", "history_entries", "history_events", "history_of"]

HIDDEN_FIELDS = {"id", "version", "row_version", "updated_at", "updated_by", "region", "created_at"}
# The keys of those fields in an event's data: a change of only these changed nothing shown.
_HIDDEN_KEYS = sorted(HIDDEN_FIELDS | {f"{name}_id" for name in HIDDEN_FIELDS})
# An update whose diff holds nothing but hidden keys (a save that changed no field: older
# saves wrote one) is no change to show.
_NOT_EMPTY_UPDATE = (
    "NOT (pgh_label = 'update' AND (COALESCE(pgh_diff, '{}'::jsonb) - %s::text[]) = '{}'::jsonb)"
)
ACTIONS = {
    "insert": _("created"),
    "update": _("changed"),
    "delete": _("deleted"),
    "adviser_changed": _("adviser changed"),
    # An account as it was when its changes began to be kept (accounts migration 0008).
    "baseline": _("as it was when its history began"),
}
# The events that show every field's value rather than what changed.
_WHOLE = {"insert", "baseline"}


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    who: str
    action: str
    label: str
    model_name: str
    subject: str
    changes: list[tuple[str, str, str]]  # (field label, before, after)
    via: str = ""  # how the change was made, when not by hand: "import of steps.xlsx"


def _subject(model, data: dict) -> str:
    for name in ("title", "name", "subject", "national_scenario", "product_name"):
        if data.get(name):
            return str(data[name])
    if "stage" in data:
        return format_value(model._meta.get_field("stage"), data["stage"])
    if "year" in data and "quarter" in data:
        return f"{data['year']} Q{data['quarter']}"
    return ""


def _field(model, name):
    try:
        return model._meta.get_field(name)
    except Exception:
        return None


def _relation_values(model, label: str, data: dict, diff: dict | None):
    """(related model, primary key) for every foreign key value this event shows."""
    values = []
    if label in {"update", "adviser_changed"} and diff:
        items = [(key, v) for key, pair in diff.items() for v in pair]
    elif label in _WHOLE:
        items = list(data.items())
    else:
        items = []
    for key, value in items:
        name = key[:-3] if key.endswith("_id") else None
        if name is None or (name in HIDDEN_FIELDS and label != "adviser_changed"):
            continue
        field = _field(model, name)
        if field is not None and field.is_relation and value is not None:
            values.append((field.related_model, value))
    return values


def _names(events) -> dict:
    """Display names of the related objects and users the events refer to, one query per
    related model."""
    wanted: dict = {}
    user_model = get_user_model()
    for event in events:
        context = event.pgh_context or {}
        if context.get("user"):
            wanted.setdefault(user_model, set()).add(context["user"])
        model = apps.get_model(event.pgh_obj_model)
        for related, pk in _relation_values(
            model, event.pgh_label, event.pgh_data or {}, event.pgh_diff
        ):
            wanted.setdefault(related, set()).add(pk)
    names = {}
    for related, pks in wanted.items():
        objects = related._base_manager.filter(pk__in=pks)
        if related is not user_model and hasattr(related, "svg_path"):
            objects = objects.defer("svg_path", "bbox")
        names.update({(related, obj.pk): str(obj) for obj in objects})
    return names


def _changes(model, label: str, data: dict, diff: dict | None, names) -> list:
    rows = []
    if label in {"update", "adviser_changed"} and diff:
        items = [(key, before, after) for key, (before, after) in diff.items()]
    elif label in _WHOLE:
        items = [(key, None, value) for key, value in data.items() if value not in (None, "", [])]
    else:
        items = []
    for key, before, after in items:
        name = key[:-3] if key.endswith("_id") else key
        field = _field(model, name)
        if field is None or (name in HIDDEN_FIELDS and label != "adviser_changed"):
            continue
        if isinstance(field, models.FileField):
            # Never the storage path (dossier/AM03/…): the name the file was uploaded with.
            rows.append((str(field.verbose_name), _file_name(before), _file_name(after, data)))
        elif field.is_relation:
            related = field.related_model
            rows.append(
                (
                    str(field.verbose_name),
                    names.get((related, before), "—"),
                    names.get((related, after), "—"),
                )
            )
        else:
            before_text = "" if before is None else format_value(field, before)
            rows.append((str(field.verbose_name), before_text, format_value(field, after)))
    return rows


def _via(context: dict) -> str:
    """An import (imports/services.py) names its file in the context of what it wrote."""
    if context.get("import_file"):
        return str(_("import of %(file)s")) % {"file": context["import_file"]}
    return ""


def _file_name(path, data: dict | None = None) -> str:
    if not path:
        return ""
    if data and data.get("original_name"):
        return str(data["original_name"])
    return PurePosixPath(str(path)).name


def history_events(
    record,
    *,
    model: str = "",
    user: int | None = None,
    since: date | datetime | None = None,
    until: date | None = None,
    not_by: int | None = None,
):
    """The events about `record` (and the records that refer to it), newest first, narrowed to
    one kind of record (`app_label.Model`), one person and a period (days, inclusive); saves
    that changed nothing are left out.

    `record` may be a list of records of one model (a portfolio's regions). `since` as a
    datetime (a visit's moment) keeps only what happened after it; `not_by` leaves out one
    person's own changes (events without a user, such as the system's, stay)."""
    # A constant condition with its keys as a parameter: no user input reaches the text.
    events = Events.objects.references(record).extra(  # noqa: S610
        where=[_NOT_EMPTY_UPDATE], params=[_HIDDEN_KEYS]
    )
    if model:
        events = events.filter(pgh_obj_model=model)
    if user:
        events = events.filter(pgh_context__user=user)
    if isinstance(since, datetime):
        events = events.filter(pgh_created_at__gt=since)
    elif since:
        events = events.filter(pgh_created_at__date__gte=since)
    if until:
        events = events.filter(pgh_created_at__date__lte=until)
    if not_by:
        events = events.filter(
            models.Q(pgh_context__user__isnull=True) | ~models.Q(pgh_context__user=not_by)
        )
    return events.order_by("-pgh_created_at", "-pgh_id")


def history_choices(record) -> tuple[list[tuple[str, str]], list]:
    """What the history of `record` can be narrowed to: the kinds of record in it (label, name)
    and the people who made its changes. Two queries."""
    pairs = set(history_events(record).values_list("pgh_obj_model", "pgh_context__user").distinct())
    kinds = sorted(
        {
            (label, capfirst(apps.get_model(label)._meta.verbose_name_plural))
            for label, _user in pairs
        },
        key=lambda kind: kind[1],
    )
    user_ids = {user for _label, user in pairs if user}
    people = list(
        get_user_model().objects.filter(pk__in=user_ids).order_by("first_name", "last_name")
    )
    return kinds, people


def history_of(record, limit: int = 300) -> list[HistoryEntry]:
    return history_entries(list(history_events(record)[:limit]))


def history_entries(events) -> list[HistoryEntry]:
    """The events (from `history_events`) as the history page shows them."""
    names = _names(events)
    user_model = get_user_model()
    entries = []
    for event in events:
        model = apps.get_model(event.pgh_obj_model)
        data = event.pgh_data or {}
        context = event.pgh_context or {}
        entries.append(
            HistoryEntry(
                at=event.pgh_created_at,
                who=names.get((user_model, context.get("user")), str(_("system"))),
                action=event.pgh_label,
                label=str(ACTIONS.get(event.pgh_label, event.pgh_label)),
                model_name=str(model._meta.verbose_name),
                subject=_subject(model, data),
                changes=_changes(model, event.pgh_label, data, event.pgh_diff, names),
                via=_via(context),
            )
        )
    return entries
