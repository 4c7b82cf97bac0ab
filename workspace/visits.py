"""When a reader last opened a region page or their portfolio (workspace.models.Visit).

"Since your previous visit" means since the visit before the current one: opening a page moves
the latest opening into `previous_at` only when it lies more than `SAME_VISIT` back, so a reload
or coming back from a form keeps showing what changed since the reader was last here.
"""

from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from workspace.models import Visit

__all__ = ["SAME_VISIT", "previous_visit", "record_visit"]

SAME_VISIT = timedelta(minutes=30)

# The table is Visit's (Meta.db_table "workspace_visit"); every value is a parameter.
_UPSERT = """
INSERT INTO workspace_visit AS visit (user_id, region_id, previous_at, last_at)
VALUES (%(user)s, %(region)s, NULL, %(now)s)
ON CONFLICT (user_id, region_id) DO UPDATE SET
  previous_at = CASE
    WHEN visit.last_at < EXCLUDED.last_at - %(gap)s THEN visit.last_at
    ELSE visit.previous_at
  END,
  last_at = GREATEST(visit.last_at, EXCLUDED.last_at)
"""


def record_visit(*, user, region=None, now: datetime | None = None) -> None:
    """Remember that `user` opened `region`'s page (or, without a region, their portfolio).
    One statement, whoever else opens the page at the same moment."""
    with connection.cursor() as cursor:
        cursor.execute(
            _UPSERT,
            {
                "user": user.pk,
                "region": region.pk if region is not None else None,
                "now": now or timezone.now(),
                "gap": SAME_VISIT,
            },
        )


def previous_visit(*, user, region=None) -> datetime | None:
    """The end of the reader's visit before the current one; None before a second visit."""
    visit = Visit.objects.filter(user=user, region=region).only("previous_at").first()
    return visit.previous_at if visit else None
