"""Fees due are computed from the procedure's fee rules: at reception, or at submission when the
procedure asks for payment first."""

import pytest

from egov.catalog import content
from egov.core.models import AuditEvent
from egov.dossiers import reception, services
from egov.payments.models import PaymentOrder

pytestmark = pytest.mark.django_db


def test_fees_are_due_once_the_desk_receives_the_dossier(submitted, desk_officer):
    assert not PaymentOrder.objects.filter(dossier=submitted).exists()
    reception.receive(submitted, officer=desk_officer)
    order = PaymentOrder.objects.get(dossier=submitted)
    assert order.amount == 200_000
    assert order.status == PaymentOrder.Status.DUE
    assert order.agency == submitted.receiving_agency
    assert order.lines == [
        {
            "name": "Phí cung cấp thông tin lý lịch tư pháp",
            "kind": "phi",
            "amount": 200_000,
            "exempt": False,
        }
    ]
    assert AuditEvent.objects.filter(action="payments.assessed", object_id=str(order.pk)).exists()


def test_pay_first_procedures_set_the_fees_at_submission(pay_first, complete_draft, citizen):
    services.submit(complete_draft, applicant=citizen)
    assert PaymentOrder.objects.get(dossier=complete_draft).amount == 200_000


def test_assessing_twice_changes_nothing(received):
    from egov.payments.services import assess

    order = PaymentOrder.objects.get(dossier=received)
    assert assess(received) == order
    assert PaymentOrder.objects.filter(dossier=received).count() == 1


def test_rules_read_the_answers_and_exemptions(
    record_version, complete_draft, citizen, desk_officer
):
    content.replace_fees(
        record_version,
        [
            {
                "name": "Phí theo hình thức",
                "kind": "phi",
                "amount": 0,
                "rule": {
                    "type": "cases",
                    "field": "gioi_tinh",
                    "cases": [{"equals": "Nam", "amount": 70_000}],
                    "default": 10,
                },
            },
            {
                "name": "Lệ phí",
                "kind": "le_phi",
                "amount": 30_000,
                "exemption_rule": {"field": "gioi_tinh", "equals": "Nam"},
            },
        ],
    )
    dossier = services.submit(complete_draft, applicant=citizen)
    reception.receive(dossier, officer=desk_officer)
    order = PaymentOrder.objects.get(dossier=dossier)
    assert order.amount == 70_000
    assert [line["exempt"] for line in order.lines] == [False, True]


def test_nothing_to_pay_is_said_so(record_version, complete_draft, citizen, desk_officer):
    content.replace_fees(record_version, [])
    dossier = services.submit(complete_draft, applicant=citizen)
    reception.receive(dossier, officer=desk_officer)
    order = PaymentOrder.objects.get(dossier=dossier)
    assert (order.amount, order.status) == (0, PaymentOrder.Status.NOTHING_DUE)
