from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from egov.core.schemas import IsoDate, Problem
from egov.organizations.models import AdministrativeUnit, Agency

router = Router(tags=["organisations"])


class UnitOut(Schema):
    code: str
    name: str
    level: int = Field(description="1 province, 2 district (until 2025-06-30), 3 commune")
    kind: str
    parent_code: str | None = Field(None, description="Code of the parent unit")
    valid_from: IsoDate | None
    valid_to: IsoDate | None


class UnitDetailOut(UnitOut):
    predecessors: list[UnitOut]
    successors: list[UnitOut]


class UnitFilter(Schema):
    as_of: IsoDate | None = Field(None, description="The day the tree stood (default today)")
    parent: str | None = Field(None, description="Only units directly under this code")
    level: int | None = Field(None, ge=1, le=3)


class AgencyOut(Schema):
    code: str
    name: str
    kind: str
    parent_code: str | None
    unit_code: str | None
    valid_from: IsoDate | None
    valid_to: IsoDate | None


def _unit_out(unit: AdministrativeUnit) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "level": unit.level,
        "kind": unit.kind,
        "parent_code": unit.parent.code if unit.parent_id else None,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
    }


@router.get(
    "/units",
    response={200: list[UnitOut], 422: Problem},
    summary="Administrative units in force on a day",
)
def list_units(request, filters: Query[UnitFilter]):
    day = filters.as_of or timezone.localdate()
    units = AdministrativeUnit.objects.as_of(day).select_related("parent")
    if filters.parent:
        units = units.filter(
            parent__code=filters.parent, parent__in=AdministrativeUnit.objects.as_of(day)
        )
    if filters.level:
        units = units.filter(level=filters.level)
    return [_unit_out(unit) for unit in units.order_by("code")[:5000]]


@router.get(
    "/units/{code}",
    response={200: UnitDetailOut, 404: Problem, 422: Problem},
    summary="One unit with its merger links",
)
def get_unit(request, code: str, as_of: IsoDate | None = None):
    day = as_of or timezone.localdate()
    unit = get_object_or_404(
        AdministrativeUnit.objects.as_of(day).select_related("parent"), code=code
    )
    body = _unit_out(unit)
    body["predecessors"] = [
        _unit_out(link.predecessor)
        for link in unit.successions_in.select_related("predecessor__parent")
    ]
    body["successors"] = [
        _unit_out(link.successor)
        for link in unit.successions_out.select_related("successor__parent")
    ]
    return body


@router.get("/agencies", response=list[AgencyOut], summary="Agencies in force today")
def list_agencies(request):
    agencies = Agency.objects.as_of(timezone.localdate()).select_related("parent", "unit")
    return [
        {
            "code": a.code,
            "name": a.name,
            "kind": a.kind,
            "parent_code": a.parent.code if a.parent_id else None,
            "unit_code": a.unit.code if a.unit_id else None,
            "valid_from": a.valid_from,
            "valid_to": a.valid_to,
        }
        for a in agencies.order_by("path")
    ]
