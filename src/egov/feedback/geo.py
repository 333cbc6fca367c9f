"""Places: the grid cells that index reports by position, distances, and the commune whose area
holds a point (shapely tests the loaded boundaries).

Neither SQLite nor the PostgreSQL of a city needs PostGIS for this: a report's point is two
floats and a cell number (0.01° of latitude by 0.01° of longitude, about 1.1 km by 1.1 km here),
so "near a place" reads the rows of the few cells around it through an ordinary index, then
keeps those within the radius.
"""

import math
from dataclasses import dataclass

from django.db.models import F, FloatField, Q, Value
from django.db.models.functions import Cast
from django.utils import timezone
from shapely.geometry import Point, shape

from egov.feedback.models import CommuneBoundary

CELL_DEGREES = 0.01
CELLS_PER_ROW = 100_000  # longitude cells in one row of latitude (36,000 used)
METRES_PER_DEGREE = 111_320.0
MAX_RADIUS_METRES = 20_000  # a wider search is a list of the city, not "near a place"


def cell_of(latitude: float, longitude: float) -> int:
    row = math.floor((latitude + 90) / CELL_DEGREES)
    column = math.floor((longitude + 180) / CELL_DEGREES)
    return row * CELLS_PER_ROW + column


@dataclass(frozen=True)
class Box:
    south: float
    west: float
    north: float
    east: float

    def cells(self) -> list[int]:
        south_west, north_east = cell_of(self.south, self.west), cell_of(self.north, self.east)
        rows = range(south_west // CELLS_PER_ROW, north_east // CELLS_PER_ROW + 1)
        columns = range(south_west % CELLS_PER_ROW, north_east % CELLS_PER_ROW + 1)
        return [row * CELLS_PER_ROW + column for row in rows for column in columns]

    def contains(self, latitude: float, longitude: float) -> bool:
        return self.south <= latitude <= self.north and self.west <= longitude <= self.east


def box_around(latitude: float, longitude: float, radius_m: float) -> Box:
    d_lat = radius_m / METRES_PER_DEGREE
    d_lon = radius_m / (METRES_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
    return Box(latitude - d_lat, longitude - d_lon, latitude + d_lat, longitude + d_lon)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(min(1.0, math.sqrt(a)))


def near(queryset, latitude: float, longitude: float, radius_m: float):
    """Reports within ``radius_m`` of the point: the cells of the surrounding box through the
    index, then the circle by the equirectangular distance (exact to centimetres at a city's
    scale), computed by the database so that counting and paging stay there."""
    box = box_around(latitude, longitude, radius_m)
    scale = math.cos(math.radians(latitude))
    d_lat = F("latitude") - Value(latitude)
    d_lon = (F("longitude") - Value(longitude)) * Value(scale)
    limit = (radius_m / METRES_PER_DEGREE) ** 2
    return (
        queryset.filter(cell__in=box.cells())
        .filter(
            latitude__range=(box.south, box.north),
            longitude__range=(box.west, box.east),
        )
        .alias(
            distance2=Cast(d_lat * d_lat + d_lon * d_lon, output_field=FloatField()),
        )
        .filter(distance2__lte=limit)
    )


def in_box(queryset, box: Box):
    cells = box.cells()
    condition = Q(latitude__range=(box.south, box.north), longitude__range=(box.west, box.east))
    if len(cells) <= 400:
        condition &= Q(cell__in=cells)
    return queryset.filter(condition)


def commune_at(latitude: float, longitude: float):
    """The commune-level unit whose loaded boundary holds the point, or None (no boundary
    loaded there). Units no longer in force keep their boundaries for old reports, so the
    one in force today wins where two overlap."""
    candidates = (
        CommuneBoundary.objects.filter(
            min_latitude__lte=latitude,
            max_latitude__gte=latitude,
            min_longitude__lte=longitude,
            max_longitude__gte=longitude,
        )
        .select_related("unit")
        .order_by("-unit__valid_from", "unit__code")
    )
    point = Point(longitude, latitude)  # GeoJSON order: x = longitude, y = latitude
    today = timezone.localdate()
    found = [b.unit for b in candidates if shape(b.geometry).covers(point)]
    in_force = [unit for unit in found if unit.in_force_on(today)]
    return (in_force or found or [None])[0]


def boundaries_loaded() -> bool:
    return CommuneBoundary.objects.exists()


def bounds_of(geometry: dict) -> tuple[float, float, float, float]:
    """(south, west, north, east) of a GeoJSON geometry; raises ValueError if it is not a
    valid (Multi)Polygon."""
    if geometry.get("type") not in {"Polygon", "MultiPolygon"}:
        raise ValueError("the geometry must be a Polygon or a MultiPolygon")
    figure = shape(geometry)
    if figure.is_empty or not figure.is_valid:
        raise ValueError("the polygon is empty or crosses itself")
    west, south, east, north = figure.bounds
    if not (-90 <= south <= north <= 90 and -180 <= west <= east <= 180):
        raise ValueError("the coordinates are not longitude, latitude in degrees (WGS 84)")
    return south, west, north, east
