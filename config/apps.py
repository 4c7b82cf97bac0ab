from django.contrib.admin.apps import AdminConfig


class RegiomonitorAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.RegiomonitorAdminSite"
