"""The citizen is told when fees are due (not when there is nothing to pay) and when a payment
is received; the payments app publishes domain events, notifications writes the messages."""

from urllib.parse import parse_qsl

import pytest

from egov.catalog import content
from egov.dossiers import reception, services
from egov.notifications.models import Notification
from egov.payments import gateways
from egov.payments import services as payments
from tests.payments.conftest import notice_params, signed

pytestmark = pytest.mark.django_db


def _messages(event, citizen):
    return Notification.objects.filter(event=event, recipient=citizen, channel="email")


def test_fees_due_are_announced_with_the_amount_and_where_to_pay(received, citizen):
    [message] = _messages("payment.due", citizen)
    assert message.subject == f"Đề nghị nộp phí, lệ phí hồ sơ {received.code}"
    assert "200.000 đ" in message.body
    assert f"https://dichvucong.example.vn/ho-so/{received.public_id}/" in message.body
    assert message.agency_id == received.receiving_agency_id


def test_pay_first_procedures_announce_the_fees_at_submission(pay_first, complete_draft, citizen):
    services.submit(complete_draft, applicant=citizen)
    assert _messages("payment.due", citizen).count() == 1


def test_nothing_due_is_not_announced(record_version, complete_draft, citizen, desk_officer):
    content.replace_fees(record_version, [])
    reception.receive(services.submit(complete_draft, applicant=citizen), officer=desk_officer)
    assert _messages("dossier.received", citizen).exists()
    assert not Notification.objects.filter(event="payment.due").exists()


def test_a_payment_received_online_is_acknowledged(received, citizen):
    payment, _url = payments.start_online_payment(
        received, applicant=citizen, gateway=gateways.get(), client_ip="10.0.0.7", language="vi"
    )
    assert not _messages("payment.received", citizen).exists()
    params = dict(parse_qsl(signed(notice_params(payment))))
    payments.handle_notice(gateways.get(), params)
    payment.refresh_from_db()
    [message] = _messages("payment.received", citizen)
    assert "200.000 đ" in message.body
    assert payment.receipt_number in message.body
    assert "09:18 05/01/2026" in message.body  # vnp_PayDate, in local time


def test_a_declined_payment_is_not_acknowledged(received, citizen):
    payment, _url = payments.start_online_payment(
        received, applicant=citizen, gateway=gateways.get(), client_ip="10.0.0.7", language="vi"
    )
    params = dict(
        parse_qsl(signed(notice_params(payment, vnp_ResponseCode="24", vnp_TransactionStatus="02")))
    )
    payments.handle_notice(gateways.get(), params)
    assert not _messages("payment.received", citizen).exists()


def test_a_payment_at_the_desk_is_acknowledged(received, citizen, desk_officer):
    payment = payments.record_counter_payment(
        received, officer=desk_officer, method="cash", amount=200_000
    )
    [message] = _messages("payment.received", citizen)
    assert payment.receipt_number in message.body
