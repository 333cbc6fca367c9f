"""Request id for log correlation and the audit trail; language choice."""

import contextvars
import logging
import re
import uuid

from django.conf import settings
from django.utils import translation

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Takes the load balancer's X-Request-ID when it is well-formed, or makes one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


class LanguageMiddleware:
    """Vietnamese unless the visitor chose another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which would show
    English to most visitors whose phones are set to English; the portal's language is a choice.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class UnavailableMiddleware:
    """A view that meets an unreachable database or cache answers 503 with Retry-After, in
    development too (Django's own 500 handler, which does the same for failures in middleware,
    is not used while DEBUG is on)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from egov.core import outage

        response = self.get_response(request)
        if outage.web.since is not None and response.status_code != 503:
            outage.web.succeeded()  # logs once that this process reaches the database again
        return response

    def process_exception(self, request, exception):
        from egov.core import outage
        from egov.core.views import unavailable

        if outage.is_unavailable(exception):
            return unavailable(request, exception)
        return None


class NotFoundPageMiddleware:
    """In development, a page that is not found shows the platform's translated 404 page, as in
    production, instead of Django's English debug page (which a person trying the demo takes for
    a crash). ``EGOV_DEBUG_404=1`` keeps the debug page, with its list of URL patterns."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and not settings.EGOV_DEBUG_404
            and response.status_code == 404
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and b"DEBUG = True" in response.content
        ):
            from egov.core.views import not_found

            return not_found(request)
        return response
