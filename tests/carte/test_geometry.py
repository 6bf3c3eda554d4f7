"""carte.geometry is pure: GeoJSON in, shapely or a GeometryError code out (no DB)."""

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carte import geometry
from carte.geometry import BBox, GeometryError

SQUARE = [[1.0, 46.0], [2.0, 46.0], [2.0, 47.0], [1.0, 47.0], [1.0, 46.0]]
POLYGON = {"type": "Polygon", "coordinates": [SQUARE]}
OTHER_SQUARE = [[3.0, 46.0], [4.0, 46.0], [4.0, 47.0], [3.0, 47.0], [3.0, 46.0]]


def feature(geometry_value, **properties):
    return {"type": "Feature", "properties": properties, "geometry": geometry_value}


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def error_code(value) -> str:
    with pytest.raises(GeometryError) as raised:
        geometry.parse_polygon(value)
    return raised.value.code


# Valid outlines


def test_a_closed_square_is_a_valid_polygon():
    shape = geometry.parse_polygon(POLYGON)
    assert shape.geom_type == "Polygon"
    assert shape.area == pytest.approx(1.0)


def test_text_is_parsed_as_json():
    assert geometry.parse_polygon(json.dumps(POLYGON)).geom_type == "Polygon"


def test_a_polygon_with_a_hole_is_valid():
    hole = [[1.2, 46.2], [1.2, 46.4], [1.4, 46.4], [1.4, 46.2], [1.2, 46.2]]
    shape = geometry.parse_polygon({"type": "Polygon", "coordinates": [SQUARE, hole]})
    assert shape.area == pytest.approx(1.0 - 0.04)


def test_a_multipolygon_of_two_separate_squares_is_valid():
    value = {"type": "MultiPolygon", "coordinates": [[SQUARE], [OTHER_SQUARE]]}
    assert geometry.parse_polygon(value).geom_type == "MultiPolygon"


def test_a_position_may_carry_an_altitude():
    ring = [[*position, 120.0] for position in SQUARE]
    assert geometry.parse_polygon({"type": "Polygon", "coordinates": [ring]})


def test_a_feature_is_unwrapped_to_its_geometry():
    assert geometry.parse_polygon(feature(POLYGON, name="Centre")).area == 1.0


def test_a_collection_of_one_feature_is_unwrapped():
    assert geometry.load_geojson(collection(feature(POLYGON))) == POLYGON


def test_as_geojson_gives_back_plain_lists():
    value = geometry.as_geojson(geometry.parse_polygon(POLYGON))
    assert value == {"type": "Polygon", "coordinates": [SQUARE]}
    assert json.loads(json.dumps(value)) == value


# Invalid outlines: each one gives its code


def test_text_that_is_not_json_is_refused():
    assert error_code("{not json") == "not_json"


def test_deeply_nested_text_is_refused_without_crashing():
    assert error_code("[" * 100_000 + "]" * 100_000) in {"not_json", "not_geojson"}


@pytest.mark.parametrize("value", [[], 3, None, "3", '"Polygon"'])
def test_something_else_than_an_object_is_not_geojson(value):
    assert error_code(value) == "not_geojson"


def test_a_feature_without_geometry_is_not_geojson():
    assert error_code(feature(None)) == "not_geojson"


@pytest.mark.parametrize("count", [0, 2])
def test_a_collection_must_hold_exactly_one_feature(count):
    value = collection(*[feature(POLYGON)] * count)
    assert error_code(value) == "one_feature_expected"


@pytest.mark.parametrize("features", [{"a": 1}, 5, "x", [5]])
def test_a_collection_with_malformed_features_is_refused(features):
    code = error_code({"type": "FeatureCollection", "features": features})
    assert code in {"one_feature_expected", "not_geojson"}


