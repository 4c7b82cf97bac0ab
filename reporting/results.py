"""Result B7 of the Innovatiehub's assignment text (seed 001): the quarterly reports published
to the national partners. Reporting owns the reports, so it registers this result with the
dashboard's registry of contracted results (dashboard/results.py) from ReportingConfig.ready."""

from datetime import date

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from dashboard.results import HUB, SHARE, YEAR, Evidence, Figure, ListRecords, Result, Scope
from reporting.models import Report, ReportStatus

__all__ = ["PUBLISHED_QUARTERLY_REPORTS", "ended_quarters", "published_quarterly_reports"]


def ended_quarters(today: date) -> list[int]:
    """The quarters of the programme year that have ended on `today`."""
    return [
        q for q in range(1, 5) if (YEAR, q * 3) < (today.year, today.month) or today.year > YEAR
    ]


def published_quarterly_reports(scope: Scope) -> Figure:
    """Ended quarters of the year whose quarterly report is published (national: every scope)."""
    ended = ended_quarters(scope.today)
    reports = list(
        Report.objects.filter(
            status=ReportStatus.PUBLISHED, snapshot__year=YEAR, snapshot__quarter__in=ended
        )
        .select_related("snapshot")
        .only("published_at", "snapshot__year", "snapshot__quarter")
        .order_by("snapshot__quarter")
    )
    evidence = [
        Evidence(
            str(r.snapshot),
            reverse("reporting:snapshot", args=[r.snapshot.year, r.snapshot.quarter]),
            date_format(r.published_at, "j F Y") if r.published_at else "",
        )
        for r in reports
    ]
    return Figure(len(reports), ListRecords(evidence), target=max(len(ended), 1))


PUBLISHED_QUARTERLY_REPORTS = Result(
    key="B7",
    seed=HUB,
    result=gettext_lazy("Structured consultation with national partners, with quarterly reports"),
    measure=gettext_lazy(
        "Ended quarters of 2026 whose quarterly report is published to the partners"
    ),
    compute=published_quarterly_reports,
    kind=SHARE,
)
