"""Background work of citizen reports (Django's Tasks API, docs/architecture.md)."""

from django_tasks import task

from egov.feedback import services


@task()
def close_answered_reports() -> int:
    """Closes answered reports past their reopening window; scheduled daily by the operator."""
    return services.close_answered()


@task()
def fetch_report_media() -> dict:
    """Fetches the photos Open311 clients named by address; enqueued when such a report is
    received. While some wait for another try, the task schedules itself for the first of them
    (on backends that can defer); ``manage.py fetch_report_media`` remains the net for lost
    tasks."""
    counts = services.fetch_media_urls()
    if counts["retried"]:
        next_at = services.next_media_fetch_at()
        if next_at is not None and fetch_report_media.get_backend().supports_defer:
            fetch_report_media.using(run_after=next_at).enqueue()
    return counts
