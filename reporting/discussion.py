"""The discussion of a quarterly report's draft (discussion/subjects.py): read by programme
management, the hub and advisers (partners see published reports only, never how they came
about); written by programme management while the report is a draft."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from discussion.subjects import Subject, active_users
from reporting.models import Report, ReportStatus

__all__ = ["REPORT_SUBJECT"]

READERS = (Role.PROGRAMME, Role.HUB, Role.ADVISER)


def _visible(user):
    reports = Report.objects.select_related("snapshot")
    return reports if user.role in READERS else reports.none()


def _closed(report) -> str:
    if report.status != ReportStatus.CONCEPT:
        return _("This report has been approved: its discussion is closed.")
    return ""


REPORT_SUBJECT = Subject(
    key="rapportages",
    label=Report._meta.verbose_name,
    model=Report,
    visible=_visible,
    writes=lambda user, report: (
        user.role == Role.PROGRAMME and report.status == ReportStatus.CONCEPT
    ),
    readers=lambda report: active_users(User.objects.filter(role__in=READERS)),
    url=lambda report: report.get_absolute_url(),
    closed=_closed,
)
