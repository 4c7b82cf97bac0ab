"""The rows of the national dashboard: every region with its state, in a fixed number of queries.

Each figure is one grouped query over all regions in scope, so the number of queries does not
grow with the number of regions or records.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from dashboard.readiness import URGENCY, Readiness, grouped_stage_inputs, readiness_of
from monitoring.freshness import Freshness, freshness_from, late_step_counts, latest_updates
from monitoring.models import (
    Decision,
    DecisionOutcome,
    PlanMilestone,
    PlanStage,
    Signal,
    SignalStatus,
    Status,
)
from regions.maps import NO_STATUS
from regions.models import Municipality, Region

__all__ = ["DashboardRow", "Filters", "dashboard_rows", "provinces"]

STAGES = list(PlanStage)
STATUS_BADGES = {
    Status.ON_TRACK: ("success", Status.ON_TRACK.label),
    Status.ATTENTION: ("warning", Status.ATTENTION.label),
    Status.RISK: ("danger", Status.RISK.label),
    None: ("neutral", gettext_lazy("No update yet")),
}


@dataclass
class DashboardRow:
    region: Region
    reached: int | None
    expected: int | None
    late_steps: int
    open_signals: int
    status: str | None
    last_update: datetime | None
    upcoming_decisions: int
    readiness: Readiness
    # The local date of `last_update`, when the query already gave it (no conversion per use).
    last_update_day: date | None = None
    # Actualiteit on the dashboard's day (monitoring/freshness.py): the same update and late
    # steps as the fields above, and whether this quarter's progress update is there.
    freshness: Freshness | None = None

    @property
    def stage_label(self) -> str:
        return str(STAGES[self.reached].label) if self.reached is not None else ""

    @property
    def status_badge(self) -> tuple[str, str]:
        """(css modifier, label) of the status badge."""
        return STATUS_BADGES.get(self.status, STATUS_BADGES[None])

    @property
    def stage_value(self) -> str:
        return STAGES[self.reached].value if self.reached is not None else ""

    def update_age_days(self, today: date) -> int | None:
        if self.last_update is None:
            return None
        day = self.last_update_day or timezone.localtime(self.last_update).date()
        return (today - day).days

    @property
    def urgency(self) -> int:
        return URGENCY.index(self.readiness)


@dataclass(frozen=True)
class Filters:
    adviser: int | None = None
    province: str = ""
    stage: str = ""
    status: str = ""
    readiness: str = ""

    def matches(self, row: DashboardRow, provinces_of: dict[int, set[str]]) -> bool:
        if self.adviser and row.region.adviser_id != self.adviser:
            return False
        if self.province and self.province not in provinces_of.get(row.region.pk, set()):
            return False
        if self.stage and row.stage_value != self.stage:
            return False
        if self.status and (row.status or NO_STATUS) != self.status:
            return False
        return not (self.readiness and row.readiness != self.readiness)


def _counts(queryset) -> dict[int, int]:
    return dict(queryset.order_by().values_list("region").annotate(n=Count("pk")))


def dashboard_rows(regions=None, today: date | None = None) -> list[DashboardRow]:
    """One row per region. Each figure is one grouped query over all regions in scope (seven
    queries in all), merged here: cheaper than a correlated subquery per region and figure.
    The latest update and the late steps are read as monitoring/freshness.py reads them."""
    today = today or timezone.localdate()
    every_region = regions is None
    regions = Region.objects.all() if every_region else regions
    # Without outlines: the maps draw them from one cached file (regions.maps.shapes_url). The
    # few advisers are read once (prefetch) rather than joined onto, and built for, every row.
    regions = list(regions.prefetch_related("adviser").defer("svg_path").order_by("name"))
    # Every record belongs to a region: for the whole country no list of 350 ids is sent along.
    region_ids = None if every_region else [r.pk for r in regions]
    scope = {} if every_region else {"region__in": region_ids}
    stages = grouped_stage_inputs(PlanMilestone.objects.filter(**scope), as_of=today)
    reached, expected, planned = stages.reached, stages.expected, stages.planned
    late = late_step_counts(today, region_ids)
    signals = _counts(
        Signal.objects.filter(**scope, status__in=[SignalStatus.OPEN, SignalStatus.PASSED_ON])
    )
    decisions = _counts(
        Decision.objects.filter(Q(date__gte=today) | Q(outcome=DecisionOutcome.ADOPTED), **scope)
    )
    latest = latest_updates(today, region_ids)
    rows = []
    for region in regions:
        update = latest.get(region.pk)
        status, last_update, last_update_day = (
            (update.status, update.created_at, update.day) if update else (None, None, None)
        )
        rows.append(
            DashboardRow(
                region=region,
                reached=reached.get(region.pk),
                expected=expected.get(region.pk),
                late_steps=late.get(region.pk, 0),
                open_signals=signals.get(region.pk, 0),
                status=status,
                last_update=last_update,
                last_update_day=last_update_day,
                upcoming_decisions=decisions.get(region.pk, 0),
                readiness=readiness_of(
                    reached=reached.get(region.pk),
                    expected=expected.get(region.pk),
                    planned_any=region.pk in planned,
                    late_steps=late.get(region.pk, 0),
                    status=status,
                ),
                freshness=freshness_from(update, late.get(region.pk, 0), today),
            )
        )
    return rows


def provinces() -> tuple[list[tuple[str, str]], dict[int, set[str]]]:
    """(province choices, province codes per region id) in one query."""
    pairs = Municipality.objects.values_list("region_id", "province_code", "province").distinct()
    names, by_region = {}, {}
    for region_id, code, name in pairs:
        names[code] = name
        by_region.setdefault(region_id, set()).add(code)
    return sorted(names.items(), key=lambda item: item[1]), by_region
