"""The citizen's and the desk's pages: fees on the dossier, paying, the return page, receipts."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from egov.accounts.models import Role, User
from egov.dossiers import services
from egov.payments import services as payments
from egov.payments.models import Payment, PaymentOrder
from tests.payments.conftest import notice_params, signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen_client(client, citizen):
    client.force_login(citizen)
    return client


def _pay(client, dossier):
    return client.post(reverse("payments:pay", args=[dossier.public_id]))


def test_the_dossier_page_shows_the_fees_and_the_pay_button(citizen_client, received):
    page = citizen_client.get(reverse("portal:dossier", args=[received.public_id])).content.decode()
    assert "Phí cung cấp thông tin lý lịch tư pháp: 200.000 đ" in page
    assert "Nộp 200.000 đ trực tuyến" in page


def test_before_reception_the_page_gives_the_estimate(citizen_client, submitted):
    page = citizen_client.get(
        reverse("portal:dossier", args=[submitted.public_id])
    ).content.decode()
    assert "200.000 đ" in page
    assert "trực tuyến</button>" not in page


def test_paying_sends_the_citizen_to_the_gateway(citizen_client, received):
    response = _pay(citizen_client, received)
    assert response.status_code == 302
    target = urlsplit(response.url)
    assert f"{target.scheme}://{target.netloc}{target.path}" == (
        "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
    )
    params = dict(parse_qsl(target.query))
    payment = Payment.objects.get()
    assert params["vnp_TxnRef"] == payment.txn_ref
    assert params["vnp_Amount"] == "20000000"
    assert params["vnp_ReturnUrl"] == "https://dichvucong.example.vn/thanh-toan/ket-qua/"
    assert payment.status == Payment.Status.PENDING


def test_the_gateway_is_allowed_as_a_form_target():
    """The pay form's redirect to the gateway must pass the Content-Security-Policy: the origin of
    VNPAY_URL, read at start-up, joins form-action."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "VNPAY_URL": "https://pay.vnpay.vn/vpcpay.html"}
    code = (
        "import django,os;os.environ.setdefault('DJANGO_SETTINGS_MODULE','egov.settings');"
        "django.setup();from django.conf import settings;"
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert "https://pay.vnpay.vn" in out.stdout, out.stderr


def test_a_withdrawn_dossier_is_not_paid(citizen_client, received, citizen):
    services.withdraw(received, applicant=citizen, reason="Không cần nữa")
    response = _pay(citizen_client, received)
    assert response.url == reverse("portal:dossier", args=[received.public_id])
    assert not Payment.objects.exists()
    page = citizen_client.get(response.url).content.decode()
    assert "Không thể nộp phí cho hồ sơ ở trạng thái này." in page


def test_only_the_applicant_pays(client, received):
    other = User.objects.create_user(username="khac", password="x" * 12, kind="citizen")
    client.force_login(other)
    assert _pay(client, received).status_code == 404


def test_the_return_page_shows_and_waits_for_the_ipn(citizen_client, received, citizen):
    _pay(citizen_client, received)
    payment = Payment.objects.get()
    page = citizen_client.get(f"/thanh-toan/ket-qua/?{signed(notice_params(payment))}")
    text = page.content.decode()
    assert "đang chờ VNPAY xác nhận trực tiếp" in text
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    citizen_client.get(f"/api/v1/payments/vnpay/ipn?{signed(notice_params(payment))}")
    page = citizen_client.get(f"/thanh-toan/ket-qua/?{signed(notice_params(payment))}")
    payment.refresh_from_db()
    assert f"Biên lai điện tử {payment.receipt_number}" in page.content.decode()


def test_an_unsigned_return_is_not_believed(citizen_client, received):
    _pay(citizen_client, received)
    payment = Payment.objects.get()
    forged = signed(notice_params(payment), secret="forged")
    page = citizen_client.get(f"/thanh-toan/ket-qua/?{forged}")
    assert page.status_code == 400
    assert "không thể xác minh" in page.content.decode()


def test_the_citizen_downloads_the_receipt(citizen_client, received, desk_officer, client):
    payment = payments.record_counter_payment(
        received, officer=desk_officer, method="cash", amount=200_000
    )
    response = citizen_client.get(reverse("payments:receipt", args=[payment.public_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    other = User.objects.create_user(username="khac", password="x" * 12, kind="citizen")
    citizen_client.force_login(other)
    assert (
        citizen_client.get(reverse("payments:receipt", args=[payment.public_id])).status_code == 404
    )


# --- The desk ------------------------------------------------------------------------------------


def test_the_desk_records_a_cash_payment(client, received, desk_officer):
    client.force_login(desk_officer)
    page = client.get(reverse("backoffice:dossier", args=[received.public_id])).content.decode()
    assert "Ghi nhận nộp phí tại quầy" in page
    response = client.post(
        reverse("payments_staff:counter", args=[received.public_id]),
        {"method": "cash", "amount": "200000", "reference": ""},
        follow=True,
    )
    payment = Payment.objects.get()
    assert f"Đã ghi nhận khoản nộp; biên lai điện tử {payment.receipt_number}." in (
        response.content.decode()
    )
    assert PaymentOrder.objects.get().status == PaymentOrder.Status.PAID
    receipt = client.get(reverse("payments_staff:receipt", args=[payment.public_id]))
    assert receipt.status_code == 200


def test_a_wrong_amount_at_the_desk_is_explained(client, received, desk_officer):
    client.force_login(desk_officer)
    response = client.post(
        reverse("payments_staff:counter", args=[received.public_id]),
        {"method": "cash", "amount": "20000"},
        follow=True,
    )
    assert "Số tiền phải bằng số phí, lệ phí còn phải nộp: 200.000 đ." in response.content.decode()
    assert not Payment.objects.exists()


def test_a_neighbour_desk_gets_404(client, received, make_staff, agencies, desk_officer):
    payment = payments.record_counter_payment(
        received, officer=desk_officer, method="cash", amount=200_000
    )
    client.force_login(make_staff("motcua.syt", agencies["health"], Role.DESK_OFFICER))
    counter = reverse("payments_staff:counter", args=[received.public_id])
    assert client.post(counter, {"method": "cash", "amount": "1"}).status_code == 404
    assert (
        client.get(reverse("payments_staff:receipt", args=[payment.public_id])).status_code == 404
    )
    refund = reverse("payments_staff:refund", args=[payment.public_id])
    assert client.post(refund, {"amount": "1", "reason": "x"}).status_code == 404


def test_the_desk_records_a_refund(client, received, desk_officer):
    payment = payments.record_counter_payment(
        received, officer=desk_officer, method="cash", amount=200_000
    )
    client.force_login(desk_officer)
    response = client.post(
        reverse("payments_staff:refund", args=[payment.public_id]),
        {"amount": "200000", "reason": "Hồ sơ bị từ chối sau khi nộp phí", "reference": ""},
        follow=True,
    )
    assert "Đã ghi nhận khoản hoàn tiền." in response.content.decode()
    assert payment.refunds.get().reason == "Hồ sơ bị từ chối sau khi nộp phí"


def test_without_a_gateway_the_citizen_is_sent_to_the_desk(citizen_client, received, settings):
    settings.EGOV_PAYMENT_GATEWAY = ""  # production's default until a gateway is configured
    response = _pay(citizen_client, received)
    page = citizen_client.get(response.url).content.decode()
    assert "Hiện chưa thể thanh toán trực tuyến; hãy nộp phí tại Bộ phận Một cửa." in page
    assert not Payment.objects.exists()
