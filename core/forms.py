from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.formats import date_format, number_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from core.hashing import sha256_hex
from core.uploads import validate_upload

__all__ = [
    "AccessibleFormMixin",
    "DateInput",
    "DocumentUploadForm",
    "HistoryFilterForm",
    "TextLengthValidator",
]

WIDGET_CLASSES = {
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.RadioSelect: "",
    forms.CheckboxInput: "utrecht-checkbox",
}
TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"


def _grouped(number: int) -> str:
    return number_format(number, force_grouping=True)


class TextLengthValidator(validators.MaxLengthValidator):
    """A text's length limit, refused with the count ("Maximaal 2.000 tekens; u heeft er 2.345.").
    A line break counts once, as the browser's counter counts it (a browser posts it as CR LF)."""

    message = _("At most %(limit)s characters; you have %(count)s.")

    def __call__(self, value):
        count = len(str(value).replace("\r\n", "\n"))
        if count > self.limit_value:
            raise ValidationError(
                self.message,
                code="max_length",
                params={"limit": _grouped(self.limit_value), "count": _grouped(count)},
            )


class AccessibleFormMixin:
    """NL Design System classes on every widget. Django ties help texts and errors to their field
    (aria-describedby to {auto_id}_helptext and {auto_id}_error, aria-invalid); the field template
    (includes/field.html) gives them those ids.

    A text with a length limit is never cut off by the browser (no `maxlength`, which silently
    truncates a paste): the field template shows a counter near the limit (static/js/
    inline-edit.js) and the server refuses a longer text with its count, keeping it in the field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = next(
                (c for w, c in WIDGET_CLASSES.items() if isinstance(field.widget, w)), TEXTBOX
            )
            if css:
                field.widget.attrs.setdefault("class", css)
            limit = getattr(field, "max_length", None)
            if limit and not isinstance(field, forms.FileField):
                field.validators = [
                    v for v in field.validators if not isinstance(v, validators.MaxLengthValidator)
                ] + [TextLengthValidator(limit)]
                field.widget.attrs.pop("maxlength", None)
                field.widget.attrs["data-maxlength"] = str(limit)
            if isinstance(field.widget, forms.RadioSelect) and field.required:
                # A required choice shown as radios needs no "---------" option, let alone a
                # pre-selected one: nothing is chosen until the user chooses.
                field.choices = [c for c in field.choices if c[0] not in ("", None)]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DocumentUploadForm(AccessibleFormMixin, forms.Form):
    """A file with its title. `existing`: the stored files of the place it goes to (a region's
    dossier, a product version); a file with the same SHA-256 as one of them is refused."""

    title = forms.CharField(label=_("title"), max_length=200)
    file = forms.FileField(
        label=_("file"),
        help_text=_("PDF, Word (DOCX), Excel (XLSX) or OpenDocument (ODT)."),
    )

    def __init__(self, *args, existing=None, **kwargs):
        self.existing = existing
        super().__init__(*args, **kwargs)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.detected_type = validate_upload(upload)
        if self.existing is not None:
            same = self.existing.filter(sha256=sha256_hex(upload)).first()
            if same is not None:
                raise forms.ValidationError(
                    _("This file was already added here as “%(title)s” on %(date)s."),
                    code="duplicate",
                    params={
                        "title": same.title,
                        "date": date_format(localtime(same.uploaded_at), "j F Y"),
                    },
                )
        return upload


class HistoryFilterForm(AccessibleFormMixin, forms.Form):
    """Narrow a history page (GET): one kind of record, one person, a period."""

    soort = forms.ChoiceField(label=_("kind of record"), required=False)
    persoon = forms.ChoiceField(label=_("person"), required=False)
    van = forms.DateField(label=_("from"), required=False, widget=DateInput)
    tot = forms.DateField(label=_("until"), required=False, widget=DateInput)

    def __init__(self, *args, kinds, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["soort"].choices = [("", _("all")), *kinds]
        self.fields["persoon"].choices = [("", _("everyone")), *((p.pk, str(p)) for p in people)]

    def clean(self):
        data = super().clean()
        since, until = data.get("van"), data.get("tot")
        if since and until and until < since:
            self.add_error("tot", _("The end of the period lies before its start."))
        return data

    def filters(self) -> dict:
        """The valid filters as keyword arguments of `core.history.history_events`."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "model": data.get("soort", ""),
            "user": int(data["persoon"]) if data.get("persoon") else None,
            "since": data.get("van"),
            "until": data.get("tot"),
        }
