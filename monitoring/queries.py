"""Reads about monitoring that other apps may use."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, OuterRef, QuerySet, Subquery, Window

from monitoring.display import RecordView, record_urls, record_view
from monitoring.models import ProgressUpdate, Status
from monitoring.sections import SECTIONS, Section

__all__ = [
    "STATUS_ORDER",
    "SectionBlock",
    "recent_updates",
    "section_block",
    "section_stamps",
    "with_latest_status",
]

STATUS_ORDER = [Status.ON_TRACK, Status.ATTENTION, Status.RISK]
# A plan without stages or route steps needs attention: those sections open while empty.
OPEN_WHEN_EMPTY = {"fasen", "processtappen"}


def with_latest_status(regions: QuerySet) -> QuerySet:
    """Annotate each region with `latest_status`: the status of its newest progress update."""
    newest = ProgressUpdate.objects.filter(region=OuterRef("pk")).order_by("-created_at", "-pk")
    return regions.annotate(latest_status=Subquery(newest.values("status")[:1]))


def recent_updates(region, limit: int | None = 8) -> list[ProgressUpdate]:
    """The region's newest progress updates first; `limit=None`: all of them."""
    return list(ProgressUpdate.objects.filter(region=region).select_related("author")[:limit])


@dataclass(frozen=True)
class SectionBlock:
    section: Section
    records: list[RecordView]
    total: int = 0
    expanded: bool = False  # shown in full at the reader's request ("Toon alle")

    @property
    def hidden(self) -> int:
        return self.total - len(self.records)

    @property
    def attention(self) -> int:
        """How many of its records need attention: late (route steps, stages) or a signal
        still waiting for its answer."""
        return sum(record.attention for record in self.records)

    @property
    def late(self) -> int:
        return sum(record.late for record in self.records)

    @property
    def is_open(self) -> bool:
        """Whether the page opens with this section unfolded: when something in it needs
        attention, when the plan has no stages or route steps yet, or when shown in full."""
        empty_core = not self.records and self.section.key in OPEN_WHEN_EMPTY
        return bool(self.attention or empty_core or self.expanded)

    @property
    def objects(self) -> list:
        return [record.obj for record in self.records]

    @property
    def can_add(self) -> bool:
        return not (self.section.single and self.records)


def section_block(
    region, section: Section, municipality_names: dict[str, str], expand: str = ""
) -> SectionBlock:
    """One inline section of the region page, in one query.

    A long section shows its first `section.limit` records (in the section's own order) and
    says how many there are in all; `expand` names the one section to show in full."""
    records = (
        section.model.objects.filter(region=region)
        .select_related("updated_by", *section.related)
        .annotate(total=Window(Count("pk")))
    )
    expanded = section.key == expand
    if section.limit and not expanded:
        records = records[: section.limit]
    records = list(records)
    urls = record_urls(region.code, section.key)
    return SectionBlock(
        section=section,
        records=[record_view(r, section.columns, municipality_names, urls) for r in records],
        total=records[0].total if records else 0,
        expanded=expanded,
    )


def _stamps_sql() -> str:
    # Only our own models' table names go into the text, quoted; values are parameters.
    quote = connection.ops.quote_name
    return " UNION ALL ".join(
        f"SELECT %s, COUNT(*), MAX({quote('updated_at')}), SUM({quote('version')}) "  # noqa: S608
        f"FROM {quote(section.model._meta.db_table)} WHERE {quote('region_id')} = %s"
        for section in SECTIONS
    )


def section_stamps(region) -> dict[str, str]:
    """Per section, a text that changes whenever one of the region's records in it is added,
    changed or deleted: how many there are, the newest change and the sum of their versions.
    One query for all sections."""
    params = [value for section in SECTIONS for value in (section.key, region.pk)]
    with connection.cursor() as cursor:
        cursor.execute(_stamps_sql(), params)
        rows = cursor.fetchall()
    return {
        key: f"{count}-{newest.timestamp() if newest else ''}-{versions or 0}"
        for key, count, newest, versions in rows
    }
