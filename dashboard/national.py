"""The national picture's figures (/landelijk/ and the API's national aggregate): totals and
counts only, no region names or narratives. One definition for the page and the API."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from dashboard.charts import statuses_per_quarter
from dashboard.queries import STAGES, DashboardRow, dashboard_rows
from dashboard.readiness import URGENCY
from monitoring.queries import STATUS_ORDER
from regions.maps import NO_STATUS, STATUS_LEGEND
from regions.models import Municipality

__all__ = ["NationalFigures", "national_figures"]

NOT_STARTED = "geen"


@dataclass(frozen=True)
class NationalFigures:
    rows: list[DashboardRow]
    region_count: int
    municipality_count: int
    population: int
    # (key, label, count), in the legend's order
    status: list[tuple[str, str, int]]
    readiness: list[tuple[str, str, int]]
    stages: list[tuple[str, str, int]]
    # (quarter label, {status: regions whose last update of that quarter had it})
    status_per_quarter: list[tuple[str, dict[str, int]]]


def national_figures(today: date) -> NationalFigures:
    rows = dashboard_rows(today=today)
    statuses = Counter(row.status or NO_STATUS for row in rows)
    labels = dict(STATUS_LEGEND)
    readiness = Counter(row.readiness for row in rows)
    stages = Counter(row.reached for row in rows)
    return NationalFigures(
        rows=rows,
        region_count=len(rows),
        municipality_count=Municipality.objects.count(),
        population=sum(row.region.population for row in rows),
        status=[
            (key, str(labels[key]), statuses.get(key, 0)) for key in [*STATUS_ORDER, NO_STATUS]
        ],
        readiness=[(r.value, str(r.label), readiness.get(r, 0)) for r in URGENCY],
        stages=[
            *((s.value, str(s.label), stages.get(i, 0)) for i, s in enumerate(STAGES)),
            (NOT_STARTED, "—", stages.get(None, 0)),
        ],
        status_per_quarter=statuses_per_quarter(today),
    )
