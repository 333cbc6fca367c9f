from types import SimpleNamespace

import pytest

from egov.accounts import services as accounts
from egov.accounts.models import User
from egov.notifications import services
from egov.notifications.models import NotificationTemplate
from tests.notifications.providers import FakeEsms, FakeZns, SmtpServer

FROM = "Cổng dịch vụ công Cần Thơ <thongbao@dichvucong.cantho.gov.vn>"
ZNS_RECEIVED = "231001"
ZNS_RECEIVED_PARAMS = {
    "customer_name",
    "dossier_code",
    "procedure",
    "received_date",
    "appointment_date",
}


def notify_settings(smtp_port: int, esms: dict, zns: dict, **overrides) -> dict:
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_FROM": FROM,
        "SMS_PROVIDER": "esms",
        "ZALO_PROVIDER": "zns",
        "ESMS": esms,
        "ZNS": zns,
        "SMS_STRIP_DIACRITICS": True,
        "SMS_MAX_SEGMENTS": 2,
        "HTTP_TIMEOUT_SECONDS": 2.0,
        "RETRY_BASE_SECONDS": 0.05,
        "RETRY_MAX_SECONDS": 0.4,
        "RETRY_HORIZON_SECONDS": 60.0,
        "LEASE_SECONDS": 30.0,
        "BATCH_SIZE": 50,
        **overrides,
    }


@pytest.fixture
def providers(settings):
    """A real SMTP server and the eSMS and ZNS stand-ins, with the platform pointed at them."""
    smtp = SmtpServer().start()
    esms = FakeEsms().start()
    zns = FakeZns({ZNS_RECEIVED: ZNS_RECEIVED_PARAMS}).start()
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp.port
    settings.EMAIL_USE_TLS = False
    settings.EGOV_NOTIFICATIONS = notify_settings(smtp.port, esms.settings(), zns.settings())
    yield SimpleNamespace(smtp=smtp, mail=smtp.handler, esms=esms, zns=zns)
    smtp.stop()
    esms.stop()
    zns.stop()


@pytest.fixture
def templates(db):
    """The shipped templates (a transactional test elsewhere may have emptied the table)."""
    services.load_default_templates()
    NotificationTemplate.objects.filter(
        event="dossier.received", channel="zalo", language="vi"
    ).update(zns_template_id=ZNS_RECEIVED)


@pytest.fixture
def person(db):
    """A citizen with an e-mail address and a phone number."""

    def make(username="nguoidan", email="tran.thi.b@example.vn", phone="0912345678", **fields):
        return accounts.create_user(
            actor=None,
            username=username,
            password=None,  # signed in with force_login; no slow password hashing
            kind=User.Kind.CITIZEN,
            email=email,
            phone=phone,
            full_name=fields.pop("full_name", "Trần Thị Bình"),
            **fields,
        )

    return make
