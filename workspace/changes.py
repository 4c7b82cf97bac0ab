"""What changed in a region, or in an adviser's portfolio, since a moment: the audit history
(core/history.py) from that moment on, counted per kind of change and listed up to a cap.

Read in a fixed number of queries, however many regions or changes: the counts (one grouped
query), the newest `CAP` events, the names they refer to (core.history's one query per kind of
related record).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Case, Count, F, When
from django.db.models.fields.json import KeyTextTransform

from core.history import HistoryEntry, history_entries, history_events

__all__ = ["CAP", "Changes", "RegionChanges", "changes_in", "count_changes"]

CAP = 100  # entries listed; the rest is counted and found in the full history
REGION_MODEL = "regions.Region"
ADDED, CHANGED, REMOVED = "added", "changed", "removed"
GROUP_OF = {"insert": ADDED, "update": CHANGED, "adviser_changed": CHANGED, "delete": REMOVED}


@dataclass
class Counts:
    added: int = 0
    changed: int = 0
    removed: int = 0

    @property
    def total(self) -> int:
        return self.added + self.changed + self.removed

    def add(self, label: str, count: int) -> None:
        group = GROUP_OF.get(label, CHANGED)
        setattr(self, group, getattr(self, group) + count)


@dataclass
class RegionChanges:
    """One region's part of the list: its counts and its entries grouped by kind of record."""

    region: object
    counts: Counts = field(default_factory=Counts)
    entries: list[HistoryEntry] = field(default_factory=list)

    @property
    def groups(self) -> list[tuple[str, list[HistoryEntry]]]:
        """The listed entries by what happened: added, changed, removed (newest first in each)."""
        grouped: dict[str, list[HistoryEntry]] = defaultdict(list)
        for entry in self.entries:
            grouped[GROUP_OF.get(entry.action, CHANGED)].append(entry)
        return [(group, grouped[group]) for group in (ADDED, CHANGED, REMOVED) if grouped[group]]

    @property
    def more(self) -> int:
        return self.counts.total - len(self.entries)


@dataclass
class Changes:
    counts: Counts
    regions: list[RegionChanges]  # in the order the regions were given; only those with changes
    listed: int

    @property
    def more(self) -> int:
        return self.counts.total - self.listed


def _region_key():
    """The region an event belongs to: the region's own events, or the record's region."""
    return Case(
        When(pgh_obj_model=REGION_MODEL, then=F("pgh_obj_id")),
        default=KeyTextTransform("region_id", "pgh_data"),
    )


def _events(regions, since, not_by):
    return history_events(list(regions), since=since, not_by=not_by)


def count_changes(regions, *, since: date | datetime, not_by: int | None = None) -> Counts:
    """How many records were added, changed and removed in `regions` since `since`. One query."""
    counts = Counts()
    rows = _events(regions, since, not_by).order_by().values("pgh_label").annotate(n=Count("*"))
    for row in rows:
        counts.add(row["pgh_label"], row["n"])
    return counts


def changes_in(
    regions, *, since: date | datetime, not_by: int | None = None, cap: int = CAP
) -> Changes:
    """The changes in `regions` since `since` (a visit's moment, or a day: from its start),
    newest first, `cap` of them listed; per region, with the counts of all."""
    regions = list(regions)
    events = _events(regions, since, not_by).annotate(region_key=_region_key())
    per_region = {str(region.pk): RegionChanges(region) for region in regions}
    total = Counts()
    for row in events.order_by().values("region_key", "pgh_label").annotate(n=Count("*")):
        total.add(row["pgh_label"], row["n"])
        if row["region_key"] in per_region:
            per_region[row["region_key"]].counts.add(row["pgh_label"], row["n"])
    listed = list(events[:cap]) if total.total else []
    for event, entry in zip(listed, history_entries(listed), strict=True):
        if event.region_key in per_region:
            per_region[event.region_key].entries.append(entry)
    return Changes(
        counts=total,
        regions=[part for part in per_region.values() if part.counts.total],
        listed=sum(len(part.entries) for part in per_region.values()),
    )