@pytest.mark.parametrize(
    "value",
    [
        {"type": "Point", "coordinates": [1.5, 46.5]},
        {"type": "LineString", "coordinates": SQUARE},
        {"type": "GeometryCollection", "geometries": [POLYGON]},
        {"coordinates": [SQUARE]},
    ],
)
def test_other_geometry_types_are_not_polygons(value):
    assert error_code(value) == "not_a_polygon"


@pytest.mark.parametrize("coordinates", [None, [], "abc", {"a": 1}])
def test_a_polygon_needs_coordinates(coordinates):
    code = error_code({"type": "Polygon", "coordinates": coordinates})
    assert code in {"no_coordinates", "ring_too_short"}


def test_a_multipolygon_needs_polygons():
    assert error_code({"type": "MultiPolygon", "coordinates": []}) == "no_coordinates"
    value = {"type": "MultiPolygon", "coordinates": [[]]}
    assert error_code(value) == "no_coordinates"


def test_a_ring_of_three_points_is_too_short():
    ring = [[1.0, 46.0], [2.0, 46.0], [1.0, 46.0]]
    assert error_code({"type": "Polygon", "coordinates": [ring]}) == "ring_too_short"


def test_an_unclosed_ring_is_refused():
    ring = [*SQUARE[:-1], [1.0, 46.5]]
    assert error_code({"type": "Polygon", "coordinates": [ring]}) == "ring_not_closed"


@pytest.mark.parametrize(
    "position", [[1.0], [1.0, "46"], "1,46", [1, 46, 0, 0], [True, 46.0], None]
)
def test_a_malformed_position_is_refused(position):
    ring = [position, *SQUARE[1:-1], position]
    assert error_code({"type": "Polygon", "coordinates": [ring]}) == "bad_position"


@pytest.mark.parametrize(
    "position", [[181.0, 46.0], [-180.5, 46.0], [1.0, 90.1], [1.0, -91.0]]
)
def test_a_point_out_of_range_is_refused(position):
    ring = [position, *SQUARE[1:-1], position]
    assert error_code({"type": "Polygon", "coordinates": [ring]}) == "out_of_range"


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_out_of_range(number):
    ring = [[number, 46.0], *SQUARE[1:-1], [number, 46.0]]
    assert error_code({"type": "Polygon", "coordinates": [ring]}) == "out_of_range"


def test_a_self_intersecting_bow_tie_is_invalid():
    bow_tie = [[1.0, 46.0], [2.0, 47.0], [2.0, 46.0], [1.0, 47.0], [1.0, 46.0]]
    with pytest.raises(GeometryError) as raised:
        geometry.parse_polygon({"type": "Polygon", "coordinates": [bow_tie]})
    assert raised.value.code == "invalid"
    assert "Self-intersection" in raised.value.detail


def test_a_flat_ring_is_invalid():
    flat = [[1.0, 46.0], [2.0, 46.0], [3.0, 46.0], [1.0, 46.0]]
    assert error_code({"type": "Polygon", "coordinates": [flat]}) == "invalid"


def test_a_hole_outside_its_shell_is_invalid():
    value = {"type": "Polygon", "coordinates": [SQUARE, OTHER_SQUARE]}
    assert error_code(value) == "invalid"


def test_overlapping_parts_of_a_multipolygon_are_invalid():
    value = {"type": "MultiPolygon", "coordinates": [[SQUARE], [SQUARE]]}
    assert error_code(value) == "invalid"


def test_the_error_message_names_its_code_and_detail():
    error = GeometryError("invalid", "Self-intersection")
    assert str(error) == "invalid: Self-intersection"
    assert str(GeometryError("empty")) == "empty"
    assert isinstance(error, ValueError)


# Feature collections for an import


def test_load_features_keeps_order_properties_and_geometry():
    features = geometry.load_features(
        json.dumps(
            collection(
                feature(POLYGON, name="Centre", code="centre"),
                feature(None, name="Sans contour"),
            )
        )
    )
    assert [f.index for f in features] == [0, 1]
    assert features[0].properties == {"name": "Centre", "code": "centre"}
    assert features[0].geometry == POLYGON
    assert features[1].geometry is None


