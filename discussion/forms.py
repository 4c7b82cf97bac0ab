from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import AccessibleFormMixin
from discussion.models import Comment

__all__ = ["CommentForm"]


class CommentForm(AccessibleFormMixin, forms.ModelForm):
    """What a comment says. `readers`: the users who may read the record; a mention of anyone
    else is refused (nobody is told of a record they cannot open). The mentioned users are
    `mentioned` once the form is valid."""

    class Meta:
        model = Comment
        fields = ["body"]
        labels = {"body": _("Your comment")}
        help_texts = {"body": _("Type @ and the first letters of a name to mention someone.")}
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, readers=None, **kwargs):
        self.readers = readers
        self.mentioned = []
        super().__init__(*args, **kwargs)
        # static/js/mentions.js offers names as the user types "@…".
        self.fields["body"].widget.attrs |= {"data-mentions": "", "autocomplete": "off"}
        # A text of only spaces is stripped to nothing: the same message as for nothing.
        self.fields["body"].error_messages["required"] = _("Write something before you post.")

    def clean_body(self):
        from discussion.services import resolve_mentions

        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write something before you post."))
        if self.readers is not None:
            self.mentioned, problems = resolve_mentions(body, self.readers)
            if problems:
                raise forms.ValidationError(problems)
        return body
