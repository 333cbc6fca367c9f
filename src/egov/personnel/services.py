"""Operations on civil servant records: the only code that changes them. Each runs in one
transaction and writes the audit trail in it; every change of the events refreshes the stored
current state in the same transaction. Reading a record is recorded too (:func:`record_access`).
"""

import datetime
from dataclasses import asdict, dataclass, fields
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from egov.accounts.identity import validate_citizen_id
from egov.core import audit, events, references
from egov.core.masking import mask_citizen_id, mask_email, mask_phone
from egov.organizations.models import Agency
from egov.personnel import rules, state
from egov.personnel.access import Scope
from egov.personnel.models import (
    ACTIVE_STATUSES,
    REASONS,
    CareerEvent,
    CivilServant,
    CorrectionRequest,
    CurrentState,
    Decision,
    Discipline,
    EmploymentKind,
    EventKind,
    FamilyMember,
    Rank,
    StaffingQuota,
    Status,
    Training,
)

# The record's own fields (Mẫu 2C without the career), as forms and the import take them.
RECORD_FIELDS = [
    "full_name",
    "other_names",
    "sex",
    "date_of_birth",
    "birth_year_only",
    "place_of_birth",
    "hometown",
    "ethnicity",
    "religion",
    "citizen_id",
    "citizen_id_issued_on",
    "social_insurance_number",
    "permanent_address",
    "current_address",
    "phone",
    "email",
    "occupation_at_recruitment",
    "main_duties",
    "general_education",
    "education_level",
    "education_detail",
    "political_theory",
    "state_management",
    "foreign_languages",
    "it_skills",
    "party_joined_on",
    "party_official_on",
    "youth_union_joined_on",
    "trade_union_joined_on",
    "military_enlisted_on",
    "military_discharged_on",
    "military_rank",
    "honorary_title",
    "strengths",
    "health",
    "height_cm",
    "weight_kg",
    "blood_type",
    "policy_family",
    "personal_history",
]
# Shown masked in the audit trail; the others as they are.
MASKED = {
    "citizen_id": mask_citizen_id,
    "phone": mask_phone,
    "email": mask_email,
}
HIDDEN = {"social_insurance_number", "permanent_address", "current_address", "personal_history"}
LATEST_AHEAD = datetime.timedelta(days=366)  # decisions take effect at most a year ahead


def _audit_value(name: str, value):
    if name in MASKED:
        return MASKED[name](value or "")
    if name in HIDDEN:
        return "•••" if value else ""
    return value


def _require(actor, scope: Scope | None, agency_id: int | None) -> None:
    """System work (imports from the command line, the demo) runs without an actor."""
    if actor is None:
        return
    scope = scope or Scope(actor)
    if not scope.covers(agency_id):
        raise PermissionDenied(_("You are not a personnel officer of this agency."))


# --- Events -------------------------------------------------------------------------------------


@dataclass
class EventInput:
    kind: str
    effective_on: datetime.date
    decision_number: str
    decision_signed_on: datetime.date
    decision_signer: str
    decision_issuer: str = ""
    document_ref: str = ""
    ends_on: datetime.date | None = None
    agency: Agency | None = None
    employment_kind: str = ""
    position: str = ""
    position_allowance: Decimal | None = None
    rank: Rank | None = None
    salary_group: str = ""
    step: int | None = None
    coefficient: Decimal | None = None
    counted_from: datetime.date | None = None
    seniority_percent: int | None = None
    reason: str = ""
    detail: str = ""


EVENT_FIELDS = [f.name for f in fields(EventInput)]
NEEDS_AGENCY = {EventKind.RECRUITMENT, EventKind.TRANSFER, EventKind.SECONDMENT}
NEEDS_END = {EventKind.PROBATION, EventKind.SECONDMENT}
NEEDS_DETAIL = {EventKind.TRAINING, EventKind.REWARD}


