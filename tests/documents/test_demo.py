import pytest

from egov.demo import documents as demo
from egov.documents.models import AgencyProfile, DocumentRegister

pytestmark = pytest.mark.django_db


def test_demo_profiles_registers_and_people(agencies):
    assert demo.load("demo-egov-2026-password") == 3
    assert AgencyProfile.objects.get(agency=agencies["justice"]).abbreviation == "STP"
    assert DocumentRegister.objects.filter(agency=agencies["health"]).count() == 2
    assert demo.load("demo-egov-2026-password") == 3  # again: nothing twice
    assert DocumentRegister.objects.filter(agency=agencies["health"]).count() == 2
