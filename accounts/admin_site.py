from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class RegiomonitorAdminSite(admin.AdminSite):
    """The admin is the beheerder's room: users and roles, nothing else."""

    site_header = _("Regiomonitor administration")
    site_title = _("Regiomonitor administration")
    index_title = _("Users and roles")

    def has_permission(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_authenticated and user.is_administrator
