"""GeoJSON parsing and validation, point in polygon, bounding boxes (pure, shapely).

Coordinates follow GeoJSON: [longitude, latitude] (RFC 7946).
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shapely.errors import ShapelyError
from shapely.geometry import Point, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from carte.errors import CodedError

POLYGON_TYPES = ("Polygon", "MultiPolygon")


class GeometryError(CodedError):
    """Invalid GeoJSON; `code` says why (for a translated message)."""


@dataclass(frozen=True)
class Feature:
    """One feature of a collection: its position, properties and raw geometry."""

    index: int
    properties: dict[str, Any]
    geometry: dict[str, Any] | None


@dataclass(frozen=True)
class BBox:
    west: float
    south: float
    east: float
    north: float

    def contains(self, longitude: float, latitude: float) -> bool:
        return (
            self.west <= longitude <= self.east and self.south <= latitude <= self.north
        )

    def as_list(self) -> list[float]:
        return [self.west, self.south, self.east, self.north]


def _json_object(value: str | Mapping[str, Any], code: str) -> Mapping[str, Any]:
    """`value` as a JSON object: text is parsed ("not_json" when it is not JSON);
    anything but an object is refused with `code`."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (json.JSONDecodeError, RecursionError) as error:
            raise GeometryError("not_json", str(error)) from error
    if not isinstance(value, Mapping):
        raise GeometryError(code)
    return value


def load_geojson(value: str | Mapping[str, Any]) -> Mapping[str, Any]:
    """Accept text or a mapping; unwrap a Feature or a one-feature collection."""
    value = _json_object(value, "not_geojson")
    kind = value.get("type")
    if kind == "FeatureCollection":
        features = value.get("features") or []
        if not isinstance(features, list) or len(features) != 1:
            count = len(features) if isinstance(features, list) else 0
            raise GeometryError("one_feature_expected", str(count))
        value = features[0]
        if not isinstance(value, Mapping):
            raise GeometryError("not_geojson")
        kind = value.get("type")
    if kind == "Feature":
        value = value.get("geometry")
        if not isinstance(value, Mapping):
            raise GeometryError("not_geojson")
    return value


def load_features(value: str | Mapping[str, Any]) -> list[Feature]:
    """The features of a GeoJSON FeatureCollection, in order, for an import.

    A lone Feature counts as a collection of one. Each feature's geometry is left
    unchecked (`parse_polygon` does that), but must at least be an object.
    """
    value = _json_object(value, "not_feature_collection")
    if value.get("type") == "Feature":
        value = {"type": "FeatureCollection", "features": [value]}
    if value.get("type") != "FeatureCollection":
        raise GeometryError("not_feature_collection", str(value.get("type")))
    items = value.get("features")
    if not isinstance(items, list) or not items:
        raise GeometryError("no_features")
    features = []
    for index, item in enumerate(items):
        if not isinstance(item, Mapping) or item.get("type") != "Feature":
            raise GeometryError("not_a_feature", str(index))
        properties = item.get("properties")
        geometry = item.get("geometry")
        features.append(
            Feature(
                index=index,
                properties=dict(properties) if isinstance(properties, Mapping) else {},
                geometry=dict(geometry) if isinstance(geometry, Mapping) else None,
            )
        )
    return features


def parse_polygon(value: str | Mapping[str, Any]) -> BaseGeometry:
    """Return a valid shapely (Multi)Polygon, or raise GeometryError.

    Rings must be closed (first point repeated last), with longitudes in
    [-180, 180] and latitudes in [-90, 90], and the shape must be valid (no
    self-intersection).
    """
    geometry = load_geojson(value)
    if geometry.get("type") not in POLYGON_TYPES:
        raise GeometryError("not_a_polygon", str(geometry.get("type")))
    polygons = (
        [geometry.get("coordinates")]
        if geometry["type"] == "Polygon"
        else geometry.get("coordinates")
    )
    if not isinstance(polygons, list) or not polygons:
        raise GeometryError("no_coordinates")
    for rings in polygons:
        if not isinstance(rings, list) or not rings:
            raise GeometryError("no_coordinates")
        for ring in rings:
            _check_ring(ring)
    try:
        result = shape(geometry)
        empty, valid = result.is_empty, result.is_valid
    except (ValueError, TypeError, AttributeError, IndexError, ShapelyError) as error:
        raise GeometryError("not_geojson", str(error)) from error
    if empty:
        raise GeometryError("empty")
    if not valid:
        raise GeometryError("invalid", explain_validity(result))
    return result


def as_geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """A shapely geometry as a plain GeoJSON mapping (lists, not tuples)."""
    return json.loads(json.dumps(mapping(geometry)))


def _check_ring(ring: Any) -> None:
    if not isinstance(ring, list) or len(ring) < 4:
        raise GeometryError("ring_too_short")
    for position in ring:
        if (
            not isinstance(position, list | tuple)
            or len(position) not in (2, 3)
            or not all(_is_number(c) for c in position)
        ):
            raise GeometryError("bad_position", repr(position))
        longitude, latitude = position[0], position[1]
        if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
            raise GeometryError("out_of_range", repr(position))
    if list(ring[0][:2]) != list(ring[-1][:2]):
        raise GeometryError("ring_not_closed")


def _is_number(value: Any) -> bool:
    # bool is an int in Python, but `true` is no coordinate; NaN and infinities
    # fail the range check.
    return isinstance(value, int | float) and not isinstance(value, bool)


def bbox_of(geometry: BaseGeometry) -> BBox:
    west, south, east, north = geometry.bounds
    return BBox(west, south, east, north)


def contains_point(geometry: BaseGeometry, longitude: float, latitude: float) -> bool:
    """True when the point lies inside the polygon or on its border."""
    return geometry.covers(Point(longitude, latitude))


def within_bbox(geometry: BaseGeometry, bbox: BBox) -> bool:
    west, south, east, north = geometry.bounds
    return (
        bbox.west <= west and bbox.south <= south and east <= bbox.east
    ) and north <= bbox.north


def district_of_point(
    districts: Mapping[int, BaseGeometry], longitude: float, latitude: float
) -> int | None:
    """The key of the first district (by key) covering the point, or None."""
    for key in sorted(districts):
        if contains_point(districts[key], longitude, latitude):
            return key
    return None
