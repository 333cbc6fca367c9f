"""Money PayGov takes when nothing is due (a replaced payment paid in another tab) is refunded
through PayGov's refund call, as VNPAY's is, on the same ledger: the PayGov simulator answers over
real HTTP. An answer without PayGov's valid MaXacThuc, or naming another request, is not believed;
a refusal PayGov signs is left to staff."""

import datetime
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from django.utils import timezone

from egov.core.models import AuditEvent
from egov.notifications.models import Notification
from egov.payments import gateways, reconciliation
from egov.payments import services as payments
from egov.payments.gateways import GatewayError, RefundRequest
from egov.payments.gateways.paygov import REFUND_ANSWER_SIGNED, PayGovGateway, checksum
from egov.payments.gateways.vnpay import vnpay_time
from egov.payments.models import Payment, PaymentOrder, Refund
from tests.payments.test_paygov import MERCHANT, SECRET, notice
from tests.postal.conftest import IMMEDIATE_TASKS

REFUND_API = "/gia-lap-paygov/api/hoan-tien/"


@pytest.fixture(autouse=True)
def paygov(settings):
    settings.EGOV_PAYMENT_GATEWAYS = ["paygov"]
    settings.PAYGOV_MERCHANT_CODE = MERCHANT
    settings.PAYGOV_SECRET = SECRET
    settings.PAYGOV_URL = "https://paygov.example.vn/thanh-toan/"
    settings.PAYGOV_API_URL = ""


def _start(received, citizen) -> Payment:
    payment, _url = payments.start_online_payment(
        received,
        applicant=citizen,
        gateway=gateways.get("paygov"),
        client_ip="10.0.0.7",
        language="vi",
    )
    return payment


def _two_tabs_then_both_paid(received, citizen):
    """Two PayGov payments of the same fees, the first replaced by the second, both paid."""
    gateway = gateways.get("paygov")
    first, second = _start(received, citizen), _start(received, citizen)
    today = vnpay_time(timezone.now())
    paid = notice(second, ThoiGianThanhToan=today)
    assert payments.handle_notice(gateway, paid) == gateways.Outcome.CONFIRMED
    late = notice(first, MaGiaoDich="PG0000099999", ThoiGianThanhToan=today)
    assert payments.handle_notice(gateway, late) == gateways.Outcome.CONFIRMED
    first.refresh_from_db()
    second.refresh_from_db()
    return first, second


def _request(payment, **changes) -> RefundRequest:
    fields = {
        "request_id": "a" * 32,
        "reference": payment.txn_ref,
        "amount": payment.amount,
        "full": True,
        "transaction_no": payment.gateway_transaction_no,
        "paid_at": timezone.now(),
        "description": "Hoan tien",
        "created_by": "egov",
        "created_at": timezone.now(),
        "client_ip": "127.0.0.1",
        **changes,
    }
    return RefundRequest(**fields)


def test_the_refund_request_carries_its_checksum_over_the_pipe_joined_fields():
    gateway = PayGovGateway(merchant_code=MERCHANT, secret=SECRET, url="https://x", api_url="")
    moment = datetime.datetime(2026, 1, 5, 2, 18, 6, tzinfo=datetime.UTC)
    body = gateway.refund_body(
        RefundRequest(
            request_id="0123456789abcdef0123456789abcdef",
            reference="260105ABCDEF0123",
            amount=200_000,
            full=True,
            transaction_no="PG0000012345",
            paid_at=moment,
            description="Hoan tien ho so X",
            created_by="egov",
            created_at=moment,
            client_ip="10.0.0.1",
        )
    )
    joined = (
        "1.0|EGOVPAYGOV|0123456789abcdef0123456789abcdef|260105ABCDEF0123|PG0000012345|1|"
        "200000|Hoan tien ho so X|egov|20260105091806|10.0.0.1"
    )
    expected = hmac.new(SECRET.encode(), joined.encode(), hashlib.sha256).hexdigest()
    assert body["MaXacThuc"] == expected
    assert body["LoaiHoanTien"] == "1" and body["SoTien"] == "200000"


