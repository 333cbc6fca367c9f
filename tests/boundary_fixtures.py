"""Two wards of the demo city, each with its People's Committee and its Public Administration
Service Centre (Trung tâm Phục vụ hành chính công cấp xã), for the tests of receipt regardless
of administrative boundary (Nghị định 118/2025/NĐ-CP)."""

import datetime

from egov.catalog import services as catalog
from egov.organizations import services as organizations
from egov.organizations.models import AdministrativeUnit, Agency, OneStopDesk

DECISION = "Quyết định số 1234/QĐ-UBND ngày 30/6/2025"
TWO_TIER = datetime.date(2025, 7, 1)


def make_commune(province, city, *, unit_code, name, number):
    unit = AdministrativeUnit.objects.create(
        code=unit_code,
        name=name,
        level=AdministrativeUnit.Level.COMMUNE,
        kind=AdministrativeUnit.Kind.WARD,
        parent=province,
        valid_from=TWO_TIER,
    )
    committee = organizations.save_agency(
        Agency(
            code=f"000.{number:02d}.50.H13",
            name=f"Ủy ban nhân dân {name}",
            kind=Agency.Kind.PEOPLES_COMMITTEE,
            parent=city,
            unit=unit,
            valid_from=TWO_TIER,
        ),
        actor=None,
    )
    centre = organizations.save_agency(
        Agency(
            code=f"001.{number:02d}.50.H13",
            name=f"Trung tâm Phục vụ hành chính công {name}",
            kind=Agency.Kind.COMMUNE_SERVICE_CENTRE,
            parent=committee,
            unit=unit,
            valid_from=TWO_TIER,
        ),
        actor=None,
    )
    organizations.save_desk(OneStopDesk(agency=centre, name=f"Bộ phận Một cửa {name}"), actor=None)
    return {"unit": unit, "committee": committee, "centre": centre}


def make_communes(province, city) -> dict:
    return {
        "a": make_commune(province, city, unit_code="31117", name="phường Ninh Kiều", number=1),
        "b": make_commune(province, city, unit_code="31150", name="phường Cái Khế", number=2),
    }


def list_it(version):
    return catalog.set_boundary_free(version, actor=None, listed=True, decision=DECISION)
