"""The local gateway simulator speaks VNPAY's protocol to the real adapter, over real HTTP; it is
never available in production."""

import os
import re
import subprocess
import sys

import pytest
import requests
from django.core.checks import Error
from django.urls import reverse

from egov.payments import gateways
from egov.payments import services as payments
from egov.payments.checks import payment_settings
from egov.payments.models import Payment, PaymentOrder

SIMULATOR = "/gia-lap-vnpay/paymentv2/vpcpay.html"


@pytest.fixture
def through_simulator(settings, live_server):
    settings.VNPAY_URL = ""  # the simulator stands in for VNPAY
    settings.EGOV_PAYMENT_SIMULATOR = True
    settings.EGOV_PUBLIC_BASE_URL = live_server.url
    return live_server


def _start(dossier, citizen):
    return payments.start_online_payment(
        dossier, applicant=citizen, gateway=gateways.get(), client_ip="127.0.0.1", language="vi"
    )


def _choose(url, choice):
    browser = requests.Session()
    page = browser.get(url, timeout=30)
    assert page.status_code == 200, page.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = browser.post(
        url,
        data={"csrfmiddlewaretoken": token, "choice": choice, "bank": "VCB"},
        headers={"Referer": url},
        allow_redirects=False,
        timeout=30,
    )
    return page, answer


@pytest.mark.django_db(transaction=True)
def test_a_payment_through_the_simulator(through_simulator, received, citizen):
    payment, url = _start(received, citizen)
    assert url.startswith(f"{through_simulator.url}{SIMULATOR}?")
    page, answer = _choose(url, "pay")
    assert "200.000 đ" in page.text
    # The simulator called the IPN before sending the browser back to the return address.
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith(f"{through_simulator.url}/thanh-toan/ket-qua/?")
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    assert payment.bank_code == "VCB"
    assert len(payment.gateway_transaction_no) == 8
    assert PaymentOrder.objects.get(dossier=received).status == PaymentOrder.Status.PAID


@pytest.mark.django_db(transaction=True)
def test_a_cancelled_payment_through_the_simulator(through_simulator, received, citizen):
    payment, url = _start(received, citizen)
    _page, answer = _choose(url, "cancel")
    assert "vnp_ResponseCode=24" in answer.headers["Location"]
    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED


@pytest.mark.django_db(transaction=True)
def test_the_simulator_refuses_a_changed_address(through_simulator, received, citizen):
    _payment, url = _start(received, citizen)
    tampered = url.replace("vnp_Amount=20000000", "vnp_Amount=100")
    page = requests.get(tampered, timeout=30)
    assert page.status_code == 400
    assert "Sai chữ ký (mã 70)" in page.text


@pytest.mark.django_db
def test_the_simulator_answers_only_when_enabled(client, settings):
    assert reverse("payments_simulator:pay") == SIMULATOR  # mounted by development settings
    settings.EGOV_PAYMENT_SIMULATOR = False  # and each view checks the setting again
    assert client.get(SIMULATOR).status_code == 404


@pytest.mark.engine_independent
def test_production_settings_never_enable_it():
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 50,
        "EGOV_PAYMENT_SIMULATOR": "1",
        "ALLOWED_HOSTS": "example.vn",
    }
    code = (
        "import django,os;os.environ.setdefault('DJANGO_SETTINGS_MODULE','egov.settings');"
        "django.setup();from django.conf import settings;from django.urls import resolve, "
        "Resolver404\ntry:\n resolve('" + SIMULATOR + "');print('mounted')\nexcept Resolver404:"
        "\n print('absent')\nprint(settings.EGOV_PAYMENT_SIMULATOR)"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["absent", "False"], result.stderr


def test_the_deploy_check_refuses_it(settings):
    settings.EGOV_PAYMENT_SIMULATOR = True
    assert any(
        isinstance(found, Error) and found.id == "egov.E101" for found in payment_settings(None)
    )


def test_a_chosen_gateway_must_be_configured(settings):
    settings.EGOV_PAYMENT_SIMULATOR = False
    settings.EGOV_PAYMENT_GATEWAY = "vnpay"
    settings.EGOV_PAYMENT_GATEWAYS = []
    settings.VNPAY_HASH_SECRET = ""
    settings.VNPAY_API_URL = "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction"
    assert [found.id for found in payment_settings(None)] == ["egov.E102"]
    settings.VNPAY_HASH_SECRET = "secret"
    settings.VNPAY_API_URL = ""  # refunds could not go through the gateway: a warning
    assert [found.id for found in payment_settings(None)] == ["egov.W103"]
    settings.VNPAY_API_URL = "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction"
    settings.EGOV_PAYMENT_GATEWAYS = ["paygov"]  # PayGov beside it, without its refund address
    settings.PAYGOV_API_URL = ""
    assert [found.id for found in payment_settings(None)] == ["egov.W104"]
    settings.PAYGOV_API_URL = "https://paygov.example.vn/api/hoan-tien"
    assert payment_settings(None) == []
    settings.EGOV_PAYMENT_GATEWAYS = []
    settings.EGOV_PAYMENT_GATEWAY = ""  # online payment off: nothing to configure
    assert payment_settings(None) == []
