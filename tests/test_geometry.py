from regions.geometry import bbox_of, geometry_to_path, project


def test_projection_keeps_north_up_and_scale_in_kilometres():
    x0, y0 = project(5.0, 52.0)
    x1, y1 = project(5.0, 53.0)  # one degree further north
    assert x0 == x1
    assert round(y0 - y1, 2) == 111.32


def test_polygon_with_hole_becomes_two_closed_subpaths_without_repeated_points():
    square = [[4.0, 52.0], [4.1, 52.0], [4.1, 52.1], [4.0, 52.1], [4.0, 52.0]]
    hole = [[4.04, 52.04], [4.06, 52.04], [4.06, 52.06], [4.04, 52.04]]
    path = geometry_to_path({"type": "Polygon", "coordinates": [square, hole]})
    assert path.count("M") == 2 and path.count("Z") == 2
    first = path.split("Z")[0][1:].split(" ")
    assert len(first) == 10  # five points: rounding merged nothing here


def test_rings_that_collapse_when_rounded_are_dropped():
    tiny = [[4.0, 52.0], [4.0001, 52.0], [4.0001, 52.0001], [4.0, 52.0]]
    assert geometry_to_path({"type": "Polygon", "coordinates": [tiny]}) == ""


def test_bbox_orders_min_before_max():
    geometry = {"type": "MultiPolygon", "coordinates": [[[[4, 52], [5, 52], [5, 53], [4, 52]]]]}
    min_x, min_y, max_x, max_y = bbox_of(geometry)
    assert min_x < max_x and min_y < max_y
