from django import template
from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe

from discussion.services import MENTION

register = template.Library()


@register.filter
def with_mentions(body: str) -> str:
    """The comment's text, escaped, in paragraphs, with each "@name" marked."""
    marked = MENTION.sub(
        lambda match: f'<span class="rm-mention">@{match.group(1)}</span>', escape(body)
    )
    return mark_safe(linebreaks(marked, autoescape=False))  # noqa: S308 (escaped above)
