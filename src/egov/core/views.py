import logging

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from egov.core import health


@never_cache
@require_GET
def healthz(request):
    body, status = health.report()
    response = JsonResponse(body, status=status)
    if status == 503:
        response["Retry-After"] = str(settings.EGOV_RETRY_AFTER_SECONDS)
    return response


def not_found(request, exception=None):
    """404: a problem document on the API, else a translated page, the staff site's for staff
    pages. Used by Django in production (handler404) and, in development, instead of Django's
    English debug page (egov.core.middleware.NotFoundPageMiddleware)."""
    from django.shortcuts import render
    from django.utils.translation import gettext as _

    from egov.core.problems import problem

    if request.path.startswith("/api/"):
        return problem(request, 404, _("Not found"), _("There is nothing at this address."))
    user = getattr(request, "user", None)
    staff = request.path.startswith("/staff/") and bool(user and user.is_authenticated)
    context = {"base_template": "staff_base.html" if staff else "base.html"}
    try:
        return render(request, "404.html", context, status=404)
    except Exception:  # a missing page must not become a server error
        # E.g. production started before collectstatic: the layout's {% static %} fails. The
        # page is still said in the request's language, without the layout.
        from django.http import HttpResponseNotFound
        from django.utils.html import format_html
        from django.utils.translation import get_language

        logging.getLogger("egov.core").exception("the 404 page could not be rendered")
        title = _("Page not found")
        return HttpResponseNotFound(
            format_html(
                '<!DOCTYPE html><html lang="{}"><meta charset="utf-8"><title>{}</title>'
                "<h1>{}</h1><p>{}</p></html>",
                get_language(),
                title,
                title,
                _(
                    "There is no page at this address, or it is not open to you. Check the "
                    "address, or start again from the home page."
                ),
            )
        )


def rate_limited(request, exception=None):
    """Too many requests from one address (django-ratelimit sends them here)."""
    from django.shortcuts import render

    return render(request, "rate_limited.html", status=429)


def unavailable(request, exc: BaseException):
    """503 with Retry-After: a problem document on the API, a translated page elsewhere. Built
    without the database (no session, no user, no context processors)."""
    from django.template.loader import render_to_string
    from django.utils.translation import gettext as _

    from egov.core import outage
    from egov.core.problems import problem

    outage.web.failed(exc)
    seconds = outage.retry_after()
    title = _("The service is briefly unavailable")
    detail = _(
        "The platform cannot reach its database right now. Nothing you sent was lost or "
        "half-saved: send it again in %(seconds)s seconds."
    ) % {"seconds": seconds}
    if request.path.startswith("/api/"):
        response = problem(request, 503, title, detail)
    else:
        response = HttpResponse(
            render_to_string("unavailable.html", {"title": title, "detail": detail}),
            status=503,
        )
    response["Retry-After"] = str(seconds)
    return response


def server_error(request):
    """Django's 500 handler, except when the cause is an unreachable database or cache."""
    import sys

    from django.views import defaults

    from egov.core import outage

    exc = sys.exc_info()[1]
    if outage.is_unavailable(exc):
        return unavailable(request, exc)
    return defaults.server_error(request)
