from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.forms import AdminLoginForm, OwnPasswordChangeForm


class RegiomonitorAdminSite(admin.AdminSite):
    """The admin is the beheerder's room: users and roles, nothing else."""

    site_header = _("Regiomonitor administration")
    site_title = _("Regiomonitor administration")
    index_title = _("Users and roles")
    login_form = AdminLoginForm

    def login(self, request, extra_context=None):
        """With passwords switched off (PASSWORD_LOGIN=false) the admin's own password form is
        closed too: the one log-in page offers the organisation's sign-in."""
        if not settings.PASSWORD_LOGIN:
            return redirect_to_login(request.get_full_path(), reverse("login"))
        return super().login(request, extra_context)

    def has_permission(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_authenticated and user.is_administrator

    def password_change(self, request, extra_context=None):
        """Django's own view, with a form that gives its password errors in Dutch (Django's
        AdminSite names its form class inside the method, so it cannot be configured)."""
        from django.contrib.auth.views import PasswordChangeView

        request.current_app = self.name
        return PasswordChangeView.as_view(
            form_class=OwnPasswordChangeForm,
            success_url=reverse("admin:password_change_done", current_app=self.name),
            extra_context={**self.each_context(request), **(extra_context or {})},
            **(
                {"template_name": self.password_change_template}
                if self.password_change_template
                else {}
            ),
        )(request)
