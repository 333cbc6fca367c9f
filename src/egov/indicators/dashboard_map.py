"""The communes on the dashboard's map, coloured by the share of their open dossiers that are
overdue, when the communes' boundaries are loaded (feedback's ``load_commune_boundaries``);
without them the dashboard shows the table alone.

The outlines do not change between two refreshes: they are drawn once and kept in the cache
(any server may draw them again), only the colours are computed each time."""

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.utils.formats import number_format

from egov.core import shares
from egov.feedback import maps
from egov.feedback.models import CommuneBoundary
from egov.indicators.dashboard import Line

# Overdue share (%) from which a commune takes each shade: none, a little, some, many.
SHADES = (
    (Decimal(0), "share-0"),
    (Decimal("0.01"), "share-1"),
    (Decimal(5), "share-2"),
    (Decimal(15), "share-3"),
)
CACHE_SECONDS = 3600


@dataclass
class Shape:
    path: str
    name: str
    code: str
    shade: str
    label: str


@dataclass
class Drawing:
    view_box: str
    shapes: list[Shape]


def shade(share: Decimal | None) -> str:
    if share is None:
        return "share-none"
    found = SHADES[0][1]
    for floor, name in SHADES:
        if share >= floor:
            found = name
    return found


def _outlines(unit_ids: list[int]) -> tuple[str, list[tuple[str, str, str]]] | None:
    units = ",".join(str(pk) for pk in sorted(unit_ids))
    key = "indicators:dashboard-map:" + hashlib.sha256(units.encode()).hexdigest()
    drawn = cache.get(key)
    if drawn is None:
        boundaries = CommuneBoundary.objects.filter(unit_id__in=unit_ids).select_related("unit")
        if not boundaries:
            return None
        drawing = maps.draw(maps.area_bounds(unit_ids), boundaries=list(boundaries))
        drawn = (drawing.view_box, [(area.path, area.name, area.code) for area in drawing.areas])
        cache.set(key, drawn, CACHE_SECONDS)
    return drawn


def draw(communes: list[Line], commune_ids: dict[str, int]) -> Drawing | None:
    """The map of ``communes`` (None when none of them has a boundary loaded)."""
    ids = [commune_ids[line.code] for line in communes if line.code in commune_ids]
    outlines = _outlines(ids) if ids else None
    if outlines is None:
        return None
    view_box, areas = outlines
    by_code = {line.code: line for line in communes}
    shapes = []
    for path, name, code in areas:
        line = by_code.get(code)
        share = line.overdue_share if line else None
        label = name if share is None else f"{name}: {number_format(shares.rounded(share, 1), 1)}%"
        shapes.append(Shape(path, name, code, shade(share), label))
    return Drawing(view_box, shapes)
