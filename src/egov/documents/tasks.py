from django_tasks import task

from egov.documents import exchange


@task()
def send_exchange_outbox() -> dict:
    """Sends what the outbox holds; what cannot go now waits for the worker's next round."""
    try:
        return exchange.send_due()
    except Exception as exc:  # the loop of exchange_worker tries again
        return {"error": str(exc)[:200]}
