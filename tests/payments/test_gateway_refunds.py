"""Money the gateway takes when nothing is due (a replaced payment paid in another tab, or fees
already paid) is recorded, refunded through VNPAY's merchant API (the simulator answers it over
real HTTP), reconciled, and the citizen is told. A gateway that cannot be reached is asked again
later; an answer it did not sign is not believed."""

import datetime
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest
import requests
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from egov.accounts.models import Role
from egov.core.models import AuditEvent
from egov.notifications.models import Notification
from egov.payments import gateways, reconciliation, tasks
from egov.payments import services as payments
from egov.payments.gateways import RefundRequest
from egov.payments.gateways.vnpay import REFUND_ANSWER_SIGNED, sign_fields
from egov.payments.models import Payment, PaymentOrder, Refund
from tests.payments.conftest import SECRET, TMN_CODE, notice_params, signed
from tests.payments.test_simulator import SIMULATOR, _choose, _start
from tests.postal.conftest import IMMEDIATE_TASKS

API = "/gia-lap-vnpay/merchant_webapi/api/transaction"
CLOSED_PORT = "http://127.0.0.1:9/merchant_webapi/api/transaction"  # nothing listens there


def _notice(payment, **changes) -> dict:
    return dict(parse_qsl(signed(notice_params(payment, **changes))))


def _two_tabs_then_both_paid(received, citizen):
    """The citizen starts a payment, starts another (the first is replaced), pays the second,
    then pays the first in the tab still open: the gateway notifies both."""
    gateway = gateways.get()
    first = _start(received, citizen)[0]
    second = _start(received, citizen)[0]
    assert payments.handle_notice(gateway, _notice(second)) == gateways.Outcome.CONFIRMED
    late = _notice(first, vnp_TransactionNo="14422999")
    assert payments.handle_notice(gateway, late) == gateways.Outcome.CONFIRMED
    first.refresh_from_db()
    second.refresh_from_db()
    return first, second


