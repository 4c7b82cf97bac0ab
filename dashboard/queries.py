"""The rows of the national dashboard: every region with its state, in a fixed number of queries.

Each figure is a correlated subquery on the region row, so the number of queries does not grow
with the number of regions or records.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Case, Count, IntegerField, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from dashboard.readiness import URGENCY, Readiness, readiness_of
from monitoring.models import (
    Decision,
    DecisionOutcome,
    PlanMilestone,
    PlanStage,
    ProgressUpdate,
    RouteStep,
    Signal,
    SignalStatus,
    Status,
    StepStatus,
)
from regions.models import Municipality, Region

__all__ = ["DashboardRow", "Filters", "dashboard_rows", "provinces"]

STAGES = list(PlanStage)
STATUS_BADGES = {
    "op_koers": ("success", Status.ON_TRACK.label),
    "aandacht": ("warning", Status.ATTENTION.label),
    "risico": ("danger", Status.RISK.label),
    None: ("neutral", gettext_lazy("No update yet")),
}
STALE_AFTER_DAYS = 100


def _stage_number(prefix: str = "") -> Case:
    return Case(
        *[When(**{f"{prefix}stage": stage.value}, then=Value(i)) for i, stage in enumerate(STAGES)],
        output_field=IntegerField(),
    )


def _count(queryset) -> Coalesce:
    counted = queryset.order_by().values("region").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _max_stage(queryset) -> Subquery:
    stage = queryset.order_by().values("region").annotate(n=Max(_stage_number())).values("n")[:1]
    return Subquery(stage, output_field=IntegerField())


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
        return (today - timezone.localtime(self.last_update).date()).days

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
        if self.status and (row.status or "geen") != self.status:
            return False
        return not (self.readiness and row.readiness != self.readiness)


def dashboard_rows(regions=None, today: date | None = None) -> list[DashboardRow]:
    today = today or timezone.localdate()
    regions = Region.objects.all() if regions is None else regions
    region = OuterRef("pk")
    newest = ProgressUpdate.objects.filter(region=region).order_by("-created_at", "-pk")
    queryset = regions.select_related("adviser").annotate(
        reached=_max_stage(PlanMilestone.objects.filter(region=region, reached_date__isnull=False)),
        expected=_max_stage(PlanMilestone.objects.filter(region=region, planned_date__lte=today)),
        planned_any=_count(PlanMilestone.objects.filter(region=region, planned_date__isnull=False)),
        late_steps=_count(
            RouteStep.objects.filter(
                region=region,
                planned_date__lt=today,
                status__in=[StepStatus.PLANNED, StepStatus.ACTIVE],
            )
        ),
        open_signals=_count(
            Signal.objects.filter(
                region=region, status__in=[SignalStatus.OPEN, SignalStatus.PASSED_ON]
            )
        ),
        upcoming_decisions=_count(
            Decision.objects.filter(
                Q(date__gte=today) | Q(outcome=DecisionOutcome.ADOPTED), region=region
            )
        ),
        latest_status=Subquery(newest.values("status")[:1]),
        last_update=Subquery(newest.values("created_at")[:1]),
    )
    return [
        DashboardRow(
            region=r,
            reached=r.reached,
            expected=r.expected,
            late_steps=r.late_steps,
            open_signals=r.open_signals,
            status=r.latest_status,
            last_update=r.last_update,
            upcoming_decisions=r.upcoming_decisions,
            readiness=readiness_of(
                reached=r.reached,
                expected=r.expected,
                planned_any=r.planned_any > 0,
                late_steps=r.late_steps,
                status=r.latest_status,
            ),
        )
        for r in queryset.order_by("name")
    ]


def provinces() -> tuple[list[tuple[str, str]], dict[int, set[str]]]:
    """(province choices, province codes per region id) in one query."""
    pairs = Municipality.objects.values_list("region_id", "province_code", "province").distinct()
    names, by_region = {}, {}
    for region_id, code, name in pairs:
        names[code] = name
        by_region.setdefault(region_id, set()).add(code)
    return sorted(names.items(), key=lambda item: item[1]), by_region
