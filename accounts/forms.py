from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.forms import AdminPasswordChangeForm as DjangoAdminPasswordChangeForm
from django.contrib.auth.forms import (
    AdminPasswordChangeForm as DjangoSetPasswordForm,
)
from django.contrib.auth.forms import (
    AdminUserCreationForm as DjangoUserCreationForm,
)
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.forms import AccessibleFormMixin

__all__ = [
    "AdminLoginForm",
    "AdminPasswordChangeForm",
    "AppConfirmForm",
    "LoginForm",
    "OwnPasswordChangeForm",
    "SecondFactorForm",
    "UserCreationForm",
]


class BoundedUsernameMixin:
    """AuthenticationForm sets the username's max_length after building the field, so nothing
    checks it: an overlong name reached authenticate() and django-axes' 255-character column
    (a 500 on the log-in page). Refuse it as any other failed log-in."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and len(username) > self.fields["username"].max_length:
            raise self.get_invalid_login_error()
        return super().clean()


class LoginForm(BoundedUsernameMixin, AccessibleFormMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username and password do not match. Both are case-sensitive."),
    }


class AdminLoginForm(BoundedUsernameMixin, AdminAuthenticationForm):
    """The admin's log-in (for beheerders), with the same bound on the username."""


def _dutch_too_short(error):
    # Django 5.2 gave the too-short message a new msgid ("... at least %d characters.") that
    # its Dutch catalogue does not translate yet; the earlier msgid below it does.
    if getattr(error, "code", None) != "password_too_short":
        return error
    minimum = error.params["min_length"]
    return ValidationError(
        ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            minimum,
        ),
        code="password_too_short",
        params={"min_length": minimum},
    )


class DutchPasswordErrorsMixin:
    """Password errors in Dutch on every form that sets a password."""

    def full_clean(self):
        super().full_clean()
        for errors in (self._errors or {}).values():
            errors.data = [_dutch_too_short(error) for error in errors.data]


class UserCreationForm(DutchPasswordErrorsMixin, DjangoUserCreationForm):
    pass


class AdminPasswordChangeForm(DutchPasswordErrorsMixin, DjangoSetPasswordForm):
    """A beheerder sets another user's password."""


class OwnPasswordChangeForm(DutchPasswordErrorsMixin, DjangoAdminPasswordChangeForm):
    """A beheerder changes their own password (old password first)."""


class SecondFactorForm(AccessibleFormMixin, forms.Form):
    """The code after the password: six digits from the authenticator app, or a recovery code.
    The code is checked in accounts.twofactor.verify, which also counts a wrong one."""

    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "The six digits your authenticator app shows for Regiomonitor, or one of your "
            "recovery codes."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    def refuse(self) -> None:
        self.add_error(
            "code",
            _(
                "This code is not right. Type the code your app shows now (it changes every 30 "
                "seconds), or an unused recovery code."
            ),
        )


class AppConfirmForm(AccessibleFormMixin, forms.Form):
    """The first code of a newly scanned authenticator app, to prove it was set up."""

    code = forms.CharField(
        label=_("Code from your app"),
        max_length=40,
        help_text=_("The six digits the app shows for Regiomonitor after scanning."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def refuse(self) -> None:
        self.add_error(
            "code",
            _(
                "This code is not right. Check that the app shows the code of Regiomonitor and "
                "type the six digits it shows now."
            ),
        )
