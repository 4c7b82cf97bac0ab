"""The region page's inline sections, rendered once per change and kept in each process.

A region page shows some sixty records with their edit and delete controls; rendering them is most
of the page's cost, and they change far less often than the page is read. Each section's HTML is
kept under a key made of everything it shows:

- the section's stamp (`section_stamps`: count, newest change and version sum of its records,
  read in one query on every request, so an added, edited or deleted record is a new key),
- the region's id, code and name (the route agreement is labelled with it), whether the reader
  may change it, the language, today's date (a route step turns "late" overnight) and whether the
  section is shown in full.

A section whose columns show another table's record (the instrument's product version and
specialist) cannot be keyed on its stamp, since a rename there does not change it
(`Section.cacheable` decides this from the columns, so a new column needs no rule of its own).
Its records are read on every view instead, and its HTML is kept under a digest of what they
show (every shown value, version and change), so only the rendering is saved. The CSRF token
is not kept either: the delete forms are rendered with a placeholder that is replaced by the
reader's own token. Municipality names are reference data, changed only by a deployment, which
starts new processes with empty caches.
"""

import secrets
import zlib

from django.core.cache import caches
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from core.hashing import sha256_hex
from monitoring.queries import section_block, section_stamps
from monitoring.sections import SECTIONS

__all__ = ["CACHE_ALIAS", "rendered_sections"]

CACHE_ALIAS = "fragments"
# Unguessable, so no text a user typed into a record can stand in for it.
_CSRF_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"
_TEMPLATE = "monitoring/sections.html#section"


def _shown(block) -> str:
    """A digest of everything a section block shows: per record its shown values, label,
    lateness, version and last change (by whom), and how many records there are."""
    rows = [
        (
            view.obj.pk,
            getattr(view.obj, type(view.obj).version_column, None),
            view.obj.updated_at.timestamp() if view.obj.updated_at else None,
            str(view.obj.updated_by) if view.obj.updated_by_id else "",
            view.label,
            view.late,
            view.attention,
            view.fields,
        )
        for view in block.records
    ]
    return sha256_hex(repr((block.total, block.expanded, rows)))


def rendered_sections(
    request, region, municipality_names: dict[str, str], *, can_change: bool, expand: str = ""
) -> list[SafeString]:
    """The HTML of every inline section of `region`'s page, in page order."""
    stamps = section_stamps(region)
    name = zlib.crc32(region.name.encode())
    variant = f"{int(can_change)}:{translation.get_language()}:{timezone.localdate().isoformat()}"
    keys = {
        section.key: (
            f"section:{region.pk}:{region.code}:{name}:{section.key}:{stamps[section.key]}:"
            f"{variant}:{int(section.key == expand)}"
        )
        for section in SECTIONS
        if section.cacheable
    }
    cache = caches[CACHE_ALIAS]
    kept = cache.get_many(keys.values())
    fresh = {}
    token = get_token(request)
    sections = []
    for section in SECTIONS:
        key = keys.get(section.key)
        html = kept.get(key) if key else None
        if html is None:
            block = section_block(region, section, municipality_names, expand)
            if key is None:  # not cacheable on its stamp: on what its records show
                key = (
                    f"section:{region.pk}:{region.code}:{name}:{section.key}:{_shown(block)}:"
                    f"{variant}"
                )
                html = cache.get(key)
        if html is None:
            html = render_to_string(
                _TEMPLATE,
                {
                    "block": block,
                    "region": region,
                    "can_change": can_change,
                    "csrf_token": _CSRF_PLACEHOLDER,
                },
            )
            fresh[key] = html
        # The token is letters and digits only (Django's CSRF format), so it is safe in HTML.
        sections.append(mark_safe(html.replace(_CSRF_PLACEHOLDER, token)))  # noqa: S308
    if fresh:
        cache.set_many(fresh)
    return sections
