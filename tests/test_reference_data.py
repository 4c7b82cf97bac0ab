import csv

import pytest
from django.core.management import call_command

from regions.models import Municipality, Region
from regions.reference import REFERENCE_DIR, load_reference_data

pytestmark = pytest.mark.django_db


def test_35_regions_and_342_municipalities_each_in_one_region():
    assert Region.objects.count() == 35
    assert Municipality.objects.count() == 342
    assert not Municipality.objects.filter(region__isnull=True).exists()
    assert all(r.municipalities.exists() for r in Region.objects.prefetch_related("municipalities"))


def test_membership_and_population_match_the_cbs_files():
    with (REFERENCE_DIR / "gemeenten.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    in_db = dict(Municipality.objects.values_list("code", "region__code"))
    assert in_db == {row["gm_code"]: row["am_code"] for row in rows}
    assert sum(Region.objects.values_list("population", flat=True)) == 18_130_208
    assert Municipality.objects.get(code="GM0518").name == "'s-Gravenhage"
    assert Municipality.objects.get(code="GM0518").region.name == "Haaglanden"


def test_loading_twice_changes_nothing(capsys):
    before = list(Region.objects.order_by("code").values_list("code", "name", "svg_path"))
    result = load_reference_data()
    assert (result.regions_created, result.municipalities_created) == (0, 0)
    assert (result.regions_updated, result.municipalities_updated) == (35, 342)
    call_command("load_reference_data")
    assert "0 created" in capsys.readouterr().out
    assert list(Region.objects.order_by("code").values_list("code", "name", "svg_path")) == before
    assert Municipality.objects.count() == 342


def test_every_region_has_a_drawable_boundary():
    for region in Region.objects.all():
        assert region.svg_path.startswith("M") and region.svg_path.endswith("Z"), region.code
        min_x, min_y, max_x, max_y = region.bbox
        # The Netherlands is about 270 by 310 km; every region lies inside that frame.
        assert 0 <= min_x < max_x <= 280 and 0 <= min_y < max_y <= 330, region.code
