"""A dossier whose procedure asks for payment first is neither received nor processed unpaid."""

import pytest
from django.core.exceptions import ValidationError

from egov.dossiers import gates, reception, services
from egov.dossiers.models import Dossier
from egov.payments import services as payments
from egov.payments.models import Payment, PaymentOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def unpaid(pay_first, complete_draft, citizen):
    return services.submit(complete_draft, applicant=citizen)


def test_the_desk_cannot_receive_it_unpaid(unpaid, desk_officer):
    with pytest.raises(ValidationError) as refused:
        reception.receive(unpaid, officer=desk_officer)
    assert refused.value.messages == [
        "Phí, lệ phí (200.000 đ) phải được nộp trước khi tiếp nhận hồ sơ: thủ tục này yêu cầu "
        "nộp phí trước."
    ]
    unpaid.refresh_from_db()
    assert unpaid.status == Dossier.Status.SUBMITTED
    assert not unpaid.attachments.filter(kind="receipt").exists()


def test_once_paid_at_the_desk_it_is_received(unpaid, desk_officer):
    payments.record_counter_payment(
        unpaid, officer=desk_officer, method=Payment.Method.CASH, amount=200_000
    )
    dossier = reception.receive(unpaid, officer=desk_officer)
    assert dossier.status == Dossier.Status.IN_PROGRESS  # received, handed to processing
    assert PaymentOrder.objects.get(dossier=dossier).status == PaymentOrder.Status.PAID


def test_nor_processed_unpaid(unpaid):
    with pytest.raises(ValidationError) as refused:
        gates.check(unpaid, "advance")
    assert "trước khi xử lý hồ sơ" in refused.value.messages[0]


def test_without_the_flag_the_fees_wait_for_reception(submitted, desk_officer):
    assert reception.receive(submitted, officer=desk_officer).status == Dossier.Status.IN_PROGRESS
    gates.check(submitted, "advance")  # fees due later do not hold it back


def test_a_procedure_whose_fees_come_to_nothing_is_not_held(
    pay_first, complete_draft, citizen, desk_officer
):
    from egov.catalog import content

    content.replace_fees(pay_first, [])
    dossier = services.submit(complete_draft, applicant=citizen)
    assert reception.receive(dossier, officer=desk_officer).status == Dossier.Status.IN_PROGRESS