@pytest.fixture
def through_simulator(settings, live_server):
    settings.PAYGOV_URL = ""
    settings.PAYGOV_API_URL = ""  # the simulator's refund call
    settings.EGOV_PAYMENT_SIMULATOR = True
    settings.EGOV_PUBLIC_BASE_URL = live_server.url
    return live_server


@pytest.mark.django_db(transaction=True)
def test_money_paid_twice_through_paygov_is_refunded_through_it_and_reconciled(
    through_simulator, settings, received, citizen
):
    settings.TASKS = IMMEDIATE_TASKS  # the refund goes out as soon as the notice commits
    first, second = _two_tabs_then_both_paid(received, citizen)
    assert (first.status, first.duplicate, second.duplicate) == ("paid", True, False)
    assert PaymentOrder.objects.get(dossier=received).paid_amount == 200_000
    refund = first.refunds.get()
    # Refunded through the simulator's refund call, which answered with a valid MaXacThuc.
    assert (refund.gateway, refund.status) == ("paygov", Refund.Status.DONE), refund.last_error
    assert (refund.response_code, refund.attempts) == ("00", 1)
    assert refund.gateway_transaction_no.startswith("PGHT")
    assert AuditEvent.objects.filter(action="payments.refund_confirmed").count() == 1
    told = Notification.objects.get(event="payment.refunded", channel="email", recipient=citizen)
    assert "200.000 đ" in told.body and first.receipt_number in told.body
    # The day's PayGov statement balances on the same ledger.
    csv = (
        "vnp_TxnRef,vnp_Amount,vnp_TransactionStatus,vnp_TransactionType\n"
        f"{second.txn_ref},20000000,00,01\n"
        f"{first.txn_ref},20000000,00,01\n"
        f"{first.txn_ref},20000000,00,02\n"
    )
    statement, _report = reconciliation.import_statement(
        csv.encode(), day=timezone.localdate(), actor=None, gateway="paygov"
    )
    assert reconciliation.mismatches(statement) == []
    assert reconciliation.totals(statement).balanced
    # Asked again (a lost answer): PayGov says it was refunded already; nothing more moves.
    again = gateways.get("paygov").refund(_request(first, request_id="b" * 32))
    assert (again.code, again.accepted) == ("94", True)


@pytest.mark.django_db(transaction=True)
def test_the_simulator_refuses_a_refund_it_cannot_make(through_simulator, received, citizen):
    waiting = _start(received, citizen)  # PayGov took no money
    gateway = gateways.get("paygov")
    assert gateway.refund(_request(waiting)).code == "95"
    assert gateway.refund(_request(waiting, reference="NOSUCHREF")).code == "01"
    paid = _two_tabs_then_both_paid(received, citizen)[1]
    assert gateway.refund(_request(paid, amount=1, full=True)).code == "03"  # "whole", not whole
    assert gateway.refund(_request(paid, amount=paid.amount + 1, full=False)).code == "03"
    body = gateway.refund_body(_request(paid))
    body["SoTien"] = "1"  # changed after signing
    url = f"{through_simulator.url}{REFUND_API}"
    assert requests.post(url, json=body, timeout=30).json()["MaKetQua"] == "97"
    assert requests.post(url, data="not json", timeout=30).json()["MaKetQua"] == "03"
    other = PayGovGateway(merchant_code="OTHER", secret=SECRET, url=url, api_url=url)
    answer = requests.post(url, json=other.refund_body(_request(paid)), timeout=30).json()
    assert answer["MaKetQua"] == "02"