def test_load_features_accepts_a_lone_feature():
    [only] = geometry.load_features(feature(POLYGON, name="Seul"))
    assert only.properties["name"] == "Seul"


def test_load_features_treats_missing_properties_as_empty():
    [only] = geometry.load_features(
        collection({"type": "Feature", "geometry": POLYGON, "properties": None})
    )
    assert only.properties == {}


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("{oops", "not_json"),
        ("[1, 2]", "not_feature_collection"),
        (POLYGON, "not_feature_collection"),
        ({"type": "FeatureCollection"}, "no_features"),
        ({"type": "FeatureCollection", "features": []}, "no_features"),
        ({"type": "FeatureCollection", "features": {"a": 1}}, "no_features"),
        (collection(POLYGON), "not_a_feature"),
        (collection(feature(POLYGON), 3), "not_a_feature"),
    ],
)
def test_load_features_refuses_what_is_not_a_collection(value, code):
    with pytest.raises(GeometryError) as raised:
        geometry.load_features(value)
    assert raised.value.code == code


def test_load_features_says_which_feature_is_wrong():
    with pytest.raises(GeometryError) as raised:
        geometry.load_features(collection(feature(POLYGON), "oops"))
    assert raised.value.detail == "1"


# Points in polygons


@pytest.fixture
def square():
    return geometry.parse_polygon(POLYGON)


def test_a_point_inside_is_contained(square):
    assert geometry.contains_point(square, 1.5, 46.5)


def test_a_point_outside_is_not_contained(square):
    assert not geometry.contains_point(square, 2.5, 46.5)
    assert not geometry.contains_point(square, 1.5, 45.9)


@pytest.mark.parametrize(("longitude", "latitude"), [(1.0, 46.5), (1.5, 47.0)])
def test_a_point_on_the_border_is_contained(square, longitude, latitude):
    assert geometry.contains_point(square, longitude, latitude)


def test_a_corner_is_contained(square):
    assert geometry.contains_point(square, 2.0, 47.0)


def test_a_point_in_a_hole_is_not_contained():
    hole = [[1.2, 46.2], [1.2, 46.4], [1.4, 46.4], [1.4, 46.2], [1.2, 46.2]]
    shape = geometry.parse_polygon({"type": "Polygon", "coordinates": [SQUARE, hole]})
    assert not geometry.contains_point(shape, 1.3, 46.3)
    assert geometry.contains_point(shape, 1.2, 46.3)  # the hole's border


def test_a_point_is_given_longitude_first(square):
    # 46.5, 1.5 (latitude first) would be far out of the square.
    assert not geometry.contains_point(square, 46.5, 1.5)


def test_district_of_point_finds_the_district():
    districts = {
        1: geometry.parse_polygon(POLYGON),
        2: geometry.parse_polygon({"type": "Polygon", "coordinates": [OTHER_SQUARE]}),
    }
    assert geometry.district_of_point(districts, 3.5, 46.5) == 2
    assert geometry.district_of_point(districts, 1.5, 46.5) == 1


def test_district_of_point_is_none_outside_every_district():
    districts = {1: geometry.parse_polygon(POLYGON)}
    assert geometry.district_of_point(districts, 2.5, 46.5) is None
    assert geometry.district_of_point({}, 1.5, 46.5) is None


def test_a_point_on_a_shared_border_goes_to_the_smallest_key():
    east = [[2.0, 46.0], [3.0, 46.0], [3.0, 47.0], [2.0, 47.0], [2.0, 46.0]]
    districts = {
        9: geometry.parse_polygon({"type": "Polygon", "coordinates": [east]}),
        4: geometry.parse_polygon(POLYGON),
    }
    assert geometry.district_of_point(districts, 2.0, 46.5) == 4


# Bounding boxes


