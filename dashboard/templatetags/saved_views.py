from django import template
from django.utils.safestring import mark_safe

from dashboard.views_saved import form_context

register = template.Library()

# Where the dashboard's kept content (core/pagecache.py, the same for every reader) takes the
# form "Save this view", which is the reader's own (their CSRF token, their count): filled in
# after the cache, on every request.
SLOT = "<!-- save-view-form -->"


@register.simple_tag(takes_context=True)
def with_save_form(context, body):
    """`body` with the form "Save this view" in its slot (at the end when it has none)."""
    form = context.template.engine.get_template("dashboard/_save_view.html")
    with context.push(**form_context(context["request"])):
        html = form.render(context)
    if SLOT in body:
        return mark_safe(body.replace(SLOT, html, 1))  # noqa: S308 (both rendered by templates)
    return mark_safe(body + html)  # noqa: S308
