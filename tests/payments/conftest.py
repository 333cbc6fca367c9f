import logging

import pytest

from egov.accounts.models import Role
from egov.catalog.models import ProcedureVersion
from egov.dossiers import reception, services
from egov.payments.gateways.vnpay import signed_query
from tests.dossiers.conftest import PDF, complete_draft, draft, record_version  # noqa: F401

TMN_CODE = "EGOVTEST"
SECRET = "test-secret-for-vnpay-hmac"


@pytest.fixture(autouse=True)
def vnpay(settings):
    settings.VNPAY_TMN_CODE = TMN_CODE
    settings.VNPAY_HASH_SECRET = SECRET
    settings.VNPAY_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
    settings.EGOV_PUBLIC_BASE_URL = "https://dichvucong.example.vn"


@pytest.fixture
def desk_officer(make_staff, agencies):
    return make_staff("motcua", agencies["city"], Role.DESK_OFFICER)


@pytest.fixture
def submitted(complete_draft, citizen):  # noqa: F811
    return services.submit(complete_draft, applicant=citizen)


@pytest.fixture
def received(submitted, desk_officer):
    """A judicial record dossier received by the city's desk: 200,000 đ due."""
    return reception.receive(submitted, officer=desk_officer)


@pytest.fixture
def pay_first(record_version):  # noqa: F811
    ProcedureVersion.objects.filter(pk=record_version.pk).update(payment_first=True)
    record_version.refresh_from_db()
    return record_version


def notice_params(payment, **changes) -> dict:
    """What VNPAY sends back for ``payment``, signed with the test secret."""
    params = {
        "vnp_Amount": str(payment.amount * 100),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP14422574",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": "Thanh toan phi, le phi ho so",
        "vnp_PayDate": "20260105091806",
        "vnp_ResponseCode": "00",
        "vnp_TmnCode": TMN_CODE,
        "vnp_TransactionNo": "14422574",
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": payment.txn_ref,
        **changes,
    }
    return params


def signed(params: dict, secret: str = SECRET) -> str:
    return signed_query(params, secret)


@pytest.fixture
def security_log():
    """The records written to the security log (works with pytest's logging plugin off)."""
    records = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: records.append(record.getMessage())
    logger = logging.getLogger("egov.security")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def receive_another(citizen, version, officer):
    """One more received judicial record dossier of the same citizen."""
    dossier = services.start(
        applicant=citizen, version=version, agency=services.receiving_agency_for(version)
    )
    services.save_answers(
        dossier,
        applicant=citizen,
        answers={"ho_ten_tre": "Trần Văn Bình", "ngay_sinh": "2026-02-01", "gioi_tinh": "Nam"},
    )
    services.attach(
        dossier,
        applicant=citizen,
        requirement_id=version.requirements.get().pk,
        name="to-khai.pdf",
        data=PDF,
    )
    return reception.receive(services.submit(dossier, applicant=citizen), officer=officer)
