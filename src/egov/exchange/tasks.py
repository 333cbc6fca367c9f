"""Background work of the data sharing platform (Django's Tasks API, docs/architecture.md)."""

from django_tasks import task

from egov.exchange import gateway, messagelog, webhooks


@task()
def stamp_message_log() -> int:
    """Time-stamps the log's new records; the operator schedules it every few seconds (or runs
    ``manage.py stamp_message_log --loop``)."""
    stamp = messagelog.stamp_pending()
    return stamp.up_to_seq if stamp is not None else 0


@task()
def deliver_webhooks() -> dict[str, int]:
    return webhooks.deliver_due()


@task()
def purge_nonces() -> int:
    """Drops nonces too old to matter (their tokens are refused as old); hourly."""
    return gateway.purge_nonces()
