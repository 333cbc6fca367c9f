from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Body, Field, Query, Router, Schema

from egov.catalog import eforms, fees, search
from egov.catalog.models import Level, OnlineMode, ProcedureVersion
from egov.core.schemas import IsoDate, Problem

router = Router(tags=["procedures"])


class ProcedureFilter(Schema):
    q: str = Field(
        "",
        max_length=200,
        pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$",
        description="Words to find, with or without diacritics",
    )
    field: str | None = Field(
        None, max_length=50, pattern=r"^[A-Za-z0-9_-]*$", description="Field (lĩnh vực) code"
    )
    agency: str | None = Field(
        None,
        max_length=13,
        pattern=r"^[0-9A-Z.]*$",
        description="Agency code (QCVN 102) receiving or deciding",
    )
    level: Level | None = None
    online_mode: OnlineMode | None = None
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)


class ProcedureSummary(Schema):
    code: str
    name: str
    field: str
    level: str
    online_mode: str
    legacy_service_level: int
    time_limit: Decimal
    time_unit: str
    version: int


class ProcedurePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ProcedureSummary]


class RequirementOut(Schema):
    id: int = Field(description="Give it as requirement_id when attaching the paper to a dossier")
    code: str = Field(description="Stable across versions while the paper is the same")
    name: str
    originals: int
    copies: int
    mandatory: bool
    condition: str
    accepted_types: list[str]
    template_url: str | None
    registry: str


class FeeOut(Schema):
    name: str
    kind: str
    amount: int
    rule: dict | None
    exemptions: str


class StepOut(Schema):
    code: str
    name: str
    action: str
    role: str
    agency_role: str
    agency: str | None
    duration: Decimal


class ProcedureDetail(ProcedureSummary):
    effective_from: IsoDate
    payment_first: bool = Field(
        description="The fees are paid online when submitting, before the desk receives it"
    )
    deciding_agency: str | None
    receiving_agencies: list[str]
    legal_bases: list[str]
    results: list[str]
    steps: list[str]
    requirements: list[RequirementOut]
    fees: list[FeeOut]
    workflow: list[StepOut]
    form_schema: dict
    form_ui: dict


class FormCheck(Schema):
    valid: bool
    errors: dict[str, list[str]]
    fees: list[dict]
    total_fee: int


def _summary(version: ProcedureVersion) -> dict:
    return {
        "code": version.procedure.code,
        "name": version.name,
        "field": version.field.name,
        "level": version.level,
        "online_mode": version.online_mode,
        "legacy_service_level": version.legacy_service_level,
        "time_limit": version.time_limit,
        "time_unit": version.time_unit,
        "version": version.number,
    }


def _current(code: str) -> ProcedureVersion:
    return get_object_or_404(
        search.current_versions().select_related("procedure", "field", "deciding_agency"),
        procedure__code=code,
    )


@router.get(
    "/procedures",
    response={200: ProcedurePage, 422: Problem},
    summary="Search procedures (accent- and case-insensitive)",
)
def list_procedures(request, filters: Query[ProcedureFilter]):
    found = search.search(
        filters.q,
        field=filters.field,
        agency=filters.agency,
        level=filters.level,
        online_mode=filters.online_mode,
    )
    count = found.count()
    start = (filters.page - 1) * filters.page_size
    page = found[start : start + filters.page_size]
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [_summary(v) for v in page],
    }


@router.get(
    "/procedures/{code}",
    response={200: ProcedureDetail, 404: Problem},
    summary="A procedure as it stands today",
)
def get_procedure(request, code: str):
    version = _current(code)
    body = _summary(version)
    body.update(
        effective_from=version.effective_from,
        payment_first=version.payment_first,
        deciding_agency=version.deciding_agency.code if version.deciding_agency else None,
        receiving_agencies=sorted(a.code for a in version.receiving_agencies.all()),
        legal_bases=version.lines("legal_bases"),
        results=version.lines("results"),
        steps=version.lines("steps"),
        requirements=[
            {
                "id": r.pk,
                "code": r.code,
                "name": r.name,
                "originals": r.originals,
                "copies": r.copies,
                "mandatory": r.mandatory,
                "condition": r.condition,
                "accepted_types": r.accepted_types,
                "registry": r.registry,
                "template_url": request.build_absolute_uri(
                    f"/thu-tuc/{version.procedure.code}/mau/{r.pk}/"
                )
                if r.template_file
                else None,
            }
            for r in version.requirements.all()
        ],
        fees=[
            {
                "name": f.name,
                "kind": f.kind,
                "amount": f.amount,
                "rule": f.rule,
                "exemptions": f.exemptions,
            }
            for f in version.fees.all()
        ],
        workflow=[
            {
                "code": s.code,
                "name": s.name,
                "action": s.action,
                "role": s.role,
                "agency_role": s.agency_role,
                "agency": s.agency.code if s.agency else None,
                "duration": s.duration,
            }
            for s in version.workflow_steps.select_related("agency")
        ],
        form_schema=version.form_schema,
        form_ui=version.form_ui,
    )
    return body


@router.post(
    "/procedures/{code}/form-check",
    response={200: FormCheck, 404: Problem},
    summary="Validate e-form answers against the schema and compute the fees",
)
def check_form(request, code: str, answers: Body[dict]):
    version = _current(code)
    errors = eforms.validate_data(version.form_schema, answers)
    lines = []
    if not errors:
        try:
            lines = fees.compute(version.fees.all(), answers, version.form_schema)
        except fees.FeeAnswerError as exc:
            for field in exc.params.get("fields") or ["__all__"]:
                errors.setdefault(field, []).extend(exc.messages)
    return {
        "valid": not errors,
        "errors": errors,
        "fees": [
            {"name": line.name, "kind": line.kind, "amount": line.amount, "exempt": line.exempt}
            for line in lines
        ],
        "total_fee": sum(line.amount for line in lines),
    }
