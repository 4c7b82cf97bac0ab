from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from pghistory.models import Events

from accounts.forms import AdminPasswordChangeForm, UserCreationForm
from accounts.models import User
from accounts.twofactor import remove_second_factor
from core.history import history_entries

# Permissions follow roles, not Django groups.
admin.site.unregister(Group)
# django-otp's own admin would show every user's authenticator key (its QR code) to the
# beheerder; a lost app is reset with the action on the user list instead.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


def _is_integer(value: str) -> bool:
    try:
        int(value)
    except ValueError:
        return False
    return True


def _is_administrator(request) -> bool:
    return getattr(request.user, "is_administrator", False)


class AdministratorOnly:
    """Beheerders manage users and roles; the site itself already refuses everyone else."""

    def has_module_permission(self, request):
        return _is_administrator(request)

    def has_view_permission(self, request, obj=None):
        return _is_administrator(request)

    def has_add_permission(self, request):
        return _is_administrator(request)

    def has_change_permission(self, request, obj=None):
        return _is_administrator(request)

    def has_delete_permission(self, request, obj=None):
        return _is_administrator(request)


# The latest changes to an account its admin page shows.
AUDIT_SHOWN = 20


@admin.register(User)
class UserAdmin(AdministratorOnly, DjangoUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "role",
        "is_active",
        "second_factor_enabled",
    ]
    list_filter = ["role", "is_active", "second_factor_enabled"]
    actions = ["reset_second_factor"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets[:2],
        (_("Role"), {"fields": ("role", "organisation")}),
        (
            _("Status"),
            {"fields": ("is_active", "second_factor_enabled", "last_login", "date_joined")},
        ),
        (_("Audit history"), {"fields": ("audit_history",)}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (_("Role"), {"fields": ("role", "organisation", "first_name", "last_name", "email")}),
    )
    readonly_fields = ["last_login", "date_joined", "second_factor_enabled", "audit_history"]
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm

    @admin.display(description=_("Changes"))
    def audit_history(self, user):
        """The latest changes to this account (accounts.models.AUDITED_FIELDS): when, by whom,
        and each field before and after; a reset second factor shows as that field turned off."""
        events = Events.objects.tracks(user).order_by("-pgh_created_at", "-pgh_id")
        entries = history_entries(list(events[:AUDIT_SHOWN]))
        if not entries:
            return gettext("No changes recorded.")
        return format_html(
            '<ul class="rm-audit">{}</ul>',
            format_html_join(
                "",
                "<li>{} · {} · {}{}</li>",
                (
                    (
                        date_format(timezone.localtime(entry.at), "j F Y H:i"),
                        entry.who,
                        entry.label,
                        "".join(
                            f"; {field}: {before or '—'} → {after or '—'}"
                            for field, before, after in entry.changes
                        ),
                    )
                    for entry in entries
                ),
            ),
        )

    def response_action(self, request, queryset):
        # Django filters on the posted ids as they are, and a garbled one is a 500 there.
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(_is_integer(value) for value in selected):
            self.message_user(
                request,
                gettext(
                    "Items must be selected in order to perform actions on them. No items have "
                    "been changed."
                ),
                messages.WARNING,
            )
            return None
        return super().response_action(request, queryset)

    @admin.action(description=_("Reset the second factor (lost phone)"))
    def reset_second_factor(self, request, queryset):
        """Someone lost their phone and their recovery codes: remove their app and codes, so
        they set up a new app at their next log-in (required roles) or may (the others)."""
        users = list(queryset)
        for user in users:
            remove_second_factor(user=user)
        self.message_user(
            request,
            ngettext(
                "The second factor of %(count)d user is reset; they set up a new app at their "
                "next log-in.",
                "The second factor of %(count)d users is reset; they set up a new app at their "
                "next log-in.",
                len(users),
            )
            % {"count": len(users)},
            messages.SUCCESS,
        )
