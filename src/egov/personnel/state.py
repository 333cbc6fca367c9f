"""A person's state derived from their career events, as of any date.

:func:`derive` is pure: it folds the events (by the date they take effect, then the order they
were recorded) into where the person works, in which rank, step and position, and what they
wait for next. :func:`refresh` stores today's result in ``CurrentState``; nothing else writes it.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from egov.personnel import rules, staffing_counts
from egov.personnel.models import (
    ACTIVE_STATUSES,
    CareerEvent,
    CivilServant,
    CurrentState,
    Discipline,
    EventKind,
    Rating,
    Status,
)

TERMINAL = {Status.RETIRED, Status.LEFT}
MAJORITY = "Kinh"
NO_RELIGION = "Không"


@dataclass
class State:
    as_of: datetime.date
    status: str = Status.NOT_STARTED
    employment_kind: str = ""
    agency_id: int | None = None
    host_agency_id: int | None = None
    position: str = ""
    position_allowance: Decimal | None = None
    position_since: datetime.date | None = None
    rank_id: int | None = None
    salary_group: str = ""
    step: int | None = None
    coefficient: Decimal | None = None
    step_since: datetime.date | None = None
    seniority_percent: int = 0
    seniority_since: datetime.date | None = None
    recruited_on: datetime.date | None = None
    ended_on: datetime.date | None = None
    leave_kind: str = ""
    until: datetime.date | None = None  # end of the probation, secondment or leave under way
    next_raise: rules.RaiseDue | None = None
    delays: list[rules.Delay] = field(default_factory=list)
    pauses: list[rules.Pause] = field(default_factory=list)
    events: list[CareerEvent] = field(default_factory=list)  # those in force by as_of
    valid_until: datetime.date | None = None  # next date an already-recorded event changes it

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


def _order(event: CareerEvent):
    return (event.effective_on, event.pk or 0)


def _apply(state: State, event: CareerEvent) -> None:
    kind = event.kind
    if kind == EventKind.RECRUITMENT:
        state.status = Status.WORKING
        state.agency_id = event.agency_id
        state.host_agency_id = None
        state.employment_kind = event.employment_kind or state.employment_kind
        state.recruited_on = event.effective_on
        state.ended_on = None
        state.position, state.position_allowance, state.position_since = "", None, None
    elif kind == EventKind.TRANSFER:
        state.agency_id = event.agency_id
        state.host_agency_id = None
        state.employment_kind = event.employment_kind or state.employment_kind
        state.position, state.position_allowance, state.position_since = (
            event.position,
            event.position_allowance if event.position else None,
            event.effective_on if event.position else None,
        )
    elif kind == EventKind.POSITION:
        state.position = event.position
        state.position_allowance = event.position_allowance
        state.position_since = event.effective_on
    elif kind == EventKind.POSITION_END:
        state.position, state.position_allowance, state.position_since = "", None, None
    elif kind == EventKind.RETIREMENT:
        state.status, state.ended_on = Status.RETIRED, event.effective_on
    elif kind == EventKind.SEPARATION:
        state.status, state.ended_on = Status.LEFT, event.effective_on
    elif kind == EventKind.DISCIPLINE:
        _apply_discipline(state, event)
    elif kind == EventKind.ASSESSMENT and event.reason == Rating.NOT_COMPLETED:
        state.delays.append(rules.Delay(event.effective_on, rules.NOT_COMPLETED_MONTHS))
    elif kind == EventKind.LEAVE and event.reason in rules.UNCOUNTED_LEAVE:
        state.pauses.append(rules.Pause(event.effective_on, event.ends_on))
    if kind in (EventKind.RECRUITMENT, EventKind.RANK, EventKind.SALARY, EventKind.TRANSFER):
        _apply_salary(state, event)
    elif kind == EventKind.SENIORITY:
        state.seniority_percent = event.seniority_percent or 0
        state.seniority_since = event.counted_from or event.effective_on


def _apply_discipline(state: State, event: CareerEvent) -> None:
    months = rules.discipline_delay(state.employment_kind, event.reason)
    if months:
        state.delays.append(rules.Delay(event.effective_on, months))
    if event.reason in (Discipline.DEMOTION, Discipline.DISMISSAL_FROM_POST):
        state.position, state.position_allowance, state.position_since = "", None, None
    if event.reason == Discipline.DISMISSAL:
        state.status, state.ended_on = Status.LEFT, event.effective_on


def _apply_salary(state: State, event: CareerEvent) -> None:
    if event.rank_id:
        state.rank_id = event.rank_id
    if event.salary_group:
        state.salary_group = event.salary_group
    if event.step:
        state.step = event.step
        state.coefficient = event.coefficient
        state.step_since = event.counted_from or event.effective_on
        # A new step ends the allowance beyond the frame, unless the decision keeps it.
        state.seniority_percent = event.seniority_percent or 0
        state.seniority_since = state.step_since if state.seniority_percent else None


def _window(state: State, event: CareerEvent, as_of: datetime.date) -> None:
    """Probation, secondment and leave hold from their start to the day before ``ends_on``."""
    if state.status in TERMINAL or event.kind not in (
        EventKind.PROBATION,
        EventKind.SECONDMENT,
        EventKind.LEAVE,
    ):
        return
    if event.ends_on is not None and event.ends_on <= as_of:
        return
    if event.kind == EventKind.PROBATION:
        state.status = Status.PROBATION
    elif event.kind == EventKind.SECONDMENT:
        state.status = Status.SECONDED
        state.host_agency_id = event.agency_id
    else:
        state.status = Status.ON_LEAVE
        state.leave_kind = event.reason
    state.until = event.ends_on


def derive(
    events: Iterable[CareerEvent], as_of: datetime.date, *, retires_on: datetime.date | None = None
) -> State:
    """The state on ``as_of`` from the events that are not voided."""
    state = State(as_of=as_of)
    events = sorted((e for e in events if e.voided_at is None), key=_order)
    later: list[datetime.date] = []
    windows = []
    for event in events:
        if event.effective_on > as_of:
            later.append(event.effective_on)
            continue
        state.events.append(event)
        if event.ends_on and event.ends_on > as_of:
            later.append(event.ends_on)
        if event.kind == EventKind.RECRUITMENT:
            windows = []  # a new recruitment starts afresh
        elif event.kind == EventKind.TRANSFER:  # a transfer ends a secondment
            windows = [w for w in windows if w.kind != EventKind.SECONDMENT]
        _apply(state, event)
        windows.append(event)
    for event in windows:
        _window(state, event, as_of)
    state.valid_until = min(later) if later else None
    if state.is_active and state.salary_group and state.step and state.step_since:
        state.next_raise = rules.next_raise(
            state.salary_group,
            state.step,
            state.step_since,
            seniority_percent=state.seniority_percent,
            seniority_since=state.seniority_since,
            delays=state.delays,
            pauses=state.pauses,
            as_of=as_of,
        )
    return state


def state_of(person: CivilServant, as_of: datetime.date | None = None) -> State:
    as_of = as_of or timezone.localdate()
    events = CareerEvent.objects.filter(person=person).select_related("decision", "agency", "rank")
    return derive(events, as_of)


def stored(person: CivilServant, state: State) -> CurrentState:
    """The CurrentState row for ``state`` (not saved)."""
    retirement = person.retirement
    raise_due = state.next_raise
    return CurrentState(
        person=person,
        status=state.status,
        employment_kind=state.employment_kind,
        agency_id=state.agency_id,
        host_agency_id=state.host_agency_id,
        position=state.position,
        position_allowance=state.position_allowance,
        rank_id=state.rank_id,
        salary_group=state.salary_group,
        step=state.step,
        coefficient=state.coefficient,
        step_since=state.step_since,
        seniority_percent=state.seniority_percent,
        recruited_on=state.recruited_on,
        next_raise_kind=raise_due.kind if raise_due else "",
        next_raise_on=raise_due.due_on if raise_due else None,
        retires_on=retirement.retires_on if state.is_active else None,
        early_raise=state.is_active
        and rules.early_raise_before_retirement(raise_due, retirement.retires_on),
        valid_until=state.valid_until,
        computed_on=state.as_of,
        **report_fields(person),
    )


REPORTED = {"full_name", "code", "sex", "date_of_birth", "education_level", "political_theory",
            "ethnicity", "religion", "party_joined_on"}  # fmt: skip


def report_fields(person: CivilServant) -> dict:
    """What the search looks for and the staffing report counts of the record, kept beside the
    state."""
    return {
        "name_search": person.name_search,
        "record_code": person.code,
        "sex": person.sex,
        "born_on": person.date_of_birth,
        "education_level": person.education_level,
        "political_theory": person.political_theory,
        "minority": person.ethnicity != MAJORITY,
        "ethnicity": person.ethnicity,
        "religious": person.religion != NO_RELIGION,
        "party_member": person.party_joined_on is not None,
    }


def refresh(person: CivilServant, as_of: datetime.date | None = None) -> CurrentState:
    """Recomputes and stores today's state of ``person`` (in the caller's transaction)."""
    row = stored(person, state_of(person, as_of))
    before = CurrentState.objects.filter(pk=person.pk).values_list("agency_id", flat=True).first()
    row.save()
    staffing_counts.mark_stale([before, row.agency_id])
    return row
