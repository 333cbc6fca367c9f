import pytest

from tests.dossiers.conftest import people, record_version  # noqa: F401
from tests.payments.conftest import vnpay  # noqa: F401 - the gateway's test settings


@pytest.fixture(autouse=True)
def _no_scanner(settings):
    settings.EGOV_MALWARE_SCANNER = "none"
