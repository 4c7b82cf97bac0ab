from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        from core.health import register
        from reporting.health import LABEL, jobs_probe

        register("jobs", LABEL, jobs_probe)
