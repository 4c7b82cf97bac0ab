"""Checking every row of an uploaded file, without writing anything: the plan of what
confirming would add and change, with each error at its row and column.

A row's cells become the form data the region page would post (a date in any of the ways
Dutch spreadsheets write one, a choice by its label or code or as the template's drop-down list
holds it, "ja"/"nee"), and the kind's form checks it: the same rules and messages as an inline
save. The natural key (`ImportKind`) finds the record a row is about: a row matching a stored
record is a change (or nothing, when every value is the same), two rows with one key are an
error.
"""

import copy
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.display import format_value
from core.spreadsheets import safe_cell
from imports.kinds import REGION_COLUMN, ImportKind, normalise
from imports.reading import Table, cell_text
from regions.access import can_change_region
from regions.models import Region

__all__ = ["ADD", "CHANGE", "ERROR", "SAME", "Plan", "RowPlan", "check_table"]

ADD, CHANGE, SAME, ERROR = "add", "change", "same", "error"
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%y", "%d/%m/%y")
TRUE = {"ja", "j", "yes", "y", "waar", "true", "1", "x"}
FALSE = {"nee", "n", "no", "onwaar", "false", "0", ""}
PROGRESS_EVERY = 100  # rows between two progress reports


@dataclass
class RowPlan:
    number: int
    action: str
    region: str = ""
    label: str = ""
    pk: int | None = None
    version: int | None = None
    data: dict = field(default_factory=dict)
    changes: list = field(default_factory=list)  # [column, before, after]
    errors: list = field(default_factory=list)  # [column, message]


@dataclass
class Plan:
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # about the file as a whole
    notes: list[str] = field(default_factory=list)  # columns left out, ignored

    @property
    def counts(self) -> dict[str, int]:
        counts = {ADD: 0, CHANGE: 0, SAME: 0, ERROR: 0}
        for row in self.rows:
            counts[row.action] += 1
        return counts

    @property
    def ok(self) -> bool:
        return not self.problems and not any(row.action == ERROR for row in self.rows)

    def as_json(self) -> dict:
        return {
            "rows": [asdict(row) for row in self.rows],
            "problems": self.problems,
            "notes": self.notes,
            "counts": self.counts,
        }


def _choices(field) -> dict[str, str]:
    """Every way a file may name a choice (its code, its label in Dutch and English); worked
    out once per field of a check (the field objects are kept per region, `_FormFields`)."""
    cached = getattr(field, "_import_choices", None)
    if cached is not None:
        return cached
    found = {}
    for language in ("nl", "en"):
        with override(language):
            for value, label in field.choices:
                if value in ("", None):
                    continue
                for spelling in _spellings(label, value):
                    found[spelling] = str(value)
    field._import_choices = found
    return found


def _spellings(*names) -> set[str]:
    """The ways a file may write these names, normalised: as they are, and as the template's
    drop-down lists hold them (`safe_cell`: "'=…" for a name that looks like a formula)."""
    return {normalise(spelled) for name in names for spelled in (name, safe_cell(str(name)))}


def _choice_labels(field) -> str:
    return ", ".join(str(label) for value, label in field.choices if value not in ("", None))


def _date(raw):
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    text = cell_text(raw)
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return text  # the form says what is wrong with it


def convert(field: forms.Field, raw):
    """(form value, error or None) for one cell."""
    if isinstance(raw, str) and raw.startswith("="):
        return "", _(
            "This cell holds a formula (%(formula)s); formulas are not evaluated: fill in the "
            "value itself."
        ) % {"formula": raw[:60]}
    if isinstance(field, forms.DateField):
        return _date(raw), None
    if isinstance(field, forms.BooleanField):
        text = normalise(raw if not isinstance(raw, bool) else ("ja" if raw else "nee"))
        if text in TRUE:
            return "on", None
        if text in FALSE:
            return "", None
        return "", _("Fill in “ja” or “nee”.")
    if isinstance(field, forms.MultipleChoiceField):
        known = _choices(field)
        values, unknown = [], []
        for part in re.split(r"[;,]", cell_text(raw)):
            if part.strip():
                value = known.get(normalise(part))
                (values.append(value) if value else unknown.append(part.strip()))
        if unknown:
            return values, _(
                "“%(value)s” is not one of the choices of this column: %(choices)s "
                "(separate several with a semicolon)."
            ) % {"value": "; ".join(unknown), "choices": _choice_labels(field)}
        return values, None
    if isinstance(field, forms.ChoiceField):
        text = cell_text(raw)
        if not text:
            return "", None
        value = _choices(field).get(normalise(text))
        if value is None:
            return text, _("“%(value)s” is not one of the choices of this column: %(choices)s.") % {
                "value": text,
                "choices": _choice_labels(field),
            }
        return value, None
    return cell_text(raw), None


