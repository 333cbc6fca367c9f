"""The operations dashboard's pages: the page itself (with the staff site's navigation, or laid
out for the operations centre's wall screen with ?wall=1) and the fragment its script fetches
to redraw the figures without reloading the page."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from egov.accounts.access import staff_required
from egov.indicators import access, dashboard, dashboard_map

# A wall screen has room for this many lines per table: the ones with the most overdue.
WALL_ROWS = 12


def _worst(lines: list[dashboard.Line]) -> list[dashboard.Line]:
    return sorted(lines, key=lambda line: (-line.overdue, -line.due_soon, -line.open))[:WALL_ROWS]


def _context(request: HttpRequest) -> dict:
    allowed = access.dashboard_agencies(request.user)
    board = dashboard.board(allowed)
    wall = request.GET.get("wall") == "1"
    drawn = dashboard_map.draw(board.communes, board.commune_ids)
    counts = {"agencies": len(board.agencies), "communes": len(board.communes)}
    if wall:
        board.agencies, board.communes = _worst(board.agencies), _worst(board.communes)
    return {
        "board": board,
        "map": drawn,
        "city_wide": allowed is None,
        "wall": wall,
        "counts": counts,
        "refresh_seconds": settings.EGOV_DASHBOARD_REFRESH_SECONDS,
    }


@never_cache
@staff_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    template = "indicators/dashboard_wall.html" if context["wall"] else "indicators/dashboard.html"
    return render(request, template, context)


@never_cache
@staff_required
def dashboard_live(request: HttpRequest) -> HttpResponse:
    return render(request, "indicators/_board.html", _context(request))
