"""Civil servant records over the API, for personnel officers with a personal access token:
search, a record with its state as of a date (each read audited, like the page), recording an
event, the due lists and the staffing report."""

import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from egov.accounts.tokens import TokenAuth
from egov.core.paging import SEARCH_CAP
from egov.core.problems import problem
from egov.core.schemas import IsoDate, Problem, choice
from egov.organizations.models import Agency
from egov.personnel import queries, services, state
from egov.personnel.access import Scope
from egov.personnel.models import CareerEvent, EmploymentKind, EventKind, Rank
from egov.personnel.models import Status as PersonStatus

router = Router(tags=["personnel"], auth=TokenAuth())


class PersonSummary(Schema):
    id: uuid.UUID
    code: str = Field(description="Record number (số hiệu)")
    full_name: str
    sex: str
    date_of_birth: IsoDate
    agency: str | None = Field(description="Agency code")
    position: str
    rank: str | None = Field(description="Rank code (mã ngạch)")
    salary_group: str
    step: int | None
    coefficient: Decimal | None
    status: choice(PersonStatus)  # type: ignore[valid-type]


class PeoplePage(Schema):
    count: int = Field(description="How many match, counted up to 1001 (then `more` is true)")
    more: bool = Field(False, description="More than 1000 match: narrow the search")
    items: list[PersonSummary]


class PeopleFilter(Schema):
    q: str = Field("", max_length=100, description="Name (accents optional) or record number")
    agency: str | None = Field(None, max_length=30, description="Agency code")
    status: str = Field("active", description="active (default), any status code, or empty")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


class EventOut(Schema):
    id: int
    kind: EventKind
    effective_on: IsoDate
    ends_on: IsoDate | None
    decision_number: str
    decision_signed_on: IsoDate
    decision_signer: str
    decision_document: uuid.UUID | None = Field(
        description="The document of the registers carrying the decision, when it is there"
    )
    agency: str | None
    employment_kind: str
    position: str
    rank: str | None
    salary_group: str
    step: int | None
    coefficient: Decimal | None
    seniority_percent: int | None
    reason: str
    detail: str
    voided: bool


class StateOut(Schema):
    as_of: IsoDate
    status: choice(PersonStatus)  # type: ignore[valid-type]
    employment_kind: str
    agency: str | None
    seconded_to: str | None
    position: str
    rank: str | None
    salary_group: str
    step: int | None
    coefficient: Decimal | None
    step_since: IsoDate | None
    seniority_percent: int
    next_raise_on: IsoDate | None
    next_raise_kind: str | None
    retires_on: IsoDate = Field(description="Retirement at the end of this day")


class PersonOut(Schema):
    id: uuid.UUID
    code: str
    record: dict = Field(description="The Mẫu 2C fields of the record")
    state: StateOut
    events: list[EventOut]


class EventIn(Schema):
    kind: EventKind
    effective_on: IsoDate
    ends_on: IsoDate | None = None
    decision_number: str = Field(..., min_length=1, max_length=50)
    decision_signed_on: IsoDate
    decision_signer: str = Field(..., min_length=1, max_length=200)
    decision_issuer: str = Field("", max_length=200)
    document_ref: str = Field("", max_length=100)
    agency: str | None = Field(None, max_length=30, description="Agency code")
    employment_kind: EmploymentKind | None = None
    position: str = Field("", max_length=200)
    position_allowance: Decimal | None = Field(None, ge=0, le=2, decimal_places=2)
    rank: str | None = Field(None, max_length=20, description="Rank code")
    salary_group: str = Field("", max_length=5)
    step: int | None = Field(None, ge=1, le=20)
    coefficient: Decimal | None = Field(None, ge=0, le=20, decimal_places=2)
    counted_from: IsoDate | None = None
    seniority_percent: int | None = Field(None, ge=0, le=100)
    reason: str = Field("", max_length=25)
    detail: str = Field("", max_length=300)


class DueRaise(Schema):
    person: PersonSummary
    due_on: IsoDate
    next_step: int | None
    next_coefficient: Decimal | None
    next_seniority_percent: int | None
    past_due: bool
    early_before_retirement: bool


class DueRetirement(Schema):
    person: PersonSummary
    retires_on: IsoDate
    pension_from: IsoDate
    age: str = Field(description="Years and months, e.g. 61y3m")
    notice_on: IsoDate = Field(description="The written notice is due by this day")
    decision_on: IsoDate = Field(description="The retirement decision is due by this day")
    past_due: bool


