"""Template tags for PDF rendering."""

from functools import cache
from pathlib import Path

from django import template
from django.conf import settings

register = template.Library()

SVG_CSS = Path(settings.BASE_DIR) / "static" / "css" / "svg.css"


@cache
def _svg_css() -> str:
    return SVG_CSS.read_text(encoding="utf-8")


@register.inclusion_tag("reporting/_svg_style.html", takes_context=True)
def svg_style(context) -> dict:
    """Inside an <svg>: its colours, but only in a PDF. WeasyPrint does not apply the page's
    stylesheets to inline SVG, so the PDF carries the same rules the page links to."""
    return {"css": _svg_css() if context.get("pdf") else ""}
