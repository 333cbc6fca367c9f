"""E-mail goes to a real SMTP server; its replies decide between retry and failure."""

import pytest
from django.db import transaction

from egov.notifications import delivery, events, services
from egov.notifications.models import DeliveryAttempt, Notification

pytestmark = pytest.mark.django_db


def _queue(recipient, n=1, event="dossier.received"):
    with transaction.atomic():
        return [
            row
            for _ in range(n)
            for row in services.notify(
                event, recipient=recipient, context=events.get(event).sample, channels=["email"]
            )
        ]


def test_email_reaches_the_smtp_server_in_vietnamese(person, providers, templates):
    [row] = _queue(person())
    assert delivery.deliver_pending().sent == 1
    [message] = providers.mail.messages
    assert message["To"] == "tran.thi.b@example.vn"
    assert message["Subject"].strip() == "Hồ sơ 000.00.03.H13-260115-0042 đã được tiếp nhận"
    assert message["From"].addresses[0].username == "thongbao"
    assert "Cổng dịch vụ công Cần Thơ" in message["From"]
    assert message["Message-ID"] == f"<{row.uuid.hex}@dichvucong.cantho.gov.vn>"
    assert message["Auto-Submitted"] == "auto-generated"
    body = message.get_content()
    assert "Ngày hẹn trả kết quả: 22/01/2026" in body
    assert "Kính gửi Trần Thị Bình," not in body  # the sample context names its own citizen
    assert "Kính gửi Nguyễn Thị Công Dân," in body
    row.refresh_from_db()
    assert row.status == "sent" and row.provider_message_id == message["Message-ID"]
    assert row.delivery_attempts.get().outcome == "sent"


def test_a_batch_shares_one_connection(person, providers, templates):
    _queue(person(), n=20)
    report = delivery.deliver_pending()
    assert report.sent == 20 and len(set(providers.mail.message_ids)) == 20


def test_a_4xx_reply_is_retried_with_the_same_message_id(person, providers, templates):
    [row] = _queue(person())
    providers.mail.data_replies = ["451 4.3.0 Mail server temporarily rejected message"]
    report = delivery.deliver_due()
    assert (report.sent, report.retried) == (0, 1)
    row.refresh_from_db()
    assert row.status == "queued" and row.attempts == 1
    assert row.last_error.startswith("451")
    assert row.next_attempt_at > row.created_at
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=row.created_at)
    assert delivery.deliver_due().sent == 1
    assert providers.mail.message_ids == [f"<{row.uuid.hex}@dichvucong.cantho.gov.vn>"]
    outcomes = list(row.delivery_attempts.values_list("number", "outcome", "code"))
    assert outcomes == [(1, "retry", "451"), (2, "sent", "")]


def test_a_5xx_refusal_fails_at_once_and_is_masked(person, providers, templates):
    citizen = person(email="khong.ton.tai@example.vn")
    providers.mail.refuse_recipients["khong.ton.tai@example.vn"] = (
        "550 5.1.1 <khong.ton.tai@example.vn>: Recipient address rejected"
    )
    [row] = _queue(citizen)
    report = delivery.deliver_pending()
    assert (report.sent, report.failed) == (0, 1)
    row.refresh_from_db()
    assert row.status == "failed" and row.failed_at
    assert "khong.ton.tai@" not in row.last_error and "k***@example.vn" in row.last_error
    attempt = row.delivery_attempts.get()
    assert (attempt.outcome, attempt.code) == (DeliveryAttempt.Outcome.FAILED, "550")


def test_the_connection_is_reopened_after_the_server_drops_it(person, providers, templates):
    _queue(person(), n=3)
    providers.mail.data_replies = ["421 4.7.0 Too many errors, closing connection"]
    report = delivery.deliver_due()
    # 421 closes the connection: the next messages go through a new one.
    assert (report.sent, report.retried) == (2, 1)
