"""Template filters for the values a frozen snapshot keeps as text."""

from datetime import date

from django import template

register = template.Library()


@register.filter
def day(value):
    """A snapshot's ISO date ("2026-09-30") as a date, so `|date:"j F Y"` writes it in the
    reader's language ("30 september 2026"); anything else is returned as it is."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value
