"""Programme management is told when a region turns critical: a scheduled check compares each
region's readiness with the one it saw before (notifications.services.observe)."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from dashboard.help import reasons_for
from dashboard.queries import dashboard_rows
from dashboard.readiness import Readiness
from notifications.models import MessageKind
from notifications.services import notify_everyone, observe

__all__ = ["watch_readiness"]


def watch_readiness(today: date | None = None) -> int:
    """Tell programme management of each region that turned critical since the last check;
    returns how many regions did. The first check only records what it sees."""
    today = today or timezone.localdate()
    turned = 0
    rows = dashboard_rows(today=today)
    seen = observe({f"readiness:{row.region.pk}": str(row.readiness) for row in rows})
    for row in rows:
        before = seen[f"readiness:{row.region.pk}"]
        if row.readiness != Readiness.CRITICAL or before in (None, Readiness.CRITICAL):
            continue
        turned += 1
        notify_everyone(
            MessageKind.CRITICAL,
            key=f"critical:{row.region.pk}:{today.isoformat()}",
            title=lambda r=row: _("%(region)s is now critical") % {"region": r.region.name},
            text=lambda r=row, b=before: (
                _("Readiness was: %(before)s. Why: %(reasons)s.")
                % {
                    "before": Readiness(b).label,
                    "reasons": "; ".join(reason.text for reason in reasons_for(r, today)),
                }
            ),
            url=row.region.get_absolute_url(),
        )
    return turned