@pytest.mark.django_db
def test_a_late_notice_on_a_replaced_payment_is_recorded_and_a_refund_asked(
    received, citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        first, second = _two_tabs_then_both_paid(received, citizen)
    order = PaymentOrder.objects.get(dossier=received)
    # The money is recorded as received, with the next e-receipt number, but not as fees paid.
    assert (first.status, first.duplicate, second.duplicate) == ("paid", True, False)
    assert first.gateway_transaction_no == "14422999"
    assert first.receipt_number.endswith("0000002")
    assert (order.amount, order.paid_amount, order.status) == (200_000, 200_000, "paid")
    [refund] = first.refunds.all()
    assert (refund.amount, refund.status, refund.gateway) == (200_000, "pending", "vnpay")
    assert refund.refunded_by is None
    assert "replaced" in refund.reason or "thay" in refund.reason
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "payments.received_unwanted" in actions
    assert "payments.refund_requested" in actions
    # Nothing is sent before the transaction commits; then the refund task is queued.
    assert len(callbacks) >= 1
    # A second copy of the same notice changes nothing.
    gateway = gateways.get()
    late = _notice(first, vnp_TransactionNo="14422999")
    assert payments.handle_notice(gateway, late) == gateways.Outcome.ALREADY_CONFIRMED
    assert Refund.objects.count() == 1
    # The citizen was told of one payment received, not two.
    assert Notification.objects.filter(event="payment.received", channel="email").count() == 1


@pytest.mark.django_db
def test_the_return_page_says_the_money_goes_back(client, received, citizen):
    first, second = _two_tabs_then_both_paid(received, citizen)
    client.force_login(citizen)
    late = client.get(f"/thanh-toan/ket-qua/?{signed(notice_params(first))}").content.decode()
    assert "sẽ được hoàn lại toàn bộ qua VNPAY" in late
    assert f"Biên lai điện tử {first.receipt_number}" not in late
    paid = client.get(f"/thanh-toan/ket-qua/?{signed(notice_params(second))}").content.decode()
    assert f"Biên lai điện tử {second.receipt_number}" in paid
    dossier_page = client.get(f"/ho-so/{received.public_id}/").content.decode()
    assert "Sẽ hoàn 200.000 đ" in dossier_page


@pytest.mark.django_db
def test_a_notice_after_the_fees_were_paid_at_the_desk_is_refunded(received, citizen, desk_officer):
    online = _start(received, citizen)[0]
    payments.record_counter_payment(received, officer=desk_officer, method="cash", amount=200_000)
    assert payments.handle_notice(gateways.get(), _notice(online)) == gateways.Outcome.CONFIRMED
    online.refresh_from_db()
    assert online.duplicate and online.status == Payment.Status.PAID
    assert online.refunds.get().status == Refund.Status.PENDING
    assert PaymentOrder.objects.get(dossier=received).paid_amount == 200_000


@pytest.mark.django_db
def test_a_declined_late_notice_is_refused_and_needs_no_refund(received, citizen):
    first = _start(received, citizen)[0]
    _start(received, citizen)
    declined = _notice(first, vnp_ResponseCode="24", vnp_TransactionStatus="02")
    outcome = payments.handle_notice(gateways.get(), declined)
    assert outcome == gateways.Outcome.ALREADY_CONFIRMED
    first.refresh_from_db()
    assert first.status == Payment.Status.REPLACED
    assert not Refund.objects.exists()


@pytest.fixture
def through_simulator(settings, live_server):
    settings.VNPAY_URL = ""
    settings.VNPAY_API_URL = ""  # the simulator's merchant API
    settings.EGOV_PAYMENT_SIMULATOR = True
    settings.EGOV_PUBLIC_BASE_URL = live_server.url
    return live_server


@pytest.mark.django_db(transaction=True)
def test_two_tabs_through_the_simulator_end_refunded_and_reconciled(
    through_simulator, settings, received, citizen
):
    settings.TASKS = IMMEDIATE_TASKS  # the refund goes out as soon as the notice commits
    first, first_url = _start(received, citizen)
    second, second_url = _start(received, citizen)
    assert first_url.startswith(f"{through_simulator.url}{SIMULATOR}?")
    _choose(second_url, "pay")
    _choose(first_url, "pay")  # the old tab: VNPAY takes the money again
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.duplicate) == (Payment.Status.PAID, True)
    assert (second.status, second.duplicate) == (Payment.Status.PAID, False)
    refund = first.refunds.get()
    # Refunded through the simulator's merchant API, which answered signed.
    assert refund.status == Refund.Status.DONE, refund.last_error
    assert (refund.response_code, refund.attempts) == ("00", 1)
    assert len(refund.gateway_transaction_no) == 8
    assert refund.done_at is not None
    assert AuditEvent.objects.filter(action="payments.refund_confirmed").exists()
    # The citizen is told, in their language, with the amount and the receipt refunded.
    told = Notification.objects.get(event="payment.refunded", channel="email", recipient=citizen)
    assert "200.000 đ" in told.body and first.receipt_number in told.body
    assert told.subject == f"Hoàn trả 200.000 đ cho hồ sơ {received.code}"
    # The day's statement balances: two payments in, one refund out, the fees once.
    day = timezone.localdate()
    csv = (
        "vnp_TxnRef,vnp_Amount,vnp_TransactionStatus,vnp_TransactionType\n"
        f"{second.txn_ref},20000000,00,01\n"
        f"{first.txn_ref},20000000,00,01\n"
        f"{first.txn_ref},20000000,00,02\n"
    )
    statement, _report = reconciliation.import_statement(csv.encode(), day=day, actor=None)
    assert reconciliation.mismatches(statement) == []
    totals = reconciliation.totals(statement)
    assert totals.balanced
    assert (totals.received, totals.refunded, totals.net) == (400_000, 200_000, 200_000)
    # Without the refund line the statement says so.
    missing = csv.rsplit(f"{first.txn_ref},20000000,00,02\n", 1)[0]
    statement, _report = reconciliation.import_statement(missing.encode(), day=day, actor=None)
    assert [m.kind for m in reconciliation.mismatches(statement)] == ["refund_missing_there"]
    assert not reconciliation.totals(statement).balanced


