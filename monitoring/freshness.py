"""Actualiteit: how current a region's record is, on a given day.

The one home of the rule that the region page, the dashboard and programme management's table
per adviser show. Three facts per region:

- **the age of its last update**: the days since its newest progress update
  (`ProgressUpdate.created_at`, as a local date). The progress update is the adviser's judgement
  of the whole region; an edit to one of its other records (a route step, a meeting) is not, so
  it does not make the record current. The dashboard's "Last update" column and "Where help is
  needed" read the same date (`latest_updates`), and an update older than `STALE_AFTER_DAYS`
  (or none at all) is stale there and here (`is_stale`).
- **this quarter's update**: whether the region has a progress update for the quarter `today`
  falls in (`core.quarters.current_quarter`; one update per region and quarter).
- **late route steps**: the steps "past their planned date without a status" are the steps
  `RouteStep.late_on(today)` counts, the one rule for a late step: planned before today and not
  finished (done or dropped) by then. A step's status is never empty, so "without a status"
  means without a final one: a step still "planned" or "in progress" after its planned date
  counts, since "in progress" says work started, not that the step has its outcome. On today the
  rule's clause about steps finished later than the day never applies (an actual date cannot
  lie in the future), so this is exactly "planned before today and still planned or in
  progress", the dashboard's "Late steps" column.

A region is up to date when it has this quarter's update and no late step; otherwise it needs
attention. (A stale update is always one of an earlier quarter: a quarter is shorter than
`STALE_AFTER_DAYS`.)

Every function reads many regions in a fixed number of grouped queries: one for the latest
updates, one for the late steps, whatever the number of regions.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import TruncDate
from django.utils import timezone

from core.quarters import current_quarter, quarter_end
from core.quarters import label as quarter_label
from monitoring.models import ProgressUpdate, RouteStep

__all__ = [
    "STALE_AFTER_DAYS",
    "AdviserFreshness",
    "Freshness",
    "LatestUpdate",
    "freshness_by_region",
    "freshness_from",
    "is_stale",
    "late_step_counts",
    "latest_updates",
    "per_adviser",
]

STALE_AFTER_DAYS = 100


def is_stale(age_days: int | None) -> bool:
    """No progress update at all, or the newest older than `STALE_AFTER_DAYS` days."""
    return age_days is None or age_days > STALE_AFTER_DAYS


@dataclass(frozen=True)
class LatestUpdate:
    """A region's newest progress update, and whether it has one for the current quarter."""

    status: str
    created_at: datetime
    day: date  # the local date of `created_at`
    has_quarter_update: bool


@dataclass(frozen=True)
class Freshness:
    """The three facts about one region on `today`."""

    today: date
    last_update_day: date | None
    has_quarter_update: bool
    late_steps: int

    @property
    def age_days(self) -> int | None:
        """Days since the last progress update; None without any."""
        if self.last_update_day is None:
            return None
        return (self.today - self.last_update_day).days

    @property
    def is_stale(self) -> bool:
        return is_stale(self.age_days)

    @property
    def quarter(self) -> tuple[int, int]:
        return current_quarter(self.today)

    @property
    def quarter_label(self) -> str:
        return quarter_label(*self.quarter)

    @property
    def quarter_due(self) -> date:
        """The last day of the quarter: its progress update is due by then."""
        return quarter_end(*self.quarter)

    @property
    def needs_attention(self) -> bool:
        return not self.has_quarter_update or self.late_steps > 0


def _scope(region_ids: Iterable[int] | None) -> dict:
    # Every record belongs to a region: for the whole country no list of ids is sent along.
    return {} if region_ids is None else {"region__in": list(region_ids)}


def latest_updates(today: date, region_ids: Iterable[int] | None = None) -> dict[int, LatestUpdate]:
    """Per region id (every region, or those of `region_ids`) its newest progress update and
    whether this quarter's is there: one query."""
    year, quarter = current_quarter(today)
    this_quarter = ProgressUpdate.objects.filter(
        region=OuterRef("region"), year=year, quarter=quarter
    )
    rows = (
        ProgressUpdate.objects.filter(**_scope(region_ids))
        .order_by("region_id", "-created_at", "-pk")
        .distinct("region_id")
        .annotate(day=TruncDate("created_at"), quarter_done=Exists(this_quarter))
        .values_list("region_id", "status", "created_at", "day", "quarter_done")
    )
    return {
        region_id: LatestUpdate(
            status=status, created_at=created_at, day=day, has_quarter_update=quarter_done
        )
        for region_id, status, created_at, day, quarter_done in rows
    }


def late_step_counts(today: date, region_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Per region id its route steps late on `today` (`RouteStep.late_on`); regions without a
    late step are left out. One query."""
    steps = RouteStep.objects.filter(RouteStep.late_on(today), **_scope(region_ids))
    return dict(steps.order_by().values_list("region").annotate(n=Count("pk")))


def freshness_from(latest: LatestUpdate | None, late_steps: int, today: date) -> Freshness:
    """The facts of one region from what `latest_updates` and `late_step_counts` read."""
    return Freshness(
        today=today,
        last_update_day=latest.day if latest else None,
        has_quarter_update=bool(latest and latest.has_quarter_update),
        late_steps=late_steps,
    )


def freshness_by_region(
    region_ids: Iterable[int], today: date | None = None
) -> dict[int, Freshness]:
    """Per region id of `region_ids` its facts: two queries, however many regions."""
    today = today or timezone.localdate()
    region_ids = list(region_ids)
    latest = latest_updates(today, region_ids)
    late = late_step_counts(today, region_ids)
    return {pk: freshness_from(latest.get(pk), late.get(pk, 0), today) for pk in region_ids}


@dataclass
class AdviserFreshness:
    """Programme management's line per adviser: their regions taken together."""

    adviser: object | None  # the user; None for the regions without an adviser
    regions: int = 0
    without_quarter_update: int = 0
    never_updated: int = 0
    oldest_age_days: int | None = None  # the oldest last update among regions with one
    late_steps: int = 0

    @property
    def needs_attention(self) -> bool:
        return bool(self.without_quarter_update or self.late_steps)


def per_adviser(regions: Iterable[tuple[object, Freshness]]) -> list[AdviserFreshness]:
    """One line per adviser from (region, facts) pairs, ordered by the adviser's name; the
    regions without an adviser last. No query (the regions' `adviser` must be loaded)."""
    lines: dict[int | None, AdviserFreshness] = {}
    for region, facts in regions:
        line = lines.setdefault(region.adviser_id, AdviserFreshness(adviser=region.adviser))
        line.regions += 1
        line.without_quarter_update += not facts.has_quarter_update
        line.late_steps += facts.late_steps
        if facts.age_days is None:
            line.never_updated += 1
        elif line.oldest_age_days is None or facts.age_days > line.oldest_age_days:
            line.oldest_age_days = facts.age_days
    return sorted(
        lines.values(),
        key=lambda line: (line.adviser is None, str(line.adviser or "").lower()),
    )
