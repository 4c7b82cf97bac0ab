"""Readiness of a region against the deadline of 31 December 2026: one transparent rule.

Inputs, all from the region's own records on a given day (`stage_inputs` for the stages, one
function for the live dashboard and the quarterly snapshot alike):
- reached: the furthest plan stage reached on or before that day (PlanMilestone.reached_date);
- expected: the furthest plan stage whose planned date has passed;
- late steps: process route steps planned before today and still planned or in progress;
- status: the latest voortgangsupdate (op koers / aandacht / risico).

Rule, first match wins:
1. READY      the stage "in uitvoering" is reached;
2. UNKNOWN    no plan stage has been planned yet;
3. CRITICAL   two or more stages behind plan, or status risico, or three or more late steps;
4. BEHIND     one stage behind plan, or status aandacht, or one or two late steps;
5. ON_SCHEDULE otherwise.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.db.models import Case, Count, Max, Q, Value, When
from django.utils.translation import gettext_lazy as _

from monitoring.models import PlanStage, Status

__all__ = [
    "RULE_TEXT",
    "Readiness",
    "StageInputs",
    "grouped_stage_inputs",
    "readiness_of",
    "stage_inputs",
]

STAGE_NUMBER = {stage.value: number for number, stage in enumerate(PlanStage)}


class Readiness(models.TextChoices):
    READY = "gereed", _("In execution")
    ON_SCHEDULE = "op_schema", _("On schedule")
    BEHIND = "achter", _("Behind")
    CRITICAL = "kritiek", _("Critical")
    UNKNOWN = "onbekend", _("Not planned")


# Order used for sorting and ranking: most urgent first.
URGENCY = [
    Readiness.CRITICAL,
    Readiness.BEHIND,
    Readiness.UNKNOWN,
    Readiness.ON_SCHEDULE,
    Readiness.READY,
]

RULE_TEXT = [
    _("In execution: the stage “in execution” has been reached."),
    _("Not planned: no stage of the future plan has been planned yet."),
    _(
        "Critical: two or more stages behind plan, or status “at risk”, or three or more late "
        "route steps."
    ),
    _(
        "Behind: one stage behind plan, or status “needs attention”, or one or two late route "
        "steps."
    ),
    _("On schedule: otherwise."),
]

LAST_STAGE = 6


@dataclass
class StageInputs:
    """Per region id: the furthest stage reached, the furthest expected, whether any is planned."""

    reached: dict[int, int] = field(default_factory=dict)
    expected: dict[int, int] = field(default_factory=dict)
    planned: set[int] = field(default_factory=set)


def stage_inputs(milestones: Iterable[tuple[int, str, date | None, date | None]], as_of: date):
    """The stage inputs on `as_of` from (region id, stage, planned date, reached date) rows."""
    inputs = StageInputs()
    for region_id, stage, planned_date, reached_date in milestones:
        number = STAGE_NUMBER[stage]
        if reached_date is not None and reached_date <= as_of:
            inputs.reached[region_id] = max(inputs.reached.get(region_id, -1), number)
        if planned_date is not None:
            inputs.planned.add(region_id)
            if planned_date <= as_of:
                inputs.expected[region_id] = max(inputs.expected.get(region_id, -1), number)
    return inputs


def grouped_stage_inputs(milestones, as_of: date) -> StageInputs:
    """`stage_inputs` computed in the database, one row per region (the dashboard's 350 regions):
    the same rule, kept beside it and checked against it in tests/test_late_steps.py."""
    number = Case(*[When(stage=value, then=Value(n)) for value, n in STAGE_NUMBER.items()])
    grouped = (
        milestones.order_by()
        .values("region_id")
        .annotate(
            reached=Max(number, filter=Q(reached_date__lte=as_of)),
            expected=Max(number, filter=Q(planned_date__lte=as_of)),
            planned=Count("pk", filter=Q(planned_date__isnull=False)),
        )
        .values_list("region_id", "reached", "expected", "planned")
    )
    inputs = StageInputs()
    for region_id, reached, expected, planned in grouped:
        if reached is not None:
            inputs.reached[region_id] = reached
        if expected is not None:
            inputs.expected[region_id] = expected
        if planned:
            inputs.planned.add(region_id)
    return inputs


def readiness_of(
    *,
    reached: int | None,
    expected: int | None,
    planned_any: bool,
    late_steps: int,
    status: str | None,
) -> Readiness:
    """Stage numbers run from 0 (oriëntatie) to 6 (in uitvoering); None means none."""
    if reached == LAST_STAGE:
        return Readiness.READY
    if not planned_any:
        return Readiness.UNKNOWN
    gap = max(
        (expected if expected is not None else -1) - (reached if reached is not None else -1), 0
    )
    if gap >= 2 or status == Status.RISK or late_steps >= 3:
        return Readiness.CRITICAL
    if gap == 1 or status == Status.ATTENTION or late_steps >= 1:
        return Readiness.BEHIND
    return Readiness.ON_SCHEDULE
