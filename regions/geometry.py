"""Project WGS84 boundaries to SVG path data for server-side maps.

A plain equirectangular projection around the Netherlands' mid latitude: at this size the
distortion is invisible, it needs no GIS library, and the same path serves the web page and PDF.
One map unit is one kilometre; coordinates are rounded to PRECISION decimals.
"""

import math

__all__ = ["bbox_of", "geometry_to_path", "project"]

LON0 = 3.3
LAT0 = 53.6
KM_PER_DEGREE = 111.32
COS_LAT = math.cos(math.radians(52.15))


def project(lon: float, lat: float) -> tuple[float, float]:
    return ((lon - LON0) * KM_PER_DEGREE * COS_LAT, (LAT0 - lat) * KM_PER_DEGREE)


def _rings(geometry: dict):
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon
    else:
        raise ValueError(f"Unsupported geometry type {geometry['type']}")


def geometry_to_path(geometry: dict, precision: int = 1) -> str:
    """SVG path data ("M x y x y ... Z") for a (Multi)Polygon; holes drawn with evenodd."""
    parts = []
    for ring in _rings(geometry):
        points = []
        for lon, lat in ring:
            x, y = project(lon, lat)
            point = (round(x, precision), round(y, precision))
            if not points or points[-1] != point:
                points.append(point)
        if len(points) < 3:
            continue
        coords = " ".join(f"{_num(x)} {_num(y)}" for x, y in points)
        parts.append(f"M{coords}Z")
    return "".join(parts)


def bbox_of(geometry: dict) -> list[float]:
    """[min_x, min_y, max_x, max_y] in map units."""
    xs, ys = [], []
    for ring in _rings(geometry):
        for lon, lat in ring:
            x, y = project(lon, lat)
            xs.append(x)
            ys.append(y)
    return [round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2)]


def _num(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
