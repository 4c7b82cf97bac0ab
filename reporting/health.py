"""Reporting's line on the health page: reports and exports waiting for a worker."""

from django.conf import settings
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.jobs import waiting_summary
from reporting.models import DossierExport, Report

__all__ = ["LABEL", "jobs_probe"]

LABEL = gettext_lazy("Reports and exports in the queue")


def jobs_probe() -> tuple[bool, str]:
    """Fine unless a job waits longer than the threshold after which it is sent again
    (JOBS_RESEND_AFTER_SECONDS)."""
    summary = waiting_summary((Report, DossierExport))
    parts = [
        ngettext("%(n)d waiting", "%(n)d waiting", summary["waiting"]) % {"n": summary["waiting"]},
        ngettext("%(n)d in progress", "%(n)d in progress", summary["running"])
        % {"n": summary["running"]},
    ]
    if summary["oldest"]:
        parts.append(_("oldest waiting %(age)s") % {"age": timesince(summary["oldest"])})
    age = summary["oldest_seconds"]
    return age is None or age <= settings.JOBS_RESEND_AFTER_SECONDS, ", ".join(parts)
