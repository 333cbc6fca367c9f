"""PayGov (the national payment platform) beside VNPAY: the request with its receipt information
and MaXacThuc, the result notice verified the same way, the same ledger (issue 28)."""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from egov.core.models import AuditEvent
from egov.payments import gateways
from egov.payments import services as payments
from egov.payments.gateways.paygov import NOTICE_SIGNED, REQUEST_SIGNED, checksum
from egov.payments.models import Payment, PaymentOrder

pytestmark = pytest.mark.django_db
NOTIFY = "/api/v1/payments/paygov/notify"
MERCHANT = "EGOVPAYGOV"
SECRET = "test-secret-for-paygov"


@pytest.fixture(autouse=True)
def paygov(settings):
    settings.EGOV_PAYMENT_GATEWAYS = ["paygov"]
    settings.PAYGOV_MERCHANT_CODE = MERCHANT
    settings.PAYGOV_SECRET = SECRET
    settings.PAYGOV_URL = "https://paygov.example.vn/thanh-toan/"


@pytest.fixture
def pending(received, citizen):
    payment, _url = payments.start_online_payment(
        received,
        applicant=citizen,
        gateway=gateways.get("paygov"),
        client_ip="10.0.0.7",
        language="vi",
    )
    return payment


def notice(payment, **changes) -> dict:
    data = {
        "MaDoiTac": MERCHANT,
        "MaThamChieu": payment.txn_ref,
        "SoTien": str(payment.amount),
        "MaGiaoDich": "PG0000012345",
        "MaNganHang": "VCB",
        "MaKetQua": "00",
        "ThoiGianThanhToan": "20260105091806",
        **changes,
    }
    data["MaXacThuc"] = checksum(data, NOTICE_SIGNED, SECRET)
    return data


def _notify(client, data):
    response = client.post(NOTIFY, data)
    assert response.status_code == 200
    return response.json()


