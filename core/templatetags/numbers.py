from django import template

from core.display import hours_display

register = template.Library()


@register.filter
def hours(value) -> str:
    """{{ deployment.spent_hours|hours }}: "2,5" on a Dutch page or PDF, "30" for whole hours."""
    return hours_display(value)
