"""Template tags for the regions' pages."""

from django import template

from monitoring.models import Status
from regions.maps import NO_STATUS, STATUS_LEGEND

register = template.Library()

# The modifier of the Utrecht status badge for each status of a progress update.
STATUS_TONES = {Status.ON_TRACK: "success", Status.ATTENTION: "warning", Status.RISK: "danger"}
_LABELS = dict(STATUS_LEGEND)


@register.inclusion_tag("regions/_status_badge.html")
def status_badge(status):
    """A region's latest status or an update's (`Status` value): its label in its colour; no
    status (no update yet) a neutral badge."""
    if status not in STATUS_TONES:
        return {"tone": "neutral", "label": _LABELS[NO_STATUS]}
    return {"tone": STATUS_TONES[status], "label": _LABELS[status]}
