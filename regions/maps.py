"""Server-side SVG maps: the national map of regions and a region's municipalities.

The functions here return plain data (colours, labels, links, outlines, legend); the markup is in
templates/regions/_map.html (a map, on a page or in a PDF) and templates/regions/shapes.svg (the
file of outlines that a page's map draws with <use>), so the page and the PDF draw the same
picture. Paths come from Region.svg_path / Municipality.svg_path (regions/geometry.py).
"""

import zlib
from dataclasses import dataclass

from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from monitoring.models import Status
from regions.models import Region

__all__ = [
    "MapShape",
    "SvgMap",
    "choropleth",
    "national_map",
    "region_map",
    "shape_id",
    "shapes_svg",
    "shapes_url",
]

NO_STATUS = "geen"
STATUS_LEGEND = [
    (Status.ON_TRACK.value, Status.ON_TRACK.label),
    (Status.ATTENTION.value, Status.ATTENTION.label),
    (Status.RISK.value, Status.RISK.label),
    (NO_STATUS, _("No update yet")),
]


@dataclass(frozen=True)
class MapShape:
    code: str
    name: str
    path: str
    css_class: str
    label: str
    url: str | None

    @property
    def outline_id(self) -> str:
        """The id of this shape's outline in the shapes file (`shape_id`)."""
        return shape_id(self.code)


@dataclass(frozen=True)
class SvgMap:
    title: str
    view_box: str
    shapes: list[MapShape]
    legend: list[tuple[str, str]]
    # On web pages the regions' outlines come from one cached file (`shapes_url()`), each drawn
    # with <use>; the page carries only colours, labels and links. Empty: outlines inline (PDF).
    shapes_href: str = ""


def _view_box(boxes: list[list[float]], pad: float) -> str:
    min_x = min(b[0] for b in boxes) - pad
    min_y = min(b[1] for b in boxes) - pad
    max_x = max(b[2] for b in boxes) + pad
    max_y = max(b[3] for b in boxes) + pad
    return f"{min_x:.1f} {min_y:.1f} {max_x - min_x:.1f} {max_y - min_y:.1f}"


def national_map(
    regions,
    *,
    linked_codes: set[str] | None = None,
    show_status: bool = True,
    shapes_href: str = "",
):
    """The 35 regions coloured by their latest status (regions annotated `latest_status`).

    `linked_codes` limits which regions are links (None: all); the others are drawn neutral.
    """
    labels = dict(STATUS_LEGEND)
    shapes = []
    for region in regions:
        linked = linked_codes is None or region.code in linked_codes
        status = (getattr(region, "latest_status", None) or NO_STATUS) if linked else None
        if show_status and status:
            css_class = f"map-shape status-{status}"
            label = f"{region.name}: {labels[status]}"
        else:
            css_class = "map-shape status-neutral"
            label = region.name
        shapes.append(
            MapShape(
                code=region.code,
                name=region.name,
                path="" if shapes_href else region.svg_path,
                css_class=css_class,
                label=label,
                url=region.get_absolute_url() if linked else None,
            )
        )
    return SvgMap(
        title=str(_("Map of the labour-market regions")),
        view_box=_view_box([r.bbox for r in regions], pad=4) if regions else "0 0 1 1",
        shapes=shapes,
        legend=[(f"status-{key}", label) for key, label in STATUS_LEGEND] if show_status else [],
        shapes_href=shapes_href,
    )


def choropleth(
    regions, classify, legend, title, *, linked: bool = True, shapes_href: str = ""
) -> SvgMap:
    """Regions coloured by `classify(region) -> (css class, accessible label)`; each a link to
    its region page unless `linked` is off (in a PDF)."""
    shapes = []
    for region in regions:
        css_class, label = classify(region)
        shapes.append(
            MapShape(
                code=region.code,
                name=region.name,
                path="" if shapes_href else region.svg_path,
                css_class=f"map-shape {css_class}",
                label=label,
                url=region.get_absolute_url() if linked else None,
            )
        )
    return SvgMap(
        title=str(title),
        view_box=_view_box([r.bbox for r in regions], pad=4) if regions else "0 0 1 1",
        shapes=shapes,
        legend=legend,
        shapes_href=shapes_href,
    )


def shape_id(code: str) -> str:
    """The id of a region's outline in the shapes file."""
    return f"r-{code}"


def shapes_url() -> str:
    """Address of the file with every region's outline, with a version that changes whenever an
    outline changes (reference data), so browsers may keep the file for good. One small query:
    the count, the highest id and the stored sizes of the outlines (not the outlines)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), MAX(id), SUM(octet_length(svg_path)), "  # noqa: S608 - our table
            f"md5(string_agg(code, ',' ORDER BY code)) FROM {Region._meta.db_table}"
        )
        version = zlib.crc32(repr(cursor.fetchone()).encode())
    return f"{reverse('regions:shapes')}?v={version:08x}"


def shapes_svg(regions) -> str:
    """The shapes file (templates/regions/shapes.svg): one <path> per region, with the id that
    `<use>` refers to."""
    outlines = [(shape_id(r.code), r.svg_path) for r in regions]
    return render_to_string("regions/shapes.svg", {"outlines": outlines})


def region_map(region, municipalities) -> SvgMap:
    """The municipalities of one region, each its own shape, framed on the region."""
    shapes = [
        MapShape(
            code=m.code,
            name=m.name,
            path=m.svg_path,
            css_class=f"map-shape municipality-{index % 6}",
            label=m.name,
            url=None,
        )
        for index, m in enumerate(municipalities)
    ]
    return SvgMap(
        title=str(_("Map of the municipalities in %(region)s") % {"region": region.name}),
        view_box=_view_box([region.bbox], pad=2),
        shapes=shapes,
        legend=[],
    )
