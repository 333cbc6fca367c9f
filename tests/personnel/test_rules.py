"""The legal rules across their edge dates: salary scales, raises, the seniority allowance,
retirement ages on the roadmap, age bands."""

import datetime
from decimal import Decimal

import pytest

from egov.personnel import rules
from egov.personnel.rules import Delay, Pause, RaiseKind, add_months, next_raise, retirement

D = datetime.date


@pytest.mark.parametrize(
    ("group", "step", "value"),
    [
        ("A3.1", 1, "6.20"),
        ("A3.1", 6, "8.00"),
        ("A3.2", 6, "7.55"),
        ("A2.1", 8, "6.78"),
        ("A2.2", 1, "4.00"),
        ("A1", 1, "2.34"),
        ("A1", 9, "4.98"),
        ("A0", 10, "4.89"),
        ("B", 12, "4.06"),
        ("C1", 12, "3.63"),
        ("C3", 1, "1.35"),
    ],
)
def test_the_salary_scales_of_decree_204(group, step, value):
    assert rules.coefficient(group, step) == Decimal(value)


@pytest.mark.parametrize(("group", "step"), [("A1", 0), ("A1", 10), ("B", 13), ("Z9", 1)])
def test_a_step_outside_the_scale_is_refused(group, step):
    with pytest.raises(ValueError):
        rules.coefficient(group, step)


