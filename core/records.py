"""Records edited inline, for every app: versioning, the audit history and the conflict view.

Inline edits carry the version they started from. A save compares it with the stored version
under a row lock (compare-and-set): a stale save changes nothing and returns a Conflict that
shows the stored record, so the user chooses with both versions in view. Every insert, update
and delete of a `tracked` model is kept by database triggers (pghistory).
"""

from dataclasses import dataclass

import pghistory
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.display import display_value
from core.search import UNTRACKED

__all__ = [
    "Conflict",
    "RowVersioned",
    "Versioned",
    "conflict_details",
    "conflict_form",
    "create_record",
    "delete_record",
    "posted_version",
    "tracked",
    "update_record",
]


def tracked(model_class):
    """Keep every insert, update and delete of this model in the audit history (pghistory),
    without the fields that follow from the others (core.search.UNTRACKED)."""
    names = {field.name for field in model_class._meta.fields}
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        exclude=[name for name in UNTRACKED if name in names] or None,
    )(model_class)


class _LastChanged(models.Model):
    """Who changed the record last and when: shown next to a conflict."""

    updated_at = models.DateTimeField(gettext_lazy("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("last changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True


class Versioned(_LastChanged):
    """A record edited inline: each save raises `version`, so a stale edit is detected."""

    version_column = "version"
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class RowVersioned(_LastChanged):
    """Versioned, for a model that already has a field called `version` (a certification's
    product version): the counter is `row_version` and is posted under that name."""

    version_column = "row_version"
    row_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


def _version_of(record) -> int:
    return getattr(record, type(record).version_column)


@dataclass(frozen=True)
class Conflict:
    current: models.Model


def posted_version(request, name: str = "version") -> int:
    """The version the edit started from; a missing or garbled value never matches.

    `name` is the model's `version_column` when that is not "version"."""
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        return -1


def create_record(*, form, by) -> models.Model | None:
    """Save a new record; None (with the reason on the form) if a concurrent save got there
    first and a uniqueness rule now refuses it."""
    try:
        with transaction.atomic():
            record = form.save(commit=False)
            record.updated_by = by
            record.save()
            form.save_m2m()
    except IntegrityError:
        form.add_error(None, _("Someone else recorded this at the same moment; reload the page."))
        return None
    return record


def _form_columns(form) -> list[str]:
    model = form._meta.model
    return [name for name in form.fields if not model._meta.get_field(name).many_to_many]


def _unchanged(current, record, columns) -> bool:
    fields = [current._meta.get_field(name) for name in columns]
    return all(
        f.get_prep_value(getattr(current, f.attname))
        == f.get_prep_value(getattr(record, f.attname))
        for f in fields
    )


def _locked(model, pk) -> models.Model:
    """The stored row, locked until the transaction ends; 404 when someone else deleted it
    after the view had read it (the reader's page keeps their input: htmx swaps nothing on an
    error and says what happened)."""
    current = model.objects.select_for_update().filter(pk=pk).first()
    if current is None:
        raise Http404("deleted in the meantime")
    return current


@transaction.atomic
def update_record(*, form, expected_version: int, by) -> models.Model | Conflict:
    model = form._meta.model
    current = _locked(model, form.instance.pk)
    if _version_of(current) != expected_version:
        return Conflict(current=current)
    record = form.save(commit=False)
    columns = _form_columns(form)
    if _unchanged(current, record, columns) and len(columns) == len(form.fields):
        # Nothing changed (no many-to-many either): no save, so no new version and no empty
        # "changed" entry in the history.
        return current
    setattr(record, model.version_column, _version_of(current) + 1)
    record.updated_by = by
    # Only what the form edits: other columns keep their stored values.
    record.save(update_fields=[*columns, model.version_column, "updated_by", "updated_at"])
    form.save_m2m()
    return record


@transaction.atomic
def delete_record(*, instance, expected_version: int) -> Conflict | None:
    current = _locked(type(instance), instance.pk)
    if _version_of(current) != expected_version:
        return Conflict(current=current)
    current.delete()
    return None


def conflict_details(form, current, municipality_names=None) -> dict:
    """What the conflict view shows: per field the stored value (theirs) next to the posted
    one (yours), and who changed the record when. `form` is the refused, validated form."""
    mine = type(current)(
        **{f.attname: getattr(current, f.attname) for f in current._meta.concrete_fields}
    )
    many = {f.name for f in current._meta.many_to_many}
    for name, value in form.cleaned_data.items():
        if name not in many:
            setattr(mine, name, value)
    differences = []
    for name in form.fields:
        if name in many:
            theirs = _listed(getattr(current, name).all())
            yours = _listed(form.cleaned_data.get(name, []))
        else:
            theirs = display_value(current, name, municipality_names)
            yours = display_value(mine, name, municipality_names)
        differences.append((form[name].label, theirs, yours, theirs != yours))
    return {"differences": differences, "by": current.updated_by, "at": current.updated_at}


def conflict_form(form, current, municipality_names=None, **form_kwargs):
    """After a `Conflict`: what the conflict view shows (`conflict_details`) and the form again,
    bound to what was posted but on the stored record, so it carries the stored version and
    saving now is a conscious choice. `form_kwargs` are what the form class needs besides
    data and instance (a region page form's `region`)."""
    details = conflict_details(form, current, municipality_names)
    fresh = type(form)(form.data, instance=current, prefix=form.prefix, **form_kwargs)
    fresh.is_valid()
    return details, fresh


def _listed(records) -> str:
    """A many-to-many value as text, in a fixed order so equal sets read (and compare) equal."""
    return ", ".join(sorted(str(record) for record in records)) or "—"
