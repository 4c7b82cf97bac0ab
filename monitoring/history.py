"""The audit history of a region, read from django-pghistory's event tables.

Every tracked model's insert, update and delete is recorded by database triggers, with the user
and URL of the request as context. The history is append-only (PGHISTORY_APPEND_ONLY).
"""

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from pghistory.models import Events

from monitoring.display import format_value

__all__ = ["HistoryEntry", "region_history"]

HIDDEN_FIELDS = {"id", "version", "updated_at", "updated_by", "region", "created_at"}
ACTIONS = {
    "insert": _("created"),
    "update": _("changed"),
    "delete": _("deleted"),
    "adviser_changed": _("adviser changed"),
}


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    who: str
    action: str
    label: str
    model_name: str
    subject: str
    changes: list[tuple[str, str, str]]  # (field label, before, after)


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


def _changes(model, label: str, data: dict, diff: dict | None, names) -> list:
    rows = []
    if label in {"update", "adviser_changed"} and diff:
        items = [(key, before, after) for key, (before, after) in diff.items()]
    elif label == "insert":
        items = [(key, None, value) for key, value in data.items() if value not in (None, "", [])]
    else:
        items = []
    for key, before, after in items:
        name = key[:-3] if key.endswith("_id") else key
        field = _field(model, name)
        if field is None or (name in HIDDEN_FIELDS and label != "adviser_changed"):
            continue
        if field.is_relation:
            rows.append((str(field.verbose_name), names.get(before, "—"), names.get(after, "—")))
        else:
            before_text = "" if before is None else format_value(field, before)
            rows.append((str(field.verbose_name), before_text, format_value(field, after)))
    return rows


def region_history(region, limit: int = 300) -> list[HistoryEntry]:
    events = list(Events.objects.references(region).order_by("-pgh_created_at", "-pgh_id")[:limit])
    user_ids = set()
    for event in events:
        context = event.pgh_context or {}
        if context.get("user"):
            user_ids.add(context["user"])
        if event.pgh_label == "adviser_changed":
            user_ids.update(v for v in (event.pgh_diff or {}).get("adviser_id", []) if v)
    users = {u.pk: str(u) for u in get_user_model().objects.filter(pk__in=user_ids)}
    entries = []
    for event in events:
        model = apps.get_model(event.pgh_obj_model)
        data = event.pgh_data or {}
        context = event.pgh_context or {}
        entries.append(
            HistoryEntry(
                at=event.pgh_created_at,
                who=users.get(context.get("user"), str(_("system"))),
                action=event.pgh_label,
                label=str(ACTIONS.get(event.pgh_label, event.pgh_label)),
                model_name=str(model._meta.verbose_name),
                subject=_subject(model, data),
                changes=_changes(model, event.pgh_label, data, event.pgh_diff, users),
            )
        )
    return entries
