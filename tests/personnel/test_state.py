"""The state of a person folded from their events, as of any date (in memory: no database)."""

import datetime
from decimal import Decimal

from egov.personnel.models import CareerEvent
from egov.personnel.rules import RaiseKind
from egov.personnel.state import derive

D = datetime.date


def make(pk, kind, on, **fields):
    fields.setdefault("decision_id", 1)
    return CareerEvent(pk=pk, kind=kind, effective_on=on, **fields)


CAREER = [
    make(1, "recruitment", D(2015, 3, 1), agency_id=10, employment_kind="civil_servant"),
    make(2, "probation", D(2015, 3, 1), ends_on=D(2016, 3, 1)),
    make(
        3, "rank", D(2016, 3, 1), rank_id=3, salary_group="A1", step=1, coefficient=Decimal("2.34")
    ),
    make(4, "salary", D(2019, 3, 1), salary_group="A1", step=2, coefficient=Decimal("2.67")),
    make(
        5, "position", D(2020, 1, 1), position="Phó Trưởng phòng", position_allowance=Decimal("0.2")
    ),
    make(6, "transfer", D(2022, 7, 1), agency_id=20),
    make(7, "salary", D(2022, 3, 1), salary_group="A1", step=3, coefficient=Decimal("3.00")),
    make(8, "secondment", D(2023, 1, 1), agency_id=30, ends_on=D(2024, 1, 1)),
    make(9, "reward", D(2023, 6, 1), detail="Bằng khen của Chủ tịch UBND thành phố"),
]


def test_nothing_before_the_recruitment():
    state = derive(CAREER, D(2015, 2, 28))
    assert state.status == "not_started" and state.agency_id is None
    assert state.valid_until == D(2015, 3, 1)


def test_probation_then_service_in_the_rank():
    on_probation = derive(CAREER, D(2015, 9, 1))
    assert on_probation.status == "probation" and on_probation.agency_id == 10
    assert on_probation.until == D(2016, 3, 1)
    assert on_probation.valid_until == D(2016, 3, 1)
    done = derive(CAREER, D(2016, 3, 1))
    assert done.status == "working"
    assert (done.rank_id, done.salary_group, done.step) == (3, "A1", 1)
    assert done.next_raise.due_on == D(2019, 3, 1)


def test_history_as_of_any_date():
    assert derive(CAREER, D(2019, 2, 28)).step == 1
    raised = derive(CAREER, D(2019, 3, 1))
    assert (raised.step, raised.coefficient) == (2, Decimal("2.67"))
    assert raised.next_raise.due_on == D(2022, 3, 1)
    before_transfer = derive(CAREER, D(2022, 6, 30))
    assert before_transfer.agency_id == 10 and before_transfer.position == "Phó Trưởng phòng"
    after = derive(CAREER, D(2022, 7, 1))
    # a transfer ends the position held in the former agency
    assert after.agency_id == 20 and after.position == "" and after.position_allowance is None
    assert after.step == 3  # recorded later, in force since 1 March


def test_secondment_holds_until_its_end():
    seconded = derive(CAREER, D(2023, 12, 31))
    assert (seconded.status, seconded.agency_id, seconded.host_agency_id) == ("seconded", 20, 30)
    back = derive(CAREER, D(2024, 1, 1))
    assert (back.status, back.host_agency_id) == ("working", None)
    assert back.valid_until is None
    assert [e.pk for e in back.events] == [1, 2, 3, 4, 5, 7, 6, 8, 9]


def test_a_voided_event_does_not_count():
    voided = make(10, "transfer", D(2022, 8, 1), agency_id=99)
    voided.voided_at = datetime.datetime(2022, 8, 2, tzinfo=datetime.UTC)
    state = derive([*CAREER, voided], D(2025, 1, 1))
    assert state.agency_id == 20


