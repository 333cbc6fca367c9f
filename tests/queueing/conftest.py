import pytest

from egov.accounts.models import Role
from egov.catalog.models import Field
from egov.organizations import services as organizations
from egov.organizations.models import OneStopDesk
from egov.queueing import services


@pytest.fixture
def fields(db):
    return {
        "ho_tich": Field.objects.create(code="ho_tich", name="Hộ tịch"),
        "dat_dai": Field.objects.create(code="dat_dai", name="Đất đai"),
        "y_te": Field.objects.create(code="y_te", name="Y tế"),
    }


def make_desk(agency, name, offered=()):
    desk = organizations.save_desk(OneStopDesk(agency=agency, name=name), actor=None)
    if offered:
        services.offer_fields(desk, offered, actor=None)
    return desk


@pytest.fixture
def desk(agencies, fields):
    """The justice department's desk: civil status (A) and land (B) on its kiosk."""
    return make_desk(
        agencies["justice"],
        "Bộ phận Một cửa Sở Tư pháp",
        [(fields["ho_tich"], "A"), (fields["dat_dai"], "B")],
    )


@pytest.fixture
def other_desk(agencies, fields):
    """The health department's desk: one general queue."""
    return make_desk(agencies["health"], "Bộ phận Một cửa Sở Y tế")


@pytest.fixture
def officer(make_staff, agencies, desk):
    user = make_staff("motcua", agencies["justice"], Role.DESK_OFFICER, full_name="Lê Thị Một Cửa")
    services.set_counter(desk, officer=user, label="3")
    return user


@pytest.fixture
def neighbour(make_staff, agencies):
    """A desk officer of another agency (health)."""
    return make_staff("motcua.yte", agencies["health"], Role.DESK_OFFICER)
