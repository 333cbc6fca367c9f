"""Background work of citizen reports (Django's Tasks API, docs/architecture.md)."""

from django_tasks import task

from egov.feedback import services


@task()
def close_answered_reports() -> int:
    """Closes answered reports past their reopening window; scheduled daily by the operator."""
    return services.close_answered()
