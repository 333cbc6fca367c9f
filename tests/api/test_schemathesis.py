"""Property-based API tests: schemathesis generates requests from /api/v1/openapi.json
(valid and invalid), runs them through the application in-process, and no answer may be a 5xx."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from egov.accounts import tokens

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: requests must not close the test's database connection
    (it holds the transaction that each test rolls back)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(citizen, catalogue, settings):
    settings.EGOV_MALWARE_SCANNER = "none"
    _record, token = tokens.create(citizen, name="schemathesis")
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_server_errors(case, bearer):
    case.call_and_validate(headers=bearer, checks=[not_a_server_error])
