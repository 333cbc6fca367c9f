"""The URLs of the gateway's own WSGI application (egov.exchange.wsgi): the gateway only."""

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.urls import include, path

urlpatterns = [path("exchange/", include("egov.exchange.urls"))]


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Any other address: an empty 404 (the site's 404 page needs the browser's middleware)."""
    return HttpResponseNotFound()


handler404 = not_found
