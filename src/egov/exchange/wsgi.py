"""The gateway as a WSGI application of its own, for the servers that carry the data sharing
platform's traffic (as X-Road's security servers are apart from its members' systems):

    gunicorn egov.exchange.wsgi:application --worker-class gthread --workers 2 --threads 8

It answers only ``/exchange/gateway/…`` (anything else: 404), through the middleware a signed
system-to-system call needs — request id, security headers, the platform's language for problem
bodies, 503 when the database is away, NUL refused in addresses — and none of the browser's
(session, CSRF, login, two-factor, lock-out, CSP, messages): the gateway authenticates every call
by its signed token, never by a session. About a quarter of the CPU of a call through the full
site's stack. The full site (egov.wsgi) still serves the same addresses, with the same checks.
"""

import os
from collections.abc import Callable

from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")

GATEWAY_MIDDLEWARE = [
    "egov.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "egov.core.middleware.LanguageMiddleware",
    "egov.core.middleware.UnavailableMiddleware",
    "egov.core.nul.NulAddressMiddleware",
    "egov.exchange.wsgi.GatewayOnlyMiddleware",
]


class GatewayOnlyMiddleware:
    """Resolves addresses against the gateway's URLs only."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.urlconf = "egov.exchange.gateway_urls"
        return self.get_response(request)


class GatewayHandler(WSGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        # Django builds the chain from settings.MIDDLEWARE; this handler's chain is the short
        # list above, the rest of the settings as they are.
        from django.test.utils import override_settings

        with override_settings(MIDDLEWARE=GATEWAY_MIDDLEWARE):
            super().load_middleware(is_async)


def _application() -> GatewayHandler:
    import django

    django.setup(set_prefix=False)
    return GatewayHandler()


application = _application()
