"""Payments abandoned at the gateway expire (they no longer say "waiting for the gateway"), the
citizen starts a new one, and a late genuine notice of success still counts: money is not lost."""

import datetime
from io import StringIO
from urllib.parse import parse_qsl

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from egov.core.models import AuditEvent
from egov.payments import gateways
from egov.payments import services as payments
from egov.payments.gateways import Outcome
from egov.payments.models import Payment, PaymentOrder, Refund
from tests.payments.conftest import notice_params, signed

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)


def _start(dossier, citizen):
    payment, _url = payments.start_online_payment(
        dossier, applicant=citizen, gateway=gateways.get(), client_ip="10.0.0.7", language="vi"
    )
    return payment


def _after_expiry(payment, settings, minutes=1):
    grace = settings.EGOV_PAYMENT_EXPIRE_AFTER_MINUTES
    return payment.expires_at + datetime.timedelta(minutes=grace + minutes)


def _notice(payment, **changes):
    return dict(parse_qsl(signed(notice_params(payment, **changes))))


def test_a_payment_waiting_past_the_grace_expires(received, citizen, settings):
    settings.EGOV_PAYMENT_EXPIRE_AFTER_MINUTES = 30
    payment = _start(received, citizen)
    assert payment.expires_at > timezone.now()
    just_before = payment.expires_at + 29 * MINUTE
    assert payments.expire_abandoned(now=just_before) == 0
    assert payments.expire_abandoned(now=_after_expiry(payment, settings)) == 1
    payment.refresh_from_db()
    assert payment.status == Payment.Status.EXPIRED
    assert payment.get_status_display() == "Hết hạn, chưa thanh toán"
    event = AuditEvent.objects.get(action="payments.expired")
    assert (event.before["status"], event.after["status"]) == ("pending", "expired")
    assert payments.expire_abandoned(now=_after_expiry(payment, settings)) == 0  # once


def test_the_citizen_starts_a_new_payment_after_expiry(client, received, citizen, settings):
    old = _start(received, citizen)
    payments.expire_abandoned(now=_after_expiry(old, settings))
    client.force_login(citizen)
    page = client.get(f"/ho-so/{received.public_id}/").content.decode()
    assert "Hết hạn, chưa thanh toán" in page and "Đang chờ cổng thanh toán" not in page
    assert "Nộp 200.000 đ trực tuyến" in page
    new = _start(received, citizen)
    assert new.status == Payment.Status.PENDING and new.txn_ref != old.txn_ref
    old.refresh_from_db()
    assert old.status == Payment.Status.EXPIRED  # not "replaced": it was not waiting any more


def test_a_late_notice_of_success_still_pays_the_fees(received, citizen, settings):
    payment = _start(received, citizen)
    payments.expire_abandoned(now=_after_expiry(payment, settings))
    assert payments.handle_notice(gateways.get(), _notice(payment)) == Outcome.CONFIRMED
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID and payment.receipt_number
    assert not payment.duplicate
    order = PaymentOrder.objects.get(pk=payment.order_id)
    assert order.status == PaymentOrder.Status.PAID and order.outstanding == 0
    assert not Refund.objects.exists()
    paid = AuditEvent.objects.get(action="payments.paid")
    assert (paid.before["status"], paid.after["status"]) == ("expired", "paid")
    # Repeated by the gateway: answered "already confirmed", nothing counted twice.
    assert payments.handle_notice(gateways.get(), _notice(payment)) == Outcome.ALREADY_CONFIRMED


def test_a_late_success_replaces_the_payment_started_since(received, citizen, settings):
    late = _start(received, citizen)
    payments.expire_abandoned(now=_after_expiry(late, settings))
    newer = _start(received, citizen)
    payments.handle_notice(gateways.get(), _notice(late))
    newer.refresh_from_db()
    assert newer.status == Payment.Status.REPLACED
    # Paid as well in its own tab: recorded and refunded, never lost.
    assert payments.handle_notice(gateways.get(), _notice(newer)) == Outcome.CONFIRMED
    newer.refresh_from_db()
    assert newer.duplicate and Refund.objects.get(payment=newer).amount == newer.amount


def test_a_late_success_after_the_desk_took_the_fees_is_refunded(
    received, citizen, settings, desk_officer
):
    late = _start(received, citizen)
    payments.expire_abandoned(now=_after_expiry(late, settings))
    payments.record_counter_payment(
        received, officer=desk_officer, method=Payment.Method.CASH, amount=200_000
    )
    assert payments.handle_notice(gateways.get(), _notice(late)) == Outcome.CONFIRMED
    late.refresh_from_db()
    assert late.status == Payment.Status.PAID and late.duplicate
    assert Refund.objects.get(payment=late).amount == late.amount


def test_a_late_decline_changes_nothing(received, citizen, settings):
    payment = _start(received, citizen)
    payments.expire_abandoned(now=_after_expiry(payment, settings))
    declined = _notice(payment, vnp_ResponseCode="24", vnp_TransactionStatus="02")
    assert payments.handle_notice(gateways.get(), declined) == Outcome.ALREADY_CONFIRMED
    payment.refresh_from_db()
    assert payment.status == Payment.Status.EXPIRED


def test_the_sweep_command_and_paid_payments_are_left_alone(
    received, citizen, settings, time_machine
):
    payment = _start(received, citizen)
    payments.handle_notice(gateways.get(), _notice(payment))
    time_machine.move_to(_after_expiry(payment, settings, minutes=60), tick=False)
    out = StringIO()
    call_command("expire_payments", stdout=out)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID and "expired" not in out.getvalue()


def test_each_start_queues_its_own_expiry(
    received, citizen, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        payment = _start(received, citizen)
    task = DBTaskResult.objects.get(task_path="egov.payments.tasks.expire_payments")
    grace = datetime.timedelta(minutes=settings.EGOV_PAYMENT_EXPIRE_AFTER_MINUTES)
    assert task.run_after == payment.expires_at + grace
