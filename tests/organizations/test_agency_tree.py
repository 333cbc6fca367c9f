import pytest
from django.core.exceptions import ValidationError

from egov.organizations import services
from egov.organizations.models import Agency

pytestmark = pytest.mark.django_db


def test_moving_an_agency_moves_its_subtree(agencies):
    legal_aid = agencies["legal_aid"]
    justice = agencies["justice"]
    justice.parent = agencies["health"]
    services.save_agency(justice, actor=None)
    legal_aid.refresh_from_db()
    assert legal_aid.path == f"{agencies['health'].path}{justice.pk}/{legal_aid.pk}/"


def test_an_agency_cannot_go_under_its_own_child(agencies):
    justice = Agency.objects.get(pk=agencies["justice"].pk)
    justice.parent = agencies["legal_aid"]
    with pytest.raises(ValidationError) as info:
        services.save_agency(justice, actor=None)
    assert "parent" in info.value.message_dict
