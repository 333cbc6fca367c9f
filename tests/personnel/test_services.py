"""Recording the career through the services: checks, scope, the stored state, the trail."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from egov.core.models import AuditEvent
from egov.personnel import services, state
from egov.personnel.models import CareerEvent, CivilServant, CurrentState, Decision
from tests.personnel.conftest import event

D = datetime.date
pytestmark = pytest.mark.django_db


def test_a_record_starts_with_its_recruitment(recruit, agencies):
    person = recruit()
    assert person.code == "HS000001"
    row = CurrentState.objects.get(person=person)
    assert (row.status, row.agency_id, row.step, row.coefficient) == (
        "working",
        agencies["justice"].pk,
        1,
        Decimal("2.34"),
    )
    assert row.retires_on == D(2047, 4, 30)  # born April 1985: 62 in April 2047
    audit = AuditEvent.objects.get(action="personnel.record_created")
    assert audit.agency_id == agencies["justice"].pk
    assert audit.after["code"] == "HS000001"
    assert recruit(full_name="Lê Thị Bình", sex="female").code == "HS000002"


def test_a_bad_record_or_recruitment_saves_nothing(recruit, agencies):
    with pytest.raises(ValidationError) as caught:
        recruit(date_of_birth=D(2001, 1, 1), on=D(2018, 12, 31))
    assert "effective_on" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        recruit(citizen_id="12345")
    assert "citizen_id" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        recruit(agency=agencies["justice"], step=10)
    assert caught.value.message_dict["step"] == ["Nhóm A1 có các bậc từ 1 đến 9."]
    assert not CivilServant.objects.exists() and not Decision.objects.exists()


def test_the_coefficient_must_match_the_scale(recruit):
    person = recruit()
    with pytest.raises(ValidationError) as caught:
        services.record_event(
            person, event("salary", D(2018, 3, 1), step=2, coefficient=Decimal("2.70")), actor=None
        )
    assert "2,67" in caught.value.message_dict["coefficient"][0]
    raised = services.record_event(person, event("salary", D(2018, 3, 1), step=2), actor=None)
    assert (raised.salary_group, raised.coefficient) == ("A1", Decimal("2.67"))
    assert CurrentState.objects.get(person=person).next_raise_on == D(2021, 3, 1)


def test_nothing_before_the_recruitment_or_after_retirement(recruit):
    person = recruit(on=D(2015, 3, 1))
    with pytest.raises(ValidationError) as caught:
        services.record_event(person, event("salary", D(2015, 2, 1), step=2), actor=None)
    assert "effective_on" in caught.value.message_dict
    services.record_event(person, event("retirement", D(2020, 1, 1)), actor=None)
    with pytest.raises(ValidationError):
        services.record_event(
            person, event("reward", D(2021, 1, 1), detail="Giấy khen"), actor=None
        )
    with pytest.raises(ValidationError):
        services.record_event(person, event("recruitment", D(2016, 1, 1)), actor=None)


def test_field_errors_name_what_to_fix(recruit, agencies):
    person = recruit()
    cases = [
        (event("transfer", D(2020, 1, 1)), "agency"),
        (event("transfer", D(2020, 1, 1), agency=agencies["justice"]), "agency"),
        (event("secondment", D(2020, 1, 1), agency=agencies["health"]), "ends_on"),
        (event("probation", D(2020, 1, 1), ends_on=D(2021, 6, 1)), "ends_on"),
        (event("position", D(2020, 1, 1)), "position"),
        (event("position_end", D(2020, 1, 1)), "kind"),
        (event("discipline", D(2020, 1, 1), reason="fined"), "reason"),
        (event("reward", D(2020, 1, 1)), "detail"),
        (event("seniority", D(2020, 1, 1), seniority_percent=5), "seniority_percent"),
        (event("leave", D(2020, 1, 1), reason="unpaid", ends_on=D(2019, 1, 1)), "ends_on"),
        (event("reward", D(2020, 1, 1), detail="x", decision_signer=" "), "decision_signer"),
        (
            event("reward", datetime.date.today() + datetime.timedelta(days=400), detail="x"),
            "effective_on",
        ),
        (event("salary", D(2020, 1, 1), step=2, counted_from=D(2020, 2, 1)), "counted_from"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as caught:
            services.record_event(person, data, actor=None)
        assert field in caught.value.message_dict, (data.kind, caught.value.message_dict)
    assert CareerEvent.objects.filter(person=person).count() == 1


def test_a_form_of_discipline_the_law_does_not_give_for_the_employment_is_refused(
    recruit, agencies, ranks
):
    employee = services.create_person(
        {"full_name": "Lê Văn Bình", "sex": "male", "date_of_birth": D(1990, 1, 1)},
        event("recruitment", D(2015, 3, 1), agency=agencies["health"],
              employment_kind="public_employee", rank=ranks["01.003"], step=1),
        actor=None,
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.record_event(employee, event("discipline", D(2020, 1, 1), reason="demotion"),
                              actor=None)  # fmt: skip
    assert "viên chức" in caught.value.message_dict["reason"][0].lower()
    services.record_event(employee, event("discipline", D(2020, 1, 1), reason="reprimand"),
                          actor=None)  # fmt: skip
    servant = recruit()
    services.record_event(servant, event("discipline", D(2020, 1, 1), reason="step_lowered"),
                          actor=None)  # fmt: skip


def test_a_decision_is_shared_by_its_events_and_keeps_its_signer(recruit):
    first, second = recruit(), recruit(full_name="Phạm Thị Cúc", sex="female")
    common = {"decision_number": "88/QĐ-UBND", "decision_signed_on": D(2021, 1, 5)}
    services.record_event(
        first, event("reward", D(2021, 1, 5), detail="Bằng khen", **common), actor=None
    )
    services.record_event(
        second, event("reward", D(2021, 1, 5), detail="Bằng khen", **common), actor=None
    )
    assert Decision.objects.get(number="88/QĐ-UBND").events.count() == 2
    with pytest.raises(ValidationError) as caught:
        services.record_event(
            first,
            event(
                "reward", D(2021, 1, 5), detail="Giấy khen", decision_signer="Người khác", **common
            ),
            actor=None,
        )
    assert "Nguyễn Văn Ký" in caught.value.message_dict["decision_signer"][0]


def test_officers_act_only_in_their_agencies(recruit, officers, agencies):
    person = recruit(agency="justice")
    salary = event("salary", D(2018, 3, 1), step=2)
    with pytest.raises(PermissionDenied):
        services.record_event(person, salary, actor=officers["health"])
    # a department may not move its people to another department: Home Affairs does
    with pytest.raises(PermissionDenied):
        services.record_event(
            person,
            event("transfer", D(2020, 1, 1), agency=agencies["health"]),
            actor=officers["justice"],
        )
    services.record_event(person, salary, actor=officers["justice"])
    services.record_event(
        person, event("transfer", D(2020, 1, 1), agency=agencies["health"]), actor=officers["home"]
    )
    assert CurrentState.objects.get(person=person).agency_id == agencies["health"].pk
    # now the health department's
    services.record_event(
        person, event("reward", D(2021, 1, 1), detail="Giấy khen"), actor=officers["health"]
    )
    with pytest.raises(PermissionDenied):
        services.record_event(
            person, event("reward", D(2021, 2, 1), detail="x"), actor=officers["justice"]
        )
    with pytest.raises(PermissionDenied):
        recruit(agency="health", actor=officers["justice"])


def test_a_system_administrator_is_no_personnel_officer(recruit, make_staff, agencies):
    from egov.accounts.models import Role

    admin = make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN, include_subtree=True)
    person = recruit()
    with pytest.raises(PermissionDenied):
        services.record_event(person, event("reward", D(2021, 1, 1), detail="x"), actor=admin)


def test_voiding_an_event_takes_it_out_of_the_state(recruit, officers, agencies):
    person = recruit()
    moved = services.record_event(
        person, event("transfer", D(2020, 1, 1), agency=agencies["health"]), actor=officers["home"]
    )
    with pytest.raises(ValidationError):
        services.void_event(moved, actor=officers["home"], reason="  ")
    services.void_event(moved, actor=officers["home"], reason="Nhập nhầm người")
    assert CurrentState.objects.get(person=person).agency_id == agencies["justice"].pk
    voided = AuditEvent.objects.get(action="personnel.event_voided")
    assert voided.before["kind"] == "transfer" and voided.after == {"reason": "Nhập nhầm người"}
    assert voided.agency_id == agencies["health"].pk
    with pytest.raises(ValidationError):
        services.void_event(moved, actor=officers["home"], reason="again")
    first = CareerEvent.objects.get(person=person, kind="recruitment")
    with pytest.raises(ValidationError):
        services.void_event(first, actor=officers["home"], reason="the only one")
    assert CareerEvent.objects.get(pk=first.pk).voided_at is None


def test_a_decision_taking_effect_later_changes_the_stored_state_on_its_day(recruit, agencies):
    with time_machine.travel(D(2025, 6, 1), tick=False):
        person = recruit()
        services.record_event(
            person, event("transfer", D(2025, 7, 1), agency=agencies["health"]), actor=None
        )
        row = CurrentState.objects.get(person=person)
        assert (row.agency_id, row.valid_until) == (agencies["justice"].pk, D(2025, 7, 1))
        assert services.refresh_due(D(2025, 6, 30)) == 0
    with time_machine.travel(D(2025, 7, 1), tick=False):
        assert services.refresh_due() == 1
        row = CurrentState.objects.get(person=person)
        assert (row.agency_id, row.valid_until) == (agencies["health"].pk, None)
        assert services.refresh_due() == 0


def test_changing_the_birth_date_moves_the_retirement(recruit, officers):
    person = recruit(date_of_birth=D(1965, 1, 15))
    assert CurrentState.objects.get(person=person).retires_on == D(2026, 7, 31)
    services.update_record(
        person, {"date_of_birth": D(1965, 2, 15), "phone": "0912345678"}, actor=officers["justice"]
    )
    assert CurrentState.objects.get(person=person).retires_on == D(2026, 8, 31)
    change = AuditEvent.objects.get(action="personnel.record_updated")
    assert change.before == {"date_of_birth": "1965-01-15", "phone": ""}
    assert change.after == {"date_of_birth": "1965-02-15", "phone": "091****678"}


def test_the_search_finds_a_person_by_the_name_kept_beside_the_state(recruit, officers):
    from egov.personnel import queries
    from egov.personnel.access import Scope

    person = recruit(full_name="Trần Văn An")
    scope = Scope(officers["justice"])
    assert [r.person for r in queries.search(scope, "tran van an")] == [person]
    assert [r.person for r in queries.search(scope, person.code.lower())] == [person]
    services.update_record(person, {"full_name": "Trần Thị Ánh"}, actor=officers["justice"])
    row = CurrentState.objects.get(person=person)
    assert (row.name_search, row.record_code) == ("tran thi anh", person.code)
    assert [r.person for r in queries.search(scope, "Ánh")] == [person]
    assert not queries.search(scope, "tran van an").exists()


def test_the_citizen_id_is_checked_and_unique(recruit, officers):
    first = recruit(citizen_id="092085001234")
    second = recruit(full_name="Võ Văn Hai")
    with pytest.raises(ValidationError) as caught:
        services.update_record(second, {"citizen_id": "092085001234"}, actor=officers["justice"])
    assert "citizen_id" in caught.value.message_dict
    assert first.masked_citizen_id == "********1234"


def test_early_raise_before_retirement_is_flagged(recruit):
    # a woman born in May 1970 retires at the end of September 2027 (57 years 4 months)
    person = recruit(
        full_name="Đỗ Thị Dung", sex="female", date_of_birth=D(1970, 5, 3), on=D(1995, 1, 1)
    )
    services.record_event(person, event("salary", D(2025, 1, 1), step=5), actor=None)
    row = CurrentState.objects.get(person=person)
    assert row.retires_on == D(2027, 9, 30)
    assert row.next_raise_on == D(2028, 1, 1) and row.early_raise is True
    services.record_event(person, event("salary", D(2026, 1, 1), step=5), actor=None)
    assert CurrentState.objects.get(person=person).early_raise is False  # 15 months after


def test_state_of_a_person_as_of_a_date(recruit, agencies):
    person = recruit(on=D(2015, 3, 1))
    services.record_event(
        person, event("transfer", D(2020, 1, 1), agency=agencies["health"]), actor=None
    )
    assert state.state_of(person, D(2019, 12, 31)).agency_id == agencies["justice"].pk
    assert state.state_of(person, D(2020, 1, 1)).agency_id == agencies["health"].pk