def test_bbox_of_a_polygon():
    box = geometry.bbox_of(geometry.parse_polygon(POLYGON))
    assert box == BBox(1.0, 46.0, 2.0, 47.0)
    assert box.as_list() == [1.0, 46.0, 2.0, 47.0]


def test_bbox_contains_its_inside_and_border_only():
    box = BBox(1.64, 46.76, 1.76, 46.84)
    assert box.contains(1.7, 46.8)
    assert box.contains(1.64, 46.84)
    assert not box.contains(1.63, 46.8)
    assert not box.contains(1.7, 46.85)
    assert not box.contains(46.8, 1.7)  # latitude first: outside


def test_within_bbox():
    shape = geometry.parse_polygon(POLYGON)
    assert geometry.within_bbox(shape, BBox(1.0, 46.0, 2.0, 47.0))
    assert geometry.within_bbox(shape, BBox(0.0, 45.0, 3.0, 48.0))
    assert not geometry.within_bbox(shape, BBox(1.1, 46.0, 2.0, 47.0))
    assert not geometry.within_bbox(shape, BBox(1.0, 46.0, 2.0, 46.9))
    assert not geometry.within_bbox(shape, BBox(3.0, 46.0, 4.0, 47.0))


# Fuzzing: whatever comes in, only a shape or a GeometryError comes out

numbers = st.one_of(
    st.integers(min_value=-400, max_value=400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)
json_values = st.recursive(
    st.none() | st.booleans() | numbers | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=6)
        | st.dictionaries(
            st.sampled_from(["type", "coordinates", "features", "geometry", "x"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=40,
)
positions = st.lists(numbers, min_size=0, max_size=4)
rings = st.lists(positions, min_size=0, max_size=8)
closed_rings = rings.map(lambda ring: [*ring, ring[0]] if ring else ring)
polygon_like = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["Polygon", "MultiPolygon", "Feature", "Point"]),
        "coordinates": st.one_of(
            st.lists(closed_rings, max_size=3),
            st.lists(st.lists(closed_rings, max_size=3), max_size=3),
            json_values,
        ),
    }
)
wrapped = polygon_like.flatmap(
    lambda value: st.sampled_from(
        [
            value,
            {"type": "Feature", "geometry": value},
            {"type": "FeatureCollection", "features": [value]},
            {"type": "FeatureCollection", "features": [feature(value)]},
        ]
    )
)


def _a_valid_polygon(shape):
    assert shape.is_valid
    assert shape.geom_type in geometry.POLYGON_TYPES


def _features_with_properties(features):
    assert all(isinstance(f.properties, dict) for f in features)


def _only_geometry_errors(value, read=geometry.parse_polygon, check=_a_valid_polygon):
    """`read(value)` refuses only with a coded GeometryError; what it returns
    passes `check`."""
    try:
        result = read(value)
    except GeometryError as error:
        assert error.code
    else:
        check(result)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(json_values, wrapped))
def test_parse_polygon_only_ever_raises_geometry_error(value):
    _only_geometry_errors(value)


@settings(max_examples=200)
@given(st.text(max_size=60) | json_values.map(json.dumps))
def test_parse_polygon_of_any_text_only_raises_geometry_error(text):
    _only_geometry_errors(text)


@settings(max_examples=200)
@given(st.one_of(json_values, wrapped))
def test_load_features_only_ever_raises_geometry_error(value):
    _only_geometry_errors(value, geometry.load_features, _features_with_properties)


@given(
    st.floats(min_value=-10, max_value=10, allow_nan=False),
    st.floats(min_value=-10, max_value=10, allow_nan=False),
)
def test_a_point_is_in_the_square_exactly_when_in_its_bbox(longitude, latitude):
    square = geometry.parse_polygon(POLYGON)
    box = geometry.bbox_of(square)
    inside = geometry.contains_point(square, longitude, latitude)
    assert inside == box.contains(longitude, latitude)
