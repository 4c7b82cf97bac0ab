"""The frozen quarters as the dashboard's comparison reads them (dashboard/comparison.py),
registered from ReportingConfig.ready."""

from dashboard.comparison import FrozenQuarters
from reporting.models import Snapshot
from reporting.snapshots import shown_regions

__all__ = ["FROZEN_QUARTERS"]


def snapshot_quarters() -> list[tuple[int, int]]:
    return list(Snapshot.objects.order_by("-year", "-quarter").values_list("year", "quarter"))


def snapshot_regions(year: int, quarter: int) -> list[dict] | None:
    """The quarter's regions as frozen (only that part of the snapshot is read), with stage,
    status and readiness in the reader's language."""
    found = list(
        Snapshot.objects.filter(year=year, quarter=quarter).values_list("data__regions", flat=True)
    )
    if not found:
        return None
    return shown_regions({"regions": found[0] or []})


FROZEN_QUARTERS = FrozenQuarters(quarters=snapshot_quarters, regions=snapshot_regions)
