"""Retries with exponential back-off over a long window: an outage loses nothing."""

import time

import pytest
from django.db import transaction

from egov.notifications import delivery, events, services
from egov.notifications.models import DeliveryAttempt, Notification

pytestmark = pytest.mark.django_db


def test_back_off_doubles_up_to_the_ceiling_with_jitter(settings):
    settings.EGOV_NOTIFICATIONS = {
        "RETRY_BASE_SECONDS": 30,
        "RETRY_MAX_SECONDS": 3600,
        "RETRY_HORIZON_SECONDS": 3 * 86400,
    }
    for attempt, full in [(1, 30), (2, 60), (3, 120), (7, 1920), (8, 3600), (40, 3600)]:
        delays = {delivery.retry_delay(attempt) for _ in range(50)}
        assert all(full / 2 <= delay <= full for delay in delays), attempt
        assert len(delays) > 1  # jitter: workers do not all come back at once


def test_the_default_window_outlasts_any_outage_of_hours():
    """With the production defaults a message is tried ~75 times over three days."""
    elapsed, attempts = 0.0, 1
    while True:
        delay = min(3600, 30 * 2 ** (attempts - 1))  # the slowest schedule (no jitter)
        if elapsed + delay > 3 * 86400:
            break
        elapsed += delay
        attempts += 1
    assert attempts > 70
    # The attempt before the 5-minute mark and the ones after it: still trying after 5 minutes.
    assert sum(min(3600, 30 * 2**n) for n in range(3)) < 300


def _queue(recipient, n):
    with transaction.atomic():
        for _ in range(n):
            services.notify(
                "dossier.received",
                recipient=recipient,
                context=events.DOSSIER_RECEIVED.sample,
                channels=["email", "sms"],
            )


def _sweep_for(seconds: float, until=lambda: False):
    """What the sweeper process does: deliver what is due, again and again."""
    stop_at = time.monotonic() + seconds
    while time.monotonic() < stop_at and not until():
        delivery.deliver_pending()
        time.sleep(0.02)


def test_an_outage_far_longer_than_a_naive_retry_window_loses_nothing(person, providers, templates):
    """SMTP and SMS servers are down 8× longer than a naive 3-retry window; all arrive after."""
    base = 0.05
    naive_window = base + 2 * base + 4 * base  # three retries, then a naive setup gives up
    outage = 8 * naive_window
    _queue(person(), 10)
    providers.smtp.stop()
    providers.esms.stop()

    _sweep_for(outage)

    rows = Notification.objects.all()
    assert rows.count() == 20
    assert not rows.exclude(status="queued").exists()  # nothing failed, nothing lost
    assert min(row.attempts for row in rows) > 3  # a naive setup would have given up by now
    assert "cannot reach" in rows.filter(channel="email").first().last_error
    assert "cannot reach" in rows.filter(channel="sms").first().last_error

    providers.smtp.start()
    providers.esms.start()
    _sweep_for(15, until=lambda: not Notification.objects.exclude(status="sent").exists())

    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    emails = rows.filter(channel="email")
    expected = {f"<{row.uuid.hex}@dichvucong.cantho.gov.vn>" for row in emails}
    assert sorted(providers.mail.message_ids) == sorted(expected)  # each exactly once
    sms_ids = [payload["RequestId"] for payload in providers.esms.delivered]
    assert sorted(sms_ids) == sorted(row.uuid.hex for row in rows.filter(channel="sms"))
    attempts = DeliveryAttempt.objects.values_list("outcome", flat=True)
    assert list(attempts).count("sent") == 20 and "failed" not in attempts


def test_a_message_is_failed_only_after_the_horizon_and_can_be_sent_again(
    person, providers, templates, settings, make_staff, agencies
):
    settings.EGOV_NOTIFICATIONS = {**settings.EGOV_NOTIFICATIONS, "RETRY_HORIZON_SECONDS": 1.5}
    with transaction.atomic():
        [row] = services.notify(
            "dossier.received",
            recipient=person(),
            context=events.DOSSIER_RECEIVED.sample,
            agency_id=agencies["justice"].pk,
        )
    providers.smtp.stop()
    _sweep_for(0.3)
    row.refresh_from_db()
    assert row.status == "queued"
    _sweep_for(3, until=lambda: Notification.objects.filter(status="failed").exists())
    row.refresh_from_db()
    assert row.status == "failed" and row.attempts > 2
    assert row.delivery_attempts.last().outcome == "gave_up"

    providers.smtp.start()
    admin = make_staff("quantri", agencies["justice"], "agency_admin")
    services.resend(row, actor=admin)
    delivery.deliver_pending()
    row.refresh_from_db()
    assert row.status == "sent"
    assert providers.mail.message_ids == [f"<{row.uuid.hex}@dichvucong.cantho.gov.vn>"]


def test_the_delivery_task_schedules_itself_for_the_next_retry(person, providers, templates):
    from django_tasks_db.models import DBTaskResult

    from egov.notifications.tasks import deliver_notifications

    with transaction.atomic():
        [row] = services.notify(
            "dossier.received", recipient=person(), context=events.DOSSIER_RECEIVED.sample
        )
    providers.mail.data_replies = ["451 4.3.0 Try again later"]
    assert deliver_notifications.call()["retried"] == 1
    row.refresh_from_db()
    wake_up = DBTaskResult.objects.get()
    assert wake_up.task_path == "egov.notifications.tasks.deliver_notifications"
    assert wake_up.run_after == row.next_attempt_at
    Notification.objects.filter(pk=row.pk).update(status="sent")
    assert deliver_notifications.call() == {
        "claimed": 0,
        "sent": 0,
        "retried": 0,
        "failed": 0,
        "released": 0,
    }
    assert DBTaskResult.objects.count() == 1  # nothing to retry: no more wake-ups