@pytest.mark.django_db(transaction=True)
def test_a_refund_the_gateway_could_not_take_is_retried(through_simulator, settings, received):
    citizen = received.applicant
    first, _second = _two_tabs_then_both_paid(received, citizen)
    refund = first.refunds.get()
    # The refund task was queued when the notice committed (database queue, not yet run).
    queued = DBTaskResult.objects.filter(task_path="egov.payments.tasks.send_refund")
    assert queued.count() == 1
    settings.VNPAY_API_URL = CLOSED_PORT  # the gateway is down
    assert tasks.send_refund.call(refund.pk) == Refund.Status.PENDING
    refund.refresh_from_db()
    assert (refund.status, refund.attempts) == (Refund.Status.PENDING, 1)
    assert refund.last_error
    # Tried again later, by a task queued to run after the back-off.
    retry = queued.exclude(run_after__year=9999).get()
    assert retry.args_kwargs["args"] == [refund.pk, 2]
    assert retry.run_after > timezone.now() + datetime.timedelta(seconds=30)
    # Staff see it among the refunds not done.
    assert [waiting.pk for waiting in payments.refunds_waiting()] == [refund.pk]
    assert not Notification.objects.filter(event="payment.refunded").exists()
    # The gateway is back: the retry refunds it, once.
    settings.VNPAY_API_URL = ""
    assert tasks.send_refund.call(refund.pk, 2) == Refund.Status.DONE
    refund.refresh_from_db()
    assert (refund.status, refund.attempts, refund.last_error) == ("done", 2, "")
    assert payments.refunds_waiting() == []
    assert Notification.objects.filter(event="payment.refunded", channel="email").count() == 1
    # Sending it again asks nothing more of the gateway.
    assert tasks.send_refund.call(refund.pk, 3) == Refund.Status.DONE
    assert AuditEvent.objects.filter(action="payments.refund_confirmed").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_command_sends_what_is_left(through_simulator, settings, received, capsys):
    first, _second = _two_tabs_then_both_paid(received, received.applicant)
    settings.VNPAY_API_URL = CLOSED_PORT
    with pytest.raises(SystemExit) as exit_code:
        call_command("send_refunds")
    assert exit_code.value.code == 1
    settings.VNPAY_API_URL = ""
    call_command("send_refunds")
    assert "0 refunds left" in capsys.readouterr().out
    assert first.refunds.get().status == Refund.Status.DONE


@pytest.mark.django_db(transaction=True)
def test_the_simulator_refuses_a_refund_it_cannot_make(through_simulator, received, citizen):
    payment = _start(received, citizen)[0]  # waiting: VNPAY took no money
    gateway = gateways.get()
    request = RefundRequest(
        request_id="a" * 32,
        reference=payment.txn_ref,
        amount=payment.amount,
        full=True,
        transaction_no="",
        paid_at=timezone.now(),
        description="Hoan tien",
        created_by="egov",
        created_at=timezone.now(),
        client_ip="127.0.0.1",
    )
    assert gateway.refund(request).code == "95"
    unknown = RefundRequest(**{**request.__dict__, "reference": "NOSUCHREF"})
    assert gateway.refund(unknown).code == "91"
    body = gateway.refund_body(request)
    body["vnp_Amount"] = "100"  # changed after signing
    answer = requests.post(f"{through_simulator.url}{API}", json=body, timeout=30).json()
    assert answer["vnp_ResponseCode"] == "97"
    answer = requests.post(f"{through_simulator.url}{API}", data="not json", timeout=30).json()
    assert answer["vnp_ResponseCode"] == "03"


