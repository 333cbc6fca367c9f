"""The generated careers (demo, benchmark) are careers the services would have accepted, event
by event, and the same seed gives the same people."""

import datetime

import pytest

from egov.personnel import generate, services, state
from egov.personnel.models import CareerEvent, CivilServant, CurrentState

TODAY = datetime.date(2026, 12, 1)
pytestmark = pytest.mark.django_db


def plans(agencies, seed=7, count=40):
    generator = generate.Generator(
        seed, list(agencies.values()), today=TODAY, events=20, id_numbers_from=1000
    )
    return generator, [generator.person(n, f"GN{n:06d}") for n in range(1, count + 1)]


def test_every_generated_event_passes_the_services_checks(agencies, ranks):
    _generator, people = plans(agencies)
    for plan in people:
        services._clean_person(plan.person)
        before = []
        for event, _key in sorted(plan.events, key=lambda item: item[0].effective_on):
            data = services.EventInput(
                kind=event.kind,
                effective_on=event.effective_on,
                decision_number="1/QĐ",
                decision_signed_on=min(event.effective_on, TODAY),
                decision_signer="Ký",
                ends_on=event.ends_on,
                agency=event.agency,
                employment_kind=event.employment_kind,
                position=event.position,
                position_allowance=event.position_allowance,
                rank=event.rank,
                salary_group=event.salary_group,
                step=event.step,
                coefficient=event.coefficient,
                counted_from=event.counted_from,
                seniority_percent=event.seniority_percent,
                reason=event.reason,
                detail=event.detail or "x",
            )
            if event.effective_on <= datetime.date.today():
                services.check_event(plan.person, data, before)
            before.append(event)
        assert len(plan.events) <= 24


def test_the_same_seed_gives_the_same_people_and_the_writer_derives_their_state(agencies, ranks):
    generator, first = plans(agencies)
    _again, second = plans(agencies)
    assert [p.person.full_name for p in first] == [p.person.full_name for p in second]
    assert [len(p.events) for p in first] == [len(p.events) for p in second]
    people, events = generate.write(first, generator, batch=15)
    assert people == 40 and events == CareerEvent.objects.count()
    assert CurrentState.objects.count() == 40
    for person in CivilServant.objects.all()[:10]:
        stored = person.state
        derived = state.derive(person.events.all(), TODAY)
        assert (stored.status, stored.agency_id, stored.step) == (
            derived.status,
            derived.agency_id,
            derived.step,
        )