def test_raise_periods_three_years_for_degrees_two_for_the_others():
    assert {code: g.months_per_step for code, g in rules.SALARY_GROUPS.items()} == {
        "A3.1": 36,
        "A3.2": 36,
        "A2.1": 36,
        "A2.2": 36,
        "A1": 36,
        "A0": 36,
        "B": 24,
        "C1": 24,
        "C2": 24,
        "C3": 24,
    }


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2025, 12, 15), 1, D(2026, 1, 15)),
        (D(2025, 3, 31), -1, D(2025, 2, 28)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_last_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


def test_a_step_after_36_months_in_the_degree_groups():
    due = next_raise("A1", 3, D(2023, 3, 15))
    assert due == rules.RaiseDue(RaiseKind.STEP, D(2026, 3, 15), 4, Decimal("3.33"), 0)


def test_a_step_after_24_months_in_groups_b_and_c():
    assert next_raise("B", 1, D(2024, 2, 29)).due_on == D(2026, 2, 28)
    assert next_raise("C1", 11, D(2024, 7, 1)).due_on == D(2026, 7, 1)


def test_at_the_last_step_the_seniority_allowance_comes_instead():
    first = next_raise("A1", 9, D(2022, 1, 1))
    assert (first.kind, first.due_on, first.seniority_percent) == (
        RaiseKind.SENIORITY,
        D(2025, 1, 1),
        5,
    )
    assert first.step == 9 and first.coefficient == Decimal("4.98")
    group_b = next_raise("B", 12, D(2022, 1, 1))
    assert (group_b.due_on, group_b.seniority_percent) == (D(2024, 1, 1), 5)
    # then one per cent more each year from the date it was last raised
    more = next_raise("A1", 9, D(2015, 1, 1), seniority_percent=7, seniority_since=D(2024, 5, 1))
    assert (more.due_on, more.seniority_percent) == (D(2025, 5, 1), 8)


def test_a_reprimand_during_the_step_delays_the_raise_six_months():
    since = D(2020, 1, 1)
    assert next_raise("A1", 2, since, delays=[Delay(D(2020, 1, 1), 6)]).due_on == D(2023, 7, 1)
    assert next_raise("A1", 2, since, delays=[Delay(D(2022, 12, 31), 6)]).due_on == D(2023, 7, 1)
    # a discipline on the day the raise is due, or before the step, does not count
    assert next_raise("A1", 2, since, delays=[Delay(D(2023, 1, 1), 6)]).due_on == D(2023, 1, 1)
    assert next_raise("A1", 2, since, delays=[Delay(D(2019, 12, 31), 12)]).due_on == D(2023, 1, 1)


def test_a_demotion_delays_twelve_months_and_a_delay_may_bring_in_the_next():
    since = D(2020, 1, 1)
    delays = [Delay(D(2022, 12, 31), 6), Delay(D(2023, 3, 1), 12)]
    # the first pushes the due date to 1 July 2023, which takes in the second
    assert next_raise("A1", 2, since, delays=delays).due_on == D(2024, 7, 1)


@pytest.mark.parametrize(
    ("employment", "form", "months"),
    [
        # Thông tư 08/2013/TT-BNV art. 2 §3 as amended by Thông tư 03/2021/TT-BNV
        ("cadre", "dismissal_from_post", 12),
        ("civil_servant", "demotion", 12),
        ("civil_servant", "dismissal_from_post", 12),
        ("public_employee", "dismissal_from_post", 12),
        ("contract", "dismissal_from_post", 12),
        ("cadre", "reprimand", 6),
        ("civil_servant", "reprimand", 6),
        ("contract", "reprimand", 6),
        ("cadre", "warning", 6),
        ("civil_servant", "warning", 6),
        ("public_employee", "warning", 6),
        ("contract", "warning", 6),
        ("public_employee", "reprimand", 3),
        ("", "reprimand", 6),  # employment not recorded: as a civil servant
        # not in the list: the lower step is a salary decision; a dismissal ends the service
        ("civil_servant", "step_lowered", 0),
        ("civil_servant", "dismissal", 0),
    ],
)
def test_the_discipline_delay_depends_on_the_form_and_the_employment(employment, form, months):
    assert rules.discipline_delay(employment, form) == months


def test_a_public_employees_reprimand_delays_three_months_to_the_day():
    since = D(2021, 8, 31)
    delay = Delay(D(2022, 1, 10), rules.discipline_delay("public_employee", "reprimand"))
    # 36 months end on 31 August 2024; 3 more months end on the last day of November
    assert next_raise("A1", 2, since, delays=[delay]).due_on == D(2024, 11, 30)


@pytest.mark.parametrize(
    ("employment", "form", "allowed"),
    [
        ("civil_servant", "step_lowered", True),
        ("civil_servant", "demotion", True),
        ("cadre", "step_lowered", False),
        ("cadre", "demotion", False),
        ("cadre", "dismissal_from_post", True),
        ("public_employee", "step_lowered", False),
        ("public_employee", "demotion", False),
        ("public_employee", "reprimand", True),
        ("public_employee", "dismissal", True),
        ("contract", "reprimand", True),
    ],
)
def test_the_forms_of_discipline_of_each_employment(employment, form, allowed):
    assert rules.discipline_allowed(employment, form) is allowed


def test_recruitment_age_and_the_retirement_notice_and_decision():
    assert rules.adult_on(D(2004, 2, 29)) == D(2022, 2, 28)
    assert rules.adult_on(D(2004, 3, 1)) == D(2022, 3, 1)
    found = retirement("male", D(1964, 8, 15))  # 61 y 3 m, reached on 15 November 2025
    assert found.retires_on == D(2025, 11, 30)
    assert (found.notice_on, found.decision_on) == (D(2025, 5, 30), D(2025, 8, 30))
    december = retirement("female", D(1969, 4, 10))
    assert december.retires_on == D(2025, 12, 31)
    assert (december.notice_on, december.decision_on) == (D(2025, 6, 30), D(2025, 9, 30))


def test_unpaid_leave_does_not_count_towards_the_raise():
    since = D(2020, 1, 1)
    leave = Pause(D(2021, 3, 1), D(2021, 3, 31))  # 30 days away
    assert next_raise("A1", 2, since, pauses=[leave]).due_on == D(2023, 1, 31)
    before_the_step = Pause(D(2019, 6, 1), D(2020, 1, 11))  # only 10 days fall in the step
    assert next_raise("A1", 2, since, pauses=[before_the_step]).due_on == D(2023, 1, 11)
    ongoing = Pause(D(2022, 12, 1), None)
    due = next_raise("A1", 2, since, pauses=[ongoing], as_of=D(2022, 12, 21))
    assert due.due_on == D(2023, 1, 21)  # 20 days so far


@pytest.mark.parametrize(
    ("due_on", "early"),
    [
        (D(2026, 5, 1), True),  # the day after retirement
        (D(2027, 4, 30), True),  # 12 months later
        (D(2027, 5, 1), False),  # more than 12 months
        (D(2026, 4, 30), False),  # before retirement: a regular raise
    ],
)
def test_early_raise_before_retirement_within_twelve_months(due_on, early):
    due = rules.RaiseDue(RaiseKind.STEP, due_on, 5, Decimal("3.66"), 0)
    assert rules.early_raise_before_retirement(due, D(2026, 4, 30)) is early
    seniority = rules.RaiseDue(RaiseKind.SENIORITY, due_on, 9, Decimal("4.98"), 5)
    assert rules.early_raise_before_retirement(seniority, D(2026, 4, 30)) is False


@pytest.mark.parametrize(
    ("sex", "year", "age"),
    [
        ("male", 2020, (60, 0)),
        ("male", 2021, (60, 3)),
        ("male", 2022, (60, 6)),
        ("male", 2024, (61, 0)),
        ("male", 2027, (61, 9)),
        ("male", 2028, (62, 0)),
        ("male", 2040, (62, 0)),
        ("female", 2020, (55, 0)),
        ("female", 2021, (55, 4)),
        ("female", 2023, (56, 0)),
        ("female", 2026, (57, 0)),
        ("female", 2034, (59, 8)),
        ("female", 2035, (60, 0)),
        ("female", 2050, (60, 0)),
    ],
)
def test_the_retirement_age_roadmap_of_decree_135(sex, year, age):
    assert rules.retirement_age(sex, year) == age


@pytest.mark.parametrize(
    ("sex", "born", "age", "retires", "pension"),
    [
        # reached in 2020 under the old law
        ("male", D(1960, 12, 15), (60, 0), D(2020, 12, 31), D(2021, 1, 1)),
        # the first months of the roadmap
        ("male", D(1961, 1, 10), (60, 3), D(2021, 4, 30), D(2021, 5, 1)),
        ("male", D(1961, 9, 30), (60, 3), D(2021, 12, 31), D(2022, 1, 1)),
        # 60 years 3 months would fall in 2022, whose age is 60 years 6 months
        ("male", D(1961, 10, 1), (60, 6), D(2022, 4, 30), D(2022, 5, 1)),
        ("male", D(1966, 3, 20), (61, 9), D(2027, 12, 31), D(2028, 1, 1)),
        ("male", D(1966, 4, 1), (62, 0), D(2028, 4, 30), D(2028, 5, 1)),
        ("female", D(1966, 8, 31), (55, 4), D(2021, 12, 31), D(2022, 1, 1)),
        ("female", D(1966, 9, 1), (55, 8), D(2022, 5, 31), D(2022, 6, 1)),
        ("female", D(1975, 4, 30), (59, 8), D(2034, 12, 31), D(2035, 1, 1)),
        ("female", D(1975, 5, 1), (60, 0), D(2035, 5, 31), D(2035, 6, 1)),
        # the 31st of a month reaching a 30-day month, and a 29 February
        ("male", D(1961, 1, 31), (60, 3), D(2021, 4, 30), D(2021, 5, 1)),
        ("female", D(1972, 2, 29), (58, 4), D(2030, 6, 30), D(2030, 7, 1)),
    ],
)
def test_retirement_dates_on_the_roadmap(sex, born, age, retires, pension):
    found = retirement(sex, born)
    assert (found.age_years, found.age_months) == age
    assert found.retires_on == retires
    assert found.pension_from == pension


def test_only_the_year_of_birth_counts_from_the_first_of_january():
    found = retirement("male", D(1961, 11, 20), year_only=True)
    assert found.retires_on == D(2021, 4, 30)
    assert retirement("male", D(1961, 11, 20)).retires_on == D(2022, 5, 31)


def test_the_retirement_needs_a_sex():
    with pytest.raises(ValueError):
        rules.retirement_age("", 2025)


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (D(1990, 5, 17), D(2025, 5, 16), 34),
        (D(1990, 5, 17), D(2025, 5, 17), 35),
        (D(2000, 2, 29), D(2030, 2, 28), 29),
        (D(2000, 2, 29), D(2030, 3, 1), 30),
    ],
)
def test_age_on_a_day(born, day, age):
    assert rules.age_on(born, day) == age


@pytest.mark.parametrize("day", [D(2025, 6, 30), D(2028, 2, 29), D(2030, 3, 1)])
def test_age_bands_cover_each_birth_date_once(day):
    for label, lowest, highest in rules.AGE_BANDS:
        first, last = rules.born_between(day, lowest, min(highest, 120))
        assert rules.age_on(first, day) == min(highest, 120), label
        assert rules.age_on(last, day) == lowest, label
        assert rules.age_on(first - datetime.timedelta(days=1), day) == min(highest, 120) + 1
        assert rules.age_on(last + datetime.timedelta(days=1), day) == lowest - 1