def test_the_refund_request_is_signed_over_the_pipe_joined_fields():
    gateway = gateways.vnpay.VNPayGateway(
        tmn_code=TMN_CODE, hash_secret=SECRET, url="https://pay.example", api_url=""
    )
    moment = datetime.datetime(2026, 1, 5, 2, 18, 6, tzinfo=datetime.UTC)
    body = gateway.refund_body(
        RefundRequest(
            request_id="0123456789abcdef0123456789abcdef",
            reference="260105ABCDEF0123",
            amount=200_000,
            full=True,
            transaction_no="14422574",
            paid_at=moment,
            description="Hoan tien ho so X",
            created_by="egov",
            created_at=moment,
            client_ip="10.0.0.1",
        )
    )
    joined = (
        "0123456789abcdef0123456789abcdef|2.1.0|refund|EGOVTEST|02|260105ABCDEF0123|20000000|"
        "14422574|20260105091806|egov|20260105091806|10.0.0.1|Hoan tien ho so X"
    )
    expected = hmac.new(SECRET.encode(), joined.encode(), hashlib.sha512).hexdigest()
    assert body["vnp_SecureHash"] == expected


class _FakeMerchantApi(BaseHTTPRequestHandler):
    """Answers every refund with ``answer`` signed by ``secret`` (someone posing as VNPAY)."""

    secret = "not-the-merchants-secret"
    code = "00"

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        answer = {
            "vnp_ResponseId": "f" * 32,
            "vnp_Command": "refund",
            "vnp_ResponseCode": self.code,
            "vnp_Message": "Refund success",
            "vnp_TmnCode": body["vnp_TmnCode"],
            "vnp_TxnRef": body["vnp_TxnRef"],
            "vnp_Amount": body["vnp_Amount"],
            "vnp_BankCode": "NCB",
            "vnp_PayDate": body["vnp_CreateDate"],
            "vnp_TransactionNo": "99999999",
            "vnp_TransactionType": body["vnp_TransactionType"],
            "vnp_TransactionStatus": "05",
            "vnp_OrderInfo": body["vnp_OrderInfo"],
        }
        answer["vnp_SecureHash"] = sign_fields(answer, REFUND_ANSWER_SIGNED, self.secret)
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def merchant_api(settings):
    def start(secret, code="00"):
        handler = type("Handler", (_FakeMerchantApi,), {"secret": secret, "code": code})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        settings.VNPAY_API_URL = f"http://127.0.0.1:{server.server_port}/merchant_webapi/api"
        return server

    servers = []
    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.mark.django_db
def test_a_refund_answer_not_signed_by_the_gateway_is_not_believed(
    received, citizen, merchant_api, security_log
):
    first, _second = _two_tabs_then_both_paid(received, citizen)
    refund = first.refunds.get()
    merchant_api("not-the-merchants-secret")  # says "00 Refund success", forged
    refund = payments.send_refund(refund.pk)
    assert refund.status == Refund.Status.PENDING  # still owed, to be asked again
    assert "signed" in refund.last_error
    assert refund.gateway_transaction_no == ""
    assert any("invalid signature" in line for line in security_log)
    assert not AuditEvent.objects.filter(action="payments.refund_confirmed").exists()
    assert not Notification.objects.filter(event="payment.refunded").exists()


@pytest.mark.django_db
def test_a_refund_the_gateway_refuses_is_left_to_staff(
    received, citizen, merchant_api, client, make_staff, agencies
):
    first, _second = _two_tabs_then_both_paid(received, citizen)
    merchant_api(SECRET, code="91")  # signed: "transaction not found"
    refund = payments.send_refund(first.refunds.get().pk)
    assert (refund.status, refund.response_code) == (Refund.Status.FAILED, "91")
    assert AuditEvent.objects.filter(action="payments.refund_refused").exists()
    assert not Notification.objects.filter(event="payment.refunded").exists()
    admin = make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN)
    client.force_login(admin)
    page = client.get(reverse("payments_staff:statements"))
    assert page.status_code == 200
    assert first.txn_ref in page.content.decode()
