"""The same IPN delivered several times at once settles the payment once."""

import threading
from urllib.parse import parse_qsl

import pytest
from django.db import connections

from egov.payments import gateways
from egov.payments import services as payments
from egov.payments.models import Payment, PaymentOrder, ReceiptSequence
from tests.payments.conftest import notice_params, signed

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_copies_of_one_notice(received, citizen):
    payment, _url = payments.start_online_payment(
        received, applicant=citizen, gateway=gateways.get(), client_ip="10.0.0.7", language="vi"
    )
    params = dict(parse_qsl(signed(notice_params(payment))))
    barrier = threading.Barrier(8)
    outcomes, errors = [], []

    def deliver():
        try:
            barrier.wait()
            outcomes.append(payments.handle_notice(gateways.get(), params))
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(o.value for o in outcomes) == ["already_confirmed"] * 7 + ["confirmed"]
    assert Payment.objects.get().status == Payment.Status.PAID
    assert PaymentOrder.objects.get().paid_amount == 200_000
    assert ReceiptSequence.objects.get().last == 1
