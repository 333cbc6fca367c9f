"""At most one payment of a fee order waits for the gateway: starting another replaces it."""

import pytest
from django.db import IntegrityError, transaction

from egov.core.models import AuditEvent
from egov.payments import gateways
from egov.payments import services as payments
from egov.payments.models import Payment

pytestmark = pytest.mark.django_db


def _start(dossier, citizen):
    payment, _url = payments.start_online_payment(
        dossier, applicant=citizen, gateway=gateways.get(), client_ip="10.0.0.7", language="vi"
    )
    return payment


def test_a_second_start_replaces_the_waiting_payment(received, citizen):
    first = _start(received, citizen)
    second = _start(received, citizen)
    first.refresh_from_db()
    assert first.status == Payment.Status.REPLACED
    assert second.status == Payment.Status.PENDING
    assert second.txn_ref != first.txn_ref  # VNPAY takes a reference once
    waiting = Payment.objects.filter(order=second.order, status=Payment.Status.PENDING)
    assert list(waiting) == [second]
    replaced = AuditEvent.objects.get(action="payments.replaced")
    assert replaced.object_id == str(first.pk)
    assert replaced.actor_id == citizen.pk
    assert replaced.after["replaced_by"] == second.txn_ref
    assert (replaced.before["status"], replaced.after["status"]) == ("pending", "replaced")


def test_the_database_refuses_two_waiting_payments(received, citizen):
    first = _start(received, citizen)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            order=first.order, amount=first.amount, method=Payment.Method.ONLINE, txn_ref="X1"
        )


def test_a_payment_at_the_desk_replaces_the_waiting_one(received, citizen, desk_officer):
    online = _start(received, citizen)
    payments.record_counter_payment(
        received, officer=desk_officer, method=Payment.Method.CASH, amount=200_000
    )
    online.refresh_from_db()
    assert online.status == Payment.Status.REPLACED
    assert not Payment.objects.filter(status=Payment.Status.PENDING).exists()
