from django_tasks import task

from egov.personnel import services


@task()
def refresh_personnel_states() -> int:
    """Brings the stored current state up to today for everyone whose recorded events change it
    today (a decision taking effect, the end of a leave); for a scheduler that enqueues tasks
    daily (the management command refresh_personnel does the same from cron)."""
    return services.refresh_due()