class Problems:
    """Errors keyed by field, raised together as one ValidationError."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(str(message))

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _check_salary(data: EventInput, before: state.State, problems: Problems) -> None:
    if data.rank is not None:
        if not data.rank.is_active and data.kind != EventKind.RECRUITMENT:
            problems.add("rank", _("This rank is no longer in use."))
        data.salary_group = data.salary_group or data.rank.salary_group
        if data.salary_group != data.rank.salary_group:
            problems.add(
                "salary_group",
                _("Rank %(rank)s is paid on group %(group)s.")
                % {"rank": data.rank.code, "group": data.rank.salary_group},
            )
            return
    if data.step is None:
        if data.kind in (EventKind.SALARY, EventKind.RANK):
            problems.add("step", _("Give the salary step (bậc)."))
        return
    group = data.salary_group or before.salary_group
    if not group:
        problems.add("salary_group", _("Give the salary group, or the rank that has one."))
        return
    try:
        expected = rules.coefficient(group, data.step)
    except ValueError as exc:
        problems.add("step", str(exc))
        return
    if data.coefficient is not None and data.coefficient != expected:
        problems.add(
            "coefficient",
            _("Step %(step)d of group %(group)s has the coefficient %(expected)s, not %(given)s.")
            % {
                "step": data.step,
                "group": group,
                "expected": formats.localize(expected),
                "given": formats.localize(data.coefficient),
            },
        )
    data.salary_group, data.coefficient = group, expected
    if data.seniority_percent and data.step != rules.salary_group(group).last_step:
        problems.add(
            "seniority_percent",
            _("The allowance beyond the frame comes only at the last step of the group."),
        )


def _check_kind(data: EventInput, before: state.State, problems: Problems) -> None:
    kind = data.kind
    if kind in NEEDS_AGENCY:
        if data.agency is None:
            problems.add("agency", _("Choose the agency."))
        elif not data.agency.in_force_on(data.effective_on):
            problems.add("agency", _("This agency does not exist on that date."))
        elif kind != EventKind.RECRUITMENT and data.agency.pk == before.agency_id:
            problems.add("agency", _("The person already works in this agency."))
    if kind == EventKind.RECRUITMENT and not data.employment_kind:
        problems.add("employment_kind", _("Say whether it is a civil servant, a public employee…"))
    if kind in NEEDS_END and data.ends_on is None:
        problems.add("ends_on", _("Give the day it ends."))
    if (
        kind == EventKind.PROBATION
        and data.ends_on
        and data.ends_on > rules.add_months(data.effective_on, rules.PROBATION_MONTHS)
    ):
        problems.add("ends_on", _("A probation lasts at most 12 months."))
    if kind == EventKind.RANK and data.rank is None:
        problems.add("rank", _("Choose the rank."))
    if kind == EventKind.POSITION and not data.position:
        problems.add("position", _("Give the position."))
    if kind == EventKind.POSITION_END and not before.position:
        problems.add("kind", _("The person holds no position on that date."))
    if kind == EventKind.SENIORITY:
        group = rules.SALARY_GROUPS.get(before.salary_group)
        if not data.seniority_percent or data.seniority_percent < 5:
            problems.add("seniority_percent", _("The allowance starts at 5 %."))
        elif group is None or before.step != group.last_step:
            problems.add(
                "seniority_percent",
                _("The allowance beyond the frame comes only at the last step of the group."),
            )
    if kind in NEEDS_DETAIL and not data.detail:
        problems.add("detail", _("Say what it is (the form of the reward, the course)."))
    choices = REASONS.get(kind)
    if choices is not None and kind != EventKind.SALARY and data.reason not in choices.values:
        problems.add("reason", _("Choose one of the forms offered."))
    elif kind == EventKind.DISCIPLINE and not rules.discipline_allowed(
        before.employment_kind, data.reason
    ):
        problems.add(
            "reason",
            _("The law has no %(form)s for a %(employment)s.")
            % {
                "form": str(Discipline(data.reason).label).lower(),
                "employment": str(EmploymentKind(before.employment_kind).label).lower(),
            },
        )
    if kind == EventKind.SALARY and data.reason and data.reason not in REASONS[kind].values:
        problems.add("reason", _("Choose one of the forms offered."))
    if kind in (EventKind.RECRUITMENT, EventKind.RANK, EventKind.SALARY, EventKind.TRANSFER):
        _check_salary(data, before, problems)
    elif data.step or data.rank:
        problems.add("step", _("This event does not change the salary."))


def check_event(person: CivilServant, data: EventInput, others) -> state.State:
    """Raises ValidationError naming each wrong field; returns the state just before."""
    problems = Problems()
    if data.kind not in EventKind.values:
        problems.add("kind", _("Choose the kind of event."))
        problems.raise_any()
    today = timezone.localdate()
    if not data.decision_number.strip():
        problems.add("decision_number", _("Give the decision's number, e.g. 125/QĐ-UBND."))
    if not data.decision_signer.strip():
        problems.add("decision_signer", _("Give who signed the decision."))
    if data.decision_signed_on > today:
        problems.add("decision_signed_on", _("A decision cannot be signed in the future."))
    if data.effective_on > today + LATEST_AHEAD:
        problems.add("effective_on", _("A decision takes effect at most a year ahead."))
    if data.ends_on is not None and data.ends_on <= data.effective_on:
        problems.add("ends_on", _("The end must come after the start."))
    if data.counted_from is not None and data.counted_from > data.effective_on:
        problems.add(
            "counted_from", _("The raise cannot be counted from after the decision takes effect.")
        )
    if data.kind == EventKind.RECRUITMENT and data.effective_on < rules.adult_on(
        person.date_of_birth
    ):
        problems.add("effective_on", _("A civil servant is recruited at 18 or older."))
    # The career on that day, with the events of the same day recorded before this one.
    before = state.derive(others, data.effective_on)
    if data.kind == EventKind.RECRUITMENT:
        if before.status in ACTIVE_STATUSES:
            problems.add("kind", _("The person is already in service on that date."))
    elif before.status not in ACTIVE_STATUSES or before.agency_id is None:
        problems.add(
            "effective_on",
            _("The person is not in service on that date (%(status)s): record a recruitment first.")
            % {"status": state.Status(before.status).label},
        )
        problems.raise_any()
    _check_kind(data, before, problems)
    problems.raise_any()
    return before


def _decision(data: EventInput) -> Decision:
    number = data.decision_number.strip()
    found = Decision.objects.filter(number=number, signed_on=data.decision_signed_on).first()
    if found is None:
        document = references.find_document(number, data.decision_signed_on)
        return Decision.objects.create(
            number=number,
            signed_on=data.decision_signed_on,
            signer=data.decision_signer.strip(),
            issuer=data.decision_issuer.strip(),
            document_ref=data.document_ref.strip(),
            document_id=document.public_id if document else None,
        )
    if found.signer != data.decision_signer.strip():
        raise ValidationError(
            {
                "decision_signer": _(
                    "Decision %(decision)s is already recorded as signed by %(signer)s."
                )
                % {"decision": found, "signer": found.signer}
            }
        )
    if data.document_ref and not found.document_ref:
        found.document_ref = data.document_ref.strip()
        found.save(update_fields=["document_ref"])
    return found


def _event_summary(event: CareerEvent) -> dict:
    summary = {
        "kind": event.kind,
        "effective_on": event.effective_on,
        "decision": str(event.decision),
    }
    for name in ("ends_on", "agency_id", "position", "salary_group", "step", "coefficient"):
        value = getattr(event, name)
        if value not in (None, ""):
            summary[name] = value
    if event.rank_id:
        summary["rank"] = event.rank.code
    if event.seniority_percent:
        summary["seniority_percent"] = event.seniority_percent
    if event.reason:
        summary["reason"] = event.reason
    return summary


def _save_event(person, data: EventInput, *, actor, batch=None) -> CareerEvent:
    values = {k: v for k, v in asdict(data).items() if not k.startswith(("decision_", "document_"))}
    values["agency"], values["rank"] = data.agency, data.rank
    values["detail"] = values["detail"].strip()
    values["position"] = values["position"].strip()
    event = CareerEvent(person=person, decision=_decision(data), **values)
    event.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    event.import_batch = batch
    event.save()
    return event


@transaction.atomic
def record_event(person: CivilServant, data: EventInput, *, actor, scope=None) -> CareerEvent:
    """Records one career event after checking it against the events already there."""
    person = CivilServant.objects.select_for_update().get(pk=person.pk)
    others = list(CareerEvent.objects.filter(person=person).select_related("agency"))
    before = check_event(person, data, others)
    current = state.derive(others, timezone.localdate())
    _require(actor, scope, current.agency_id or before.agency_id)
    if data.agency is not None:
        _require(actor, scope, data.agency.pk)
    event = _save_event(person, data, actor=actor)
    row = state.refresh(person)
    audit.record(
        actor=actor,
        action="personnel.event_recorded",
        obj=person,
        agency_id=row.agency_id,
        after=_event_summary(event),
    )
    return event


@transaction.atomic
def void_event(event: CareerEvent, *, actor, reason: str, scope=None) -> CareerEvent:
    """Takes a wrongly recorded event out of the career; it stays, marked, in the history."""
    event = (
        CareerEvent.objects.select_for_update(of=("self",))
        .select_related("person", "decision")
        .get(pk=event.pk)
    )
    reason = reason.strip()
    if event.voided_at is not None:
        raise ValidationError(_("This event was already voided."))
    if not reason:
        raise ValidationError({"reason": _("Say why the event is voided.")})
    agency_before = (
        CurrentState.objects.filter(person=event.person).values_list("agency_id", flat=True).first()
    )
    _require(actor, scope, agency_before)
    event.voided_at = timezone.now()
    event.voided_by = actor if getattr(actor, "is_authenticated", False) else None
    event.void_reason = reason[:300]
    event.save(update_fields=["voided_at", "voided_by", "void_reason"])
    remaining = CareerEvent.objects.filter(person=event.person, voided_at__isnull=True)
    if not remaining.exists():
        raise ValidationError(_("The only event of a record cannot be voided; correct it instead."))
    row = state.refresh(event.person)
    audit.record(
        actor=actor,
        action="personnel.event_voided",
        obj=event.person,
        agency_id=agency_before or row.agency_id,
        before=_event_summary(event),
        after={"reason": event.void_reason},
    )
    return event


# --- The record ---------------------------------------------------------------------------------


def _clean_person(person: CivilServant) -> None:
    if person.citizen_id:
        try:
            validate_citizen_id(person.citizen_id, person.date_of_birth)
        except ValidationError as exc:
            raise ValidationError({"citizen_id": exc.messages}) from exc
        clash = CivilServant.objects.filter(citizen_id=person.citizen_id).exclude(pk=person.pk)
        if clash.exists():
            raise ValidationError(
                {"citizen_id": _("Another record already has this citizen ID number.")}
            )
    try:
        person.full_clean(exclude=["code"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    if person.date_of_birth and person.date_of_birth > timezone.localdate():
        raise ValidationError({"date_of_birth": _("The date of birth is in the future.")})


def next_code() -> str:
    """Record numbers given by the platform: HS and six digits, after the highest given."""
    last = (
        CivilServant.objects.filter(code__regex=r"^HS[0-9]{6}$")
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    return f"HS{int(last[2:]) + 1 if last else 1:06d}"


@transaction.atomic
def create_person(values: dict, recruitment: EventInput, *, actor, scope=None) -> CivilServant:
    """A new record and its first event (a recruitment), or nothing when either is wrong."""
    if recruitment.kind not in (EventKind.RECRUITMENT,):
        raise ValidationError({"kind": _("A new record starts with a recruitment.")})
    if recruitment.agency is not None:
        _require(actor, scope, recruitment.agency.pk)
    code = (values.pop("code", "") or "").strip() or next_code()
    if CivilServant.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Another record already has this number.")})
    person = CivilServant(code=code, **values)
    _clean_person(person)
    person.save()
    check_event(person, recruitment, [])
    event = _save_event(person, recruitment, actor=actor)
    row = state.refresh(person)
    audit.record(
        actor=actor,
        action="personnel.record_created",
        obj=person,
        agency_id=row.agency_id,
        after={
            "code": person.code,
            "full_name": person.full_name,
            "citizen_id": mask_citizen_id(person.citizen_id),
            "event": _event_summary(event),
        },
    )
    return person


@transaction.atomic
def update_record(person: CivilServant, values: dict, *, actor, scope=None) -> CivilServant:
    person = CivilServant.objects.select_for_update().get(pk=person.pk)
    agency_id = (
        CurrentState.objects.filter(person=person).values_list("agency_id", flat=True).first()
    )
    _require(actor, scope, agency_id)
    before, after = {}, {}
    for name, value in values.items():
        if name not in RECORD_FIELDS:
            continue
        old = getattr(person, name)
        if old != value:
            before[name], after[name] = _audit_value(name, old), _audit_value(name, value)
            setattr(person, name, value)
    if not after:
        return person
    _clean_person(person)
    person.save()
    if ({"birth_year_only"} | state.REPORTED) & after.keys():
        state.refresh(person)  # the retirement date or what the staffing report counts
    audit.record(
        actor=actor,
        action="personnel.record_updated",
        obj=person,
        agency_id=agency_id,
        before=before,
        after=after,
    )
    return person


@transaction.atomic
def link_account(person: CivilServant, user, *, actor, scope=None) -> CivilServant:
    """Links the record to the person's staff account, so they can read it and ask for a
    correction; None unlinks."""
    person = CivilServant.objects.select_for_update().get(pk=person.pk)
    agency_id = person.state.agency_id
    _require(actor, scope, agency_id)
    if user is not None:
        if user.kind != "staff":
            raise ValidationError({"user": _("Only a staff account can be linked to a record.")})
        clash = CivilServant.objects.filter(user=user).exclude(pk=person.pk).first()
        if clash is not None:
            raise ValidationError({"user": _("This account is linked to another record.")})
    before = person.user.get_username() if person.user_id else None
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    audit.record(
        actor=actor,
        action="personnel.account_linked",
        obj=person,
        agency_id=agency_id,
        before={"user": before},
        after={"user": user.get_username() if user else None},
    )
    return person


def _row_change(person, action: str, *, actor, scope, row, before=None, after=None):
    agency_id = person.state.agency_id
    _require(actor, scope, agency_id)
    audit.record(
        actor=actor, action=action, obj=person, agency_id=agency_id, before=before, after=after
    )
    return row


@transaction.atomic
def add_training(person: CivilServant, values: dict, *, actor, scope=None) -> Training:
    row = Training(person=person, **values)
    try:
        row.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    if row.started_on and row.ended_on and row.ended_on < row.started_on:
        raise ValidationError({"ended_on": _("The end must come after the start.")})
    row.save()
    summary = {"kind": row.kind, "institution": row.institution, "qualification": row.qualification}
    return _row_change(
        person, "personnel.training_added", actor=actor, scope=scope, row=row, after=summary
    )


@transaction.atomic
def add_family_member(person: CivilServant, values: dict, *, actor, scope=None) -> FamilyMember:
    row = FamilyMember(person=person, **values)
    try:
        row.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    row.save()
    summary = {"relation": row.relation, "full_name": row.full_name}
    return _row_change(
        person, "personnel.family_added", actor=actor, scope=scope, row=row, after=summary
    )


@transaction.atomic
def remove_line(row: Training | FamilyMember, *, actor, scope=None) -> None:
    person = row.person
    kind = "training" if isinstance(row, Training) else "family"
    summary = {"line": str(row)}
    row.delete()
    _row_change(
        person, f"personnel.{kind}_removed", actor=actor, scope=scope, row=None, before=summary
    )


@events.subscribe("documents.entered_register")
@transaction.atomic
def link_decisions(*, public_id, reference: str, document_date: datetime.date, **_payload):
    """A document entering a register links the decisions recorded before that cite it."""
    wanted = references.normalize(reference)
    for decision in Decision.objects.filter(signed_on=document_date, document_id__isnull=True):
        if references.normalize(decision.number) != wanted:
            continue
        decision.document_id = public_id
        decision.save(update_fields=["document_id"])
        audit.record(
            actor=None,
            action="personnel.decision_linked",
            obj=decision,
            after={"document": reference},
        )


# --- Reading a record ---------------------------------------------------------------------------


@transaction.atomic
def record_access(person: CivilServant, *, actor, what: str = "record") -> None:
    """Every opening of a record (or its export) goes into the audit trail."""
    audit.record(
        actor=actor,
        action=f"personnel.{what}_viewed",
        obj=person,
        agency_id=getattr(getattr(person, "state", None), "agency_id", None),
        after={"as_of": timezone.localdate()} if what == "state" else None,
    )


@transaction.atomic
def record_report_export(*, actor, agency=None) -> None:
    """The staffing report holds no names, but its download is recorded like the exports."""
    audit.record(
        actor=actor,
        action="personnel.report_exported",
        object_type="personnel.staffing",
        object_repr=agency.name if agency else "",
        agency_id=agency.pk if agency else None,
    )


@transaction.atomic
def record_list_export(*, actor, what: str, people: int, agency=None) -> None:
    """The due lists and the salary list name people (with their birth dates or pay): their
    downloads are recorded like the export of records."""
    audit.record(
        actor=actor,
        action="personnel.list_exported",
        object_type="personnel.civilservant",
        object_repr=agency.name if agency else "",
        agency_id=agency.pk if agency else None,
        after={"list": what, "people": people},
    )


# --- Approved headcount -------------------------------------------------------------------------


@transaction.atomic
def set_quota(
    agency: Agency,
    year: int,
    *,
    civil_servants: int,
    public_employees: int,
    decision: str,
    actor,
    scope=None,
) -> StaffingQuota:
    """The headcount approved for an agency is set by those who cover the body above it (the
    Department of Home Affairs for the departments, a department for its own units)."""
    scope = scope or (Scope(actor) if actor else None)
    if actor is not None and not (
        scope.everything or (agency.parent_id is not None and scope.covers(agency.parent_id))
    ):
        raise PermissionDenied(
            _("The approved headcount is set by the personnel officers of the body above.")
        )
    quota, created = StaffingQuota.objects.select_for_update().get_or_create(
        agency=agency,
        year=year,
        defaults={"civil_servants": civil_servants, "public_employees": public_employees},
    )
    before = (
        None
        if created
        else {
            "civil_servants": quota.civil_servants,
            "public_employees": quota.public_employees,
            "decision": quota.decision,
        }
    )
    quota.civil_servants = civil_servants
    quota.public_employees = public_employees
    quota.decision = decision.strip()
    quota.full_clean()
    quota.save()
    audit.record(
        actor=actor,
        action="personnel.quota_set",
        obj=quota,
        agency_id=agency.pk,
        before=before,
        after={
            "year": year,
            "civil_servants": civil_servants,
            "public_employees": public_employees,
            "decision": quota.decision,
        },
    )
    return quota


# --- Corrections asked by the person ------------------------------------------------------------


@transaction.atomic
def request_correction(person: CivilServant, text: str, *, user) -> CorrectionRequest:
    if person.user_id != getattr(user, "pk", None):
        raise PermissionDenied(_("Only the person can ask to correct their own record."))
    text = (text or "").strip()
    if len(text) < 10:
        raise ValidationError({"text": _("Say what is wrong and what it should say.")})
    if len(text) > 2000:
        raise ValidationError({"text": _("Write at most 2,000 characters.")})
    request = CorrectionRequest.objects.create(person=person, requested_by=user, text=text)
    audit.record(
        actor=user,
        action="personnel.correction_requested",
        obj=request,
        object_repr=str(person),
        agency_id=person.state.agency_id,
        after={"person": person.code},
    )
    events.publish("personnel.correction_requested", request=request)
    return request


@transaction.atomic
def answer_correction(
    request: CorrectionRequest, *, outcome: str, answer: str, actor, scope=None
) -> CorrectionRequest:
    request = (
        CorrectionRequest.objects.select_for_update(of=("self",))
        .select_related("person__state")
        .get(pk=request.pk)
    )
    _require(actor, scope, request.person.state.agency_id)
    if request.state != CorrectionRequest.State.OPEN:
        raise ValidationError(_("This request was already answered."))
    if outcome not in (CorrectionRequest.State.CORRECTED, CorrectionRequest.State.DECLINED):
        raise ValidationError({"outcome": _("Say whether the record was corrected.")})
    answer = (answer or "").strip()
    if outcome == CorrectionRequest.State.DECLINED and not answer:
        raise ValidationError({"answer": _("Say why the record stays as it is.")})
    request.state = outcome
    request.answer = answer[:2000]
    request.answered_by = actor
    request.answered_at = timezone.now()
    request.save()
    audit.record(
        actor=actor,
        action="personnel.correction_answered",
        obj=request,
        object_repr=str(request.person),
        agency_id=request.person.state.agency_id,
        before={"state": CorrectionRequest.State.OPEN},
        after={"state": outcome},
    )
    events.publish("personnel.correction_answered", request=request)
    return request


# --- The daily refresh --------------------------------------------------------------------------


def refresh_due(day: datetime.date | None = None, *, batch: int = 500) -> int:
    """Recomputes the stored state of everyone whose recorded events change it by ``day`` (a
    decision that takes effect today, the end of a leave). Run daily (``refresh_personnel``)."""
    day = day or timezone.localdate()
    done = 0
    while True:
        ids = list(
            CurrentState.objects.filter(valid_until__lte=day).values_list("person_id", flat=True)[
                :batch
            ]
        )
        if not ids:
            return done
        with transaction.atomic():
            for person in CivilServant.objects.filter(pk__in=ids):
                state.refresh(person, day)
        done += len(ids)


def refresh_all(*, batch: int = 500) -> int:
    """Recomputes every stored state (after a change of the rules)."""
    done = 0
    ids = list(CivilServant.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            for person in CivilServant.objects.filter(pk__in=ids[start : start + batch]):
                state.refresh(person)
        done += len(ids[start : start + batch])
    return done


def status_label(value: str) -> str:
    return Status(value).label