def test_the_request_carries_the_receipt_information_and_its_checksum(received, citizen):
    payment, url = payments.start_online_payment(
        received,
        applicant=citizen,
        gateway=gateways.get("paygov"),
        client_ip="10.0.0.7",
        language="vi",
    )
    assert url.startswith("https://paygov.example.vn/thanh-toan/?")
    fields = {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
    assert (fields["MaDoiTac"], fields["MaThamChieu"], fields["SoTien"]) == (
        MERCHANT,
        payment.txn_ref,
        "200000",
    )
    receipt = json.loads(fields["ThongTinBienLai"])
    assert receipt["NguoiNop"] == "Nguyễn Thị Công Dân" and receipt["MaHoSo"] == received.code
    assert fields["MaXacThuc"] == checksum(fields, REQUEST_SIGNED, SECRET)
    assert fields["UrlTraVe"].endswith("/thanh-toan/ket-qua/?cong=paygov")
    assert payment.gateway == "paygov"


def test_a_paid_notice_settles_the_payment_once(client, pending):
    data = notice(pending)
    assert _notify(client, data) == {"MaLoi": "00", "MoTa": "Xac nhan thanh cong"}
    pending.refresh_from_db()
    assert pending.status == Payment.Status.PAID
    assert (pending.gateway_transaction_no, pending.bank_code) == ("PG0000012345", "VCB")
    assert pending.receipt_number.startswith("BL26-")
    first = (pending.receipt_number, pending.paid_at)
    assert _notify(client, data)["MaLoi"] == "02"
    pending.refresh_from_db()
    assert (pending.receipt_number, pending.paid_at) == first
    assert PaymentOrder.objects.get(pk=pending.order_id).paid_amount == 200_000
    assert AuditEvent.objects.filter(action="payments.paid").count() == 1


def test_a_forged_checksum_is_refused(client, pending):
    data = notice(pending)
    data["MaXacThuc"] = checksum(data, NOTICE_SIGNED, "not-the-secret")
    assert _notify(client, data)["MaLoi"] == "97"
    changed = {**notice(pending), "SoTien": "1"}  # altered after signing
    assert _notify(client, changed)["MaLoi"] == "97"
    pending.refresh_from_db()
    assert pending.status == Payment.Status.PENDING


def test_an_amount_that_does_not_match_is_refused(client, pending):
    assert _notify(client, notice(pending, SoTien="100000"))["MaLoi"] == "04"
    pending.refresh_from_db()
    assert pending.status == Payment.Status.PENDING
    assert AuditEvent.objects.get(action="payments.notice_refused").after["outcome"] == (
        "invalid_amount"
    )


def test_a_vnpay_notice_cannot_settle_a_paygov_payment(client, pending):
    from tests.payments.conftest import notice_params, signed

    answer = client.get(f"/api/v1/payments/vnpay/ipn?{signed(notice_params(pending))}").json()
    assert answer["RspCode"] == "01"
    pending.refresh_from_db()
    assert pending.status == Payment.Status.PENDING


def test_the_citizen_picks_paygov_where_vnpay_is_offered(client, citizen, received):
    client.force_login(citizen)
    page = client.get(f"/ho-so/{received.public_id}/").content.decode()
    assert 'value="paygov"' in page and 'value="vnpay"' in page
    assert "Nền tảng thanh toán" in page or "PayGov" in page
    response = client.post(f"/thanh-toan/ho-so/{received.public_id}/", {"gateway": "paygov"})
    assert response["Location"].startswith("https://paygov.example.vn/thanh-toan/?")
    assert Payment.objects.get().gateway == "paygov"


def test_a_gateway_not_enabled_is_not_offered(client, citizen, received, settings):
    settings.EGOV_PAYMENT_GATEWAYS = []
    client.force_login(citizen)
    assert 'value="paygov"' not in client.get(f"/ho-so/{received.public_id}/").content.decode()
    response = client.post(f"/thanh-toan/ho-so/{received.public_id}/", {"gateway": "paygov"})
    assert response["Location"].startswith("https://sandbox.vnpayment.vn/")
    assert Payment.objects.get().gateway == "vnpay"


@pytest.mark.django_db(transaction=True)
def test_a_payment_through_the_paygov_simulator(settings, live_server, received, citizen):
    settings.PAYGOV_URL = ""
    settings.EGOV_PAYMENT_SIMULATOR = True
    settings.EGOV_PUBLIC_BASE_URL = live_server.url
    payment, url = payments.start_online_payment(
        received,
        applicant=citizen,
        gateway=gateways.get("paygov"),
        client_ip="127.0.0.1",
        language="vi",
    )
    assert url.startswith(f"{live_server.url}/gia-lap-paygov/thanh-toan/?")
    browser = requests.Session()
    page = browser.get(url, timeout=30)
    assert (
        page.status_code == 200 and "200.000 đ" in page.text and "Nguyễn Thị Công Dân" in page.text
    )
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = browser.post(
        url,
        data={"csrfmiddlewaretoken": token, "choice": "pay", "bank": "BIDV"},
        headers={"Referer": url},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith(
        f"{live_server.url}/thanh-toan/ket-qua/?cong=paygov&"
    )
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID and payment.bank_code == "BIDV"
    # A changed request is refused by the simulator.
    forged = url.replace("SoTien=200000", "SoTien=1")
    assert browser.get(forged, timeout=30).status_code == 400


def test_the_return_page_shows_a_verified_paygov_result_and_changes_nothing(
    client, citizen, pending
):
    client.force_login(citizen)
    query = "&".join(f"{key}={value}" for key, value in notice(pending).items())
    assert client.get(f"/thanh-toan/ket-qua/?cong=paygov&{query}").status_code == 200
    forged = query.replace("MaKetQua=00", "MaKetQua=01")
    assert client.get(f"/thanh-toan/ket-qua/?cong=paygov&{forged}").status_code == 400
    pending.refresh_from_db()
    assert pending.status == Payment.Status.PENDING
