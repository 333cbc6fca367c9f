from django_tasks import task

from egov.national_portal import outbox


@task()
def send_national_portal_outbox() -> dict:
    """Sends what is due; what cannot go now waits for the worker's next round."""
    try:
        return outbox.send_due()
    except Exception as exc:  # the loop of national_portal_worker tries again
        return {"error": str(exc)[:200]}
