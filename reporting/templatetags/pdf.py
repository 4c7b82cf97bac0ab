"""Template tags for PDF rendering."""

from functools import cache
from pathlib import Path

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

register = template.Library()

SVG_CSS = Path(settings.BASE_DIR) / "static" / "css" / "svg.css"


@cache
def _svg_css() -> str:
    return SVG_CSS.read_text(encoding="utf-8")


@register.simple_tag(takes_context=True)
def svg_style(context) -> str:
    """Inside an <svg>: its colours, but only in a PDF. WeasyPrint does not apply the page's
    stylesheets to inline SVG, so the PDF carries the same rules the page links to."""
    if not context.get("pdf"):
        return ""
    return mark_safe(f"<style>{_svg_css()}</style>")  # noqa: S308 - our own static file
