"""The future plan's timeline against the deadline, as data for a server-side SVG."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from monitoring.models import DEADLINE, PlanStage

__all__ = ["Timeline", "current_stage", "next_stage", "plan_timeline"]

START = date(2025, 1, 1)
END = date(2027, 3, 31)
LABEL_WIDTH = 180
CHART_WIDTH = 520
ROW_HEIGHT = 30
TOP = 28


@dataclass(frozen=True)
class TimelineRow:
    label: str
    y: int
    planned_x: float | None
    reached_x: float | None
    late: bool
    description: str


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    rows: list[TimelineRow]
    deadline_x: float
    today_x: float | None
    ticks: list[tuple[float, str]]
    label_width: int


def _x(day: date) -> float:
    day = min(max(day, START), END)
    return round(LABEL_WIDTH + (day - START).days / (END - START).days * CHART_WIDTH, 1)


def current_stage(milestones) -> PlanStage | None:
    reached = [m for m in milestones if m.reached_date]
    if not reached:
        return None
    return PlanStage(max(reached, key=lambda m: m.order).stage)


def next_stage(milestones) -> PlanStage | None:
    """The stage after the current one (the first when none is reached); None at the last."""
    current = current_stage(milestones)
    stages = list(PlanStage)
    index = stages.index(current) + 1 if current else 0
    return stages[index] if index < len(stages) else None


def plan_timeline(milestones) -> Timeline:
    by_stage = {m.stage: m for m in milestones}
    today = timezone.localdate()
    rows = []
    for index, stage in enumerate(PlanStage):
        milestone = by_stage.get(stage.value)
        planned = milestone.planned_date if milestone else None
        reached = milestone.reached_date if milestone else None
        parts = [str(stage.label)]
        if planned:
            parts.append(_("planned %(date)s") % {"date": date_format(planned, "j F Y")})
        if reached:
            parts.append(_("reached %(date)s") % {"date": date_format(reached, "j F Y")})
        rows.append(
            TimelineRow(
                label=str(stage.label),
                y=TOP + index * ROW_HEIGHT,
                planned_x=_x(planned) if planned else None,
                reached_x=_x(reached) if reached else None,
                late=bool(milestone and milestone.is_late),
                description=", ".join(parts),
            )
        )
    ticks = [
        (_x(day), date_format(day, "M Y"))
        for day in (date(y, m, 1) for y in (2025, 2026, 2027) for m in (1, 7))
        if day <= END
    ]
    return Timeline(
        width=LABEL_WIDTH + CHART_WIDTH + 20,
        height=TOP + len(PlanStage) * ROW_HEIGHT + 10,
        rows=rows,
        deadline_x=_x(DEADLINE),
        today_x=_x(today) if START <= today <= END else None,
        ticks=ticks,
        label_width=LABEL_WIDTH,
    )
