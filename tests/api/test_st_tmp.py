import pytest
from tests.api.test_schemathesis import schema, _keep_the_test_connection, bearer  # noqa
from hypothesis import HealthCheck, settings

@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_all_checks(case, bearer):
    case.call_and_validate(headers=bearer)
