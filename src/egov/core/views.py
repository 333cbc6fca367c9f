from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from egov.core.health import database_health, task_queue_health


@never_cache
@require_GET
def healthz(request):
    database = database_health()
    tasks = task_queue_health() if database["status"] == "ok" else {"status": "unknown"}
    healthy = database["status"] == "ok" and tasks["status"] == "ok"
    body = {"status": "ok" if healthy else "degraded", "database": database, "tasks": tasks}
    return JsonResponse(body, status=200 if database["status"] == "ok" else 503)


def rate_limited(request, exception=None):
    """Too many requests from one address (django-ratelimit sends them here)."""
    from django.shortcuts import render

    return render(request, "rate_limited.html", status=429)
