"""Server-side SVG charts: plain data for templates/dashboard/_*_chart.html (page and PDF alike)."""

import math
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from core.display import hours_display
from core.quarters import label as quarter_label
from core.quarters import quarter_of, quarters_until
from dashboard.queries import STAGES
from dashboard.readiness import URGENCY
from monitoring.models import Meeting, Pilot, ProgressUpdate, Status

__all__ = [
    "activity_chart",
    "bar_chart",
    "column_chart",
    "readiness_chart",
    "stage_chart",
    "status_trend_chart",
    "statuses_per_quarter",
]

LABEL_WIDTH = 150
BAR_AREA = 300
BAR_HEIGHT = 22
GAP = 8


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | float
    css: str
    y: int
    width: float

    @property
    def text(self) -> str:
        """The value as the page's language writes it ("12,5" in Dutch)."""
        return hours_display(self.value)


@dataclass(frozen=True)
class BarChart:
    title: str
    desc: str
    width: int
    height: int
    label_width: int
    bars: list[Bar]


def _label_width(labels) -> int:
    """Room for the longest label at 12 px (about 7.5 px a character in the fonts we serve, a
    little more than their widest average), so no label runs off the chart's left edge."""
    return max([LABEL_WIDTH] + [math.ceil(len(label) * 7.5) + 12 for label in labels])


def bar_chart(title: str, items: list[tuple[str, int, str]]) -> BarChart:
    top = max([value for _, value, _ in items] + [1])
    label_width = _label_width(label for label, _, _ in items)
    bars = [
        Bar(label, value, css, y=index * (BAR_HEIGHT + GAP), width=round(value / top * BAR_AREA, 1))
        for index, (label, value, css) in enumerate(items)
    ]
    desc = "; ".join(f"{label}: {hours_display(value)}" for label, value, _ in items)
    return BarChart(
        title=title,
        desc=desc,
        width=label_width + BAR_AREA + 40,
        height=len(items) * (BAR_HEIGHT + GAP),
        label_width=label_width,
        bars=bars,
    )


@dataclass(frozen=True)
class Segment:
    css: str
    y: float
    height: float
    label: str
    value: int


@dataclass(frozen=True)
class Column:
    label: str
    x: float
    total: int
    segments: list[Segment]


@dataclass(frozen=True)
class ColumnChart:
    title: str
    desc: str
    width: int
    height: int
    baseline: int
    column_width: int
    columns: list[Column]
    legend: list[tuple[str, str]]


def column_chart(title, categories, series, values) -> ColumnChart:
    """Stacked columns: `values[category][series key]`; series are (key, label, css)."""
    chart_height, column_width, step = 160, 34, 52
    top = max([sum(values.get(c, {}).values()) for c in categories] + [1])
    columns = []
    for index, category in enumerate(categories):
        y = chart_height
        segments = []
        for key, label, css in series:
            value = values.get(category, {}).get(key, 0)
            height = round(value / top * chart_height, 1)
            y -= height
            if value:
                segments.append(Segment(css, round(y, 1), height, str(label), value))
        columns.append(
            Column(
                label=category,
                x=40 + index * step,
                total=sum(values.get(category, {}).values()),
                segments=segments,
            )
        )
    desc = "; ".join(
        f"{c.label}: " + ", ".join(f"{s.label} {s.value}" for s in c.segments) for c in columns
    )
    return ColumnChart(
        title=title,
        desc=desc,
        width=60 + len(categories) * step,
        height=chart_height + 40,
        baseline=chart_height,
        column_width=column_width,
        columns=columns,
        legend=[(css, str(label)) for _, label, css in series],
    )


def _label(year_quarter) -> str:
    return quarter_label(*year_quarter)


def stage_chart(rows, title) -> BarChart:
    counts = Counter(row.reached for row in rows)
    items = [(str(stage.label), counts.get(i, 0), f"stage-{i}") for i, stage in enumerate(STAGES)]
    return bar_chart(title, items)


def readiness_chart(rows, title) -> BarChart:
    counts = Counter(row.readiness for row in rows)
    return bar_chart(
        title, [(str(r.label), counts.get(r, 0), f"readiness-{r.value}") for r in URGENCY]
    )


def statuses_per_quarter(today, regions=None) -> list[tuple[str, dict[str, int]]]:
    """Per quarter so far, how many regions had each status as their last of that quarter
    (one query)."""
    updates = ProgressUpdate.objects.order_by("created_at", "pk")
    if regions is not None:
        updates = updates.filter(region__in=regions)
    latest: dict[tuple[int, int], dict[int, str]] = {}
    for region_id, year, quarter, status in updates.values_list(
        "region_id", "year", "quarter", "status"
    ):
        latest.setdefault((year, quarter), {})[region_id] = status
    return [(_label(q), dict(Counter(latest.get(q, {}).values()))) for q in quarters_until(today)]


def status_trend_chart(title, today, regions=None, counts=None) -> ColumnChart:
    """Per quarter, each region's last status in that quarter (one query, none when the
    `counts` of `statuses_per_quarter` are given)."""
    counts = statuses_per_quarter(today, regions) if counts is None else counts
    series = [(s.value, s.label, f"status-{s.value}") for s in Status]
    return column_chart(title, [label for label, _ in counts], series, dict(counts))


def activity_chart(title, labels, today, regions=None) -> ColumnChart:
    """Meetings and pilots (by start) per quarter: two grouped queries. They group by day, a
    few hundred rows, summed into quarters here: grouping thousands of meetings by an extracted
    year and quarter costs the database several times more."""
    meetings = Meeting.objects.all()
    pilots = Pilot.objects.all()
    if regions is not None:
        meetings, pilots = meetings.filter(region__in=regions), pilots.filter(region__in=regions)
    values: dict[str, dict[str, int]] = {}
    for key, queryset, field in (("meetings", meetings, "date"), ("pilots", pilots, "start_date")):
        per_day = queryset.order_by().values_list(field).annotate(n=Count("pk"))
        for day, n in per_day:
            counts = values.setdefault(_label((day.year, quarter_of(day))), {})
            counts[key] = counts.get(key, 0) + n
    quarters = [_label(q) for q in quarters_until(today)]
    series = [
        ("meetings", labels[0], "activity-meetings"),
        ("pilots", labels[1], "activity-pilots"),
    ]
    return column_chart(title, quarters, series, values)


def hours_chart(title) -> BarChart:
    """Hours spent by specialists per expertise area, over all deployments (one query)."""
    from django.db.models import Sum

    from monitoring.models import Expertise
    from specialists.models import Deployment

    spent = dict(
        Deployment.objects.order_by()
        .values_list("expertise")
        .annotate(hours=Sum("hours_entries__hours"))
    )
    return bar_chart(
        title,
        [(str(e.label), float(spent.get(e.value) or 0), "activity-meetings") for e in Expertise],
    )