class _FakeRefundCall(BaseHTTPRequestHandler):
    """Answers every refund as ``answer(body)`` says, with MaXacThuc keyed by ``secret``."""

    secret = SECRET
    answer = staticmethod(lambda body: {})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        answer = {
            "MaDoiTac": body["MaDoiTac"],
            "MaYeuCau": body["MaYeuCau"],
            "MaThamChieu": body["MaThamChieu"],
            "SoTien": body["SoTien"],
            "MaKetQua": "00",
            "MoTa": "Hoan tien thanh cong",
            "MaGiaoDichHoanTien": "PGHT9999999999",
            "ThoiGianHoanTien": body["ThoiGianYeuCau"],
            **self.answer(body),
        }
        answer["MaXacThuc"] = checksum(answer, REFUND_ANSWER_SIGNED, self.secret)
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def refund_call(settings):
    def start(secret=SECRET, answer=lambda body: {}):
        handler = type(
            "Handler", (_FakeRefundCall,), {"secret": secret, "answer": staticmethod(answer)}
        )
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        settings.PAYGOV_API_URL = f"http://127.0.0.1:{server.server_port}/api/hoan-tien"

    servers = []
    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _not_believed(refund):
    assert refund.status == Refund.Status.PENDING  # still owed, to be asked again
    assert refund.gateway_transaction_no == "" and refund.done_at is None
    assert not AuditEvent.objects.filter(action="payments.refund_confirmed").exists()
    assert not Notification.objects.filter(event="payment.refunded").exists()


@pytest.mark.django_db
def test_a_forged_refund_answer_is_not_believed(received, citizen, refund_call, security_log):
    first, _second = _two_tabs_then_both_paid(received, citizen)
    refund_call(secret="not-the-merchants-secret")  # says "00", keyed with another secret
    refund = payments.send_refund(first.refunds.get().pk)
    _not_believed(refund)
    assert "signed" in refund.last_error
    assert any("invalid signature" in line for line in security_log)


@pytest.mark.django_db
def test_a_refund_answer_changed_after_signing_is_not_believed(
    received, citizen, refund_call, settings
):
    first, _second = _two_tabs_then_both_paid(received, citizen)
    refund_call()
    gateway = gateways.get("paygov")
    request = _request(first)
    answer = requests.post(settings.PAYGOV_API_URL, json=gateway.refund_body(request), timeout=10)
    changed = {**answer.json(), "MaKetQua": "00", "SoTien": "1"}
    with pytest.raises(gateways.InvalidSignature):
        gateway.read_refund_answer(changed, request)
    without = {key: value for key, value in answer.json().items() if key != "MaXacThuc"}
    with pytest.raises(gateways.InvalidSignature):
        gateway.read_refund_answer(without, request)


@pytest.mark.django_db
def test_a_signed_answer_to_another_request_is_not_believed(received, citizen, refund_call):
    first, _second = _two_tabs_then_both_paid(received, citizen)
    # A genuine answer, replayed: it names an earlier request, not this one.
    refund_call(answer=lambda body: {"MaYeuCau": "0" * 32})
    refund = payments.send_refund(first.refunds.get().pk)
    _not_believed(refund)
    assert "another payment or request" in refund.last_error
    refund_call(answer=lambda body: {"MaThamChieu": "260105OTHERREF00"})
    with pytest.raises(GatewayError):
        gateways.get("paygov").refund(_request(first))


@pytest.mark.django_db
def test_a_refund_paygov_refuses_is_left_to_staff(received, citizen, refund_call):
    first, _second = _two_tabs_then_both_paid(received, citizen)
    refund_call(answer=lambda body: {"MaKetQua": "95", "MoTa": "Giao dich khong thanh cong"})
    refund = payments.send_refund(first.refunds.get().pk)
    assert (refund.status, refund.response_code) == (Refund.Status.FAILED, "95")
    assert AuditEvent.objects.filter(action="payments.refund_refused").exists()
    assert [waiting.pk for waiting in payments.refunds_waiting()] == [refund.pk]


@pytest.mark.django_db
def test_paygovs_own_error_is_asked_again(received, citizen, refund_call):
    first, _second = _two_tabs_then_both_paid(received, citizen)
    refund_call(answer=lambda body: {"MaKetQua": "99", "MoTa": "Loi he thong"})
    refund = payments.send_refund(first.refunds.get().pk)
    assert (refund.status, refund.attempts) == (Refund.Status.PENDING, 1)
    refund_call()  # PayGov is well again
    Refund.objects.filter(pk=refund.pk).update(sending_since=None)
    refund = payments.send_refund(refund.pk)
    assert (refund.status, refund.response_code) == (Refund.Status.DONE, "00")
