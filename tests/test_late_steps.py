"""One rule for a late route step (RouteStep.late_on / is_late_on), shared by the region page,
the dashboard and the quarterly snapshot: the query and the Python say the same on every day."""

import datetime

import pytest

from dashboard.queries import dashboard_rows
from monitoring.models import PlanMilestone, PlanStage, RouteStep, StepStatus
from regions.models import Region
from reporting.snapshots import build_data
from tests.conftest import OWN_REGION
from tests.factories import RouteStepFactory

pytestmark = pytest.mark.django_db

SEP_30 = datetime.date(2026, 9, 30)
CASES = [
    # (planned, status, actual): late on 30 September?
    (datetime.date(2026, 9, 1), StepStatus.PLANNED, None, True),
    (datetime.date(2026, 9, 1), StepStatus.ACTIVE, None, True),
    (datetime.date(2026, 9, 30), StepStatus.PLANNED, None, False),  # due that day: not yet late
    (datetime.date(2026, 10, 15), StepStatus.PLANNED, None, False),
    (datetime.date(2026, 9, 1), StepStatus.DONE, datetime.date(2026, 9, 20), False),
    (datetime.date(2026, 9, 1), StepStatus.DONE, datetime.date(2026, 10, 5), True),  # done later
    (datetime.date(2026, 9, 1), StepStatus.DROPPED, None, False),
    (datetime.date(2026, 9, 1), StepStatus.DROPPED, datetime.date(2026, 10, 5), True),
]


@pytest.fixture
def steps(reference_data):
    region = Region.objects.get(code=OWN_REGION)
    RouteStep.objects.filter(region=region).delete()
    return [
        (
            RouteStepFactory(
                region=region, planned_date=planned, status=status, actual_date=actual
            ),
            late,
        )
        for planned, status, actual, late in CASES
    ]


def test_the_query_and_the_property_agree_on_every_case(steps):
    expected = {step.pk for step, late in steps if late}
    assert {step.pk for step, _late in steps if step.is_late_on(SEP_30)} == expected
    queried = RouteStep.objects.filter(RouteStep.late_on(SEP_30), pk__in=[s.pk for s, _ in steps])
    assert set(queried.values_list("pk", flat=True)) == expected


def test_the_dashboard_and_the_snapshot_count_the_same_late_steps(steps):
    region = Region.objects.get(code=OWN_REGION)
    live = {row.region.code: row.late_steps for row in dashboard_rows(today=SEP_30)}
    frozen = {
        r["code"]: r["late_steps"]
        for r in build_data(year=2026, quarter=3, today=SEP_30)["regions"]
    }
    assert live[region.code] == frozen[region.code] == sum(late for _step, late in steps)


def test_the_dashboard_and_the_snapshot_read_the_same_stages_and_readiness_on_a_day():
    """One function gives the stage inputs on a day (`dashboard.readiness.stage_inputs`): a
    stage reached after that day does not count yet, a stage planned on or before it does."""
    region = Region.objects.get(code=OWN_REGION)
    region.milestones.all().delete()
    PlanMilestone.objects.bulk_create(
        [
            PlanMilestone(region=region, stage=PlanStage.ORIENTATION, reached_date=SEP_30),
            PlanMilestone(
                region=region,
                stage=PlanStage.SCENARIOS,
                planned_date=datetime.date(2026, 9, 1),
                reached_date=datetime.date(2026, 10, 2),  # after the day: not reached yet
            ),
        ]
    )
    live = next(row for row in dashboard_rows(today=SEP_30) if row.region.code == region.code)
    frozen = next(
        r
        for r in build_data(year=2026, quarter=3, today=SEP_30)["regions"]
        if r["code"] == OWN_REGION
    )
    assert live.reached == frozen["stage"] == 0
    assert live.expected == frozen["expected_stage"] == list(PlanStage).index(PlanStage.SCENARIOS)
    assert live.readiness.value == frozen["readiness"]