def _stored(field: forms.Field, value):
    """A stored value as form data, for a column the file leaves out."""
    if value is None:
        return ""
    if isinstance(field, forms.BooleanField):
        return "on" if value else ""
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value)


class _Regions:
    """The regions a row may name, and whether this user may change each."""

    def __init__(self, user, fixed: Region | None, check_change: bool = True):
        self.fixed = fixed
        self.user = user
        self.check_change = check_change
        self.by_name: dict[str, Region] = {}
        self.allowed: dict[int, bool] = {}
        if fixed is None:
            for region in Region.objects.select_related("adviser").defer("svg_path", "bbox"):
                for name in _spellings(region.code, region.name, f"{region.name} ({region.code})"):
                    self.by_name[name] = region

    def all(self) -> list[Region]:
        return (
            [self.fixed] if self.fixed else list({r.pk: r for r in self.by_name.values()}.values())
        )

    def find(self, raw):
        """(region, error or None) for a row's region cell."""
        if self.fixed is not None:
            return self.fixed, None
        text = cell_text(raw)
        region = self.by_name.get(normalise(text))
        if region is None:
            if not text:
                return None, _("Fill in the region (its name or code, e.g. AM03).")
            return None, _("“%(value)s” is no labour-market region; use its name or code.") % {
                "value": text
            }
        if not self.check_change:
            return region, None  # a portfolio: the page itself is programme management's
        if region.pk not in self.allowed:
            self.allowed[region.pk] = can_change_region(self.user, region)
        if not self.allowed[region.pk]:
            return None, _("You cannot change the records of %(region)s.") % {"region": region}
        return region, None


def _label(kind: ImportKind, data: dict) -> str:
    parts = [str(data.get(name, "")) for name in kind.key_fields]
    if kind.key == "voortgang":
        return f"{data.get('year', '')} Q{data.get('quarter', '')}"
    return " · ".join(p for p in parts if p)


def _shown(kind: ImportKind, field: forms.Field, name: str, value) -> str:
    model_field = kind.model_field(name)
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        labels = {str(v): str(label) for v, label in field.choices}
        if isinstance(value, list):
            return ", ".join(labels.get(str(v), str(v)) for v in value) or "—"
        if value in ("", None):
            return "—"
        return labels.get(str(value), str(value))
    if model_field is not None and not model_field.is_relation:
        return format_value(model_field, value)
    return "—" if value in ("", None) else str(value)


def check_table(kind: ImportKind, table: Table, *, user, region: Region | None, progress=None):
    """The plan for this file; `region` is the region page's, None for a national import.
    `progress(done, total)` is told every PROGRESS_EVERY rows."""
    plan = Plan()
    regions = _Regions(user, region if kind.regional else None, check_change=kind.regional)
    national = region is None
    sample_region = region or Region.objects.defer("svg_path", "bbox").first()
    fields = kind.form_fields(sample_region)
    headers = dict(kind.headers(fields, national))
    names = kind.header_names(fields, national)
    columns: dict[int, str] = {}
    for index, header in enumerate(table.headers):
        name = names.get(normalise(header))
        if name is None:
            if header:
                plan.notes.append(
                    _("The column “%(header)s” is not one of this kind's and is skipped.")
                    % {"header": header}
                )
        elif name in columns.values():
            plan.problems.append(_("The column “%(header)s” appears twice.") % {"header": header})
        else:
            columns[index] = name
    present = set(columns.values())
    if national and kind.regional and REGION_COLUMN not in present:
        plan.problems.append(
            _("The column “%(header)s” is missing.") % {"header": headers[REGION_COLUMN]}
        )
    for name in kind.key_fields:
        if name not in present:
            plan.problems.append(
                _("The column “%(header)s” is missing.") % {"header": headers[name]}
            )
    if plan.problems:
        return plan
    existing = kind.existing(regions.all())
    by_region: dict[str, dict] = {}

    def fields_of(row_region):
        """The form's fields for a region's rows, made once: they convert the cells."""
        if row_region.code not in by_region:
            by_region[row_region.code] = kind.form_fields(row_region)
        return by_region[row_region.code]

    seen: dict[tuple, int] = {}
    total = len(table.rows)
    for done, (number, cells) in enumerate(table.rows, start=1):
        plan.rows.append(
            _check_row(kind, number, cells, columns, headers, regions, existing, seen, fields_of)
        )
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, total)
    return plan


