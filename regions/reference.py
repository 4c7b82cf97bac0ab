"""Loading the CBS reference data (data/reference/) into Region and Municipality."""

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from regions.geometry import bbox_of, geometry_to_path
from regions.models import Municipality, Region

__all__ = ["REFERENCE_DIR", "LoadResult", "load_reference_data"]

REFERENCE_DIR = Path(settings.BASE_DIR) / "data" / "reference"


@dataclass(frozen=True)
class LoadResult:
    regions_created: int
    regions_updated: int
    municipalities_created: int
    municipalities_updated: int


def _read_csv(name: str) -> list[dict]:
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _read_geometries(name: str, key: str) -> dict[str, dict]:
    with (REFERENCE_DIR / name).open(encoding="utf-8") as handle:
        collection = json.load(handle)
    return {f["properties"][key]: f["geometry"] for f in collection["features"]}


@transaction.atomic
def load_reference_data() -> LoadResult:
    """Create or update the 35 regions and 342 municipalities; running it twice changes nothing."""
    region_shapes = _read_geometries("arbeidsmarktregios.geojson", "am_code")
    municipality_shapes = _read_geometries("gemeenten.geojson", "gm_code")

    counts = {"rc": 0, "ru": 0, "mc": 0, "mu": 0}
    regions = {}
    for row in _read_csv("arbeidsmarktregios.csv"):
        shape = region_shapes[row["am_code"]]
        region, created = Region.objects.update_or_create(
            code=row["am_code"],
            defaults={
                "name": row["name"],
                "population": int(row["population"]),
                "svg_path": geometry_to_path(shape, precision=1),
                "bbox": bbox_of(shape),
            },
        )
        counts["rc" if created else "ru"] += 1
        regions[region.code] = region

    for row in _read_csv("gemeenten.csv"):
        _, created = Municipality.objects.update_or_create(
            code=row["gm_code"],
            defaults={
                "name": row["name"],
                "region": regions[row["am_code"]],
                "province_code": row["province_code"],
                "province": row["province"],
                "population": int(row["population"]),
                "svg_path": geometry_to_path(municipality_shapes[row["gm_code"]], precision=2),
            },
        )
        counts["mc" if created else "mu"] += 1
    return LoadResult(counts["rc"], counts["ru"], counts["mc"], counts["mu"])
