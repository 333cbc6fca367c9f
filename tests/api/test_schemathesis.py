"""Property-based API tests: schemathesis generates requests from /api/v1/openapi.json (valid
and invalid), runs them through the application in-process and applies every check it has: no
server error, every status code and media type and header documented, bodies that match their
schema, invalid requests refused, valid ones accepted, authentication not ignored, undeclared
methods refused."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from egov.accounts import tokens

# A request that matches the schema may still be refused with 422 where the rule depends on
# data the schema cannot hold: the answers to a procedure's own e-form, what a file really is,
# whether a referenced code (province, procedure, requirement) exists, a period that must end
# by today, a quarter or a month but not both. The answer then names the field to correct.
# Every other check runs with schemathesis's defaults.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]
            }
        }
    }
)

schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", get_wsgi_application(), config=CONFIG
)


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
def test_the_api_keeps_its_contract(case, bearer):
    case.call_and_validate(headers=bearer)
