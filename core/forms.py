from django import forms
from django.utils.translation import gettext_lazy as _

from core.uploads import validate_upload

__all__ = ["AccessibleFormMixin", "DateInput", "DocumentUploadForm"]

WIDGET_CLASSES = {
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.RadioSelect: "",
    forms.CheckboxInput: "utrecht-checkbox",
}
TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"


class AccessibleFormMixin:
    """NL Design System classes on every widget. Django ties help texts and errors to their field
    (aria-describedby to {auto_id}_helptext and {auto_id}_error, aria-invalid); the field template
    (includes/field.html) gives them those ids."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = next(
                (c for w, c in WIDGET_CLASSES.items() if isinstance(field.widget, w)), TEXTBOX
            )
            if css:
                field.widget.attrs.setdefault("class", css)
            if isinstance(field.widget, forms.RadioSelect) and field.required:
                # A required choice shown as radios needs no "---------" option, let alone a
                # pre-selected one: nothing is chosen until the user chooses.
                field.choices = [c for c in field.choices if c[0] not in ("", None)]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DocumentUploadForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    file = forms.FileField(
        label=_("file"),
        help_text=_("PDF, Word (DOCX), Excel (XLSX) or OpenDocument (ODT)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.detected_type = validate_upload(upload)
        return upload
