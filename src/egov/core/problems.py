"""RFC 9457 problem documents: the body of every error answer of the API, and of the local
simulators that speak another party's protocol. Here, in the kernel, so that any app can answer
one without importing the module that assembles the API."""

from django.http import JsonResponse

MEDIA_TYPE = "application/problem+json"


def problem(request, status: int, title: str, detail: str = "", **extra) -> JsonResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JsonResponse(body, status=status, content_type=MEDIA_TYPE)