class StaffingRowOut(Schema):
    agency: str | None = Field(description="Agency code; null for the total")
    agency_name: str
    values: dict[str, int | None]


class StaffingOut(Schema):
    day: IsoDate
    columns: dict[str, str] = Field(description="Column key → label")
    rows: list[StaffingRowOut]
    total: StaffingRowOut


def _scope(request) -> Scope:
    scope = Scope(request.auth)
    if not scope:
        raise HttpError(403, _("These pages are for personnel officers."))
    return scope


def _summary(person) -> dict:
    row = person.state
    return {
        "id": person.public_id,
        "code": person.code,
        "full_name": person.full_name,
        "sex": person.sex,
        "date_of_birth": person.date_of_birth,
        "agency": row.agency.code if row.agency_id else None,
        "position": row.position,
        "rank": row.rank.code if row.rank_id else None,
        "salary_group": row.salary_group,
        "step": row.step,
        "coefficient": row.coefficient,
        "status": row.status,
    }


def _event(event: CareerEvent) -> dict:
    return {
        "id": event.pk,
        "kind": event.kind,
        "effective_on": event.effective_on,
        "ends_on": event.ends_on,
        "decision_number": event.decision.number,
        "decision_signed_on": event.decision.signed_on,
        "decision_signer": event.decision.signer,
        "decision_document": event.decision.document_id,
        "agency": event.agency.code if event.agency_id else None,
        "employment_kind": event.employment_kind,
        "position": event.position,
        "rank": event.rank.code if event.rank_id else None,
        "salary_group": event.salary_group,
        "step": event.step,
        "coefficient": event.coefficient,
        "seniority_percent": event.seniority_percent,
        "reason": event.reason,
        "detail": event.detail,
        "voided": event.voided_at is not None,
    }


@router.get(
    "/personnel/people",
    response={200: PeoplePage, 401: Problem, 403: Problem},
    summary="Search the civil servant records of the agencies you cover",
)
def search_people(request, filters: Query[PeopleFilter]):
    scope = _scope(request)
    agency_id = None
    if filters.agency:
        agency = Agency.objects.filter(code=filters.agency).first()
        agency_id = agency.pk if agency else -1
    rows = queries.search(scope, filters.q, agency_id=agency_id, status=filters.status)
    page = rows[filters.offset : filters.offset + filters.limit]
    # Counted up to the cap, as the search page does: everyone in service is a city's 30,000.
    count = rows.order_by()[: SEARCH_CAP + 1].count()
    return {
        "count": count,
        "more": count > SEARCH_CAP,
        "items": [_summary(row.person) for row in page],
    }


@router.get(
    "/personnel/people/{person_id}",
    response={200: PersonOut, 401: Problem, 403: Problem, 404: Problem},
    summary="A whole record, with its state as of a date (default today); the read is audited",
)
def read_person(request, person_id: uuid.UUID, as_of: IsoDate | None = None):
    scope = _scope(request)
    person = scope.person_or_404(person_id)
    services.record_access(person, actor=request.auth, what="state" if as_of else "record")
    current = state.state_of(person, as_of)
    codes = dict(
        Agency.objects.filter(
            pk__in=[x for x in (current.agency_id, current.host_agency_id) if x]
        ).values_list("pk", "code")
    )
    rank = Rank.objects.filter(pk=current.rank_id).values_list("code", flat=True).first()
    events = CareerEvent.objects.filter(person=person).select_related("decision", "agency", "rank")
    record = {name: getattr(person, name) for name in services.RECORD_FIELDS}
    return {
        "id": person.public_id,
        "code": person.code,
        "record": record,
        "state": {
            "as_of": current.as_of,
            "status": current.status,
            "employment_kind": current.employment_kind,
            "agency": codes.get(current.agency_id),
            "seconded_to": codes.get(current.host_agency_id),
            "position": current.position,
            "rank": rank,
            "salary_group": current.salary_group,
            "step": current.step,
            "coefficient": current.coefficient,
            "step_since": current.step_since,
            "seniority_percent": current.seniority_percent,
            "next_raise_on": current.next_raise.due_on if current.next_raise else None,
            "next_raise_kind": current.next_raise.kind if current.next_raise else None,
            "retires_on": person.retirement.retires_on,
        },
        "events": [_event(e) for e in events.order_by("effective_on", "pk")],
    }


