"""RFC 9457 problem documents: the body of every error answer of the API, and of the local
simulators that speak another party's protocol. Here, in the kernel, so that any app can answer
one without importing the module that assembles the API."""

from django.http import JsonResponse

MEDIA_TYPE = "application/problem+json"


def problem(request, status: int, title: str, detail: str = "", **extra) -> JsonResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JsonResponse(body, status=status, content_type=MEDIA_TYPE)


def multipart_required(run):
    """For an API operation that takes a file (``@decorate_view(multipart_required)``): a body
    sent as anything but multipart/form-data is a 415 that says how to send it, before the
    parameters are parsed (they would only report the file as missing)."""
    from functools import wraps

    from django.utils.translation import gettext as _

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        if request.content_type != "multipart/form-data":
            return problem(
                request,
                415,
                _("Send the file as a form upload"),
                _(
                    "This address takes multipart/form-data (a form with the file in the "
                    "“file” field), not %(type)s."
                )
                % {"type": request.content_type or _("an empty body")},
            )
        return run(request, *args, **kwargs)

    return wrapper
