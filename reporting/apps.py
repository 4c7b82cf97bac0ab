from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        from core import jobs
        from core.health import register
        from dashboard.comparison import register_frozen_quarters
        from dashboard.results import register as register_result
        from discussion.subjects import register as register_subject
        from reporting.discussion import REPORT_SUBJECT
        from reporting.frozen import FROZEN_QUARTERS
        from reporting.health import LABEL, jobs_probe
        from reporting.models import DossierExport, Report
        from reporting.results import PUBLISHED_QUARTERLY_REPORTS

        register("jobs", LABEL, jobs_probe)
        register_subject(REPORT_SUBJECT)
        register_result(PUBLISHED_QUARTERLY_REPORTS)
        register_frozen_quarters(FROZEN_QUARTERS)
        # The tasks that make their files (reporting/tasks.py).
        jobs.register(Report, "reporting.render_report")
        jobs.register(DossierExport, "reporting.export_dossier")
