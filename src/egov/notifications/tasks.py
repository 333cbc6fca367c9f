from django_tasks import task

from egov.notifications import services


@task()
def deliver_notifications() -> dict:
    """Delivers what is due; enqueued when a transaction that wrote notifications commits."""
    return services.deliver_pending(max_seconds=60).as_dict()