def _check_row(kind, number, cells, columns, headers, regions, existing, seen, fields_of):
    row = RowPlan(number=number, action=ERROR)
    raw = {name: cells[index] if index < len(cells) else None for index, name in columns.items()}
    if kind.regional:
        region, error = regions.find(raw.pop(REGION_COLUMN, None))
    else:
        region, error = regions.find(raw.get("region"))
        if error is None and region is not None:
            raw["region"] = region.code
    if error:
        row.errors.append([headers.get(REGION_COLUMN) or headers["region"], error])
        return row
    row.region = region.code
    form_fields = fields_of(region)
    data, errors = {}, []
    for name, value in raw.items():
        converted, problem = convert(form_fields[name], value)
        data[name] = converted
        if problem:
            errors.append([headers[name], problem])
    key = tuple(normalise(data.get(name)) for name in kind.key_fields)
    instance = existing.get((region.code, key))
    if instance is None and not kind.creates:
        instance = existing.get((region.code, (normalise(region.code),)))
    if instance is not None:
        # Found by a key that ignores case and spaces: the stored spelling stays.
        for name in kind.key_fields:
            if kind.model_field(name) is not None and name != "region":
                data[name] = _stored(form_fields[name], getattr(instance, name))
    for name in kind.fields:
        if name in raw:
            if data[name] in ("", []) and instance is None and kind.default(name) is not None:
                data[name] = _stored(form_fields[name], kind.default(name))
            continue
        if instance is not None and kind.model_field(name) is not None:
            data[name] = _stored(form_fields[name], getattr(instance, name))
        elif kind.default(name) is not None:
            data[name] = _stored(form_fields[name], kind.default(name))
    row.data = data
    row.label = _label(kind, data)
    first = seen.setdefault((region.code, key), number) if any(key) else number
    if first != number:
        errors.append(
            [
                ", ".join(headers[name] for name in kind.key_fields),
                _("Row %(first)s already has these values; a record is imported once.")
                % {"first": first},
            ]
        )
    # A copy: validating a form changes its instance, and the stored values are shown next
    # to the new ones.
    editing = copy.copy(instance) if instance is not None and kind.updates else None
    form = kind.build_form(data, region=region, instance=editing)
    if not form.is_valid():
        for name, messages in form.errors.items():
            column = headers.get(name, capfirst(_("whole row")))
            if any(noted == column for noted, _message in errors):
                continue  # the cell's own problem says it already
            errors.extend([column, message] for message in messages)
    if errors:
        row.errors = errors
        return row
    if instance is None:
        row.action = ADD
        return row
    row.pk = instance.pk
    row.version = getattr(instance, getattr(type(instance), "version_column", "version"), None)
    if not kind.updates:
        row.action = SAME
        return row
    row.changes = _changes(kind, form, instance, headers)
    row.action = CHANGE if row.changes else SAME
    return row


def _changes(kind, form, instance, headers) -> list:
    changes = []
    if kind.key == "portefeuilles":
        before = instance.adviser.username if instance.adviser_id else ""
        after = form.cleaned_data["adviser"]
        if before != after:
            shown = dict(form.fields["adviser"].choices)
            changes.append(
                [
                    headers["adviser"],
                    shown.get(before, before) if before else "—",
                    shown.get(after, after),
                ]
            )
        return changes
    for name in form.changed_data:
        field = form.fields[name]
        changes.append(
            [
                headers[name],
                _shown(kind, field, name, getattr(instance, name)),
                _shown(kind, field, name, form.cleaned_data.get(name)),
            ]
        )
    return changes
