from django_tasks import task

from egov.notifications import delivery


@task()
def deliver_notifications() -> dict:
    """Delivers what is due; enqueued when a transaction that wrote notifications commits.

    When some messages must be tried again later, the task schedules itself for the first of
    those times (on backends that can defer), so retries happen even without the sweeper; the
    sweeper (manage.py deliver_notifications --loop) remains the net for lost or killed tasks.
    """
    report = delivery.deliver_pending(max_seconds=60)
    if report.retried:
        next_at = delivery.next_retry_at()
        if next_at is not None and deliver_notifications.get_backend().supports_defer:
            deliver_notifications.using(run_after=next_at).enqueue()
    return report.as_dict()
