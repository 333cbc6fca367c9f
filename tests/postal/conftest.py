import datetime

import pytest

from egov.accounts.models import Role
from egov.dossiers import services as dossier_services
from egov.dossiers.models import Dossier
from egov.organizations.models import AdministrativeUnit
from egov.postal import services
from egov.postal.services import Address
from tests.dossiers.conftest import PDF, complete_draft, draft, record_version  # noqa: F401

TWO_TIER = datetime.date(2025, 7, 1)
IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}


def _unit(code, name, level, kind, parent=None, valid_from=TWO_TIER, valid_to=None):
    return AdministrativeUnit.objects.create(
        code=code,
        name=name,
        level=level,
        kind=kind,
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
    )


@pytest.fixture
def units(province):
    """Cần Thơ (the agency's province) with two wards today and one dissolved ward, Vĩnh Long
    (same region), Hà Nội (another region)."""
    vinh_long = _unit("86", "Vĩnh Long", 1, "tinh")
    ha_noi = _unit("01", "Thành phố Hà Nội", 1, "thanh_pho_tw")
    return {
        "can_tho": province,
        "vinh_long": vinh_long,
        "ha_noi": ha_noi,
        "ninh_kieu": _unit("31135", "Phường Ninh Kiều", 3, "phuong", province),
        "cai_rang": _unit("31186", "Phường Cái Răng", 3, "phuong", province),
        "dissolved": _unit(
            "31120",
            "Phường Tân An",
            3,
            "phuong",
            province,
            valid_from=None,
            valid_to=datetime.date(2025, 6, 30),
        ),
        "long_chau": _unit("29242", "Phường Long Châu", 3, "phuong", vinh_long),
        "hoan_kiem": _unit("00070", "Phường Hoàn Kiếm", 3, "phuong", ha_noi),
    }


def address(commune="31135", province="92", **changes) -> Address:
    values = {
        "recipient_name": "Nguyễn Thị Công Dân",
        "phone": "0912 345 678",
        "street": "Số 12, đường Hòa Bình",
        "province_code": province,
        "commune_code": commune,
        **changes,
    }
    return Address(**values)


@pytest.fixture
def by_post(complete_draft, citizen, units):  # noqa: F811
    """A complete draft whose papers are picked up and whose result is delivered by post."""
    services.save_request(
        complete_draft,
        applicant=citizen,
        result_delivery="post",
        pick_up=True,
        address=address(),
        weight_class="500g",
    )
    complete_draft.refresh_from_db()
    return complete_draft


@pytest.fixture
def desk(agencies, make_staff):
    return make_staff("motcua", agencies["city"], Role.DESK_OFFICER)


@pytest.fixture
def result_ready(by_post, citizen):
    """Submitted, and (the processing is another app's) its result issued."""
    dossier = dossier_services.submit(by_post, applicant=citizen)
    Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.RESULT_READY)
    dossier.refresh_from_db()
    return dossier


@pytest.fixture
def operator_settings(settings, live_server):
    """The HTTP adapter talks to the simulator on the live server, which calls back there."""
    settings.EGOV_POSTAL_SIMULATOR = True
    settings.EGOV_POSTAL_API_URL = f"{live_server.url}/postal-simulator"
    settings.EGOV_PUBLIC_BASE_URL = live_server.url
    settings.EGOV_POSTAL_TIMEOUT_SECONDS = 10
    return settings
