"""The gateway's IPN is the only thing that settles an online payment; forged and replayed
notices are refused, logged, and change nothing."""

import pytest
from django.urls import reverse

from egov.core.models import AuditEvent
from egov.payments import gateways
from egov.payments import services as payments
from egov.payments.models import Payment, PaymentOrder
from tests.payments.conftest import notice_params, signed

pytestmark = pytest.mark.django_db
IPN = "/api/v1/payments/vnpay/ipn"


@pytest.fixture
def pending(received, citizen):
    payment, _url = payments.start_online_payment(
        received, applicant=citizen, gateway=gateways.get(), client_ip="10.0.0.7", language="vi"
    )
    return payment


def _ipn(client, query):
    response = client.get(f"{IPN}?{query}")
    assert response.status_code == 200
    return response.json()


def test_the_ipn_address(client):
    assert reverse("api:vnpay_ipn") == IPN


def test_a_valid_notice_settles_the_payment(client, pending):
    answer = _ipn(client, signed(notice_params(pending)))
    assert answer == {"RspCode": "00", "Message": "Confirm Success"}
    pending.refresh_from_db()
    assert pending.status == Payment.Status.PAID
    assert pending.gateway_transaction_no == "14422574"
    assert pending.bank_code == "NCB"
    assert pending.paid_at.isoformat() == "2026-01-05T02:18:06+00:00"
    assert pending.gateway_data["vnp_TxnRef"] == pending.txn_ref
    assert pending.receipt_number.startswith("BL26-000.00.00.H13-")
    order = PaymentOrder.objects.get(pk=pending.order_id)
    assert (order.status, order.paid_amount) == (PaymentOrder.Status.PAID, 200_000)
    assert AuditEvent.objects.filter(action="payments.paid", object_id=str(pending.pk)).exists()


def test_the_return_address_alone_changes_nothing(client, citizen, pending):
    client.force_login(citizen)
    response = client.get(f"/thanh-toan/ket-qua/?{signed(notice_params(pending))}")
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == Payment.Status.PENDING


def test_a_declined_payment_is_recorded_as_not_paid(client, pending):
    params = notice_params(pending, vnp_ResponseCode="24", vnp_TransactionStatus="02")
    assert _ipn(client, signed(params))["RspCode"] == "00"
    pending.refresh_from_db()
    assert pending.status == Payment.Status.FAILED
    assert pending.receipt_number is None
    assert PaymentOrder.objects.get(pk=pending.order_id).status == PaymentOrder.Status.DUE


def test_a_forged_signature_is_refused_and_logged(client, pending, security_log):
    answer = _ipn(client, signed(notice_params(pending), secret="guessed-secret"))
    assert answer == {"RspCode": "97", "Message": "Invalid signature"}
    assert "invalid signature" in security_log[0]
    pending.refresh_from_db()
    assert pending.status == Payment.Status.PENDING


def test_a_changed_parameter_is_refused(client, pending):
    query = signed(notice_params(pending)).replace("vnp_ResponseCode=00", "vnp_ResponseCode=24")
    assert _ipn(client, query)["RspCode"] == "97"


def test_an_unknown_order_is_refused(client, pending, security_log):
    answer = _ipn(client, signed(notice_params(pending, vnp_TxnRef="260101FFFFFFFFFF")))
    assert answer["RspCode"] == "01"
    assert "unknown reference" in security_log[0]


def test_a_wrong_amount_is_refused_and_audited(client, pending, security_log):
    answer = _ipn(client, signed(notice_params(pending, vnp_Amount="100")))
    assert answer == {"RspCode": "04", "Message": "Invalid amount"}
    pending.refresh_from_db()
    assert pending.status == Payment.Status.PENDING
    refused = AuditEvent.objects.get(action="payments.notice_refused")
    assert refused.after["outcome"] == "invalid_amount"
    assert "invalid_amount" in security_log[0]


def test_a_second_confirmation_is_refused_and_changes_nothing(client, pending):
    query = signed(notice_params(pending))
    _ipn(client, query)
    pending.refresh_from_db()
    first = (pending.receipt_number, pending.paid_at, pending.gateway_transaction_no)
    replay = signed(notice_params(pending, vnp_TransactionNo="99999999"))
    assert _ipn(client, query) == {"RspCode": "02", "Message": "Order already confirmed"}
    assert _ipn(client, replay)["RspCode"] == "02"
    pending.refresh_from_db()
    assert (pending.receipt_number, pending.paid_at, pending.gateway_transaction_no) == first
    assert PaymentOrder.objects.get(pk=pending.order_id).paid_amount == 200_000
    assert AuditEvent.objects.filter(action="payments.paid").count() == 1
    assert AuditEvent.objects.filter(action="payments.notice_refused").count() == 2


def test_an_unexpected_failure_answers_99(client, pending, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(payments, "_settle", broken)
    assert _ipn(client, signed(notice_params(pending)))["RspCode"] == "99"
    pending.refresh_from_db()
    assert pending.status == Payment.Status.PENDING


def test_garbage_is_answered_not_crashed(client):
    assert _ipn(client, "vnp_Amount=%00&vnp_SecureHash=zz")["RspCode"] == "97"
