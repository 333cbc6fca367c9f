"""Loads the reference tree: the two-tier country since 2025-07-01 from ``vietnam-provinces``,
and, for the demo city, the earlier three-tier units and the merger links from data files."""

import datetime
from importlib.resources import files

from django.db import transaction
from vietnam_provinces import Province, VietNamDivisionType, Ward

from egov.core import audit
from egov.core.text import normalize_search_text
from egov.organizations import services
from egov.organizations.models import AdministrativeUnit

TWO_TIER_START = datetime.date(2025, 7, 1)
TWO_TIER_BASIS = "Nghị quyết 202/2025/QH15"
DATA = files("egov.organizations").joinpath("data")

PROVINCE_KINDS = {
    VietNamDivisionType.TINH: AdministrativeUnit.Kind.PROVINCE,
    VietNamDivisionType.THANH_PHO_TRUNG_UONG: AdministrativeUnit.Kind.CENTRAL_CITY,
}
COMMUNE_KINDS = {
    VietNamDivisionType.PHUONG: AdministrativeUnit.Kind.WARD,
    VietNamDivisionType.XA: AdministrativeUnit.Kind.COMMUNE,
    VietNamDivisionType.DAC_KHU: AdministrativeUnit.Kind.SPECIAL_ZONE,
}

# Extra files for the demo city, loaded in this order when present.
CITY_UNIT_FILES = ["cantho_pre2025_units.csv", "cantho_dissolved_units.csv"]
CITY_SUCCESSION_FILES = ["cantho_successions_before_2025.csv", "cantho_successions_2025.csv"]


@transaction.atomic
def load_two_tier_tree(*, actor=None) -> int:
    """Creates the units in force since 2025-07-01 that are not stored yet; returns how many."""
    existing = set(
        AdministrativeUnit.objects.filter(valid_from=TWO_TIER_START).values_list("code", flat=True)
    )
    provinces = {}
    new_provinces = []
    for province in Province.iter_all():
        code = f"{province.code:02d}"
        if code in existing:
            continue
        unit = AdministrativeUnit(
            code=code,
            name=province.name,
            level=AdministrativeUnit.Level.PROVINCE,
            kind=PROVINCE_KINDS[province.division_type],
            valid_from=TWO_TIER_START,
            legal_basis=TWO_TIER_BASIS,
        )
        new_provinces.append(unit)
    for unit in new_provinces:
        unit.save()
    for unit in AdministrativeUnit.objects.filter(valid_from=TWO_TIER_START, level=1):
        provinces[unit.code] = unit
    wards = []
    for ward in Ward.iter_all():
        code = f"{ward.code:05d}"
        if code in existing:
            continue
        unit = AdministrativeUnit(
            code=code,
            name=ward.name,
            level=AdministrativeUnit.Level.COMMUNE,
            kind=COMMUNE_KINDS[ward.division_type],
            parent=provinces[f"{ward.province_code:02d}"],
            valid_from=TWO_TIER_START,
            legal_basis=TWO_TIER_BASIS,
        )
        wards.append(unit)
    for unit in wards:
        unit.name_search = normalize_search_text(unit.name)
    AdministrativeUnit.objects.bulk_create(wards, batch_size=1000)
    created = len(new_provinces) + len(wards)
    if created:
        audit.record(
            actor=actor,
            action="organizations.reference_tree_loaded",
            object_type="organizations.administrativeunit",
            object_repr="vietnam-provinces",
            after={"created": created, "valid_from": TWO_TIER_START},
        )
    return created


def load_city_history(*, actor=None) -> list[str]:
    """Loads the demo city's earlier units and merger links; returns what each file did."""
    done = []
    for name in CITY_UNIT_FILES:
        resource = DATA.joinpath(name)
        if resource.is_file():
            report = services.import_units_csv(resource.read_bytes(), actor=actor, filename=name)
            _raise_on_errors(name, report)
            done.append(f"{name}: {report.created} created, {report.updated} updated")
    for name in CITY_SUCCESSION_FILES:
        resource = DATA.joinpath(name)
        if resource.is_file():
            report = services.import_successions_csv(
                resource.read_bytes(), actor=actor, filename=name
            )
            _raise_on_errors(name, report)
            done.append(f"{name}: {report.created} created, {report.updated} updated")
    return done


def _raise_on_errors(name, report) -> None:
    if not report.ok:
        details = "; ".join(str(error) for error in report.errors[:10])
        raise ValueError(f"{name} does not load: {details}")