@router.post(
    "/personnel/people/{person_id}/events",
    response={201: EventOut, 401: Problem, 403: Problem, 404: Problem, 422: Problem},
    summary="Record a career event with its decision",
)
def record_event(request, person_id: uuid.UUID, data: EventIn):
    scope = _scope(request)
    person = scope.person_or_404(person_id)
    values = data.dict()
    agency_code, rank_code = values.pop("agency"), values.pop("rank")
    values["employment_kind"] = values["employment_kind"] or ""
    errors = []
    values["agency"] = values["rank"] = None
    if agency_code:
        values["agency"] = Agency.objects.filter(code=agency_code).first()
        if values["agency"] is None:
            errors.append(
                {
                    "field": "agency",
                    "message": _("No agency has the code %(code)s.") % {"code": agency_code},
                }
            )
    if rank_code:
        values["rank"] = Rank.objects.filter(code=rank_code).first()
        if values["rank"] is None:
            errors.append(
                {
                    "field": "rank",
                    "message": _("No rank has the code %(code)s.") % {"code": rank_code},
                }
            )
    if not errors:
        try:
            event = services.record_event(
                person, services.EventInput(**values), actor=request.auth, scope=scope
            )
        except PermissionDenied as exc:
            raise HttpError(403, str(exc)) from exc
        except ValidationError as exc:
            errors = [
                {"field": field, "message": message}
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        else:
            event = CareerEvent.objects.select_related("decision", "agency", "rank").get(
                pk=event.pk
            )
            return Status(201, _event(event))
    return problem(
        request,
        422,
        _("The event cannot be recorded"),
        _("Correct the fields listed in “errors” and send the request again."),
        errors=errors,
    )


def _agency_id(code: str | None) -> int | None:
    if not code:
        return None
    agency = Agency.objects.filter(code=code).first()
    return agency.pk if agency else -1


@router.get(
    "/personnel/due/raises",
    response={200: list[DueRaise], 401: Problem, 403: Problem},
    summary="Who reaches the next salary step (or allowance) within N months",
)
def due_raises(
    request,
    months: int = Query(6, ge=1, le=60),
    agency: str | None = Query(None, max_length=30),
):
    scope = _scope(request)
    rows = queries.raises_due(scope, timezone.localdate(), months, agency_id=_agency_id(agency))
    return [
        {
            "person": _summary(row.person),
            "due_on": row.due_on,
            "next_step": row.next_step,
            "next_coefficient": row.next_coefficient,
            "next_seniority_percent": row.next_percent,
            "past_due": row.overdue,
            "early_before_retirement": row.state.early_raise,
        }
        for row in rows
    ]


@router.get(
    "/personnel/due/retirements",
    response={200: list[DueRetirement], 401: Problem, 403: Problem},
    summary="Who reaches the retirement age within N months (and who passed it in service)",
)
def due_retirements(
    request,
    months: int = Query(6, ge=1, le=60),
    agency: str | None = Query(None, max_length=30),
):
    scope = _scope(request)
    rows = queries.retirements_due(
        scope, timezone.localdate(), months, agency_id=_agency_id(agency)
    )
    return [
        {
            "person": _summary(row.person),
            "retires_on": row.retirement.retires_on,
            "pension_from": row.retirement.pension_from,
            "age": f"{row.retirement.age_years}y{row.retirement.age_months}m",
            "notice_on": row.notice_on,
            "decision_on": row.decision_on,
            "past_due": row.overdue,
        }
        for row in rows
    ]


@router.get(
    "/personnel/staffing",
    response={200: StaffingOut, 401: Problem, 403: Problem},
    summary="People in service per agency against the approved headcount, by rank, age, sex, "
    "education, ethnicity",
)
def staffing(request, agency: str | None = Query(None, max_length=30)):
    scope = _scope(request)
    report = queries.staffing(scope, timezone.localdate(), agency_id=_agency_id(agency))

    def row(line):
        return {
            "agency": line.agency.code if line.agency else None,
            "agency_name": line.agency.name if line.agency else str(_("Total")),
            "values": line.values,
        }

    return {
        "day": report.day,
        "columns": {c.key: str(c.label) for c in queries.flat_columns(report)},
        "rows": [row(line) for line in report.rows],
        "total": row(report.total),
    }
