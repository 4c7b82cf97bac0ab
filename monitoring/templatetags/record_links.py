from django import template

from monitoring.sections import record_url as _record_url

register = template.Library()


@register.simple_tag
def record_url(region, key: str, pk: int) -> str:
    """A record's address on its region's page, where the page shows it
    (monitoring.sections.record_url): `{% record_url signal.region "signalen" signal.pk %}`."""
    return _record_url(region.code, key, pk)
