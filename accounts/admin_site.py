from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404
from django.urls import path, reverse
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

    def get_urls(self):
        urls = super().get_urls()
        for index, pattern in enumerate(urls):
            if getattr(pattern, "name", None) == "view_on_site":
                view = self.admin_view(self.view_on_site)
                urls[index] = path(str(pattern.pattern), view, name="view_on_site")
        return urls

    def view_on_site(self, request, content_type_id, object_id):
        """Django's view-on-site, with a 404 for a kind of record that has no page before it
        is looked up: the audit history's combined events have no table to look in."""
        content_type = ContentType.objects.filter(pk=content_type_id).first()
        model = content_type.model_class() if content_type else None
        if model is None or not hasattr(model, "get_absolute_url"):
            raise Http404
        return shortcut(request, content_type_id, object_id)

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
