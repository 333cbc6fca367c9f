"""Payments taken at the desk, refunds with a reason, and the e-receipt of every payment."""

import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from egov.accounts.models import Role
from egov.core.models import AuditEvent
from egov.payments import services as payments
from egov.payments.models import Payment, PaymentOrder, Refund
from egov.payments.receipts import amount_in_words
from tests.payments.conftest import receive_another

pytestmark = pytest.mark.django_db


def _cash(dossier, officer, amount=200_000, **kwargs):
    return payments.record_counter_payment(
        dossier, officer=officer, method=kwargs.pop("method", "cash"), amount=amount, **kwargs
    )


def test_cash_at_the_desk(received, desk_officer):
    payment = _cash(received, desk_officer)
    assert (payment.status, payment.method, payment.recorded_by) == ("paid", "cash", desk_officer)
    assert payment.receipt_number.endswith("-0000001")
    order = PaymentOrder.objects.get(dossier=received)
    assert order.status == PaymentOrder.Status.PAID
    assert AuditEvent.objects.filter(action="payments.counter_recorded").exists()


def test_receipt_numbers_run_per_agency_without_gaps(
    received, desk_officer, citizen, record_version
):
    first = _cash(received, desk_officer)
    second = _cash(receive_another(citizen, record_version, desk_officer), desk_officer)
    prefix, number = first.receipt_number.rsplit("-", 1)
    assert second.receipt_number == f"{prefix}-{int(number) + 1:07d}"


def test_the_amount_must_be_the_balance(received, desk_officer):
    with pytest.raises(ValidationError) as refused:
        _cash(received, desk_officer, amount=150_000)
    assert refused.value.messages == ["Số tiền phải bằng số phí, lệ phí còn phải nộp: 200.000 đ."]
    assert not Payment.objects.exists()


def test_a_card_payment_needs_the_slip_number(received, desk_officer):
    with pytest.raises(ValidationError):
        _cash(received, desk_officer, method="card")
    payment = _cash(received, desk_officer, method="card", reference="POS-000123")
    assert payment.counter_reference == "POS-000123"


def test_nothing_more_once_paid(received, desk_officer):
    _cash(received, desk_officer)
    with pytest.raises(ValidationError) as refused:
        _cash(received, desk_officer)
    assert refused.value.messages == ["Phí, lệ phí của hồ sơ này đã được nộp đủ."]


def test_only_the_receiving_desk_collects(received, make_staff, agencies):
    neighbour = make_staff("motcua.syt", agencies["health"], Role.DESK_OFFICER)
    specialist = make_staff("chuyenvien", agencies["city"], Role.SPECIALIST)
    for officer in (neighbour, specialist):
        with pytest.raises(PermissionDenied):
            _cash(received, officer)


def test_a_refund_needs_a_reason_and_a_possible_amount(received, desk_officer):
    payment = _cash(received, desk_officer)
    with pytest.raises(ValidationError) as no_reason:
        payments.refund(payment, officer=desk_officer, amount=50_000, reason="  ")
    assert no_reason.value.messages == ["Hãy ghi lý do hoàn tiền."]
    with pytest.raises(ValidationError):
        payments.refund(payment, officer=desk_officer, amount=200_001, reason="Nộp thừa")
    payments.refund(payment, officer=desk_officer, amount=150_000, reason="Hồ sơ bị từ chối")
    with pytest.raises(ValidationError):
        payments.refund(payment, officer=desk_officer, amount=50_001, reason="Lần hai")
    refund = Refund.objects.get()
    assert (refund.amount, refund.reason, refund.refunded_by) == (
        150_000,
        "Hồ sơ bị từ chối",
        desk_officer,
    )
    assert AuditEvent.objects.filter(action="payments.refunded").count() == 1


def test_a_neighbour_agency_cannot_refund(received, desk_officer, make_staff, agencies):
    payment = _cash(received, desk_officer)
    admin = make_staff("quantri.syt", agencies["health"], Role.AGENCY_ADMIN, include_subtree=True)
    with pytest.raises(PermissionDenied):
        payments.refund(payment, officer=admin, amount=1, reason="x")


def test_the_e_receipt(received, desk_officer, tmp_path):
    payment = payments.ensure_receipt(_cash(received, desk_officer))
    data = payment.receipt.read()
    assert data.startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: apt-get install poppler-utils")
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in text
    assert payment.receipt_number in text
    assert "Hai trăm nghìn đồng" in text
    assert "200.000 đ" in text
    assert "Nguyễn Thị Công Dân" in text
    assert payments.ensure_receipt(payment).receipt.name == payment.receipt.name  # drawn once


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (200_000, "Hai trăm nghìn đồng"),
        (15_000, "Mười lăm nghìn đồng"),
        (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
    ],
)
def test_amounts_in_words(amount, words):
    assert amount_in_words(amount) == words
