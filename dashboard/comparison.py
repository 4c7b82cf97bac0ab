"""Today beside a frozen quarter: per region what differs between a quarter's snapshot and the
dashboard's rows of today (stage, status, readiness, late steps, open signals), and a national
line that counts the moves.

The snapshots are the reporting app's, which stands above the dashboard; it registers where the
frozen quarters come from (`register_frozen_quarters`, from ReportingConfig.ready), as it
registers its result with dashboard/results.py, so the dashboard imports nothing above it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.quarters import label as quarter_label
from dashboard.readiness import URGENCY, Readiness
from monitoring.models import Status

__all__ = [
    "Comparison",
    "FrozenQuarters",
    "compare_with_frozen",
    "frozen_quarters",
    "parse_quarter",
    "register_frozen_quarters",
]

PARAM = "vergelijk"  # ?vergelijk=2026-3


@dataclass(frozen=True)
class FrozenQuarters:
    """Where frozen quarters come from: the (year, quarter) pairs, newest first (one query),
    and one quarter's regions as frozen, labels in the reader's language (one query; None when
    that quarter was never frozen)."""

    quarters: Callable[[], list[tuple[int, int]]]
    regions: Callable[[int, int], list[dict] | None]


_source: list[FrozenQuarters] = []


def register_frozen_quarters(source: FrozenQuarters) -> None:
    _source[:] = [source]


def frozen_quarters() -> list[tuple[int, int]]:
    return _source[0].quarters() if _source else []


def parse_quarter(value: str) -> tuple[int, int] | None:
    """ "2026-3" as (2026, 3); None for anything else."""
    year, dash, quarter = (value or "").partition("-")
    if not (dash and year.isascii() and year.isdigit() and quarter in {"1", "2", "3", "4"}):
        return None
    if len(year) != 4:
        return None
    return int(year), int(quarter)


# Better first: a status or readiness later in its list is worse.
STATUS_ORDER = [Status.ON_TRACK, Status.ATTENTION, Status.RISK, None]
READINESS_ORDER = list(reversed(URGENCY))  # in execution … critical

FIELDS = [
    ("stage", gettext_lazy("Stage")),
    ("status", gettext_lazy("Status")),
    ("readiness", gettext_lazy("Readiness")),
    ("late_steps", gettext_lazy("Late steps")),
    ("open_signals", gettext_lazy("Open signals")),
]


@dataclass
class Difference:
    key: str
    label: str
    before: str
    after: str
    move: str  # in words: "a stage further", "worse", "2 more" (never colour alone)
    better: bool | None  # for the marker: better, worse, or neither


@dataclass
class RegionComparison:
    row: object  # dashboard.queries.DashboardRow
    frozen: dict | None
    differences: list[Difference] = field(default_factory=list)

    def difference(self, key: str) -> Difference | None:
        return next((d for d in self.differences if d.key == key), None)

    @property
    def cells(self) -> list[tuple[str, Difference | None]]:
        return [(key, self.difference(key)) for key, _label in FIELDS]


@dataclass
class Comparison:
    year: int
    quarter: int
    regions: list[RegionComparison]  # the regions that differ, in the dashboard's order
    unchanged: int
    summary: list[str]
    fields: list = field(default_factory=lambda: [str(label) for _key, label in FIELDS])

    @property
    def label(self) -> str:
        return quarter_label(self.year, self.quarter)

    @property
    def value(self) -> str:
        return f"{self.year}-{self.quarter}"


def _rank(order: list, value) -> int:
    return order.index(value) if value in order else len(order)


def _count_move(before: int, after: int) -> str:
    if after > before:
        return ngettext("%(count)s more", "%(count)s more", after - before) % {
            "count": after - before
        }
    return ngettext("%(count)s fewer", "%(count)s fewer", before - after) % {
        "count": before - after
    }


def _differences(row, frozen: dict) -> list[Difference]:
    found = []
    before, after = frozen.get("stage"), row.reached
    if before != after:
        steps = (after if after is not None else -1) - (before if before is not None else -1)
        move = (
            ngettext("%(count)s stage further", "%(count)s stages further", steps)
            if steps > 0
            else ngettext("%(count)s stage back", "%(count)s stages back", -steps)
        ) % {"count": abs(steps)}
        found.append(
            Difference(
                "stage",
                str(FIELDS[0][1]),
                frozen.get("stage_label") or _("Not started"),
                row.stage_label or _("Not started"),
                move,
                steps > 0,
            )
        )
    before, after = frozen.get("status"), row.status
    if before != after:
        better = _rank(STATUS_ORDER, after) < _rank(STATUS_ORDER, before)
        found.append(
            Difference(
                "status",
                str(FIELDS[1][1]),
                frozen.get("status_label", ""),
                str(Status(after).label) if after in Status.values else _("No update yet"),
                _("better") if better else _("worse"),
                better,
            )
        )
    before, after = frozen.get("readiness"), row.readiness
    if before != after:
        better = _rank(READINESS_ORDER, after) < _rank(READINESS_ORDER, before)
        found.append(
            Difference(
                "readiness",
                str(FIELDS[2][1]),
                frozen.get("readiness_label", ""),
                str(Readiness(after).label),
                _("better") if better else _("worse"),
                better,
            )
        )
    for index, key in ((3, "late_steps"), (4, "open_signals")):
        before, after = frozen.get(key), getattr(row, key)
        if before is not None and before != after:
            found.append(
                Difference(
                    key,
                    str(FIELDS[index][1]),
                    str(before),
                    str(after),
                    _count_move(before, after),
                    after < before,
                )
            )
    return found


def _summary(regions: list[RegionComparison], unchanged: int, new: int) -> list[str]:
    def count(key: str, better: bool) -> int:
        return sum(
            1 for r in regions if (d := r.difference(key)) is not None and bool(d.better) is better
        )

    parts = []
    further, back = count("stage", True), count("stage", False)
    if further:
        parts.append(
            ngettext(
                "%(count)s region a stage further", "%(count)s regions a stage further", further
            )
            % {"count": further}
        )
    if back:
        parts.append(
            ngettext("%(count)s region a stage back", "%(count)s regions a stage back", back)
            % {"count": back}
        )
    # Each text written out, so that makemessages finds it.
    counted = [
        (
            count("readiness", True),
            lambda n: ngettext(
                "readiness better in %(count)s region", "readiness better in %(count)s regions", n
            ),
        ),
        (
            count("readiness", False),
            lambda n: ngettext(
                "readiness worse in %(count)s region", "readiness worse in %(count)s regions", n
            ),
        ),
        (
            count("status", True),
            lambda n: ngettext(
                "status better in %(count)s region", "status better in %(count)s regions", n
            ),
        ),
        (
            count("status", False),
            lambda n: ngettext(
                "status worse in %(count)s region", "status worse in %(count)s regions", n
            ),
        ),
    ]
    parts += [text(number) % {"count": number} for number, text in counted if number]
    more_late = count("late_steps", False)
    if more_late:
        parts.append(
            ngettext(
                "%(count)s region with more late steps",
                "%(count)s regions with more late steps",
                more_late,
            )
            % {"count": more_late}
        )
    if new:
        parts.append(
            ngettext(
                "%(count)s region not in that quarter",
                "%(count)s regions not in that quarter",
                new,
            )
            % {"count": new}
        )
    parts.append(
        ngettext("%(count)s region unchanged", "%(count)s regions unchanged", unchanged)
        % {"count": unchanged}
    )
    return parts


def compare_with_frozen(rows, year: int, quarter: int) -> Comparison | None:
    """Today's dashboard rows beside quarter `year` Q`quarter` as frozen; None when that
    quarter was never frozen. One query (the snapshot's regions)."""
    frozen = _source[0].regions(year, quarter) if _source else None
    if frozen is None:
        return None
    by_code = {region.get("code"): region for region in frozen}
    differing, unchanged, new = [], 0, 0
    for row in rows:
        then = by_code.get(row.region.code)
        if then is None:
            differing.append(RegionComparison(row, None))
            new += 1
            continue
        differences = _differences(row, then)
        if differences:
            differing.append(RegionComparison(row, then, differences))
        else:
            unchanged += 1
    return Comparison(year, quarter, differing, unchanged, _summary(differing, unchanged, new))
