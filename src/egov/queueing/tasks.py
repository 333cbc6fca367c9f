from django.conf import settings
from django_tasks import task

from egov.queueing import services


@task()
def purge_old_tickets() -> int:
    """Deletes tickets older than EGOV_QUEUE_RETENTION_DAYS; for a scheduler that enqueues
    tasks (the management command purge_tickets does the same from cron)."""
    return services.purge(older_than_days=settings.EGOV_QUEUE_RETENTION_DAYS)
