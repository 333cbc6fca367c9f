"""Deadlines in working time: national holidays, Tết, make-up Saturdays, the city's own days."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from egov.core import calendar
from egov.core.models import CalendarDay

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, hh=0, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=VN)


pytestmark = pytest.mark.django_db


def test_the_days_of_tet_2027_are_off():
    for day in range(4, 11):  # 29 Tết (Thursday) to the fifth day (Wednesday)
        assert not calendar.is_working_day(datetime.date(2027, 2, day))
    assert calendar.is_working_day(datetime.date(2027, 2, 3))
    assert calendar.is_working_day(datetime.date(2027, 2, 11))


def test_three_working_days_across_tet_2027():
    # Received Wednesday 3 Feb 2027 at 10:00: 5 working hours are left that day, then Tết.
    due = calendar.add_working_time(at(2027, 2, 3, 10, 0), days=3)
    assert due == at(2027, 2, 15, 10, 0)
    assert calendar.working_hours_between(at(2027, 2, 3, 10, 0), due) == Decimal(24)


def test_make_up_saturday_counts():
    assert calendar.is_working_day(datetime.date(2026, 8, 22))  # làm bù for 31 August
    assert not calendar.is_working_day(datetime.date(2026, 8, 31))
    # Submitted online on Friday evening: the clock starts on the make-up Saturday.
    due = calendar.add_working_time(at(2026, 8, 21, 20, 0), days=1)
    assert due == at(2026, 8, 22, 17, 0)


def test_submission_outside_office_hours_counts_from_the_next_working_moment():
    # Saturday 5 Dec 2026, 09:00: counts from Monday 07:00.
    assert calendar.add_working_time(at(2026, 12, 5, 9, 0), hours=2) == at(2026, 12, 7, 9, 0)
    # During the lunch break: counts from 13:30.
    assert calendar.add_working_time(at(2026, 12, 7, 12, 0), hours=1) == at(2026, 12, 7, 14, 30)


def test_next_working_moment():
    assert calendar.next_working_moment(at(2026, 12, 7, 9, 0)) == at(2026, 12, 7, 9, 0)
    assert calendar.next_working_moment(at(2026, 12, 7, 11, 30)) == at(2026, 12, 7, 13, 30)
    assert calendar.next_working_moment(at(2026, 12, 4, 17, 0)) == at(2026, 12, 7, 7, 0)
    assert calendar.next_working_moment(at(2027, 2, 3, 17, 0)) == at(2027, 2, 11, 7, 0)  # Tết


def test_half_days_and_hour_limits():
    assert calendar.add_working_time(at(2026, 12, 7, 7, 0), days="0.5") == at(2026, 12, 7, 11, 0)
    assert calendar.add_working_time(at(2026, 12, 7, 16, 0), hours=4) == at(2026, 12, 8, 10, 0)


def test_days_declared_by_the_city_win():
    CalendarDay.objects.create(
        date=datetime.date(2026, 12, 8),
        kind="off",
        reason="Nghỉ bù theo thông báo của UBND thành phố",
    )
    CalendarDay.objects.create(date=datetime.date(2026, 12, 12), kind="working", reason="Làm bù")
    assert not calendar.is_working_day(datetime.date(2026, 12, 8))
    assert calendar.is_working_day(datetime.date(2026, 12, 12))
    due = calendar.add_working_time(at(2026, 12, 7, 7, 0), days=3)
    assert due == at(2026, 12, 10, 17, 0)


def test_negative_limits_are_refused():
    with pytest.raises(ValueError):
        calendar.add_working_time(at(2026, 12, 7, 7, 0), days=-1)


class TestCalendarProperties(TestCase):
    @settings(max_examples=60, deadline=None)
    @given(
        start=st.datetimes(
            min_value=datetime.datetime(2025, 1, 1), max_value=datetime.datetime(2028, 12, 31)
        ),
        days=st.integers(min_value=0, max_value=60),
        half=st.booleans(),
    )
    def test_the_deadline_is_the_limit_in_working_hours(self, start, days, half):
        start = start.replace(tzinfo=VN)
        limit = Decimal(days) + (Decimal("0.5") if half else 0)
        due = calendar.add_working_time(start, days=limit)
        assert due >= start
        assert calendar.working_hours_between(start, due) == limit * calendar.hours_per_day()
        if limit:
            assert calendar.is_working_day(due.date())