def test_unpaid_leave_shows_and_delays_the_raise():
    events = [
        make(1, "recruitment", D(2020, 1, 1), agency_id=10, salary_group="A1", step=1),
        make(2, "leave", D(2021, 1, 1), ends_on=D(2021, 3, 2), reason="unpaid"),
    ]
    away = derive(events, D(2021, 2, 1))
    assert (away.status, away.leave_kind) == ("on_leave", "unpaid")
    back = derive(events, D(2021, 3, 2))
    assert back.status == "working"
    assert back.next_raise.due_on == D(2023, 3, 2)  # 60 days later
    maternity = [
        events[0],
        make(3, "leave", D(2021, 1, 1), ends_on=D(2021, 7, 1), reason="maternity"),
    ]
    assert derive(maternity, D(2022, 1, 1)).next_raise.due_on == D(2023, 1, 1)


def test_discipline_and_a_poor_rating_delay_the_raise():
    events = [
        make(1, "recruitment", D(2020, 1, 1), agency_id=10, salary_group="A1", step=1),
        make(2, "discipline", D(2021, 5, 1), reason="warning"),
        make(3, "assessment", D(2022, 1, 15), reason="not_completed", detail="2021"),
    ]
    assert derive(events, D(2022, 6, 1)).next_raise.due_on == D(2024, 1, 1)


def test_a_reprimand_delays_a_public_employee_three_months_and_a_civil_servant_six():
    def career(employment):
        return [
            make(1, "recruitment", D(2020, 1, 1), agency_id=10, employment_kind=employment,
                 salary_group="A1", step=1),
            make(2, "discipline", D(2021, 5, 1), reason="reprimand"),
        ]  # fmt: skip

    assert derive(career("public_employee"), D(2022, 1, 1)).next_raise.due_on == D(2023, 4, 1)
    assert derive(career("civil_servant"), D(2022, 1, 1)).next_raise.due_on == D(2023, 7, 1)
    lowered = [*career("civil_servant")[:1], make(2, "discipline", D(2021, 5, 1),
                                                  reason="step_lowered")]  # fmt: skip
    assert derive(lowered, D(2022, 1, 1)).next_raise.due_on == D(2023, 1, 1)


def test_dismissal_from_the_post_ends_the_position_and_dismissal_ends_the_service():
    events = [
        make(1, "recruitment", D(2020, 1, 1), agency_id=10),
        make(2, "position", D(2021, 1, 1), position="Trưởng phòng"),
        make(3, "discipline", D(2022, 1, 1), reason="dismissal_from_post"),
    ]
    assert derive(events, D(2022, 1, 1)).position == ""
    events.append(make(4, "discipline", D(2023, 1, 1), reason="dismissal"))
    state = derive(events, D(2023, 1, 1))
    assert state.status == "left" and state.next_raise is None


def test_the_last_step_leads_to_the_seniority_allowance():
    events = [
        make(1, "recruitment", D(1995, 1, 1), agency_id=10),
        make(2, "salary", D(2018, 1, 1), salary_group="A1", step=9, coefficient=Decimal("4.98")),
    ]
    due = derive(events, D(2020, 1, 1)).next_raise
    assert (due.kind, due.due_on, due.seniority_percent) == (RaiseKind.SENIORITY, D(2021, 1, 1), 5)
    events.append(make(3, "seniority", D(2021, 1, 1), seniority_percent=5))
    state = derive(events, D(2021, 6, 1))
    assert state.seniority_percent == 5
    assert (state.next_raise.due_on, state.next_raise.seniority_percent) == (D(2022, 1, 1), 6)


def test_retirement_ends_the_service_and_a_new_recruitment_starts_again():
    events = [
        make(1, "recruitment", D(1990, 1, 1), agency_id=10, salary_group="B", step=3),
        make(2, "secondment", D(2020, 1, 1), agency_id=30),
        make(3, "retirement", D(2021, 5, 1)),
    ]
    retired = derive(events, D(2021, 5, 1))
    assert (retired.status, retired.ended_on, retired.next_raise) == (
        "retired",
        D(2021, 5, 1),
        None,
    )
    events.append(make(4, "recruitment", D(2022, 1, 1), agency_id=40))
    again = derive(events, D(2022, 1, 1))
    assert (again.status, again.agency_id, again.host_agency_id) == ("working", 40, None)


def test_events_of_one_day_apply_in_the_order_recorded():
    events = [
        make(2, "position", D(2021, 1, 1), position="Phó Giám đốc"),
        make(1, "recruitment", D(2021, 1, 1), agency_id=10),
    ]
    assert derive(events, D(2021, 1, 1)).position == "Phó Giám đốc"
