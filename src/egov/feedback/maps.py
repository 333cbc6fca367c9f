"""Maps drawn on the server as SVG: the communes' boundaries and the reports' points, in Web
Mercator pixels at a zoom level chosen to fit, so the map works without JavaScript and without
a tile server. A city that has one sets ``EGOV_FEEDBACK_TILE_URL``
(``https://tiles.example.vn/{z}/{x}/{y}.png``): the tiles that cover the view are placed under
the drawing as plain images, in the same pixels, and the Content-Security-Policy lets them in.
"""

import math
from dataclasses import dataclass, field

from django.conf import settings
from shapely.geometry import shape

from egov.feedback.models import CommuneBoundary

WIDTH, HEIGHT = 640, 420
TILE = 256
MIN_ZOOM, MAX_ZOOM = 8, 17
PADDING = 24
MIN_SPAN = 0.004  # degrees (about 450 m): one report is shown with its streets around it


def project(latitude: float, longitude: float, zoom: int) -> tuple[float, float]:
    scale = TILE * 2**zoom
    latitude = max(min(latitude, 85.0511), -85.0511)
    x = (longitude + 180) / 360 * scale
    sin = math.sin(math.radians(latitude))
    y = (0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)) * scale
    return x, y


def _zoom_to_fit(south, west, north, east) -> int:
    for zoom in range(MAX_ZOOM, MIN_ZOOM - 1, -1):
        x1, y1 = project(north, west, zoom)
        x2, y2 = project(south, east, zoom)
        if x2 - x1 <= WIDTH - 2 * PADDING and y2 - y1 <= HEIGHT - 2 * PADDING:
            return zoom
    return MIN_ZOOM


@dataclass
class Pin:
    x: float
    y: float
    url: str
    label: str
    css: str


@dataclass
class Area:
    path: str
    name: str
    code: str


@dataclass
class Map:
    """Drawn in pixels relative to the view's top left corner (``left``, ``top`` in Web
    Mercator pixels at ``zoom``): browsers draw SVG in single precision, and absolute pixels at
    street zoom (tens of millions) would lose the points."""

    zoom: int
    left: float
    top: float
    width: int = WIDTH
    height: int = HEIGHT
    pins: list[Pin] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    tiles: list[dict] = field(default_factory=list)
    attribution: str = ""

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    def place(self, latitude: float, longitude: float) -> tuple[float, float]:
        x, y = project(latitude, longitude, self.zoom)
        return round(x - self.left, 1), round(y - self.top, 1)


def _path(geometry: dict, drawing: Map, tolerance: float) -> str:
    figure = shape(geometry).simplify(tolerance, preserve_topology=True)
    polygons = getattr(figure, "geoms", [figure])
    parts = []
    for polygon in polygons:
        for ring in [polygon.exterior, *polygon.interiors]:
            points = [drawing.place(lat, lon) for lon, lat in ring.coords]
            parts.append("M" + " L".join(f"{x:.1f} {y:.1f}" for x, y in points) + " Z")
    return " ".join(parts)


def _tiles(zoom: int, left: float, top: float) -> list[dict]:
    template = settings.EGOV_FEEDBACK_TILE_URL
    if not template:
        return []
    tiles = []
    for tx in range(int(left // TILE), int((left + WIDTH) // TILE) + 1):
        for ty in range(int(top // TILE), int((top + HEIGHT) // TILE) + 1):
            if 0 <= ty < 2**zoom:
                url = template.format(z=zoom, x=tx % 2**zoom, y=ty)
                tiles.append(
                    {"x": round(tx * TILE - left, 1), "y": round(ty * TILE - top, 1), "url": url}
                )
    return tiles


def area_bounds(units=None) -> tuple[float, float, float, float]:
    """(south, west, north, east) of the loaded boundaries (of ``units`` when given), else the
    area the installation serves."""
    boundaries = CommuneBoundary.objects.all()
    if units is not None:
        boundaries = boundaries.filter(unit__in=units)
    box = boundaries.values_list("min_latitude", "min_longitude", "max_latitude", "max_longitude")
    rows = list(box)
    if not rows:
        return settings.EGOV_FEEDBACK_AREA
    return (
        min(r[0] for r in rows),
        min(r[1] for r in rows),
        max(r[2] for r in rows),
        max(r[3] for r in rows),
    )


def draw(
    bounds: tuple[float, float, float, float],
    points=(),
    *,
    boundaries=None,
    zoom: int | None = None,
) -> Map:
    """A map of ``bounds`` with ``points`` ((latitude, longitude, url, label, css) each) on
    the boundaries that fall in view."""
    south, west, north, east = bounds
    if north - south < MIN_SPAN:
        middle = (north + south) / 2
        south, north = middle - MIN_SPAN / 2, middle + MIN_SPAN / 2
    if east - west < MIN_SPAN:
        middle = (east + west) / 2
        west, east = middle - MIN_SPAN / 2, middle + MIN_SPAN / 2
    zoom = zoom or _zoom_to_fit(south, west, north, east)
    x1, y1 = project(north, west, zoom)
    x2, y2 = project(south, east, zoom)
    left, top = (x1 + x2) / 2 - WIDTH / 2, (y1 + y2) / 2 - HEIGHT / 2
    drawing = Map(
        zoom=zoom, left=left, top=top, attribution=settings.EGOV_FEEDBACK_TILE_ATTRIBUTION
    )
    drawing.tiles = _tiles(zoom, left, top)
    if boundaries is None:
        margin_lat, margin_lon = (north - south) or 0.01, (east - west) or 0.01
        boundaries = CommuneBoundary.objects.filter(
            min_latitude__lte=north + margin_lat,
            max_latitude__gte=south - margin_lat,
            min_longitude__lte=east + margin_lon,
            max_longitude__gte=west - margin_lon,
        ).select_related("unit")[:300]
    # One pixel of the drawing, in degrees: finer detail is not drawn.
    tolerance = 360 / (TILE * 2**zoom)
    for boundary in boundaries:
        drawing.areas.append(
            Area(
                _path(boundary.geometry, drawing, tolerance), boundary.unit.name, boundary.unit.code
            )
        )
    for latitude, longitude, url, label, css in points:
        x, y = drawing.place(latitude, longitude)
        drawing.pins.append(Pin(x, y, url, label, css))
    return drawing
